"""Definitions shared by the New York City sections: the facts a search shows, what
counts as a conviction in each era, the violent-or-serious list, the lookback, and
the 2013 "covered" crimes and cases.

Each function returns a cited ``Def`` for the section that uses it (``s`` holds that
section's subdivision numbers, which differ between § 9-131 and § 14-154), so an
explanation cites the provision of the section actually applied.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from detainerlaw.engine.expr import (
    FALSE,
    AddYears,
    Any,
    Count,
    CountingHoursEnd,
    Def,
    Expr,
    Field,
    If,
    Param,
    UnionDays,
    Var,
    any_of,
    map_children,
)
from detainerlaw.engine.params import Params
from detainerlaw.laws.nyc.crimes import rule_keys, statutory_keys


@dataclass(frozen=True, kw_only=True)
class Cites:
    """Where a section defines each term (they are numbered differently per section and per
    version), each a full citation, given by name."""

    section: str  # "§ 9-131"
    convicted: str  # "convicted of a violent or serious crime" (2014 and later)
    judicial_warrant: str
    vsc: str  # "violent or serious crime"
    tsdb: str  # "terrorist screening database"
    fia: str  # "federal immigration authorities"
    detainer: str  # "civil immigration detainer"
    b1_warrant: str  # the judicial-warrant condition of the 2014 hold rule
    b1_danger: str  # its conviction / terrorist-list condition
    ever_vsc: str = ""  # § 14-154 only: "ever" convicted, for (b)(2)

    @classmethod
    def of(cls, section: str, **terms: str) -> Cites:
        """The citations of ``section``, each term given by its subdivision ("(a)(2)")."""
        return cls(section=section, **{term: f"{section}{sub}" for term, sub in terms.items()})

    def code(self, subdivision: str) -> str:
        """The full citation of one of the section's subdivisions: "NYC Admin. Code § 9-131(b)(1)"."""
        return f"NYC Admin. Code {self.section}{subdivision}"


# § 9-131 as amended by LL 58/2014 (a)(1)-(7), (b)(1); the 2011 and 2013 texts number "federal
# immigration authorities" (a)(4) and (a)(6).
DOC = Cites.of("§ 9-131", convicted="(a)(2)", judicial_warrant="(a)(5)", vsc="(a)(7)", tsdb="(a)(6)", fia="(a)(4)",
               detainer="(a)(1)", b1_warrant="(b)(1)(i)", b1_danger="(b)(1)(ii)")
DOC_2011 = replace(DOC, fia="§ 9-131(a)(4)")
DOC_2013 = replace(DOC, fia="§ 9-131(a)(6)")
# § 14-154 as rewritten by LL 59/2014; (a)(2)'s second proviso ("ever" convicted) serves (b)(2).
NYPD = Cites.of("§ 14-154", convicted="(a)(2)", judicial_warrant="(a)(4)", vsc="(a)(6)", tsdb="(a)(5)",
                fia="(a)(3)", detainer="(a)(1)", b1_warrant="(b)(1)(i)", b1_danger="(b)(1)(ii)",
                ever_vsc="(a)(2)(ii) (second proviso)")
NYPD_2013 = replace(NYPD, fia="§ 14-154(a)(5)")
# § 9-205(a) (LL 226/2017): every term "shall have the same meaning" as in § 9-131(a).
_DEFINED_IN_9_131 = ("convicted", "judicial_warrant", "vsc", "tsdb", "fia", "detainer")
DOP = replace(DOC, section="§ 9-205", b1_warrant="§ 9-205(b)(1)", b1_danger="§ 9-205(b)(2)",
              **{term: f"§ 9-205(a), {getattr(DOC, term)}" for term in _DEFINED_IN_9_131})


def matches(var: str, keys: frozenset[str] | set[str]) -> Expr:
    """The item's offence is one of ``keys``; a key naming a subdivision also matches a
    record of a deeper subdivision (listed "265.02(5)" matches a record of 265.02(5)(i))."""
    by_level: dict[int, set[str]] = {}
    for k in keys:
        by_level.setdefault(min(k.count("("), 3), set()).add(k)
    terms = [Var(var, "section" if lvl == 0 else f"sub{lvl}").isin(ks) for lvl, ks in sorted(by_level.items())]
    return any_of(*terms) if terms else FALSE


def silent(e: Expr) -> Expr:
    """``e`` without its ``Def`` wrappers: a condition asked only to decide whether a register
    code applies must not report the notes of the definitions it reads."""
    return silent(e.expr) if isinstance(e, Def) else map_children(e, silent)


def C(name: str) -> Var:
    return Var("c", name)


def flag(name: str, field: str, cite: str | None = None) -> Def:
    return Def(name, Field(field).eq(True), cite)


SEARCH = "records_search"
ALL_SOURCES = frozenset({SEARCH, "court", "government", "ice"})


def shown(name: str, field: str, accepted: frozenset[str], cite: str | None = None) -> Def:
    """A circumstance the version counts only when one of ``accepted`` showed it (the fact
    ``<field>_source``; register E-12): 2011 takes the records search (and ICE for removal
    orders), 2013 adds a court, 2014 any governmental entity."""
    if accepted >= ALL_SOURCES:
        return flag(name, field, cite)
    by = Def(
        "shown by a source this version accepts (" + ", ".join(sorted(accepted)) + ")",
        Field(f"{field}_source").isin(accepted),
        cite,
        notes=("E-12",),
        notes_when=False,
    )
    return Def(name, Field(field).eq(True) & by, cite)


# -- the request --------------------------------------------------------------


def federal_immigration_requester(p: Params, s: Cites) -> Def:
    """ICE or DHS civil enforcers; from LL 63/2026 any federal officer whose duties
    include immigration enforcement in whole or in part (register E-18): a requester
    marked so, or one acting for an immigration purpose."""
    base = Field("requester").eq("federal_immigration")
    if p.broad_federal_immigration_authorities:
        broad = Field("requester").eq("other_federal") & (
            Field("requester_immigration_duties") | Field("purpose").isin({"civil_immigration", "criminal_immigration"})
        )
        return Def(
            "the request comes from federal immigration authorities (any federal officer with immigration duties)",
            base
            | Def("a federal officer whose duties include immigration enforcement", broad, s.fia, notes=("E-18",),
                  notes_when=True),
            s.fia,
        )
    return Def("the request comes from federal immigration authorities (ICE or DHS civil enforcement)", base, s.fia)


def civil_detainer(p: Params, s: Cites, *, similar_requests: bool) -> Def:
    """(a)(1): a detainer issued under 8 C.F.R. 287.7 is a civil immigration detainer by
    definition, whatever purpose the request states (only immigration officers issue one,
    287.7(b), and it asks to hold a person for arrest and removal). From 2014 (a)(1) also
    takes in a similar federal request to detain a person suspected of violating civil
    immigration law: for another federal agency's request the stated purpose decides."""
    form = Def(
        "a detainer issued under 8 C.F.R. 287.7 by federal immigration authorities (civil by definition, "
        "whatever purpose it states)",
        federal_immigration_requester(p, s),
        s.detainer,
    )
    if similar_requests:
        similar = Def(
            "a similar federal request to detain a person suspected of violating civil immigration law",
            Field("requester").eq("other_federal") & Field("purpose").eq("civil_immigration"),
            s.detainer,
        )
        return Def("a civil immigration detainer (8 C.F.R. 287.7 or a similar federal request)",
                   Field("kind").eq("detainer") & (form | similar), s.detainer)
    return Def("a civil immigration detainer issued under 8 C.F.R. 287.7", Field("kind").eq("detainer") & form,
               s.detainer)


def judicial_warrant_with_detainer(p: Params, s: Cites) -> Def:
    """(b)(1)(i): a federal judge's warrant presented with the detainer (E-8). Two readings a
    reform may choose, bound when the law runs: a warrant presented later also counts
    (``jw_later_satisfies``), an administrative warrant stands in (``administrative_warrant_suffices``)."""
    with_detainer = If(Param("jw_later_satisfies"), Field("judicial_warrant") | Field("has_jw_at"),
                       Field("judicial_warrant") & ~Field("has_jw_at"))
    with_detainer = with_detainer | (Param("administrative_warrant_suffices")
                                     & Field("administrative_warrant").isin({"I-200", "I-205"}))
    return Def(
        "a judicial warrant (Article III or magistrate judge) was presented with the detainer",
        with_detainer,
        s.judicial_warrant,
    )


# -- the violent-or-serious-crime list (2014 and later) -------------------------


def enumerated_keys(p: Params) -> frozenset[str]:
    """Subparagraph (i)'s list on the snapshot day, with any reform's changes."""
    keys = set(statutory_keys()) | {str(k) for k in p.vsc_additions}
    return frozenset(keys - {str(k) for k in p.vsc_removals})


def rule_added_keys(p: Params) -> frozenset[str]:
    """Offences added by DOC rule under (a)(7)(v), once the rule applies (register RULE)."""
    if p.doc_rule_offences_from is not None and p.day >= p.doc_rule_offences_from:
        return frozenset(rule_keys()) - {str(k) for k in p.vsc_removals}
    return frozenset()


def listed_offence(p: Params, s: Cites, keys: frozenset[str], var: str = "c", cite: str | None = None) -> Def:
    """On the list; entries limited to subdivisions need the record's subdivision (E-5)."""
    v = lambda f: Var(var, f)  # noqa: E731
    sections = frozenset(k for k in keys if "(" not in k)
    limited = frozenset(k.split("(")[0] for k in keys if "(" in k)
    unknown = Param("subdivision_unknown_counts") & v("full").eq(v("section"))  # E-5, bound when the law runs
    subdiv = Def(
        "the section is listed only for some subdivisions, and the record's subdivision is one of them",
        matches(var, frozenset(k for k in keys if "(" in k)) | unknown,
        cite or f"{s.vsc}(i)",
        notes=("E-5",),
    )
    return Def(
        "the offence is on the violent-or-serious list",
        v("section").isin(sections) | (v("section").isin(limited) & subdiv),
        cite or f"{s.vsc}(i)",
    )


HATE_CRIME_SECTION = "PL 485.05"
VTL_600 = "VTL 600"


def hate_crime(s: Cites) -> Expr:
    """(a)(7)(ii): a hate crime "as defined in" PL 485.05, marked on the record, or a record
    that names PL 485.05 itself (the section that designates a specified offence a hate
    crime; register X-485)."""
    return C("hate_crime") | Def(
        "the record names PL 485.05, the hate-crime designation",
        C("section").eq(HATE_CRIME_SECTION),
        f"{s.vsc}(ii)",
        notes=("X-485",),
        notes_when=True,
    )


def vsc_offence(p: Params, s: Cites) -> Def:
    """(a)(7)(i)-(v): a felony in a listed section, a felony hate crime, a felony
    inchoate form of a crime in (i), a VTL 600 felony, an offence added by DOC rule."""
    felony = C("level").eq("felony")
    enumerated = enumerated_keys(p)
    terms = [
        Def("a felony defined in a listed section", felony & C("inchoate").eq("none")
            & listed_offence(p, s, enumerated), f"{s.vsc}(i)"),
        Def("a felony hate crime (PL 485.05)", felony & hate_crime(s), f"{s.vsc}(ii)"),
        Def(
            "a felony attempt, conspiracy, solicitation or facilitation of a crime listed in (i)",
            C("inchoate").ne("none") & Def("the inchoate offence is a felony and its target is listed in (i)",
                                           felony & listed_offence(p, s, enumerated), f"{s.vsc}(iii)", notes=("E-6",)),
            f"{s.vsc}(iii)",
        ),
        Def("a felony under VTL 600", felony & C("section").eq(VTL_600), f"{s.vsc}(iv)"),
    ]
    added = rule_added_keys(p)
    if added:
        terms.append(Def(
            "a felony added to the list by DOC rule (39 RCNY § 2-01)",
            felony & C("inchoate").eq("none") & listed_offence(p, s, added, cite=f"{s.vsc}(v)"),
            f"{s.vsc}(v)",
            notes=("RULE",),
            notes_when=True,
        ))
    return Def("a violent or serious crime", any_of(*terms), s.vsc)


def vsc_judgment(p: Params, s: Cites) -> Def:
    """A CPL 1.20(15) judgment on a violent or serious crime, or an out-of-state or
    federal predicate felony equivalent to one (E-2, E-3)."""
    judgment = Def(
        "a judgment (conviction and sentence, CPL 1.20(15)) that is not a youthful-offender or juvenile adjudication",
        C("has_judgment") & ~C("youthful_offender") & ~C("juvenile_delinquent"),
        s.convicted,
        notes=("E-2",),
        notes_when=False,
    )
    ny = Def("a New York judgment on a violent or serious crime", C("ny") & vsc_offence(p, s), s.convicted)
    other = Def(
        "an out-of-state or federal conviction",
        ~C("ny")
        & Def(
            "a predicate felony (PL 70.06(1)(b)(i)) equivalent to a violent or serious crime",
            C("predicate_felony")
            & any_of(
                listed_offence(p, s, enumerated_keys(p) | rule_added_keys(p)),
                Def("equivalent to a felony hate crime", hate_crime(s), f"{s.vsc}(ii)"),
                Def("equivalent to a felony under VTL 600", C("section").eq(VTL_600), f"{s.vsc}(iv)"),
            ),
            s.convicted,
            notes=("E-3",),
        ),
        s.convicted,
    )
    return Def("convicted of a violent or serious crime", judgment & (ny | other), s.convicted)


def lookback_end(p: Params) -> Expr:
    """Judgment date + N calendar years + days incarcerated for a violent or serious
    crime between its commission (judgment if unknown) and the instant arrest. N is the
    parameter ``lookback_years``, bound when the law is run (a reform changing it keeps the
    rules and their compiled plans)."""
    start = If(C("has_offense"), C("offense_day"), C("judgment_day"))
    served = UnionDays("i", "incarcerations", Var("i", "for_vsc"), start, Field("arrest_day"))
    return AddYears(C("judgment_day"), Param("lookback_years")) + served


def recent(p: Params, s: Cites) -> Def:
    return Def(
        f"the judgment is within {int(p.lookback_years)} years of the instant arrest, extended by time served for it",
        lookback_end(p) > Field("arrest_day"),
        f"{s.convicted}(ii)",
        notes=("E-1",),
    )


def pending_vsc_charge(p: Params, s: Cites) -> Def:
    """Only under a reform counting pending charges (the February 2024 proposal)."""
    ch = lambda f: Var("ch", f)  # noqa: E731
    listed = listed_offence(p, s, enumerated_keys(p) | rule_added_keys(p), var="ch")
    open_case = Any("pc", "pending", Var("pc", "index").eq(ch("case")) & Var("pc", "disposition").eq("none"))
    return Def(
        "charged in a pending case with a violent or serious felony (reform: pending charges count)",
        Any("ch", "charges", ch("level").eq("felony") & listed & open_case),
        s.convicted,
        notes=("E-16",),
    )


def convicted_recent_vsc(p: Params, s: Cites) -> Def:
    conviction = Any("c", "convictions", vsc_judgment(p, s) & recent(p, s))
    # E-16: a pending charge counts only under a reform; read here, not bound at run: as a ``Param`` every
    # plan would read the charge lists, costing each baseline simulation about 9 % for one reform's gain
    if p.pending_charges_count:
        conviction = conviction | pending_vsc_charge(p, s)
    return Def("convicted of a violent or serious crime within the lookback period", conviction, s.convicted)


def convicted_vsc_ever(p: Params, s: Cites) -> Def:
    return Def(
        "a judgment on a violent or serious crime has ever been entered",
        Any("c", "convictions", vsc_judgment(p, s)),
        s.ever_vsc or s.convicted,
    )


def tsdb_match(s: Cites) -> Def:
    return flag("a possible match in the terrorist screening database", "terrorist_screening_match", s.tsdb)


# -- 2011 and 2013 definitions ------------------------------------------------

_2013_EXCLUDED_FULL = frozenset({"VTL 511(1)", "VTL 511(2)(a)(i)", "VTL 511(2)(a)(iv)"})


def pre2014_conviction(p: Params) -> Expr:
    """A final judgment of guilt on a misdemeanor or felony, not YO or JD (E-2). Whether a
    plea or verdict awaiting sentence is already a "final judgment of guilt" is a reading
    (register E-2a): counted by default, and reported when a decision meets one."""
    guilty = C("level").isin({"felony", "misdemeanor"}) & ~C("youthful_offender") & ~C("juvenile_delinquent")
    if p.pre2014_conviction_needs_sentence:
        return guilty & C("has_judgment")
    unsentenced = Def(
        "a plea or verdict not yet sentenced, counted as a final judgment of guilt",
        ~C("has_judgment"),
        "§ 9-131(a)(2)",
        notes=("E-2a",),
        notes_when=True,
    )
    return guilty & (C("has_judgment") | unsentenced)


def pre2014_judgment_day() -> Expr:
    return If(C("has_judgment"), C("judgment_day"), C("conviction_day"))


def convicted_2011(p: Params) -> Def:
    return Def(
        "convicted of a crime (a final judgment of guilt on a misdemeanor or felony in any US court; "
        "not a youthful-offender or juvenile adjudication)",
        Any("c", "convictions", pre2014_conviction(p)),
        "§ 9-131(a)(2)",
    )


def covered_crime(var: str, cite: str) -> Def:
    """(a)(3) of 2013: any misdemeanor or felony except PL 230.00, PL 240.37 (unless
    patronizing) and VTL 511(1), 511(2)(a)(i), (iv)."""
    v = lambda f: Var(var, f)  # noqa: E731
    excluded = (
        v("section").eq("PL 230.00")
        | (v("section").eq("PL 240.37") & ~v("patronizing"))
        | matches(var, _2013_EXCLUDED_FULL)
    )
    return Def(
        "a covered crime (a misdemeanor or felony other than the excluded prostitution and "
        "unlicensed-driving offences)",
        v("level").isin({"felony", "misdemeanor"}) & ~excluded,
        cite,
        notes=("X-2013",),
        notes_when=False,
    )


def convicted_covered_2013(p: Params, cite: str) -> Def:
    """(a)(2) of 2013: a covered-crime judgment, unless the person never had a felony
    judgment and no covered-misdemeanor judgment in the ten years before the arrest."""
    years = int(p.misdemeanor_lookback_years)
    guilty = pre2014_conviction(p)
    felony_ever = Def(
        "has a felony conviction (at any time)",
        Any("c", "convictions", guilty & C("level").eq("felony")),
        f"{cite}(ii)",
    )
    recent_misd = Def(
        f"has a covered-misdemeanor conviction within {years} years before the instant arrest",
        Any(
            "c",
            "convictions",
            guilty
            & C("level").eq("misdemeanor")
            & covered_crime("c", f"{cite.rsplit('(', 1)[0]}(3)")
            & (AddYears(pre2014_judgment_day(), Param("misdemeanor_lookback_years")) > Field("arrest_day")),
        ),
        f"{cite}(ii)",
    )
    any_covered = Any("c", "convictions", guilty & covered_crime("c", f"{cite.rsplit('(', 1)[0]}(3)"))
    return Def(
        "convicted of a covered crime",
        any_covered & (felony_ever | recent_misd),
        cite,
    )


def _open(pc: str = "pc") -> Expr:
    """Judgment not entered: not closed by ACD or conditional discharge; not Family Court."""
    return Var(pc, "disposition").eq("none") & ~Var(pc, "family_court")


def _charge_in(pc: str, pred: Expr) -> Expr:
    return Any("ch", "charges", Var("ch", "case").eq(Var(pc, "index")) & pred)


def pending_case_2011() -> Def:
    """(a)(5) of 2011: a misdemeanor or felony pending without judgment; ACD cases and
    cases whose highest charge is a violation or infraction are not pending."""
    return Def(
        "a defendant in a pending criminal case (a misdemeanor or felony charge, no judgment, not ACD)",
        Any("pc", "pending", _open() & _charge_in("pc", Var("ch", "level").isin({"felony", "misdemeanor"}))),
        "§ 9-131(a)(5)",
    )


def pending_covered_2013(cites: tuple[str, str]) -> Def:
    """(a)(4) covered criminal case and (a)(7) pending covered criminal case of 2013."""
    case_cite, pending_cite = cites
    ch = lambda f: Var("ch", f)  # noqa: E731
    not_170_70 = ~Var("pc", "released_cpl_170_70")
    covered_misd = ch("level").eq("misdemeanor") & any_of(
        ch("section").eq("PL 120.00") & not_170_70,
        ch("article").eq("PL 130"),
        ch("section").eq("PL 265.01") & ch("firearm_or_ammunition"),
        ch("section").eq("PL 215.50") & not_170_70,
        ch("article").eq("VTL art 31"),
    )
    covered_case = Def(
        "an open covered criminal case (a felony charge, or a listed misdemeanor charge)",
        Any("pc", "pending", _open() & _charge_in("pc", ch("level").eq("felony") | covered_misd)),
        f"{pending_cite}(i), {case_cite}",
    )
    several = Def(
        "a defendant in more than one open case charging a covered crime",
        Count("pc", "pending", _open() & _charge_in("pc", covered_crime("ch", case_cite.rsplit("(", 1)[0] + "(3)")))
        >= 2,
        f"{pending_cite}(ii)",
    )
    return Def(
        "a defendant in a pending covered criminal case",
        ~Field("mandatory_youthful_offender") & (covered_case | several),
        pending_cite,
    )


# -- NYPD window ----------------------------------------------------------------


def detainer_hold_end(p: Params) -> Expr:
    """8 C.F.R. 287.7(d): a detainer asks to hold a person no longer than 48 hours, not
    counting Saturdays, Sundays and holidays, after the time the person would otherwise be
    released (the decision time, as for the NYPD window, register E-9)."""
    return CountingHoursEnd(Field("decided_minute"), Param("detainer_hold_hours"), Param("detainer_holiday_calendar"))


def nypd_window_end(p: Params) -> Expr:
    return CountingHoursEnd(Field("decided_minute"), Param("nypd_hold_hours"), Param("nypd_holiday_calendar"))


"""NYC Admin. Code § 10-178: immigration enforcement (LL 228/2017, from 2018-01-30;
definitions broadened by LL 63/2026).

(b) No agency may place its officers or employees under the direction and supervision of the
Secretary of Homeland Security (LL 63/2026: or of the head of any non-local law enforcement
agency) primarily in furtherance of immigration enforcement: 287(g)-type agreements.
(c) No city resources, on-duty time or property may be used for immigration enforcement
(civil enforcement and the presence, entry and re-entry offences; a civil arrest at court made
or assisted for ICE among them). (e)
saves actions consistent with §§ 9-131, 9-205 and 14-154, cooperation not primarily
for immigration enforcement, and compliance with federal law (register E-14).
"""

from __future__ import annotations

from detainerlaw.engine.expr import Expr, Field, any_of
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, PermittedBy, Rule, When
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.enactments import LL63_2026, LL228_2017
from detainerlaw.laws.nyc.patterns import successive

S = "NYC Admin. Code § 10-178"
VERSIONS = successive(LL228_2017, LL63_2026)
ACTIONS = ("hold", "notify_release", "share_information", "office", "facility_access", "honor_criminal_warrant",
           "courthouse_civil_arrest")
SECTION_RULES = ("nyc.9-131.", "nyc.14-154.", "nyc.9-205.")


# The federal offence a criminal-immigration request enforces (Request.immigration_offence;
# absent, the INA presence, entry and re-entry offences, which every version reaches).
OFFENCE_FACT = "immigration_offence"
OFFENCES_2017 = frozenset({"presence_entry_reentry"})


def _detainer(p: Params) -> D.Def:
    return D.Def(
        "a detainer from federal immigration authorities (a request to hold for arrest and removal under the "
        "civil provisions of the Immigration and Nationality Act, whatever purpose it states)",
        Field("kind").eq("detainer") & D.federal_immigration_requester(p, D.DOC),
        f"{S}(a)",
    )


def immigration_enforcement(p: Params, source: str) -> D.Def:
    """(a) "immigration enforcement", per enacting law.

    LL 228/2017: "any civil provision" of the INA and any INA provision penalizing a
    person's presence in, entry into or re-entry into the United States.
    LL 63/2026: also any federal law (50 U.S.C. ch. 3, 19 U.S.C. § 1459 named) penalizing
    being found in, presence, "failure to depart", entry or re-entry; any federal law on the
    INA's registration, travel-document or supervision requirements; and any law used "as
    a proxy" for such enforcement. Which of these a criminal-immigration request enforces is
    ``Request.immigration_offence`` (absent: presence, entry or re-entry).
    """
    civil = Field("purpose").eq("civil_immigration") | _detainer(p)
    criminal = Field("purpose").eq("criminal_immigration")
    if source == "LL 228/2017":
        offence = D.Def(
            "the federal offence is one of the INA's presence, entry or re-entry offences",
            Field(OFFENCE_FACT).isin(OFFENCES_2017),
            f"{S}(a) (LL 228/2017)",
        )
        return D.Def(
            "the request seeks help with immigration enforcement (the INA's civil provisions, or its presence, "
            "entry or re-entry offences)",
            civil | (criminal & offence),
            f"{S}(a) (LL 228/2017)",
        )
    return D.Def(
        "the request seeks help with immigration enforcement (the INA's civil provisions; any federal presence, "
        "departure, entry or re-entry offence; registration, travel-document or supervision offences; proxies)",
        civil | criminal,
        f"{S}(a) (LL 63/2026)",
    )


def doc_answer_open_only_under_h1_ii(p: Params) -> D.Def:
    """A DOC answer to federal immigration authorities that § 9-131(h)(1) leaves open only
    as "unrelated to the enforcement of civil immigration laws": it serves criminal
    immigration enforcement, and no other (h)(1) ground applies (register E-14)."""
    from detainerlaw.laws.nyc.s9_131 import H1_II, h1_exceptions

    others = [w.condition for w in h1_exceptions(p) if w.cite != H1_II]
    return D.Def(
        "a DOC answer for criminal immigration enforcement that § 9-131(h)(1) leaves open only under (h)(1)(ii)",
        Field("agency").eq("doc")
        & Field("kind").eq("information")
        & Field("purpose").eq("criminal_immigration")
        & ~any_of(*others),
        H1_II,
        notes=("E-14",),
        notes_when=True,
    )


def section_would_honor(p: Params) -> D.Def:
    """The person is one whose detainer the section governing the agency lets it honor:
    § 14-154(b)(1) or the (b)(2) hold for the NYPD, § 9-205(b) for Probation (register E-13b)."""
    from detainerlaw.laws.nyc.s9_131 import b1
    from detainerlaw.laws.nyc.s14_154 import b2_basis

    nypd = Field("agency").eq("nypd") & (b1(p, D.NYPD) | b2_basis(p))
    dop = Field("agency").eq("dop") & b1(p, D.DOP)
    return D.Def(
        "the NYPD (§ 14-154(b)) or Probation (§ 9-205(b)) could honor a detainer for the person",
        Field("kind").eq("information") & (nypd | dop),
        f"{S}(e)(ii)",
    )


def rules(p: Params) -> list[Rule]:
    """(c) and its savings in (e); the readings §§ 10-178 leaves open are register entries
    E-13a (status information), E-13b (answers about people the NYPD or Probation could hold)
    and E-14 (DOC answers open under § 9-131(h)(1)(ii))."""
    status = Field("kind").eq("information") & Field("information").eq("immigration_status")
    carveout = bool(p.city_resources_status_carveout)
    saved_by_section = PermittedBy(SECTION_RULES, "permitted by the section governing the agency")
    if not p.doc_criminal_immigration_answers_saved:
        saved_by_section = saved_by_section & ~doc_answer_open_only_under_h1_ii(p)
    would_honor = section_would_honor(p)
    exceptions = [
        When(
            "an action consistent with § 9-131, § 9-205 or § 14-154",
            f"{S}(e)(ii)",
            saved_by_section,
            PERMITTED,
            notes=("E-14",),
        ),
        When(
            "part of a cooperative arrangement not primarily intended to further immigration enforcement",
            f"{S}(e)(i)",
            D.flag("a cooperative arrangement not primarily for immigration enforcement", "cooperative_arrangement"),
            PERMITTED,
        ),
        When(
            "complying with federal law (the response is required by law)",
            f"{S}(e) (complying with federal law)",
            D.flag("otherwise required by law", "required_by_law"),
            PERMITTED,
        ),
        When(
            "access under a judicial warrant (complying with federal law)",
            f"{S}(e) (complying with federal law)",
            Field("kind").eq("facility_access") & Field("judicial_warrant"),
            PERMITTED,
            notes=("X-ACCESS",),
        ),
    ]
    if p.city_answers_follow_section_hold:
        exceptions.append(
            When(
                "an answer about a person whose detainer the agency could honor, consistent with § 14-154 or § 9-205",
                f"{S}(e)(ii)",
                would_honor,
                PERMITTED,
                notes=("E-13b",),
            )
        )
    # Register codes reported when the reading decided the case (asked silently: the question
    # itself walks no path, so it reports none of the notes of the definitions it reads).
    note_if: list[tuple[str, Expr]] = [] if carveout else [("E-13a", status)]
    if not p.city_answers_follow_section_hold:
        note_if.append(("E-13b", D.silent(would_honor)))
    out = []
    for start, end, source in VERSIONS:
        enforcement = immigration_enforcement(p, source)
        if carveout:
            out.append(
                Rule(
                    id=f"nyc.10-178.status.{start.year}",
                    title="Citizenship and immigration-status information is outside the city's restrictions",
                    cite=f"{S}(e) (complying with federal law)",
                    source=source,
                    agencies=("nypd", "dop"),
                    actions=("share_information",),
                    start=start,
                    end=end,
                    applies=enforcement & status,
                    default=NOT_GOVERNED,
                    default_label="federal law (8 U.S.C. § 1373) bars restricting it; § 10-178(e) yields to it",
                    notes=("E-13", "E-13a"),
                )
            )
        out.append(
            Rule(
                id=f"nyc.10-178.c.{start.year}",
                title="No city resources for immigration enforcement",
                cite=f"{S}(c)",
                source=source,
                agencies=("doc", "nypd", "dop"),
                actions=ACTIONS,
                start=start,
                end=end,
                applies=enforcement & ~status if carveout else enforcement,
                applies_label="a request for help with immigration enforcement",
                default_label="no saving clause of § 10-178(e) applies",
                default_conditions=("do not use city time, resources or property for it",),
                exceptions=tuple(exceptions),
                note_if=tuple(note_if),
            )
        )
    return [*out, *agreement_rules(p)]


def agreement_rules(p: Params) -> list[Rule]:
    """(b): no agency staff under federal immigration direction, per enacting law. LL 228/2017
    names the Secretary of Homeland Security (a request of federal immigration authorities);
    LL 63/2026 adds the head of any non-local law enforcement agency (any federal requester, or
    a state or other local one), with its broader "immigration enforcement"."""
    out = []
    for start, end, source in VERSIONS:
        head = (Field("requester").eq("federal_immigration") if source == "LL 228/2017"
                else Field("requester").isin({"federal_immigration", "other_federal", "state_or_local"}))
        who = ("the Secretary of Homeland Security" if source == "LL 228/2017"
               else "the Secretary of Homeland Security or the head of a non-local law enforcement agency")
        out.append(Rule(
            id=f"nyc.10-178.b.{start.year}",
            title="No agency staff placed under federal immigration direction (287(g)-type agreements)",
            cite=f"{S}(b)",
            source=source,
            agencies=("doc", "nypd", "dop"),
            actions=("agreement_287g",),
            start=start,
            end=end,
            applies=D.Def(f"an agreement placing agency staff under the direction and supervision of {who} primarily "
                          "in furtherance of immigration enforcement",
                          Field("kind").eq("agreement_287g") & head & immigration_enforcement(p, source),
                          f"{S}(b) ({source})"),
            applies_label="a 287(g)-type agreement for immigration enforcement",
            default=PROHIBITED,
            default_label="the city's staff may not be placed under that direction",
            default_conditions=("do not enter the agreement or assign staff under it",),
        ))
    return out

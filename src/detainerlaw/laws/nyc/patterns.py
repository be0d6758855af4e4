"""The legal patterns the city's detainer sections share, named as the statutes phrase them.

- "shall not honor ... unless shown" (``not_honored_unless_shown``): the 2011 and 2013 design of
  §§ 9-131(b) and 14-154(b). Honoring a detainer is barred; it is allowed when the records search
  (or a court, or ICE, as the version says) shows any one of the listed circumstances.
- "may only honor ... if" (``honored_only_if``): the 2014 design of §§ 9-131(b)(1), 14-154(b)(1)
  and 9-205(b). Honoring is allowed only when every condition of the test is met.
- a federal criminal warrant is not a civil immigration detainer (``criminal_warrant_not_a_detainer``):
  subdivision (a)(1) of each section (register E-17);
- cooperation "when required under federal law" stays allowed (``required_under_federal_law``):
  subdivision (d) of each section (register D-FED).

A section's module calls these with its own citations and enactments, so a reader of § 9-131
sees the words of § 9-131 and one call to the pattern its subdivision follows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from detainerlaw.engine.expr import Expr, Field, Var
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.enactments import Enactment

RELEASE_ON_TIME = (
    "release the person when otherwise due (only reasonable time for the records search is allowed)",
    "do not notify federal immigration authorities of the release",
)

# A permitted hold lasts only as long as the detainer asks (8 C.F.R. 287.7(d), register E-9c).
CFR_287_7_D = "8 C.F.R. 287.7(d)"

# (start, end, enacting law): one Rule object per amendment, so a decision names the law in force.
Span = tuple[dt.date, dt.date | None, str]
Versions = Iterable[Span]


def successive(*laws: Enactment, first_from: dt.date | None = None) -> tuple[Span, ...]:
    """The spans in which each of ``laws`` is the one in force: from its effective date until the next
    law's (``first_from``: when the first law's part in question took effect later than the rest)."""
    starts = [first_from or laws[0].in_force, *(law.in_force for law in laws[1:])]
    ends: list[dt.date | None] = [*starts[1:], None]
    return tuple((start, end, str(law)) for start, end, law in zip(starts, ends, laws, strict=True))


def hold_limit(p: Params) -> dict:
    """What a permitted hold must still respect: the detainer's own limit of 48 hours, not
    counting Saturdays, Sundays and holidays, after the person would otherwise be released.
    Data contract v2 reserves ``until`` for the NYPD window, so by default the limit is a
    condition; ``detainer_hold_limit_as_until`` reports its end as ``until`` (filled in
    "{until}")."""
    hours = int(p.detainer_hold_hours)
    if p.detainer_hold_limit_as_until:
        return dict(
            notes=("E-9c",),
            until=D.detainer_hold_end(p),
            conditions=(
                "release the person at {until} unless federal immigration authorities have taken custody by then "
                f"(8 C.F.R. 287.7(d): at most {hours} hours, excluding Saturdays, Sundays and holidays)",
            ),
        )
    return dict(
        notes=("E-9c",),
        conditions=(
            f"hold no longer than {hours} hours, excluding Saturdays, Sundays and holidays, after the person would "
            "otherwise be released (8 C.F.R. 287.7(d))",
        ),
    )


def register_notes(start: dt.date) -> tuple[tuple[str, Expr], ...]:
    """Register codes a 2014-design decision depends on, and when: open cases (E-16), a
    warrant presented after the detainer (E-8), several convictions (E-4), an instant
    arrest before this version took effect (E-19)."""
    return (
        ("E-16", D.Any("pc", "pending", Var("pc", "disposition").eq("none"))),
        ("E-8", Field("has_jw_at")),
        ("E-4", D.Count("c", "convictions", D.C("has_judgment")) >= 2),
        ("E-19", Field("has_arrest") & (Field("arrest_day") < start.toordinal())),
    )


# -- subdivision (a)(1): what a civil immigration detainer is ----------------------------------


def criminal_warrant_not_a_detainer(section: str, cite: str, agency: str, versions: Versions) -> list[Rule]:
    """A federal criminal warrant is not a civil immigration detainer: the section's
    (a)(1) definition leaves honoring one outside its scope (register E-17)."""
    return [
        Rule(
            id=f"nyc.{section}.criminal.{start.year}",
            title="A federal criminal warrant is not a civil immigration detainer",
            cite=cite,
            source=source,
            agencies=(agency,),
            actions=("honor_criminal_warrant",),
            start=start,
            end=end,
            applies=Field("kind").eq("criminal_warrant"),
            default=NOT_GOVERNED,
            default_label=f"§ {section} regulates civil immigration detainers only",
            notes=("E-17",),
        )
        for start, end, source in versions
    ]


# -- "shall not honor ... unless shown" (2011, 2013) ---------------------------------------------


def not_honored_unless_shown(
    p: Params,
    s: D.Cites,
    *,
    rule_id: str,
    title: str,
    agency: str,
    version: Span,
    convicted: tuple[str, Expr],
    pending: tuple[str, Expr],
    also_cite: tuple[str, ...],
    sources: tuple[frozenset[str], frozenset[str]],
) -> list[Rule]:
    """(b)(1): the agency "shall not honor" a civil immigration detainer by holding the person
    past release (beyond time for the search) or by notifying ICE of the release. (b)(2): that
    does not apply when any one of these is shown (the 2013 NYPD text: "any of the following"):

    (i)  the search (2013: or a court) shows the person (A) convicted, (B) a defendant in a
         pending case, (C) with an outstanding criminal warrant, (D) a known gang member
         in NCIC, or (E) a possible terrorist-list match;
    (ii) the search shows, or ICE has informed the agency, that the person (A) has an
         outstanding warrant of removal or (B) is or was subject to a final order of removal.

    ``sources`` says who may show each: (i) the records search (2013: or a court), (ii) the
    search or ICE (register E-12). The version's own terms come in ``convicted`` and ``pending``.
    """
    start, end, source = version
    b2 = s.code("(b)(2)")
    by_i, by_ii = sources
    circumstances = (
        (convicted[0], "(i)(A)", convicted[1]),
        (pending[0], "(i)(B)", pending[1]),
        ("an outstanding criminal warrant", "(i)(C)",
         D.shown("an outstanding criminal warrant", "outstanding_criminal_warrant", by_i)),
        ("a known gang member in the NCIC database", "(i)(D)",
         D.shown("a known gang member in the NCIC database", "gang_database_match", by_i)),
        ("a possible match in the terrorist screening database", "(i)(E)",
         D.shown("a possible match in the terrorist screening database", "terrorist_screening_match", by_i)),
        ("an outstanding warrant of removal (8 C.F.R. 241.2)", "(ii)(A)",
         D.shown("an outstanding warrant of removal (8 C.F.R. 241.2)", "removal_warrant_outstanding", by_ii)),
        ("is or was subject to a final order of removal (8 C.F.R. 1241.1)", "(ii)(B)",
         D.shown("is or was subject to a final order of removal (8 C.F.R. 1241.1)", "final_order_of_removal", by_ii)),
    )

    def shown(hold: bool) -> tuple[When, ...]:
        # a permitted hold lasts only as long as the detainer asks (8 C.F.R. 287.7(d))
        limit = dict(hold_limit(p), also_cite=(CFR_287_7_D,)) if hold else {}
        return (*(When(label, f"{b2}{cite}", cond, PERMITTED, **limit) for label, cite, cond in circumstances),
                required_under_federal_law(s.section))

    return [
        Rule(
            id=rule_id if hold else f"{rule_id}.notify",
            title=title,
            cite=s.code("(b)(1)"),
            source=source,
            agencies=(agency,),
            actions=("hold",) if hold else ("notify_release",),
            start=start,
            end=end,
            applies=D.civil_detainer(p, s, similar_requests=False),
            applies_label="a civil immigration detainer",
            default_label="none of the circumstances of (b)(2) is shown",
            default_conditions=RELEASE_ON_TIME[:1] if hold else RELEASE_ON_TIME[1:],
            exceptions=shown(hold),
            also_cite=also_cite,
        )
        for hold in (True, False)
    ]


# -- "may only honor ... if" (2014 and later) ---------------------------------------------------


def honored_only_if(
    p: Params,
    s: D.Cites,
    test: Expr,
    *,
    rule_id: str,
    title: str,
    cite: str,
    agency: str,
    actions: tuple[str, ...],
    versions: Versions,
    notes: tuple[str, ...] = (),
) -> list[Rule]:
    """The agency "may only honor" a civil immigration detainer (by holding the person, and where
    the section says so by notifying ICE of the release) "if" ``test`` is met: otherwise it releases
    the person on time and gives no notice. One Rule per action and amending law. A permitted hold
    lasts only as long as the detainer asks (8 C.F.R. 287.7(d))."""

    def honor(action: str) -> When:
        hold = action == "hold"
        return When(
            "a judicial warrant came with the detainer and the person has a recent violent-or-serious "
            "conviction or is a possible terrorist-list match",
            cite,
            test,
            PERMITTED,
            **(hold_limit(p) if hold else {}),
            also_cite=(s.convicted, s.judicial_warrant, *((CFR_287_7_D,) if hold else ())),
        )

    return [
        Rule(
            id=f"{rule_id}.{start.year}" if action == "hold" else f"{rule_id}.notify.{start.year}",
            title=title,
            cite=cite,
            source=source,
            agencies=(agency,),
            actions=(action,),
            start=start,
            end=end,
            applies=D.civil_detainer(p, s, similar_requests=True),
            applies_label="a civil immigration detainer (or similar federal request)",
            default_label="the conditions of (b)(1) are not both met",
            default_conditions=RELEASE_ON_TIME[:1] if action == "hold" else RELEASE_ON_TIME[1:],
            exceptions=(honor(action), required_under_federal_law(s.section)),
            also_cite=(s.judicial_warrant, s.convicted),
            note_if=register_notes(start),
            notes=notes,
        )
        for start, end, source in versions
        for action in actions
    ]


# -- subdivision (d): cooperation required under federal law --------------------------------------


def required_under_federal_law(section: str, *, rank: int = 1) -> When:
    """(d) of §§ 9-131 (from LL 62/2011) and 14-154 (from LL 21/2013): nothing in the
    section bars a city agency from "cooperating with federal immigration authorities when
    required under federal law". § 9-205(d) has only the general clause (no power, duty or
    obligation "in conflict with any applicable law"), read to the same effect. The flag
    ``request.required_by_law`` is the duty (register D-FED)."""
    cite = f"NYC Admin. Code {section}(d)"
    label = (
        "the section may not be applied to create a duty in conflict with applicable law (cooperation is "
        "required by law)"
        if section == "§ 9-205"
        else "cooperating with federal immigration authorities is required under federal law"
    )
    return When(
        label,
        cite,
        D.Def(label, Field("required_by_law").eq(True), cite, notes=("D-FED",), notes_when=True),
        PERMITTED,
        rank=rank,
    )

"""Pieces shared by the sections' versions: the release conditions, the version
triples that split a rule at later amendments, and the register notes of the 2014
design."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from detainerlaw.engine.expr import Expr, Field, Var
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D

RELEASE_ON_TIME = (
    "release the person when otherwise due (only reasonable time for the records search is allowed)",
    "do not notify federal immigration authorities of the release",
)

# A permitted hold lasts only as long as the detainer asks (8 C.F.R. 287.7(d), register E-9c).
CFR_287_7_D = "8 C.F.R. 287.7(d)"


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


# (start, end, enacting law): one Rule object per amendment, so a decision names the law in force.
Versions = Iterable[tuple[dt.date, dt.date | None, str]]


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


def criminal_warrants_outside(section: str, cite: str, agency: str, versions: Versions) -> list[Rule]:
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

"""Pieces shared by the sections' versions: the 2014 detainer rule that §§ 9-131,
14-154 and 9-205 share, and helpers for splitting a rule at later amendments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from detainerlaw.engine.expr import Expr, Field, Var
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D

RELEASE_ON_TIME = (
    "release the person when otherwise due (only reasonable time for the records search is allowed)",
    "do not notify federal immigration authorities of the release",
)

# (start, end, enacting law): one Rule object per amendment, so a decision names the law in force.
Versions = Iterable[tuple[dt.date, dt.date | None, str]]


def b1_condition(p: Params, s: D.Cites) -> Expr:
    """(b)(1)(i) judicial warrant and (b)(1)(ii) recent VSC or terrorist-list match."""
    danger = D.Def(
        "the search or a court or other governmental entity shows a recent violent-or-serious conviction "
        "or a possible terrorist-list match",
        D.convicted_recent_vsc(p, s) | D.tsdb_match(s),
        s.b1_danger,
    )
    if not p.judicial_warrant_required:
        return danger
    return D.judicial_warrant_with_detainer(p, s) & danger


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


def detainer_versions_2014(
    p: Params,
    s: D.Cites,
    *,
    rule_id: str,
    title: str,
    cite: str,
    agency: str,
    actions: tuple[str, ...],
    versions: Versions,
    notes: tuple[str, ...] = (),
) -> list[Rule]:
    """The LL 58/2014 design: honoring is prohibited unless (b)(1) is met."""
    out = []
    for start, end, source in versions:
        out.append(
            Rule(
                id=f"{rule_id}.{start.year}",
                title=title,
                cite=cite,
                source=source,
                agencies=(agency,),
                actions=actions,
                start=start,
                end=end,
                applies=D.civil_detainer(p, s, similar_requests=True),
                applies_label="a civil immigration detainer (or similar federal request)",
                default_label="the conditions of (b)(1) are not both met",
                default_conditions=RELEASE_ON_TIME if "notify_release" in actions else RELEASE_ON_TIME[:1],
                exceptions=(
                    When(
                        "a judicial warrant came with the detainer and the person has a recent violent-or-serious "
                        "conviction or is a possible terrorist-list match",
                        cite,
                        b1_condition(p, s),
                        PERMITTED,
                        also_cite=(s.convicted, s.judicial_warrant),
                    ),
                ),
                also_cite=(s.judicial_warrant, s.convicted),
                note_if=register_notes(start),
                notes=notes,
            )
        )
    return out

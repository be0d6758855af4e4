"""NYC Admin. Code § 9-205: persons not to be detained by the Department of Probation.

LL 226/2017 (from 2017-12-01): Probation may honor a detainer by holding a person
only with a judicial warrant presented with it and a recent violent-or-serious
judgment or terrorist-list match; the terms are those of § 9-131(a). The section
says nothing of notifying ICE of a release: a Probation detainer engages the notice as
every detainer does, but only § 10-178 (from 2018-01-30) governs it (register DOP-1).
"""

from __future__ import annotations

from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, Rule
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.enactments import LL63_2026, LL226_2017
from detainerlaw.laws.nyc.patterns import criminal_warrant_not_a_detainer, honored_only_if, successive
from detainerlaw.laws.nyc.s9_131 import b1

S = "NYC Admin. Code § 9-205"
VERSIONS = successive(LL226_2017, LL63_2026)


def criminal_warrants(p: Params) -> list[Rule]:
    """(a): every term "shall have the same meaning" as in § 9-131(a), so a "civil immigration
    detainer" is one issued under 8 C.F.R. 287.7 or a similar civil request; a federal criminal
    warrant is neither."""
    return criminal_warrant_not_a_detainer("9-205", f"{S}(a)", "dop", successive(LL226_2017))


def hold(p: Params) -> list[Rule]:
    """(b): the department "may only honor a civil immigration detainer by holding a person if"
    (1) ICE presents a judicial warrant with the detainer and (2) the search, a court or any other
    governmental entity shows a violent-or-serious conviction or a possible terrorist-list match:
    § 9-131(b)(1)'s test in this section's citations."""
    return honored_only_if(
        p,
        D.DOP,
        b1(p, D.DOP),
        rule_id="nyc.9-205.b",
        title="Probation may hold a person on a detainer only with a judicial warrant and a recent "
        "violent or serious conviction or terrorist-list match",
        cite=f"{S}(b)",
        agency="dop",
        actions=("hold",),
        versions=VERSIONS,
    )


def notify(p: Params) -> list[Rule]:
    """(b) speaks only of honoring a detainer "by holding a person": a release notice is not
    governed by this section (register DOP-1)."""
    return [
        Rule(
            id=f"nyc.9-205.notify.{start.year}",
            title="§ 9-205 does not regulate notifying federal immigration authorities of a release",
            cite=f"{S}(b)",
            source=source,
            agencies=("dop",),
            actions=("notify_release",),
            start=start,
            end=end,
            applies=D.civil_detainer(p, D.DOP, similar_requests=True),
            default=NOT_GOVERNED,
            default_label="§ 9-205(b) speaks only of honoring a detainer by holding a person",
            notes=("DOP-1",),
        )
        for start, end, source in VERSIONS
    ]


def rules(p: Params) -> list[Rule]:
    return [*hold(p), *notify(p), *criminal_warrants(p)]

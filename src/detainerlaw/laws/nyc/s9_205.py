"""NYC Admin. Code § 9-205: persons not to be detained by the Department of Probation.

LL 226/2017 (from 2017-12-01): Probation may honor a detainer by holding a person
only with a judicial warrant presented with it and a recent violent-or-serious
judgment or terrorist-list match; the terms are those of § 9-131(a). The section
says nothing of notifying ICE of a release: a Probation detainer engages the notice as
every detainer does, but only § 10-178 (from 2018-01-30) governs it (register DOP-1).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, Rule
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.s9_131 import honor_only_under_b1
from detainerlaw.laws.nyc.versions import criminal_warrants_outside

S = "NYC Admin. Code § 9-205"
LL226_2017 = dt.date(2017, 12, 1)
LL63_2026 = dt.date(2026, 1, 29)


def rules(p: Params) -> list[Rule]:
    return [
        *honor_only_under_b1(
            p,
            D.DOP,
            rule_id="nyc.9-205.b",
            title="Probation may hold a person on a detainer only with a judicial warrant and a recent "
            "violent or serious conviction or terrorist-list match",
            cite=f"{S}(b)",
            agency="dop",
            actions=("hold",),
            versions=((LL226_2017, LL63_2026, "LL 226/2017"), (LL63_2026, None, "LL 63/2026")),
        ),
        *[
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
            for start, end, source in ((LL226_2017, LL63_2026, "LL 226/2017"), (LL63_2026, None, "LL 63/2026"))
        ],
        *criminal_warrants_outside("9-205", f"{S}(a)", "dop", ((LL226_2017, None, "LL 226/2017"),)),
    ]

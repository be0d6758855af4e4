"""NYC Admin. Code § 4-210: access to non-public areas of city property (LL 246/2017,
from 2018-04-16).

The city may not knowingly let non-local enforcement personnel into non-public areas
unless access is under an agreement, a judicial warrant (here including a state
court's, and one authorizing entry or search), a legal requirement, a cooperative
arrangement, or exigent circumstances (the agency-mission ground is not modelled).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D

S = "NYC Admin. Code § 4-210"
LL246_2017 = dt.date(2018, 4, 16)


def rules(p: Params) -> list[Rule]:
    grounds = (
        ("authorized by an agreement, contract or subcontract", "agreement", " (ground 1)"),
        ("a judicial warrant is presented", "judicial_warrant", " (ground 2)"),
        ("access is otherwise required by law", "required_by_law", " (ground 3)"),
        ("part of a cooperative arrangement with city, state or federal agencies", "cooperative_arrangement",
         " (ground 4)"),
        ("exigent circumstances", "exigent_circumstances", " (ground 6)"),
    )
    return [
        Rule(
            id="nyc.4-210",
            title="No access to non-public areas of city property for non-local enforcement personnel",
            cite=S,
            source="LL 246/2017",
            agencies=("doc", "nypd", "dop"),
            actions=("facility_access",),
            start=LL246_2017,
            applies=Field("kind").eq("facility_access"),
            applies_label="a request for access to a non-public area",
            default_label="none of the grounds of § 4-210 applies",
            default_conditions=("do not admit them to non-public areas",),
            exceptions=tuple(
                When(label, f"{S}{sub}", D.flag(label, field), PERMITTED) for label, field, sub in grounds
            ),
        )
    ]

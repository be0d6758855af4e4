"""NYC Admin. Code § 4-210: access to non-public areas of city property (LL 246/2017,
from 2018-04-16).

(b) The city may not knowingly let governmental enforcement personnel, other than
personnel of the city, the Department of Education or a local public benefit
corporation or authority, into non-public areas of city property unless (1) an
agreement authorizes it, (2) they present a judicial warrant (under (a), a federal or
New York State court's warrant, including one for entry or search), (3) it is
otherwise required by law, (4) it is part of a cooperative arrangement, (5) it
furthers a city agency's purpose or mission, or (6) exigent circumstances exist.
"""

from __future__ import annotations

from detainerlaw.engine.expr import Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.enactments import LL246_2017

S = "NYC Admin. Code § 4-210"


def rules(p: Params) -> list[Rule]:
    """(b): the city "shall not" knowingly let non-local enforcement personnel into non-public areas of
    city property unless one of the grounds of (b)(1)-(6) applies."""
    grounds = (
        ("authorized by an agreement, contract or subcontract", Field("agreement"), "(b)(1)"),
        (
            "a judicial warrant is presented (a federal or New York State court's, including for entry or search)",
            Field("judicial_warrant") | Field("access_warrant"),
            "(b)(2)",
        ),
        ("access is otherwise required by law", Field("required_by_law"), "(b)(3)"),
        ("part of a cooperative arrangement with city, state or federal agencies",
         Field("cooperative_arrangement"), "(b)(4)"),
        ("access furthers the purpose or mission of a city agency", Field("furthers_agency_mission"), "(b)(5)"),
        ("exigent circumstances", Field("exigent_circumstances"), "(b)(6)"),
    )
    return [
        Rule(
            id="nyc.4-210",
            title="No access to non-public areas of city property for non-local enforcement personnel",
            cite=f"{S}(b)",
            source=str(LL246_2017),
            agencies=("doc", "nypd", "dop"),
            actions=("facility_access",),
            start=LL246_2017.in_force,
            applies=Field("kind").eq("facility_access"),
            applies_label="a request by non-city enforcement personnel for access to a non-public area",
            default_label="none of the grounds of § 4-210(b)(1)-(6) applies",
            default_conditions=("do not admit them to non-public areas",),
            exceptions=tuple(
                When(label, f"{S}{sub}", D.Def(label, cond, f"{S}{sub}"), PERMITTED) for label, cond, sub in grounds
            ),
            also_cite=(f"{S}(a)",),
        )
    ]

"""Executive Orders 170 (2017-09-15; 9 NYCRR 8.170) and 170.1 (2018-04-25): state agencies only.

EO 170: state officers and employees may not disclose information to federal immigration
authorities for federal civil immigration enforcement unless required by law. EO 170.1:
federal civil immigration arrests in buildings owned or leased by a state entity under the
Governor need a warrant or order issued by a judge. Both bind agencies under the Governor's
executive authority (``STATE_AGENCIES``); a city or county agency is outside them, so for
New York City's agencies no rule here ever engages (register NY-EO170). Only the recitals,
definitions and press summaries were read: the operative paragraphs are unverified.
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import STATE_AGENCIES

EO_170 = dt.date(2017, 9, 15)
EO_170_1 = dt.date(2018, 4, 25)
CITE_170 = "N.Y. Executive Order No. 170 (2017), 9 NYCRR 8.170"
CITE_170_1 = "N.Y. Executive Order No. 170.1 (2018)"


def _civil_request(kind: str) -> Def:
    return Def(
        f"federal immigration authorities ask ({kind.replace('_', ' ')}) for civil immigration enforcement",
        Field("kind").eq(kind) & Field("requester").eq("federal_immigration") & Field("purpose").eq(
            "civil_immigration"),
    )


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    state = tuple(a for a in STATE_AGENCIES if a in agencies)
    if not state:
        return []
    return [
        Rule(
            id="ny.eo170.disclose",
            title="A state agency may not disclose information for federal civil immigration enforcement unless "
            "required by law",
            cite=CITE_170,
            source="EO 170 (2017)",
            agencies=state,
            actions=("share_information",),
            start=EO_170,
            applies=_civil_request("information"),
            default=PROHIBITED,
            exceptions=(When("disclosure is required by law", CITE_170,
                             Def("the response is required by law", Field("required_by_law").eq(True), CITE_170),
                             PERMITTED),),
            notes=("NY-EO170",),
        ),
        Rule(
            id="ny.eo170-1.facility",
            title="Federal civil immigration enforcement in a state facility needs a judge's warrant or order",
            cite=CITE_170_1,
            source="EO 170.1 (2018)",
            agencies=state,
            actions=("facility_access",),
            start=EO_170_1,
            applies=_civil_request("facility_access"),
            default=PROHIBITED,
            exceptions=(When("a judge's warrant or order authorizes it", CITE_170_1,
                             Def("a warrant or order signed by a judge", Field("access_warrant").eq(True), CITE_170_1),
                             PERMITTED),),
            notes=("NY-EO170",),
        ),
    ]

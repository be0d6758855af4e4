"""Executive Order 13 of 2026 (Mayor Mamdani, signed 2026-02-06), as reported: its text was
not read (register EO13-1).

- share_information: agencies may not share information collected for city purposes with
  federal immigration authorities except as required by law (every information kind the case
  records is read as collected for city purposes: EO13-2). Status information is displaced by
  the federal layer (register Q-F3).
- facility_access: federal immigration authorities may not enter non-public areas of city
  property without a judicial warrant (a warrant authorizing entry or search counts: EO13-3).

Its other provisions (privacy officers, certification within 14 days, audits of NYPD, DOC,
Probation, ACS and DSS policies, no staging on city property, a response committee) direct
the administration and decide no request.
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, Rule, When

EO_13 = dt.date(2026, 2, 6)
CITE = "N.Y.C. Executive Order No. 13 (2026)"


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    modelled = bool(p.eo13_read_as_reported)
    to_ice = Field("requester").eq("federal_immigration")
    duty = When("required by law", CITE, Def("the response is required by law", Field("required_by_law").eq(True),
                                             CITE), PERMITTED)
    warrant = When("a judicial warrant is presented (register EO13-3)", CITE,
                   Def("a judge's warrant authorizing the arrest, entry or search",
                       Field("judicial_warrant") | Field("access_warrant"), CITE, notes=("EO13-3",)),
                   PERMITTED, notes=("EO13-3",))
    common = dict(cite=CITE, source="EO 13 (2026)", agencies=agencies, start=EO_13,
                  default=PROHIBITED if modelled else NOT_GOVERNED,
                  default_label="as reported (register EO13-1)" if modelled else "text not read (register EO13-1)",
                  notes=("EO13-1",))
    return [
        Rule(id="nyc-orders.eo13.share", title="No sharing of information collected for city purposes with federal "
             "immigration authorities, except as required by law", actions=("share_information",),
             applies=Def("federal immigration authorities ask for information a city agency holds (register EO13-2)",
                         Field("kind").eq("information") & to_ice, CITE, notes=("EO13-2",)),
             applies_label="a request of federal immigration authorities for information",
             exceptions=(duty,) if modelled else (), **common),  # type: ignore[arg-type]
        Rule(id="nyc-orders.eo13.access", title="No entry of federal immigration authorities into non-public areas of "
             "city property without a judicial warrant", actions=("facility_access",),
             applies=Def("federal immigration authorities ask for access to non-public areas",
                         Field("kind").eq("facility_access") & to_ice, CITE),
             applies_label="a request of federal immigration authorities for access",
             exceptions=(warrant, duty) if modelled else (), **common),  # type: ignore[arg-type]
    ]

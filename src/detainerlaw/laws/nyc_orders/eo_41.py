"""Executive Order 41 of 2003 (Mayor Bloomberg, signed 2003-09-17): City-wide privacy policy.

City officers and employees keep confidential the information they hold about a person's
immigration status (and sexual orientation, status as a victim of domestic violence or sexual
assault or as a crime witness, receipt of public assistance, tax records), disclosing it only
in listed cases: among them when required by law, and, for law enforcement, when investigating
illegal activity other than mere status as an undocumented person. Read from summaries; the
operative clauses were not (register EO41-1).

- share_information of immigration status with federal immigration authorities: `prohibited`,
  `permitted` when required by law or when the request serves a criminal investigation (EO41-2).
  The federal layer's § 1373 rule displaces the prohibition (register Q-F3).
- Other information: whether it is "confidential information" the case does not record (EO41-3).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, PROHIBITED, Rule, When

EO_41 = dt.date(2003, 9, 17)
CITE = "N.Y.C. Executive Order No. 41 (2003)"


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    exceptions = [When("disclosure is required by law", CITE,
                       Def("the response is required by law", Field("required_by_law").eq(True), CITE), PERMITTED)]
    if p.eo41_criminal_investigation_exception:
        exceptions.append(When(
            "the request serves the investigation of illegal activity other than mere undocumented status "
            "(register EO41-2)", CITE,
            Def("the request is for a criminal investigation", Field("purpose").isin({"criminal_immigration",
                                                                                       "criminal_other"}), CITE,
                notes=("EO41-2",)),
            PERMITTED, notes=("EO41-2",)))
    return [Rule(
        id="nyc-orders.eo41.status",
        title="Immigration status held by a city agency is confidential",
        cite=CITE,
        source="EO 41 (2003)",
        agencies=agencies,
        actions=("share_information",),
        start=EO_41,
        applies=Def("federal immigration authorities ask for the person's immigration status",
                    Field("kind").eq("information") & Field("information").eq("immigration_status")
                    & Field("requester").eq("federal_immigration"), CITE),
        applies_label="a request for immigration status information",
        default=PROHIBITED,
        default_label="confidential information, none of the order's exceptions applies",
        default_conditions=("keep the person's immigration status confidential",),
        exceptions=tuple(exceptions),
        notes=("EO41-1", "Q-F3"),
    )]

"""The Green Light law (Driver's License Access and Privacy Act): VTL § 201(12), ch. 37 of
2019, in force 2019-12-14; extended to agencies receiving DMV records by the 2020 budget
(ch. 58 of 2020, part YYY) and the DCJS agreements whose deadline was 2020-01-11 (register Q-G2).

DMV records or information may not be disclosed or made accessible to an agency that
primarily enforces immigration law (ICE, CBP, any component: register Q-G1, an agency test,
not a purpose test) unless a lawful court order or a judicial warrant signed by an Article III
judge is presented (Q-G3 on whose orders count). Not status information (a standard license
records none), so 8 U.S.C. § 1373 does not save it.

- share_information of DMV-derived information with federal immigration authorities:
  `prohibited`, `permitted` with such a warrant or order.
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import judge_signed

GREEN_LIGHT = dt.date(2019, 12, 14)  # ch. 37 of 2019, disclosure bar in force 2019-12-14
VTL = "N.Y. Veh. & Traf. Law § 201(12)"


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    dmv = tuple(a for a in agencies if a == "dmv")
    recipients = tuple(a for a in agencies if a != "dmv")
    applies = Def(
        "DMV records or information asked for by an agency that primarily enforces immigration law (register Q-G1)",
        Field("kind").eq("information") & Field("dmv_records") & Field("requester").eq("federal_immigration"),
        VTL,
        notes=("Q-G1",),
    )
    order = When("a lawful court order or an Article III judge's warrant is presented (register Q-G3)", VTL,
                 judge_signed(p.green_light_issuers, "a court order or an Article III judge's warrant authorizes "
                              "the disclosure", VTL), PERMITTED, notes=("Q-G3",))
    common = dict(cite=VTL, actions=("share_information",), applies=applies,
                  applies_label="DMV information asked for by an immigration enforcement agency",
                  default=PROHIBITED, default_label="DMV records may not be made accessible to it",
                  default_conditions=("do not pass on DMV records or information without a court order or an Article "
                                      "III judge's warrant",),
                  exceptions=(order,))
    out = []
    if dmv:
        out.append(Rule(id="ny.green-light.dmv", title="The DMV may not disclose its records to immigration "
                        "enforcement agencies", source="ch. 37 of 2019", agencies=dmv, start=GREEN_LIGHT,
                        **common))  # type: ignore[arg-type]
    if recipients:
        out.append(Rule(id="ny.green-light.recipients", title="An agency receiving DMV records may not pass them to "
                        "immigration enforcement agencies (register Q-G2)", source="ch. 58 of 2020, part YYY; DCJS "
                        "agreements", agencies=recipients, start=p.green_light_recipients_from,
                        notes=("Q-G2",), **common))  # type: ignore[arg-type]
    return out

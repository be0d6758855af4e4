"""State bills not enacted, modelled so that a scenario can ask what they would change: each
rule exists only when a reform sets its ``*_in_force`` parameter (the baseline has none).

- The New York For All Act (S2235/A3506 of 2025-26; first introduced 2020; no floor vote found):
  state and local agencies may not hold a person on a civil immigration detainer, tell federal
  immigration authorities of a release, or share non-public information with them, absent a
  judge's warrant (register NY-NYFA).
- A state ban on 287(g) agreements (the Governor's "Local Cops, Local Crimes Act", announced
  2026-01-30, bill number unverified; S9104 of 2026, Executive Law § 847): no state or local
  agency may enter or keep one (register NY-287G).
"""

from __future__ import annotations

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import civil_immigration_request

NYFA = "New York For All Act, S2235/A3506 (2025-26), not enacted"
BAN_287G = "Local Cops, Local Crimes Act (Governor's program bill, 2026), not enacted"


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    out = []
    if p.ny_for_all_in_force:
        warrant = Def("a judge's warrant authorizes it", Field("judicial_warrant") | Field("has_jw_at"), NYFA)
        out.append(Rule(
            id="ny.bill.nyfa",
            title="No civil detainers honored or non-public information shared without a judge's warrant (bill)",
            cite=NYFA,
            source="S2235/A3506 (2025-26)",
            agencies=agencies,
            actions=("hold", "notify_release", "share_information", "transfer_at_release"),
            start=p.ny_for_all_from,
            applies=civil_immigration_request(),
            applies_label="a request of federal immigration authorities for civil immigration enforcement",
            default=PROHIBITED,
            default_label="as the bill reads (not law: register NY-NYFA)",
            exceptions=(When("a judge's warrant", NYFA, warrant, PERMITTED),),
            notes=("NY-NYFA",),
        ))
    if p.state_287g_ban_in_force:
        out.append(Rule(
            id="ny.bill.287g-ban",
            title="No state or local agency may enter a 287(g) agreement (bill)",
            cite=BAN_287G,
            source="Local Cops, Local Crimes Act (2026)",
            agencies=agencies,
            actions=("agreement_287g",),
            start=p.state_287g_ban_from,
            applies=Def("an agreement delegating immigration-officer functions (8 U.S.C. § 1357(g))",
                        Field("kind").eq("agreement_287g"), BAN_287G),
            applies_label="a 287(g)-type agreement",
            default=PROHIBITED,
            default_label="as the bill reads (not law: register NY-287G)",
            notes=("NY-287G",),
        ))
    return out

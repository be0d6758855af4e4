"""The 2026 state budget's immigration provisions (Assembly passage reported 2026-05-21):
a placeholder, not law as far as verified (register Q-S1).

As reported, the bill bars state and local resources for civil immigration enforcement and
287(g)-style deputizing, ends detention contracts, and keeps cooperation in criminal matters
or on a judicial warrant lawful. Its Senate passage, signature, chapter, text and effective
date are unverified, so by default the rule is in scope but decides nothing (`not_governed`)
and every decision it could change reports Q-S1. A reform setting ``budget_2026_in_force``
reads it as reported: civil immigration cooperation `prohibited` unless a judge's warrant
(or, for access, a judge's warrant or order) or a legal duty.
"""

from __future__ import annotations

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import civil_immigration_request

CITE = "N.Y. 2026 budget, immigration provisions (chapter unverified)"
ACTIONS = ("hold", "notify_release", "share_information", "office", "facility_access")


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    in_force = bool(p.budget_2026_in_force)
    warrant = Def("a judge's warrant authorizes the cooperation",
                  Field("judicial_warrant") | Field("has_jw_at") | Field("access_warrant"), CITE)
    duty = Def("the response is required by law", Field("required_by_law").eq(True), CITE)
    return [Rule(
        id="ny.budget-2026",
        title="State and local resources for civil immigration enforcement (2026 budget; enactment unverified)",
        cite=CITE,
        source="NY budget 2026 (unverified)",
        agencies=agencies,
        actions=ACTIONS,
        start=p.budget_2026_from,
        applies=civil_immigration_request(),
        applies_label="a request of federal immigration authorities for civil immigration enforcement",
        default=PROHIBITED if in_force else NOT_GOVERNED,
        default_label="read as reported (register Q-S1)" if in_force else
        "passed the Assembly; not known to be law (register Q-S1)",
        exceptions=(When("a judge's warrant", CITE, warrant, PERMITTED), When("a legal duty", CITE, duty, PERMITTED))
        if in_force else (),
        notes=("Q-S1",),
    )]

"""Federal court process addressed to the custodian: the only federal `required`.

Nothing in federal statute or regulation commands a state or local agency to hold, notify,
share information or grant access (8 C.F.R. 287.7(a); 8 U.S.C. § 1357(g)(9); § 1373 asks
only that communication not be restricted). A writ, subpoena or order of a federal court
addressed to the agency as custodian binds it under the Supremacy Clause. The case marks
such a duty with ``request.required_by_law`` (register US-REQ).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import REQUIRED, Rule
from detainerlaw.laws.us.definitions import process_to_custodian

CONSTITUTION = dt.date(1789, 3, 4)


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    if not p.custodian_process_required:
        return []
    return [Rule(
        id="us.process.custodian",
        title="Process of a federal court addressed to the custodian must be obeyed",
        cite="U.S. Const. art. VI, cl. 2",
        source="U.S. Const. art. VI",
        agencies=agencies,
        actions=("hold", "notify_release", "share_information", "honor_criminal_warrant"),
        start=CONSTITUTION,
        applies=process_to_custodian(),
        applies_label="federal court process addressed to the agency requires the response",
        default=REQUIRED,
        default_label="the agency must comply with the court's process",
        notes=("US-REQ",),
    )]

"""8 U.S.C. § 1357(g) (INA § 287(g), added by IIRIRA § 133, Pub. L. 104-208, 1996-09-30):
the Secretary (the Attorney General before 2003) may agree with a state or local government
that its trained officers perform immigration-officer functions under federal direction and
supervision ((g)(1), (3)); no state or locality is required to enter such an agreement ((g)(9)).

- agreement_287g: `permitted` by federal law, never `required`; it does not displace a state
  or city prohibition (the agreement is voluntary, so nothing is preempted).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, Rule

IIRIRA = dt.date(1996, 9, 30)
S1357G = "8 U.S.C. § 1357(g)(1)"


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    return [Rule(
        id="us.287g.agreement",
        title="Federal law allows, and never requires, a 287(g) agreement",
        cite=S1357G,
        also_cite=("8 U.S.C. § 1357(g)(9)",),
        source="IIRIRA § 133 (Pub. L. 104-208)",
        agencies=agencies,
        actions=("agreement_287g",),
        start=IIRIRA,
        applies=Def("an agreement delegating immigration-officer functions to the agency's officers",
                    Field("kind").eq("agreement_287g"), S1357G),
        applies_label="a 287(g)-type agreement",
        default=PERMITTED,
        default_label="a voluntary agreement: no locality is required to enter one ((g)(9))",
    )]

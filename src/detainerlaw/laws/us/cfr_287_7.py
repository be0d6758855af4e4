"""8 C.F.R. 287.7: detainers.

(a) A detainer is a request that the agency holding a person advise federal immigration
authorities before it releases the person, so that they may arrange to assume custody.
(d) On a detainer the agency is asked to keep custody no longer than 48 hours, not counting
Saturdays, Sundays and holidays. Courts read the "shall maintain custody" of (d) as a
limit, not a command (Galarza v. Szalczyk, 745 F.3d 634 (3d Cir. 2014)): a detainer makes
holding and notifying `permitted`, never `required`, and a hold ends when the period does.

Version encoded: the 1997 text (the post-2003 wording replaces "Service" by "Department";
the current eCFR text was not read — register US-287).
"""

from __future__ import annotations

from detainerlaw.engine.expr import TRUE, Def
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, Rule, When
from detainerlaw.laws.us.definitions import CFR_A, CFR_D, hold_end, immigration_detainer

SOURCE = "8 C.F.R. 287.7 (1997)"


def _within_period(p: Params) -> When:
    hours = int(p.detainer_hold_hours)
    limit = f"at most {hours} hours, excluding Saturdays, Sundays and holidays, after the person would otherwise " \
            "be released"
    if p.hold_cap_as_until:
        extra = dict(until=hold_end(p), conditions=(
            f"release the person at {{until}} unless federal immigration authorities have assumed custody ({CFR_D}: "
            f"{limit})",))
    else:
        extra = dict(conditions=(f"hold the person {limit} ({CFR_D})",))
    return When(
        f"the hold lasts only as long as a detainer may ask ({limit})",
        CFR_D,
        Def("the hold starts when the person would otherwise be released", TRUE, CFR_D),
        PERMITTED,
        notes=("US-287",),
        **extra,
    )


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    common = dict(source=SOURCE, agencies=agencies, start=p.cfr_287_7_from, applies=immigration_detainer(),
                  applies_label="an immigration detainer", default=PERMITTED)
    return [
        Rule(
            id="us.287.7.hold",
            title="A detainer asks the agency to hold the person; it does not command it, and the hold is limited",
            cite=CFR_D,
            actions=("hold",),
            default_label="a detainer is a request (8 C.F.R. 287.7(a); Galarza v. Szalczyk)",
            exceptions=(_within_period(p),),
            also_cite=(CFR_A,),
            **common,
        ),
        Rule(
            id="us.287.7.notify",
            title="A detainer asks the agency to tell federal immigration authorities before it releases the person",
            cite=CFR_A,
            actions=("notify_release",),
            default_label="a detainer is a request to advise of the release; the agency may answer it",
            **common,
        ),
    ]

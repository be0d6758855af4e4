"""People ex rel. Wells v. DeMarco, 168 A.D.3d 31 (2d Dep't, decided 2018-11-14).

New York law does not authorize state and local officers to make arrests for civil
immigration violations. Keeping a person past the time of release on an ICE detainer and
administrative warrant (the Suffolk County policy of 2016) is such an arrest, and 8 U.S.C.
§ 1357(g)(10)'s informal cooperation supplies no authority state law withholds. The
Appellate Division is one statewide court (Mountain View Coach Lines v. Storms, 102 A.D.2d
663 (2d Dep't 1984)), so the ruling binds trial courts in every department, and every state
and local law-enforcement agency acts under it.

- hold: `prohibited` from the decision date (register Q-W4), unless a judge's warrant was
  presented by the time of release (register Q-W1: `permitted`).
- notify_release: Wells concerns custody; a notice that adds no custody time is not governed
  by it (register Q-N1).
- courthouse_civil_arrest executed by the agency's own officers for civil immigration
  enforcement: the same missing authority, `prohibited` unless Q-W1's warrant (assisting a
  federal officer's arrest is POCA's, not Wells's).
- agreement_287g: a 287(g) agreement does not supply the authority for arrest and hold
  functions (register Q-W2: `prohibited`).
- transfer_at_release: a hand-over that adds no custody time is not an arrest (`permitted`);
  any delay is one (register Q-W3).
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.expr import Def, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import (
    WELLS,
    civil_immigration_detainer,
    civil_immigration_request,
    judicial_warrant_by_release,
    warrant_came_late,
)

SOURCE = "Wells v. DeMarco (2d Dep't 2018)"
MODEL_START = dt.date(1900, 1, 1)  # the first day the engine models: "before Wells" runs from here


def _warrant(p: Params) -> tuple[When, ...]:
    if not p.judicial_warrant_supplies_authority:
        return ()
    return (When("a judge's warrant supplies the authority state law does not (register Q-W1)", WELLS,
                 judicial_warrant_by_release(), PERMITTED, notes=("Q-W1",)),)


def rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    start: dt.date = p.wells_from
    common = dict(source=SOURCE, agencies=agencies, applies=civil_immigration_detainer(),
                  applies_label="a request to hold the person for civil immigration enforcement")
    reaches_notice = bool(p.wells_reaches_notification)
    return [
        Rule(
            id="ny.wells.before",
            title="Before Wells v. DeMarco no New York appellate ruling denied the authority to hold on a detainer",
            cite=WELLS,
            actions=("hold",),
            start=MODEL_START,
            end=start,
            default=NOT_GOVERNED,
            default_label="the decision date precedes the ruling (register Q-W4)",
            notes=("Q-W4",),
            **common,
        ),
        Rule(
            id="ny.wells.hold",
            title="Holding a person past release for federal immigration authorities is a civil arrest New York law "
            "does not authorize",
            cite=WELLS,
            actions=("hold",),
            start=start,
            default=PROHIBITED,
            default_label="no state-law authority for a civil immigration arrest, and no judge's warrant in time",
            default_conditions=("release the person when otherwise due: state law gives no authority to hold for "
                                "federal civil immigration enforcement",),
            exceptions=_warrant(p),
            note_if=(("Q-W1b", warrant_came_late()),),
            **common,
        ),
        Rule(
            id="ny.wells.notify",
            title="A notice of release that adds no custody time is not an arrest" if not reaches_notice else
            "A notice of release for civil immigration enforcement is treated like a hold (register Q-N1)",
            cite=WELLS,
            actions=("notify_release",),
            start=start,
            default=PROHIBITED if reaches_notice else NOT_GOVERNED,
            default_label="register Q-N1",
            exceptions=_warrant(p) if reaches_notice else (),
            notes=("Q-N1",),
            **common,
        ),
    ]


def custody_rules(p: Params, agencies: tuple[str, ...]) -> list[Rule]:
    """The arrests Wells reaches beyond the detainer hold: the agency's own civil arrest at court,
    the arrest and hold functions of a 287(g) agreement (Q-W2), and a delayed hand-over (Q-W3)."""
    start: dt.date = p.wells_from
    common = dict(cite=WELLS, source=SOURCE, agencies=agencies, start=start,
                  default_conditions=("state law gives no authority for a civil immigration arrest",))
    executes = Def("the agency's own officers would make the civil immigration arrest (request.assist is false)",
                   Field("kind").eq("courthouse_arrest") & ~Field("assist") & Field("purpose").eq("civil_immigration"),
                   WELLS)
    delegated = not p.agreement_287g_supplies_authority
    immediate = Def("the hand-over adds no custody time (request.delay_minutes is 0)",
                    Field("delay_minutes") <= 0, WELLS, notes=("Q-W3",))
    handover = (When("a hand-over at the moment of release is not an arrest (register Q-W3)", WELLS, immediate,
                     PERMITTED, notes=("Q-W3",)),) if p.handover_without_delay_permitted else ()
    return [
        Rule(id="ny.wells.civil-arrest", title="The agency's officers may not make a civil immigration arrest at court",
             actions=("courthouse_civil_arrest",), applies=executes,
             applies_label="a civil immigration arrest by the agency's own officers",
             default=PROHIBITED, default_label="no state-law authority for a civil immigration arrest",
             exceptions=_warrant(p), **common),  # type: ignore[arg-type]
        Rule(id="ny.wells.287g", title="A 287(g) agreement does not give local officers the arrest and hold powers "
             "state law withholds" if delegated else "A 287(g) agreement read as supplying the authority (register "
             "Q-W2)", actions=("agreement_287g",),
             applies=Def("an agreement delegating immigration-officer functions (8 U.S.C. § 1357(g)), read as "
                         "including arrest and hold", Field("kind").eq("agreement_287g"), WELLS, notes=("Q-W2",)),
             applies_label="a 287(g)-type agreement", default=PROHIBITED if delegated else NOT_GOVERNED,
             default_label="register Q-W2", notes=("Q-W2",), **common),  # type: ignore[arg-type]
        Rule(id="ny.wells.transfer", title="Keeping a person past release to hand them to immigration authorities is "
             "a civil arrest", actions=("transfer_at_release",),
             applies=Field("kind").eq("transfer") & civil_immigration_request(),
             applies_label="a hand-over at release for civil immigration enforcement",
             default=PROHIBITED, default_label="the hand-over keeps the person in custody past release (register Q-W3)",
             exceptions=(*handover, *_warrant(p)), notes=("Q-W3",), **common),  # type: ignore[arg-type]
    ]

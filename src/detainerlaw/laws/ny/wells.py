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
"""

from __future__ import annotations

import datetime as dt

from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, Rule, When
from detainerlaw.laws.ny.definitions import (
    WELLS,
    civil_immigration_detainer,
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

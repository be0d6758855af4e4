"""New York City's stack (federal, state, city) on a population: the columnar backend's combined and
per-layer answers equal the interpreter's on generated cases (spec v2 § Layers)."""

from __future__ import annotations

import datetime as dt

from detainerlaw import facade
from detainerlaw.decide import decide
from detainerlaw.engine.calendar import to_datetime
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.pack import BASELINE
from detainerlaw.frame import facts_frame
from detainerlaw.laws.nyc.casegen import random_cases

CASES = random_cases(3000, seed=11)


def test_stack_agrees_with_the_interpreter() -> None:
    place = facade.place()
    stack = [(layer.id, pack, BASELINE) for layer, pack in place.stack()]
    layers = [lid for lid, _, _ in stack]
    assert layers[:3] == ["us", "ny", "nyc"]
    res = evaluate_stack(facts_frame(CASES), stack)
    disagree = []
    for i, c in enumerate(CASES):
        d = decide(c, explain=False)
        for action, r in d.actions.items():
            until = res[f"{action}_until"][i]
            got = (res[action][i], to_datetime(until) if until is not None else None)
            if got != (r.outcome.value, r.until):
                disagree.append((i, action, got, (r.outcome.value, r.until)))
            for lid in layers:
                if res[f"{action}@{lid}"][i] != r.by_layer[lid].outcome.value:
                    disagree.append((i, action, lid, res[f"{action}@{lid}"][i], r.by_layer[lid].outcome.value))
    assert not disagree, disagree[:5]


def test_holds_after_wells_are_prohibited_whatever_the_city_says() -> None:
    """From 2018-11-14 a hold on a civil detainer with no judge's warrant at any time is prohibited combined."""
    after = [c for c in CASES if c.decided_date >= dt.date(2018, 11, 14) and c.request.kind.value == "detainer"
             and not c.request.judicial_warrant and c.request.requester.value == "federal_immigration"
             and c.request.judicial_warrant_at is None and not c.request.required_by_law]
    assert after
    res = evaluate_stack(facts_frame(after), [(layer.id, pack, BASELINE) for layer, pack in facade.place().stack()])
    assert set(res["hold"].cast(str).to_list()) == {"prohibited"}

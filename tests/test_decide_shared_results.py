"""Decisions share the results that repeat (``decide._RESULTS``): deciding a case again, after other
cases and under a reform, gives the same Decision, the layers' disagreement note included."""

from __future__ import annotations

import pytest

from detainerlaw import facade
from detainerlaw.decide import decide
from detainerlaw.engine.pack import Reform


def _examples() -> list:
    return [facade.parse_case(ex["case"]) for _, ex in facade.examples()]


def test_a_case_decided_again_gives_the_same_decision() -> None:
    cases = _examples()
    first = [decide(c, explain=False).model_dump() for c in cases]
    again = [decide(c, explain=False).model_dump() for c in reversed(cases)][::-1]
    assert first == again
    assert any(n["code"] == "LAYERS" for d in again for n in d["notes"]), "no example has layers that disagree"


def test_the_explained_and_shared_results_agree() -> None:
    for c in _examples():
        plain, explained = decide(c, explain=False), decide(c, explain=True)
        for a, r in plain.actions.items():
            e = explained.actions[a]
            assert (r.outcome, r.until, r.citations, r.conditions, r.by_layer) == (
                e.outcome, e.until, e.citations, e.conditions, e.by_layer), a
        assert [n.code for n in plain.notes] == [n.code for n in explained.notes]


@pytest.mark.parametrize("years", [1, 2])
def test_a_reform_is_not_answered_from_the_baseline(years: int) -> None:
    """Same rule ids and branches, other parameter values: the conditions' words follow the reform."""
    reform = Reform(name=f"lookback-{years}", params={"lookback_years": years})
    differs = 0
    for c in _examples():
        base = decide(c, explain=False)
        changed = decide(c, reform=reform, explain=False)
        plain = {"actions": {a: {"explanation"} for a in changed.actions}}
        assert changed.model_dump(exclude=plain) == decide(c, reform=reform, explain=True).model_dump(exclude=plain)
        assert decide(c, explain=False).model_dump() == base.model_dump()
        differs += changed.model_dump() != base.model_dump()
    assert differs, "the reform changes no example: the test would not see a stale shared result"

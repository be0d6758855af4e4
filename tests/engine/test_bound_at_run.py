"""The contract of ``bound: run`` (params.yaml): a reform of such a parameter keeps the structure of the
rules. For each one declared in a packaged layer, the law built afresh under another value lowers, in
every epoch, agency and action, to the structure of the baseline's rules in force on that day (the
same rules, branches and labels; only the values bound when the law runs differ), with the same
preempting branches. On that contract the columnar backend evaluates the baseline's rules with the
reform's values, and its answers equal those of the reform's own law built and compiled."""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import polars as pl
import pytest

from detainerlaw import jurisdictions
from detainerlaw.engine.calendar import FIRST_DAY
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.columnar.stack import preempting
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.params import Timeline

partitions = importlib.import_module("detainerlaw.engine.columnar.partitions")  # the package names a function so
PLACE = jurisdictions.get("nyc")


def _other(t: Timeline) -> Any:
    """A value of the parameter other than its first, within its declared bounds."""
    v = t.values[0]
    if isinstance(v, bool):
        return not v
    if isinstance(v, int):
        return int(min(t.maximum if t.maximum is not None else v + 3, v + 3)) if v < 3 else v - 2
    if t.choices:
        return next(c for c in t.choices if c != v)
    raise AssertionError(f"{t.name}: no other value to try")


DECLARED = [(layer.id, name) for layer, pack in PLACE.stack() for name, t in pack.params.timelines.items() if t.at_run]


def test_parameters_are_declared_bound_at_run() -> None:
    assert {"lookback_years", "nypd_hold_hours", "jw_later_satisfies"} <= {n for _, n in DECLARED}


def _fresh(pack: LawPack, reform: Reform, monkeypatch: pytest.MonkeyPatch) -> None:
    """The reform's law built and lowered afresh, as for any reform (not from the baseline's)."""
    monkeypatch.setattr(pack, "values_only", lambda r: False)
    pack.cache(reform).derived.clear()


@pytest.mark.parametrize(("lid", "name"), DECLARED)
def test_a_value_bound_at_run_keeps_the_rules(lid: str, name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = PLACE.pack(lid)
    t = pack.params.timelines[name]
    for override in (_other(t), {"2019-06-01": _other(t)}):
        reform = Reform(f"{name} changed", params={name: override})
        assert pack.values_only(reform)
        with monkeypatch.context() as m:
            _fresh(pack, reform, m)
            for start in [FIRST_DAY, *pack.boundaries(reform)]:
                base = pack.epoch(start, BASELINE)[0]
                base = FIRST_DAY if base == dt.date.min else base
                for agency in pack.agencies:
                    for action in partitions.pack_actions(pack):
                        got = partitions.structure(pack, start, agency, reform, action)
                        assert got == partitions.structure(pack, base, agency, BASELINE, action), \
                            (name, override, start, agency, action)
            assert preempting(pack, reform) == preempting(pack, BASELINE)
        pack.cache(reform).derived.clear()


@pytest.fixture(scope="module")
def varied() -> pl.DataFrame:
    from detainerlaw.frame import facts_frame
    from detainerlaw.laws.nyc.casegen import random_cases

    cases = random_cases(3000, seed=5)
    return facts_frame(cases, [f"g{i}" for i in range(len(cases))])


@pytest.mark.parametrize("override", [{"lookback_years": 3}, {"administrative_warrant_suffices": True},
                                      {"nypd_hold_hours": 30, "nypd_holiday_calendar": "ny_state"},
                                      {"lookback_years": {"2018-01-01": 8}, "jw_later_satisfies": True}])
def test_the_baselines_rules_with_the_reforms_values_answer_as_its_own_law(
        varied: pl.DataFrame, monkeypatch: pytest.MonkeyPatch, override: dict) -> None:
    reform = Reform("values", params=override)
    stack = PLACE.layered(reform=reform)
    home = PLACE.pack()
    assert home.values_only(reform)
    shared = evaluate_stack(varied, stack)
    with monkeypatch.context() as m:
        _fresh(home, reform, m)
        own = evaluate_stack(varied, stack)
    home.cache(reform).derived.clear()
    assert shared.equals(own)
    assert not shared.equals(evaluate_stack(varied, PLACE.layered()))


def test_a_reform_of_other_parameters_builds_its_own_law() -> None:
    pack = PLACE.pack()
    assert not pack.values_only(Reform(params={"vsc_additions": ["PL 140.20"]}))
    assert not pack.values_only(Reform(params={"pending_charges_count": True}))  # read in Python
    assert not pack.values_only(Reform(params={"lookback_years": 3}, disable=("nyc.s9-131",)))
    assert not pack.values_only(BASELINE)

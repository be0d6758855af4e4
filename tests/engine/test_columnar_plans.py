"""Plans shared by what they compute: a reform that changes one agency's law compiles only the plans
it changes, and its results are those of plans compiled afresh."""

from __future__ import annotations

import datetime as dt
import importlib

import polars as pl
import pytest

from detainerlaw.decide import default_pack
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.pack import BASELINE, LawPack
from detainerlaw.jurisdictions import layered
from detainerlaw.scenarios import load_scenario

partitions = importlib.import_module("detainerlaw.engine.columnar.partitions")  # the package names a function so


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population()


def test_a_reform_reuses_the_plans_it_does_not_change(frame: pl.DataFrame, monkeypatch: pytest.MonkeyPatch,
                                                     compilations: list[str]) -> None:
    pack = default_pack()
    monkeypatch.setattr(partitions, "_SHARED", type(partitions._SHARED)())  # no plan of an earlier test
    reform = load_scenario("int-395-2024").reform()  # the NYPD's hold exception only
    for _, p, _ in layered(pack):
        _drop(p, reform)
        _drop(p, BASELINE)
    evaluate_stack(frame, layered(pack))  # the baseline's plans
    compiled = compilations
    compiled.clear()
    for _, p, _ in layered(pack):
        _drop(p, reform)
    shared = evaluate_stack(frame, layered(pack, reform))
    requested = sum(1 for _, p, _ in layered(pack) for k in p.cache(reform).derived if k[0] == "plan")
    assert 0 < len(compiled) < requested
    assert set(compiled) <= {"nypd"}
    monkeypatch.setattr(partitions, "_SHARED", type(partitions._SHARED)())
    for _, p, _ in layered(pack):
        _drop(p, reform)
    fresh = evaluate_stack(frame, layered(pack, reform))
    assert shared.equals(fresh)


def _drop(pack: LawPack, reform: object) -> None:
    """Forget the reform's cached plans (not its law), so that they are asked for again."""
    derived = pack.cache(reform).derived  # type: ignore[arg-type]
    for k in [k for k in derived if k[0] in ("plan", "fingerprint", "group", "group ids")]:
        del derived[k]


@pytest.fixture(scope="module")
def varied() -> pl.DataFrame:
    """Generated cases that reach every reading (warrants presented later, administrative warrants,
    records without their subdivision), which the bundled sample seldom does."""
    from detainerlaw.frame import facts_frame
    from detainerlaw.laws.nyc.casegen import random_cases

    cases = random_cases(4000, seed=3)
    return facts_frame(cases, [f"g{i}" for i in range(len(cases))])


# (the law whose plans are compiled first, the reform that changes only values read through ``Param``)
VALUE_REFORMS = [
    ({}, {"lookback_years": 2}),  # § 9-131(a)(2)(ii) (LL 58/2014): five years by the statute
    ({}, {"lookback_years": {"2020-01-01": 10}}),  # from a date: a new epoch, the same plans
    ({}, {"misdemeanor_lookback_years": 3}),  # § 9-131(a)(2)(ii) of 2013: ten years
    ({}, {"nypd_hold_hours": 24, "nypd_holiday_calendar": "ny_state"}),  # § 14-154(b)(2): 48 hours
    ({}, {"jw_later_satisfies": True}),  # § 9-131(b)(1)(i): a warrant presented later also counts (E-8)
    ({}, {"administrative_warrant_suffices": True}),  # § 9-131(a)(5): an I-200 or I-205 stands in
    ({}, {"judicial_warrant_required": False}),  # § 9-131(b)(1)(i) dropped
    ({}, {"subdivision_unknown_counts": True}),  # § 9-131(a)(7)(i): a record without its subdivision (E-5)
    # 8 C.F.R. 287.7(d): 48 hours, reported as `until` (a switch its rules read in Python: compiled first)
    ({"detainer_hold_limit_as_until": True}, {"detainer_hold_limit_as_until": True, "detainer_hold_hours": 72}),
]


@pytest.mark.parametrize(("first", "override"), VALUE_REFORMS)
def test_a_parameter_bound_when_run_compiles_no_plan(varied: pl.DataFrame, monkeypatch: pytest.MonkeyPatch,
                                                     compilations: list[str], first: dict, override: dict) -> None:
    """A reform that only changes values read through ``Param`` compiles nothing: every plan it runs
    is one compiled for the law before it, bound to the reform's values when it runs; its answers are
    those of plans compiled afresh for it, and the interpreter's."""
    from detainerlaw.decide import decide
    from detainerlaw.engine.calendar import to_datetime
    from detainerlaw.engine.pack import Reform
    from detainerlaw.frame import frame_cases

    frame = varied
    pack = default_pack()
    before = evaluate_stack(frame, layered(pack, Reform("first", params=first)))
    compiled = compilations
    compiled.clear()
    reform = Reform("values", params=override)
    shared = evaluate_stack(frame, layered(pack, reform))
    assert compiled == []
    monkeypatch.setattr(partitions, "_SHARED", type(partitions._SHARED)())
    for _, p, _ in layered(pack):
        _drop(p, reform)
    fresh = evaluate_stack(frame, layered(pack, reform))
    assert compiled  # compiled afresh this time
    assert shared.equals(fresh)
    answers = shared.columns[frame.width:]  # each action's combined answer, then each layer's
    changed = [c for c in answers if not shared[c].equals(before[c])]
    assert changed, f"{override} changes no answer on the sample: the test would not see a stale binding"
    rows = [i for i in range(frame.height) if any(shared[c][i] != before[c][i] for c in changed)][:40]
    for i, case in zip(rows, frame_cases(frame[rows], 0), strict=True):
        for a, r in decide(case, pack, reform, explain=False).actions.items():
            for lid, got in [("", r), *r.by_layer.items()]:
                at = f"@{lid}" if lid else ""
                until = shared[f"{a}_until{at}"][i]
                want = (shared[f"{a}{at}"][i], None if until is None else to_datetime(until))
                assert (got.outcome.value, got.until) == want, (a, lid, i)


@pytest.mark.parametrize("override", [{}, {"lookback_years": {"2020-01-01": 10}}])
def test_the_values_a_plan_binds_are_its_snapshots(override: dict) -> None:
    """``bound_params`` reads the parameters without building the law: the same values as the
    snapshot of every epoch and agency of every layer."""
    from detainerlaw.engine.pack import Reform

    reform = Reform(params=override)
    for _, pack, r in layered(default_pack(), reform):
        for start in [dt.date(1900, 1, 1), *pack.boundaries(r)]:
            for agency in pack.agencies:
                assert partitions.bound_params(pack, start, agency, r) == pack.snapshot(start, agency, r).params

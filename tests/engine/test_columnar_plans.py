"""Plans shared by what they compute: a reform that changes one agency's law compiles only the plans
it changes, and its results are those of plans compiled afresh."""

from __future__ import annotations

import importlib

import polars as pl
import pytest

from detainerlaw.decide import default_pack
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.pack import LawPack
from detainerlaw.jurisdictions import layered
from detainerlaw.scenarios import load_scenario

partitions = importlib.import_module("detainerlaw.engine.columnar.partitions")  # the package names a function so


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population()


def test_a_reform_reuses_the_plans_it_does_not_change(frame: pl.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    pack = default_pack()
    evaluate_stack(frame, layered(pack))  # the baseline's plans
    reform = load_scenario("int-395-2024").reform()  # the NYPD's hold exception only
    compiled: list[str] = []
    real = partitions.compile_snapshot

    def counting(snapshot, actions, exprs=None, lowered=None):  # noqa: ANN001, ANN202
        compiled.append(snapshot.agency)
        return real(snapshot, actions, exprs, lowered)

    monkeypatch.setattr(partitions, "compile_snapshot", counting)
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

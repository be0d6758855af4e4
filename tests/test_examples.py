"""Every public example (shared/spec/examples and the copies bundled in the package)
decides as it says and validates against the JSON Schema generated from the models."""

from __future__ import annotations

import datetime as dt
import json
from importlib.resources import files
from pathlib import Path

import jsonschema
import pytest

from detainerlaw import facade
from detainerlaw.decide import decide
from detainerlaw.laws.nyc.case import Case
from detainerlaw.models.decision import Decision

SHARED = Path(__file__).resolve().parents[2] / "shared/spec/examples"
BUNDLED = Path(str(files("detainerlaw").joinpath("data/examples")))
SHARED_LAYERS = Path(__file__).resolve().parents[2] / "shared/spec/examples-layers"
BUNDLED_LAYERS = Path(str(files("detainerlaw").joinpath("data/examples-layers")))


def _files(root: Path) -> list[Path]:
    return sorted(root.glob("*.json")) if root.is_dir() else []


def _params(root: Path, label: str) -> list:
    found = _files(root)
    if not found:
        return [pytest.param(None, id=f"{label}-absent",
                             marks=pytest.mark.skip(reason=f"no examples folder at {root}"))]
    return [pytest.param(p, id=f"{label}-{p.stem}") for p in found]


EXAMPLES = _params(SHARED, "shared") + _params(BUNDLED, "bundled")
LAYER_EXAMPLES = _params(SHARED_LAYERS, "shared") + _params(BUNDLED_LAYERS, "bundled")


@pytest.fixture(scope="module")
def case_schema() -> dict:
    return Case.model_json_schema()


@pytest.fixture(scope="module")
def decision_schema() -> dict:
    return Decision.model_json_schema()


def _load(path: Path) -> dict:
    ex = json.loads(path.read_text())
    assert set(ex) >= {"case", "expect"}, f"{path.name}: an example has 'case' and 'expect'"
    return ex


def _city(d: Decision) -> dict[str, str]:
    """The city layer's answers (spec v2: ``expect`` is checked against ``by_layer.nyc``)."""
    return {a: (r.by_layer["nyc"].outcome if "nyc" in r.by_layer else r.outcome).value for a, r in d.actions.items()}


@pytest.mark.parametrize("path", EXAMPLES + LAYER_EXAMPLES)
def test_example_outcomes(path: Path) -> None:
    ex = _load(path)
    d = decide_example(ex)
    got = _city(d)
    for action, outcome in ex["expect"].items():
        assert action in got, f"{path.name}: action {action} not engaged (got {sorted(got)})"
        assert got[action] == outcome, f"{path.name}: {action} expected {outcome}, got {got[action]} ({ex['why']})"
    if "expect_until" in ex:
        until = d.actions["hold"].by_layer["nyc"].until
        assert until == dt.datetime.fromisoformat(ex["expect_until"]), f"{path.name}: until {until}"
    elif "hold" in d.actions and "hold" in ex["expect"] and "expect_combined" not in ex:
        # no expected end: the hold, when permitted, is not a limited (NYPD 48-hour) hold
        assert d.actions["hold"].by_layer["nyc"].until is None


def decide_example(ex: dict) -> Decision:
    """An example decided as it says: under its ``scenario`` when it names one (spec v2)."""
    return facade.decide(facade.parse_case(ex["case"]), scenario_name=ex.get("scenario"))


@pytest.mark.parametrize("path", LAYER_EXAMPLES)
def test_example_combined_outcomes(path: Path) -> None:
    """``expect_combined`` is the answer under every layer (``outcome``)."""
    ex = _load(path)
    d = decide_example(ex)
    got = {a: r.outcome.value for a, r in d.actions.items()}
    for action, outcome in ex["expect_combined"].items():
        assert got[action] == outcome, f"{path.name}: {action} combined expected {outcome}, got {got[action]}"


@pytest.mark.parametrize("path", EXAMPLES)
def test_example_validates_against_case_schema(path: Path, case_schema: dict, decision_schema: dict) -> None:
    ex = _load(path)
    jsonschema.validate(ex["case"], case_schema)
    d = decide(Case.model_validate(ex["case"]))
    jsonschema.validate(json.loads(d.model_dump_json()), decision_schema)


@pytest.mark.parametrize("path", EXAMPLES)
def test_example_citation_is_cited(path: Path) -> None:
    """The decision cites the section the example names (its first 'NYC Admin. Code § N')."""
    ex = _load(path)
    section = ex["citation"].split("§")[1].split("(")[0].strip()
    d = decide(Case.model_validate(ex["case"]))
    cited = [c for r in d.actions.values() for c in r.citations]
    assert any(f"§ {section}" in c for c in cited), f"{path.name}: {section} not in {cited}"


@pytest.mark.parametrize(("shared_root", "bundled_root"), [(SHARED, BUNDLED), (SHARED_LAYERS, BUNDLED_LAYERS)])
def test_bundled_examples_match_shared(shared_root: Path, bundled_root: Path) -> None:
    shared, bundled = _files(shared_root), _files(bundled_root)
    if not shared:
        pytest.skip(f"no examples folder at {shared_root}")
    assert [p.name for p in bundled] == [p.name for p in shared]
    for a, b in zip(shared, bundled, strict=True):
        assert json.loads(a.read_text()) == json.loads(b.read_text()), a.name

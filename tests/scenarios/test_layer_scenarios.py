"""Scenarios that target one layer (``layer:`` in the YAML): the New York For All Act and a state
287(g) ban, both bills not enacted, change the state layer's answers and no other layer's."""

from __future__ import annotations

from pathlib import Path

import pytest

from detainerlaw.decide import decide
from detainerlaw.engine.pack import Reform
from detainerlaw.laws.nyc.case import Case
from detainerlaw.scenarios import ScenarioError, load_scenario


def _case(kind: str, day: str, agency: str = "nypd", **more: object) -> Case:
    return Case.model_validate({"agency": agency, "decided_at": day, "request": {"kind": kind, **more}})


def _by_layer(c: Case, reform: Reform) -> dict[str, dict[str, tuple[str, tuple[str, ...]]]]:
    d = decide(c, reform=reform)
    return {a: {lid: (r.outcome.value, tuple(r.citations)) for lid, r in res.by_layer.items()}
            for a, res in d.actions.items()}


def _changed_layers(c: Case, reform: Reform) -> set[str]:
    base, new = _by_layer(c, Reform()), _by_layer(c, reform)
    return {lid for a in base for lid in base[a] if base[a][lid] != new[a][lid]}


def test_scenario_layer_key_targets_the_state_layer() -> None:
    for name in ("ny-for-all", "state-287g-ban"):
        s = load_scenario(name)
        assert s.layer == "ny" and s.changes_law and "not enacted" in s.source


def test_ny_for_all_changes_only_the_state_layer() -> None:
    s = load_scenario("ny-for-all")
    notice = _case("detainer", "2025-06-02")  # the release notice: Wells leaves it alone (Q-N1)
    assert _by_layer(notice, Reform())["notify_release"]["ny"][0] == "not_governed"
    assert _by_layer(notice, s)["notify_release"]["ny"][0] == "prohibited"
    assert _changed_layers(notice, s) == {"ny"}
    share = _case("information", "2025-06-02", information="release_date")
    assert _changed_layers(share, s) == {"ny"}
    # status information: the bill restricts it, § 1373 displaces the restriction
    status = decide(_case("information", "2025-06-02", information="immigration_status"), reform=s)
    assert status.actions["share_information"].by_layer["ny"].outcome.value == "prohibited"
    assert status.actions["share_information"].outcome.value == "permitted"


def test_state_287g_ban_changes_only_the_state_layer() -> None:
    s = load_scenario("state-287g-ban")
    c = _case("agreement_287g", "2026-03-02")
    assert _changed_layers(c, s) == {"ny"}
    cites = _by_layer(c, s)["agreement_287g"]["ny"][1]
    assert any("Local Cops, Local Crimes Act" in x for x in cites)
    before = _case("agreement_287g", "2026-01-29")
    assert _changed_layers(before, s) == set()


def test_scenario_unknown_layer_or_parameter_of_another_layer_refused(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("name: bad\nlayer: county\nparams: {}\n")
    with pytest.raises(ScenarioError, match="layer"):
        load_scenario(bad)
    bad.write_text("name: bad\nlayer: ny\nparams: {city_resources_status_carveout: false}\n")
    with pytest.raises(ScenarioError, match="unknown parameter"):
        load_scenario(bad)

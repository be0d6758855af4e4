"""The scenario library: every file loads, and each reform changes what it should."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from detainerlaw.decide import default_pack
from detainerlaw.engine.pack import BASELINE
from detainerlaw.laws.nyc.population.synth import synthesize
from detainerlaw.scenarios import Scenario, ScenarioError, list_scenarios, load_scenario
from detainerlaw.simulation import simulate

EXPECTED = {"baseline", "law-2012", "law-2014", "law-2015", "law-2019", "law-2026", "no-city-limits",
            "mayor-2024-02", "int-945-2024", "int-395-2024", "int-396-2024", "ice-request", "ny-for-all",
            "state-287g-ban"}


def test_library_loads() -> None:
    items = list_scenarios()
    names = [s["name"] for s in items]
    assert set(names) == EXPECTED and len(names) == len(set(names))
    for s in items:
        assert s["title"] and s["source"] and len(s["description"]) > 80, s["name"]
        assert isinstance(load_scenario(s["name"]), Scenario)


def test_as_of_versions_share_the_baseline() -> None:
    for name, day in (("law-2012", "2012-06-01"), ("law-2014", "2014-01-01"), ("law-2015", "2015-06-01"),
                      ("law-2019", "2019-01-01"), ("law-2026", "2026-06-01")):
        s = load_scenario(name)
        assert s.as_of == dt.date.fromisoformat(day)
        assert s.reform() is BASELINE
    assert load_scenario("int-395-2024").reform().name == "int-395-2024"


def test_bad_scenarios(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="no scenario"):
        load_scenario("no-such-thing")
    f = tmp_path / "x.yaml"
    f.write_text("name: x\nparams: {not_a_param: 1}\n")
    with pytest.raises(ScenarioError, match="unknown parameter"):
        load_scenario(f)
    f.write_text("name: x\nas_of: someday\n")
    with pytest.raises(ScenarioError, match="not a date"):
        load_scenario(f)


@pytest.fixture(scope="module")
def pop() -> pl.DataFrame:
    # More re-entry and terrorist-list cases than the calibration, so the rare branches are populated.
    return synthesize(3000, 21, start="2016-01-01", overrides={"reentered_after_removal_share": 0.5,
                                                                "information_request_share": 0.3})


SCENARIOS = ["baseline", "int-395-2024", "int-396-2024", "ice-request", "mayor-2024-02", "no-city-limits",
             "int-945-2024", "law-2012"]


@pytest.fixture(scope="module")
def result(pop: pl.DataFrame):
    """What each scenario does to the city's code: the city layer's own answers."""
    return simulate(pop, dt.date(2025, 1, 15), SCENARIOS, layer="nyc")


@pytest.fixture(scope="module")
def combined(pop: pl.DataFrame):
    """What the agencies may do under every layer (federal, state, city)."""
    return simulate(pop, dt.date(2025, 1, 15), ["baseline", "no-city-limits", "int-945-2024"])


def _w(result, scenario: str, agency: str | None, action: str, outcome: str) -> float:
    lg = result.long.filter((pl.col("scenario") == scenario) & (pl.col("action") == action)
                            & (pl.col("outcome") == outcome))
    if agency:
        lg = lg.filter(pl.col("agency") == agency)
    return float(lg["weight"].sum())


def test_int_395_removes_nypd_48_hour_holds(result) -> None:
    base = _w(result, "baseline", "nypd", "hold", "permitted")
    assert base > 0  # the 48-hour hold of § 14-154(b)(2) is used in the baseline
    assert _w(result, "int-395-2024", "nypd", "hold", "permitted") < base
    assert _w(result, "int-395-2024", "doc", "hold", "permitted") == _w(result, "baseline", "doc", "hold", "permitted")


def test_int_396_removes_doc_vsc_information_exception(result) -> None:
    base = _w(result, "baseline", "doc", "share_information", "permitted")
    assert _w(result, "int-396-2024", "doc", "share_information", "permitted") < base
    assert _w(result, "int-396-2024", "nypd", "hold", "permitted") == _w(result, "baseline", "nypd", "hold",
                                                                          "permitted")


def test_ice_request_admin_warrants_widen_holds(result) -> None:
    for ag in ("doc", "nypd"):
        assert _w(result, "ice-request", ag, "hold", "permitted") > _w(result, "baseline", ag, "hold", "permitted")


def test_mayor_proposal_counts_pending_charges(result) -> None:
    assert (_w(result, "mayor-2024-02", "doc", "share_information", "permitted")
            > _w(result, "baseline", "doc", "share_information", "permitted"))


def test_no_city_limits_and_repeal(result) -> None:
    for sc in ("no-city-limits", "int-945-2024"):
        lg = result.long.filter(pl.col("scenario") == sc)
        assert set(lg["outcome"]) == {"not_governed"}, sc


def test_repealing_the_city_law_leaves_holds_prohibited_by_state_law(combined) -> None:
    """Int 945 or no city limits: the city says nothing, but since Wells v. DeMarco (2018-11-14) a hold
    on a civil detainer without a judge's warrant is prohibited by state law; none becomes permitted
    that state law prohibits, and release notices (no custody) fall to federal law, which permits."""
    for sc in ("no-city-limits", "int-945-2024"):
        assert _w(combined, sc, None, "hold", "prohibited") > 0, sc
        assert _w(combined, sc, None, "hold", "not_governed") == 0, sc
        assert _w(combined, sc, None, "notify_release", "permitted") > _w(combined, "baseline", None,
                                                                         "notify_release", "permitted")


def test_law_2012_did_not_govern_nypd(result) -> None:
    lg = result.long.filter((pl.col("scenario") == "law-2012") & (pl.col("agency") == "nypd"))
    assert set(lg["outcome"]) == {"not_governed"}
    assert _w(result, "law-2012", "doc", "hold", "permitted") > _w(result, "baseline", "doc", "hold", "permitted")


def test_repeal_only_from_its_date(pop: pl.DataFrame) -> None:
    r = simulate(pop, dt.date(2024, 1, 15), ["baseline", "int-945-2024"], layer="nyc")
    a = r.long.filter(pl.col("scenario") == "baseline").drop("scenario").sort(pl.all())
    b = r.long.filter(pl.col("scenario") == "int-945-2024").drop("scenario").sort(pl.all())
    assert a.equals(b)


def test_reform_does_not_rebuild_baseline(pop: pl.DataFrame) -> None:
    pack = default_pack()
    simulate(pop.head(200), None, ["baseline"])
    before = dict(pack.cache(BASELINE).snapshots)
    simulate(pop.head(200), None, ["int-395-2024", "ice-request"])
    after = pack.cache(BASELINE).snapshots
    assert all(after[k] is v for k, v in before.items())
    assert load_scenario("int-395-2024").key in pack.cached_reforms()


# -- Int 396-2024, provision by provision (introduction/2024/0396.json, § 1) -------------------

VSC_2023 = {"statute": "PL 160.10", "level": "felony", "conviction_date": "2023-01-05", "judgment_date": "2023-02-01"}


def _doc_info(scenario: str, info: str = "release_date", *, request: dict | None = None,
              person: dict | None = None) -> str:
    from detainerlaw.decide import decide
    from detainerlaw.laws.nyc.case import Case

    c = Case.model_validate({"agency": "doc", "decided_at": "2025-03-01", "instant_arrest_date": "2025-02-20",
                             "request": {"kind": "information", "information": info, **(request or {})},
                             "person": person or {}})
    return decide(c, reform=load_scenario(scenario).reform()).actions["share_information"].by_layer["nyc"].outcome.value


def test_int_396_h1_deletes_the_citizenship_status_carve_out() -> None:
    assert _doc_info("baseline", "immigration_status") == "not_governed"
    assert _doc_info("int-396-2024", "immigration_status") == "prohibited"


def test_int_396_h1_i_vsc_replaced_by_made_pursuant_to_subdivision_b() -> None:
    vsc = {"convictions": [VSC_2023]}
    assert _doc_info("baseline", person=vsc) == "permitted"
    assert _doc_info("int-396-2024", person=vsc) == "prohibited"
    # a communication about a person whose detainer DOC may honor under (b)(1) stays allowed
    assert _doc_info("int-396-2024", request={"judicial_warrant": True}, person=vsc) == "permitted"


def test_int_396_h1_iii_deletes_otherwise_required_by_law() -> None:
    assert _doc_info("baseline", request={"required_by_law": True}) == "permitted"
    assert _doc_info("int-396-2024", request={"required_by_law": True}) == "prohibited"


def test_int_396_h1_ii_unrelated_to_civil_enforcement_stays() -> None:
    assert _doc_info("int-396-2024", request={"purpose": "criminal_other"}) == "permitted"

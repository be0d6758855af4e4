"""A reform's parameter values are checked against the baseline's types and declared bounds: one
message naming the parameter (and, for scenario files, the file), never an error deep in the law."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detainerlaw.decide import default_pack
from detainerlaw.interfaces.cli import app as cli
from detainerlaw.interfaces.services import claim_error
from detainerlaw.scenarios import ScenarioError, load_scenario


@pytest.fixture(scope="module")
def params():  # noqa: ANN201
    return default_pack().params


@pytest.mark.parametrize(("override", "problem"), [
    ({"lookback_years": "five"}, "lookback_years: expected a whole number, got 'five'"),
    ({"lookback_years": 1_000_000_000_000}, "lookback_years: 1000000000000 is above the greatest value allowed"),
    ({"lookback_years": -5}, "lookback_years: -5 is below the least value allowed"),
    ({"lookback_years": 2.5}, "lookback_years: expected a whole number, got 2.5"),
    ({"lookback_years": True}, "lookback_years: expected a whole number, got True"),
    ({"lookback_years": None}, "lookback_years: expected a whole number"),
    ({"lookback_years": {"soon": 7}}, "lookback_years: 'soon' is not a date"),
    ({"lookback_years": {"2020-01-01": "x"}}, "lookback_years: expected a whole number, got 'x'"),
    ({"lookback_years": {"values": {"2020-01-01": "x"}}}, "lookback_years: expected a whole number"),
    ({"doc_rule_offences_from": "soon"}, "doc_rule_offences_from: expected a date as YYYY-MM-DD, got 'soon'"),
    ({"doc_rule_offences_from": 2019}, "doc_rule_offences_from: expected a date"),
    ({"judicial_warrant_required": "yes"}, "judicial_warrant_required: expected true or false, got 'yes'"),
    ({"vsc_additions": "PL 140.20"}, "vsc_additions: expected a list of strings"),
    ({"vsc_additions": [1]}, "vsc_additions: expected a list of strings"),
    ({"nypd_holiday_calendar": "mars"}, "nypd_holiday_calendar: 'mars' is not one of us_federal, ny_state"),
    ({"nypd_hold_hours": 10**9}, "nypd_hold_hours: 1000000000 is above the greatest value allowed"),
])
def test_bad_override_is_one_value_error(params, override: dict, problem: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError) as e:
        params.with_overrides(override)
    assert str(e.value).startswith(problem), str(e.value)


@pytest.mark.parametrize("override", [
    {"lookback_years": 7}, {"lookback_years": 0}, {"lookback_years": {"2020-01-01": 10}},
    {"lookback_years": {dt.date(2020, 1, 1): 10}}, {"doc_rule_offences_from": "2019-08-12"},
    {"doc_rule_offences_from": dt.date(2019, 8, 12)}, {"vsc_additions": ["PL 140.20"]},
    {"nypd_holiday_calendar": "ny_state"}, {"judicial_warrant_required": False},
    {"lookback_years": {"values": {"2014-12-14": 3}}},
])
def test_good_overrides_are_kept(params, override: dict) -> None:  # noqa: ANN001
    ps = params.with_overrides(override)
    name = next(iter(override))
    assert ps.timelines[name].description == params.timelines[name].description
    assert all(type(v) is type(params.timelines[name].values[0]) for v in ps.timelines[name].values)


def test_date_override_is_read_as_a_date(params) -> None:  # noqa: ANN001
    ps = params.with_overrides({"doc_rule_offences_from": "2019-08-12"})
    assert ps.at(dt.date(2024, 1, 1)).doc_rule_offences_from == dt.date(2019, 8, 12)


def _scenario(tmp_path: Path, body: bytes, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.write_bytes(body)
    return path


@pytest.mark.parametrize(("body", "problem"), [
    (b"name: x\nparams:\n  lookback_years: five\n", "params.lookback_years: expected a whole number"),
    (b"name: x\nparams:\n  doc_rule_offences_from: soon\n", "params.doc_rule_offences_from: expected a date"),
    (b"name: x\nparams:\n  lookback_years: 1000000000000\n", "params.lookback_years: 1000000000000 is above"),
    (b"name: x\ntitle: \xff\xfe\n", "not UTF-8 text"),
    (b"name: x\ndisable_from: soon\n", "disable_from:"),
])
def test_bad_scenario_file_is_one_message(tmp_path: Path, body: bytes, problem: str) -> None:
    path = _scenario(tmp_path, body)
    with pytest.raises(ScenarioError) as e:
        load_scenario(path)
    assert str(e.value).startswith(f"{path}: ") and problem in str(e.value), str(e.value)
    res = CliRunner().invoke(cli, ["simulate", "--scenario", str(path)])
    assert res.exit_code == 2, res.output
    flat = " ".join(res.output.split())
    assert problem in flat and "Traceback" not in res.output


def test_claim_error_keeps_quotes_inside_the_message() -> None:
    err = claim_error(ValueError("lookback_years: expected a whole number, got 'five'"))
    assert (err.field, err.problem) == ("lookback_years", "expected a whole number, got 'five'")
    err = claim_error(KeyError("claims[0].then: required"))
    assert (err.field, err.problem) == ("claims[0].then", "required")


@pytest.mark.parametrize(("override", "problem"), [
    ({"detainer_holiday_calendar": "mars"}, "detainer_holiday_calendar: 'mars' is not one of us_federal, ny_state"),
    ({"detainer_hold_hours": 10**6}, "detainer_hold_hours: 1000000 is above the greatest value allowed, 720"),
    ({"detainer_hold_hours": -1}, "detainer_hold_hours: -1 is below the least value allowed, 0"),
])
def test_the_federal_layers_hours_and_calendar_are_held_to_their_bounds(override: dict, problem: str) -> None:
    """8 C.F.R. 287.7(d)'s period in the federal layer: a reform of it (``layer: us``) is checked as the
    city's is, rather than failing where the hours are counted."""
    from detainerlaw import jurisdictions

    with pytest.raises(ValueError, match=re.escape(problem)):
        jurisdictions.get("nyc").pack("us").params.with_overrides(override)

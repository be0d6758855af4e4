"""The Deportation Data Project importer, on a fixture in the exact 65-column layout."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detainerlaw.interfaces.cli import app
from detainerlaw.population.ddp import COLUMNS, DDPError, agency_of, import_ddp

FIXTURE = Path(__file__).parent / "fixtures" / "ddp_detainers_latest.csv"


def test_fixture_has_the_exact_layout() -> None:
    with FIXTURE.open() as f:
        header = next(csv.reader(f))
    assert header == list(COLUMNS) and len(header) == 65


def test_import() -> None:
    frame, report = import_ddp(FIXTURE)
    assert frame["case_id"].to_list() == ["ddp-1", "ddp-2", "ddp-3", "ddp-10"]
    assert frame["agency"].cast(pl.String).to_list() == ["doc", "nypd", "nypd", "doc"]
    first = frame.row(0, named=True)
    assert first["decided_day"] == dt.date(2024, 3, 5).toordinal()
    assert first["administrative_warrant"] == "I-200"  # I-247A era: an administrative warrant, never judicial
    assert not first["judicial_warrant"]
    (c,) = first["convictions"]
    assert c["conviction_day"] == dt.date(2020, 5, 1).toordinal() and c["level"] == "felony"
    assert c["has_judgment"] and c["code"] == "OTHER"  # statute unknown: never proven violent-or-serious
    assert first["incarcerations"][0]["end_day"] > first["incarcerations"][0]["start_day"]
    second = frame.row(1, named=True)
    assert len(second["pending"]) == 1 and len(second["charges"]) == 1 and second["convictions"] == []
    third = frame.row(2, named=True)
    assert third["final_order_of_removal"] and third["reentered_after_removal"]
    assert third["administrative_warrant"] == "I-205"
    old = frame.row(3, named=True)
    assert old["administrative_warrant"] == "none"  # I-247D, 2016: before ICE Policy 10074.2
    assert old["decided_day"] == dt.date(2016, 1, 10).toordinal()
    assert "msc_statute" in first["unknown"]
    reasons = dict(zip(report["source_row"].to_list(), report["reason"].to_list()))
    assert reasons[4].startswith("facility outside") and reasons[5].startswith("facility outside")
    assert reasons[6].startswith("missing")
    assert reasons[7].startswith("duplicate")
    assert reasons[8].startswith("facility is not")
    assert reasons[9].startswith("MSC Conviction Date is after")


def test_all_states_keeps_other_facilities_but_not_unknown_agencies() -> None:
    _, report = import_ddp(FIXTURE, nyc_only=False)
    assert not any(r.startswith("facility outside") for r in report["reason"])


def test_agency_of() -> None:
    assert agency_of("RIKERS ISLAND") == "doc"
    assert agency_of("QUEENS CENTRAL BOOKING") == "nypd"
    assert agency_of("NYC PROBATION") == "dop"
    assert agency_of("BROOKLYN MDC") is None


def test_wrong_layout(tmp_path: Path) -> None:
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    with pytest.raises(DDPError, match="missing column"):
        import_ddp(bad)


def test_cli(tmp_path: Path) -> None:
    out = tmp_path / "ddp.parquet"
    r = CliRunner().invoke(app, ["population", "import-ddp", str(FIXTURE), "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert pl.read_parquet(out).height == 4
    r = CliRunner().invoke(app, ["population", "import-ddp", str(tmp_path / "none.csv"), "--out", str(out)])
    assert r.exit_code == 2

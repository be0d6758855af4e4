"""Validation against the published figures: same conditions, intervals, fitted versus checked."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.population.sample import sample_population
from detainerlaw.laws.nyc.population.synth import load_calibration
from detainerlaw.laws.nyc.population.validate import published, validate, wilson


@pytest.fixture(scope="module")
def rows() -> dict:
    return {r.id: r for r in validate(sample_population())}


def test_fitted_and_checked_are_kept_apart() -> None:
    figs = published()
    named = {fid for spec in load_calibration().values() for fid in spec.get("fitted_to") or []}
    assert named <= set(figs), named - set(figs)
    assert {k for k, f in figs.items() if f["role"] == "fitted"} == named
    assert figs["F1_handed_over"]["role"] == "finding"  # what DOC did is never a target
    assert "F1_handed_over" not in named and "F8_received" not in named


def test_every_figure_has_a_row_with_an_interval(rows: dict) -> None:
    assert set(rows) == set(published())
    for r in rows.values():
        if r.role == "not compared":
            assert r.population is None and r.note
            continue
        assert r.low is not None and r.low <= r.population <= r.high, r.id
        assert r.gap == pytest.approx(r.population - r.published)


def test_the_sample_reproduces_the_fitted_breakdown(rows: dict) -> None:
    for fid in ("F3_no_conviction", "F3_misdemeanor_only", "F3_felony", "F1_received", "F7_received"):
        assert rows[fid].within, (fid, rows[fid].population, rows[fid].published)


def test_handed_over_is_not_permitted_by_law(rows: dict) -> None:
    f = rows["F1_handed_over"]
    assert f.role == "finding" and f.high < f.published - 0.1  # the law permitted far less than DOC did
    assert "practice beyond the law" in f.note


def test_same_agency_and_period() -> None:
    """Volumes count the figure's agency and period only: DOC's October-September year."""
    base = sample_population().filter(pl.col("kind").cast(pl.String) == "detainer").head(4)
    days = [dt.date(2012, 10, 1), dt.date(2013, 9, 30), dt.date(2013, 10, 1), dt.date(2013, 3, 1)]
    df = base.with_columns(
        pl.Series("decided_day", [d.toordinal() for d in days], dtype=base.schema["decided_day"]),
        pl.Series("agency", ["doc", "doc", "doc", "nypd"]).cast(base.schema["agency"]),
        pl.lit(10.0).alias("weight"),
    )
    r = {x.id: x for x in validate(df)}
    assert r["F1_received"].population == 20.0 and r["F1_received"].rows == 2


def test_wilson() -> None:
    lo, hi = wilson(0.5, 100)
    assert lo == pytest.approx(0.4038, abs=1e-3) and hi == pytest.approx(0.5962, abs=1e-3)
    assert wilson(0.0, 50)[0] == 0.0 and wilson(0.0, 50)[1] > 0


def test_cli(tmp_path: Path) -> None:
    r = CliRunner().invoke(app, ["population", "validate", "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert {f["id"] for f in doc["figures"]} == set(published())
    r = CliRunner().invoke(app, ["population", "validate"])
    assert r.exit_code == 0 and "F3_no_conviction" in r.output
    bad = tmp_path / "p.parquet"
    bad.write_bytes(b"nope")
    r = CliRunner().invoke(app, ["population", "validate", "--population", str(bad)])
    assert r.exit_code == 2 and "--population" in r.output and "Traceback" not in r.output

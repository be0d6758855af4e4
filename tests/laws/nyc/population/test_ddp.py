"""Importing ICE detainer records: every published layout, detected from its header, on
fixtures built from the documented columns and example values (tests/laws/nyc/population/layouts.py)."""

from __future__ import annotations

import csv
import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.population import ddp
from detainerlaw.laws.nyc.population.ddp import (
    COLUMNS,
    R_DUPLICATE,
    R_FEDERAL,
    R_STATE,
    R_TABLE,
    DDPError,
    detect_layout,
    import_ddp,
)
from detainerlaw.laws.nyc.population.facilities import agency_of, facility_table

from . import layouts as L

FIXTURE = Path(__file__).parent / "fixtures" / "ddp_detainers_latest.csv"


def _write(kind: str, tmp: Path) -> Path:
    if kind == "ice-2025":
        return L.ice_2025_xlsx(tmp / "ERO Detainers_LESA-STU_FINAL Redacted.xlsx")
    if kind == "ice-2026":
        return L.ice_2026_xlsx(tmp / "detainers-2026.xlsx")
    if kind == "ddp-cleaned-parquet":
        L.ddp_cleaned_frame().write_parquet(tmp / "detainers.parquet")
        return tmp / "detainers.parquet"
    if kind == "ddp-cleaned-feather":
        L.ddp_cleaned_frame().write_ipc(tmp / "detainers.feather")
        return tmp / "detainers.feather"
    if kind == "ddp-cleaned-2026":
        L.ddp_cleaned_frame(renamed_2026=True).write_parquet(tmp / "detainers-2026.parquet")
        return tmp / "detainers-2026.parquet"
    if kind == "ddp-historical":
        return L.ddp_historical_parquet(tmp / "detainers-historical.parquet")
    return L.npr_csv(tmp / "FY2013.csv")


@pytest.mark.parametrize(("kind", "layout"), [
    ("ice-2025", "ice-2025"), ("ice-2026", "ice-2026"), ("ddp-cleaned-parquet", "ddp-cleaned"),
    ("ddp-cleaned-feather", "ddp-cleaned"), ("ddp-cleaned-2026", "ddp-cleaned"),
    ("ddp-historical", "ddp-historical"), ("npr", "npr"),
])
def test_every_layout(kind: str, layout: str, tmp_path: Path) -> None:
    frame, rep = import_ddp(_write(kind, tmp_path))
    assert rep.layout == layout
    assert rep.rows_read == len(L.ROWS)
    assert rep.not_imported[R_TABLE] == 3  # Nassau, Suffolk, Westchester: POLICE / PROBATION in the name
    assert rep.not_imported[R_STATE] == 1 and rep.not_imported[R_FEDERAL] == 1
    assert sum(rep.not_imported.values()) + rep.imported == rep.rows_read  # nothing dropped silently
    days = frame["decided_day"].to_list()
    assert days[0] == dt.date(2024, 3, 5).toordinal()
    if layout == "npr":  # no identifier: no episodes; no criminality column: said so
        assert frame["agency"].cast(pl.String).to_list() == ["doc", "nypd", "nypd", "doc"]
        assert "criminality" in frame["unknown"][0]
        return
    assert frame["agency"].cast(pl.String).to_list() == ["doc", "nypd", "doc"]
    assert rep.not_imported[R_DUPLICATE] == 1
    (c,) = frame.row(0, named=True)["convictions"]
    assert c["conviction_day"] == dt.date(2020, 5, 1).toordinal() and c["level"] == "felony"  # threat level 1
    assert len(frame.row(1, named=True)["pending"]) == 1


def test_lookalikes_outside_the_city_are_refused_row_by_row(tmp_path: Path) -> None:
    _, rep = import_ddp(_write("ice-2025", tmp_path))
    refused = dict(zip(rep.rejected["facility"], rep.rejected["reason"]))
    for name in L.LOOKALIKES:
        assert refused[name] == R_TABLE
        assert agency_of(name) is None
    assert "GARDENA POLICE DEPT." not in refused  # outside the state: counted, not listed


def test_episode_rule_is_an_option_and_reported(tmp_path: Path) -> None:
    f = _write("ddp-cleaned-parquet", tmp_path)
    on, rep_on = import_ddp(f)
    off, rep_off = import_ddp(f, episodes=False)
    assert off.height == on.height + 1
    assert rep_on.episode_duplicates == rep_off.episode_duplicates == 1
    assert R_DUPLICATE not in rep_off.not_imported
    assert rep_off.to_dict()["episode_rule"].startswith("off")


def test_batches_and_progress(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Read in batches (a small batch size here): rows are numbered across batches and
    only rows in New York State are kept past their batch."""
    monkeypatch.setattr(ddp, "BATCH", 2)
    seen: list[tuple[int, int | None]] = []
    f = _write("ddp-cleaned-parquet", tmp_path)
    frame, rep = import_ddp(f, progress=lambda done, total: seen.append((done, total)))
    assert [d for d, _ in seen] == [2, 4, 6, 8, 9] and seen[-1][1] == 9
    assert frame["source_row"].to_list() == [1, 2, 4]
    _, rep_x = import_ddp(_write("ice-2025", tmp_path))
    assert rep_x.imported == rep.imported


def test_facility_table_is_sourced() -> None:
    t = facility_table()
    assert t["source"].null_count() == 0 and set(t["agency"]) == {"doc", "nypd", "dop", "federal"}
    for name in ("BROOKLYN HOUSE OF DETENT.", "MANHATTAN DETENTION COMPLEX", "RIKERS ISLAND, QUEENS, NY",
                 "BRONX CENTRAL BOOKING", "QUEENS CENTRAL BOOKING"):
        assert agency_of(name) in {"doc", "nypd"}
    assert agency_of("x", "queenny") == "nypd"
    assert agency_of("BROOKLYN MDC") == "federal"
    assert agency_of("NYC PROBATION") is None  # never by a word in the name


def test_the_csv_fixture_has_the_exact_layout() -> None:
    with FIXTURE.open() as f:
        header = next(csv.reader(f))
    assert header == list(COLUMNS) and len(header) == 65
    frame, rep = import_ddp(FIXTURE)
    assert rep.layout == "ice-2025"
    assert frame["case_id"].to_list() == ["ddp-1", "ddp-2", "ddp-3", "ddp-10"]
    first = frame.row(0, named=True)
    assert first["administrative_warrant"] == "I-200" and not first["judicial_warrant"]
    assert first["incarcerations"][0]["end_day"] > first["incarcerations"][0]["start_day"]
    third = frame.row(2, named=True)
    assert third["final_order_of_removal"] and third["reentered_after_removal"]
    assert third["administrative_warrant"] == "I-205"
    assert frame.row(3, named=True)["administrative_warrant"] == "none"  # I-247D, 2016
    reasons = dict(zip(rep.rejected["source_row"].to_list(), rep.rejected["reason"].to_list()))
    assert reasons[4] == R_TABLE and 5 not in reasons and rep.not_imported[R_STATE] == 1
    assert reasons[6].startswith("missing") and reasons[7] == R_DUPLICATE and reasons[8] == R_FEDERAL
    assert reasons[9].startswith("MSC conviction date is after")


def test_unknown_layout() -> None:
    with pytest.raises(DDPError, match="prepare-date"):
        detect_layout(["a", "b"])


def test_cli(tmp_path: Path) -> None:
    out, rep = tmp_path / "ddp.parquet", tmp_path / "rejected.csv"
    src = _write("ice-2025", tmp_path)
    r = CliRunner().invoke(app, ["population", "import-ddp", str(src), "--out", str(out), "--report", str(rep),
                                 "--json"])
    assert r.exit_code == 0, r.output
    doc = json.loads(r.stdout)
    assert doc["layout"] == "ice-2025" and doc["imported"] == 3 and doc["not_imported"][R_TABLE] == 3
    assert pl.read_parquet(out).height == 3 and pl.read_csv(rep).height == 5
    bad = tmp_path / "x.csv"
    bad.write_text("a,b\n1,2\n")
    r = CliRunner().invoke(app, ["population", "import-ddp", str(bad), "--out", str(out)])
    assert r.exit_code == 2 and "prepare-date" in r.output and "Traceback" not in r.output
    junk = tmp_path / "x.xlsx"
    junk.write_bytes(b"not a workbook")
    r = CliRunner().invoke(app, ["population", "import-ddp", str(junk), "--out", str(out)])
    assert r.exit_code == 2 and "x.xlsx" in r.output

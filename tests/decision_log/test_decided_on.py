"""Each log entry keeps its case's decision date (the date only), chained in the hash of new rows; rows
written before the column existed keep their hash and still verify."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from detainerlaw.decide import decide
from detainerlaw.decision_log import DecisionLog, hashed_fields, row_hash
from detainerlaw.decision_log import store as store_module
from detainerlaw.laws.nyc.case import Case

KEY = b"k" * 32


def _case(decided_at: str) -> Case:
    return Case.model_validate({"agency": "doc", "decided_at": decided_at, "instant_arrest_date": "2013-11-20",
                                "request": {"kind": "detainer"}})


def _record(url: str, *cases: Case) -> DecisionLog:
    log = DecisionLog(url, key=KEY)
    for c in cases:
        log.record(c, decide(c, explain=False))
    return log


def test_entry_keeps_the_decision_date_only_and_chains_it(tmp_path: Path) -> None:
    db = tmp_path / "d.db"
    log = _record(f"sqlite:///{db}", _case("2013-12-01T23:30:00"), _case("2014-01-02"))
    try:
        first, second = log.entries(10, 0)
        assert (first["decided_on"], second["decided_on"]) == ("2013-12-01", "2014-01-02")
        assert log.verify().ok
        conn = sqlite3.connect(db)
        conn.row_factory = sqlite3.Row
        raw = dict(conn.execute("SELECT * FROM decision_log WHERE seq = 1").fetchone())
        assert raw["hash"] == row_hash(raw["prev_hash"], hashed_fields(raw)) and "decided_on" in hashed_fields(raw)
        for edit in ("'2015-01-01'", "NULL"):  # moved to another period, or passed off as an older row
            conn.execute(f"UPDATE decision_log SET decided_on = {edit} WHERE seq = 1")
            conn.commit()
            report = log.verify()
            assert not report.ok and report.first_bad == 1 and "altered" in report.problem
        conn.close()
    finally:
        log.close()


def test_rows_from_before_the_column_still_verify_and_new_rows_carry_it(tmp_path: Path,
                                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A log written by older code (no decided_on column, its rows hashed without it): read-only it verifies
    and reads the date as empty; opened for writing it gains the column and new rows are dated."""
    db = tmp_path / "old.db"
    url = f"sqlite:///{db}"
    older = store_module.DecisionLog._fields
    with monkeypatch.context() as m:
        m.setattr(store_module.DecisionLog, "_fields",
                  lambda self, case, decision: {**older(self, case, decision), "decided_on": None})
        _record(url, _case("2013-12-01")).close()
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE decision_log DROP COLUMN decided_on")
    conn.commit()
    conn.close()
    old = DecisionLog(url, key=KEY, readonly=True)
    assert old.verify().ok and old.all_entries()[0]["decided_on"] is None
    log = _record(url, _case("2014-01-02"))
    try:
        report = log.verify()
        assert report.ok and report.entries == 2, report.as_dict()
        assert [e["decided_on"] for e in log.entries(10, 0)] == [None, "2014-01-02"]
    finally:
        log.close()

"""Tampering with the decision log is reported: edits, a chain recomputed without the key, a cut tail,
an emptied or dropped table, forged rows, reordering; and a mandated report refuses a log that fails."""

from __future__ import annotations

import secrets
import sqlite3
from collections.abc import Callable
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect
from tests.interfaces.api.conftest import AUDITOR, example
from typer.testing import CliRunner

from detainerlaw.decide import decide
from detainerlaw.decision_log import GENESIS, DecisionLog, LogUnavailable, hashed_fields, row_hash
from detainerlaw.interfaces.cli import app as cli
from detainerlaw.laws.nyc.case import Case

NAMES = ("ex01-doc-2012-any-conviction", "ex19-nypd-2019-admin-warrant-vsc", "ex24a-dop-2018-warrant-and-recent-vsc")
CASES = [Case.model_validate(example(n)["case"]) for n in NAMES]
N = 6
HASHED = ("decision_id", "timestamp", "agency", "request_kind", "law_version", "outcomes", "citations", "input_hash")


def _rows(conn: sqlite3.Connection) -> list[dict]:
    conn.row_factory = sqlite3.Row
    return [dict(r) for r in conn.execute("SELECT * FROM decision_log ORDER BY seq")]


def edit(conn: sqlite3.Connection) -> None:
    conn.execute("""UPDATE decision_log SET outcomes = '{"hold":"permitted"}' WHERE seq = 3""")


def edit_and_rechain(conn: sqlite3.Connection) -> None:
    """What someone without the key can do: change a row and recompute every plain SHA-256 after it."""
    edit(conn)
    prev = GENESIS
    for r in _rows(conn):
        h = row_hash(prev, hashed_fields(r))
        conn.execute("UPDATE decision_log SET prev_hash = ?, hash = ? WHERE seq = ?", (prev, h, r["seq"]))
        prev = h


def truncate_tail(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM decision_log WHERE seq > 3")


def delete_all(conn: sqlite3.Connection) -> None:
    conn.execute("DELETE FROM decision_log")


def drop_table(conn: sqlite3.Connection) -> None:
    conn.execute("DROP TABLE decision_log")


def _forge(conn: sqlite3.Connection, mac: str | None) -> None:
    last = _rows(conn)[-1]
    fields = {**{k: last[k] for k in HASHED}, "decision_id": "00000000-0000-4000-8000-000000000000",
              "outcomes": '{"hold":"permitted"}'}
    h = row_hash(last["hash"], fields)
    cols = (*HASHED, "prev_hash", "hash", "mac")
    conn.execute(f"INSERT INTO decision_log ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                 (*fields.values(), last["hash"], h, mac))


def forge_row(conn: sqlite3.Connection) -> None:
    _forge(conn, secrets.token_hex(32))


def forge_row_without_mac(conn: sqlite3.Connection) -> None:
    _forge(conn, None)


def reorder(conn: sqlite3.Connection) -> None:
    conn.execute("UPDATE decision_log SET seq = -2 WHERE seq = 2")
    conn.execute("UPDATE decision_log SET seq = 2 WHERE seq = 3")
    conn.execute("UPDATE decision_log SET seq = 3 WHERE seq = -2")


# (tamper, first_bad, words the problem must contain)
TAMPERS: list[tuple[Callable[[sqlite3.Connection], None], int | None, str]] = [
    (edit, 3, "altered"),
    (edit_and_rechain, 3, "MAC does not match"),
    (truncate_tail, 4, "removed from the end"),
    (delete_all, 1, "removed from the end"),
    (drop_table, 1, "table is missing"),
    (forge_row, N + 1, "MAC does not match"),
    (forge_row_without_mac, N + 1, "no MAC"),
    (reorder, 2, "reordered"),
]
IDS = [t[0].__name__ for t in TAMPERS]


def _tamper(db: Path, how: Callable[[sqlite3.Connection], None]) -> None:
    conn = sqlite3.connect(db, isolation_level=None)
    try:
        conn.execute("BEGIN")
        how(conn)
        conn.execute("COMMIT")
    finally:
        conn.close()


def _logged(db: Path) -> str:
    url = f"sqlite:///{db}"
    log = DecisionLog(url)
    for i in range(N):
        c = CASES[i % len(CASES)]
        log.record(c, decide(c, explain=False))
    assert log.verify().ok
    log.close()
    log.engine.dispose()
    return url


@pytest.mark.parametrize(("how", "first_bad", "words"), TAMPERS, ids=IDS)
def test_verify_reports_tampering(tmp_path: Path, how: Callable, first_bad: int, words: str) -> None:
    url = _logged(tmp_path / "t.db")
    _tamper(tmp_path / "t.db", how)
    log = DecisionLog(url)  # reopened as the server would be after the change
    try:
        rep = log.verify()
        assert not rep.ok and rep.first_bad == first_bad and words in rep.problem, rep.as_dict()
        if how is drop_table:  # a dropped table is not silently re-created as an empty, valid log
            assert "decision_log" not in inspect(log.engine).get_table_names()
            assert not log.verify().ok
    finally:
        log.close()
        log.engine.dispose()


@pytest.mark.parametrize(("how", "first_bad", "words"), TAMPERS, ids=IDS)
def test_api_verify_reports_tampering(client: TestClient, how: Callable, first_bad: int, words: str) -> None:
    for i in range(N):
        assert client.post("/api/v1/decide", json=CASES[i % len(CASES)].model_dump(mode="json")).status_code == 200
    assert client.get("/api/v1/log/verify", headers=AUDITOR).json()["ok"] is True
    db = Path(client.app.state.log.engine.url.database)
    _tamper(db, how)
    rep = client.get("/api/v1/log/verify", headers=AUDITOR).json()
    assert rep["ok"] is False and rep["first_bad"] == first_bad and words in rep["problem"], rep


def test_checkpoints_altered_or_removed(tmp_path: Path) -> None:
    url = _logged(tmp_path / "c.db")
    cps = tmp_path / "c.db.checkpoints"
    lines = cps.read_text().splitlines()
    cps.write_text("\n".join(lines[1:]) + "\n")  # the first checkpoints cut off
    rep = DecisionLog(url, readonly=True).verify()
    assert not rep.ok and "does not follow" in rep.problem
    cps.write_text("\n".join(lines).replace('"n":0', '"n":9') + "\n")
    rep = DecisionLog(url, readonly=True).verify()
    assert not rep.ok and "signature" in rep.problem
    cps.unlink()
    rep = DecisionLog(url, readonly=True).verify()
    assert not rep.ok and "no signed checkpoint" in rep.problem


def test_wrong_key_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = _logged(tmp_path / "k.db")
    monkeypatch.setenv("DETAINERLAW_LOG_KEY", "another key of enough length")
    rep = DecisionLog(url, readonly=True).verify()
    assert not rep.ok and "signature" in rep.problem


def test_key_file_is_private_and_required(tmp_path: Path) -> None:
    url = _logged(tmp_path / "p.db")
    key = tmp_path / "p.db.key"
    assert key.stat().st_mode & 0o777 == 0o600
    key.unlink()
    res = CliRunner().invoke(cli, ["reports", "mandated", "--agency", "doc", "--year", "2025", "--db", url])
    assert res.exit_code == 2 and "no such key file" in " ".join(res.stderr.split())
    assert "Traceback" not in res.output


def test_log_from_before_keying_is_adopted(tmp_path: Path) -> None:
    """An old log (no mac column, no key, no checkpoints) opened for writing: the column is added, its rows
    are anchored by a first signed checkpoint, and later changes to them are reported."""
    db = tmp_path / "old.db"
    url = _logged(db)
    for p in (tmp_path / "old.db.key", tmp_path / "old.db.checkpoints"):
        p.unlink()
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE decision_log DROP COLUMN mac")
    conn.commit()
    conn.close()
    log = DecisionLog(url)
    log.record(CASES[0], decide(CASES[0], explain=False))
    rep = log.verify()
    assert rep.ok and rep.entries == N + 1 and rep.unkeyed == N, rep.as_dict()
    log.close()
    log.engine.dispose()
    _tamper(db, edit_and_rechain)
    rep = DecisionLog(url, readonly=True).verify()
    assert not rep.ok, rep.as_dict()


def test_report_refuses_a_broken_log(tmp_path: Path) -> None:
    db = tmp_path / "r.db"
    url = _logged(db)
    args = ["reports", "mandated", "--agency", "doc", "--year", "2025", "--db", url]
    assert CliRunner().invoke(cli, args).exit_code == 0
    for how in (truncate_tail, drop_table):
        _tamper(db, how)
        res = CliRunner().invoke(cli, args)
        err = " ".join(res.stderr.split())
        assert res.exit_code == 1, res.output
        assert err.startswith("error: the decision log does not verify") and "Traceback" not in res.output
        assert "no report made" in err and res.stdout == ""
    assert "table is missing" in err


def test_table_not_recreated_when_dropped_under_a_running_log(tmp_path: Path) -> None:
    url = _logged(tmp_path / "d.db")
    log = DecisionLog(url, timeout=0.5)
    _tamper(tmp_path / "d.db", drop_table)
    with pytest.raises(LogUnavailable):
        log.record(CASES[0], decide(CASES[0], explain=False))
    assert "decision_log" not in inspect(log.engine).get_table_names()
    log.close(timeout=0.5)  # the writer gives up on the entry it could not store
    assert not log.verify().ok

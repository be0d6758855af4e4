"""The decision log: minimal content, a hash chain that detects tampering, and role checks."""

from __future__ import annotations

import json

from fastapi.testclient import TestClient
from sqlalchemy import text
from tests.interfaces.api.conftest import AUDITOR, STAFF, example

CASES = [example(n)["case"] for n in ("ex01-doc-2012-any-conviction", "ex19-nypd-2019-admin-warrant-vsc",
                                      "ex24a-dop-2018-warrant-and-recent-vsc")]


def _decide_all(client: TestClient) -> list[str]:
    return [client.post("/api/v1/decide", json=c).headers["X-Decision-Id"] for c in CASES]


def test_entries_are_chained_and_minimal(client: TestClient) -> None:
    ids = _decide_all(client)
    entries = client.get("/api/v1/log/entries", headers=AUDITOR).json()
    assert [e["decision_id"] for e in entries] == ids
    assert entries[0]["prev_hash"] == "0" * 64
    assert all(b["prev_hash"] == a["hash"] for a, b in zip(entries, entries[1:], strict=False))
    assert entries[1]["outcomes"] == {"hold": "prohibited", "notify_release": "prohibited"}
    raw = json.dumps(entries)
    assert "PL 265.03" not in raw and "convictions" not in raw  # criminal history never stored
    assert client.get("/api/v1/log/verify", headers=AUDITOR).json() == {
        "ok": True, "entries": 3, "first_bad": None, "problem": None, "head": entries[-1]["hash"],
        "checkpointed": 3, "unkeyed": 0}
    assert all(len(e["mac"]) == 64 for e in entries)  # each row sealed with the log's key


def test_altered_row_is_detected(client: TestClient) -> None:
    _decide_all(client)
    client.app.state.log.flush()  # entries are written by a background thread
    with client.app.state.log.engine.begin() as conn:
        conn.execute(text("""UPDATE decision_log SET outcomes = '{"hold":"permitted"}' WHERE seq = 2"""))
    rep = client.get("/api/v1/log/verify", headers=AUDITOR).json()
    assert rep["ok"] is False and rep["first_bad"] == 2 and "altered" in rep["problem"]


def test_removed_row_is_detected(client: TestClient) -> None:
    _decide_all(client)
    client.app.state.log.flush()  # entries are written by a background thread
    with client.app.state.log.engine.begin() as conn:
        conn.execute(text("DELETE FROM decision_log WHERE seq = 2"))
    rep = client.get("/api/v1/log/verify", headers=AUDITOR).json()
    assert rep["ok"] is False and rep["first_bad"] == 3 and "removed" in rep["problem"]


def test_roles(client: TestClient) -> None:
    (did, *_) = _decide_all(client)
    assert client.get("/api/v1/log/entries").status_code == 401
    assert client.get("/api/v1/log/verify").status_code == 401
    assert client.get("/api/v1/log/entries", headers={"Authorization": "Bearer wrong"}).status_code == 401
    assert client.get(f"/api/v1/log/entries/{did}", headers=STAFF).status_code == 403
    assert client.get(f"/api/v1/log/entries/{did}", headers=AUDITOR).json()["decision_id"] == did
    assert client.get("/api/v1/log/entries/unknown", headers=AUDITOR).status_code == 404


def test_concurrent_records_chain_in_order_and_close_keeps_all(tmp_path) -> None:  # noqa: ANN001
    from concurrent.futures import ThreadPoolExecutor

    from detainerlaw.decide import decide
    from detainerlaw.decision_log import DecisionLog
    from detainerlaw.laws.nyc.case import Case

    cases = [Case.model_validate(c) for c in CASES]
    decided = [(c, decide(c, explain=False)) for c in cases]
    url = f"sqlite:///{tmp_path / 'c.db'}"
    log = DecisionLog(url)
    with ThreadPoolExecutor(8) as pool:
        ids = list(pool.map(lambda i: log.record(*decided[i % 3]).decision_id, range(300)))
    log.close()
    again = DecisionLog(url)
    rep = again.verify()
    assert rep.ok and rep.entries == 300
    assert {e["decision_id"] for e in again.entries(limit=1000)} == set(ids)
    times = [e["timestamp"] for e in again.entries(limit=1000)]
    assert times == sorted(times)  # chained in the order the decisions were recorded


def _stored_ids(db: str) -> set[str]:
    """What another process would see in the database file right now."""
    import sqlite3

    conn = sqlite3.connect(db)
    try:
        return {r[0] for r in conn.execute("SELECT decision_id FROM decision_log")}
    finally:
        conn.close()


def test_record_returns_after_the_entry_is_committed(tmp_path) -> None:  # noqa: ANN001
    from detainerlaw.decide import decide
    from detainerlaw.decision_log import DecisionLog
    from detainerlaw.laws.nyc.case import Case

    c = Case.model_validate(CASES[0])
    log = DecisionLog(f"sqlite:///{tmp_path / 'r.db'}")
    try:
        ids = [log.record(c, decide(c, explain=False)).decision_id for _ in range(5)]
        assert set(ids) <= _stored_ids(str(tmp_path / "r.db"))  # no flush: each id was stored when returned
    finally:
        log.close()


def test_record_durable_awaits_the_commit(tmp_path) -> None:  # noqa: ANN001
    import asyncio

    from detainerlaw.decide import decide
    from detainerlaw.decision_log import DecisionLog
    from detainerlaw.laws.nyc.case import Case

    c = Case.model_validate(CASES[1])
    d = decide(c, explain=False)
    log = DecisionLog(f"sqlite:///{tmp_path / 'a.db'}")

    async def burst() -> list[str]:
        return [r.decision_id for r in await asyncio.gather(*(log.record_durable(c, d) for _ in range(50)))]

    try:
        ids = asyncio.run(burst())
        assert len(set(ids)) == 50 and set(ids) <= _stored_ids(str(tmp_path / "a.db"))
        assert log.verify().ok
    finally:
        log.close()


def test_decide_answers_only_with_stored_ids(client: TestClient) -> None:
    db = client.app.state.log.engine.url.database
    ids = _decide_all(client)
    assert set(ids) <= _stored_ids(db)  # read straight from the file, without waiting for the writer
    batch = client.post("/api/v1/decide/batch", json=CASES)
    assert batch.status_code == 200
    assert len(_stored_ids(db)) == 6

"""Solver work runs in worker processes: a crashed or runaway worker costs one request a 503 and is
replaced; admission past the bound is a 503 with Retry-After; results are those of the in-process checker."""

from __future__ import annotations

import datetime as dt
import functools
import threading
import time
from collections.abc import Iterator

import pytest
from fastapi import HTTPException
from fastapi.testclient import TestClient

from detainerlaw.interfaces.api import solver

pytest.importorskip("detainerlaw.claims")

from detainerlaw.claims import bundled_claims, parse_claims  # noqa: E402
from detainerlaw.claims.engine import check_claim  # noqa: E402


@pytest.fixture(autouse=True)
def fresh_pool() -> Iterator[None]:
    solver.configure()
    yield
    solver.shutdown()


def _claim(n: int = 0) -> dict:
    """A bundled claim as JSON would carry it (dates as text)."""
    c = bundled_claims()["claims"][n]
    return {k: v.isoformat() if isinstance(v, dt.date) else v for k, v in c.items()}


def _verify(client: TestClient, claim: dict) -> object:
    return client.post("/api/v1/verify", json={"claims": [claim]})


def test_a_crashed_worker_is_a_503_and_the_next_verify_succeeds(client: TestClient,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    claim = _claim()
    monkeypatch.setitem(solver.JOBS, "verify", solver.abort_job)
    r = _verify(client, claim)
    assert r.status_code == 503, r.text
    assert r.headers["Retry-After"] == str(solver.RETRY_AFTER_S)
    assert "stopped unexpectedly" in r.json()["detail"]
    monkeypatch.setitem(solver.JOBS, "verify", solver.verify_job)
    r = _verify(client, claim)
    assert r.status_code == 200, r.text
    assert r.json()["results"][0]["verdict"] == claim["expect"]
    assert client.get("/healthz").status_code == 200


def test_a_crashed_diff_is_a_503_that_is_not_cached(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    params = {"date1": "2014-12-01", "date2": "2014-12-27"}  # dates no other test asks about
    monkeypatch.setitem(solver.JOBS, "diff", solver.abort_job)
    r = client.get("/api/v1/law/diff", params=params)
    assert r.status_code == 503 and r.headers["Retry-After"], r.text
    monkeypatch.setitem(solver.JOBS, "diff", solver.diff_job)
    r = client.get("/api/v1/law/diff", params=params)
    assert r.status_code == 200, r.text
    assert r.json()["cases"], r.json()["cases_note"]


def test_admission_past_the_bound_is_a_503_with_retry_after(client: TestClient,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    pool = solver.configure(workers=1, waiting=0)
    monkeypatch.setitem(solver.JOBS, "verify", functools.partial(solver.slow_job, 1.0, solver.verify_job))
    first: list = []
    t = threading.Thread(target=lambda: first.append(_verify(client, _claim())))
    t.start()
    for _ in range(200):
        if pool.admitted:
            break
        time.sleep(0.01)
    r = _verify(client, _claim(1))
    t.join(60)
    assert r.status_code == 503, r.text
    assert r.headers["Retry-After"] == str(solver.RETRY_AFTER_S)
    assert "busy" in r.json()["detail"]
    assert first and first[0].status_code == 200, first
    assert pool.admitted == 0


def test_no_worker_coming_free_in_time_is_a_503() -> None:
    pool = solver.configure(workers=1, waiting=1)
    data = {"claims": [_claim()]}
    slow = functools.partial(solver.slow_job, 1.0, solver.verify_job)
    pool_jobs = {**solver.JOBS, "slow": slow}
    with pytest.MonkeyPatch.context() as m:
        m.setattr(solver, "JOBS", pool_jobs)
        t = threading.Thread(target=pool.run, args=("slow", data, 3, 5000, 10.0), kwargs={"wait_s": 5, "limit_s": 60})
        t.start()
        while not pool.admitted:
            time.sleep(0.01)
        with pytest.raises(HTTPException) as e:
            pool.run("verify", data, 3, 5000, 10.0, wait_s=0.2, limit_s=60)
        t.join(60)
    assert e.value.status_code == 503 and "no solver worker came free" in e.value.detail
    assert e.value.headers == {"Retry-After": str(solver.RETRY_AFTER_S)}


def test_a_job_past_its_hard_limit_is_stopped_and_the_worker_replaced(monkeypatch: pytest.MonkeyPatch) -> None:
    data = {"claims": [_claim()]}
    monkeypatch.setitem(solver.JOBS, "verify", functools.partial(solver.slow_job, 30.0, solver.verify_job))
    t0 = time.monotonic()
    with pytest.raises(HTTPException) as e:
        solver.run("verify", data, 3, 5000, 10.0, wait_s=1, limit_s=2.0)
    assert e.value.status_code == 503 and "time limit" in e.value.detail
    assert time.monotonic() - t0 < 10
    monkeypatch.setitem(solver.JOBS, "verify", solver.verify_job)
    kind, results = solver.run("verify", data, 3, 5000, 10.0, wait_s=1, limit_s=60)
    assert kind == "ok" and results[0]["verdict"] == _claim()["expect"]


def test_results_equal_the_in_process_checker(client: TestClient) -> None:
    claim = _claim()
    r = _verify(client, claim)
    assert r.status_code == 200, r.text
    (got,) = r.json()["results"]
    from detainerlaw.interfaces.services import VERIFY_TIMEOUT_MS, _jsonable

    want = _jsonable(check_claim(parse_claims({"claims": [claim]})[0], k=3, timeout_ms=VERIFY_TIMEOUT_MS))
    assert {k: v for k, v in got.items() if k != "seconds"} == {k: v for k, v in want.items() if k != "seconds"}


def test_a_job_broken_by_the_server_stopping_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    """Stopping the server stops its workers; a job they were running is a 503 that says the server is
    stopping, not that a worker crashed."""
    data = {"claims": [_claim()]}
    monkeypatch.setitem(solver.JOBS, "verify", functools.partial(solver.slow_job, 30.0, solver.verify_job))
    got: list[HTTPException] = []

    def run() -> None:
        try:
            solver.run("verify", data, 3, 5000, 10.0, wait_s=5, limit_s=60)
        except HTTPException as e:
            got.append(e)

    t = threading.Thread(target=run)
    t.start()
    time.sleep(3)  # the worker has taken the job
    solver.shutdown()
    t.join(30)
    assert got and got[0].status_code == 503 and "the server is stopping" in got[0].detail

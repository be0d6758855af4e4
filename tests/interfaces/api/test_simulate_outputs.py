"""Simulation results leave the server suppressed by one rule; bad uploads are refused before a job
starts; a failing job says why; every error response, 500s included, carries the security headers."""

from __future__ import annotations

import csv
import io
import json
import time

import polars as pl
import pytest
from fastapi.testclient import TestClient
from tests.interfaces.api.conftest import example

from detainerlaw.interfaces.server import Settings, create_app

pytest.importorskip("detainerlaw.simulation")

UPLOAD = "/api/v1/simulate/upload"
COUNTS = ("engaged", "permitted", "prohibited", "not_governed")


def _wait(client: TestClient, job_id: str) -> dict:
    for _ in range(600):
        j = client.get(f"/api/v1/jobs/{job_id}").json()
        if j["status"] in ("done", "failed"):
            return j
        time.sleep(0.05)
    raise AssertionError("the job did not finish")


def _small(values: list) -> list:
    return [v for v in values if isinstance(v, int | float) and not isinstance(v, bool) and 0 < v < 10]


def _published_counts(client: TestClient, job: dict) -> list:
    """Every count a client can read: the rows, the summary's table and headline, the population, the CSV."""
    res = job["result"]
    s = res["summary"]
    out = [v for row in res["rows"] for v in row]
    out += [v for row in s["table"] for k, v in row.items() if k not in ("breakdown", "key", "action", "outcome")]
    out += [row[k] for row in s["summary"] for k in COUNTS]
    out += list(s["population"].values())
    text = client.get(f"/api/v1/jobs/{job['id']}/table.csv").text
    for row in list(csv.reader(io.StringIO(text)))[1:]:
        out += [float(v) for v in row[4:] if v]
    return out


def test_one_uploaded_case_reveals_no_count(client: TestClient) -> None:
    line = json.dumps(example("ex01-doc-2012-any-conviction")["case"]).encode() + b"\n"
    r = client.post(UPLOAD, data={"scenarios": "baseline"}, files={"population": ("one.jsonl", line, "x/y")})
    assert r.status_code == 202, r.text
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done", job
    counts = _published_counts(client, job)
    assert _small(counts) == []
    assert None in job["result"]["rows"][0]  # the person's own outcome is suppressed, not shown as 1.0


def test_sample_simulation_rows_and_csv_are_suppressed(client: TestClient) -> None:
    r = client.post("/api/v1/simulate", json={"scenarios": ["baseline"], "sample_rows": 300})
    assert r.status_code == 202, r.text
    job = _wait(client, r.json()["id"])
    assert job["status"] == "done", job
    counts = _published_counts(client, job)
    assert _small(counts) == []
    assert any(isinstance(v, float) and v >= 10 for v in counts)  # large cells are still shown


def test_deeply_nested_jsonl_line_is_422(client: TestClient) -> None:
    for body in (b'{"a":' * 5000, b"[" * 5000):
        r = client.post(UPLOAD, data={"scenarios": "baseline"}, files={"population": ("deep.jsonl", body, "x/y")})
        assert r.status_code == 422, r.text
        assert r.json()["errors"][0]["field"] == "population[line 1]"
        assert r.headers["X-Frame-Options"] == "DENY"


def test_screener_deeply_nested_body_is_422(client: TestClient) -> None:
    body = b'{"a":' * 1200 + b"1" + b"}" * 1200
    r = client.post("/screener/result", content=body, headers={"Content-Type": "application/json"})
    assert r.status_code == 422, r.text


def test_500_carries_the_security_headers(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from detainerlaw import facade

    def boom(*_: object) -> list:
        raise RuntimeError("a fault")

    monkeypatch.setattr(facade, "timeline", boom)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        r = c.get("/api/v1/law/versions")
    assert r.status_code == 500
    assert "a fault" not in r.text
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    assert "frame-ancestors 'none'" in r.headers["Content-Security-Policy"]


def test_law_diff_unknown_action_is_422(client: TestClient) -> None:
    r = client.get("/api/v1/law/diff", params={"date1": "2012-01-01", "date2": "2016-01-01", "action": "fly"})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == "action"


def test_law_page_unknown_action_is_a_problem(client: TestClient) -> None:
    r = client.get("/law", params={"date1": "2012-01-01", "date2": "2016-01-01", "action": "fly"})
    assert r.status_code == 422 and "action: &#39;fly&#39;" in r.text


def test_verify_documents_503_not_429(client: TestClient) -> None:
    doc = client.get("/openapi.json").json()
    responses = doc["paths"]["/api/v1/verify"]["post"]["responses"]
    assert "503" in responses and "429" not in responses


def _parquet(frame: pl.DataFrame) -> bytes:
    buf = io.BytesIO()
    frame.write_parquet(buf)
    return buf.getvalue()


def _sample(n: int = 12) -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population().head(n)


@pytest.mark.parametrize(("name", "make", "column"), [
    ("missing.parquet", lambda: _parquet(_sample().drop("judicial_warrant")), "judicial_warrant"),
    ("null-day.parquet",
     lambda: _parquet(_sample().with_columns(pl.when(pl.int_range(pl.len()) == 3).then(None)
                                             .otherwise(pl.col("decided_day")).alias("decided_day"))),
     "decided_day"),
    ("null-jw.parquet",
     lambda: _parquet(_sample().with_columns(pl.lit(None, dtype=pl.Boolean).alias("judicial_warrant"))),
     "judicial_warrant"),
    ("garbage.csv", lambda: b"a,b\n1,2\n", "agency"),
])
def test_bad_facts_frames_are_refused_before_a_job(client: TestClient, name: str, make, column: str) -> None:  # noqa: ANN001
    r = client.post(UPLOAD, data={"scenarios": "baseline"}, files={"population": (name, make(), "x/y")})
    assert r.status_code == 422, r.text
    err = r.json()["errors"][0]
    assert err["field"] == "population" and column in err["problem"], err


def test_simulate_refuses_a_null_fact_whatever_the_backend() -> None:
    from detainerlaw.simulation import simulate

    frame = _sample().with_columns(pl.lit(None, dtype=pl.Boolean).alias("judicial_warrant"))
    for backend in (None, "interpreter"):
        with pytest.raises(ValueError, match="judicial_warrant"):
            simulate(frame, None, ["baseline"], backend=backend)


def test_a_failing_job_says_why(client: TestClient, monkeypatch: pytest.MonkeyPatch) -> None:
    import detainerlaw.simulation as sim

    def bad(*a: object, **k: object) -> None:
        raise ValueError("scenario x: lookback_years: expected a whole number")

    monkeypatch.setattr(sim, "simulate", bad)
    r = client.post("/api/v1/simulate", json={"scenarios": ["baseline"], "sample_rows": 10})
    job = _wait(client, r.json()["id"])
    assert job["status"] == "failed"
    assert job["error"] == "scenario x: lookback_years: expected a whole number"

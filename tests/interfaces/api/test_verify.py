"""POST /api/v1/verify: claims as JSON, verdicts with replayable counterexamples, bad claims named by field,
bounded time; the law diff's distinguishing cases."""

from __future__ import annotations

import importlib

import pytest
from fastapi.testclient import TestClient
from tests.interfaces.api.conftest import AUDITOR, example

from detainerlaw.interfaces import services

pytest.importorskip("detainerlaw.claims")

FAILING = {"id": "doc-judicial-warrant-suffices-2024",
           "text": "With a judicial warrant, DOC may always honor a detainer.",
           "kind": "forall", "as_of": "2024-02-05",
           "given": {"agency": "doc", "request": {"kind": "detainer", "judicial_warrant": True}},
           "then": {"hold": "permitted"}, "expect": "fails"}


def test_failing_claim_has_a_counterexample_that_decides(client: TestClient) -> None:
    r = client.post("/api/v1/verify", json={"claims": [FAILING]})
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    assert res["id"] == FAILING["id"] and res["verdict"] == "fails" and res["expected_matched"] is True
    assert isinstance(res["seconds"], float) and res["bounds"]
    ce = res["counterexample"]
    assert ce["agency"] == "doc" and ce["request"]["judicial_warrant"] is True
    d = client.post("/api/v1/decide", json=ce).json()
    assert d["actions"]["hold"]["outcome"] != "permitted"


@pytest.mark.parametrize("claim, field", [
    ({**FAILING, "kind": "sometimes"}, "claims[0].kind"),
    ({**FAILING, "then": {"hold": "maybe"}}, "claims[0].then.hold"),
    ({**FAILING, "as_of": "2024-13-01"}, "claims[0].as_of"),
    ({**FAILING, "given": {"agency": "fbi"}}, "claims[0].given.agency"),
    ({k: v for k, v in FAILING.items() if k != "id"}, "claims[0].id"),
])
def test_bad_claim_is_a_422_naming_the_field(client: TestClient, claim: dict, field: str) -> None:
    r = client.post("/api/v1/verify", json={"claims": [claim]})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field


def test_claims_document_shape(client: TestClient) -> None:
    assert client.post("/api/v1/verify", json={"claims": []}).status_code == 422
    assert client.post("/api/v1/verify", json={"claims": [1]}).status_code == 422
    assert client.post("/api/v1/verify", json={}).status_code == 422
    r = client.post("/api/v1/verify", params={"timeout_ms": 10**9}, json={"claims": [FAILING]})
    assert r.status_code == 422 and r.json()["errors"][0]["field"] == "query.timeout_ms"


def test_time_budget_reports_unknown() -> None:
    mod = importlib.import_module("detainerlaw.claims")
    out = services.run_verify(mod, {"claims": [FAILING, {**FAILING, "id": "second"}]}, budget_s=0.0)
    assert [r["verdict"] for r in out["results"]] == ["unknown", "unknown"]
    assert all("time budget" in r["error"] for r in out["results"])


def test_bundled_claims(client: TestClient) -> None:
    claims = client.get("/api/v1/claims").json()["claims"]
    assert claims and all("id" in c for c in claims)


def test_log_verify_sees_every_decision_recorded_before(client: TestClient) -> None:
    case = example("ex01-doc-2012-any-conviction")["case"]
    ids = [client.post("/api/v1/decide?explain=false", json=case).headers["X-Decision-Id"] for _ in range(40)]
    rep = client.get("/api/v1/log/verify", headers=AUDITOR).json()
    assert rep["ok"] and rep["entries"] == 40
    last = client.get(f"/api/v1/log/entries/{ids[-1]}", headers=AUDITOR).json()
    assert last["seq"] == 40 and last["hash"] == rep["head"]


def _jsonl(*lines: object) -> bytes:
    import json

    return b"\n".join(json.dumps(x).encode() for x in lines) + b"\n"


def test_upload_population_as_json_lines(client: TestClient) -> None:
    pytest.importorskip("detainerlaw.simulation")
    import time

    a, b = example("ex01-doc-2012-any-conviction")["case"], example("ex19-nypd-2019-admin-warrant-vsc")["case"]
    files = {"population": ("cases.jsonl", _jsonl(a, {"case": b, "weight": 3}), "application/x-ndjson")}
    r = client.post("/api/v1/simulate/upload", data={"scenarios": "baseline"}, files=files)
    assert r.status_code == 202, r.text
    job = r.json()
    for _ in range(300):
        job = client.get(f"/api/v1/jobs/{job['id']}").json()
        if job["status"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert job["status"] == "done", job


@pytest.mark.parametrize("body, field", [
    (b'{"agency": "doc"\n', "population[line 1]"),
    (_jsonl({"agency": "fbi", "decided_at": "2020-01-01", "request": {"kind": "detainer"}}),
     "population[line 1].agency"),
    (_jsonl({"case": {"agency": "doc"}, "weight": -1}), "population[line 1].weight"),
])
def test_bad_json_lines_name_the_line(client: TestClient, body: bytes, field: str) -> None:
    pytest.importorskip("detainerlaw.simulation")
    r = client.post("/api/v1/simulate/upload", data={"scenarios": "baseline"},
                    files={"population": ("cases.jsonl", body, "application/x-ndjson")})
    assert r.status_code == 422, r.text
    assert r.json()["errors"][0]["field"] == field

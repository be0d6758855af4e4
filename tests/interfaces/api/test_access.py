"""Access control: every route has a rule in access.POLICY, and every rule's refusals are enforced."""

from __future__ import annotations

import json
import re
import time

import pytest
from fastapi.testclient import TestClient
from tests.interfaces.api.conftest import AUDITOR, STAFF, example

from detainerlaw.interfaces.api.access import POLICY, Rule, app_routes
from detainerlaw.interfaces.server import Settings, create_app

EX = example("ex01-doc-2012-any-conviction")["case"]
REMOTE = ("203.0.113.7", 40000)  # not a loopback address
STAFF2 = {"Authorization": "Bearer staff-token-2"}
BODIES = {"json": {"json": EX}, "form": {"data": {"scenarios": "baseline"},
                                         "files": {"population": ("c.jsonl", json.dumps(EX).encode() + b"\n")}}}


def _url(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "x", path) + ("/app.css" if path == "/static" else "")


def _call(c: TestClient, method: str, path: str, rule: Rule, headers: dict | None = None):  # noqa: ANN202
    kw = BODIES.get(rule.body or "", {})
    return c.request(method, _url(path), headers=headers, **kw)


@pytest.fixture
def remote(settings: Settings) -> TestClient:
    settings.decide_access = "token"
    settings.tokens["staff-token-2"] = "staff"
    with TestClient(create_app(settings), client=REMOTE) as c:
        yield c


def test_every_route_has_a_rule(client: TestClient) -> None:
    assert set(app_routes(client.app)) == set(POLICY)


def test_a_route_without_a_rule_is_refused_at_startup(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    import detainerlaw.interfaces.api.access as access

    monkeypatch.delitem(access.POLICY, ("GET", "/api/v1/law/versions"))
    with pytest.raises(RuntimeError, match="GET /api/v1/law/versions"):
        create_app(settings)


GUARDED = [(m, p, r) for (m, p), r in POLICY.items() if not r.anyone and not r.job]


@pytest.mark.parametrize(("method", "path", "rule"), GUARDED, ids=[f"{m} {p}" for m, p, _ in GUARDED])
def test_no_token_is_401(remote: TestClient, method: str, path: str, rule: Rule) -> None:
    r = _call(remote, method, path, rule)
    assert r.status_code == 401, r.text
    assert "token" in r.text
    if not rule.page:
        assert r.json()["errors"][0]["field"] == "Authorization"
        assert r.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize(("method", "path", "rule"), GUARDED, ids=[f"{m} {p}" for m, p, _ in GUARDED])
def test_unknown_token_is_401(remote: TestClient, method: str, path: str, rule: Rule) -> None:
    assert _call(remote, method, path, rule, {"Authorization": "Bearer nope"}).status_code == 401


@pytest.mark.parametrize(("method", "path", "rule"), GUARDED, ids=[f"{m} {p}" for m, p, _ in GUARDED])
def test_wrong_role_is_403(remote: TestClient, method: str, path: str, rule: Rule) -> None:
    other = AUDITOR if "auditor" not in rule.roles else STAFF
    if set(rule.roles) >= {"staff", "auditor"}:
        pytest.skip("every role may call it")
    assert _call(remote, method, path, rule, other).status_code == 403


@pytest.mark.parametrize(("method", "path", "rule"), GUARDED, ids=[f"{m} {p}" for m, p, _ in GUARDED])
def test_right_role_passes(remote: TestClient, method: str, path: str, rule: Rule) -> None:
    token = {"staff": STAFF, "auditor": AUDITOR}[rule.roles[0]]
    assert _call(remote, method, path, rule, token).status_code not in (401, 403)


OPEN = [(m, p, r) for (m, p), r in POLICY.items() if r.anyone]


@pytest.mark.parametrize(("method", "path", "rule"), OPEN, ids=[f"{m} {p}" for m, p, _ in OPEN])
def test_public_routes_need_no_token(remote: TestClient, method: str, path: str, rule: Rule) -> None:
    assert _call(remote, method, path, rule).status_code not in (401, 403)


DECIDING = [(m, p, r) for (m, p), r in POLICY.items() if r.decide]


@pytest.mark.parametrize(("method", "path", "rule"), DECIDING, ids=[f"{m} {p}" for m, p, _ in DECIDING])
def test_localhost_mode(settings: Settings, method: str, path: str, rule: Rule) -> None:
    settings.decide_access = "localhost"
    app = create_app(settings)
    with TestClient(app, client=REMOTE) as far, TestClient(app) as near:
        assert _call(far, method, path, rule).status_code == 401
        assert _call(far, method, path, rule, STAFF).status_code not in (401, 403)
        assert _call(near, method, path, rule).status_code not in (401, 403)


def test_screener_in_token_mode_refuses_and_logs_nothing(remote: TestClient) -> None:
    r = remote.post("/screener/result", json=EX)
    assert r.status_code == 401 and r.headers["content-type"].startswith("text/html")
    assert "API token is required" in r.text and "Traceback" not in r.text
    remote.app.state.log.flush()
    assert remote.app.state.log.entries(10, 0) == []
    r = remote.post("/screener/result", json=EX, headers=STAFF)
    assert r.status_code == 200 and "hold" in r.text.lower()


def test_staff_may_neither_list_nor_read_log_entries(remote: TestClient) -> None:
    assert remote.get("/api/v1/log/entries", headers=STAFF).status_code == 403
    assert remote.get("/api/v1/log/entries/x", headers=STAFF).status_code == 403
    assert remote.get("/api/v1/log/entries", headers=AUDITOR).status_code == 200
    assert remote.get("/api/v1/log/verify", headers=STAFF).status_code == 200


def _wait(c: TestClient, job_id: str, headers: dict) -> dict:
    for _ in range(300):
        j = c.get(f"/api/v1/jobs/{job_id}", headers=headers).json()
        if j["status"] in ("done", "failed"):
            return j
        time.sleep(0.1)
    raise AssertionError("job did not finish")


def test_upload_job_is_visible_only_to_its_owner(remote: TestClient) -> None:
    pytest.importorskip("detainerlaw.simulation")
    r = remote.post("/api/v1/simulate/upload", headers=STAFF, **BODIES["form"])
    assert r.status_code == 202, r.text
    jid = r.json()["id"]
    assert _wait(remote, jid, STAFF)["status"] == "done"
    for path in (f"/api/v1/jobs/{jid}", f"/api/v1/jobs/{jid}/table.csv"):
        assert remote.get(path, headers=STAFF).status_code == 200
        assert remote.get(path).status_code == 401  # anonymous may not upload from here, so may not read
        assert remote.get(path, headers=AUDITOR).status_code == 403
        other = remote.get(path, headers=STAFF2)  # another staff member learns nothing
        assert other.status_code == 404 and other.json()["detail"] == "job_id: no job " + repr(jid)


def test_sample_job_started_with_a_token_is_bound_to_it(remote: TestClient) -> None:
    pytest.importorskip("detainerlaw.simulation")
    r = remote.post("/api/v1/simulate", json={"scenarios": ["baseline"], "sample_rows": 20}, headers=STAFF)
    assert r.status_code == 202, r.text
    jid = r.json()["id"]
    assert remote.get(f"/api/v1/jobs/{jid}").status_code == 404
    assert remote.get(f"/api/v1/jobs/{jid}", headers=STAFF2).status_code == 404
    assert remote.get(f"/api/v1/jobs/{jid}", headers=STAFF).status_code == 200

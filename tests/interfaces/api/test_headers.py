"""Security headers on every response, 415 for bodies of the wrong type, the Host check, cross-site posts."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from tests.interfaces.api.conftest import example

from detainerlaw.interfaces.api.access import PAGE_CSP, POLICY
from detainerlaw.interfaces.server import Settings, create_app

EX = example("ex01-doc-2012-any-conviction")["case"]
TEMPLATES = Path(__file__).resolve().parents[2] / "src/detainerlaw/web/templates"


@pytest.mark.parametrize(("method", "path", "kw"), [
    ("GET", "/", {}), ("GET", "/screener", {}), ("GET", "/static/app.css", {}), ("GET", "/api/v1/law", {}),
    ("GET", "/nowhere", {}), ("GET", "/api/v1/log/entries", {}), ("POST", "/api/v1/decide", {"json": {}}),
    ("POST", "/api/v1/decide", {"content": b" " * 1_000_001, "headers": {"Content-Type": "application/json"}}),
    ("GET", "/docs", {}),
])
def test_security_headers_on_every_response(client: TestClient, method: str, path: str, kw: dict) -> None:
    r = client.request(method, path, **kw)
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    assert r.headers["X-Frame-Options"] == "DENY"
    assert r.headers["Referrer-Policy"] == "no-referrer"
    csp = r.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp and "object-src 'none'" in csp


def test_page_csp_admits_what_the_templates_use() -> None:
    """No inline script runs except JSON data blocks; each inline event handler is allowed by its hash."""
    for t in TEMPLATES.glob("*.html"):
        text = t.read_text()
        for attrs in re.findall(r"<script([^>]*)>", text):
            assert "src=" in attrs or 'type="application/json"' in attrs, (t.name, attrs)
        assert "style=" not in text and "<style" not in text, t.name
        for handler in re.findall(r'\son[a-z]+="([^"]*)"', text):
            digest = base64.b64encode(hashlib.sha256(handler.encode()).digest()).decode()
            assert f"'sha256-{digest}'" in PAGE_CSP, (t.name, handler)
        assert "http://" not in text and "https://" not in text, t.name


JSON_ROUTES = [(m, p) for (m, p), r in POLICY.items() if r.body == "json"]


@pytest.mark.parametrize(("method", "path"), JSON_ROUTES, ids=[f"{m} {p}" for m, p in JSON_ROUTES])
def test_text_plain_is_415(client: TestClient, method: str, path: str) -> None:
    import json

    r = client.request(method, path, content=json.dumps(EX), headers={"Content-Type": "text/plain"})
    assert r.status_code == 415, r.text
    assert "Content-Type" in r.text
    client.app.state.log.flush()
    assert client.app.state.log.entries(10, 0) == []  # nothing decided, nothing logged


def test_form_endpoint_refuses_json(client: TestClient) -> None:
    r = client.post("/api/v1/simulate/upload", json={"scenarios": "baseline"})
    assert r.status_code == 415 and r.json()["errors"][0]["field"] == "Content-Type"


def test_cross_site_post_is_refused(client: TestClient) -> None:
    r = client.post("/api/v1/decide", json=EX, headers={"Sec-Fetch-Site": "cross-site"})
    assert r.status_code == 403 and r.json()["errors"][0]["field"] == "Origin"
    assert client.post("/api/v1/decide", json=EX, headers={"Sec-Fetch-Site": "same-origin"}).status_code == 200


def test_host_check(client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    r = client.get("/api/v1/law", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.json()["errors"][0]["field"] == "Host"
    for host in ("localhost:8000", "127.0.0.1", "[::1]:80"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
    monkeypatch.setenv("DETAINERLAW_ALLOWED_HOSTS", "laws.example.org")
    with TestClient(create_app(Settings(db_url=settings.db_url)), base_url="http://laws.example.org") as c:
        assert c.get("/healthz").status_code == 200
        assert c.get("/healthz", headers={"Host": "localhost"}).status_code == 400
    monkeypatch.setenv("DETAINERLAW_ALLOWED_HOSTS", "*")
    with TestClient(create_app(Settings(db_url=settings.db_url))) as c:
        assert c.get("/healthz", headers={"Host": "anything.example"}).status_code == 200

"""Property-based run over the OpenAPI document: every generated request gets an answer the document
declares (status code, content type, headers, body schema), and never a server error."""

from __future__ import annotations

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from detainerlaw.interfaces.api.access import POLICY
from detainerlaw.interfaces.server import Settings, create_app

_db = tempfile.NamedTemporaryFile(suffix=".db", delete=False)  # noqa: SIM115 - lives for the session
app = create_app(Settings(db_url=f"sqlite:///{_db.name}", tokens={"s": "staff", "a": "auditor"}))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_headers_conformance,
          response_schema_conformance]


def _token(method: str, path: str) -> dict[str, str]:
    """The token of a role the route admits (staff for open routes), so guarded routes are exercised too."""
    rule = POLICY.get((method.upper(), path))
    roles = rule.roles if rule else ()
    return {"Authorization": "Bearer a" if roles == ("auditor",) else "Bearer s"}


@pytest.mark.timeout(240)
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_responses_conform(case: schemathesis.Case) -> None:
    headers = {**(case.headers or {}), **_token(case.method, case.path)}
    response = case.call_and_validate(headers=headers, checks=CHECKS)
    assert "Traceback" not in response.text


@pytest.mark.timeout(240)
@schema.parametrize()
@settings(max_examples=3, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_anonymous_responses_conform(case: schemathesis.Case) -> None:
    """Without a token the guarded routes answer 401, as the document says."""
    case.call_and_validate(checks=CHECKS)


def test_document_is_truthful() -> None:
    doc = app.openapi()
    assert "HTTPValidationError" not in doc["components"]["schemas"]
    decide = doc["paths"]["/api/v1/decide"]["post"]
    assert decide["security"] == [{}, {"bearer": []}]  # "localhost" mode: the token is optional
    assert decide["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/Problem")
    assert {"401", "403", "413", "415", "422"} <= set(decide["responses"])
    assert "security" not in doc["paths"]["/api/v1/law"]["get"]
    assert doc["paths"]["/api/v1/log/entries"]["get"]["security"] == [{"bearer": []}]
    for path in ("/api/v1/verify", "/api/v1/law/diff"):
        (op,) = doc["paths"][path].values()
        assert "Retry-After" in op["responses"]["503"]["headers"]
    token_doc = create_app(Settings(db_url=f"sqlite:///{_db.name}", decide_access="token")).openapi()
    assert token_doc["paths"]["/api/v1/decide"]["post"]["security"] == [{"bearer": []}]

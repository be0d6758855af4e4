"""Property-based run over the OpenAPI document: no generated request may cause a server error."""

from __future__ import annotations

import tempfile

import pytest
import schemathesis
from hypothesis import HealthCheck, settings

from detainerlaw.api import Settings, create_app

_db = tempfile.NamedTemporaryFile(suffix=".db", delete=False)  # noqa: SIM115 - lives for the session
app = create_app(Settings(db_url=f"sqlite:///{_db.name}", tokens={"t": "auditor"}))
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.mark.timeout(120)
@schema.parametrize()
@settings(max_examples=8, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_no_server_errors(case: schemathesis.Case) -> None:
    response = case.call()
    assert response.status_code < 500, (case.method, case.path, response.status_code, response.text)
    assert "Traceback" not in response.text

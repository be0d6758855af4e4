"""Fixtures: an app on a fresh SQLite log with one staff and one auditor token."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from detainerlaw.interfaces.server import Settings, create_app

STAFF = {"Authorization": "Bearer staff-token"}
AUDITOR = {"Authorization": "Bearer auditor-token"}


def example(name: str) -> dict:
    return json.loads(files("detainerlaw").joinpath(f"data/examples/{name}.json").read_text())


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings(db_url=f"sqlite:///{tmp_path / 'log.db'}", tokens={"staff-token": "staff",
                                                                     "auditor-token": "auditor"}, max_batch=5)


@pytest.fixture
def client(settings: Settings) -> Iterator[TestClient]:
    with TestClient(create_app(settings)) as c:
        yield c

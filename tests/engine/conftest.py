"""Fixtures of the engine's tests."""

from __future__ import annotations

import importlib

import pytest


@pytest.fixture
def compilations(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The agency of each plan compiled while the test runs (``partitions.compile_snapshot``
    counted); a test clears it where its count begins."""
    partitions = importlib.import_module("detainerlaw.engine.columnar.partitions")  # the package names a function so
    compiled: list[str] = []
    real = partitions.compile_snapshot

    def counting(snapshot, actions, exprs=None, lowered=None):  # noqa: ANN001, ANN202
        compiled.append(snapshot.agency)
        return real(snapshot, actions, exprs, lowered)

    monkeypatch.setattr(partitions, "compile_snapshot", counting)
    return compiled

"""The tests in this folder check the city's Administrative Code on its own: every decision
here is made by New York City's layer alone (its ``by_layer["nyc"]`` answer), not combined
with the federal and state layers stacked above it (tests/laws/us, tests/laws/ny and
tests/laws/test_layers.py check those and the combination)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest

from detainerlaw import jurisdictions


@pytest.fixture(autouse=True)
def city_layer_only() -> Iterator[None]:
    place = jurisdictions.get("nyc")
    alone = dataclasses.replace(place, layers=tuple(layer for layer in place.layers if layer.id == place.home))
    jurisdictions.register(alone)
    try:
        yield
    finally:
        jurisdictions.register(place)

"""Helpers for the layer tests: one case decided under every layer, read layer by layer."""

from __future__ import annotations

from detainerlaw.decide import decide
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.models.decision import Decision


def decided(c: object, reform: Reform = BASELINE) -> Decision:
    return decide(c, reform=reform)


def layer(d: Decision, action: str, lid: str) -> str:
    return d.actions[action].by_layer[lid].outcome.value


def combined(d: Decision, action: str) -> str:
    return d.actions[action].outcome.value


def codes(d: Decision) -> list[str]:
    return [n.code for n in d.notes]

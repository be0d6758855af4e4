"""Scenarios: reforms and counterfactuals as YAML files, loaded as ``Reform`` overlays.

A scenario file has ``name``, ``title``, a one-paragraph ``description``, its ``source``,
and any of: ``params`` (parameter overrides, a constant or ``{date: value}``),
``disable`` (rule-id prefixes switched off), ``disable_from`` (the day from which they are
off), ``layer`` (the layer of the place's stack it changes, e.g. ``ny``: its parameters are
that layer's; by default the place's own law) and ``as_of`` (decide every case under the law in
force on that day: how the enacted versions are applied to the same cases). The library is the ``*.yaml`` files next to
this module; any other file can be loaded by path.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from detainerlaw.engine.calendar import as_date
from detainerlaw.engine.pack import BASELINE, Reform

_KEYS = {"name", "title", "description", "source", "params", "disable", "disable_from", "as_of", "layer"}


class ScenarioError(ValueError):
    """A scenario that cannot be found or read."""


@dataclass(frozen=True)
class Scenario(Reform):
    """A ``Reform`` with a title and an optional as-of date for every case."""

    title: str = ""
    as_of: dt.date | None = None

    @property
    def changes_law(self) -> bool:
        """Whether it overlays the law (else it is the baseline, possibly on another date)."""
        return bool(self.params or self.disable or self.add)

    def reform(self) -> Reform:
        """The overlay to evaluate with: the baseline itself when the law is unchanged,
        so its cached snapshots are shared."""
        return self if self.changes_law else BASELINE


def _library() -> Path:
    return Path(str(files("detainerlaw.scenarios")))


def _date(x: Any, field: str, where: str) -> dt.date | None:
    if x is None:
        return None
    try:
        return as_date(x)
    except ValueError as e:
        raise ScenarioError(f"{where}: {field}: {e}") from None


def _from_mapping(raw: Any, where: str, default_name: str) -> Scenario:
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: a scenario is a mapping with name, title, description, source")
    unknown = set(raw) - _KEYS
    if unknown:
        raise ScenarioError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    params = raw.get("params") or {}
    if not isinstance(params, dict):
        raise ScenarioError(f"{where}: params must be a mapping of parameter names to values")
    from detainerlaw import jurisdictions

    place = jurisdictions.get(jurisdictions.DEFAULT)
    layer = str(raw.get("layer") or "")
    ids = [lay.id for lay in place.layers]
    if layer and layer not in ids:
        raise ScenarioError(f"{where}: layer: {layer!r} is not one of {', '.join(ids)}")
    baseline = place.pack(layer or None).params
    bad = sorted(set(map(str, params)) - set(baseline.timelines))
    if bad:
        raise ScenarioError(f"{where}: params: unknown parameter(s): {', '.join(bad)}")
    try:  # each value checked against the baseline's type and declared bounds, now rather than mid-simulation
        baseline.with_overrides(params)
    except ValueError as e:
        raise ScenarioError(f"{where}: params.{e}") from None
    disable = raw.get("disable") or []
    if isinstance(disable, str) or not all(isinstance(d, str) for d in disable):
        raise ScenarioError(f"{where}: disable must be a list of rule-id prefixes")
    return Scenario(
        name=str(raw.get("name") or default_name),
        params=dict(params),
        disable=tuple(disable),
        disable_from=_date(raw.get("disable_from"), "disable_from", where),
        description=" ".join(str(raw.get("description", "")).split()),
        source=str(raw.get("source", "")),
        title=str(raw.get("title") or raw.get("name") or default_name),
        as_of=_date(raw.get("as_of"), "as_of", where),
        layer="" if layer == place.home else layer,
    )


def load_scenario(name_or_path: str | Path) -> Scenario:
    """A library scenario by name (``int-395-2024``) or a YAML file by path."""
    p = Path(name_or_path)
    if p.suffix in (".yaml", ".yml") and p.exists():
        path = p
    else:
        path = _library() / f"{name_or_path}.yaml"
        if not path.exists():
            names = ", ".join(s["name"] for s in list_scenarios())
            raise ScenarioError(f"no scenario {str(name_or_path)!r}: give a file or one of {names}")
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ScenarioError(f"{path}: cannot be read ({e.strerror or type(e).__name__})") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ScenarioError(f"{path}: not UTF-8 text (byte {e.start + 1}: {e.reason})") from None
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as e:
        raise ScenarioError(f"{path}: not valid YAML ({e})") from None
    except RecursionError:
        raise ScenarioError(f"{path}: not valid YAML (nested too deeply)") from None
    return _from_mapping(raw, str(path), path.stem)


def list_scenarios() -> list[dict[str, str]]:
    """The library: name, title, description and source of each scenario."""
    out = []
    for path in sorted(_library().glob("*.yaml")):
        s = load_scenario(path)
        out.append({"name": s.name, "title": s.title, "description": s.description, "source": s.source})
    return out

"""Dated parameters: a value from a date on, each with its reference (as in OpenFisca).

A parameter file is YAML::

    lookback_years:
      description: Years a violent-or-serious judgment stays recent.
      values:
        2014-12-14: {value: 5, reference: "§ 9-131(a)(2)(ii) (LL 58/2014)"}

A reform overlays values without touching the baseline: ``ParamSet.with_overrides``
returns a new set sharing every timeline it does not change.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml


@dataclass(frozen=True)
class Timeline:
    name: str
    description: str
    dates: tuple[dt.date, ...]
    values: tuple[Any, ...]
    references: tuple[str, ...]
    register: str | None = None  # interpretation-register code this parameter embodies

    def at(self, day: dt.date) -> Any:
        """The value in force on ``day``; before the first date, the first value (only
        versions not yet in force read a parameter that early, so it never decides)."""
        i = bisect_right(self.dates, day) - 1
        return self.values[max(i, 0)]


def _date(x: Any) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))


def timeline_from_yaml(name: str, spec: Any) -> Timeline:
    """Read one parameter: a mapping with ``values``, or a bare constant (from all time)."""
    if not isinstance(spec, dict) or "values" not in spec:
        return Timeline(name, "", (dt.date.min,), (spec,), ("",))
    items = sorted(((_date(d), v) for d, v in spec["values"].items()), key=lambda kv: kv[0])
    vals, refs = [], []
    for _, v in items:
        if isinstance(v, dict) and "value" in v:
            vals.append(_coerce(v["value"]))
            refs.append(str(v.get("reference", "")))
        else:
            vals.append(_coerce(v))
            refs.append("")
    return Timeline(
        name,
        str(spec.get("description", "")),
        tuple(d for d, _ in items),
        tuple(vals),
        tuple(refs),
        spec.get("register"),
    )


def _coerce(v: Any) -> Any:
    if isinstance(v, list):
        return tuple(v)
    return v


@dataclass(frozen=True)
class ParamSet:
    timelines: dict[str, Timeline] = field(default_factory=dict)

    @classmethod
    def load(cls, path: Path) -> ParamSet:
        raw = yaml.safe_load(path.read_text()) or {}
        return cls({k: timeline_from_yaml(k, v) for k, v in raw.items()})

    def at(self, day: dt.date) -> Params:
        return Params({k: t.at(day) for k, t in self.timelines.items()}, day)

    def breakpoints(self) -> set[dt.date]:
        out: set[dt.date] = set()
        for t in self.timelines.values():
            out.update(d for d in t.dates if d != dt.date.min)
            out.update(v for v in t.values if isinstance(v, dt.date))
        return out

    def with_overrides(self, overrides: dict[str, Any]) -> ParamSet:
        """New values for some parameters: a constant, or a ``{date: value}`` mapping
        that is merged into the baseline timeline from each date on."""
        unknown = sorted(set(overrides) - set(self.timelines))
        if unknown:
            raise KeyError(f"unknown parameter(s): {', '.join(unknown)}")
        new = dict(self.timelines)
        for name, spec in overrides.items():
            base = self.timelines[name]
            if isinstance(spec, dict) and "values" not in spec:
                merged = dict(zip(base.dates, zip(base.values, base.references)))
                for d, v in spec.items():
                    merged[_date(d)] = (_coerce(v), "reform")
                ds = sorted(merged)
                new[name] = Timeline(
                    name,
                    base.description,
                    tuple(ds),
                    tuple(merged[d][0] for d in ds),
                    tuple(merged[d][1] for d in ds),
                    base.register,
                )
            else:
                t = timeline_from_yaml(name, spec)
                new[name] = Timeline(name, base.description, t.dates, t.values, t.references, base.register)
        return ParamSet(new)


class Params:
    """Parameter values on one day, read as attributes (``p.lookback_years``)."""

    __slots__ = ("_values", "day")

    def __init__(self, values: dict[str, Any], day: dt.date):
        self._values = values
        self.day = day

    def __getattr__(self, name: str) -> Any:
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no parameter {name!r}") from None

    def items(self):
        return self._values.items()

"""Dated parameters: a value from a date on, each with its reference (as in OpenFisca).

A parameter file is YAML::

    lookback_years:
      description: Years a violent-or-serious judgment stays recent.
      values:
        2014-12-14: {value: 5, reference: "§ 9-131(a)(2)(ii) (LL 58/2014)"}

A parameter may declare bounds on the values a reform may give it: ``min`` and ``max`` for a
number, ``choices`` for a word; ``bound: run`` says the rules read it only through
``Param``. A reform overlays values without touching the baseline:
``ParamSet.with_overrides`` returns a new set sharing every timeline it does not change,
after checking each new value against the baseline's (its type, and the declared bounds): a
whole number stays a whole number (never a boolean), a boolean a boolean, a date a date (or
an ISO ``YYYY-MM-DD`` string), a list a list of strings. A value that does not fit is one
``ValueError("<parameter>: <problem>")``.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml

from detainerlaw.engine.calendar import FIRST_DAY, LAST_DAY


@dataclass(frozen=True)
class Timeline:
    name: str
    description: str
    dates: tuple[dt.date, ...]
    values: tuple[Any, ...]
    references: tuple[str, ...]
    register: str | None = None  # interpretation-register code this parameter embodies
    minimum: float | None = None  # bounds a reform's value must keep (numbers)
    maximum: float | None = None
    choices: tuple[str, ...] | None = None  # the words a reform may choose from
    # ``bound: run``: the rules read the value only through ``Param`` (and in the words of explanations),
    # so a reform of it keeps their structure (checked by tests/engine/test_bound_at_run.py)
    at_run: bool = False

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
    choices = spec.get("choices")
    return Timeline(
        name,
        str(spec.get("description", "")),
        tuple(d for d, _ in items),
        tuple(vals),
        tuple(refs),
        spec.get("register"),
        spec.get("min"),
        spec.get("max"),
        tuple(str(c) for c in choices) if choices is not None else None,
        spec.get("bound") == "run",
    )


_DATE_RANGE = (FIRST_DAY, LAST_DAY)


def _show(v: Any) -> str:
    text = repr(v)
    return text if len(text) <= 60 else text[:57] + "..."


def check_value(base: Timeline, v: Any) -> Any:
    """``v`` as a value of ``base`` (same type as its baseline values, within its declared
    bounds), or a ValueError naming the parameter."""
    name = base.name
    kinds = {type(x) for x in base.values}
    if kinds <= {bool}:
        if not isinstance(v, bool):
            raise ValueError(f"{name}: expected true or false, got {_show(v)}")
        return v
    if kinds <= {int}:
        if isinstance(v, bool) or not isinstance(v, int):
            raise ValueError(f"{name}: expected a whole number, got {_show(v)}")
    elif kinds <= {int, float}:
        if isinstance(v, bool) or not isinstance(v, int | float) or v != v or v in (float("inf"), float("-inf")):
            raise ValueError(f"{name}: expected a number, got {_show(v)}")
    elif kinds <= {dt.date}:
        if isinstance(v, str):
            try:
                v = dt.date.fromisoformat(v) if len(v) == 10 else v
            except ValueError:
                pass
        if isinstance(v, dt.datetime) or not isinstance(v, dt.date):
            raise ValueError(f"{name}: expected a date as YYYY-MM-DD, got {_show(v)}")
        if not _DATE_RANGE[0] <= v <= _DATE_RANGE[1]:
            raise ValueError(f"{name}: {v} is outside {_DATE_RANGE[0]} to {_DATE_RANGE[1]}")
        return v
    elif kinds <= {tuple}:
        if not isinstance(v, list | tuple) or not all(isinstance(x, str) for x in v):
            raise ValueError(f"{name}: expected a list of strings, got {_show(v)}")
        return tuple(v)
    elif kinds <= {str}:
        if not isinstance(v, str):
            raise ValueError(f"{name}: expected a word, got {_show(v)}")
        if base.choices is not None and v not in base.choices:
            raise ValueError(f"{name}: {_show(v)} is not one of {', '.join(base.choices)}")
        return v
    else:  # a parameter of mixed or other type: the value must be one of its types
        if type(v) not in kinds:
            raise ValueError(f"{name}: expected a value of type {' or '.join(sorted(k.__name__ for k in kinds))}, "
                             f"got {_show(v)}")
        return v
    if base.minimum is not None and v < base.minimum:
        raise ValueError(f"{name}: {v} is below the least value allowed, {base.minimum:g}")
    if base.maximum is not None and v > base.maximum:
        raise ValueError(f"{name}: {v} is above the greatest value allowed, {base.maximum:g}")
    return v


def _override_date(name: str, d: Any) -> dt.date:
    if isinstance(d, dt.datetime) or not isinstance(d, dt.date | str):
        raise ValueError(f"{name}: {_show(d)} is not a date (YYYY-MM-DD) from which a value holds")
    try:
        day = _date(d)
    except ValueError:
        raise ValueError(f"{name}: {_show(d)} is not a date (YYYY-MM-DD) from which a value holds") from None
    if not _DATE_RANGE[0] <= day <= _DATE_RANGE[1]:
        raise ValueError(f"{name}: {day} is outside {_DATE_RANGE[0]} to {_DATE_RANGE[1]}")
    return day


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
                if not spec:
                    raise ValueError(f"{name}: a mapping of dates to values needs at least one date")
                merged = dict(zip(base.dates, zip(base.values, base.references)))
                for d, v in spec.items():
                    merged[_override_date(name, d)] = (check_value(base, _coerce(v)), "reform")
                ds = sorted(merged)
                new[name] = replace(base, dates=tuple(ds), values=tuple(merged[d][0] for d in ds),
                                    references=tuple(merged[d][1] for d in ds))
            else:
                if isinstance(spec, dict):
                    values = spec["values"]
                    if not isinstance(values, dict) or not values:
                        raise ValueError(f"{name}: values must map dates to values")
                    for d in values:
                        _override_date(name, d)
                try:
                    t = timeline_from_yaml(name, spec)
                except (TypeError, ValueError) as e:
                    raise ValueError(f"{name}: {e}") from None
                vals = tuple(check_value(base, v) for v in t.values)
                new[name] = replace(base, dates=t.dates, values=vals, references=t.references)
        return ParamSet(new)


class Params:
    """Parameter values on one day, read as attributes (``p.lookback_years``)."""

    __slots__ = ("_values", "day", "_bound")

    def __init__(self, values: dict[str, Any], day: dt.date):
        self._values = values
        self.day = day
        self._bound: dict[str, Any] | None = None

    def bound(self) -> dict[str, Any]:
        """The values as a rule's ``Param`` reads them: dates as day ordinals, the rest as they are."""
        if self._bound is None:
            self._bound = {k: v.toordinal() if isinstance(v, dt.date) else v for k, v in self._values.items()}
        return self._bound

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        try:
            return self._values[name]
        except KeyError:
            raise AttributeError(f"no parameter {name!r}") from None

    def items(self):
        return self._values.items()

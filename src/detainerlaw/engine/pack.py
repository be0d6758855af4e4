"""A law pack: a jurisdiction's sections, dated parameters and register, and the
snapshots (the law for one agency in one epoch) the backends evaluate.

An epoch is an interval between consecutive dates at which anything changes: a
version takes effect or lapses, or a parameter takes a new value. Within an epoch
the law is one fixed set of rules, so snapshots are built once and cached; a
reform is an overlay (parameters changed, rules switched off or added) that builds
its own snapshots and never rebuilds the baseline's.

Everything cached for a reform is filed under its content key (``Reform.key``), a hash of
what it changes; its name is for display only, so a reform cannot take over another's
cached law by borrowing its name. A pack keeps the caches of at most ``MAX_REFORMS``
reforms besides the baseline, dropping the least recently used.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import json
import sys
import threading
import weakref
from bisect import bisect_right
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from detainerlaw.engine.calendar import FIRST_DAY
from detainerlaw.engine.expr import Schema
from detainerlaw.engine.params import Params, ParamSet
from detainerlaw.engine.rules import Rule, Snapshot

SectionBuilder = Callable[[Params], list[Rule]]


@dataclass(frozen=True)
class Reform:
    """An overlay on a pack's law: the unit of every scenario and proposal."""

    name: str = "baseline"
    params: dict = field(default_factory=dict)
    disable: tuple[str, ...] = ()  # rule-id prefixes switched off
    disable_from: dt.date | None = None  # when set, rules are switched off only from this day
    add: tuple[SectionBuilder, ...] = ()
    description: str = ""
    source: str = ""
    layer: str = ""  # the layer of a place's stack it changes ("": the place's own layer)

    def disables(self, rule: Rule, day: dt.date) -> bool:
        if self.disable_from is not None and day < self.disable_from:
            return False
        return any(rule.id.startswith(p) for p in self.disable)

    @cached_property
    def key(self) -> str:
        """What the law is under this reform, as a string: ``"baseline"`` when it changes
        nothing, else a SHA-256 of its canonical parameter overrides, disabled rule-id prefixes,
        ``disable_from`` and added section builders. Equal keys mean the same law, whatever the
        names; the overlay must not be mutated once used."""
        content: dict[str, Any] = {}
        if self.params:
            content["params"] = {str(k): _canon(v, dates=True) for k, v in self.params.items()}
        if self.disable:
            content["disable"] = sorted(set(self.disable))
        if self.disable_from is not None:
            content["disable_from"] = _canon(self.disable_from)
        if self.add:
            content["add"] = [_builder_id(b) for b in self.add]
        if self.layer and content:
            content["layer"] = self.layer
        if type(self).disables is not Reform.disables:
            content["disables"] = _builder_id(type(self).disables)
        if not content:
            return "baseline"
        blob = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=True)
        return hashlib.sha256(blob.encode()).hexdigest()


def _canon(x: Any, *, dates: bool = False) -> Any:
    """A JSON value standing for ``x`` as the parameter code reads it: lists and tuples alike,
    dates (and, in override mappings, ISO date keys) as dates, every other type kept apart."""
    if isinstance(x, dt.datetime):
        return ["datetime", x.isoformat()]
    if isinstance(x, dt.date):
        return ["date", x.isoformat()]
    if x is None or isinstance(x, bool | int | float | str):
        return x
    if isinstance(x, list | tuple):
        return ["seq", [_canon(v) for v in x]]
    if isinstance(x, set | frozenset):
        return ["set", sorted((_canon(v) for v in x), key=repr)]
    if isinstance(x, dict):
        items = sorted(([_canon_key(k, dates), _canon(v, dates=dates)] for k, v in x.items()), key=repr)
        return ["map", items]
    return [f"{type(x).__module__}.{type(x).__qualname__}", repr(x)]


def _canon_key(k: Any, dates: bool) -> Any:
    """An override mapping's key: ``{date: value}`` keys are read with ``date.fromisoformat``."""
    if dates and isinstance(k, str):
        try:
            return _canon(dt.date.fromisoformat(k))
        except ValueError:
            pass
    return _canon(k)


_TOKENS: weakref.WeakKeyDictionary[Any, int] = weakref.WeakKeyDictionary()
_PINNED: dict[int, tuple[Any, int]] = {}  # builders that cannot be weakly referenced
_TOKEN_COUNT = itertools.count(1)
_TOKEN_LOCK = threading.Lock()


def _builder_id(fn: Any) -> str:
    """A section builder by module and qualified name when that name finds it again; anything
    else (a closure, lambda, partial or callable object) also gets a number of its own, never
    reused, since the same name may then stand for different rules."""
    mod = getattr(fn, "__module__", None) or "?"
    name = getattr(fn, "__qualname__", None) or type(fn).__qualname__
    found: Any = sys.modules.get(mod)
    for part in name.split("."):
        found = getattr(found, part, None)
    if found is fn:
        return f"{mod}:{name}"
    with _TOKEN_LOCK:
        try:
            token = _TOKENS.get(fn)
            if token is None:
                token = _TOKENS[fn] = next(_TOKEN_COUNT)
        except TypeError:
            hit = _PINNED.get(id(fn))
            if hit is None or hit[0] is not fn:
                hit = _PINNED[id(fn)] = (fn, next(_TOKEN_COUNT))
            token = hit[1]
    return f"{mod}:{name}#{token}"


BASELINE = Reform()
MAX_REFORMS = 16  # reforms besides the baseline whose law a pack keeps cached


class ReformCache:
    """What a pack has cached for one reform's law: its parameters, epoch boundaries and
    snapshots, and ``derived`` for what the backends build from them (compiled plans), so
    that all of it is dropped together."""

    __slots__ = ("params", "bounds", "snapshots", "derived")

    def __init__(self) -> None:
        self.params: ParamSet | None = None
        self.bounds: list[dt.date] | None = None
        self.snapshots: dict[tuple[dt.date, str], Snapshot] = {}
        self.derived: dict[tuple, Any] = {}


class LawPack:
    def __init__(
        self,
        jurisdiction: str,
        params: ParamSet,
        sections: list[SectionBuilder],
        engaged: Callable[[str, str], tuple[str, ...]],
        register: dict[str, str],
        agencies: tuple[str, ...],
        describe: Callable[[str, dict], str] | None = None,
        max_reforms: int = MAX_REFORMS,
        *,
        schema: Schema,
        vocabulary: Any = None,
    ):
        self.jurisdiction = jurisdiction
        self.schema = schema  # the facts the pack's rules read: what the columnar and SMT backends build
        self.vocabulary = vocabulary  # the place's statute vocabulary (key fields), for backends that enumerate it
        self.params = params
        self.sections = sections
        self.engaged = engaged  # (agency, request kind) -> actions
        self.register = register
        self.agencies = agencies
        self.describe = describe
        self.max_reforms = max_reforms
        self.built_from: Path | None = None  # where a packaged layer is built from (``jurisdictions``; plan cache)
        self._baseline = ReformCache()
        self._reforms: OrderedDict[str, ReformCache] = OrderedDict()  # least recently used first
        self._lock = threading.Lock()

    # -- caches ------------------------------------------------------------------
    def cache(self, reform: Reform = BASELINE) -> ReformCache:
        """The cache of ``reform``'s law, shared by every reform with the same key. The
        baseline's is kept for the pack's life; of the others, the ``max_reforms`` most
        recently used are kept, so a server taking reforms with its requests stays bounded."""
        if reform is BASELINE:
            return self._baseline
        key = reform.key
        if key == BASELINE.key:
            return self._baseline
        with self._lock:
            c = self._reforms.get(key)
            if c is None:
                c = self._reforms[key] = ReformCache()
                while len(self._reforms) > self.max_reforms:
                    self._reforms.popitem(last=False)
            else:
                self._reforms.move_to_end(key)
        return c

    def cached_reforms(self) -> list[str]:
        """Keys of the reforms whose law is cached, the baseline first, then least recently used first."""
        with self._lock:
            return [BASELINE.key, *self._reforms]

    # -- parameters and epochs -------------------------------------------------
    def param_set(self, reform: Reform = BASELINE) -> ParamSet:
        c = self.cache(reform)
        ps = c.params
        if ps is None:
            ps = c.params = self.params.with_overrides(reform.params) if reform.params else self.params
        return ps

    def rules_at(self, day: dt.date, reform: Reform = BASELINE, p: Params | None = None) -> list[Rule]:
        p = p or self.param_set(reform).at(day)
        rules = [r for build in (*self.sections, *reform.add) for r in build(p)]
        return [r for r in rules if r.in_force(day) and not reform.disables(r, day)]

    def values_only(self, reform: Reform) -> bool:
        """Whether ``reform`` changes only parameters declared ``bound: run``: its rules are the
        baseline's but for those values (and the words that read them), so a backend that binds
        parameters when it runs may evaluate the baseline's rules with its values."""
        if reform is BASELINE or not reform.params or reform.disable or reform.add or reform.disable_from \
                or type(reform).disables is not Reform.disables:
            return False
        return all(name in self.params.timelines and self.params.timelines[name].at_run for name in reform.params)

    def boundaries(self, reform: Reform = BASELINE) -> list[dt.date]:
        """Sorted dates at which the law may change."""
        c = self.cache(reform)
        b = c.bounds
        if b is None:
            ps = self.param_set(reform)
            dates = set(ps.breakpoints())
            for probe in sorted(dates | {FIRST_DAY}):  # sections may vary their versions with a parameter
                for build in (*self.sections, *reform.add):
                    for r in build(ps.at(probe)):
                        dates.add(r.start)
                        if r.end:
                            dates.add(r.end)
            if reform.disable_from:
                dates.add(reform.disable_from)
            b = c.bounds = sorted(d for d in dates if d > dt.date.min)
        return b

    def epoch(self, day: dt.date, reform: Reform = BASELINE) -> tuple[dt.date, dt.date | None]:
        b = self.boundaries(reform)
        i = bisect_right(b, day)
        start = b[i - 1] if i > 0 else dt.date.min
        end = b[i] if i < len(b) else None
        return start, end

    def snapshot(self, day: dt.date, agency: str, reform: Reform = BASELINE) -> Snapshot:
        start, end = self.epoch(day, reform)
        cache = self.cache(reform).snapshots
        snap = cache.get((start, agency))
        if snap is None:
            actions: dict[str, list[Rule]] = {}
            on = start if start != dt.date.min else day
            p = self.param_set(reform).at(on)
            for r in self.rules_at(on, reform, p):
                if agency in r.agencies:
                    for a in r.actions:
                        actions.setdefault(a, []).append(r)
            snap = Snapshot(self.jurisdiction, agency, start, end, actions, self.register, params=p.bound())
            cache[(start, agency)] = snap
        return snap

    def epochs(self, agency: str, reform: Reform = BASELINE) -> list[Snapshot]:
        """Every distinct snapshot of an agency's law, oldest first."""
        starts = [FIRST_DAY, *self.boundaries(reform)]
        return [self.snapshot(d, agency, reform) for d in starts]

"""A law pack: a jurisdiction's sections, dated parameters and register, and the
snapshots (the law for one agency in one epoch) the backends evaluate.

An epoch is an interval between consecutive dates at which anything changes: a
version takes effect or lapses, or a parameter takes a new value. Within an epoch
the law is one fixed set of rules, so snapshots are built once and cached; a
reform is an overlay (parameters changed, rules switched off or added) that builds
its own snapshots and never rebuilds the baseline's.
"""

from __future__ import annotations

import datetime as dt
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

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

    def disables(self, rule: Rule, day: dt.date) -> bool:
        if self.disable_from is not None and day < self.disable_from:
            return False
        return any(rule.id.startswith(p) for p in self.disable)


BASELINE = Reform()


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
    ):
        self.jurisdiction = jurisdiction
        self.params = params
        self.sections = sections
        self.engaged = engaged  # (agency, request kind) -> actions
        self.register = register
        self.agencies = agencies
        self.describe = describe
        self._param_sets: dict[str, ParamSet] = {}
        self._cache: dict[tuple, Snapshot] = {}
        self._bounds: dict[str, list[dt.date]] = {}

    # -- parameters and epochs -------------------------------------------------
    def param_set(self, reform: Reform = BASELINE) -> ParamSet:
        ps = self._param_sets.get(reform.name)
        if ps is None:
            ps = self.params.with_overrides(reform.params) if reform.params else self.params
            self._param_sets[reform.name] = ps
        return ps

    def rules_at(self, day: dt.date, reform: Reform = BASELINE) -> list[Rule]:
        p = self.param_set(reform).at(day)
        rules = [r for build in (*self.sections, *reform.add) for r in build(p)]
        return [r for r in rules if r.in_force(day) and not reform.disables(r, day)]

    def boundaries(self, reform: Reform = BASELINE) -> list[dt.date]:
        """Sorted dates at which the law may change."""
        b = self._bounds.get(reform.name)
        if b is None:
            ps = self.param_set(reform)
            dates = set(ps.breakpoints())
            for probe in sorted(dates | {dt.date(2000, 1, 1)}):
                for build in (*self.sections, *reform.add):
                    for r in build(ps.at(probe)):
                        dates.add(r.start)
                        if r.end:
                            dates.add(r.end)
            if reform.disable_from:
                dates.add(reform.disable_from)
            b = sorted(d for d in dates if d > dt.date.min)
            self._bounds[reform.name] = b
        return b

    def epoch(self, day: dt.date, reform: Reform = BASELINE) -> tuple[dt.date, dt.date | None]:
        b = self.boundaries(reform)
        i = bisect_right(b, day)
        start = b[i - 1] if i > 0 else dt.date.min
        end = b[i] if i < len(b) else None
        return start, end

    def snapshot(self, day: dt.date, agency: str, reform: Reform = BASELINE) -> Snapshot:
        start, end = self.epoch(day, reform)
        key = (start, agency, reform.name)
        snap = self._cache.get(key)
        if snap is None:
            actions: dict[str, list[Rule]] = {}
            for r in self.rules_at(start if start != dt.date.min else day, reform):
                if agency in r.agencies:
                    for a in r.actions:
                        actions.setdefault(a, []).append(r)
            snap = Snapshot(self.jurisdiction, agency, start, end, actions, self.register)
            self._cache[key] = snap
        return snap

    def epochs(self, agency: str, reform: Reform = BASELINE) -> list[Snapshot]:
        """Every distinct snapshot of an agency's law, oldest first."""
        starts = [dt.date(1900, 1, 1), *self.boundaries(reform)]
        return [self.snapshot(d, agency, reform) for d in starts]

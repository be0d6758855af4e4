"""Partitions of a facts frame: rows grouped by (law epoch of ``decided_day``, agency,
request kind), and the compiled plan of each (cached per epoch, agency and the actions its
kind engages, in the pack's cache of the reform's law: ``LawPack.cache``). Partitions whose
plans compute the same results share a group number and run as one."""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from dataclasses import replace

import numpy as np
import polars as pl

from detainerlaw.engine.calendar import FIRST_DAY
from detainerlaw.engine.columnar import plan_cache
from detainerlaw.engine.columnar.labels import _rule_words
from detainerlaw.engine.columnar.plans import Plan, _Compiler, compile_snapshot
from detainerlaw.engine.columnar.vocabulary import _VOCAB, agrees, code, encode_strings
from detainerlaw.engine.expr import params_read
from detainerlaw.engine.lower import LoweredAction, lower_action
from detainerlaw.engine.pack import BASELINE, LawPack, Reform


def pack_actions(pack: LawPack) -> tuple[str, ...]:
    """The actions of a pack's results, in column order: those its request kinds (the
    values of the schema's ``kind``) engage at its agencies, in the order of the kinds and
    of ``engaged`` (computed once per pack)."""
    cache = pack.cache().derived
    hit = cache.get(("actions",))
    if hit is None:
        out: list[str] = []
        for kind in pack.schema.fields["kind"]:  # type: ignore[attr-defined]
            for agency in pack.agencies:
                out += [a for a in pack.engaged(agency, kind) if a not in out]
        hit = cache[("actions",)] = tuple(out)
    return hit


def plan_for(pack: LawPack, start: dt.date, agency: str, reform: Reform = BASELINE,
             actions: tuple[str, ...] | None = None) -> Plan:
    """The compiled plan of an agency's law in the epoch from ``start`` for ``actions``
    (by default every action of the pack: ``pack_actions``)."""
    if actions is None:
        actions = pack_actions(pack)
    cache = pack.cache(reform).derived  # by the reform's content, dropped with it
    key = ("plan", start, agency, actions)
    p = cache.get(key)
    if p is None:
        p = cache[key] = _shared_plan(pack, start, agency, reform, actions)
    return p


def lowered_action(pack: LawPack, start: dt.date, agency: str, reform: Reform, action: str) -> tuple[LoweredAction,
                                                                                                   tuple]:
    """(the lowered action, its key) of one action of an agency's law in the epoch from ``start``:
    the key holds everything its answers depend on (``structure`` below, and the values of the
    parameters it reads in that epoch). Found once per pack, reform, epoch, agency and action,
    whichever plans include the action."""
    cache = pack.cache(reform).derived
    k = ("lowered", start, agency, action)
    hit = cache.get(k)
    if hit is None and pack.values_only(reform):  # the baseline's rules in force on ``start``, with its values
        plan_cache.store(pack, BASELINE)  # the baseline's epochs and snapshots an earlier process built, if any
        base = pack.epoch(start, BASELINE)[0]
        base = FIRST_DAY if base == dt.date.min else base
        la, (*_, bound) = lowered_action(pack, base, agency, BASELINE, action)
        values = bound_params(pack, start, agency, reform)
        shape = structure(pack, base, agency, BASELINE, action)
        hit = cache[k] = (la, (*shape, tuple((name, values[name]) for name, _ in bound)), shape)
    if hit is None:
        disk = plan_cache.store(pack, reform)
        hit = disk.get(k) if disk is not None else None
        if hit is not None:
            cache[k] = hit
            return hit[:2]
        snapshot = pack.snapshot(start, agency, reform)
        la = lower_action(snapshot, action)
        comp = _Compiler(snapshot)
        shape = (comp.key(la.outcome, ()), comp.key(la.until, ()), tuple(comp.key(r.branch, ()) for r in la.rules),
                 tuple(_rule_words(la)[0]))
        seen: set[int] = set()
        read = sorted(frozenset().union(*(params_read(e, seen) for e in (la.outcome, la.until,
                                                                          *(r.branch for r in la.rules)))))
        hit = cache[k] = (la, (*shape, tuple((name, snapshot.params[name]) for name in read)), shape)
        if disk is not None:
            disk.put(k, hit)
    return hit[:2]


def structure(pack: LawPack, start: dt.date, agency: str, reform: Reform, action: str) -> tuple:
    """What a plan of the action computes, parameters unbound: the lowered outcome, until and rule
    branches (constants included, a ``Param`` as its name) and the labels of its rules. A reform
    that changes only the values of parameters read through ``Param`` keeps it."""
    lowered_action(pack, start, agency, reform, action)
    return pack.cache(reform).derived[("lowered", start, agency, action)][2]


def bound_params(pack: LawPack, start: dt.date, agency: str, reform: Reform = BASELINE) -> dict:
    """The parameter values a plan binds for an agency's law in the epoch from ``start``: its
    snapshot's ``params``, read from the parameters without building the snapshot's rules."""
    cache = pack.cache(reform).derived
    hit = cache.get(("params", start))
    if hit is None:
        hit = cache[("params", start)] = pack.param_set(reform).at(start).bound()
    return hit


# Plans by what they compute (``_plan_key``), across reforms, epochs and layers: a reform that changes
# some agencies' law (a rule switched off, a parameter its rules read in Python) compiles only the
# plans whose lowered rules changed, and reuses the others; one that changes only values read through
# ``Param`` compiles none. Bounded: the least recently used are dropped.
_SHARED: OrderedDict[tuple, Plan] = OrderedDict()
_SHARED_MAX = 512
_SHARED_LOCK = threading.Lock()


def _plan_key(pack: LawPack, start: dt.date, agency: str, reform: Reform, actions: tuple[str, ...]) -> tuple:
    """What a plan computes, its parameters unbound: each action's ``structure``. Plans are shared
    across reforms and epochs whose rules differ only in the values of parameters."""
    return tuple((a, *structure(pack, start, agency, reform, a)) for a in actions)


def _shared_plan(pack: LawPack, start: dt.date, agency: str, reform: Reform, actions: tuple[str, ...]) -> Plan:
    key = _plan_key(pack, start, agency, reform, actions)
    with _SHARED_LOCK:
        plan = _SHARED.get(key)
        if plan is not None:
            _SHARED.move_to_end(key)
            return plan
    disk = plan_cache.store(pack, reform)
    plan = disk.get(("plan", key)) if disk is not None else None
    stale = plan is not None and not agrees(plan.words)  # compiled where its words had other codes
    if plan is None or stale:
        lowered = {a: lowered_action(pack, start, agency, reform, a)[0] for a in actions}
        plan = compile_snapshot(pack.snapshot(start, agency, reform), actions, lowered=lowered)
        if disk is not None:
            disk.put(("plan", key), replace(plan, snapshot=None), replace=stale)  # the law's words stay with it
    with _SHARED_LOCK:
        _SHARED[key] = plan
        while len(_SHARED) > _SHARED_MAX:
            _SHARED.popitem(last=False)
    return plan


def kind_actions(pack: LawPack, agency: str, kind: str | None) -> tuple[str, ...]:
    """The actions a request kind engages at an agency (all of them for ``None``)."""
    if kind is None:
        return pack_actions(pack)
    engaged = pack.engaged(agency, kind)
    return tuple(a for a in pack_actions(pack) if a in engaged)


def plan_fingerprint(pack: LawPack, start: dt.date, agency: str, reform: Reform = BASELINE,
                     kind: str | None = None) -> tuple:
    """A structural key of a plan's results: partitions with equal keys (the same lowered
    expressions and rule labels of the actions their request kind engages; all actions and
    the engaged kinds for ``kind=None``) are evaluated as one."""
    actions = kind_actions(pack, agency, kind)
    cache = pack.cache(reform).derived
    key = ("fingerprint", start, agency, actions)
    fp = cache.get(key)
    if fp is None:
        fp = cache[key] = tuple(
            (a, *lowered_action(pack, start, agency, reform, a)[1],
             tuple(k for k in pack.schema.fields["kind"] if a in pack.engaged(agency, k)) if kind is None else ())
            for a in actions)
    return fp


def partitions(frame: pl.DataFrame, pack: LawPack,
               reform: Reform = BASELINE) -> list[tuple[dt.date, str, str | None, pl.Series]]:
    """(epoch start day, agency, request kind, row indices) of each non-empty partition."""
    agency = frame["agency"].cast(pl.String)
    if agency.null_count():
        raise ValueError("agency: null values")
    return _partitions(frame["decided_day"].to_numpy(), encode_strings(agency).to_numpy(),
                       encode_strings(frame["kind"]).to_numpy(), pack, reform)


def _epochs(pack: LawPack, reform: Reform, day: np.ndarray) -> np.ndarray:
    """The law epoch (number of boundaries on or before) of each day, from a table over the
    days between the first and last boundary (days outside are clipped to them)."""
    cache = pack.cache(reform).derived
    hit = cache.get(("epochs",))
    if hit is None:
        bounds = np.array([d.toordinal() for d in pack.boundaries(reform)], dtype=np.int64)
        if not len(bounds):
            return np.zeros(len(day), dtype=np.int64)
        lo = int(bounds[0]) - 1
        table = np.searchsorted(bounds, np.arange(lo, int(bounds[-1]) + 1), side="right").astype(np.int16)
        hit = cache[("epochs",)] = (lo, table)
    lo, table = hit
    return table.take(np.clip(day.astype(np.int64) - lo, 0, len(table) - 1)).astype(np.int64)


def _partitions(decided_day: np.ndarray, agency: np.ndarray, kind: np.ndarray, pack: LawPack,
                reform: Reform) -> list[tuple[dt.date, str, str | None, pl.Series]]:
    """Partitions from the decided days and the agencies' and kinds' vocabulary codes (a
    kind outside the schema's is ``None``: it engages no action). Rows are grouped by a
    small partition number with a stable radix sort, so each keeps its rows in order."""
    plan_cache.store(pack, reform)  # the epochs and snapshots an earlier process built, if any
    bounds = pack.boundaries(reform)
    starts = [dt.date(1900, 1, 1), *bounds]
    epoch = _epochs(pack, reform, decided_day)
    agencies, kinds = list(pack.agencies), list(pack.schema.fields["kind"])  # type: ignore[arg-type]

    def index_of(codes: np.ndarray, words: list[str], other: int) -> np.ndarray:
        lut = np.full(max(int(codes.max(initial=0)), *(code(w) for w in words)) + 1, other, dtype=np.int64)
        lut[[code(w) for w in words]] = range(len(words))
        return lut[codes]

    ag = index_of(agency, agencies, -1)
    if (ag < 0).any():
        bad = int(agency[np.argmax(ag < 0)])
        word = next((w for w, c in _VOCAB.items() if c == bad), bad)
        raise ValueError(f"agency: {word!r} is not one of {', '.join(pack.agencies)}")
    nk = len(kinds) + 1
    key = (epoch * len(agencies) + ag) * nk + index_of(kind, kinds, len(kinds))
    width = len(starts) * len(agencies) * nk
    key = key.astype(np.int16 if width < 1 << 15 else np.int32)
    order = np.argsort(key, kind="stable").astype(np.uint32)  # rows grouped by partition, in row order within each
    counts = np.bincount(key, minlength=width)
    out, at = [], 0
    for k in np.flatnonzero(counts):
        k = int(k)
        ln = int(counts[k])
        e, rest = divmod(k, len(agencies) * nk)
        a, ki = divmod(rest, nk)
        out.append((starts[e], agencies[a], kinds[ki] if ki < len(kinds) else None, pl.Series(order[at:at + ln])))
        at += ln
    return out


_GROUP_LOCK = threading.Lock()


def _group_of(pack: LawPack, start: dt.date, agency: str, reform: Reform, kind: str | None) -> tuple[int, tuple]:
    """(a small number standing for ``plan_fingerprint``, the actions engaged) of a partition."""
    cache = pack.cache(reform).derived
    key = ("group", start, agency, kind)
    hit = cache.get(key)
    if hit is None:
        if kind is None:
            hit = (-1, ())
        else:
            fp = plan_fingerprint(pack, start, agency, reform, kind)
            with _GROUP_LOCK:  # one number per fingerprint, also when threads meet new ones together
                ids = cache.setdefault(("group ids",), {})  # numbers compared within one reform only
                gid = ids.setdefault(fp, len(ids))
            hit = (gid, kind_actions(pack, agency, kind))
        cache[key] = hit
    return hit


"""A place's stack of layers on one encoded chunk, as NumPy arrays: each layer's answers
(``LayerAnswers``), a reform's answers computed from the baseline's (``reform_answers``: only the
actions whose lowered rules the reform changes, on the rows of the partitions where they
change), and the layers combined by the one rule of ``engine.layers`` (``combine_action``).

The combination depends on each layer's outcome, rule label and whether that label preempts,
which take few distinct values together: rows are numbered by their distinct combination
(one dense table per layer), the rule is applied once per combination (``layers.follow``, the
interpreter's own) and the answers are gathered back to the rows; only the untils are read row
by row.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import polars as pl

from detainerlaw.engine.calendar import FIRST_DAY
from detainerlaw.engine.columnar import plan_cache
from detainerlaw.engine.columnar.encoding import Encoded, Need, encode
from detainerlaw.engine.columnar.evaluation import Answer, _evaluate_answers, _row_arrays, run_jobs
from detainerlaw.engine.columnar.execution import View, view
from detainerlaw.engine.columnar.partitions import (
    _epochs,
    _group_of,
    _partitions,
    bound_params,
    kind_actions,
    lowered_action,
    pack_actions,
    plan_for,
)
from detainerlaw.engine.columnar.plans import plan_needs
from detainerlaw.engine.layers import follow
from detainerlaw.engine.lower import NO_LIMIT, NO_UNTIL
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import NOT_GOVERNED, OUTCOMES, PERMITTED, Rule

LAYER_SEP = "|"  # between the deciding layers' labels (a layer's own label joins its rules with "+")
_FIRST = dt.date(1900, 1, 1)  # the start ``partitions`` gives the epoch before the first boundary
Parts = list[tuple[dt.date, str, str | None, pl.Series]]


@dataclass
class LayerAnswers:
    """One layer's answers on the rows of a chunk: per action of its pack, an ``Answer``
    (outcome codes, untils, rule label codes, engaged rows) or None when no row engages it;
    ``labels`` numbers the rule labels (shared by the reforms of the layer on the chunk, only
    ever extended, so that codes stay valid)."""

    lid: str
    pack: LawPack
    reform: Reform
    parts: Parts
    answers: dict[str, Answer | None]
    labels: dict[str, int]

    def words(self) -> list[str]:
        return list(self.labels)


@dataclass
class Chunk:
    """An encoded chunk of a population: the columns the plans read so far (more are encoded
    from ``frame`` when a plan needs them) and the vocabulary codes of its keys."""

    frame: pl.DataFrame
    enc: Encoded
    _view: View | None = field(default=None, repr=False)

    @classmethod
    def of(cls, frame: pl.DataFrame, facts, need: Need | None = None) -> Chunk:
        base: Need = {"": {"agency", "decided_day", "kind"}}
        for k, v in (need or {}).items():
            base[k] = base.get(k, set()) | set(v)
        return cls(frame, encode(frame, facts, base))

    @property
    def n(self) -> int:
        return self.enc.n

    def need(self, need: Need, facts) -> None:
        """Encode the columns of ``need`` not encoded yet."""
        missing: Need = {}
        for items, names in need.items():
            for k in names:
                if (items, k) not in self.enc.arrays:
                    missing.setdefault(items, set()).add(k)
        if not missing:
            return
        missing.setdefault("", set())
        more = encode(self.frame, facts, missing)
        self.enc.arrays.update(more.arrays)
        self.enc.offsets.update({k: v for k, v in more.offsets.items() if k not in self.enc.offsets})
        self._view = None

    def view(self) -> View:
        if self._view is None:
            self._view = view(self.enc)
        return self._view

    def parts(self, pack: LawPack, reform: Reform) -> Parts:
        return _partitions(*(self.enc.arrays[("", k)] for k in ("decided_day", "agency", "kind")), pack, reform)


def _plans_need(pack: LawPack, reform: Reform, parts: Parts) -> Need:
    return plan_needs([plan_for(pack, start, agency, reform, _group_of(pack, start, agency, reform, kind)[1])
                       for start, agency, kind in {p[:3] for p in parts}])


def layer_answers(chunk: Chunk, lid: str, pack: LawPack, reform: Reform = BASELINE,
                  labels: dict[str, int] | None = None, parts: Parts | None = None) -> LayerAnswers:
    """Every action of one layer evaluated on every row of ``chunk`` (``parts``: its partitions, if
    found already)."""
    parts = chunk.parts(pack, reform) if parts is None else parts
    chunk.need(_plans_need(pack, reform, parts), pack.schema)
    labels = {} if labels is None else labels
    return LayerAnswers(lid, pack, reform, parts, _evaluate_answers(chunk.view(), parts, pack, reform, labels), labels)


def stack_answers(chunk: Chunk, stack: Sequence[tuple[str, LawPack, Reform]],
                  labels: Sequence[dict[str, int]] | None = None) -> list[LayerAnswers]:
    """Every layer of ``stack`` evaluated on ``chunk``, the columns any of them reads encoded at once."""
    parts = [chunk.parts(pack, reform) for _, pack, reform in stack]
    need: Need = {}
    for (_, pack, reform), ps in zip(stack, parts, strict=True):
        for k, v in _plans_need(pack, reform, ps).items():
            need[k] = need.get(k, set()) | v
    chunk.need(need, stack[0][1].schema)
    return [layer_answers(chunk, lid, pack, reform, None if labels is None else labels[i], ps)
            for i, ((lid, pack, reform), ps) in enumerate(zip(stack, parts, strict=True))]


def action_key(pack: LawPack, start: dt.date, agency: str, reform: Reform, action: str) -> tuple:
    """Everything one action's answers in an epoch and agency depend on (``lowered_action``'s key)."""
    return lowered_action(pack, start, agency, reform, action)[1]


def reform_answers(chunk: Chunk, base: LayerAnswers, reform: Reform) -> tuple[LayerAnswers, frozenset[str]]:
    """The layer's answers under ``reform``, from its baseline answers ``base``: (the answers,
    the actions whose answers may differ). Only the actions whose lowered rules (``action_key``)
    differ from the baseline's in a partition's epoch and agency are evaluated, on that
    partition's rows (rows whose baseline epoch differs are compared with that epoch); every
    other answer is the baseline's, shared, not copied."""
    pack = base.pack
    same_epochs = pack.boundaries(reform) == pack.boundaries(BASELINE)
    parts = base.parts if same_epochs else chunk.parts(pack, reform)  # partitions follow the epochs only
    starts = [_FIRST, *pack.boundaries(BASELINE)]
    day = chunk.enc.arrays[("", "decided_day")]
    jobs: dict[tuple, list[pl.Series]] = {}
    for start, agency, kind, rows in parts:
        if kind is None:
            continue
        acts = kind_actions(pack, agency, kind)
        epochs = _epochs(pack, BASELINE, day[rows.to_numpy()])
        for e in np.unique(epochs):
            sub = rows if len(epochs) and (epochs == e).all() else rows.filter(pl.Series(epochs == e))
            changed = tuple(a for a in acts if action_key(pack, start, agency, reform, a)
                            != action_key(pack, starts[int(e)], agency, BASELINE, a))
            if changed:
                jobs.setdefault((start, agency, changed), []).append(sub)
    if not jobs:
        return LayerAnswers(base.lid, pack, reform, parts, base.answers, base.labels), frozenset()
    plans = [(plan_for(pack, start, agency, reform, acts), pl.concat(rs) if len(rs) > 1 else rs[0],
              bound_params(pack, start, agency, reform)) for (start, agency, acts), rs in jobs.items()]
    chunk.need(plan_needs([p for p, _, _ in plans]), pack.schema)
    changed_actions = frozenset(a for _, _, acts in jobs for a in acts)
    fresh = _row_arrays(chunk.n, run_jobs(chunk.view(), plans, base.labels), tuple(sorted(changed_actions)))
    answers = dict(base.answers)
    for a in changed_actions:
        new, old = fresh[a], base.answers[a]
        assert new is not None and old is not None  # an action a kind engages is in the baseline's answers
        rows = np.flatnonzero(new[3]) if new[3] is not None else np.arange(chunk.n)
        merged = []
        for i in range(3):
            v = old[i].copy()
            v[rows] = new[i][rows]
            merged.append(v)
        answers[a] = (merged[0], merged[1], merged[2], old[3])
    return LayerAnswers(base.lid, pack, reform, parts, answers, base.labels), changed_actions


# -- combining the layers -----------------------------------------------------------------


@dataclass
class Combined:
    """One action's combined answer on every row, as the number of each row's distinct
    combination of the layers' answers (``ids``) and, per combination: whether some layer engages
    the action (``engaged``), the combined outcome code (index into OUTCOMES), the combined rule
    label's code (into ``words``), and per layer (highest first) its answer code (its outcome where
    it engages the action, ``not_governed`` where only others do), its own rule label code (into
    its ``labels``; -1 where it does not engage the action) and whether the combined answer follows
    it. ``until`` is per row (NO_UNTIL: none)."""

    ids: np.ndarray
    engaged: np.ndarray
    outcome: np.ndarray
    rule: np.ndarray
    words: list[str]
    layer_outcome: list[np.ndarray]
    layer_rule: list[np.ndarray]
    decides: list[np.ndarray]
    until: np.ndarray

    def rows(self, table: np.ndarray) -> np.ndarray:
        """A per-combination array read for every row."""
        return table[self.ids]

    def engaged_rows(self) -> np.ndarray | None:
        """The rows where some layer engages the action (None: every row)."""
        return None if self.engaged.all() else self.engaged[self.ids]


def preempting(pack: LawPack, reform: Reform) -> frozenset[str]:
    """The branches (``id#branch``) of a pack's rules, under a reform, that preempt lower layers:
    of every agency's snapshot in every epoch (``LawPack.epochs``), found once per pack and reform
    with each epoch's rules built once for all agencies."""
    if pack.values_only(reform):  # its rules are the baseline's
        return preempting(pack, BASELINE)
    cache = pack.cache(reform).derived
    hit = cache.get(("preempting",))
    disk = plan_cache.store(pack, reform) if hit is None else None
    if hit is None and disk is not None and (hit := disk.get(("preempting",))) is not None:
        cache[("preempting",)] = hit
    if hit is None:
        marked: set[str] = set()
        for day in [FIRST_DAY, *pack.boundaries(reform)]:
            start = pack.epoch(day, reform)[0]
            rules = pack.rules_at(start if start != dt.date.min else day, reform)
            for ag in pack.agencies:  # the rules of the agency's snapshot (``Snapshot.rules``)
                actions: dict[str, list[Rule]] = {}
                for r in rules:
                    if ag in r.agencies:
                        for a in r.actions:
                            actions.setdefault(a, []).append(r)
                seen: dict[str, Rule] = {}
                for rs in actions.values():
                    for r in rs:
                        seen.setdefault(r.id, r)
                for r in seen.values():
                    if r.preempts:
                        marked.add(f"{r.id}#0")
                    marked.update(f"{r.id}#{i}" for i, w in enumerate(r.ranked(), start=1) if w.preempts)
        hit = cache[("preempting",)] = frozenset(marked)
        if disk is not None:
            disk.put(("preempting",), hit)
    return hit


Numbered = tuple[np.ndarray, list[tuple[int, ...]]]  # each row's number, and the tuple of keys of each number


def _distinct(n: int, keys: list[tuple[np.ndarray, int]], start: Numbered | None = None) -> Numbered:
    """Rows numbered by their distinct tuple of keys (each key array with values below its size):
    (the number of each row, the tuple of each number); ``start``: the numbers and tuples of keys
    before these."""
    ids, tuples = start if start is not None else (np.zeros(n, dtype=np.int64), [()])
    for k, size in keys:
        comb = ids * size + k
        space = len(tuples) * size
        if space <= 1 << 24:  # a dense table
            present = np.zeros(space, dtype=bool)
            present[comb] = True
            found = np.flatnonzero(present)
            number = np.zeros(space, dtype=np.int64)
            number[found] = np.arange(len(found))
            ids = number[comb]
        else:
            found, ids = np.unique(comb, return_inverse=True)
        tuples = [(*tuples[int(c) // size], int(c) % size) for c in found]
    return ids, tuples


_NONE = len(OUTCOMES)  # the outcome part of a layer's key where it does not engage the action


def _layer_key(la: LayerAnswers, action: str) -> tuple[np.ndarray, int]:
    """A layer's answer to an action on each row as one number, ``label * 5 + outcome`` (outcome
    ``_NONE`` where it does not engage the action), stable as the labels grow; and a bound on it."""
    o, _, r, eng = la.answers[action]  # type: ignore[misc]
    k = r.astype(np.int64) * (_NONE + 1) + o
    if eng is not None:
        k = np.where(eng, k, _NONE)
    return k, (len(la.labels) + 1) * (_NONE + 1)


def combine_action(action: str, layers: Sequence[LayerAnswers], vary: int | None = None,
                   partial: dict | None = None) -> Combined | None:
    """One action's answer under every layer (highest first) combined row by row (None when no
    layer engages it on any row). ``vary``: the one layer whose answers differ from those the
    numbering of the others' distinct answers in ``partial`` was made for (a reform of one layer):
    that numbering is made once and kept there, and only this layer's answers are added to it."""
    n = _rows(layers)
    idx = [i for i, la in enumerate(layers) if la.answers.get(action) is not None]
    if not idx:
        return None
    present: list[tuple[list[str], frozenset[str]] | None] = [
        (la.words(), preempting(la.pack, la.reform)) if i in idx else None for i, la in enumerate(layers)]
    if vary is not None and partial is not None and vary in idx and len(idx) > 1:
        others = [i for i in idx if i != vary]
        pkey = (action, vary, tuple(id(layers[i].answers[action]) for i in others))
        hit = partial.get(pkey)
        if hit is None:  # the others' answers are kept with their numbering, so their ids stay theirs
            hit = partial[pkey] = (_distinct(n, [_layer_key(layers[i], action) for i in others]),
                                   [layers[i].answers[action] for i in others])
        ids, found = _distinct(n, [_layer_key(layers[vary], action)], hit[0])
        at = {i: q for q, i in enumerate([*others, vary])}
        tuples = [tuple(t[at[i]] for i in idx) for t in found]
    else:
        ids, tuples = _distinct(n, [_layer_key(layers[i], action) for i in idx])
    one = len(layers) == 1
    words: dict[str, int] = {}
    m = len(tuples)
    comb_o = np.zeros(m, dtype=np.uint8)
    comb_r = np.zeros(m, dtype=np.uint32)
    engaged = np.zeros(m, dtype=bool)
    lay_o = [np.zeros(m, dtype=np.uint8) for _ in layers]
    lay_r = [np.full(m, -1, dtype=np.int64) for _ in layers]
    dec = [np.zeros(m, dtype=bool) for _ in layers]
    use = [np.zeros(m, dtype=bool) for _ in layers]
    for j, t in enumerate(tuples):
        outs: list[str | None] = []
        pre: list[bool] = []
        labs: list[str | None] = []
        it = iter(t)
        for i, p in enumerate(present):
            key = None if p is None else next(it)
            if p is None or key % (_NONE + 1) == _NONE:
                outs.append(None), pre.append(False), labs.append(None)
                continue
            wl, marked = p
            r, o = divmod(key, _NONE + 1)
            lab = wl[r]
            lay_r[i][j] = r
            outs.append(OUTCOMES[o]), labs.append(lab)
            pre.append(any(part in marked for part in lab.split("+")) if marked else False)
        if all(o is None for o in outs):
            continue
        engaged[j] = True
        filled = [NOT_GOVERNED if o is None else o for o in outs]
        outcome, deciding, _ = follow(filled, pre)
        comb_o[j] = OUTCOMES.index(outcome)
        if one:
            label = labs[0]
        else:
            label = LAYER_SEP.join(f"{layers[i].lid}:{labs[i]}" for i in deciding if labs[i] is not None)
        comb_r[j] = words.setdefault(label, len(words))  # type: ignore[arg-type]
        for i, o in enumerate(filled):
            lay_o[i][j] = OUTCOMES.index(o)
            dec[i][j] = i in deciding
            use[i][j] = outcome == PERMITTED and i in deciding and o == PERMITTED
    until = None
    for i, la in enumerate(layers):
        if not use[i].any():
            continue
        u = la.answers[action][1]  # type: ignore[index]
        ok = use[i][ids] & (u != NO_UNTIL)
        until = np.where(ok, u, NO_LIMIT) if until is None else np.where(ok, np.minimum(until, u), until)
    if until is None:
        until = _none(n)
    else:
        until[until == NO_LIMIT] = NO_UNTIL
    small = ids.astype(np.uint16 if m <= 1 << 16 else np.uint32)
    return Combined(small, engaged, comb_o, comb_r, list(words), lay_o, lay_r, dec, until)


def _none(n: int) -> np.ndarray:
    """An until of none for every row (a read-only view of one value)."""
    return np.broadcast_to(np.int64(NO_UNTIL), (n,))


def _rows(layers: Sequence[LayerAnswers]) -> int:
    for la in layers:
        for ans in la.answers.values():
            if ans is not None:
                return len(ans[0])
    return 0


def stack_actions(layers: Sequence[LayerAnswers]) -> list[str]:
    """The actions of the layers' results, in column order (the first layer's first)."""
    out: dict[str, None] = {}
    for la in layers:
        out.update(dict.fromkeys(pack_actions(la.pack)))
    return list(out)

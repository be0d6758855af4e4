"""Warm populations: what simulating a population computes that no reform changes, kept so
that a reform evaluates only what it changes.

A population is prepared chunk by chunk (``Prepared``: checked, weights read, encoded once per
decision day for every layer). On a chunk, each layer's baseline answers are computed once; a
scenario's reform changes one layer (``Reform.layer``), whose answers are computed from that
layer's baseline answers (``stack.reform_answers``: only the actions whose lowered rules the
reform changes, on the rows where they change); every other layer's answers are the baseline's.
The layers are combined again only for the actions whose answers may differ (an action none of
whose layers' answers or preempting branches changed keeps the baseline's combination), and the
tallies are counted from the combinations (weights summed per agency and distinct combination of
the layers' answers, then per outcome and rule).

Populations held in memory (``pl.DataFrame``) stay prepared in a bounded per-process cache
(``WARM``), found again by a hash of their content (SHA-256 over their Arrow buffers) or by a key
the caller vouches for; a file is read chunk by chunk, and its chunks share the work across the
scenarios of one call only.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl

from detainerlaw.engine.columnar.stack import (
    Chunk,
    Combined,
    LayerAnswers,
    combine_action,
    layer_answers,
    preempting,
    reform_answers,
    stack_answers,
)
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import OUTCOMES

Stack = Sequence[tuple[str, LawPack, Reform]]
MAX_DAYS = 2  # decision days kept per chunk (each its own encoding and answers)
MAX_REFORMS = 4  # reformed layers kept per chunk and day (the baseline's are always kept)


class Day:
    """A chunk on one decision day: its encoding and the layers' answers (the baseline's of
    every layer; of the reforms, the most recently used), their combinations and tallies."""

    def __init__(self, frame: pl.DataFrame, facts) -> None:
        self.chunk = Chunk.of(frame, facts)
        self.labels: dict[tuple, dict[str, int]] = {}
        self.base: dict[tuple, LayerAnswers] = {}
        self.reformed: OrderedDict[tuple, tuple[LayerAnswers, frozenset[str]]] = OrderedDict()
        self.combined: OrderedDict[tuple, Combined | None] = OrderedDict()
        self.tallies: OrderedDict[tuple, tuple[Combined, pl.DataFrame]] = OrderedDict()
        self.partial: dict = {}  # baseline layers' distinct answers, numbered (``combine_action``)

    def prepare(self, stack: Stack) -> None:
        """The baseline answers of every layer of ``stack`` not found yet, the columns they read encoded
        at once."""
        todo = [(lid, pack, BASELINE) for lid, pack, _ in stack if (lid, pack) not in self.base]
        if todo:
            labels = [self.labels.setdefault((lid, pack), {}) for lid, pack, _ in todo]
            for (lid, pack, _), answers in zip(todo, stack_answers(self.chunk, todo, labels), strict=True):
                self.base[(lid, pack)] = answers

    def layer(self, lid: str, pack: LawPack, reform: Reform) -> tuple[LayerAnswers, frozenset[str] | None]:
        """A layer's answers under ``reform`` and the actions whose answers may differ from the
        baseline's (None: any may; the baseline's own answers: none)."""
        bkey = (lid, pack)
        base = self.base.get(bkey)
        if base is None:
            base = self.base[bkey] = layer_answers(self.chunk, lid, pack, BASELINE, self.labels.setdefault(bkey, {}))
        if reform.key == BASELINE.key:
            return base, frozenset()
        rkey = (lid, pack, reform.key)
        hit = self.reformed.get(rkey)
        if hit is None:
            hit = self.reformed[rkey] = reform_answers(self.chunk, base, reform)
            while len(self.reformed) > MAX_REFORMS:
                self.reformed.popitem(last=False)
        else:
            self.reformed.move_to_end(rkey)
        answers, changed = hit
        if preempting(pack, reform) != preempting(pack, BASELINE):
            return answers, None  # the same answers may combine otherwise
        return answers, changed

    def combination(self, stack: Stack, action: str) -> Combined | None:
        """One action's combination under ``stack``: the baseline's wherever no layer's answers to
        it (or their preempting branches) differ from the baseline's; else combined again, the
        baseline layers' distinct answers numbered once (``combine_action``'s ``partial``)."""
        layers, vary = [], None
        for i, (lid, pack, reform) in enumerate(stack):
            answers, changed = self.layer(lid, pack, reform)
            layers.append(answers)
            if changed is None or action in changed:
                vary = i
        key = (tuple((lid, pack) for lid, pack, _ in stack), action,
               "" if vary is None else tuple(reform.key for _, _, reform in stack))
        hit = self.combined.get(key, False)
        if hit is False:
            hit = self.combined[key] = combine_action(action, layers, vary, self.partial)
            if len(self.partial) > 4 * len(stack) * 8:
                self.partial.clear()
            if key[2]:
                while sum(1 for k in self.combined if k[2]) > MAX_REFORMS * 3:
                    self.combined.pop(next(k for k in self.combined if k[2]))
        return hit  # type: ignore[return-value]

    def tally(self, stack: Stack, actions: Sequence[str], weight: np.ndarray, agency: tuple[np.ndarray, list[str]],
              layer: str | None) -> pl.DataFrame:
        """Weighted counts and numbers of cases by agency, action, outcome and rule: of the combined
        answers, or of one layer's own (``layer``)."""
        at = next((i for i, (lid, _, _) in enumerate(stack) if lid == layer), None) if len(stack) > 1 else None
        self.prepare(stack)
        parts = []
        for a in actions:
            c = self.combination(stack, a)
            if c is None:
                continue
            parts.append(self._action_tally(stack, a, c, weight, agency, at))
        return pl.concat(parts) if parts else _empty_tally()

    def _action_tally(self, stack: Stack, action: str, c: Combined, weight: np.ndarray,
                      agency: tuple[np.ndarray, list[str]],
                      at: int | None) -> pl.DataFrame:
        key = (id(c), at)
        hit = self.tallies.get(key)
        if hit is not None and hit[0] is c:
            return hit[1]
        codes, names = agency
        m = len(c.engaged)
        groups = codes.astype(np.int64) * m + c.ids
        w = np.bincount(groups, weights=weight, minlength=len(names) * m)
        k = np.bincount(groups, minlength=len(names) * m)
        found = np.flatnonzero(k)
        ag, combo = np.divmod(found, m)
        keep = c.engaged[combo]
        found, ag, combo = found[keep], ag[keep], combo[keep]
        if at is None:
            outcome = c.outcome[combo]
            words = c.words
            rule = c.rule[combo].astype(np.int64)
        else:
            outcome = c.layer_outcome[at][combo]
            words = stack_words(self, stack, at)
            rule = c.layer_rule[at][combo]
        out = pl.DataFrame({
            "agency": [names[i] for i in ag.tolist()],
            "action": [action] * len(found),
            "outcome": [OUTCOMES[o] for o in outcome.tolist()],
            "rule": [words[r] if r >= 0 else None for r in rule.tolist()],
            "weight": w[found],
            "n": k[found].astype(np.int64),
        }, schema={"agency": pl.String, "action": pl.String, "outcome": pl.String, "rule": pl.String,
                   "weight": pl.Float64, "n": pl.Int64})
        out = out.group_by("agency", "action", "outcome", "rule", maintain_order=True).agg(
            pl.col("weight").sum(), pl.col("n").sum())
        self.tallies[key] = (c, out)
        while len(self.tallies) > 64:
            self.tallies.popitem(last=False)
        return out


def stack_words(day: Day, stack: Stack, at: int) -> list[str]:
    lid, pack, _ = stack[at]
    return list(day.labels[(lid, pack)])


class Prepared:
    """A chunk of a population, checked: its weights, its agencies as small numbers and the chunk on
    each decision day it was simulated on (``Day``, the most recently used ``MAX_DAYS``)."""

    def __init__(self, frame: pl.DataFrame) -> None:
        self.frame = frame
        self.rows = frame.height
        self.weight = frame["weight"].to_numpy()
        self.total = float(frame["weight"].sum())
        agency = frame["agency"].cast(pl.String)
        names = agency.unique(maintain_order=True).to_list()
        lut = {n: i for i, n in enumerate(names)}
        self.agency = (agency.replace_strict(lut, return_dtype=pl.Int64).to_numpy(), names)
        self._days: OrderedDict[dt.date | None, Day] = OrderedDict()
        self.lock = threading.Lock()

    def day(self, day: dt.date | None, facts, shift: Callable[[pl.DataFrame, dt.date], pl.DataFrame]) -> Day:
        hit = self._days.get(day)
        if hit is None:
            hit = self._days[day] = Day(shift(self.frame, day) if day else self.frame, facts)
            while len(self._days) > MAX_DAYS:
                self._days.popitem(last=False)
        else:
            self._days.move_to_end(day)
        return hit

    def tally(self, day: dt.date | None, stack: Stack, actions: Sequence[str], layer: str | None,
              shift: Callable[[pl.DataFrame, dt.date], pl.DataFrame]) -> pl.DataFrame:
        with self.lock:
            if self.rows == 0:
                return _empty_tally()
            d = self.day(day, stack[0][1].schema, shift)
            return d.tally(stack, actions, self.weight, self.agency, layer)


def _empty_tally() -> pl.DataFrame:
    return pl.DataFrame(schema={"agency": pl.String, "action": pl.String, "outcome": pl.String,
                                "rule": pl.String, "weight": pl.Float64, "n": pl.Int64})


# -- the per-process cache of populations ---------------------------------------------------

MAX_POPULATIONS = 2  # populations kept prepared
MAX_ROWS = 2_000_000  # cases kept prepared in all (a larger population is prepared for one call only)


class _Warm:
    def __init__(self) -> None:
        self.populations: OrderedDict[tuple, list[tuple[int, Prepared]]] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple) -> list[tuple[int, Prepared]] | None:
        with self.lock:
            hit = self.populations.get(key)
            if hit is not None:
                self.populations.move_to_end(key)
            return hit

    def put(self, key: tuple, chunks: list[tuple[int, Prepared]]) -> None:
        rows = sum(p.rows for _, p in chunks)
        if rows > MAX_ROWS:
            return
        with self.lock:
            self.populations[key] = chunks
            while len(self.populations) > MAX_POPULATIONS or sum(
                    p.rows for cs in self.populations.values() for _, p in cs) > MAX_ROWS:
                self.populations.popitem(last=False)

    def clear(self) -> None:
        with self.lock:
            self.populations.clear()


WARM = _Warm()


class _Digest:
    """A write-only file that hashes what is written to it."""

    closed = False

    def __init__(self) -> None:
        self.h = hashlib.sha256()

    def write(self, data: bytes) -> int:
        view = memoryview(data)
        self.h.update(view)
        return view.nbytes

    def flush(self) -> None:
        pass

    def close(self) -> None:
        self.closed = True


def fingerprint(frame: pl.DataFrame) -> str:
    """SHA-256 of a frame's content: of each column as an Arrow IPC stream (its type, and its values
    as IPC writes them, offsets of slices resolved), two columns at a time, then of their digests in
    order. Equal fingerprints mean equal content."""
    import pyarrow as pa

    table = frame.to_arrow()

    def column(i: int) -> bytes:
        one = table.select([i])
        sink = _Digest()
        with pa.ipc.new_stream(pa.PythonFile(sink, mode="w"), one.schema) as writer:
            writer.write_table(one)
        return sink.h.digest()

    head = hashlib.sha256(repr((frame.height, table.num_columns)).encode())
    with ThreadPoolExecutor(max_workers=2) as pool:
        for d in pool.map(column, range(table.num_columns)):
            head.update(d)
    return head.hexdigest()


def prepared_chunks(chunks: Iterator[tuple[int, pl.DataFrame]], check: Callable[[pl.DataFrame, int], pl.DataFrame],
                    key: tuple | None) -> Iterator[tuple[int, Prepared]]:
    """The population's chunks prepared (checked by ``check(frame, first row)``): from ``WARM`` when
    ``key`` finds them, else prepared one after another, the next read and checked on another thread
    while the current one is decided (and kept under ``key`` once all are)."""
    if key is not None:
        hit = WARM.get(key)
        if hit is not None:
            yield from hit
            return

    def prepare() -> tuple[int, Prepared] | None:
        got = next(chunks, None)
        if got is None:
            return None
        first, part = got
        return first, Prepared(check(part, first))

    done: list[tuple[int, Prepared]] = []
    with ThreadPoolExecutor(max_workers=1) as pool:
        nxt = pool.submit(prepare)
        while (p := nxt.result()) is not None:
            nxt = pool.submit(prepare)
            if key is not None:
                done.append(p)
            yield p
    if key is not None:
        WARM.put(key, done)

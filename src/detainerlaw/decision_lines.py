"""JSON Lines of Decisions from the columnar backend without a Decision object per case.

A million Decisions built and serialized one by one take minutes, yet they repeat: apart from
the decision time, the input warnings and the time limits, a case's Decision is fixed by its
agency, request kind, each layer's law version, and each layer's answer to each action (rule,
outcome, whether it has a time limit, and the order of the layers' limits, which decides the
combined one). Rows are numbered by that key with Polars and NumPy; ``batch.frame_decisions``
builds the Decision of one row per key, with a placeholder time for each limit, and its JSON is
cut into fixed text around the decision time, the limits (wherever they are written, conditions
included) and the warnings. Each case's line is then put together from its key's text and its
own values by Polars and written in pieces. A key's template is made once a run (on the first
chunk that has it); its row there, and the first rows of every chunk, are also decided the usual
way and compared with their assembled lines: a chunk where one differs, or that this module
cannot read, is left to the row-by-row path (``prepare`` returns None), which writes what it
always wrote.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
from pydantic import TypeAdapter

from detainerlaw.models.decision import Decision, InputWarning

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()
# Placeholder limits: minutes of 7001-01-01, (action number) * 64 + (the limit's rank among the layers').
_MARK_DAY = dt.date(7001, 1, 1).toordinal()
_MARK = re.compile(r"7001-01-01T(\d\d):(\d\d)")
_LOW, _HIGH = dt.date(1000, 1, 1).toordinal(), dt.date(9999, 12, 31).toordinal()  # four-digit years
_DECIDED = ',"decided_at":"'
_TAIL = '"warnings":[]}'
_AT = TypeAdapter(Decision.model_fields["decided_at"].annotation)
_WARNINGS = TypeAdapter(list[InputWarning])
LINES_AT_ONCE = 25_000  # lines assembled and written at a time (about 2.3 KB each)

CHECKED = 8  # rows of each chunk also decided the usual way and compared with their lines
Render = Callable[[pl.DataFrame], list[Decision]]  # ``frame_decisions`` on some rows of the result
Known = dict[tuple, tuple[list[str], list[int]]]  # a key's values -> its fixed texts and slots


@dataclass
class Lines:
    """A chunk's lines as templates: each key's fixed texts (``segments[j][key]``, None where the key has
    fewer slots) around slots (``slots[j][key]``: 0 the decision time, s > 0 limit s - 1, -1 none)."""

    code: np.ndarray  # each row's key
    segments: list[list[str | None]]  # len(slots) + 1 positions
    slots: list[list[int]]
    texts: list[pl.Series | None]  # each slot's text on every row (None: a slot no key uses)

    def lines(self, warnings: list[str], rows: int | None = None) -> Iterator[memoryview]:
        """The chunk's lines, UTF-8, ``rows`` at a time (``LINES_AT_ONCE``); ``warnings``: each row's
        warnings as JSON."""
        n = len(self.code)
        rows = rows or LINES_AT_ONCE
        seg = [pl.Series(s, dtype=pl.String) for s in self.segments]
        used = [s for s, t in enumerate(self.texts) if t is not None]
        at = {s: i for i, s in enumerate(used)}
        for lo in range(0, n, rows):
            hi = min(n, lo + rows)
            m = hi - lo
            code = self.code[lo:hi]
            # every used slot's texts one after another, then one null (a key without the slot)
            texts = pl.concat([*(self.texts[s].slice(lo, m) for s in used),  # type: ignore[union-attr]
                               pl.Series([None], dtype=pl.String)])
            parts: list[pl.Series] = [seg[0].gather(code)]
            for j, slot in enumerate(self.slots):
                pos = np.array([at.get(s, len(used)) if s >= 0 else len(used) for s in slot], dtype=np.int64)[code]
                idx = np.where(pos == len(used), len(texts) - 1, pos * m + np.arange(m))
                parts += [texts.gather(idx), seg[j + 1].gather(code)]
            line = pl.select(pl.concat_str([*parts, pl.Series(warnings[lo:hi], dtype=pl.String), pl.lit("}\n")],
                                           ignore_nulls=True)).to_series()
            arr = line.to_arrow(compat_level=pl.CompatLevel.oldest())
            if isinstance(arr, pa.ChunkedArray):
                arr = arr.combine_chunks()
            offsets = np.frombuffer(arr.buffers()[1], dtype=np.int64, count=len(arr) + 1, offset=arr.offset * 8)
            yield memoryview(arr.buffers()[2])[int(offsets[0]):int(offsets[-1])]


def warnings_json(warned: list[list[InputWarning]]) -> list[str]:
    """Each row's warnings as a Decision writes them."""
    return [_WARNINGS.dump_json(w).decode() if w else "[]" for w in warned]


def _minute_text(minutes: pl.Series) -> pl.Series | None:
    """``YYYY-MM-DDTHH:MM`` of minutes counted as ``calendar.to_datetime`` counts them (None if a
    year has not four digits)."""
    m = minutes.cast(pl.Int64)
    lo, hi = m.min(), m.max()
    if lo is not None and (lo // 1440 < _LOW or hi // 1440 > _HIGH):  # type: ignore[operator]
        return None
    return pl.select(pl.from_epoch((m - EPOCH_ORDINAL * 1440) * 60, time_unit="s")
                     .dt.strftime("%Y-%m-%dT%H:%M")).to_series()


def _decided_text(result: pl.DataFrame) -> pl.Series | None:
    """Each row's ``decided_at`` as a Decision writes it (the ``frame_decisions`` rule: the day
    where the place keeps days only, else the raw text's date or time where given, else the minute)."""
    if "decided_minute" not in result.columns:
        day = result["decided_day"].cast(pl.Int64)
        if day.len() and (day.min() < _LOW or day.max() > _HIGH):  # type: ignore[operator]
            return None
        return pl.select(pl.from_epoch((day - EPOCH_ORDINAL) * 86400, time_unit="s").dt.strftime("%Y-%m-%d")
                         ).to_series()
    minute = _minute_text(result["decided_minute"])
    if minute is None:
        return None
    minute = minute + ":00"
    if "decided_at" not in result.columns or result["decided_at"].null_count() == result.height:
        return minute
    raw = result["decided_at"].cast(pl.String)
    size = raw.str.len_chars()
    short = size == 16  # YYYY-MM-DDTHH:MM: pydantic writes the seconds
    # written as given: a day, or a time to the minute or second (one that reads as such)
    plain = pl.select(raw.str.contains(r"^\d{4}-\d\d-\d\d(T\d\d:\d\d(:\d\d)?)?$")
                      & pl.when(size == 10).then(raw.str.to_date("%Y-%m-%d", strict=False).is_not_null())
                      .when(short).then(raw.str.to_datetime("%Y-%m-%dT%H:%M", strict=False).is_not_null())
                      .otherwise(raw.str.to_datetime("%Y-%m-%dT%H:%M:%S", strict=False).is_not_null())
                      ).to_series().fill_null(False)
    other = raw.filter(plain.not_() & raw.is_not_null()).unique().to_list()
    try:  # as ``batch._decided_at`` reads it, written by pydantic
        written = {r: _AT.dump_json(dt.date.fromisoformat(r) if len(r) == 10 else dt.datetime.fromisoformat(r)
                                    ).decode()[1:-1] for r in other}
    except ValueError:  # the row-by-row path says what is wrong
        return None
    return pl.select(
        pl.when(raw.is_null()).then(minute)
        .when(plain & short).then(raw + ":00")
        .when(plain).then(raw)
        .otherwise(raw.replace_strict(written, default=None, return_dtype=pl.String))).to_series()


def prepare(result: pl.DataFrame, stack: list, names: dict[str, list[tuple[str, str, str]]],
            epochs: list[np.ndarray], render: Render, known: Known) -> Lines | None:
    """The templates of ``result``'s lines (``evaluate_stack`` output); ``names``: per action, each layer's
    (rule, outcome, until) columns; ``epochs``: each layer's law version of every row; ``render``: the
    Decisions of some rows; ``known``: the templates of keys seen in earlier chunks (of the same law,
    added to). None when they cannot be made (the caller writes the rows one by one)."""
    n = result.height
    if n == 0:
        return Lines(np.zeros(0, dtype=np.int64), [[]], [], [])
    decided = _decided_text(result)
    if decided is None:
        return None
    actions = list(names)
    layers = len(stack)
    if len(actions) * 64 > 1440:
        return None
    keys = [result["agency"], result["kind"], *(pl.Series(e) for e in epochs)]
    ranks: list[list[np.ndarray]] = []  # per action and layer: the limit's place among the layers' (-1: none)
    until_cols: list[pl.Series] = []
    for a in actions:
        us = []
        for rule, outcome, until in names[a]:
            keys += [result[rule], result[outcome]]
            us.append(result[until])
            until_cols.append(result[until])
        valid = [u.is_not_null().to_numpy() for u in us]
        vals = [u.fill_null(0).cast(pl.Int64).to_numpy() for u in us]
        per = []
        for k in range(layers):
            r = np.zeros(n, dtype=np.int8)
            for j in range(layers):
                if j != k:
                    r += valid[j] & ((vals[j] < vals[k]) | ((vals[j] == vals[k]) & (j < k)))
            per.append(np.where(valid[k], r, -1).astype(np.int8))
            keys.append(pl.Series(per[-1]))
        ranks.append(per)
    table = pl.DataFrame({f"k{i}": k for i, k in enumerate(keys)})
    groups = table.with_row_index("_i").group_by(table.columns).agg(pl.col("_i"))["_i"]
    code = np.empty(n, dtype=np.int64)
    code[groups.explode().to_numpy()] = np.repeat(np.arange(len(groups)), groups.list.len().to_numpy())
    first = groups.list.first().to_numpy().astype(np.int64)
    keyed = table[first].rows()  # each key's values
    new = [i for i, k in enumerate(keyed) if k not in known]
    fresh: Known = {}  # added to ``known`` once every check below holds
    if new:  # each new key's row with placeholder limits, then as it is
        at = first[new]
        rep = result[at]
        marked = rep.with_columns(
            pl.when(pl.Series(ranks[ai][k][at] >= 0))
            .then(pl.Series(_MARK_DAY * 1440 + ai * 64 + ranks[ai][k][at].astype(np.int64)))
            .cast(result[names[a][k][2]].dtype).alias(names[a][k][2])
            for ai, a in enumerate(actions) for k in range(layers))
        both = render(pl.concat([marked, rep]))
        for i, row, d in zip(new, at, both[:len(new)], strict=True):
            cut = _cut(d.model_dump_json(), {ai * 64 + int(ranks[ai][k][row]): 1 + ai * layers + k
                                             for ai in range(len(actions)) for k in range(layers)
                                             if ranks[ai][k][row] >= 0})
            if cut is None:
                return None
            fresh[keyed[i]] = cut
        checked = [(int(row), d) for row, d in zip(at, both[len(new):], strict=True)]
    else:
        checked = []
    segments = [(known.get(k) or fresh[k])[0] for k in keyed]
    slots = [(known.get(k) or fresh[k])[1] for k in keyed]
    used = {x for slot in slots for x in slot}
    texts: list[pl.Series | None] = [decided]
    for s, u in enumerate(until_cols, start=1):
        texts.append(_minute_text(u) if s in used else None)
        if s in used and texts[-1] is None:
            return None
    # each new key's own row, and the chunk's first rows, decided the usual way, are their lines
    look = range(min(n, CHECKED))
    checked += zip(look, render(result.slice(0, len(look))), strict=True)
    for row, real in checked:
        seg, slot = segments[code[row]], slots[code[row]]
        filled = seg[0] + "".join(texts[s][row] + x for s, x in zip(slot, seg[1:], strict=True))  # type: ignore[index]
        if filled + "[]}" != real.model_dump_json():
            return None
    known.update(fresh)
    most = max(len(s) for s in slots)
    seg_t: list[list[str | None]] = [[s[j] if j < len(s) - 1 else None for s in segments] for j in range(most)]
    seg_t.append([s[-1] for s in segments])
    slot_t = [[s[j] if j < len(s) else -1 for s in slots] for j in range(most)]
    return Lines(code, seg_t, slot_t, texts)


def _cut(text: str, marks: dict[int, int]) -> tuple[list[str], list[int]] | None:
    """A Decision's JSON cut at its decision time and at the placeholder limits (``marks``: the minute
    of 7001-01-01 -> its slot), without the closing warnings; None if it is not as expected."""
    at = text.find(_DECIDED)
    if at < 0 or not text.endswith(_TAIL):
        return None
    start = at + len(_DECIDED)
    end = text.find('"', start)
    segments, slots = [text[:start]], [0]
    pos = end
    body = text[:-len(_TAIL) + len('"warnings":')]
    for m in _MARK.finditer(body, end):
        slot = marks.get(int(m.group(1)) * 60 + int(m.group(2)))
        if slot is None:
            return None
        segments.append(body[pos:m.start()])
        slots.append(slot)
        pos = m.end()
    segments.append(body[pos:])
    return segments, slots


__all__ = ["Lines", "prepare", "warnings_json", "LINES_AT_ONCE"]

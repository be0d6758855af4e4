"""A place's stack of layers on a population: each layer evaluated by the columnar backend on one
encoding of the frame, and their answers combined by the one rule of ``engine.layers``
(``stack.combine_action``: once per distinct combination of the layers' answers).

``evaluate_stack`` returns, per action, the combined ``{action}``, ``{action}_until`` and
``{action}_rule`` (the deciding layers' rule labels, each prefixed ``layer:``, joined by ``|``), and
each layer's own ``{action}@{layer}``, ``{action}_until@{layer}``, ``{action}_rule@{layer}`` and
``{action}_decides@{layer}`` (whether the combined answer follows that layer).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np
import polars as pl
import pyarrow as pa

from detainerlaw.engine.columnar.evaluation import _OUT_T, _bitmap, _masked, evaluate
from detainerlaw.engine.columnar.partitions import pack_actions
from detainerlaw.engine.columnar.stack import (
    LAYER_SEP as LAYER_SEP,  # the separator of the combined rule labels, for the readers of them
)
from detainerlaw.engine.columnar.stack import (
    Chunk,
    Combined,
    LayerAnswers,
    combine_action,
    stack_actions,
    stack_answers,
)
from detainerlaw.engine.lower import NO_UNTIL
from detainerlaw.engine.pack import LawPack, Reform
from detainerlaw.engine.rules import OUTCOMES


def evaluate_stack(frame: pl.DataFrame, stack: Sequence[tuple[str, LawPack, Reform]]) -> pl.DataFrame:
    """``frame`` with each layer's answers and the combined ones (``stack`` highest first).

    The frame is encoded once for every layer (``stack.Chunk``: the columns any layer's plans
    read); the layers are combined by ``stack.combine_action`` (the rule of ``engine.layers``
    applied once per distinct combination of the layers' answers)."""
    if len(stack) == 1:
        return evaluate(frame, stack[0][1], stack[0][2])
    if frame.height == 0:
        return _empty_stack(frame, stack)
    for k in ("agency", "decided_day"):
        if frame[k].null_count():
            raise ValueError(f"{k}: null values")
    chunk = Chunk.of(frame, stack[0][1].schema)
    layers = stack_answers(chunk, stack)
    return frame.hstack(stack_columns(layers, frame.height))


def stack_columns(layers: Sequence[LayerAnswers], n: int,
                  combined: Callable[[str], Combined | None] | None = None) -> list[pl.Series]:
    """The columns of ``evaluate_stack`` from the layers' answers on a chunk of ``n`` rows (each
    action's combination ``combined(action)``; by default ``combine_action`` of the layers)."""
    cols: list[pl.Series] = []
    layer_words = [pl.Series(la.words(), dtype=pl.String) for la in layers]
    for a in stack_actions(layers):
        c = combined(a) if combined is not None else combine_action(a, layers)
        if c is None:
            cols += [_nulls(a, _OUT_T, n), _nulls(f"{a}_until", pl.Int64, n), _nulls(f"{a}_rule", pl.String, n)]
            for la in layers:
                cols += [_nulls(f"{a}@{la.lid}", _OUT_T, n), _nulls(f"{a}_until@{la.lid}", pl.Int64, n),
                         _nulls(f"{a}_rule@{la.lid}", pl.String, n),
                         pl.Series(f"{a}_decides@{la.lid}", np.zeros(n, dtype=bool))]
            continue
        bits = _bitmap(c.engaged_rows())
        cols += [_OUTCOME.gather(_codes(c.rows(c.outcome), bits)).rename(a), _until(c.until).rename(f"{a}_until"),
                 pl.Series(c.words, dtype=pl.String).gather(_codes(c.rows(c.rule), bits)).rename(f"{a}_rule")]
        for i, la in enumerate(layers):
            ans = la.answers.get(a)
            cols.append(_OUTCOME.gather(_codes(c.rows(c.layer_outcome[i]), bits)).rename(f"{a}@{la.lid}"))
            if ans is None:
                cols += [_nulls(f"{a}_until@{la.lid}", pl.Int64, n), _nulls(f"{a}_rule@{la.lid}", pl.String, n)]
            else:
                cols += [_until(ans[1]).rename(f"{a}_until@{la.lid}"),
                         layer_words[i].gather(_codes(ans[2], _bitmap(ans[3]))).rename(f"{a}_rule@{la.lid}")]
            cols.append(pl.Series(f"{a}_decides@{la.lid}", c.rows(c.decides[i])))
    return cols


_OUTCOME = pl.Series(OUTCOMES, dtype=_OUT_T)


def _codes(values: np.ndarray, bits: pa.Buffer | None) -> pl.Series:
    return pl.from_arrow(_masked(values, bits))  # type: ignore[return-value]


def _until(u: np.ndarray) -> pl.Series:
    if u.strides == (0,):  # none on any row
        return pl.repeat(None, len(u), dtype=pl.Int64, eager=True)
    return pl.from_arrow(_masked(u, _bitmap(u != NO_UNTIL)))  # type: ignore[return-value]


def _nulls(name: str, dtype: pl.DataType, n: int) -> pl.Series:
    return pl.repeat(None, n, dtype=dtype, eager=True).alias(name)


def _empty_stack(frame: pl.DataFrame, stack: Sequence[tuple[str, LawPack, Reform]]) -> pl.DataFrame:
    actions: dict[str, None] = {}
    for _, pack, _ in stack:
        actions.update(dict.fromkeys(pack_actions(pack)))
    cols = []
    for a in actions:
        cols += [_nulls(a, _OUT_T, 0), _nulls(f"{a}_until", pl.Int64, 0), _nulls(f"{a}_rule", pl.String, 0)]
        for lid, _, _ in stack:
            cols += [_nulls(f"{a}@{lid}", _OUT_T, 0), _nulls(f"{a}_until@{lid}", pl.Int64, 0),
                     _nulls(f"{a}_rule@{lid}", pl.String, 0), _nulls(f"{a}_decides@{lid}", pl.Boolean, 0)]
    return frame.with_columns(cols)

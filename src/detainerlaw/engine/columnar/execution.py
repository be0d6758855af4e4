"""Execution: a ``Plan`` evaluated on the rows of one partition of an ``Encoded`` chunk.

The plumbing between scopes (child rows, gathers, segmented sums) is index arithmetic done
in NumPy; the rules' own expressions are evaluated by Polars on each scope's frame."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import polars as pl

from detainerlaw.engine import expr as E
from detainerlaw.engine.columnar.days import add_years_expr, counting_hours_end
from detainerlaw.engine.columnar.encoding import Encoded, encode, frame_schema
from detainerlaw.engine.columnar.plans import Plan, compile_snapshot, plan_needs
from detainerlaw.engine.columnar.vocabulary import code
from detainerlaw.engine.expr import Schema

IDX = pl.get_index_type()  # row indices (gather without a cast)


def _offsets(lens: np.ndarray) -> np.ndarray:
    off = np.zeros(len(lens) + 1, dtype=np.int64)
    np.cumsum(lens, out=off[1:])
    return off


def _segment_sum(values: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Sum of ``values`` over each [offsets[j], offsets[j+1]) segment."""
    cs = np.zeros(len(values) + 1, dtype=np.int64)
    np.cumsum(values, out=cs[1:])
    return cs[offsets[1:]] - cs[offsets[:-1]]


def _union_days(child: pl.DataFrame, up: np.ndarray, offsets: np.ndarray, cols: tuple[str, ...]) -> np.ndarray:
    """Per parent: the days covered by the union of its rows' [max(start, lo), min(end,
    hi)) where ``where`` holds (child rows are grouped by parent, in parent order)."""
    where, lo, hi, start, end = (child[c].to_numpy() for c in cols)
    s = np.maximum(start, lo).astype(np.int64)
    t = np.minimum(end, hi).astype(np.int64)
    ok = where & (t > s)
    order = np.lexsort((s, up))  # by parent, then start
    s, t, ok, upo = s[order], t[order], ok[order], up[order].astype(np.int64)
    big = 1 << 24
    reach = np.maximum.accumulate(np.where(ok, np.clip(t, 0, big - 1), 0) + upo * big)
    prev = np.empty_like(reach)
    prev[:1] = -1
    prev[1:] = reach[:-1]
    prev -= upo * big  # the furthest end so far within the parent (negative: none yet)
    gain = np.where(ok, np.clip(t - np.maximum(s, prev), 0, None), 0)
    return _segment_sum(gain, offsets)


@dataclass
class View:
    """The columns of an ``Encoded`` with the item bounds [lo, hi) of each case in each
    list (computed once per chunk)."""

    enc: Encoded
    lo: dict[str, np.ndarray]
    hi: dict[str, np.ndarray]

    def column(self, items: str, name: str) -> np.ndarray:
        """A case column (``items`` empty) or an item column."""
        return self.enc.arrays[(items, name)]


def view(enc: Encoded) -> View:
    n = enc.n
    return View(enc, {k: o[:n] for k, o in enc.offsets.items()}, {k: o[1:n + 1] for k, o in enc.offsets.items()})


def _param_column(name: str, value: object, n: int) -> pl.Series:
    """A parameter's value on every row of a scope, as the plans read values (words as codes)."""
    if isinstance(value, bool):
        return pl.repeat(value, n, dtype=pl.Boolean, eager=True).rename(name)
    if isinstance(value, int):
        return pl.repeat(value, n, dtype=pl.Int64, eager=True).rename(name)
    if isinstance(value, str):
        return pl.repeat(code(value), n, dtype=pl.UInt32, eager=True).rename(name)
    raise TypeError(f"parameter {name}: a rule cannot read the value {value!r}")


def run_plan(plan: Plan, enc: Encoded | View, rows: pl.Series, frames_out: bool = False,
             params: dict | None = None) -> pl.DataFrame:
    """Evaluate a plan on the cases ``rows`` (indices into ``enc.cases``): one row each.

    Each scope has index arrays (``_r`` the case row, ``_up`` the parent scope's row,
    ``_i:{var}`` each bound item's row) and a Polars frame of its leaves and steps. The
    parameters the plan reads are bound here, from ``params`` (``Snapshot.params`` of the law
    the rows are decided under): a plan is compiled once for every value they may take."""
    params = params or {}
    cv = view(enc) if isinstance(enc, Encoded) else enc
    n = len(rows)
    index: list[dict[str, np.ndarray]] = [{"_r": rows.to_numpy().astype(np.intp, copy=False)}]
    frames: list[pl.DataFrame] = []
    seg_offsets: list[np.ndarray | None] = [None]

    def leaves(ix: int) -> pl.DataFrame:
        at = index[ix]
        cols = [pl.Series("_r", at["_r"])]
        for name, src in plan.leaves[ix].items():
            if src[0] == "f":
                cols.append(pl.Series(name, cv.column("", src[1]).take(at["_r"])))
            elif src[0] == "p":
                cols.append(_param_column(name, params[src[1]], len(at["_r"])))
            else:
                _, var, items, fld = src
                cols.append(pl.Series(name, cv.column(items, fld).take(at[f"_i:{var}"])))
        return pl.DataFrame(cols)

    frames.append(leaves(0))
    guard = frames[0].select(pl.col("_r"), *(g.alias(f"_g{ix}") for ix, g in plan.guards.items())) \
        if plan.guards else None  # one per row
    for ix in range(1, len(plan.scopes)):
        chain, parent = plan.scopes[ix], plan.parents[ix]
        var, items = chain[-1]
        p = index[parent]
        lo, hi = cv.lo[items].take(p["_r"]), cv.hi[items].take(p["_r"])
        lens = hi - lo
        if guard is not None and ix in plan.guards:  # cases where no quantifier over these items can matter get none
            lens[~guard[f"_g{ix}"].to_numpy()] = 0
        off = _offsets(lens)
        seg_offsets.append(off)
        up = np.repeat(np.arange(len(lens), dtype=np.intp), lens)
        child = {k: v.take(up) for k, v in p.items() if k != "_up"}
        child["_up"] = up
        child[f"_i:{var}"] = np.repeat(lo - off[:-1], lens) + np.arange(off[-1], dtype=np.int64)
        index.append(child)
        frames.append(leaves(ix))
    i = 0
    steps = plan.steps
    while i < len(steps):
        level = steps[i].level
        j = i
        while j < len(steps) and steps[j].level == level:
            j += 1
        batch: dict[int, list] = {}
        for s in steps[i:j]:
            if s.kind == "expr":
                batch.setdefault(s.scope, []).append(s.expr.alias(s.name))  # type: ignore[union-attr]
                continue
            if s.kind == "years":  # an expression once its number of years is bound
                years = E.bound(s.args[1], params)
                batch.setdefault(s.scope, []).append(add_years_expr(pl.col(s.args[0]), years).alias(s.name))
                continue
            if s.kind in ("any", "count"):
                v = _segment_sum(frames[s.child][s.args[0]].to_numpy(), seg_offsets[s.child])  # type: ignore[arg-type]
                v = pl.Series(v > 0 if s.kind == "any" else v)
            elif s.kind == "union":
                v = pl.Series(_union_days(frames[s.child], index[s.child]["_up"], seg_offsets[s.child],  # type: ignore[arg-type]
                                          s.args))
            elif s.kind == "che":
                v = counting_hours_end(frames[s.scope][s.args[0]], E.bound(s.args[1], params),
                                       E.bound(s.args[2], params))
            else:  # down: from an ancestor scope
                src, col = s.args
                v = pl.Series(frames[src][col].to_numpy()[_ancestor_index(plan, index, s.scope, src)])
            batch.setdefault(s.scope, []).append(v.rename(s.name))
        for scope, cols in batch.items():  # computed columns are joined on; expressions evaluated
            series = [c for c in cols if isinstance(c, pl.Series)]
            exprs = [c for c in cols if not isinstance(c, pl.Series)]
            if series:
                frames[scope] = frames[scope].hstack(series)
            if exprs:
                frames[scope] = frames[scope].with_columns(exprs)
        i = j
    root = frames[0]
    if frames_out:
        return root
    out = []
    for a, (o, u, bs) in plan.outputs.items():
        out += [root[o].cast(pl.Int8).rename(f"_o:{a}"), root[u].cast(pl.Int64).rename(f"_u:{a}")]
        out += [root[b].cast(pl.Int16).rename(f"_b:{a}:{k}") for k, b in enumerate(bs)]
    assert all(len(s) == n for s in out)
    return pl.DataFrame(out)


def _ancestor_index(plan: Plan, index: list[dict[str, np.ndarray]], scope: int, ancestor: int) -> np.ndarray:
    """Row indices into ``ancestor``'s frame for each row of ``scope``."""
    idx = index[scope]["_up"]
    s = plan.parents[scope]
    while s != ancestor:
        idx = index[s]["_up"][idx]
        s = plan.parents[s]
    return idx



def evaluate_exprs(frame: pl.DataFrame, exprs: dict[str, E.Expr], schema: Schema | None = None,
                   params: dict | None = None) -> pl.DataFrame:
    """Plain expressions (no ``PermittedBy``) evaluated on every row of a facts frame whose
    facts ``schema`` states (by default, the types of the columns the expressions read, as
    the frame holds them: ``frame_schema``), their parameters bound to ``params``."""
    plan = compile_snapshot(None, (), exprs)
    enc = encode(frame, schema if schema is not None else frame_schema(frame, plan_needs([plan])))
    res = run_plan(plan, enc, pl.Series(range(frame.height), dtype=pl.Int64), frames_out=True, params=params)
    return res.select([pl.col(col).alias(name) for name, col in plan.named.items()])

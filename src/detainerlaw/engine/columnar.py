"""The columnar backend: the lowered expressions of ``lower.lower_action`` compiled to
Polars, evaluated on a whole facts frame (``frame.facts_frame``) at once.

Rows are partitioned by (law epoch of ``decided_day``, agency, request kind); each
partition gets the compiled plan of its snapshot (cached per epoch, agency and the actions
its kind engages, in the pack's cache of the reform's law: ``LawPack.cache``). Strings are
integer codes of one process-wide vocabulary, so every comparison is on integers.

Quantifiers use child tables rather than list columns: a scope binding variables
``(c, i)`` is a table of index tuples (case row, conviction, incarceration) built from
the list offsets, so a predicate may read the case, every bound item and outer items
alike (``list.eval`` cannot read outer columns). A quantifier is then a segmented
reduction over the child rows, which are contiguous per parent row: ``Any``/``Count``
by a prefix sum read at the offsets, ``UnionDays`` by a sort on (parent, start) and a
running maximum of the ends. Child rows are built only for cases where some quantifier
over those items can change an output (``guards``). Subexpressions shared across rules
and actions are computed once (hash-consing of the expression DAG). The index
arithmetic between scopes is NumPy; the rules' expressions are Polars.
"""

from __future__ import annotations

import datetime as dt
import gc
import threading
import weakref
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from detainerlaw.engine import expr as E
from detainerlaw.engine.calendar import is_counting_day
from detainerlaw.engine.guards import ALWAYS, Guard, either, quantifier_guards
from detainerlaw.engine.lower import NO_UNTIL, LoweredAction, branch_citations, lower_action
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import NOT_GOVERNED, OUTCOMES, SEVERITY, Rule, Snapshot
from detainerlaw.laws.nyc.facts import SCHEMA

ACTIONS = ("hold", "notify_release", "share_information", "office", "facility_access", "honor_criminal_warrant")
EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # Polars dates count days from here
IDX = pl.get_index_type()  # row indices (gather without a cast)

# -- the string vocabulary ---------------------------------------------------------

_VOCAB: dict[str, int] = {}
_VOCAB_LOCK = threading.Lock()


def code(s: str) -> int:
    """The integer code of a string (stable for the life of the process; thread-safe)."""
    c = _VOCAB.get(s)
    if c is None:
        with _VOCAB_LOCK:
            c = _VOCAB.get(s)
            if c is None:
                c = _VOCAB[s] = len(_VOCAB)
    return c


def encode_strings(s: pl.Series) -> pl.Series:
    """A string, Categorical or Enum column as UInt32 vocabulary codes."""
    if s.null_count():
        raise ValueError(f"{s.name}: null values")
    if isinstance(s.dtype, pl.Enum):
        lut = pl.Series([code(v) for v in s.dtype.categories], dtype=pl.UInt32)
        return lut.gather(s.to_physical()).rename(s.name)
    if isinstance(s.dtype, pl.Categorical):
        phys = s.to_physical()
        first = phys.arg_unique()
        keys, vals = phys.gather(first).to_list(), s.gather(first).to_list()
        lut = [0] * (max(keys, default=0) + 1)
        for k, v in zip(keys, vals, strict=True):
            lut[k] = code(v)
        return pl.Series(lut, dtype=pl.UInt32).gather(phys).rename(s.name)
    uniq = [v for v in s.unique().to_list() if v is not None]
    return s.cast(pl.String).replace_strict(uniq, [code(v) for v in uniq], return_dtype=pl.UInt32)


_VOCAB_ARRAY: list = [None, -1]  # the vocabulary as an Arrow array, and its size then


def _lut(words: pa.Array) -> np.ndarray:
    """The vocabulary code of each string of an Arrow dictionary (new strings are added)."""
    if not pa.types.is_string(words.type):
        words = words.cast(pa.string())
    while True:
        if _VOCAB_ARRAY[1] != len(_VOCAB):
            with _VOCAB_LOCK:
                _VOCAB_ARRAY[:] = [pa.array(list(_VOCAB), type=pa.string()), len(_VOCAB)]
        pos = pc.index_in(words, value_set=_VOCAB_ARRAY[0])
        new = words.filter(pc.and_(pc.is_null(pos), pc.is_valid(words)))
        if not len(new):
            return pos.fill_null(0).to_numpy().astype(np.uint32)  # (a null word has no rows: nulls are refused)
        for w in new.to_pylist():
            code(w)


def _arrow_codes(arr: pa.Array | pa.ChunkedArray, name: str) -> np.ndarray:
    """A dictionary or string Arrow array as UInt32 vocabulary codes (a lookup table over
    each chunk's dictionary: the strings are never materialized per row)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out = []
    for ch in chunks:
        if ch.null_count:
            raise ValueError(f"{name}: null values")
        if not pa.types.is_dictionary(ch.type):
            ch = pc.dictionary_encode(ch)
        out.append(_lut(ch.dictionary).take(ch.indices.to_numpy(zero_copy_only=False)))
    return _joined(out, np.uint32)


_NP_TYPES = {"bool": np.bool_, "int": np.int32, "day": np.int32, "minute": np.int64}


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return (np.concatenate(parts) if len(parts) > 1 else parts[0]).astype(dtype, copy=False)


def _arrow_col(arr: pa.Array | pa.ChunkedArray, name: str, t: object) -> np.ndarray:
    """A column of a facts frame as the NumPy array the plans read."""
    if isinstance(t, tuple) or t == "key":
        return _arrow_codes(arr, name)
    if arr.null_count:
        raise ValueError(f"{name}: null values")
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if t == "bool" and all(pa.types.is_boolean(c.type) for c in chunks):
        return _joined([_bools(c) for c in chunks], np.bool_)
    return _joined([c.to_numpy(zero_copy_only=False) for c in chunks], _NP_TYPES[t])  # type: ignore[index]


def _bools(arr: pa.BooleanArray) -> np.ndarray:
    """A null-free Arrow boolean array as NumPy bools, unpacked from its bitmap (an order of
    magnitude faster than ``to_numpy``)."""
    bits = np.frombuffer(arr.buffers()[1], dtype=np.uint8)
    return np.unpackbits(bits, count=arr.offset + len(arr), bitorder="little")[arr.offset:].view(np.bool_)


@dataclass
class Encoded:
    """A facts frame as NumPy columns: ``("", field)`` per case, ``(list, field)`` per item
    (each list's items in case order), and the offsets of each case's items in each list
    (length rows + 1). Strings are vocabulary codes."""

    n: int
    arrays: dict[tuple[str, str], np.ndarray]
    offsets: dict[str, np.ndarray]

    @property
    def cases(self) -> pl.DataFrame:
        """The case columns as a Polars frame."""
        return pl.DataFrame({k: v for (items, k), v in self.arrays.items() if not items}, height=self.n)

    def items(self, name: str) -> pl.DataFrame:
        """One list's item columns as a Polars frame."""
        return pl.DataFrame({k: v for (items, k), v in self.arrays.items() if items == name},
                            height=int(self.offsets[name][-1]))


Need = dict[str, set[str]]  # "" -> scalar fields; list name -> item fields


def plan_needs(plans: list[Plan]) -> Need:
    """The columns the plans read (with those ``evaluate`` itself reads)."""
    need: Need = {"": {"agency", "decided_day", "kind"}}
    for plan in plans:
        for leaves in plan.leaves:
            for src in leaves.values():
                if src[0] == "f":
                    need[""].add(src[1])
                else:
                    need.setdefault(src[2], set()).add(src[3])
    return need


def encode_arrow(table: pa.Table, need: Need | None = None, threads: int = 1) -> Encoded:
    """An Arrow table of a facts frame (or of the needed columns of one) as ``Encoded``:
    list offsets and item fields are taken from the Arrow buffers without exploding
    (columns converted on ``threads`` threads)."""
    jobs: list[tuple[tuple[str, str], pa.ChunkedArray, object]] = [
        (("", k), table.column(k), SCHEMA.fields[k]) for k in SCHEMA.fields if need is None or k in need[""]]
    offsets = {}
    for name, schema in SCHEMA.lists.items():
        want = [k for k in schema if need is None or k in need.get(name, ())]
        if need is not None and name not in need:
            continue
        col = table.column(name)
        chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        lens, parts = [], {k: [] for k in want}
        for ch in chunks:
            lens.append(pc.list_value_length(ch).fill_null(0).to_numpy())
            flat = ch.flatten()
            by_name = dict(zip([f.name for f in flat.type], flat.flatten(), strict=True))
            for k in want:
                parts[k].append(by_name[k])
        offsets[name] = np.zeros(table.num_rows + 1, dtype=np.int64)
        np.cumsum(_joined(lens, np.int64), out=offsets[name][1:])
        jobs += [((name, k), pa.chunked_array(parts[k], type=_chunk_type(parts[k], schema[k])), schema[k])
                 for k in want]

    def convert(job: tuple) -> np.ndarray:
        (_, k), arr, t = job
        return _arrow_col(arr, k, t)

    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            converted = list(pool.map(convert, jobs))
    else:
        converted = [convert(j) for j in jobs]
    return Encoded(table.num_rows, {j[0]: a for j, a in zip(jobs, converted, strict=True)}, offsets)


def _chunk_type(parts: list, t: object) -> pa.DataType:
    if parts:
        return parts[0].type
    return pa.string() if isinstance(t, tuple) or t == "key" else pa.int32()


def encode(frame: pl.DataFrame, need: Need | None = None) -> Encoded:
    cols = list(SCHEMA.fields) + list(SCHEMA.lists)
    if need is not None:
        cols = [k for k in SCHEMA.fields if k in need[""]] + [k for k in SCHEMA.lists if k in need]
    sel = frame.select(cols)
    for name in SCHEMA.lists:
        if name in sel.columns:
            sel = sel.with_columns(pl.col(name).fill_null([]))
    return encode_arrow(sel.to_arrow(), need)


# -- the day tables ------------------------------------------------------------------

TABLE_FIRST = dt.date(1900, 1, 1).toordinal()
TABLE_LAST = dt.date(2100, 12, 31).toordinal()


@lru_cache(maxsize=4)
def day_tables(calendar: str = "us_federal") -> tuple[pl.Series, pl.Series]:
    """(counting days before each day of the table, the counting days in order)."""
    before, days, n = [], [], 0
    for d in range(TABLE_FIRST, TABLE_LAST + 2):
        before.append(n)
        if d <= TABLE_LAST and is_counting_day(d, calendar):
            days.append(d)
            n += 1
    return pl.Series(before, dtype=pl.Int64), pl.Series(days, dtype=pl.Int64)


def counting_hours_end(start: pl.Series, hours: int, calendar: str = "us_federal") -> pl.Series:
    """Vectorized ``calendar.counting_hours_end`` (days within the day table)."""
    before, days = day_tables(calendar)
    start = start.cast(pl.Int64)
    d, m = start // 1440, start % 1440
    if len(d) and (d.min() < TABLE_FIRST or d.max() > TABLE_LAST - 30):  # type: ignore[operator]
        raise ValueError("counting hours: a day outside the holiday table (1900-2100)")
    rel = d - TABLE_FIRST
    counting = before.gather(rel + 1) > before.gather(rel)
    need = hours * 60
    first = counting & (need <= 1440 - m)
    rest = pl.Series([need] * len(d), dtype=pl.Int64) - pl.Series(counting).cast(pl.Int64) * (1440 - m)
    k = (rest + 1439) // 1440  # the k-th counting day after d
    idx = (before.gather(rel + 1) + k - 1).clip(0, len(days) - 1)
    end = days.gather(idx) * 1440 + rest - (k - 1) * 1440
    return pl.select(pl.when(first).then(start + need).otherwise(end)).to_series().rename("")


def add_years_expr(day: pl.Expr, years: int) -> pl.Expr:
    """Vectorized ``calendar.add_years``: 29 February lands on 28 February."""
    d = (day - EPOCH_ORDINAL).cast(pl.Int32).cast(pl.Date).dt.offset_by(f"{years}y")
    return d.cast(pl.Int32).cast(pl.Int64) + EPOCH_ORDINAL


# -- compilation -----------------------------------------------------------------------

Chain = tuple[tuple[str, str], ...]  # ((var, items), ...) bound, outermost first


def _free(e: E.Expr, memo: dict[int, frozenset]) -> frozenset:
    """The item variables ``e`` reads and does not bind itself."""
    k = id(e)
    if k in memo:
        return memo[k]
    if type(e) is E.Var:
        out = frozenset({e.var})  # type: ignore[attr-defined]
    else:
        out, bound = frozenset(), E.binds(e)
        for c, per_item in E.scoped_children(e):
            out |= _free(c, memo) - {bound} if per_item else _free(c, memo)
    memo[k] = out
    return out


@dataclass
class Step:
    """One materialized column: ``kind`` expr (a Polars expression in ``scope``),
    any/count/union (a reduction of child scope ``child``), down (a gather of an
    ancestor's column), che (counting hours end)."""

    name: str
    kind: str
    scope: int
    level: int
    expr: pl.Expr | None = None
    child: int = -1
    args: tuple = ()


@dataclass
class Plan:
    snapshot: Snapshot
    scopes: list[Chain]
    parents: list[int]
    leaves: list[dict[str, tuple]] = field(default_factory=list)  # per scope: column -> source
    steps: list[Step] = field(default_factory=list)
    outputs: dict[str, tuple[str, str, list[str]]] = field(default_factory=dict)  # action -> outcome, until, branches
    named: dict[str, str] = field(default_factory=dict)  # plain expression name -> column
    lowered: dict[str, LoweredAction] = field(default_factory=dict)
    guards: dict[int, pl.Expr] = field(default_factory=dict)  # scope under the case -> when it is built


class _Compiler:
    def __init__(self, snapshot: Snapshot):
        self.plan = Plan(snapshot, [()], [-1], [{}])
        self.scope_ix: dict[Chain, int] = {(): 0}
        self.free_memo: dict[int, frozenset] = {}
        self.intern: dict[tuple, tuple] = {}  # structural key -> (scope, name or None, polars expr, level)
        self.keys: dict[int, tuple] = {}
        self.refs: dict[tuple, int] = {}
        self.n = 0

    # structural keys (hash-consing) -------------------------------------------------
    def key(self, e: E.Expr, chain: Chain) -> tuple:
        k = self.keys.get(id(e))
        if k is not None:
            return k
        t = type(e)
        if t is E.Const:
            k = ("C", type(e.value).__name__, e.value)
        elif t is E.Field:
            k = ("F", e.name)
        elif t is E.Var:
            k = ("V", e.var, e.name)
        elif t is E.In:
            k = ("In", self.key(e.arg, chain), e.values)
        elif t in (E.Cmp, E.Arith):
            k = (t.__name__, e.op, self.key(e.left, chain), self.key(e.right, chain))
        elif t is E.AddYears:
            k = ("AY", e.years, self.key(e.day, chain))
        elif t is E.CountingHoursEnd:
            k = ("CHE", e.hours, e.calendar, self.key(e.start, chain))
        elif t in (E.Any, E.Count):
            k = (t.__name__, e.var, e.items, self.key(e.pred, chain))
        elif t is E.UnionDays:
            k = ("U", e.var, e.items, self.key(e.where, chain), self.key(e.lo, chain), self.key(e.hi, chain))
        else:
            k = (t.__name__, *(self.key(c, chain) for c in E.operands(e)))
        self.keys[id(e)] = k
        return k

    def count_refs(self, e: E.Expr, chain: Chain, seen: set) -> None:
        """Count distinct parents of each (node, chain), to find shared subexpressions."""
        key = self.key(e, chain)
        self.refs[key] = self.refs.get(key, 0) + 1
        k = (key, chain)
        if k in seen:
            return
        seen.add(k)
        for c, per_item in E.scoped_children(e):
            self.count_refs(c, (*chain, (e.var, e.items)) if per_item else chain, seen)  # type: ignore[attr-defined]

    # scopes -------------------------------------------------------------------------
    def scope(self, chain: Chain) -> int:
        ix = self.scope_ix.get(chain)
        if ix is None:
            parent = self.scope(chain[:-1])
            ix = self.scope_ix[chain] = len(self.plan.scopes)
            self.plan.scopes.append(chain)
            self.plan.parents.append(parent)
            self.plan.leaves.append({})
        return ix

    def home(self, e: E.Expr, chain: Chain) -> Chain:
        free = _free(e, self.free_memo)
        for i in range(len(chain) + 1):
            if free <= {v for v, _ in chain[:i]}:
                return chain[:i]
        raise ValueError(f"unbound variable(s) {sorted(free)}")

    def fresh(self) -> str:
        self.n += 1
        return f"_n{self.n}"

    def add(self, kind: str, scope: int, level: int, **kw) -> tuple[pl.Expr, int]:
        s = Step(self.fresh(), kind, scope, level, **kw)
        self.plan.steps.append(s)
        return pl.col(s.name), level

    # compile ----------------------------------------------------------------------------
    def compile(self, e: E.Expr, chain: Chain, materialize: bool = False) -> tuple[pl.Expr, int]:
        """A Polars expression over the columns of ``chain``'s scope, and its level."""
        if type(e) in (E.Const, E.Field, E.Var):
            return self._node(e, chain)
        home = self.home(e, chain)
        key = self.key(e, home)
        k = (key, home)
        hit = self.intern.get(k)
        if hit is None:
            hit = self._node(e, home)
            if self.refs.get(key, 0) > 1:
                materialize = True
        expr, level = hit
        if (materialize or home != chain) and not expr.meta.is_column():
            expr, level = self.add("expr", self.scope(home), level + 1, expr=expr)
        self.intern[k] = (expr, level)
        if home == chain:
            return expr, level
        dk = (k, chain)
        down = self.intern.get(dk)
        if down is None:
            down = self.add("down", self.scope(chain), level + 1, args=(self.scope(home), expr.meta.output_name()))
            self.intern[dk] = down
        return down

    def column(self, e: E.Expr, chain: Chain) -> tuple[str, int]:
        """``e`` as a column of ``chain``'s scope (constants and leaves included)."""
        x, level = self.compile(e, chain, materialize=True)
        if not x.meta.is_column():
            x, level = self.add("expr", self.scope(chain), level + 1, expr=x)
        return x.meta.output_name(), level

    def leaf(self, chain: Chain, source: tuple) -> pl.Expr:
        ix = self.scope(chain)
        name = "_" + ":".join(map(str, source))
        self.plan.leaves[ix][name] = source
        return pl.col(name)

    def _node(self, e: E.Expr, chain: Chain) -> tuple[pl.Expr, int]:
        handler = NODES.get(type(e))
        if handler is None:
            raise TypeError(f"cannot compile {type(e).__name__}")
        return handler(self, e, chain)

    def _const(self, e: E.Const, chain: Chain) -> tuple[pl.Expr, int]:
        v = e.value
        if isinstance(v, bool):
            return pl.lit(v), 0
        if isinstance(v, int):
            return pl.lit(v, dtype=pl.Int64), 0
        if isinstance(v, str):
            return pl.lit(code(v), dtype=pl.UInt32), 0
        raise TypeError(f"constant {v!r}")

    def _field(self, e: E.Field, chain: Chain) -> tuple[pl.Expr, int]:
        return self.leaf(chain, ("f", e.name)), 0

    def _var(self, e: E.Var, chain: Chain) -> tuple[pl.Expr, int]:
        items = dict(chain)[e.var]
        return self.leaf(chain, ("v", e.var, items, e.name)), 0

    def _reduce(self, e: E.Any | E.Count, chain: Chain) -> tuple[pl.Expr, int]:
        inner = (*chain, (e.var, e.items))
        pred, lv = self.column(e.pred, inner)
        return self.add("any" if type(e) is E.Any else "count", self.scope(chain), lv + 1,
                        child=self.scope(inner), args=(pred,))

    def _union(self, e: E.UnionDays, chain: Chain) -> tuple[pl.Expr, int]:
        inner = (*chain, (e.var, e.items))
        where, l1 = self.column(e.where, inner)
        lo, l2 = self.column(e.lo, inner)
        hi, l3 = self.column(e.hi, inner)
        start = self.leaf(inner, ("v", e.var, e.items, "start_day")).meta.output_name()
        end = self.leaf(inner, ("v", e.var, e.items, "end_day")).meta.output_name()
        cols = (where, lo, hi, start, end)
        return self.add("union", self.scope(chain), max(l1, l2, l3) + 1, child=self.scope(inner), args=cols)

    def _che(self, e: E.CountingHoursEnd, chain: Chain) -> tuple[pl.Expr, int]:
        start, lv = self.column(e.start, chain)
        return self.add("che", self.scope(chain), lv + 1, args=(start, e.hours, e.calendar))

    def _operator(self, e: E.Expr, chain: Chain) -> tuple[pl.Expr, int]:
        subs = [self.compile(c, chain) for c in E.operands(e)]
        return self._combine(e, [x for x, _ in subs]), max((lv for _, lv in subs), default=0)

    def pure(self, e: E.Expr) -> pl.Expr:
        """A cheap case-level expression (``guards.is_cheap``) as one Polars expression over
        the case's leaf columns (nothing materialized)."""
        if type(e) in (E.Const, E.Field):
            return self._node(e, ())[0]
        return self._combine(e, [self.pure(c) for c in E.operands(e)])

    def _combine(self, e: E.Expr, xs: list[pl.Expr]) -> pl.Expr:
        """``e``'s operator applied to its compiled operands ``xs``."""
        op = OPERATORS.get(type(e))
        if op is None:
            raise TypeError(f"cannot compile {type(e).__name__}")
        return op(e, xs)

    def guard_scopes(self, roots: list[E.Expr]) -> None:
        """``plan.guards``: for each scope of items under the case, the case-level condition
        outside of which none of its quantifiers can change an output (``guards``)."""
        qg, lits = quantifier_guards(roots, lambda e: self.key(e, ()))
        by_scope: dict[int, Guard] = {}
        for chain, ix in self.scope_ix.items():
            if len(chain) != 1:
                continue
            g: Guard = frozenset()
            for k, guard in qg.items():
                if k[0] in ("Any", "Count", "U") and (k[1], k[2]) == chain[0]:
                    g = either(g, guard)
            by_scope[ix] = g
        for ix, g in by_scope.items():
            if g is ALWAYS:
                continue
            terms = [pl.all_horizontal([self.pure(lits[k]) if pos else ~self.pure(lits[k]) for pos, k in sorted(
                t, key=repr)]) if t else pl.lit(True) for t in sorted(g, key=repr)]
            self.plan.guards[ix] = pl.any_horizontal(terms) if terms else pl.lit(False)


def _in(e: E.In, xs: list[pl.Expr]) -> pl.Expr:
    vals = list(e.values)
    if not vals:
        return pl.lit(False)
    if all(isinstance(v, str) for v in vals):
        return xs[0].is_in(pl.Series([code(v) for v in vals], dtype=pl.UInt32).implode())
    if all(isinstance(v, bool) for v in vals):
        return xs[0].is_in(pl.Series(vals, dtype=pl.Boolean).implode())
    return xs[0].is_in(pl.Series(vals, dtype=pl.Int64).implode())


# The meaning of each operator node as Polars, given its compiled operands (``E.operands``).
OPERATORS: dict[type, Callable[[E.Expr, list[pl.Expr]], pl.Expr]] = {
    E.Not: lambda e, xs: ~xs[0],
    E.And: lambda e, xs: pl.all_horizontal(xs) if xs else pl.lit(True),
    E.Or: lambda e, xs: pl.any_horizontal(xs) if xs else pl.lit(False),
    E.Cmp: lambda e, xs: E.COMPARISONS[e.op](xs[0], xs[1]),
    E.Arith: lambda e, xs: xs[0] + xs[1] if e.op == "+" else xs[0] - xs[1],
    E.In: _in,
    E.If: lambda e, xs: pl.when(xs[0]).then(xs[1]).otherwise(xs[2]),
    E.Max: lambda e, xs: pl.max_horizontal(xs),
    E.Min: lambda e, xs: pl.min_horizontal(xs),
    E.AddYears: lambda e, xs: add_years_expr(xs[0], e.years),
}

# How the compiler builds each node type: leaves read columns, quantifiers and counting
# hours become steps over scopes, operators combine their operands (``OPERATORS``). ``Def``
# and ``PermittedBy`` have no entry: the backend compiles lowered expressions.
NODES: dict[type, Callable[[_Compiler, E.Expr, Chain], tuple[pl.Expr, int]]] = {
    E.Const: _Compiler._const,
    E.Field: _Compiler._field,
    E.Var: _Compiler._var,
    E.Any: _Compiler._reduce,
    E.Count: _Compiler._reduce,
    E.UnionDays: _Compiler._union,
    E.CountingHoursEnd: _Compiler._che,
    **{t: _Compiler._operator for t in OPERATORS},
}


def compile_snapshot(snapshot: Snapshot | None, actions: tuple[str, ...] = ACTIONS,
                     exprs: dict[str, E.Expr] | None = None) -> Plan:
    """The plan computing, for each action, the lowered outcome, until and rule branches
    (and any plain ``exprs`` by name)."""
    c = _Compiler(snapshot)  # type: ignore[arg-type]
    lowered = {a: lower_action(snapshot, a) for a in actions} if snapshot is not None else {}
    roots = [e for la in lowered.values() for e in (la.outcome, la.until, *(r.branch for r in la.rules))]
    roots += list((exprs or {}).values())
    seen: set = set()
    for e in roots:
        c.count_refs(e, (), seen)

    def out(e: E.Expr) -> str:
        return c.column(e, ())[0]

    for a, la in lowered.items():
        c.plan.outputs[a] = (out(la.outcome), out(la.until), [out(r.branch) for r in la.rules])
    for name, e in (exprs or {}).items():
        c.plan.named[name] = out(e)
    c.plan.lowered = lowered
    c.guard_scopes(roots)
    c.plan.steps.sort(key=lambda s: s.level)
    return c.plan


def evaluate_exprs(frame: pl.DataFrame, exprs: dict[str, E.Expr]) -> pl.DataFrame:
    """Plain expressions (no ``PermittedBy``) evaluated on every row of a facts frame."""
    plan = compile_snapshot(None, (), exprs)
    enc = encode(frame)
    res = run_plan(plan, enc, pl.Series(range(frame.height), dtype=pl.Int64), frames_out=True)
    return res.select([pl.col(col).alias(name) for name, col in plan.named.items()])


# -- execution ---------------------------------------------------------------------------


# The plumbing between scopes (child rows, gathers, segmented sums) is index arithmetic done
# in NumPy; the rules' own expressions are evaluated by Polars on each scope's frame.


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


def run_plan(plan: Plan, enc: Encoded | View, rows: pl.Series, frames_out: bool = False) -> pl.DataFrame:
    """Evaluate a plan on the cases ``rows`` (indices into ``enc.cases``): one row each.

    Each scope has index arrays (``_r`` the case row, ``_up`` the parent scope's row,
    ``_i:{var}`` each bound item's row) and a Polars frame of its leaves and steps."""
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
            if s.kind in ("any", "count"):
                v = _segment_sum(frames[s.child][s.args[0]].to_numpy(), seg_offsets[s.child])  # type: ignore[arg-type]
                v = pl.Series(v > 0 if s.kind == "any" else v)
            elif s.kind == "union":
                v = pl.Series(_union_days(frames[s.child], index[s.child]["_up"], seg_offsets[s.child],  # type: ignore[arg-type]
                                          s.args))
            elif s.kind == "che":
                v = counting_hours_end(frames[s.scope][s.args[0]], s.args[1], s.args[2])
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


# -- deciding rules and citations ----------------------------------------------------------


def deciding(rules: tuple[Rule, ...], branches: tuple[int, ...]) -> tuple[str, list[tuple[Rule, int]]]:
    """The combined outcome and the deciding (rule, branch) pairs of one action."""
    outs = []
    for r, b in zip(rules, branches, strict=True):
        if b < 0:
            outs.append(NOT_GOVERNED)
        else:
            outs.append(r.default if b == 0 else r.ranked()[b - 1].outcome)
    scoped = [(o, r, b) for o, r, b in zip(outs, rules, branches, strict=True) if b >= 0]
    if not scoped:
        return NOT_GOVERNED, []
    best = max((o for o, _, _ in scoped), key=SEVERITY.__getitem__)
    return best, [(r, b) for o, r, b in scoped if o == best]


def rule_label(pairs: list[tuple[Rule, int]]) -> str:
    """``id#branch`` of each deciding rule, joined by ``+`` (the ``{action}_rule`` column)."""
    return "+".join(f"{r.id}#{b}" for r, b in pairs)


def parse_rule_label(snapshot: Snapshot, action: str, label: str | None) -> list[tuple[Rule, int]]:
    if not label:
        return []
    by_id = {r.id: r for r in snapshot.actions.get(action, [])}
    out = []
    for part in label.split("+"):
        rid, _, b = part.rpartition("#")
        out.append((by_id[rid], int(b)))
    return out


# -- evaluate -------------------------------------------------------------------------------

def plan_for(pack: LawPack, start: dt.date, agency: str, reform: Reform = BASELINE,
             actions: tuple[str, ...] = ACTIONS) -> Plan:
    cache = pack.cache(reform).derived  # by the reform's content, dropped with it
    key = ("plan", start, agency, actions)
    p = cache.get(key)
    if p is None:
        p = cache[key] = compile_snapshot(pack.snapshot(start, agency, reform), actions)
    return p


def kind_actions(pack: LawPack, agency: str, kind: str | None) -> tuple[str, ...]:
    """The actions a request kind engages at an agency (all of them for ``None``)."""
    if kind is None:
        return ACTIONS
    engaged = pack.engaged(agency, kind)
    return tuple(a for a in ACTIONS if a in engaged)


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
        plan = plan_for(pack, start, agency, reform, actions)
        comp = _Compiler(plan.snapshot)
        parts = []
        for a in actions:
            la = plan.lowered[a]
            parts.append((a, comp.key(la.outcome, ()), comp.key(la.until, ()),
                          tuple(comp.key(r.branch, ()) for r in la.rules), tuple(_rule_words(la)[0]),
                          tuple(k for k in SCHEMA.fields["kind"] if a in pack.engaged(agency, k))
                          if kind is None else ()))
        fp = cache[key] = tuple(parts)
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
    bounds = pack.boundaries(reform)
    starts = [dt.date(1900, 1, 1), *bounds]
    epoch = _epochs(pack, reform, decided_day)
    agencies, kinds = list(pack.agencies), list(SCHEMA.fields["kind"])  # type: ignore[arg-type]

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


_OUT_T = pl.Enum(list(OUTCOMES))
THREADS = 3  # partition plans evaluated concurrently (three keep two cores busy past the GIL)


def evaluate(frame: pl.DataFrame, pack: LawPack, reform: Reform = BASELINE) -> pl.DataFrame:
    """``frame`` with, per action, ``{action}`` (the outcome; null when the request does not
    engage the action), ``{action}_until`` (minutes, null if none) and ``{action}_rule``
    (the deciding rules as ``id#branch`` joined by ``+``; ``parse_rule_label`` and
    ``lower.branch_citations`` give the citations)."""
    n = frame.height
    if n == 0:
        return frame.with_columns(
            *[pl.lit(None, dtype=t).alias(a + s) for a in ACTIONS
              for s, t in (("", _OUT_T), ("_until", pl.Int64), ("_rule", pl.String))]
        )
    for k in ("agency", "decided_day"):
        if frame[k].null_count():
            raise ValueError(f"{k}: null values")
    parts = partitions(frame, pack, reform)
    need = plan_needs([plan_for(pack, start, agency, reform) for start, agency in {p[:2] for p in parts}])
    enc = encode(frame, need)
    labels: dict[str, int] = {}
    out = _evaluate_encoded(enc, parts, pack, reform, labels)
    names = list(labels)
    label_enum = pl.Series(names, dtype=pl.Enum(names))
    return frame.hstack(_result_columns(out, label_enum))


def _result_columns(out: pa.Table, labels: pl.Series) -> list[pl.Series]:
    out_enum = pl.Series(OUTCOMES, dtype=_OUT_T)
    res = pl.from_arrow(out)
    cols = []
    for a in ACTIONS:
        cols += [out_enum.gather(res[a]).rename(a), res[f"{a}_until"],
                 labels.gather(res[f"{a}_rule"]).rename(f"{a}_rule")]
    return cols


def _bitmap(valid: np.ndarray | None) -> pa.Buffer | None:
    """An Arrow validity bitmap (None: all valid)."""
    return None if valid is None or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))


def _masked(values: np.ndarray, bits: pa.Buffer | None) -> pa.Array:
    """An Arrow array over ``values`` (no copy) with validity ``bits``."""
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values), [bits, pa.py_buffer(values)])


def _in_row_order(n: int, parts: list[tuple[np.ndarray, dict[str, np.ndarray]]]) -> pa.Table:
    """Per action: outcome (index into OUTCOMES), until and rule label (index into the
    labels) over all ``n`` rows, from each group's (rows, results of the actions it
    engages); null where a row does not engage the action. Each value is written once to
    its row, and the nulls are validity bitmaps over those arrays."""
    cols: dict[str, pa.Array] = {}
    for a in ACTIONS:
        have = [(rows, res) for rows, res in parts if f"_o:{a}" in res]
        if not have:
            cols.update({a: pa.nulls(n, pa.uint8()), f"{a}_until": pa.nulls(n, pa.int64()),
                         f"{a}_rule": pa.nulls(n, pa.uint32())})
            continue
        idx = np.concatenate([rows for rows, _ in have])
        engaged = None
        if len(idx) < n:
            engaged = np.zeros(n, dtype=bool)
            engaged[idx] = True
        bits = _bitmap(engaged)  # shared by the outcome and the rule label
        for name, key, fill, dtype in ((a, "_o", 0, np.uint8), (f"{a}_rule", "_r", 0, np.uint32),
                                       (f"{a}_until", "_u", NO_UNTIL, np.int64)):
            v = np.full(n, fill, dtype=dtype)
            v[idx] = np.concatenate([res[f"{key}:{a}"] for _, res in have])
            cols[name] = _masked(v, _bitmap(v != NO_UNTIL) if key == "_u" else bits)  # not engaged: NO_UNTIL too
    return pa.table(cols)


def _job_results(plan: Plan, root: pl.DataFrame, labels: dict[str, int]) -> dict[str, np.ndarray]:
    """A group's outcomes, untils and rule labels as NumPy arrays, from its plan's root frame."""
    out = {}
    for a, (o, u, bs) in plan.outputs.items():
        out[f"_o:{a}"] = root[o].to_numpy().astype(np.uint8, copy=False)
        out[f"_u:{a}"] = root[u].to_numpy().astype(np.int64, copy=False)
        lut, weight = _rule_lut(plan.lowered[a], labels)
        key = np.zeros(len(root), dtype=np.int64)
        for b, w in zip(bs, weight, strict=True):
            key += (root[b].to_numpy().astype(np.int64) + 1) * w
        out[f"_r:{a}"] = lut[key]
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


def _evaluate_encoded(enc: Encoded, parts: list, pack: LawPack, reform: Reform,
                      labels: dict[str, int]) -> pa.Table:
    """Per action: the outcome (index into OUTCOMES), until and rule label (index into
    ``labels``), in the row order of ``enc`` (see ``_in_row_order``)."""
    n = enc.n
    cases = view(enc)  # item bounds per case, computed once
    groups: dict[int, tuple[dt.date, str, tuple[str, ...], list[pl.Series]]] = {}
    for start, agency, kind, rows in parts:  # partitions whose plans are the same run together
        gid, acts = _group_of(pack, start, agency, reform, kind)
        groups.setdefault(gid, (start, agency, acts, []))[3].append(rows)
    jobs = []
    for start, agency, acts, row_parts in groups.values():
        rows = pl.concat(row_parts) if len(row_parts) > 1 else row_parts[0]
        jobs.append((plan_for(pack, start, agency, reform, acts), rows))
    for plan, _ in jobs:  # the labels are numbered in a fixed order, before any thread runs
        for a in plan.outputs:
            _rule_lut(plan.lowered[a], labels)

    def run(job: tuple) -> dict[str, np.ndarray]:
        plan, rows = job
        return _job_results(plan, run_plan(plan, cases, rows, frames_out=True), labels) if plan.outputs else {}

    if len(jobs) > 1 and THREADS > 1:  # small partitions leave cores idle: run two plans at once
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            done = dict(zip(order, pool.map(run, [jobs[i] for i in order]), strict=True))
        res_parts = [done[i] for i in range(len(jobs))]
    else:
        res_parts = [run(j) for j in jobs]
    if sum(len(j[1]) for j in jobs) != n:
        raise AssertionError("columnar: rows lost")
    return _in_row_order(n, [(j[1].to_numpy().astype(np.intp, copy=False), r)
                             for j, r in zip(jobs, res_parts, strict=True)])


def _parquet_columns(path: str | Path, need: Need, keep: tuple[str, ...] = ()) -> tuple:
    """(the ParquetFile, the leaf column paths to read, the top-level names) of a facts frame."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path, memory_map=True)
    names = set(pf.schema_arrow.names)
    missing = [k for k in (*SCHEMA.fields, *SCHEMA.lists) if k not in names]
    if missing:
        raise ValueError(f"{path}: not a facts frame: missing column(s) {', '.join(missing)}")
    leaf_paths = {c.path for c in pf.schema}
    cols = [k for k in keep if k in names] + sorted(need[""])
    for name, fields in need.items():
        if name:
            cols += [p for f in sorted(fields) for p in (f"{name}.list.element.{f}", f"{name}.list.item.{f}")
                     if p in leaf_paths]
    return pf, cols, names


def read_parquet_encoded(path: str | Path, need: Need) -> Encoded:
    """The ``need``ed columns of a facts-frame Parquet file, encoded."""
    pf, cols, _ = _parquet_columns(path, need)
    return encode_arrow(pa.concat_tables([pf.read_row_group(i, columns=cols) for i in range(pf.num_row_groups)]),
                        need)


def evaluate_parquet(path: str | Path, out: str | Path, pack: LawPack, reform: Reform = BASELINE,
                     chunk_rows: int = 1_000_000, keep: tuple[str, ...] = ("case_id",)) -> int:
    """``evaluate`` from a facts-frame Parquet file to a Parquet file of ``keep`` and the
    result columns, in chunks of about ``chunk_rows`` cases (row groups), reading only the
    columns the plans need; the next chunk is read while the current one is evaluated.
    The ``{action}_rule`` columns are dictionary-encoded (Categorical when read by Polars);
    pages are LZ4-compressed.
    Arrow allocates from ``_chunk_pool`` during the call, and Python's cycle collector is
    paused (the chunks make no cycles; its passes over the compiled plans took about 2 % of
    the time). Returns the number of cases."""
    with _ChunkSettings():  # before the file is opened: a Parquet reader keeps the pool it opened with
        return _evaluate_parquet(path, out, pack, reform, chunk_rows, keep)


class _ChunkSettings:
    """The chunk pool in force and the cycle collector paused from the first of any
    overlapping ``evaluate_parquet`` calls to the last (the state before is restored)."""

    lock = threading.Lock()
    running = 0
    pool: pa.MemoryPool | None = None
    collecting = False

    def __enter__(self) -> None:
        with self.lock:
            if _ChunkSettings.running == 0:
                _ChunkSettings.pool, _ChunkSettings.collecting = pa.default_memory_pool(), gc.isenabled()
                pa.set_memory_pool(_chunk_pool())
                gc.disable()
            _ChunkSettings.running += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            _ChunkSettings.running -= 1
            if _ChunkSettings.running == 0:
                pa.set_memory_pool(_ChunkSettings.pool)
                if _ChunkSettings.collecting:
                    gc.enable()


def _evaluate_parquet(path: str | Path, out: str | Path, pack: LawPack, reform: Reform, chunk_rows: int,
                      keep: tuple[str, ...]) -> int:
    import pyarrow.parquet as pq

    all_plans = [plan_for(pack, s, a, reform) for s in [dt.date(1900, 1, 1), *pack.boundaries(reform)]
                 for a in pack.agencies]
    need = plan_needs(all_plans)
    pf, cols, names = _parquet_columns(path, need, keep)
    groups, cur, rows = [], [], 0
    for i in range(pf.num_row_groups):
        cur.append(i)
        rows += pf.metadata.row_group(i).num_rows
        if rows >= chunk_rows:
            groups.append(cur)
            cur, rows = [], 0
    if cur:
        groups.append(cur)

    def read(g: list[int]) -> tuple:
        """A chunk read, encoded and partitioned (on the reader thread; column decoding on
        more threads only for the first chunk, when nothing else is running yet)."""
        first = g is groups[0]
        table = pa.concat_tables([pf.read_row_group(i, columns=cols, use_threads=first) for i in g])
        enc = encode_arrow(table, need, threads=2 if first else 1)
        parts = _partitions(*(enc.arrays[("", k)] for k in ("decided_day", "agency", "kind")), pack, reform)
        return table.select([k for k in keep if k in names]), enc, parts  # ``keep`` stays Arrow

    writer = None

    outcomes = pa.array(OUTCOMES, type=pa.large_string())

    def write(chunk: pa.Table, res: pa.Table, lab: list[str]) -> None:
        """A chunk's results built and written (on the writer thread): ``keep`` as read, the
        rule labels as dictionary codes (never a string per row), dictionary pages for the
        outcomes and labels, statistics for the untils only."""
        nonlocal writer
        words = pa.array(lab, type=pa.large_string())
        cols, fields = list(chunk.columns), list(chunk.schema)
        for a in ACTIONS:
            cols += [pa.DictionaryArray.from_arrays(res[a].combine_chunks(), outcomes, ordered=True),
                     res[f"{a}_until"], pa.DictionaryArray.from_arrays(res[f"{a}_rule"].combine_chunks(), words)]
            fields += [pa.field(a, cols[-3].type), pa.field(f"{a}_until", pa.int64()),
                       pa.field(f"{a}_rule", cols[-1].type)]
        arrow = pa.Table.from_arrays(cols, schema=pa.schema(fields))
        if writer is None:
            words = [f"{a}{s}" for a in ACTIONS for s in ("", "_rule")]
            writer = pq.ParquetWriter(out, arrow.schema, use_dictionary=words, compression="lz4",
                                      write_statistics=[f"{a}_until" for a in ACTIONS])
        writer.write_table(arrow if arrow.schema.equals(writer.schema) else arrow.cast(writer.schema))

    total = _pipeline(groups, read, write, pack, reform, {})
    if writer is None:
        empty = pl.DataFrame(schema={**{k: pl.String for k in keep}, **{
            a + s: t for a in ACTIONS for s, t in (("", _OUT_T), ("_until", pl.Int64), ("_rule", pl.Categorical))}})
        empty.write_parquet(out)
    else:
        writer.close()
    return total


def _pipeline(groups: list[list[int]], read: Callable[[list[int]], tuple], write: Callable[..., None],
              pack: LawPack, reform: Reform, labels: dict[str, int]) -> int:
    """Evaluate chunk after chunk while one thread reads and encodes the next and another
    writes the last; returns the number of cases."""
    total, pending = 0, None
    with ThreadPoolExecutor(max_workers=1) as reader, ThreadPoolExecutor(max_workers=1) as writing:
        nxt = reader.submit(read, groups[0]) if groups else None
        for gi in range(len(groups)):
            chunk, enc, parts = nxt.result()  # type: ignore[union-attr]
            nxt = reader.submit(read, groups[gi + 1]) if gi + 1 < len(groups) else None
            res = _evaluate_encoded(enc, parts, pack, reform, labels)
            del enc
            if pending is not None:
                pending.result()
            pending = writing.submit(write, chunk, res, list(labels))
            total += res.num_rows
        if pending is not None:
            pending.result()
    return total


def _chunk_pool() -> pa.MemoryPool:
    """Arrow's jemalloc pool where the build has it. Reading chunks into fresh mimalloc
    memory (Arrow's default) cost about 0.4 s of kernel time per process zeroing huge pages
    on the benchmark machine; with jemalloc 1M cases took 1.55-1.66 s instead of 1.95-2.16 s
    and 10M 8.5-9.7 s instead of 9.5-9.7 s (runs interleaved)."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


# By identity, weakly: an entry goes with its lowered action (a reform's law dropped from the pack's cache).
_LABELS: dict[int, tuple[weakref.ref, list[str], list[int]]] = {}


def _rule_words(la: LoweredAction) -> tuple[list[str], list[int]]:
    """(the label of each combination of the rules' branches, the weight of each rule's
    branch in a combination's number), found once per lowered action."""
    hit = _LABELS.get(id(la))
    if hit is None or hit[0]() is not la:
        rules = tuple(r.rule for r in la.rules)
        radix = [len(r.exceptions) + 2 for r in rules]  # branches -1 .. len(exceptions)
        weight = [1]
        for r in radix[:-1]:
            weight.append(weight[-1] * r)
        words = [rule_label(deciding(rules, tuple((key // w) % r - 1 for w, r in zip(weight, radix, strict=True)))[1])
                 for key in range(weight[-1] * radix[-1])] if rules else [""]
        hit = _LABELS[id(la)] = (weakref.ref(la), words, weight if rules else [])
        weakref.finalize(la, _LABELS.pop, id(la), None)
    return hit[1], hit[2]


def _rule_lut(la: LoweredAction, labels: dict[str, int]) -> tuple[np.ndarray, list[int]]:
    """(index in ``labels`` of each branch combination's label, the weights): a row's
    label is ``lut[sum((branch + 1) * weight)]`` over the rules' branch columns."""
    words, weight = _rule_words(la)
    return np.array([labels.setdefault(w, len(labels)) for w in words], dtype=np.uint32), weight


def _cite(c: str) -> str:
    return c if c.startswith("NYC") or not c.startswith("§") else f"NYC Admin. Code {c}"


def label_citations(snapshot: Snapshot, action: str, label: str | None) -> list[str]:
    """The citations of an ``{action}_rule`` value (as ``decide`` reports them)."""
    out: list[str] = []
    for rule, b in parse_rule_label(snapshot, action, label):
        for c in branch_citations(rule, b):
            if _cite(c) not in out:
                out.append(_cite(c))
    return out


def label_conditions(snapshot: Snapshot, action: str, label: str | None, until: dt.datetime | None) -> list[str]:
    """The conditions of an ``{action}_rule`` value (as ``decide`` reports them)."""
    out: list[str] = []
    for rule, b in parse_rule_label(snapshot, action, label):
        texts = rule.default_conditions if b == 0 else rule.ranked()[b - 1].conditions
        for t in texts:
            s = t.format(until=until.isoformat(timespec="minutes") if until else "")
            if s not in out:
                out.append(s)
    return out

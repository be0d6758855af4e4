"""The encoder: a plain expression (``lower.lower_action``'s ``outcome`` and ``until``) as a
Z3 term over a ``SymCase``, with the semantics of the interpreter."""

from __future__ import annotations

from collections.abc import Callable

import z3

from detainerlaw.engine import expr as E
from detainerlaw.engine.expr import Schema
from detainerlaw.engine.smt.bounds import Bounds
from detainerlaw.engine.smt.dates import add_years_z3, counting_hours_end_z3, union_days_z3, zmax, zmin
from detainerlaw.engine.smt.symcase import EnumV, KeyV, SymCase
from detainerlaw.engine.smt.table import KeyTable, ranges, table_for
from detainerlaw.engine.smt.vocabulary import Vocabulary

_CMP = E.COMPARISONS


class Encoder:
    """Compiles plain expressions over one ``SymCase`` under one law (its decided day)."""

    def __init__(self, sym: SymCase, law_index: int = 0, decided_range: tuple[int, int] | None = None,
                 params: dict | None = None):
        self.sym = sym
        self.params = params or {}  # what ``Param`` nodes read (``Params.bound``); ``E.bind`` fixes them beforehand
        self.i = law_index
        self.memo: dict[tuple, object] = {}
        self.ids: dict[int, tuple[int, E.Expr]] = {}
        self.interned: dict[tuple, int] = {}
        b = sym.bounds
        self.decided_range = decided_range or (b.decided[0].toordinal(), b.decided[1].toordinal())

    def __call__(self, e: E.Expr) -> object:
        return self.enc(e, ())

    def enc(self, e: E.Expr, env: tuple) -> object:
        key = (self._canon(e), env)
        v = self.memo.get(key)
        if v is None:
            v = self.memo[key] = self._enc(e, env)
        return v

    def _canon(self, e: E.Expr) -> int:
        """Structural identity of a tree (hash-consing), so equal subtrees of different
        snapshots compile once."""
        hit = self.ids.get(id(e))
        if hit is not None:
            return hit[0]
        t = type(e)
        if t in (E.Const, E.Field, E.Var, E.Param):
            sig: tuple = (t, *(getattr(e, f) for f in e.__dataclass_fields__), type(getattr(e, "value", None)))
        else:
            parts = []
            for f in e.__dataclass_fields__:
                v = getattr(e, f)
                if isinstance(v, E.Expr):
                    parts.append(("e", self._canon(v)))
                elif isinstance(v, tuple) and v and isinstance(v[0], E.Expr):
                    parts.append(("t", tuple(self._canon(a) for a in v)))
                else:
                    parts.append(v)
            sig = (t, *parts)
        c = self.interned.setdefault(sig, len(self.interned))
        self.ids[id(e)] = (c, e)  # keep ``e`` alive so its id is not reused
        return c

    def _item(self, env: tuple, var: str) -> dict:
        for name, lst, i in env:
            if name == var:
                return self.sym.lists[lst][1][i]
        raise KeyError(f"unbound variable {var!r}")

    def _enc(self, e: E.Expr, env: tuple) -> object:
        handler = ENCODERS.get(type(e))
        if handler is None:
            raise NotImplementedError(f"SMT backend: no encoding for {type(e).__name__}")
        return handler(self, e, env)

    def _cmp(self, op: str, a: object, b: object) -> z3.BoolRef:
        if isinstance(b, (EnumV, KeyV)) and not isinstance(a, (EnumV, KeyV)):
            a, b = b, a
        if isinstance(a, EnumV):
            if op not in ("==", "!="):
                raise NotImplementedError("ordering on enums")
            if isinstance(b, str):
                r = a.v == a.domain.index(b) if b in a.domain else z3.BoolVal(False)
            elif isinstance(b, EnumV):
                r = z3.Or([z3.And(a.v == i, b.v == b.domain.index(x)) for i, x in enumerate(a.domain)
                           if x in b.domain])
            else:
                raise NotImplementedError("enum compared with a number")
            return r if op == "==" else z3.Not(r)
        if isinstance(a, KeyV):
            if op not in ("==", "!="):
                raise NotImplementedError("ordering on statutes")
            if isinstance(b, str):
                r = self.sym.table.member(a.row, a.attr, (b,))
            elif isinstance(b, KeyV) and b.row is a.row:
                r = self.sym.table.same(a.row, a.attr, b.attr)
            elif isinstance(b, KeyV):
                at = self.sym.table.attrs
                r = z3.Or([z3.And(a.row == x, b.row == y) for x, rx in enumerate(at) for y, ry in enumerate(at)
                           if rx[a.attr] == ry[b.attr]])
            else:
                raise NotImplementedError("statute compared with a number")
            return r if op == "==" else z3.Not(r)
        return _CMP[op](a, b)

    def _in(self, a: object, values: frozenset) -> z3.BoolRef:
        if isinstance(a, EnumV):
            return ranges(a.v, [i for i, x in enumerate(a.domain) if x in values])
        if isinstance(a, KeyV):
            return self.sym.table.member(a.row, a.attr, values)
        return z3.Or([a == v for v in values]) if values else z3.BoolVal(False)  # type: ignore[operator]


def _const(c: Encoder, e: E.Const, env: tuple) -> object:
    v = e.value
    if isinstance(v, bool):
        return z3.BoolVal(v)
    if isinstance(v, int):
        return z3.IntVal(v)
    return v


def _field(c: Encoder, e: E.Field, env: tuple) -> object:
    if e.name == "decided_day":
        return c.sym.decided[c.i]
    if e.name == "decided_minute":
        return c.sym.decided_minute(c.i)
    return c.sym.fields[e.name]


def _var(c: Encoder, e: E.Var, env: tuple) -> object:
    item = c._item(env, e.var)
    if "row" in item and e.name in c.sym.key_fields:
        return KeyV(e.name, item["row"])  # type: ignore[arg-type]
    return item[e.name]


def _if(c: Encoder, e: E.If, env: tuple) -> object:
    cond, a, b = c.enc(e.cond, env), c.enc(e.then, env), c.enc(e.other, env)
    if isinstance(a, (EnumV, KeyV, str)) or isinstance(b, (EnumV, KeyV, str)):
        raise NotImplementedError("If over enum or statute values")
    return z3.If(cond, a, b)


def _arith(c: Encoder, e: E.Arith, env: tuple) -> object:
    a, b = c.enc(e.left, env), c.enc(e.right, env)
    return a + b if e.op == "+" else a - b  # type: ignore[operator]


def _item_terms(c: Encoder, e: E.Any | E.Count, env: tuple) -> list:
    """Per slot of the list: the slot is present and the predicate holds of it."""
    n, slots = c.sym.lists[e.items]
    return [z3.And(n > i, c.enc(e.pred, (*env, (e.var, e.items, i)))) for i in range(len(slots))]


def _any(c: Encoder, e: E.Any, env: tuple) -> object:
    terms = _item_terms(c, e, env)
    return z3.Or(terms) if terms else z3.BoolVal(False)


def _count(c: Encoder, e: E.Count, env: tuple) -> object:
    terms = _item_terms(c, e, env)
    return z3.Sum([z3.If(x, 1, 0) for x in terms]) if terms else z3.IntVal(0)


def _union_days(c: Encoder, e: E.UnionDays, env: tuple) -> object:
    n, slots = c.sym.lists[e.items]
    lo, hi = c.enc(e.lo, env), c.enc(e.hi, env)
    spans = []
    for i, s in enumerate(slots):
        w = c.enc(e.where, (*env, (e.var, e.items, i)))
        spans.append((z3.And(n > i, w), s["start_day"], s["end_day"]))
    return union_days_z3(spans, lo, hi)


# The meaning of each node type over a ``SymCase`` (``Encoder._enc``). ``PermittedBy`` has
# none: the backend compiles lowered expressions, where it has been resolved.
ENCODERS: dict[type, Callable[..., object]] = {
    E.Const: _const,
    E.Field: _field,
    E.Var: _var,
    E.Param: lambda c, e, env: _const(c, E.Const(c.params[e.name]), env),
    E.Def: lambda c, e, env: c.enc(e.expr, env),
    E.Not: lambda c, e, env: z3.Not(c.enc(e.arg, env)),
    E.And: lambda c, e, env: z3.And([c.enc(a, env) for a in e.args]),
    E.Or: lambda c, e, env: z3.Or([c.enc(a, env) for a in e.args]),
    E.Cmp: lambda c, e, env: c._cmp(e.op, c.enc(e.left, env), c.enc(e.right, env)),
    E.Arith: _arith,
    E.In: lambda c, e, env: c._in(c.enc(e.arg, env), e.values),
    E.If: _if,
    E.Max: lambda c, e, env: zmax([c.enc(a, env) for a in e.args]),
    E.Min: lambda c, e, env: zmin([c.enc(a, env) for a in e.args]),
    E.AddYears: lambda c, e, env: add_years_z3(c.enc(e.day, env), E.bound(e.years, c.params)),
    E.Any: _any,
    E.Count: _count,
    E.UnionDays: _union_days,
    E.CountingHoursEnd: lambda c, e, env: counting_hours_end_z3(c.enc(e.start, env), E.bound(e.hours, c.params),
                                                                E.bound(e.calendar, c.params), c.decided_range),
}


def evaluate_concrete(exprs: list[E.Expr], facts: dict, *, schema: Schema, vocabulary: Vocabulary,
                      table: KeyTable | None = None) -> list[object]:
    """Values of ``exprs`` with every input fixed to ``facts`` (the differential check)."""
    table = table or table_for(exprs, [facts], vocabulary=vocabulary)
    k = max(3, *(len(facts[name]) for name in schema.lists))
    sym = SymCase(table, Bounds(k=k), schema=schema)
    enc = Encoder(sym)
    return instantiate([enc(e) for e in exprs], sym.substitution(facts))


def instantiate(terms: list, pairs: list[tuple]) -> list[object]:
    """Python values of Z3 terms once every variable is replaced by a constant."""
    out = []
    for t in terms:
        v = z3.simplify(z3.substitute(t, *pairs))
        if z3.is_int_value(v):
            out.append(v.as_long())
        elif z3.is_true(v) or z3.is_false(v):
            out.append(z3.is_true(v))
        else:
            raise ValueError(f"not a constant after instantiation: {v}")
    return out

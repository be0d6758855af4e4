"""Compilation: the lowered expressions of ``lower.lower_action`` as a ``Plan`` of Polars
expressions over scopes (the case, and child tables of bound items), with subexpressions
shared across rules and actions computed once (hash-consing of the expression DAG) and the
guards under which a scope's child rows are built (``guards``)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import polars as pl

from detainerlaw.engine import expr as E
from detainerlaw.engine.columnar.days import add_years_expr
from detainerlaw.engine.columnar.encoding import Need
from detainerlaw.engine.columnar.vocabulary import code
from detainerlaw.engine.guards import ALWAYS, Guard, either, quantifier_guards
from detainerlaw.engine.lower import LoweredAction, lower_action
from detainerlaw.engine.rules import Snapshot

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
    words: dict[str, int] = field(default_factory=dict)  # the words its expressions compare with, and their codes


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
        elif t is E.Param:
            k = ("P", e.name)
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
        if type(e) in (E.Const, E.Field, E.Var, E.Param):
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
            c = self.plan.words[v] = code(v)
            return pl.lit(c, dtype=pl.UInt32), 0
        raise TypeError(f"constant {v!r}")

    def _field(self, e: E.Field, chain: Chain) -> tuple[pl.Expr, int]:
        return self.leaf(chain, ("f", e.name)), 0

    def _param(self, e: E.Param, chain: Chain) -> tuple[pl.Expr, int]:
        """A column of the parameter's value, filled when the plan runs (``run_plan``'s ``params``)."""
        return self.leaf(chain, ("p", e.name)), 0

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

    def _add_years(self, e: E.AddYears, chain: Chain) -> tuple[pl.Expr, int]:
        """Years given by a parameter: a step that adds them when the plan runs (a number of
        years is a Polars offset, not a column)."""
        if type(e.years) is not E.Param:
            return self._operator(e, chain)
        day, lv = self.column(e.day, chain)
        return self.add("years", self.scope(chain), lv + 1, args=(day, e.years))

    def _operator(self, e: E.Expr, chain: Chain) -> tuple[pl.Expr, int]:
        subs = [self.compile(c, chain) for c in E.operands(e)]
        return self._combine(e, [x for x, _ in subs]), max((lv for _, lv in subs), default=0)

    def pure(self, e: E.Expr) -> pl.Expr:
        """A cheap case-level expression (``guards.is_cheap``) as one Polars expression over
        the case's leaf columns (nothing materialized)."""
        if type(e) in (E.Const, E.Field, E.Param):
            return self._node(e, ())[0]
        return self._combine(e, [self.pure(c) for c in E.operands(e)])

    def _combine(self, e: E.Expr, xs: list[pl.Expr]) -> pl.Expr:
        """``e``'s operator applied to its compiled operands ``xs``."""
        op = OPERATORS.get(type(e))
        if op is None:
            raise TypeError(f"cannot compile {type(e).__name__}")
        if type(e) is E.In:  # the codes of the words it compares with, as this process gives them
            self.plan.words.update({v: code(v) for v in e.values if isinstance(v, str)})  # type: ignore[attr-defined]
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
    E.Param: _Compiler._param,
    E.Any: _Compiler._reduce,
    E.Count: _Compiler._reduce,
    E.UnionDays: _Compiler._union,
    E.CountingHoursEnd: _Compiler._che,
    **{t: _Compiler._operator for t in OPERATORS},
    E.AddYears: _Compiler._add_years,
}


def compile_snapshot(snapshot: Snapshot | None, actions: tuple[str, ...],
                     exprs: dict[str, E.Expr] | None = None,
                     lowered: dict[str, LoweredAction] | None = None) -> Plan:
    """The plan computing, for each action, the lowered outcome, until and rule branches
    (and any plain ``exprs`` by name); ``lowered``: the actions already lowered."""
    c = _Compiler(snapshot)  # type: ignore[arg-type]
    if lowered is None:
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


def plan_params(plan: Plan) -> frozenset[str]:
    """The parameters a plan binds when it runs."""
    out = {src[1] for leaves in plan.leaves for src in leaves.values() if src[0] == "p"}
    for s in plan.steps:
        out |= {a.name for a in s.args if type(a) is E.Param}
    return frozenset(out)


def plan_needs(plans: list[Plan]) -> Need:
    """The columns the plans read (with those ``evaluate`` itself reads)."""
    need: Need = {"": {"agency", "decided_day", "kind"}}
    for plan in plans:
        for leaves in plan.leaves:
            for src in leaves.values():
                if src[0] == "f":
                    need[""].add(src[1])
                elif src[0] == "v":
                    need.setdefault(src[2], set()).add(src[3])
    return need


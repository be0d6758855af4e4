"""Expressions compiled to Python closures: the interpreter's fast path.

The tree-walking evaluator in ``interpreter`` builds explanations; when none is
wanted, each condition is compiled once into nested closures (no per-node dispatch)
with the same semantics, short-circuits and register notes. The differential tests
hold the two paths to the same results.
"""

from __future__ import annotations

from collections.abc import Callable

from detainerlaw.engine import expr as E
from detainerlaw.engine.calendar import add_years, counting_hours_end
from detainerlaw.engine.memo import IdentityMemo

# A compiled expression: (facts, env, notes) -> value.
Fn = Callable[[dict, dict, set], object]
_CACHE: IdentityMemo[Fn] = IdentityMemo()


def compiled(e: E.Expr) -> Fn:
    fn = _CACHE.get(e)
    return fn if fn is not None else _CACHE.put(e, _compile(e))


def _compile(e: E.Expr) -> Fn:
    handler = COMPILERS.get(type(e))
    if handler is None:
        raise TypeError(f"no compiled form for {type(e).__name__}")
    return handler(e)


def _const(e: E.Const) -> Fn:
    v = e.value
    return lambda f, env, n: v


def _field(e: E.Field) -> Fn:
    name = e.name
    return lambda f, env, n: f[name]


def _var(e: E.Var) -> Fn:
    var, name = e.var, e.name
    return lambda f, env, n: env[var][name]


def _param(e: E.Param) -> Fn:
    name, at = e.name, E.PARAMS
    return lambda f, env, n: env[at][name]


def _not(e: E.Not) -> Fn:
    a = compiled(e.arg)
    return lambda f, env, n: not a(f, env, n)


def _and(e: E.And) -> Fn:
    if len(e.args) == 2:
        a, b = compiled(e.args[0]), compiled(e.args[1])
        return lambda f, env, n: bool(a(f, env, n)) and bool(b(f, env, n))
    args = tuple(compiled(a) for a in e.args)

    def _and(f, env, n):
        for a in args:
            if not a(f, env, n):
                return False
        return True

    return _and


def _or(e: E.Or) -> Fn:
    if len(e.args) == 2:
        a, b = compiled(e.args[0]), compiled(e.args[1])
        return lambda f, env, n: bool(a(f, env, n)) or bool(b(f, env, n))
    args = tuple(compiled(a) for a in e.args)

    def _or(f, env, n):
        for a in args:
            if a(f, env, n):
                return True
        return False

    return _or


def _cmp(e: E.Cmp) -> Fn:
    if type(e.right) is E.Const and type(e.left) in (E.Field, E.Var):
        # The commonest shape, a fact compared with a constant, without nested calls.
        cmp, v = E.COMPARISONS[e.op], e.right.value
        if type(e.left) is E.Field:
            name = e.left.name
            return lambda f, env, n: cmp(f[name], v)
        var, name = e.left.var, e.left.name  # type: ignore[attr-defined]
        return lambda f, env, n: cmp(env[var][name], v)
    lf, rf = compiled(e.left), compiled(e.right)
    op = e.op
    if op == "==":
        return lambda f, env, n: lf(f, env, n) == rf(f, env, n)
    if op == "!=":
        return lambda f, env, n: lf(f, env, n) != rf(f, env, n)
    if op == "<":
        return lambda f, env, n: lf(f, env, n) < rf(f, env, n)
    if op == "<=":
        return lambda f, env, n: lf(f, env, n) <= rf(f, env, n)
    if op == ">":
        return lambda f, env, n: lf(f, env, n) > rf(f, env, n)
    return lambda f, env, n: lf(f, env, n) >= rf(f, env, n)


def _arith(e: E.Arith) -> Fn:
    lf, rf = compiled(e.left), compiled(e.right)
    if e.op == "+":
        return lambda f, env, n: lf(f, env, n) + rf(f, env, n)
    return lambda f, env, n: lf(f, env, n) - rf(f, env, n)


def _in(e: E.In) -> Fn:
    values = e.values
    if type(e.arg) is E.Field:
        name = e.arg.name
        return lambda f, env, n: f[name] in values
    if type(e.arg) is E.Var:
        var, name = e.arg.var, e.arg.name
        return lambda f, env, n: env[var][name] in values
    a = compiled(e.arg)
    return lambda f, env, n: a(f, env, n) in values


def _if(e: E.If) -> Fn:
    c, th, ot = compiled(e.cond), compiled(e.then), compiled(e.other)
    return lambda f, env, n: th(f, env, n) if c(f, env, n) else ot(f, env, n)


def _max(e: E.Max) -> Fn:
    args = tuple(compiled(a) for a in e.args)
    return lambda f, env, n: max(a(f, env, n) for a in args)


def _min(e: E.Min) -> Fn:
    args = tuple(compiled(a) for a in e.args)
    return lambda f, env, n: min(a(f, env, n) for a in args)


def _add_years(e: E.AddYears) -> Fn:
    d, years = compiled(e.day), e.years
    if type(years) is E.Param:
        name, at = years.name, E.PARAMS
        return lambda f, env, n: add_years(d(f, env, n), env[at][name])
    return lambda f, env, n: add_years(d(f, env, n), years)


def _any(e: E.Any) -> Fn:
    var, items, pred = e.var, e.items, compiled(e.pred)

    def _any(f, env, n):
        for it in f[items]:
            env[var] = it
            if pred(f, env, n):
                return True
        return False

    return _any


def _count(e: E.Count) -> Fn:
    var, items, pred = e.var, e.items, compiled(e.pred)

    def _count(f, env, n):
        k = 0
        for it in f[items]:
            env[var] = it
            if pred(f, env, n):
                k += 1
        return k

    return _count


def _union_days(e: E.UnionDays) -> Fn:
    var, items, where, lo_f, hi_f = e.var, e.items, compiled(e.where), compiled(e.lo), compiled(e.hi)

    def _union(f, env, n):
        lo, hi = lo_f(f, env, n), hi_f(f, env, n)
        spans = []
        for it in f[items]:
            env[var] = it
            if where(f, env, n):
                s, u = max(it["start_day"], lo), min(it["end_day"], hi)
                if u > s:
                    spans.append((s, u))
        total, cur_s, cur_t = 0, 0, None
        for s, u in sorted(spans):
            if cur_t is None or s > cur_t:
                if cur_t is not None:
                    total += cur_t - cur_s
                cur_s, cur_t = s, u
            elif u > cur_t:
                cur_t = u
        return total + (cur_t - cur_s if cur_t is not None else 0)

    return _union


def _counting_hours_end(e: E.CountingHoursEnd) -> Fn:
    start, hours, cal = compiled(e.start), e.hours, e.calendar
    if type(hours) is E.Param or type(cal) is E.Param:
        at = E.PARAMS
        return lambda f, env, n: counting_hours_end(start(f, env, n), E.bound(hours, env[at]), E.bound(cal, env[at]))
    return lambda f, env, n: counting_hours_end(start(f, env, n), hours, cal)


def _def(e: E.Def) -> Fn:
    body, notes, when = compiled(e.expr), e.notes, e.notes_when
    if not notes:
        return body

    def _def(f, env, n):
        v = body(f, env, n)
        if when is None or v == when:
            n.update(notes)
        return v

    return _def


# The meaning of each node type, as a closure builder (run once per node, at compile time).
# ``PermittedBy`` has none: a condition that uses it takes the interpreter's tree walk.
COMPILERS: dict[type, Callable[..., Fn]] = {
    E.Const: _const,
    E.Field: _field,
    E.Var: _var,
    E.Param: _param,
    E.Not: _not,
    E.And: _and,
    E.Or: _or,
    E.Cmp: _cmp,
    E.Arith: _arith,
    E.In: _in,
    E.If: _if,
    E.Max: _max,
    E.Min: _min,
    E.AddYears: _add_years,
    E.Any: _any,
    E.Count: _count,
    E.UnionDays: _union_days,
    E.CountingHoursEnd: _counting_hours_end,
    E.Def: _def,
}

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

# A compiled expression: (facts, env, notes) -> value.
Fn = Callable[[dict, dict, set], object]
_CACHE: dict[int, tuple[E.Expr, Fn]] = {}


def compiled(e: E.Expr) -> Fn:
    hit = _CACHE.get(id(e))
    if hit is not None and hit[0] is e:
        return hit[1]
    fn = _compile(e)
    _CACHE[id(e)] = (e, fn)
    return fn


def _compile(e: E.Expr) -> Fn:  # noqa: C901 - one case per node type
    t = type(e)
    if t is E.Const:
        v = e.value
        return lambda f, env, n: v
    if t is E.Field:
        name = e.name
        return lambda f, env, n: f[name]
    if t is E.Var:
        var, name = e.var, e.name
        return lambda f, env, n: env[var][name]
    if t is E.Not:
        a = compiled(e.arg)
        return lambda f, env, n: not a(f, env, n)
    if t is E.And and len(e.args) == 2:
        a, b = compiled(e.args[0]), compiled(e.args[1])
        return lambda f, env, n: bool(a(f, env, n)) and bool(b(f, env, n))
    if t is E.Or and len(e.args) == 2:
        a, b = compiled(e.args[0]), compiled(e.args[1])
        return lambda f, env, n: bool(a(f, env, n)) or bool(b(f, env, n))
    if t is E.And:
        args = tuple(compiled(a) for a in e.args)

        def _and(f, env, n):
            for a in args:
                if not a(f, env, n):
                    return False
            return True

        return _and
    if t is E.Or:
        args = tuple(compiled(a) for a in e.args)

        def _or(f, env, n):
            for a in args:
                if a(f, env, n):
                    return True
            return False

        return _or
    if t is E.Cmp and type(e.right) is E.Const and type(e.left) in (E.Field, E.Var):
        # The commonest shape, a fact compared with a constant, without nested calls.
        cmp, v = E.COMPARISONS[e.op], e.right.value
        if type(e.left) is E.Field:
            name = e.left.name
            return lambda f, env, n: cmp(f[name], v)
        var, name = e.left.var, e.left.name
        return lambda f, env, n: cmp(env[var][name], v)
    if t is E.In and type(e.arg) in (E.Field, E.Var):
        values = e.values
        if type(e.arg) is E.Field:
            name = e.arg.name
            return lambda f, env, n: f[name] in values
        var, name = e.arg.var, e.arg.name
        return lambda f, env, n: env[var][name] in values
    if t is E.Cmp:
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
    if t is E.Arith:
        lf, rf = compiled(e.left), compiled(e.right)
        if e.op == "+":
            return lambda f, env, n: lf(f, env, n) + rf(f, env, n)
        return lambda f, env, n: lf(f, env, n) - rf(f, env, n)
    if t is E.In:
        a, values = compiled(e.arg), e.values
        return lambda f, env, n: a(f, env, n) in values
    if t is E.If:
        c, th, ot = compiled(e.cond), compiled(e.then), compiled(e.other)
        return lambda f, env, n: th(f, env, n) if c(f, env, n) else ot(f, env, n)
    if t is E.Max:
        args = tuple(compiled(a) for a in e.args)
        return lambda f, env, n: max(a(f, env, n) for a in args)
    if t is E.Min:
        args = tuple(compiled(a) for a in e.args)
        return lambda f, env, n: min(a(f, env, n) for a in args)
    if t is E.AddYears:
        d, years = compiled(e.day), e.years
        return lambda f, env, n: add_years(d(f, env, n), years)
    if t is E.Any:
        var, items, pred = e.var, e.items, compiled(e.pred)

        def _any(f, env, n):
            for it in f[items]:
                env[var] = it
                if pred(f, env, n):
                    return True
            return False

        return _any
    if t is E.Count:
        var, items, pred = e.var, e.items, compiled(e.pred)

        def _count(f, env, n):
            k = 0
            for it in f[items]:
                env[var] = it
                if pred(f, env, n):
                    k += 1
            return k

        return _count
    if t is E.UnionDays:
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
    if t is E.CountingHoursEnd:
        start, hours, cal = compiled(e.start), e.hours, e.calendar
        return lambda f, env, n: counting_hours_end(start(f, env, n), hours, cal)
    if t is E.Def:
        body, notes, when = compiled(e.expr), e.notes, e.notes_when
        if not notes:
            return body

        def _def(f, env, n):
            v = body(f, env, n)
            if when is None or v == when:
                n.update(notes)
            return v

        return _def
    raise TypeError(f"no compiled form for {t.__name__}")

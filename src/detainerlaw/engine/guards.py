"""Where a quantifier can matter: for each quantifier over a case's items, a condition on
the case's own fields outside of which its value cannot change any output.

The columnar backend builds a quantifier's child rows (one per conviction, incarceration,
pending case, ...) only for the cases inside that condition. Most of the law reads a
person's record only behind a cheap test of the request: § 9-131(b)(1) of 2014 looks at
convictions only when a judicial warrant came with the detainer. The guard is found from
the expressions alone, by the short-circuit reading of ``And``, ``Or`` and ``If``:

- an argument of ``And`` matters only where the other arguments are true;
- an argument of ``Or`` matters only where the other arguments are false;
- ``If(c, a, b)``: ``a`` matters only where ``c`` holds, ``b`` only where it does not;
- every other operator passes its own condition to its arguments.

Only "cheap" siblings (no item variable, no quantifier, no counting-hours calendar) are
used; others are left out, which only weakens the guard. A node reached along several
paths is guarded by the disjunction of the paths. Guards are kept in disjunctive normal
form over literals ``(positive, expression)``; one that grows past ``MAX_TERMS`` terms is
dropped (the quantifier is then computed for every case), which is always safe.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable

from detainerlaw.engine import expr as E

Literal = tuple[bool, Hashable]  # (positive, structural key of a cheap expression)
Guard = frozenset[frozenset[Literal]] | None  # a disjunction of conjunctions; None: always
ALWAYS: Guard = None
MAX_TERMS = 8


def _root_children(e: E.Expr) -> tuple[E.Expr, ...]:
    """The children of ``e`` evaluated where it is (a quantifier's bounds, not its
    predicate)."""
    return E.outer(e)


def _is_quantifier(e: E.Expr) -> bool:
    """A node that evaluates children per item (``Any``, ``Count``, ``UnionDays``)."""
    return E.binds(e) is not None


def is_cheap(e: E.Expr, memo: dict[int, bool]) -> bool:
    """No item variable, quantifier or calendar lookup inside: computable from the case's
    own fields in one expression."""
    k = id(e)
    if k not in memo:
        t = type(e)
        if t is E.Var or t is E.CountingHoursEnd or _is_quantifier(e):
            memo[k] = False
        else:
            memo[k] = all(is_cheap(c, memo) for c in _root_children(e))
    return memo[k]


def either(a: Guard, b: Guard) -> Guard:
    """``a`` or ``b``, terms absorbed by shorter ones dropped."""
    if a is ALWAYS or b is ALWAYS:
        return ALWAYS
    terms = set(a) | set(b)
    kept = frozenset(t for t in terms if not any(o < t for o in terms))  # absorption
    return ALWAYS if len(kept) > MAX_TERMS or frozenset() in kept else kept


def both(a: Guard, lits: frozenset[Literal]) -> Guard:
    """``a`` and every literal of ``lits``; terms that contradict them are dropped."""
    if not lits:
        return a
    base = a if a is not ALWAYS else frozenset({frozenset()})
    out = frozenset(t | lits for t in base if not any((not p, x) in lits for p, x in t))
    return out if out else frozenset()  # an empty disjunction: never


def quantifier_guards(roots: list[E.Expr], key: Callable[[E.Expr], Hashable]) -> tuple[dict, dict]:
    """(guard of each quantifier evaluated on the case, by structural key; the cheap
    expressions of the literals, by key). Quantifiers used inside another quantifier's
    predicate but free of its item variable get ``ALWAYS``."""
    cheap: dict[int, bool] = {}
    nodes: dict[Hashable, E.Expr] = {}
    order: list[Hashable] = []
    seen: set[Hashable] = set()

    def visit(e: E.Expr) -> Hashable:  # post-order over the case-level DAG
        k = key(e)
        if k not in seen:
            seen.add(k)
            nodes[k] = e
            for c in _root_children(e):
                visit(c)
            order.append(k)
        return k

    root_keys = [visit(e) for e in roots]
    guards: dict[Hashable, Guard] = {k: frozenset() for k in nodes}  # never, until a path is found
    for k in root_keys:
        guards[k] = ALWAYS
    exprs: dict[Hashable, E.Expr] = {}

    def lit(positive: bool, e: E.Expr) -> Literal:
        k = key(e)
        exprs[k] = e
        return (positive, k)

    for k in reversed(order):  # parents before children
        e, g = nodes[k], guards[k]
        if g == frozenset():
            continue
        t = type(e)
        kids = _root_children(e)
        for i, c in enumerate(kids):
            local: frozenset[Literal] = frozenset()
            if t is E.And:
                local = frozenset(lit(True, s) for j, s in enumerate(kids) if j != i and is_cheap(s, cheap))
            elif t is E.Or:
                local = frozenset(lit(False, s) for j, s in enumerate(kids) if j != i and is_cheap(s, cheap))
            elif t is E.If and i > 0 and is_cheap(e.cond, cheap):
                local = frozenset({lit(i == 1, e.cond)})
            ck = key(c)
            guards[ck] = either(guards[ck], both(g, local))

    out = {k: guards[k] for k in nodes if _is_quantifier(nodes[k])}

    inner: set[int] = set()

    def inside(e: E.Expr) -> None:  # every quantifier within a predicate is unguarded
        if id(e) in inner:
            return
        inner.add(id(e))
        if _is_quantifier(e):
            out[key(e)] = ALWAYS
        for c in E.children(e):
            inside(c)

    for q in [nodes[k] for k in out]:
        for c in E.per_item(q):
            inside(c)
    return out, exprs

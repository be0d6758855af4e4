"""The expression language every backend reads.

A rule's conditions are trees of these nodes, never Python callables, so that the
interpreter, the columnar (Polars) compiler and the SMT (Z3) compiler all walk the
same tree. Values are total: dates are day ordinals (``date.toordinal()``), times are
minutes (``ordinal * 1440 + minute``), enums are strings from a finite domain, and an
absent optional date is a ``has_*`` flag plus a 0 value, so no backend needs nulls.

Names: ``Field("agency")`` reads a case-level fact; ``Var("c", "judgment_day")`` reads a
field of the list item bound to ``c`` by a quantifier (``Any``, ``All``, ``Count``).
``Def`` names a sub-condition with its citation: it is what an explanation shows.
"""

from __future__ import annotations

import dataclasses
import operator
import typing
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any as _Any


class Expr:
    """Base class; operators build trees so rules read like conditions."""

    __slots__ = ()

    def __and__(self, other: Expr) -> Expr:
        return And((self, other))

    def __or__(self, other: Expr) -> Expr:
        return Or((self, other))

    def __invert__(self) -> Expr:
        return Not(self)

    def eq(self, other: object) -> Expr:
        return Cmp("==", self, lift(other))

    def ne(self, other: object) -> Expr:
        return Cmp("!=", self, lift(other))

    def __lt__(self, other: object) -> Expr:  # type: ignore[override]
        return Cmp("<", self, lift(other))

    def __le__(self, other: object) -> Expr:  # type: ignore[override]
        return Cmp("<=", self, lift(other))

    def __gt__(self, other: object) -> Expr:  # type: ignore[override]
        return Cmp(">", self, lift(other))

    def __ge__(self, other: object) -> Expr:  # type: ignore[override]
        return Cmp(">=", self, lift(other))

    def __add__(self, other: object) -> Expr:
        return Arith("+", self, lift(other))

    def __sub__(self, other: object) -> Expr:
        return Arith("-", self, lift(other))

    def isin(self, values: frozenset | set | tuple | list) -> Expr:
        return In(self, frozenset(values))


# What each comparison operator means, for every backend whose values support the
# Python operators (plain values, Polars and Z3 expressions).
COMPARISONS = {
    "==": operator.eq,
    "!=": operator.ne,
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
}


def lift(x: object) -> Expr:
    return x if isinstance(x, Expr) else Const(x)


# Field metadata of a quantifier's operands evaluated once per item, with ``var`` bound to the item.
PER_ITEM = {"per_item": True}


@dataclass(frozen=True, slots=True)
class Const(Expr):
    value: _Any


@dataclass(frozen=True, slots=True)
class Field(Expr):
    name: str


@dataclass(frozen=True, slots=True)
class Var(Expr):
    var: str
    name: str


@dataclass(frozen=True, slots=True)
class Param(Expr):
    """A dated parameter's value in the law's epoch (``params.yaml``), bound when the law is run,
    not when its rules are built: a reform that only changes the value keeps the rules, and the
    plans compiled from them, of the law it changes. Values are booleans, whole numbers, words
    or dates (as day ordinals)."""

    name: str


# The item variable under which the interpreter and the fast path find the bound parameters
# (``Param`` reads ``env[PARAMS][name]``); no rule binds it.
PARAMS = "@params"


@dataclass(frozen=True, slots=True)
class Not(Expr):
    arg: Expr


@dataclass(frozen=True, slots=True)
class And(Expr):
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Or(Expr):
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Cmp(Expr):
    op: str
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class Arith(Expr):
    op: str  # "+" or "-" (integers: days or minutes)
    left: Expr
    right: Expr


@dataclass(frozen=True, slots=True)
class In(Expr):
    arg: Expr
    values: frozenset


@dataclass(frozen=True, slots=True)
class If(Expr):
    cond: Expr
    then: Expr
    other: Expr


@dataclass(frozen=True, slots=True)
class Max(Expr):
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class Min(Expr):
    args: tuple[Expr, ...]


@dataclass(frozen=True, slots=True)
class AddYears(Expr):
    """Calendar years added to a day ordinal; 29 February lands on 28 February."""

    day: Expr
    years: int | Param


@dataclass(frozen=True, slots=True)
class Any(Expr):
    var: str
    items: str
    pred: Expr = field(metadata=PER_ITEM)


@dataclass(frozen=True, slots=True)
class Count(Expr):
    var: str
    items: str
    pred: Expr = field(metadata=PER_ITEM)


@dataclass(frozen=True, slots=True)
class UnionDays(Expr):
    """Days covered by the union of ``[start, end)`` spells of ``items`` satisfying
    ``where``, each clipped to ``[lo, hi)``: overlapping spells are counted once."""

    var: str
    items: str
    where: Expr = field(metadata=PER_ITEM)
    lo: Expr
    hi: Expr


@dataclass(frozen=True, slots=True)
class CountingHoursEnd(Expr):
    """The minute at which ``hours`` counting hours after ``start`` (minutes) have
    elapsed, where Saturdays, Sundays and holidays of ``calendar`` do not count."""

    start: Expr
    hours: int | Param
    calendar: str | Param = "us_federal"


@dataclass(frozen=True, eq=False)
class Def(Expr):
    """A named, cited sub-condition: a node of the explanation tree.

    ``notes`` are interpretation-register codes whose choice this definition embodies;
    a decision that evaluated it reports them.
    """

    name: str
    expr: Expr
    cite: str | None = None
    notes: tuple[str, ...] = ()
    notes_when: bool | None = None  # report ``notes`` only when the value is this

    def __hash__(self) -> int:
        return id(self)


def all_of(*xs: object) -> Expr:
    return And(tuple(lift(x) for x in xs))


def any_of(*xs: object) -> Expr:
    return Or(tuple(lift(x) for x in xs))


def exists(var: str, items: str, pred: Expr) -> Expr:
    return Any(var, items, pred)


def count(var: str, items: str, pred: Expr) -> Expr:
    return Count(var, items, pred)


TRUE = Const(True)
FALSE = Const(False)


# -- the one traversal ------------------------------------------------------------------
#
# Every pass that only walks or rebuilds trees (lowering, guards, free variables, the
# SMT statute analysis, the columnar compiler's sharing analysis) goes through
# ``children`` and ``map_children``; only the backends' tables of meanings name node types.

Slot = tuple[str, bool, bool]  # (field name, holds a tuple of expressions, evaluated per item)
_LAYOUTS: dict[type, tuple[Slot, ...]] = {}


def layout(t: type) -> tuple[Slot, ...]:
    """The fields of node type ``t`` that hold sub-expressions, in declaration order.

    Read once per type from the dataclass annotations (``Expr`` or ``tuple[Expr, ...]``;
    ``PER_ITEM`` metadata marks per-item operands), so a new node needs no traversal code."""
    hit = _LAYOUTS.get(t)
    if hit is None:
        hints = typing.get_type_hints(t)
        out = []
        for f in dataclasses.fields(t):
            h = hints[f.name]
            if isinstance(h, type) and issubclass(h, Expr):
                many = False
            elif typing.get_origin(h) is tuple and (args := typing.get_args(h)) and isinstance(args[0], type) \
                    and issubclass(args[0], Expr):
                many = True
            else:
                continue
            out.append((f.name, many, bool(f.metadata.get("per_item"))))
        hit = _LAYOUTS[t] = tuple(out)
    return hit


def scoped_children(e: Expr) -> tuple[tuple[Expr, bool], ...]:
    """``(child, per_item)`` for each direct sub-expression, in ``children`` order; a per-item
    child is evaluated once per item of ``e.items`` with ``e.var`` bound (see ``binds``)."""
    out: list[tuple[Expr, bool]] = []
    for name, many, item in layout(type(e)):
        v = getattr(e, name)
        if many:
            out.extend((c, item) for c in v)
        else:
            out.append((v, item))
    return tuple(out)


def children(e: Expr) -> tuple[Expr, ...]:
    """Every direct sub-expression of ``e`` in field order: operands (``And``'s arguments in
    turn, ``If``'s condition, then, other), a quantifier's predicate (``UnionDays``: where,
    lo, hi) and a ``Def``'s body; nothing for leaves."""
    out: list[Expr] = []
    for name, many, _ in layout(type(e)):
        v = getattr(e, name)
        if many:
            out.extend(v)
        else:
            out.append(v)
    return tuple(out)


def map_children(e: Expr, f: Callable[[Expr], Expr]) -> Expr:
    """``e`` with each direct sub-expression ``c`` replaced by ``f(c)``, other fields kept.

    ``e`` itself is returned when every ``f(c) is c``: nodes are compared and cached by
    identity (``Def`` has identity equality, the compiled caches are keyed by ``id``), so an
    unchanged tree keeps its identity; a changed ``Def`` is a new ``Def`` with the same name,
    citation and notes."""
    slots = layout(type(e))
    if not slots:
        return e
    new: dict[str, object] = {}
    changed = False
    for name, many, _ in slots:
        old = getattr(e, name)
        if many:
            v = tuple(f(c) for c in old)
            changed = changed or any(a is not b for a, b in zip(v, old, strict=True))
        else:
            v = f(old)
            changed = changed or v is not old
        new[name] = v
    return dataclasses.replace(e, **new) if changed else e  # type: ignore[type-var]


def binds(e: Expr) -> str | None:
    """The item variable ``e`` binds in its per-item children (a quantifier's ``var``), or None."""
    return e.var if any(item for _, _, item in layout(type(e))) else None  # type: ignore[attr-defined]


def per_item(e: Expr) -> tuple[Expr, ...]:
    """A quantifier's operands evaluated once per item."""
    return tuple(c for c, item in scoped_children(e) if item)


def outer(e: Expr) -> tuple[Expr, ...]:
    """The children evaluated where ``e`` is: every child but the per-item ones (operands,
    ``UnionDays``' window, a ``Def``'s body)."""
    return tuple(c for c, item in scoped_children(e) if not item)


def operands(e: Expr) -> tuple[Expr, ...]:
    """The children of a node that binds no item variable (an operator's operands, a
    ``Def``'s body); nothing for leaves and quantifiers."""
    return () if binds(e) is not None else children(e)


def bounds(e: Expr) -> tuple[Expr, ...]:
    """A quantifier's operands evaluated outside its items (``UnionDays``' window)."""
    return outer(e) if binds(e) is not None else ()


@dataclass(frozen=True)
class Schema:
    """The typed shape of the facts a pack reads: scalar fields and item lists.

    Types: ``"bool"``, ``"int"``, ``"day"``, ``"minute"`` or a tuple of enum values.
    """

    fields: dict[str, object]
    lists: dict[str, dict[str, object]] = field(default_factory=dict)


def _param_attrs(e: Expr) -> tuple:
    """The values standing in a node's own fields for a number of years, of hours or a calendar."""
    t = type(e)
    if t is AddYears:
        return (e.years,)  # type: ignore[attr-defined]
    if t is CountingHoursEnd:
        return (e.hours, e.calendar)  # type: ignore[attr-defined]
    return ()


def params_read(e: Expr, seen: set[int] | None = None) -> frozenset[str]:
    """The parameters a tree reads: its ``Param`` nodes, and those standing for a number of
    years (``AddYears``), of hours or a calendar (``CountingHoursEnd``). A subtree already in
    ``seen`` (by identity: shared subtrees, or trees read before) is not read again."""
    seen = set() if seen is None else seen
    out: set[str] = set()
    todo = [e]
    while todo:
        n = todo.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        t = type(n)
        if t is Param:
            out.add(n.name)  # type: ignore[attr-defined]
        elif t is AddYears or t is CountingHoursEnd:
            out.update(v.name for v in _param_attrs(n) if type(v) is Param)
        todo.extend(children(n))
    return frozenset(out)


def bound(v: _Any, values: dict[str, _Any] | None) -> _Any:
    """``v`` (a node's number of years or hours, or its calendar) with a ``Param`` replaced by
    its value in ``values``."""
    return values[v.name] if type(v) is Param else v  # type: ignore[index]


def bind(e: Expr, values: dict[str, _Any], memo: dict[int, Expr] | None = None) -> Expr:
    """``e`` with every parameter replaced by its value in ``values`` (``Params.bound``), for a
    backend that builds its terms once per law version (the SMT encoder); a subtree reading no
    parameter is kept as it is, and a shared one is bound once (``memo``, by identity)."""
    memo = {} if memo is None else memo
    hit = memo.get(id(e))
    if hit is not None:
        return hit
    t = type(e)
    if t is Param:
        out: Expr = Const(values[e.name])  # type: ignore[attr-defined]
    else:
        out = map_children(e, lambda c: bind(c, values, memo))
        if t is AddYears and type(e.years) is Param:  # type: ignore[attr-defined]
            out = dataclasses.replace(out, years=values[e.years.name])  # type: ignore[attr-defined, type-var]
        elif t is CountingHoursEnd and any(type(v) is Param for v in _param_attrs(e)):
            out = dataclasses.replace(out, hours=bound(e.hours, values),  # type: ignore[attr-defined, type-var]
                                      calendar=bound(e.calendar, values))  # type: ignore[attr-defined]
    memo[id(e)] = out
    return out


def walk(e: Expr) -> Iterator[Expr]:
    """Every node of a tree, parents first, children in ``children`` order (Def bodies included)."""
    yield e
    for c in children(e):
        yield from walk(c)

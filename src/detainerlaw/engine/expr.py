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

import operator
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
    years: int


@dataclass(frozen=True, slots=True)
class Any(Expr):
    var: str
    items: str
    pred: Expr


@dataclass(frozen=True, slots=True)
class Count(Expr):
    var: str
    items: str
    pred: Expr


@dataclass(frozen=True, slots=True)
class UnionDays(Expr):
    """Days covered by the union of ``[start, end)`` spells of ``items`` satisfying
    ``where``, each clipped to ``[lo, hi)``: overlapping spells are counted once."""

    var: str
    items: str
    where: Expr
    lo: Expr
    hi: Expr


@dataclass(frozen=True, slots=True)
class CountingHoursEnd(Expr):
    """The minute at which ``hours`` counting hours after ``start`` (minutes) have
    elapsed, where Saturdays, Sundays and holidays of ``calendar`` do not count."""

    start: Expr
    hours: int
    calendar: str = "us_federal"


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


def operands(e: Expr) -> tuple[Expr, ...]:
    """The operands of an operator node, evaluated where the node is (not a quantifier's
    per-item operands or bounds; nothing for leaves, quantifiers and ``Def``)."""
    t = type(e)
    if t is Not or t is In:
        return (e.arg,)  # type: ignore[attr-defined]
    if t in (And, Or, Max, Min):
        return e.args  # type: ignore[attr-defined]
    if t in (Cmp, Arith):
        return (e.left, e.right)  # type: ignore[attr-defined]
    if t is If:
        return (e.cond, e.then, e.other)  # type: ignore[attr-defined]
    if t is AddYears:
        return (e.day,)  # type: ignore[attr-defined]
    if t is CountingHoursEnd:
        return (e.start,)  # type: ignore[attr-defined]
    return ()


def bounds(e: Expr) -> tuple[Expr, ...]:
    """A quantifier's operands evaluated outside its items (``UnionDays``' window)."""
    return (e.lo, e.hi) if type(e) is UnionDays else ()  # type: ignore[attr-defined]


def per_item(e: Expr) -> tuple[Expr, ...]:
    """A quantifier's operands evaluated once per item."""
    if type(e) in (Any, Count):
        return (e.pred,)  # type: ignore[attr-defined]
    return (e.where,) if type(e) is UnionDays else ()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Schema:
    """The typed shape of the facts a pack reads: scalar fields and item lists.

    Types: ``"bool"``, ``"int"``, ``"day"``, ``"minute"`` or a tuple of enum values.
    """

    fields: dict[str, object]
    lists: dict[str, dict[str, object]] = field(default_factory=dict)


def walk(e: Expr):
    """Every node of a tree, parents first (Def bodies included)."""
    yield e
    if isinstance(e, Def):
        yield from walk(e.expr)
    elif isinstance(e, Not):
        yield from walk(e.arg)
    elif isinstance(e, (And, Or, Max, Min)):
        for a in e.args:
            yield from walk(a)
    elif isinstance(e, (Cmp, Arith)):
        yield from walk(e.left)
        yield from walk(e.right)
    elif isinstance(e, In):
        yield from walk(e.arg)
    elif isinstance(e, If):
        yield from walk(e.cond)
        yield from walk(e.then)
        yield from walk(e.other)
    elif isinstance(e, AddYears):
        yield from walk(e.day)
    elif isinstance(e, (Any, Count)):
        yield from walk(e.pred)
    elif isinstance(e, UnionDays):
        yield from walk(e.where)
        yield from walk(e.lo)
        yield from walk(e.hi)
    elif isinstance(e, CountingHoursEnd):
        yield from walk(e.start)

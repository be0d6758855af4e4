"""A place's law as a stack of layers, and the one rule that combines their answers.

A place is governed by several laws at once (for New York City: federal law, New York
State law, the city's code, the Mayor's orders). Each layer is an ordinary law pack with
its own versions and dates; a decision asks every layer in force and combines their
outcomes for each action (spec § Layers):

1. a ``prohibited`` in any layer prevails over ``permitted`` and ``not_governed``,
2. unless a higher layer displaces that prohibition: it requires the action, or the rule
   that decided it preempts lower restrictions (as 8 U.S.C. § 1373 voids a city's
   restriction on sending immigration status);
3. otherwise ``required`` if any layer requires, ``permitted`` if any permits, else
   ``not_governed``.

A limited hold's ``until`` is the earliest ``until`` of the layers that permit it. The rule
is written once, over an ``Ops`` adaptor, so the interpreter (plain values), the columnar
backend (NumPy arrays) and the SMT backend (Z3 terms) apply the same rule.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, REQUIRED

T = TypeVar("T")  # an outcome value: a string, an array of outcome codes, a Z3 term
B = TypeVar("B")  # a truth value of the same backend


@dataclass(frozen=True)
class Ops(Generic[T, B]):
    """The few operations the combination needs, for one backend's values."""

    is_: Callable[[T, str], B]  # the outcome equals this constant
    and_: Callable[[B, B], B]
    or_: Callable[[B, B], B]
    not_: Callable[[B], B]
    if_: Callable[[B, T, T], T]
    const: Callable[[str], T]
    false: B


PLAIN: Ops[str, bool] = Ops(
    is_=lambda o, c: o == c,
    and_=lambda a, b: a and b,
    or_=lambda a, b: a or b,
    not_=lambda a: not a,
    if_=lambda c, a, b: a if c else b,
    const=lambda c: c,
    false=False,
)


@dataclass(frozen=True)
class Answer(Generic[T, B]):
    """One layer's answer to one action: its outcome, and whether the rule that decided it
    displaces lower layers' prohibitions (a preemption stated by the higher law)."""

    layer: str
    outcome: T
    preempts: B


def displaced(answers: Sequence[Answer[T, B]], ops: Ops[T, B]) -> list[B]:
    """For each layer (highest first), whether a higher layer displaces its prohibitions."""
    out: list[B] = []
    above = ops.false
    for a in answers:
        out.append(above)
        above = ops.or_(above, ops.or_(ops.is_(a.outcome, REQUIRED), a.preempts))
    return out


def combine(answers: Sequence[Answer[T, B]], ops: Ops[T, B]) -> T:
    """The combined outcome of one action under every layer (highest first)."""
    voided = displaced(answers, ops)
    prohibited = required = permitted = ops.false
    for a, void in zip(answers, voided):
        prohibited = ops.or_(prohibited, ops.and_(ops.is_(a.outcome, PROHIBITED), ops.not_(void)))
        required = ops.or_(required, ops.is_(a.outcome, REQUIRED))
        permitted = ops.or_(permitted, ops.is_(a.outcome, PERMITTED))
    return ops.if_(prohibited, ops.const(PROHIBITED),
                   ops.if_(required, ops.const(REQUIRED),
                           ops.if_(permitted, ops.const(PERMITTED), ops.const(NOT_GOVERNED))))


@dataclass(frozen=True)
class Combination:
    """The combined answer for one action on plain values, with what the explanation says."""

    outcome: str
    until: Any  # the earliest ``until`` of the permitting layers, or None
    deciding: tuple[str, ...]  # the layers whose answers the combined outcome follows
    displaced: tuple[str, ...]  # layers whose prohibition a higher layer displaced
    conflict: bool  # layers disagree (one permits or requires, another prohibits)


def combine_values(outcomes: Sequence[str], preempts: Sequence[bool]) -> str:
    """``combine`` on plain values, written out for one decision's hot path (the tests hold it
    to ``combine(..., PLAIN)`` on every combination of outcomes and preemptions)."""
    void = prohibited = required = permitted = False
    for o, p in zip(outcomes, preempts):
        if o == PROHIBITED:
            prohibited = prohibited or not void
        elif o == REQUIRED:
            required = void = True
        elif o == PERMITTED:
            permitted = True
        if p:
            void = True
    if prohibited:
        return PROHIBITED
    return REQUIRED if required else PERMITTED if permitted else NOT_GOVERNED


def follow(outcomes: Sequence[str], preempts: Sequence[bool]) -> tuple[str, list[int], list[int]]:
    """The combined outcome, the layers it follows (their answer is it, and not set aside) and the
    layers whose prohibition a higher layer displaced, by position (highest first)."""
    outcome = combine_values(outcomes, preempts)
    void = False
    deciding: list[int] = []
    displaced: list[int] = []
    for i, (o, p) in enumerate(zip(outcomes, preempts)):
        if o == PROHIBITED and void:
            displaced.append(i)
        elif o == outcome:
            deciding.append(i)
        void = void or p or o == REQUIRED
    return outcome, deciding, displaced


def combine_plain(answers: Sequence[Answer[str, bool]], untils: Sequence[Any] = ()) -> Combination:
    """``combine`` on plain values, with the layers it followed and the ones it set aside."""
    outcome = combine_values([a.outcome for a in answers], [bool(a.preempts) for a in answers])
    voided = displaced(answers, PLAIN)
    gone = tuple(a.layer for a, v in zip(answers, voided) if v and a.outcome == PROHIBITED)
    deciding = tuple(a.layer for a, v in zip(answers, voided)
                     if a.outcome == outcome and not (v and a.outcome == PROHIBITED))
    limits = [u for a, u in zip(answers, untils) if a.outcome == PERMITTED and u is not None]
    until = min(limits) if outcome == PERMITTED and limits else None
    said = {a.outcome for a in answers}
    conflict = PROHIBITED in said and bool(said & {PERMITTED, REQUIRED})
    return Combination(outcome, until, deciding, gone, conflict)

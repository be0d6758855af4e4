"""Lowering: a snapshot's rules for one action become plain expressions.

The columnar and SMT backends never see rules, exceptions or ``PermittedBy``; they
compile three expressions per action, all built here from the same rules the
interpreter explains:

- ``outcome``: an integer code (``CODES``), the most restrictive in-scope outcome;
- ``until``: the end of a limited permission in minutes, or -1;
- per rule, ``branch``: -1 out of scope, 0 the default, i >= 1 the i-th exception
  of ``Rule.ranked()`` (which names the citations and conditions).

Exceptions of equal rank are tried in declaration order; the interpreter is the
backend that detects conflicts between them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from detainerlaw.engine import expr as E
from detainerlaw.engine.rules import NOT_GOVERNED, OUTCOMES, PERMITTED, PermittedBy, Rule, Snapshot

CODES = {o: i for i, o in enumerate(OUTCOMES)}  # not_governed 0, permitted 1, required 2, prohibited 3
NO_UNTIL = -1
NO_LIMIT = 1 << 40  # a minute later than any limit: what "no until" stands for while the earliest is sought


@dataclass(frozen=True)
class LoweredRule:
    rule: Rule
    outcome: E.Expr
    branch: E.Expr
    until: E.Expr


@dataclass(frozen=True)
class LoweredAction:
    action: str
    rules: tuple[LoweredRule, ...]
    outcome: E.Expr
    until: E.Expr
    preempts: E.Expr = E.FALSE  # the answer displaces lower layers' prohibitions (engine.layers)


def strip(e: E.Expr, resolve: Callable[[PermittedBy], E.Expr]) -> E.Expr:
    """Remove ``Def`` wrappers and resolve ``PermittedBy`` (via ``resolve``); every other
    node is rebuilt around its stripped children (``E.map_children``: subtrees without
    either are kept as they are)."""
    t = type(e)
    if t is E.Def:
        return strip(e.expr, resolve)  # type: ignore[attr-defined]
    if t is PermittedBy:
        return resolve(e)  # type: ignore[arg-type]
    return E.map_children(e, lambda c: strip(c, resolve))


def _chain(rule: Rule, resolve, pick) -> E.Expr:
    """If(applies, If(exc1, pick(1, w1), ... pick(0, None)), pick(-1, None))."""
    out: E.Expr = pick(0, None)
    for i, w in reversed(list(enumerate(rule.ranked(), start=1))):
        out = E.If(strip(w.condition, resolve), pick(i, w), out)
    return E.If(strip(rule.applies, resolve), out, pick(-1, None))


def lower_action(snapshot: Snapshot, action: str) -> LoweredAction:
    rules = snapshot.actions.get(action, [])
    memo: dict[str, LoweredRule] = {}

    def lower_rule(rule: Rule) -> LoweredRule:
        if rule.id not in memo:
            def resolve(p: PermittedBy) -> E.Expr:
                refs = [lower_rule(r).outcome.eq(CODES[PERMITTED]) for r in rules
                        if r.id.startswith(p.rule_ids) and r.id != rule.id]
                return E.Or(tuple(refs)) if refs else E.FALSE

            def outcome(i: int, w) -> E.Expr:
                if i < 0:
                    return E.Const(CODES[NOT_GOVERNED])
                return E.Const(CODES[w.outcome if w else rule.default])

            def until(i: int, w) -> E.Expr:
                return strip(w.until, resolve) if w is not None and w.until is not None else E.Const(NO_UNTIL)

            memo[rule.id] = LoweredRule(
                rule,
                _chain(rule, resolve, outcome),
                _chain(rule, resolve, lambda i, w: E.Const(i)),
                _chain(rule, resolve, until),
            )
        return memo[rule.id]

    lowered = tuple(lower_rule(r) for r in rules)
    if not lowered:
        return LoweredAction(action, (), E.Const(CODES[NOT_GOVERNED]), E.Const(NO_UNTIL))
    combined = lowered[0].outcome if len(lowered) == 1 else E.Max(tuple(r.outcome for r in lowered))
    limits = [
        E.If(r.outcome.eq(CODES[PERMITTED]) & (r.until >= 0), r.until, E.Const(NO_LIMIT)) for r in lowered
    ]
    earliest = limits[0] if len(limits) == 1 else E.Min(tuple(limits))
    until = E.If(combined.eq(CODES[PERMITTED]) & (earliest < NO_LIMIT), earliest, E.Const(NO_UNTIL))
    return LoweredAction(action, lowered, combined, until, _preempts(lowered, combined))


def _preempts(lowered: tuple[LoweredRule, ...], combined: E.Expr) -> E.Expr:
    """True when a rule whose deciding branch preempts gives the action's outcome (FALSE, and
    nothing to evaluate, for the many rules that never preempt)."""
    terms = []
    for r in lowered:
        marked = [i for i, w in enumerate(r.rule.ranked(), start=1) if w.preempts]
        if r.rule.preempts:
            marked.append(0)
        if marked:
            terms.append(r.branch.isin(marked) & r.outcome.eq(combined))
    return E.FALSE if not terms else terms[0] if len(terms) == 1 else E.Or(tuple(terms))


def branch_citations(rule: Rule, branch: int) -> list[str]:
    """The provisions a rule's branch cites (the same list ``decide`` reports)."""
    if branch < 0:
        return []
    if branch == 0:
        return [rule.cite, *rule.also_cite]
    w = rule.ranked()[branch - 1]
    return [w.cite, *w.also_cite]


def bind_action(la: LoweredAction, values: dict) -> LoweredAction:
    """``la`` with its parameters fixed to ``values`` (``E.bind``; ``Snapshot.params``): for a
    backend that builds its terms once per law version rather than binding them as it runs."""
    memo: dict[int, E.Expr] = {}

    def b(e: E.Expr) -> E.Expr:
        return E.bind(e, values, memo)

    rules = tuple(LoweredRule(r.rule, b(r.outcome), b(r.branch), b(r.until)) for r in la.rules)
    return LoweredAction(la.action, rules, b(la.outcome), b(la.until), b(la.preempts))

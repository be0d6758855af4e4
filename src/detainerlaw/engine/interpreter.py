"""The single-case backend: evaluate a snapshot's rules on one case's facts, and
explain the result as a tree of the cited definitions that decided it.

Evaluation short-circuits (``And`` stops at the first false, ``Or`` at the first
true), so the explanation shows the path the law actually took, and the
interpretation-register codes reported are those of definitions on that path.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from detainerlaw.engine import expr as E
from detainerlaw.engine.calendar import add_years, counting_hours_end
from detainerlaw.engine.compiled import compiled
from detainerlaw.engine.memo import IdentityMemo
from detainerlaw.engine.rules import (
    NOT_GOVERNED,
    PERMITTED,
    SEVERITY,
    ConflictError,
    PermittedBy,
    Rule,
    Snapshot,
    When,
)

Describe = Callable[[str, dict], str]


@dataclass
class Node:
    rule: str
    citation: str | None = None
    holds: bool | None = None
    because: list[Node] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "rule": self.rule,
            "citation": self.citation,
            "holds": self.holds,
            "because": [c.as_dict() for c in self.because],
        }


@dataclass
class RuleResult:
    rule: Rule
    outcome: str
    branch: When | None  # None: the default (or out of scope)
    in_scope: bool
    until: int | None = None
    node: Node | None = None


@dataclass
class ActionEval:
    outcome: str
    until: int | None
    deciding: list[RuleResult]
    results: list[RuleResult]
    node: Node | None


class _Ctx:
    __slots__ = ("facts", "env", "trace", "stack", "notes", "snapshot", "action", "describe", "memo")

    def __init__(self, facts: dict, trace: bool, snapshot: Snapshot, action: str, describe: Describe | None,
                 params: dict | None = None):
        self.facts = facts
        bound = params if params is not None else snapshot.params if snapshot is not None else None
        self.env: dict[str, dict] = {E.PARAMS: bound} if bound else {}
        self.trace = trace
        self.stack: list[Node] = []
        self.notes: set[str] = set()
        self.snapshot = snapshot
        self.action = action
        self.describe = describe
        self.memo: dict = {}


def _ev(e: E.Expr, c: _Ctx):
    return _DISPATCH[type(e)](e, c)


def _const(e, c):
    return e.value


def _field(e, c):
    return c.facts[e.name]


def _var(e, c):
    return c.env[e.var][e.name]


def _param(e, c):
    return c.env[E.PARAMS][e.name]


def _not(e, c):
    return not _ev(e.arg, c)


def _and(e, c):
    for a in e.args:
        if not _ev(a, c):
            return False
    return True


def _or(e, c):
    for a in e.args:
        if _ev(a, c):
            return True
    return False


_CMP = E.COMPARISONS


def _cmp(e, c):
    return _CMP[e.op](_ev(e.left, c), _ev(e.right, c))


def _arith(e, c):
    a, b = _ev(e.left, c), _ev(e.right, c)
    return a + b if e.op == "+" else a - b


def _in(e, c):
    return _ev(e.arg, c) in e.values


def _if(e, c):
    return _ev(e.then, c) if _ev(e.cond, c) else _ev(e.other, c)


def _max(e, c):
    return max(_ev(a, c) for a in e.args)


def _min(e, c):
    return min(_ev(a, c) for a in e.args)


def _add_years(e, c):
    return add_years(_ev(e.day, c), E.bound(e.years, c.env.get(E.PARAMS)))


def _items(c: _Ctx, name: str) -> list[dict]:
    return c.facts[name]


def _any(e, c):
    items = _items(c, e.items)
    env = c.env
    if not c.trace:
        for it in items:
            env[e.var] = it
            if _ev(e.pred, c):
                del env[e.var]
                return True
        env.pop(e.var, None)
        return False
    found = False
    for i, it in enumerate(items):
        env[e.var] = it
        label = c.describe(e.items, it) if c.describe else f"{e.items}[{i}]"
        node = Node(label)
        c.stack.append(node)
        v = bool(_ev(e.pred, c))
        c.stack.pop()
        node.holds = v
        c.stack[-1].because.append(node)
        if v:
            found = True
            break
    env.pop(e.var, None)
    return found


def _count(e, c):
    env, n = c.env, 0
    for it in _items(c, e.items):
        env[e.var] = it
        if _ev(e.pred, c):
            n += 1
    env.pop(e.var, None)
    return n


def _union_days(e, c):
    lo, hi = _ev(e.lo, c), _ev(e.hi, c)
    spans = []
    env = c.env
    for it in _items(c, e.items):
        env[e.var] = it
        if _ev(e.where, c):
            s, t = max(it["start_day"], lo), min(it["end_day"], hi)
            if t > s:
                spans.append((s, t))
    env.pop(e.var, None)
    total, cur_s, cur_t = 0, None, None
    for s, t in sorted(spans):
        if cur_t is None or s > cur_t:
            if cur_t is not None:
                total += cur_t - cur_s
            cur_s, cur_t = s, t
        else:
            cur_t = max(cur_t, t)
    if cur_t is not None:
        total += cur_t - cur_s
    return total


def _counting_hours_end(e, c):
    bound = c.env.get(E.PARAMS)
    return counting_hours_end(_ev(e.start, c), E.bound(e.hours, bound), E.bound(e.calendar, bound))


def _def(e: E.Def, c: _Ctx):
    if not c.trace:
        v = _ev(e.expr, c)
        if e.notes and (e.notes_when is None or v == e.notes_when):
            c.notes.update(e.notes)
        return v
    node = Node(e.name, e.cite)
    c.stack.append(node)
    v = _ev(e.expr, c)
    c.stack.pop()
    if e.notes and (e.notes_when is None or v == e.notes_when):
        c.notes.update(e.notes)
    if isinstance(v, bool):
        node.holds = v
    c.stack[-1].because.append(node)
    return v


def _permitted_by(e: PermittedBy, c: _Ctx):
    for rule in c.snapshot.actions.get(c.action, []):
        if rule.id.startswith(e.rule_ids) and _eval_rule(rule, c).outcome == PERMITTED:
            if c.trace:
                c.stack[-1].because.append(Node(f"{rule.title}: permitted", rule.cite, True))
            return True
    return False


_PB_MEMO: IdentityMemo[bool] = IdentityMemo()


def _has_permitted_by(e: E.Expr) -> bool:
    hit = _PB_MEMO.get(e)
    return hit if hit is not None else _PB_MEMO.put(e, any(isinstance(x, PermittedBy) for x in E.walk(e)))


_DISPATCH: dict[type, Callable] = {
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
    E.AddYears: _add_years,
    E.Max: _max,
    E.Min: _min,
    E.Any: _any,
    E.Count: _count,
    E.UnionDays: _union_days,
    E.CountingHoursEnd: _counting_hours_end,
    E.Def: _def,
    PermittedBy: _permitted_by,
}


def _cond(w_or_expr: E.Expr, label: str, cite: str | None, c: _Ctx) -> tuple[bool, Node | None]:
    if not c.trace:
        if type(w_or_expr) is PermittedBy or _has_permitted_by(w_or_expr):
            return bool(_ev(w_or_expr, c)), None
        return bool(compiled(w_or_expr)(c.facts, c.env, c.notes)), None
    node = Node(label, cite)
    c.stack.append(node)
    v = bool(_ev(w_or_expr, c))
    c.stack.pop()
    node.holds = v
    return v, node


_FAST: IdentityMemo[tuple[Callable | None, tuple, tuple]] = IdentityMemo(10_000)


def _fast_plan(rule: Rule) -> tuple[Callable | None, tuple, tuple]:
    """Compiled scope and exception conditions (None where ``PermittedBy`` needs the tree walk)."""
    hit = _FAST.get(rule)
    if hit is None:
        def comp(e: E.Expr) -> Callable | None:
            return None if _has_permitted_by(e) else compiled(e)

        excs = tuple((w, comp(w.condition), compiled(w.until) if w.until is not None else None)
                     for w in rule.ranked())
        note_if = tuple((code, compiled(cond)) for code, cond in rule.note_if)
        hit = _FAST.put(rule, (comp(rule.applies), excs, note_if))
    return hit


def _eval_rule_fast(rule: Rule, c: _Ctx) -> RuleResult:
    applies, excs, note_if = _fast_plan(rule)
    f, env, notes = c.facts, c.env, c.notes
    ok = applies(f, env, notes) if applies is not None else _ev(rule.applies, c)
    if not ok:
        return RuleResult(rule, NOT_GOVERNED, None, False)
    notes.update(rule.notes)
    for code, cond in note_if:
        if cond(f, env, notes):
            notes.add(code)
    fired = None
    for w, cond, until in excs:
        if fired is not None and w.rank < fired[0].rank:
            break
        if cond(f, env, notes) if cond is not None else _ev(w.condition, c):
            if fired is None:
                fired = (w, until)
            elif w.outcome != fired[0].outcome:
                raise ConflictError(f"{rule.id}: exceptions of rank {w.rank} conflict: "
                                    f"{fired[0].label} -> {fired[0].outcome}; {w.label} -> {w.outcome}")
    if fired is None:
        return RuleResult(rule, rule.default, None, True)
    w, until = fired
    notes.update(w.notes)
    return RuleResult(rule, w.outcome, w, True, until(f, env, notes) if until is not None else None)


def _eval_rule(rule: Rule, c: _Ctx) -> RuleResult:
    if not c.trace:
        applies, excs, _ = _fast_plan(rule)
        # A rule that defers to others (PermittedBy) depends on the action; others do not.
        key = rule.id if applies is not None and all(cond is not None for _, cond, _ in excs) else (rule.id, c.action)
        res = c.memo.get(key)
        if res is None:
            res = c.memo[key] = _eval_rule_fast(rule, c)
        return res
    root = Node(rule.title, rule.cite) if c.trace else None
    if root is not None:
        c.stack.append(root)
    try:
        res = _eval_rule_body(rule, c, root)
    finally:
        if root is not None:
            c.stack.pop()
    c.memo[rule.id] = res
    return res


def _eval_rule_body(rule: Rule, c: _Ctx, root: Node | None) -> RuleResult:
    ok, node = _cond(rule.applies, rule.applies_label, None, c)
    if node is not None and root is not None and (node.because or not ok):
        root.because.append(node)
    if not ok:
        if root is not None:
            root.rule = f"{rule.title}: outside its scope"
            root.holds = None
        return RuleResult(rule, NOT_GOVERNED, None, False, node=root)
    c.notes.update(rule.notes)
    if rule.note_if:
        trace, c.trace = c.trace, False
        c.notes.update(code for code, cond in rule.note_if if _ev(cond, c))
        c.trace = trace
    fired: list[When] = []
    rank = None
    for w in rule.ranked():
        if rank is not None and w.rank < rank:
            break
        v, wnode = _cond(w.condition, w.label, w.cite, c)
        if wnode is not None:
            root.because.append(wnode)
        if v:
            fired.append(w)
            rank = w.rank
    if fired:
        outcomes = {w.outcome for w in fired}
        if len(outcomes) > 1:
            raise ConflictError(
                f"{rule.id}: exceptions of rank {rank} conflict: "
                + "; ".join(f"{w.label} -> {w.outcome}" for w in fired)
            )
        w = fired[0]
        c.notes.update(w.notes)
        until = (compiled(w.until)(c.facts, c.env, c.notes) if not c.trace else _ev(w.until, c)) \
            if w.until is not None else None
        if root is not None:
            root.rule = f"{rule.title}: {w.outcome.replace('_', ' ')} ({w.label})"
            root.holds = w.outcome == PERMITTED
        return RuleResult(rule, w.outcome, w, True, until, root)
    if root is not None:
        root.rule = f"{rule.title}: {rule.default.replace('_', ' ')}" + (
            f" ({rule.default_label})" if rule.default_label else ""
        )
        root.holds = rule.default == PERMITTED
    return RuleResult(rule, rule.default, None, True, None, root)


def evaluate_expr(e: E.Expr, facts: dict, params: dict | None = None) -> object:
    """Value of a plain expression (no ``PermittedBy``) on one case's facts (``params``: the values
    its ``Param`` nodes read, as ``Params.bound`` gives them)."""
    return _ev(e, _Ctx(facts, False, None, "", None, params))  # type: ignore[arg-type]


def evaluate_action(
    snapshot: Snapshot,
    action: str,
    facts: dict,
    *,
    trace: bool = False,
    describe: Describe | None = None,
    memo: dict | None = None,
) -> tuple[ActionEval, set[str]]:
    """Combine every rule in force on ``action``: the most restrictive in-scope outcome
    wins; a limited permission keeps the earliest ``until`` among the permitting rules.

    ``memo`` shares rule results between the actions of one case (a rule governing both
    the hold and the release notice is evaluated once); the register notes of a shared
    rule are then reported with the first action only."""
    c = _Ctx(facts, trace, snapshot, action, describe)
    if memo is not None and not trace:
        c.memo = memo
    root = Node(action) if trace else None
    if root is not None:
        c.stack.append(root)
    results = [_eval_rule(r, c) for r in snapshot.actions.get(action, [])]
    scoped = [r for r in results if r.in_scope]
    if scoped:
        outcome = max((r.outcome for r in scoped), key=SEVERITY.__getitem__)
    else:
        outcome = NOT_GOVERNED
    deciding = [r for r in scoped if r.outcome == outcome]
    untils = [r.until for r in deciding if r.until is not None]
    until = min(untils) if untils and outcome == PERMITTED else None
    if root is not None:
        root.rule = f"{action.replace('_', ' ')}: {outcome.replace('_', ' ')}"
        root.holds = outcome == PERMITTED or outcome == "required"
        root.because = [r.node for r in results if r.node is not None]
        c.stack.pop()
    return ActionEval(outcome, until, deciding, results, root), c.notes

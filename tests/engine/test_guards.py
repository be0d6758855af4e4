"""Quantifier guards (engine/guards.py): where a quantifier over a case's items can change
an output, read from the short-circuits of And, Or and If."""

from __future__ import annotations

import datetime as dt

from detainerlaw.decide import default_pack
from detainerlaw.engine import columnar as C
from detainerlaw.engine import expr as E
from detainerlaw.engine.guards import ALWAYS, quantifier_guards

JW, TSDB = E.Field("judicial_warrant"), E.Field("terrorist_screening_match")
REENTRY = E.Field("reentered_after_removal")
FELONY = E.Any("c", "convictions", E.Cmp("==", E.Var("c", "level"), E.Const("felony")))
PENDING = E.Any("p", "pending", E.Var("p", "family_court"))


def guard(roots: list[E.Expr], q: E.Expr = FELONY):
    return quantifier_guards(roots, lambda e: e)[0][q]


def test_and_or_if():
    assert guard([E.And((JW, FELONY))]) == frozenset({frozenset({(True, JW)})})
    assert guard([E.Or((TSDB, FELONY))]) == frozenset({frozenset({(False, TSDB)})})
    assert guard([E.If(JW, FELONY, E.FALSE)]) == frozenset({frozenset({(True, JW)})})
    assert guard([E.If(JW, E.FALSE, FELONY)]) == frozenset({frozenset({(False, JW)})})
    # nested: § 9-131(b)(1)'s shape, a warrant and (a conviction or a database match)
    assert guard([E.And((JW, E.Or((FELONY, TSDB))))]) == frozenset({frozenset({(True, JW), (False, TSDB)})})


def test_paths_are_joined():
    g = guard([E.And((JW, FELONY)), E.And((REENTRY, FELONY))])
    assert g == frozenset({frozenset({(True, JW)}), frozenset({(True, REENTRY)})})
    assert guard([E.And((JW, FELONY)), FELONY]) is ALWAYS  # one unguarded use is enough


def test_contradiction_and_costly_siblings():
    assert guard([E.And((JW, E.If(JW, E.FALSE, FELONY)))]) == frozenset()  # never matters
    # another quantifier is not a guard (it would need the items it guards)
    assert guard([E.And((PENDING, FELONY))]) is ALWAYS
    assert guard([E.And((PENDING, FELONY))], PENDING) is ALWAYS


def test_quantifier_inside_a_predicate_is_unguarded():
    inner = E.Any("c", "convictions", E.And((E.Var("c", "ny"), PENDING)))
    assert guard([E.And((JW, inner))], PENDING) is ALWAYS


def test_doc_2014_hold_reads_convictions_only_behind_a_cheap_test():
    """§ 9-131(b)(1) of 2014: the record is read only for a civil detainer with a judicial
    warrant (and no terrorist-screening match): the plan builds conviction rows for those."""
    pack = default_pack()
    plan = C.compile_snapshot(pack.snapshot(dt.date(2014, 12, 14), "doc"), ("hold",))
    scope = plan.scopes.index((("c", "convictions"),))
    assert scope in plan.guards
    text = str(plan.guards[scope])
    assert "judicial_warrant" in text and "terrorist_screening_match" in text


def test_constant_and_never_guards_evaluate():
    """A guard may reduce to a constant (an ``And`` with ``true``) or to "never" (a
    contradiction): the columnar result still equals the interpreter's on every case."""
    from detainerlaw.engine.interpreter import evaluate_expr
    from detainerlaw.frame import facts_frame
    from detainerlaw.laws.nyc.casegen import random_cases
    from detainerlaw.laws.nyc.facts import case_facts

    cases = random_cases(300, seed=5)
    exprs = {"true_and": E.And((E.TRUE, FELONY)), "never": E.And((JW, E.If(JW, E.FALSE, FELONY))),
             "guarded": E.And((JW, E.Or((FELONY, TSDB))))}
    frame = facts_frame(cases)
    for name, e in exprs.items():  # one plan each: a plan's guard joins those of all its quantifiers
        got = C.evaluate_exprs(frame, {name: e})[name].to_list()
        assert got == [evaluate_expr(e, case_facts(c)) for c in cases], name

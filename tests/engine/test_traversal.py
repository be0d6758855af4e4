"""The one traversal of the rule language (``expr.children``/``map_children``) covers every
node type, and every backend gives every node type a meaning that agrees with the
interpreter. Node types are found by introspection, so a new node fails here until it has
a sample, a layout and an entry in each backend's table."""

from __future__ import annotations

import dataclasses
import sys

import pytest

from detainerlaw.decide import default_pack
from detainerlaw.engine import columnar as C
from detainerlaw.engine import compiled as F
from detainerlaw.engine import expr as E
from detainerlaw.engine import interpreter as I
from detainerlaw.engine import smt
from detainerlaw.engine.lower import strip
from detainerlaw.engine.rules import PermittedBy
from detainerlaw.frame import facts_frame
from detainerlaw.laws.nyc.casegen import random_cases
from detainerlaw.laws.nyc.facts import SCHEMA, case_facts

JW, AGREEMENT, HAS_ARREST = E.Field("judicial_warrant"), E.Field("agreement"), E.Field("has_arrest")
DD, AD = E.Field("decided_day"), E.Field("arrest_day")
RECENT = E.Cmp(">", E.Var("c", "conviction_day"), E.Arith("-", AD, E.Const(3650)))
# The values the samples' parameters are bound to (``Snapshot.params``), as every backend binds them.
PARAMS = {"years": 4, "switch": True, "word": "detainer", "hours": 24, "calendar": "ny_state", "days": 90}

# Small expressions, each containing the node type it is listed under; together they use
# every node type (checked below). Values are booleans or integers, so every backend
# can return them.
SAMPLES: dict[type, list[E.Expr]] = {
    E.Const: [E.Const(7), E.TRUE],
    E.Field: [DD, JW],
    E.Var: [E.Any("c", "convictions", E.Var("c", "ny"))],
    E.Param: [E.And((JW, E.Param("switch"))), E.Cmp("==", E.Field("kind"), E.Param("word")),
              E.Cmp("<", AD, E.Arith("-", DD, E.Param("days"))),
              E.Any("c", "convictions", E.Cmp(">", E.Var("c", "conviction_day"), E.Arith("-", AD, E.Param("days"))))],
    E.Not: [E.Not(JW)],
    E.And: [E.And((JW, AGREEMENT)), E.And((JW, E.Not(AGREEMENT), HAS_ARREST))],
    E.Or: [E.Or((JW, AGREEMENT)), E.Or((JW, AGREEMENT, HAS_ARREST))],
    E.Cmp: [E.Cmp("<", AD, E.Arith("-", DD, E.Const(365))), E.Cmp("==", E.Field("kind"), E.Const("detainer")),
            E.Cmp(">=", DD, AD)],
    E.Arith: [E.Arith("-", DD, AD), E.Arith("+", AD, E.Const(30))],
    E.In: [E.In(E.Field("kind"), frozenset({"detainer", "information"})), E.In(E.Arith("-", DD, DD), frozenset({0}))],
    E.If: [E.If(JW, DD, AD)],
    E.Max: [E.Max((DD, AD, E.Const(0)))],
    E.Min: [E.Min((DD, AD))],
    E.AddYears: [E.AddYears(AD, 5), E.AddYears(AD, 3), E.AddYears(AD, E.Param("years")),
                 E.Any("c", "convictions", E.Cmp(">", E.AddYears(E.Var("c", "conviction_day"), E.Param("years")), AD))],
    E.Any: [E.Any("c", "convictions", RECENT)],
    E.Count: [E.Count("c", "convictions", E.Or((RECENT, E.Var("c", "ny"))))],
    E.UnionDays: [E.UnionDays("i", "incarcerations", E.Var("i", "for_vsc"), E.Arith("-", AD, E.Const(3000)), DD),
                  E.UnionDays("i", "incarcerations", E.TRUE, E.Const(0), DD)],
    E.CountingHoursEnd: [E.CountingHoursEnd(E.Field("decided_minute"), 48),
                         E.CountingHoursEnd(E.Field("decided_minute"), E.Param("hours"), E.Param("calendar"))],
    E.Def: [E.Def("a warrant", JW, cite="§ 1", notes=("N1",)),
            E.Def("recent", E.Any("c", "convictions", E.Def("one", RECENT, notes=("N2",), notes_when=True)))],
    PermittedBy: [E.And((JW, PermittedBy(("s9",), "§ 9")))],
}
# Node types lowering removes (``lower.strip``): the backends compiling lowered expressions
# need no meaning for them.
LOWERED_AWAY = {E.Def, PermittedBy}


def node_types() -> set[type]:
    """Every concrete node type of the project's rule language (subclasses of ``Expr``)."""
    out, todo = set(), [E.Expr]
    while todo:
        t = todo.pop()
        for s in t.__subclasses__():
            todo.append(s)
            # the class its module exports (``slots=True`` leaves the class it replaced behind)
            if dataclasses.is_dataclass(s) and s.__module__.startswith("detainerlaw.") \
                    and getattr(sys.modules[s.__module__], s.__name__, None) is s:
                out.add(s)
    return out


def instance(t: type) -> E.Expr:
    """A node of type ``t`` from the samples."""
    return next(n for e in SAMPLES[t] for n in E.walk(e) if type(n) is t)


def evaluable() -> list[E.Expr]:
    return [e for t, es in SAMPLES.items() if t is not PermittedBy for e in es]


def test_every_node_type_has_a_sample():
    types = node_types()
    assert types >= {E.Const, E.Any, E.UnionDays, E.Def, PermittedBy}
    assert set(SAMPLES) == types
    for t in types:
        instance(t)


@pytest.mark.parametrize("t", sorted(node_types(), key=lambda t: t.__name__))
def test_children_cover_every_expression_field(t):
    e = instance(t)
    names = {name for name, _, _ in E.layout(t)}
    for f in dataclasses.fields(t):
        v = getattr(e, f.name)
        holds = isinstance(v, E.Expr) or (isinstance(v, tuple) and v and all(isinstance(x, E.Expr) for x in v))
        assert holds == (f.name in names), f"{t.__name__}.{f.name}"
    kids = [x for name, many, _ in E.layout(t) for x in (getattr(e, name) if many else (getattr(e, name),))]
    assert list(E.children(e)) == kids
    assert [c for c, _ in E.scoped_children(e)] == kids
    assert list(E.walk(e))[1:1 + (len(kids) > 0)] == kids[:1]


@pytest.mark.parametrize("t", sorted(node_types(), key=lambda t: t.__name__))
def test_map_children_round_trip(t):
    e = instance(t)
    assert E.map_children(e, lambda c: c) is e
    assert E.map_children(e, lambda c: c) == e
    markers = iter(range(1000))
    new = E.map_children(e, lambda c: E.Const(("marker", next(markers))))
    kids = E.children(e)
    assert E.children(new) == tuple(E.Const(("marker", i)) for i in range(len(kids)))
    assert type(new) is t
    child_fields = {name for name, _, _ in E.layout(t)}
    for f in dataclasses.fields(t):
        if f.name not in child_fields:
            assert getattr(new, f.name) == getattr(e, f.name), f.name
    if kids:
        assert new is not e
        assert E.map_children(new, lambda c: c) is new
    if t is E.Def:
        assert new != e  # a Def is equal only to itself
        assert (new.name, new.cite, new.notes, new.notes_when) == (e.name, e.cite, e.notes, e.notes_when)


def test_children_order_and_scopes():
    u = SAMPLES[E.UnionDays][0]
    assert E.scoped_children(u) == ((u.where, True), (u.lo, False), (u.hi, False))
    assert E.per_item(u) == (u.where,) and E.bounds(u) == (u.lo, u.hi) and E.operands(u) == ()
    assert E.binds(u) == "i" and E.binds(SAMPLES[E.If][0]) is None
    i = SAMPLES[E.If][0]
    assert E.children(i) == E.operands(i) == E.outer(i) == (i.cond, i.then, i.other)
    d = SAMPLES[E.Def][0]
    assert E.children(d) == E.outer(d) == (d.expr,)
    assert E.children(E.Const(1)) == E.children(PermittedBy(("x",))) == ()


def test_backend_tables_cover_every_node_type():
    types = node_types()
    assert set(I._DISPATCH) >= types, "interpreter"
    assert set(F.COMPILERS) >= types - {PermittedBy}, "compiled"
    assert set(smt.ENCODERS) >= types - {PermittedBy}, "smt"
    assert set(C.NODES) >= types - LOWERED_AWAY, "columnar"
    assert set(C.OPERATORS) <= set(C.NODES)


def test_lowering_handles_every_node_type():
    for t in node_types():
        for e in SAMPLES[t]:
            s = strip(e, lambda p: E.TRUE)
            assert not {type(n) for n in E.walk(s)} & LOWERED_AWAY, t.__name__
            if not {type(n) for n in E.walk(e)} & LOWERED_AWAY:
                assert s is e  # nothing to strip: the tree keeps its identity


@pytest.fixture(scope="module")
def cases():
    return random_cases(150, seed=13)


def test_backends_agree_on_every_node_type(cases):
    exprs = evaluable()
    facts = [case_facts(c) for c in cases]
    want = []
    for f in facts:
        row = []
        for e in exprs:
            ctx = I._Ctx(f, False, None, "", None, PARAMS)  # type: ignore[arg-type]
            row.append((I._ev(e, ctx), ctx.notes))
        want.append(row)
    # the compiled fast path, with the register notes of Def
    for f, row in zip(facts, want, strict=True):
        for e, (v, notes) in zip(exprs, row, strict=True):
            got = set()
            assert (F.compiled(e)(f, {E.PARAMS: PARAMS}, got), got) == (v, notes), e
    # the columnar compiler, on the lowered expressions
    res = C.evaluate_exprs(facts_frame(cases), {f"e{i}": strip(e, None) for i, e in enumerate(exprs)}, params=PARAMS)
    for i, e in enumerate(exprs):
        assert res[f"e{i}"].to_list() == [row[i][0] for row in want], e
    # the SMT encoder, on the expressions as they are (Def included)
    some = facts[:40]
    k = max(3, *(len(f[name]) for f in some for name in SCHEMA.lists))
    p = default_pack()
    sym = smt.SymCase(smt.table_for(exprs, some, vocabulary=p.vocabulary), smt.Bounds(k=k), schema=p.schema)
    enc = smt.Encoder(sym, params=PARAMS)
    terms = [enc(e) for e in exprs]
    for f, row in zip(some, want[:len(some)], strict=True):
        assert smt.instantiate(terms, sym.substitution(f)) == [v for v, _ in row]
    # parameters bound beforehand (``E.bind``, as claims are compiled) give the same terms' values
    bound_terms = [smt.Encoder(sym)(E.bind(e, PARAMS)) for e in exprs]
    for f, row in zip(some, want[:len(some)], strict=True):
        assert smt.instantiate(bound_terms, sym.substitution(f)) == [v for v, _ in row]


def test_parameters_are_read_from_the_binding_not_the_tree(cases):
    """The same tree under two bindings gives each binding's answer in every backend (nothing of
    the first binding is kept in what a backend compiled)."""
    e = E.Cmp(">", E.AddYears(AD, E.Param("years")), DD)
    frame = facts_frame(cases)
    for years in (0, 3, 30):
        params = {**PARAMS, "years": years}
        want = [I.evaluate_expr(e, case_facts(c), params) for c in cases]
        assert want == [I.evaluate_expr(E.bind(e, params), case_facts(c)) for c in cases]
        assert [F.compiled(e)(case_facts(c), {E.PARAMS: params}, set()) for c in cases] == want
        assert C.evaluate_exprs(frame, {"x": e}, params=params)["x"].to_list() == want
    assert E.params_read(E.And((e, E.Param("switch")))) == {"years", "switch"}

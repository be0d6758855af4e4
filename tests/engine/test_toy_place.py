"""The engine against a toy place with two layers: every backend gives its rules the same meaning,
and the one combination rule decides between the layers (tests/engine/toy)."""

from __future__ import annotations

import datetime as dt
import random

import pytest
from tests.engine.toy import SCHEMA, STATE, TOWN, ToyCase, facts, install

from detainerlaw import jurisdictions
from detainerlaw.decide import decide
from detainerlaw.engine.layers import PLAIN, Answer, combine
from detainerlaw.engine.pack import Reform
from detainerlaw.engine.rules import OUTCOMES

install()


def toy(decided: str, kind: str = "hold", **kw: object) -> ToyCase:
    return ToyCase(agency=kw.pop("agency", "sheriff"), decided_at=dt.date.fromisoformat(decided), kind=kind, **kw)


def prior(years_before: int, decided: str, serious: bool = True) -> dict:
    d = dt.date.fromisoformat(decided)
    return {"day": d.replace(year=d.year - years_before) - dt.timedelta(days=1), "serious": serious}


def answers(case: ToyCase, reform: Reform | None = None) -> dict[str, tuple[str, dict[str, str]]]:
    d = decide(case, reform=reform) if reform else decide(case)
    return {a: (r.outcome.value, {k: v.outcome.value for k, v in r.by_layer.items()}) for a, r in d.actions.items()}


def test_the_registry_finds_the_place() -> None:
    assert jurisdictions.get("toy").layers[0].id == "state"


def test_town_1_a_prohibits_a_hold_the_state_does_not_speak_to() -> None:
    assert answers(toy("2015-06-01")) == {"hold": ("prohibited", {"state": "not_governed", "town": "prohibited"})}


def test_town_1_b_exception_with_a_dated_lookback() -> None:
    """The lookback is 5 years until 2010, then 3 (a dated parameter)."""
    c4 = "2015-06-01"
    assert answers(toy(c4, warrant=True, priors=[prior(2, c4)]))["hold"][0] == "permitted"
    assert answers(toy(c4, warrant=True, priors=[prior(4, c4)]))["hold"][0] == "prohibited"
    c8 = "2008-06-01"
    assert answers(toy(c8, warrant=True, priors=[prior(4, c8)]))["hold"][0] == "permitted"
    assert answers(toy(c8, warrant=True, priors=[prior(4, c8, serious=False)]))["hold"][0] == "prohibited"


def test_state_9_a_requirement_displaces_the_town_prohibition() -> None:
    assert answers(toy("2006-01-02", court_order=True))["hold"] == (
        "required", {"state": "required", "town": "prohibited"})
    # before State Law 9/2005 the town's prohibition stands
    assert answers(toy("2004-12-31", court_order=True))["hold"][0] == "prohibited"


def test_state_9_b_preemption_voids_the_town_restriction() -> None:
    assert answers(toy("2006-01-02", "records", agency="clerk", status_question=True))["share"] == (
        "permitted", {"state": "permitted", "town": "prohibited"})
    assert answers(toy("2006-01-02", "records", agency="clerk"))["share"][0] == "prohibited"


def test_a_reform_of_the_home_layer() -> None:
    c = toy("2015-06-01", warrant=True, priors=[prior(8, "2015-06-01")])
    assert answers(c)["hold"][0] == "prohibited"
    assert answers(c, Reform(name="ten years", params={"lookback_years": 10}))["hold"][0] == "permitted"
    assert answers(c)["hold"][0] == "prohibited"  # the baseline is untouched


def random_toys(n: int, seed: int = 3) -> list[ToyCase]:
    r = random.Random(seed)
    out = []
    for _ in range(n):
        d = dt.date(2001, 1, 1) + dt.timedelta(days=r.randrange(0, 8000))
        out.append(ToyCase(
            agency=r.choice(["clerk", "sheriff"]), decided_at=d, kind=r.choice(["hold", "records"]),
            warrant=r.random() < 0.5, court_order=r.random() < 0.2, status_question=r.random() < 0.3,
            priors=[{"day": d - dt.timedelta(days=r.randrange(1, 3000)), "serious": r.random() < 0.6}
                    for _ in range(r.choice([0, 1, 2, 3]))]))
    return out


CASES = random_toys(300)


def test_explained_and_fast_paths_agree() -> None:
    for c in CASES:
        slow, fast = decide(c, explain=True), decide(c, explain=False)
        assert {a: r.outcome for a, r in slow.actions.items()} == {a: r.outcome for a, r in fast.actions.items()}


def test_the_combination_rule_on_plain_values() -> None:
    """A prohibition prevails unless a higher layer requires or preempts."""
    assert combine([Answer("a", "permitted", False), Answer("b", "prohibited", False)], PLAIN) == "prohibited"
    assert combine([Answer("a", "required", False), Answer("b", "prohibited", False)], PLAIN) == "required"
    assert combine([Answer("a", "prohibited", False), Answer("b", "required", False)], PLAIN) == "prohibited"
    assert combine([Answer("a", "permitted", True), Answer("b", "prohibited", False)], PLAIN) == "permitted"
    assert combine([Answer("a", "not_governed", False), Answer("b", "not_governed", False)], PLAIN) == "not_governed"


def _frame(cases: list[ToyCase]):  # noqa: ANN202
    import polars as pl

    rows = [facts(c) for c in cases]
    return pl.DataFrame(rows, schema={
        "agency": pl.String, "decided_day": pl.Int32, "kind": pl.String, "warrant": pl.Boolean,
        "court_order": pl.Boolean, "status_question": pl.Boolean,
        "priors": pl.List(pl.Struct({"day": pl.Int32, "serious": pl.Boolean}))})


@pytest.mark.parametrize(("layer", "pack"), [("town", TOWN), ("state", STATE)])
def test_columnar_backend_agrees_with_the_interpreter(layer: str, pack) -> None:  # noqa: ANN001
    from detainerlaw.engine import columnar

    res = columnar.evaluate(_frame(CASES), pack)
    for i, c in enumerate(CASES):
        d = decide(c, explain=False)
        for action, r in d.actions.items():
            assert res[action][i] == r.by_layer[layer].outcome.value, (layer, action, c)


def test_smt_backend_agrees_with_the_interpreter() -> None:
    from detainerlaw.engine import smt
    from detainerlaw.engine.lower import lower_action

    some = CASES[:60]
    fs = [facts(c) for c in some]
    for layer, pack in (("town", TOWN), ("state", STATE)):
        for c, f in zip(some, fs, strict=True):
            snap = pack.snapshot(c.decided_at, c.agency)
            for action, r in decide(c, explain=False).actions.items():
                want = r.by_layer[layer].outcome.value
                if action not in snap.actions:  # no rule of this layer in force for it
                    assert want == "not_governed"
                    continue
                lowered = lower_action(snap, action)
                table = smt.table_for([lowered.outcome], [f], vocabulary=NO_STATUTES)
                sym = smt.SymCase(table, smt.Bounds(k=3), schema=SCHEMA)
                term = smt.Encoder(sym)(lowered.outcome)
                got = OUTCOMES[smt.instantiate([term], sym.substitution(f))[0]]  # outcomes are codes in Z3
                assert got == want, (layer, action, c)


class _NoStatutes:
    """The toy place cites no statutes: the solver has no statute-derived facts to enumerate."""

    lists: tuple[str, ...] = ()
    fields: tuple[str, ...] = ()
    other = ("OTHER", "")

    def row_attrs(self, row: tuple[str, str]) -> dict[str, str]:
        return {}

    def row_of(self, item: dict) -> tuple[str, str]:
        return self.other

    def candidates(self, names: object) -> set[tuple[str, str]]:
        return set()


NO_STATUTES = _NoStatutes()


def test_every_backend_combines_the_layers_as_the_interpreter_does() -> None:
    """The one combination rule as Polars expressions over a population (``evaluate_stack``) and on Z3
    terms gives the interpreter's combined answer, its ``until`` and each layer's own answer."""
    import z3

    from detainerlaw.engine.columnar.layers import evaluate_stack
    from detainerlaw.engine.pack import BASELINE
    from detainerlaw.engine.smt.layers import combine_terms

    res = evaluate_stack(_frame(CASES), [("state", STATE, BASELINE), ("town", TOWN, BASELINE)])
    for i, c in enumerate(CASES):
        d = decide(c, explain=False)
        for action, r in d.actions.items():
            assert res[action][i] == r.outcome.value, (action, c)
            for lid in ("state", "town"):
                assert res[f"{action}@{lid}"][i] == r.by_layer[lid].outcome.value, (lid, action, c)
            layer = {lid: r.by_layer[lid].outcome.value for lid in ("state", "town")}
            pre = action == "share" and c.status_question and layer["state"] == "permitted"
            term = combine_terms({lid: z3.IntVal(OUTCOMES.index(o)) for lid, o in layer.items()},
                                 {"state": z3.BoolVal(bool(pre))})
            assert OUTCOMES[z3.simplify(term).as_long()] == r.outcome.value


def test_the_hot_path_combination_equals_the_rule() -> None:
    """``combine_values`` (one decision's loop) is ``combine`` on every stack of up to three layers."""
    import itertools

    from detainerlaw.engine.layers import combine_values

    for n in (1, 2, 3):
        for outs in itertools.product(OUTCOMES, repeat=n):
            for pre in itertools.product((False, True), repeat=n):
                answers = [Answer(str(i), o, p) for i, (o, p) in enumerate(zip(outs, pre, strict=True))]
                assert combine_values(outs, pre) == combine(answers, PLAIN), (outs, pre)


def test_the_engine_refuses_a_date_outside_its_calendar_whatever_the_place() -> None:
    """The toy's model accepts any date; ``decide`` refuses one outside 1900-2099, naming the field."""
    from detainerlaw.errors import InputError

    with pytest.raises(InputError, match="decided_at: 2150-03-01 is outside the supported range"):
        decide(toy("2150-03-01"))

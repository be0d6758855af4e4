"""The shortcut a warm population takes (a reform evaluates only its layer, only the actions whose
lowered rules it changes, on the rows where they change; the other layers' answers and the
unchanged actions' combinations are the baseline's) gives exactly the full evaluation's answers:
on the bundled sample, under reforms of every layer, on each case's own date and on one as-of
date; and the tallies of ``simulate`` equal those counted from the full evaluation."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from detainerlaw import facade
from detainerlaw.decide import default_pack
from detainerlaw.engine.columnar.layers import evaluate_stack, stack_columns
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.jurisdictions import layered
from detainerlaw.scenarios import Scenario, load_scenario
from detainerlaw.simulation import simulate, warm
from detainerlaw.simulation.simulate import _merge, _tally, check_population, with_as_of

AS_OF = dt.date(2025, 1, 15)

REFORMS: dict[str, Reform] = {
    # the city's code (the home layer): a switch, a number of years, a reading, rules off from a day, rules off
    "int-395-2024": load_scenario("int-395-2024"),
    "lookback-3": Scenario(name="lookback-3", params={"lookback_years": 3}),
    "lookback-12": Scenario(name="lookback-12", params={"lookback_years": 12, "misdemeanor_lookback_years": 2}),
    "mayor-2024-02": load_scenario("mayor-2024-02"),
    "int-945-2024": load_scenario("int-945-2024"),
    "no-city-limits": load_scenario("no-city-limits"),
    "ice-request": load_scenario("ice-request"),
    # the state's law
    "ny-for-all": load_scenario("ny-for-all"),
    "state-287g-ban": load_scenario("state-287g-ban"),
    # federal law: the hold's length, and the status protection whose rules preempt lower layers
    "us-hold-24": Scenario(name="us-hold-24", layer="us", params={"detainer_hold_hours": 24}),
    "us-no-1373": Scenario(name="us-no-1373", layer="us", params={"status_sharing_protected": False}),
    # the Mayor's orders
    "no-eo-13": Scenario(name="no-eo-13", layer="nyc-orders", disable=("nyc-orders.eo13",)),
}


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    pop = check_population(facade.place().population.sample())
    return pop.with_columns(pl.col("weight").cast(pl.Float64))


@pytest.fixture(scope="module")
def days(frame: pl.DataFrame) -> dict:
    return {d: warm.Day(with_as_of(frame, d) if d else frame, default_pack().schema) for d in (None, AS_OF)}


def _shortcut(day: warm.Day, frame: pl.DataFrame, stack) -> pl.DataFrame:
    layers = [day.layer(lid, pack, reform)[0] for lid, pack, reform in stack]
    return frame.hstack(stack_columns(layers, frame.height, lambda a: day.combination(stack, a)))


@pytest.mark.parametrize("as_of", [None, AS_OF])
@pytest.mark.parametrize("name", sorted(REFORMS))
def test_a_reform_on_a_warm_population_equals_the_full_evaluation(frame, days, name, as_of) -> None:
    f = with_as_of(frame, as_of) if as_of else frame
    day = days[as_of]
    base = layered(default_pack())
    assert _shortcut(day, f, base).equals(evaluate_stack(f, base))
    stack = layered(default_pack(), REFORMS[name])
    full = evaluate_stack(f, stack)
    short = _shortcut(day, f, stack)
    assert short.columns == full.columns
    bad = [c for c in full.columns if not short[c].equals(full[c])]
    assert not bad, bad[:5]


def test_the_shortcut_is_taken(days) -> None:
    """A reform of the NYPD's hold evaluates no other layer and only some of the city's actions."""
    day = days[AS_OF]
    reform = REFORMS["int-395-2024"]
    stack = layered(default_pack(), reform)
    for lid, pack, r in stack:
        answers, changed = day.layer(lid, pack, r)
        base, _ = day.layer(lid, pack, BASELINE)
        if r is BASELINE:
            assert answers is base and changed == frozenset()
        else:
            assert changed and changed < {a for a, v in base.answers.items() if v is not None}
            assert all(answers.answers[a] is base.answers[a] for a in base.answers if a not in changed)
            city, city_base = changed, base
    a = next(iter(city))
    unchanged = next(x for x in city_base.answers if x not in city and city_base.answers[x] is not None)
    assert day.combination(stack, unchanged) is day.combination(layered(default_pack()), unchanged)
    assert day.combination(stack, a) is not day.combination(layered(default_pack()), a)


def test_a_preemption_changed_by_a_reform_combines_every_action_again(days) -> None:
    reform = REFORMS["us-no-1373"]
    us = next((lid, pack, r) for lid, pack, r in layered(default_pack(), reform) if lid == "us")
    assert days[None].layer(*us)[1] is None


@pytest.mark.parametrize("layer", [None, "nyc", "us"])
def test_simulate_counts_what_the_full_evaluation_gives(frame, layer) -> None:
    names = ["baseline", "lookback-3", "ny-for-all", "us-no-1373"]
    scenarios = [Scenario(name="baseline"), *(REFORMS[n] if isinstance(REFORMS[n], Scenario) else REFORMS[n]
                                              for n in names[1:])]
    got = simulate(frame, AS_OF, scenarios, layer=layer).long
    f = with_as_of(frame, AS_OF)
    want = _merge([_tally(evaluate_stack(f, layered(default_pack(), s.reform())), s.name, layer) for s in scenarios])
    keys = ["scenario", "agency", "action", "outcome", "rule"]
    got, want = got.sort(keys, nulls_last=True), want.sort(keys, nulls_last=True)
    assert got.select(*keys, "n").equals(want.select(*keys, "n"))
    assert got["weight"].to_list() == pytest.approx(want["weight"].to_list())


def test_a_warm_population_gives_what_a_cold_one_gives(frame) -> None:
    sc = ["baseline", "int-395-2024", "mayor-2024-02"]
    warm.WARM.clear()
    cold = simulate(frame, None, sc).long
    again = simulate(frame.clone(), None, sc).long  # another frame of the same content: found warm
    keys = ["scenario", "agency", "action", "outcome", "rule"]
    assert again.sort(keys, nulls_last=True).equals(cold.sort(keys, nulls_last=True))


def test_a_population_is_found_again_by_its_content_only(frame) -> None:
    small = frame.head(300)
    assert warm.fingerprint(small) == warm.fingerprint(small.clone())
    changed = small.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(pl.col("arrest_day") - 1)
                                 .otherwise(pl.col("arrest_day")).alias("arrest_day"))
    assert warm.fingerprint(changed) != warm.fingerprint(small)
    # a later answer changes with the population (nothing stale is read from the cache)
    a = simulate(small, None, ["baseline"]).long
    b = simulate(small.with_columns(pl.lit(True).alias("judicial_warrant")), None, ["baseline"]).long
    assert not a.sort(a.columns, nulls_last=True).equals(b.sort(b.columns, nulls_last=True))

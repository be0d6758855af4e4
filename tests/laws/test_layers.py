"""Properties of the stack us > ny > nyc > nyc-orders on random cases (detainerlaw.laws.nyc.casegen):

- a prohibition in any layer is never combined into `permitted` unless a higher layer
  displaces it (its deciding rule preempts, or it requires the action);
- repealing every city section (scenario no-city-limits) never makes a hold that state
  law prohibits `permitted`."""

from __future__ import annotations

import datetime as dt
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from detainerlaw import facade
from detainerlaw.decide import decide
from detainerlaw.engine.interpreter import evaluate_action
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.casegen import random_case
from detainerlaw.models.decision import Decision

SEEDS = st.integers(min_value=0, max_value=2**32 - 1)
# The city applying § 10-178(c) to status answers (register E-13a flipped): a restriction § 1373 voids.
STATUS_RESTRICTED = Reform("status restricted", params={"city_resources_status_carveout": False})


def _case(seed: int) -> Case:
    return Case.model_validate(random_case(random.Random(seed)))


def _displaces(c: Case, action: str) -> dict[str, bool]:
    """For each layer, whether its own answer displaces lower prohibitions (evaluated anew from
    its rules, not read from the combined Decision)."""
    place = facade.place()
    facts = place.facts(c)
    day = dt.date.fromordinal(facts["decided_day"])
    out = {}
    for layer, pack in place.stack():
        if action not in pack.engaged(facts["agency"], facts["kind"]):
            out[layer.id] = False
            continue
        ev, _ = evaluate_action(pack.snapshot(day, facts["agency"]), action, facts)
        out[layer.id] = ev.outcome == "required" or any(
            r.branch.preempts if r.branch else r.rule.preempts for r in ev.deciding)
    return out


@settings(max_examples=300, deadline=None)
@given(SEEDS)
def test_a_prohibition_is_combined_into_permitted_only_under_a_higher_preemption(seed: int) -> None:
    c = _case(seed)
    for reform in (BASELINE, STATUS_RESTRICTED):
        _check_displacement(c, decide(c, reform=reform, explain=False))


def _check_displacement(c: Case, d: Decision) -> None:
    for action, r in d.actions.items():
        ids = list(r.by_layer)
        for i, lid in enumerate(ids):
            if r.by_layer[lid].outcome.value != "prohibited" or r.outcome.value != "permitted":
                continue
            above = _displaces(c, action)
            assert any(above[h] for h in ids[:i]), (action, lid, {k: v.outcome.value for k, v in r.by_layer.items()})


@settings(max_examples=300, deadline=None)
@given(SEEDS)
def test_repealing_the_city_sections_never_permits_a_hold_state_law_prohibits(seed: int) -> None:
    c = _case(seed)
    for scenario in (None, "no-city-limits"):
        d = facade.decide(c, explain=False, scenario_name=scenario)
        hold = d.actions.get("hold")
        if hold is None or hold.by_layer["ny"].outcome.value != "prohibited":
            continue
        assert hold.outcome.value != "permitted", (seed, scenario)
        assert hold.outcome.value == "prohibited" or hold.by_layer["us"].outcome.value == "required"


def _agreement(day: str, requester: str = "federal_immigration") -> Case:
    return Case.model_validate({"agency": "nypd", "decided_at": day,
                                "request": {"kind": "agreement_287g", "requester": requester}})


def test_10_178_b_287g_agreement_prohibited_from_ll_228_2017_broadened_by_ll_63_2026() -> None:
    assert decide(_agreement("2018-01-29")).actions["agreement_287g"].by_layer["nyc"].outcome.value == "not_governed"
    d = decide(_agreement("2018-01-30")).actions["agreement_287g"]
    assert d.by_layer["nyc"].outcome.value == "prohibited" and d.by_layer["nyc"].citations == [
        "NYC Admin. Code § 10-178(b)"]
    # another non-local agency's direction: only LL 63/2026 reaches it
    before = decide(_agreement("2026-01-28", "other_federal")).actions["agreement_287g"].by_layer["nyc"]
    after = decide(_agreement("2026-01-29", "other_federal")).actions["agreement_287g"].by_layer["nyc"]
    assert (before.outcome.value, after.outcome.value) == ("not_governed", "prohibited")

"""Properties of every decision, over random valid cases (detainerlaw.laws.nyc.casegen)."""

from __future__ import annotations

import copy
import datetime as dt

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from detainerlaw.decide import decide
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.casegen import random_case

SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
LL58_2014 = dt.date(2014, 12, 14)
SECTION = {"doc": "§ 9-131", "nypd": "§ 14-154", "dop": "§ 9-205"}

cases = st.randoms(use_true_random=False).map(random_case)


def summary(d) -> dict:
    return {
        "actions": {a: (r.outcome, r.until, tuple(r.citations), tuple(r.conditions)) for a, r in d.actions.items()},
        "notes": [n.code for n in d.notes],
        "law": d.law,
    }


@SETTINGS
@given(cases)
def test_decisions_are_deterministic(data: dict) -> None:
    c = Case.model_validate(data)
    first = decide(c)
    again = decide(Case.model_validate(copy.deepcopy(data)))
    assert first.model_dump() == again.model_dump()


@SETTINGS
@given(cases)
def test_explain_does_not_change_the_decision(data: dict) -> None:
    c = Case.model_validate(data)
    with_tree, without = decide(c, explain=True), decide(c, explain=False)
    assert summary(with_tree) == summary(without)
    assert all(r.explanation is not None for r in with_tree.actions.values())
    assert all(r.explanation is None for r in without.actions.values())


@SETTINGS
@given(cases)
def test_2014_doc_and_probation_never_hold_without_judicial_warrant(data: dict) -> None:
    """§ 9-131(b)(1)(i), § 9-205(b)(1): a judicial warrant presented with the detainer is necessary
    (unless cooperation is required by law: subdivision (d), tested in tests/laws)."""
    c = Case.model_validate(data)
    if c.agency.value not in ("doc", "dop") or c.decided_date < LL58_2014 or c.request.required_by_law:
        return
    if c.request.purpose.value != "civil_immigration" or c.request.requester.value == "state_or_local":
        return  # not a (federal) civil immigration detainer (§ 9-131(a)(1))
    if c.request.judicial_warrant and c.request.judicial_warrant_at is None:
        return
    d = decide(c, explain=False)
    # § 9-205 speaks only of holding: Probation's release notice is § 10-178's (tested in tests/laws).
    for action in ("hold", "notify_release") if c.agency.value == "doc" else ("hold",):
        if action in d.actions:  # the city layer's answer: federal law alone would permit it
            assert d.actions[action].by_layer["nyc"].outcome.value != "permitted", (action, data)


@SETTINGS
@given(cases)
def test_adding_a_judicial_warrant_never_turns_permitted_into_prohibited(data: dict) -> None:
    before = decide(Case.model_validate(data), explain=False)
    with_jw = copy.deepcopy(data)
    with_jw["request"]["judicial_warrant"] = True
    with_jw["request"].pop("judicial_warrant_at", None)
    after = decide(Case.model_validate(with_jw), explain=False)
    for action, r in before.actions.items():
        if r.outcome.value == "permitted":
            assert after.actions[action].outcome.value == "permitted", (action, data)


@SETTINGS
@given(cases)
def test_a_decided_detainer_cites_the_section_governing_the_agency(data: dict) -> None:
    """A permitted or prohibited hold or release notice on a civil immigration detainer cites
    § 9-131 (DOC), § 14-154 (NYPD) or § 9-205 (Probation)."""
    c = Case.model_validate(data)
    if c.request.purpose.value != "civil_immigration" or c.request.requester.value == "state_or_local":
        return  # not a civil immigration detainer: outside the sections (§ 9-131(a)(1) etc.)
    d = decide(c, explain=False)
    for action in ("hold", "notify_release"):
        # § 9-205 speaks only of holding: from 2018-01-30 § 10-178 decides Probation's release notice.
        section = "§ 10-178" if (c.agency.value, action) == ("dop", "notify_release") else SECTION[c.agency.value]
        r = d.actions[action].by_layer["nyc"] if action in d.actions else None  # the city layer's own answer
        if r is not None and r.outcome.value in ("permitted", "prohibited"):
            assert any(section in x for x in r.citations), (action, r.citations, data)


@SETTINGS
@given(cases)
def test_every_decided_action_has_a_citation(data: dict) -> None:
    d = decide(Case.model_validate(data), explain=False)
    for action, r in d.actions.items():
        if r.outcome.value in ("permitted", "prohibited"):
            assert r.citations, (action, data)
        if r.until is not None:  # only a permitted hold is limited in time (in any layer)
            assert r.outcome.value == "permitted" and action == "hold", (action, data)
        city = r.by_layer["nyc"]
        if city.until is not None:  # the city's own limit is the NYPD window of § 14-154(b)(2)
            assert city.outcome.value == "permitted" and action == "hold" and d.agency == "nypd"

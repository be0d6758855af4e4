"""The Case facts New York State law reads (CRL § 28, VTL § 201(12), Wells Q-W3): optional, with
defaults that leave every earlier case meaning the same, and carried through facts frames."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from detainerlaw.frame import facts_frame, frame_cases
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.facts import case_facts, optional_parts

FULL = {"agency": "nypd", "decided_at": "2024-03-01T10:00",
        "request": {"kind": "courthouse_arrest", "assist": True, "judicial_order_issuer": "immigration_judge",
                    "dmv_records": True, "delay_minutes": 45},
        "person": {"court_attendance": "returning_from", "court_role": "family_or_household"}}


def test_state_law_facts_default_to_not_recorded() -> None:
    f = case_facts(Case.model_validate({"agency": "doc", "decided_at": "2024-03-01", "request": {"kind": "detainer"}}))
    assert (f["assist"], f["dmv_records"], f["delay_minutes"]) == (False, False, 0)
    assert f["judicial_order_issuer"] == f["court_attendance"] == f["court_role"] == "none"
    assert optional_parts(f.get) == ({}, {})


def test_state_law_facts_survive_a_facts_frame() -> None:
    case = Case.model_validate(FULL)
    (back,) = frame_cases(facts_frame([case]))
    assert case_facts(back) == case_facts(case)


def test_q_w3_delay_minutes_bounded_and_strict() -> None:
    for bad in (-1, 7 * 24 * 60 + 1, "30", 2.5):
        with pytest.raises(ValidationError):
            Case.model_validate({**FULL, "request": {"kind": "transfer", "delay_minutes": bad}})


def test_q_w3_a_solver_s_delay_renders_into_the_case_s_range() -> None:
    assert optional_parts({"delay_minutes": -3}.get) == ({}, {})
    assert optional_parts({"delay_minutes": 10**9}.get)[0] == {"delay_minutes": 7 * 24 * 60}

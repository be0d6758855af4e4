"""Federal court process addressed to the custodian (request.required_by_law, register
US-REQ) is the only federal `required`; it displaces every lower prohibition."""

from __future__ import annotations

import pytest

from builders import case
from laws.layered import codes, combined, decided, layer


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_supremacy_clause_process_to_custodian_makes_the_hold_required(agency: str) -> None:
    d = decided(case(agency, "2021-03-02", required_by_law=True))
    assert layer(d, "hold", "us") == "required"
    assert layer(d, "hold", "ny") == "prohibited"  # Wells knows no such exception
    assert combined(d, "hold") == "required"
    assert "US-REQ" in codes(d)


def test_without_process_a_detainer_is_never_required() -> None:
    d = decided(case("doc", "2021-03-02", jw=True, terrorist_screening_match=True))
    assert {r.outcome.value for r in d.actions.values()} <= {"permitted", "prohibited", "not_governed"}


def test_criminal_warrant_required_only_with_process() -> None:
    plain = decided(case("nypd", "2021-03-02", "criminal_warrant", purpose="criminal_other"))
    assert layer(plain, "honor_criminal_warrant", "us") == "not_governed"
    ordered = decided(case("nypd", "2021-03-02", "criminal_warrant", purpose="criminal_other", required_by_law=True))
    assert combined(ordered, "honor_criminal_warrant") == "required"

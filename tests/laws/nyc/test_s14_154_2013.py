"""NYC Admin. Code § 14-154 as enacted by LL 21/2013 (NYPD; in force 2013-07-16 to
2014-12-13): NYPD shall not honor a detainer (hold or release notice) unless "any of the
following circumstances" of (b)(2): (i) search or court shows A. convicted of a covered
crime, B. pending covered criminal case, C. criminal warrant, D. gang member, E. terrorist
match; (ii) search or ICE shows A. warrant of removal, B. final order of removal."""

from __future__ import annotations

import pytest

from builders import case, charge, cited, cites, conv, day_before, outcomes, pending, run

EFF = "2013-07-16"
NEXT = "2014-12-14"
BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}
NG = {"hold": "not_governed", "notify_release": "not_governed"}


def test_b1_not_in_force_day_before_2013_07_16() -> None:
    assert outcomes(case("nypd", day_before(EFF))) == NG
    assert outcomes(case("nypd", day_before(EFF), final_order_of_removal=True)) == NG


def test_b1_in_force_2013_07_16() -> None:
    c = case("nypd", EFF)
    assert outcomes(c) == BOTH_PROHIBITED
    assert cited("NYC Admin. Code § 14-154(b)(1)", cites(c, "hold"))
    assert run(c).law.sources == ["LL 21/2013"]


def test_b2_i_B_pending_felony_in_another_borough_example_7() -> None:
    c = case("nypd", "2013-11-15", cases=[pending(charge("PL 160.10", "felony"))])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 14-154(b)(2)(i)(B)", cites(c, "hold"))


def test_a6_ii_two_open_covered_misdemeanor_cases_example_8() -> None:
    c = case("nypd", "2013-12-01", cases=[pending(charge("PL 155.25")), pending(charge("PL 165.40"))])
    assert outcomes(c) == BOTH_PERMITTED


def test_a6_ii_one_open_non_listed_misdemeanor_case_is_not_enough() -> None:
    assert outcomes(case("nypd", "2013-12-01", cases=[pending(charge("PL 155.25"))])) == BOTH_PROHIBITED


def test_b2_i_A_covered_misdemeanor_within_ten_years() -> None:
    c = case("nypd", "2014-03-01", arrest="2014-02-20",
             convictions=[conv("PL 155.25", "2008-01-10", level="misdemeanor")])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 14-154(b)(2)(i)(A)", cites(c, "hold"))


def test_a2_ii_covered_misdemeanor_older_than_ten_years() -> None:
    c = case("nypd", "2014-03-01", arrest="2014-02-20",
             convictions=[conv("PL 155.25", "2003-01-10", level="misdemeanor")])
    assert outcomes(c) == BOTH_PROHIBITED


@pytest.mark.parametrize(
    "flag,sub",
    [("outstanding_criminal_warrant", "(i)(C)"), ("gang_database_match", "(i)(D)"),
     ("terrorist_screening_match", "(i)(E)"), ("removal_warrant_outstanding", "(ii)(A)"),
     ("final_order_of_removal", "(ii)(B)")],
)
def test_b2_each_circumstance_suffices(flag: str, sub: str) -> None:
    c = case("nypd", "2014-03-01", **{flag: True})
    assert outcomes(c) == BOTH_PERMITTED
    assert cited(f"NYC Admin. Code § 14-154(b)(2){sub}", cites(c, "hold"))


def test_b2_2013_hold_limited_only_by_the_detainer_287_7_d() -> None:
    """§ 14-154 of 2013 sets no limit of its own; the detainer asks for at most 48 hours,
    not counting Saturdays, Sundays and holidays (8 C.F.R. 287.7(d)): a condition of the
    hold, with no `until` (data contract v2 keeps `until` for the NYPD 2014 window)."""
    d = run(case("nypd", "2014-03-01T10:00", final_order_of_removal=True))
    assert d.actions["hold"].until is None
    assert "8 C.F.R. 287.7(d)" in d.actions["hold"].citations
    assert any("48 hours" in t and "287.7(d)" in t for t in d.actions["hold"].conditions)
    assert "8 C.F.R. 287.7(d)" not in d.actions["notify_release"].citations


def test_last_day_2014_12_13_then_2014_rule() -> None:
    assert outcomes(case("nypd", day_before(NEXT), final_order_of_removal=True)) == BOTH_PERMITTED
    assert outcomes(case("nypd", NEXT, final_order_of_removal=True)) == BOTH_PROHIBITED


@pytest.mark.parametrize("kind", ["information", "office"])
def test_2013_no_information_or_office_rule(kind: str) -> None:
    assert set(outcomes(case("nypd", "2014-03-01", kind)).values()) == {"not_governed"}


def test_a1_criminal_warrant_not_a_civil_detainer() -> None:
    c = case("nypd", "2014-03-01", "criminal_warrant", purpose="criminal_immigration")
    assert outcomes(c) == {"honor_criminal_warrant": "not_governed"}

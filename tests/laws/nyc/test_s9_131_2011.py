"""NYC Admin. Code § 9-131 as enacted by LL 62/2011 (in force 2012-03-21 to 2013-07-15).

(b)(1): DOC shall not honor a civil immigration detainer by holding past release or by
notifying ICE of the release, unless (b)(2): the search shows (i)(A) convicted of a crime,
(B) a pending criminal case, (C) an outstanding criminal warrant, (D) a known gang member,
(E) a possible terrorist-list match; or (ii) (search or ICE) (A) an outstanding warrant of
removal, (B) a final order of removal. Any one suffices (reference § 2.1).
"""

from __future__ import annotations

import pytest

from builders import case, charge, cited, cites, conv, day_before, outcomes, pending

EFF = "2012-03-21"
D = "2012-06-01"
BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}


def test_b1_not_in_force_day_before_2012_03_21() -> None:
    assert outcomes(case("doc", day_before(EFF))) == {"hold": "not_governed", "notify_release": "not_governed"}


def test_b1_in_force_2012_03_21_no_exception_prohibits_hold_and_notice() -> None:
    c = case("doc", EFF)
    assert outcomes(c) == BOTH_PROHIBITED
    assert cited("NYC Admin. Code § 9-131(b)(1)", cites(c, "hold"))


def test_b2_i_A_any_conviction_even_old_misdemeanor() -> None:
    c = case("doc", D, convictions=[conv("PL 155.25", "2008-01-10", level="misdemeanor")])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 9-131(b)(2)(i)(A)", cites(c, "hold"))


def test_b2_i_A_out_of_state_conviction_any_us_court() -> None:
    c = case("doc", D, convictions=[conv("N.J.S.A. 2C:20-3", "2010-01-10", level="misdemeanor", jurisdiction="NJ")])
    assert outcomes(c) == BOTH_PERMITTED


@pytest.mark.parametrize("marker", ["youthful_offender", "juvenile_delinquent"])
def test_a2_yo_and_jd_adjudications_are_not_convictions(marker: str) -> None:
    c = case("doc", D, convictions=[conv("PL 160.10", "2010-01-10", **{marker: True})])
    assert outcomes(c) == BOTH_PROHIBITED


def test_a2_violation_is_not_a_conviction_of_a_crime() -> None:
    c = case("doc", D, convictions=[conv("PL 240.20", "2011-01-10", level="violation")])
    assert outcomes(c) == BOTH_PROHIBITED


def test_b2_i_B_pending_misdemeanor_case() -> None:
    c = case("doc", D, cases=[pending(charge("PL 165.40"))])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 9-131(b)(2)(i)(B)", cites(c, "hold"))


@pytest.mark.parametrize(
    "pc",
    [
        pending(charge("PL 165.40"), disposition="acd"),  # ACD: not pending (a)(5)
        pending(charge("PL 240.20", "violation")),  # highest charge a violation
        pending(charge("PL 240.20", "violation"), disposition="conditional_discharge"),
        pending(charge("PL 160.10", "felony"), family_court=True),  # Family Court excluded
    ],
    ids=["acd", "violation-only", "violation-cd", "family-court"],
)
def test_a5_cases_that_are_not_pending_criminal_cases(pc: dict) -> None:
    assert outcomes(case("doc", D, cases=[pc])) == BOTH_PROHIBITED


@pytest.mark.parametrize(
    "flag,sub",
    [
        ("outstanding_criminal_warrant", "(i)(C)"),
        ("gang_database_match", "(i)(D)"),
        ("terrorist_screening_match", "(i)(E)"),
        ("removal_warrant_outstanding", "(ii)(A)"),
        ("final_order_of_removal", "(ii)(B)"),
    ],
)
def test_b2_each_other_circumstance_suffices_alone(flag: str, sub: str) -> None:
    c = case("doc", D, **{flag: True})
    assert outcomes(c) == BOTH_PERMITTED
    assert cited(f"NYC Admin. Code § 9-131(b)(2){sub}", cites(c, "hold"))


def test_b2_ii_B_final_order_told_by_ice_example_3() -> None:
    """Worked example 3: ACD instant case, ICE reports a 2005 final removal order."""
    c = case("doc", "2012-08-01", cases=[pending(charge("PL 165.40"), disposition="acd")], final_order_of_removal=True)
    assert outcomes(c) == BOTH_PERMITTED


def test_b_no_judicial_warrant_needed_and_admin_warrant_irrelevant() -> None:
    c = case("doc", D, admin="I-200", convictions=[conv("PL 155.25", "2008-01-10", level="misdemeanor")])
    assert outcomes(c) == BOTH_PERMITTED
    assert outcomes(case("doc", D, admin="I-205", jw=True)) == BOTH_PROHIBITED


def test_2011_no_lookback_last_day_2013_07_15() -> None:
    """Worked example 5 (2012 half): a 1999 misdemeanor still counts on the last day of LL 62/2011."""
    c = case("doc", "2013-07-15", arrest="2013-07-10",
             convictions=[conv("PL 155.25", "1999-05-01", level="misdemeanor")])
    assert outcomes(c) == BOTH_PERMITTED


@pytest.mark.parametrize("kind", ["information", "office"])
def test_2011_information_and_office_not_governed(kind: str) -> None:
    assert set(outcomes(case("doc", D, kind)).values()) == {"not_governed"}


def test_a1_criminal_warrant_is_not_a_civil_detainer() -> None:
    assert outcomes(case("doc", D, "criminal_warrant", purpose="criminal_other")) == {
        "honor_criminal_warrant": "not_governed"
    }


@pytest.mark.parametrize("purpose", ["civil_immigration", "criminal_immigration", "criminal_other"])
def test_a1_a_287_7_detainer_is_civil_whatever_purpose_it_states(purpose: str) -> None:
    """(a)(1): a detainer issued under 8 C.F.R. 287.7 is a civil immigration detainer by
    definition; the purpose the request states does not take it outside (b)(1)."""
    assert outcomes(case("doc", D, purpose=purpose)) == {"hold": "prohibited", "notify_release": "prohibited"}


@pytest.mark.parametrize("requester", ["other_federal", "state_or_local"])
def test_a1_a_detainer_from_others_is_not_a_287_7_detainer(requester: str) -> None:
    assert set(outcomes(case("doc", D, requester=requester)).values()) == {"not_governed"}


def test_law_version_and_source() -> None:
    from builders import run

    d = run(case("doc", D))
    assert d.law.sources == ["LL 62/2011"]


def test_a2_plea_without_sentence_counts_as_final_judgment_of_guilt_and_says_so_e2a() -> None:
    """(a)(2) "final judgment of guilt": the pack counts a plea awaiting sentence (a reading,
    register E-2a) and reports it; a sentenced conviction needs no such note."""
    from builders import notes

    plea = case("doc", D, convictions=[conv("PL 155.25", None, level="misdemeanor", convicted="2012-05-01")])
    assert outcomes(plea) == BOTH_PERMITTED
    assert "E-2a" in notes(plea)
    sentenced = case("doc", D, convictions=[conv("PL 155.25", "2012-05-01", level="misdemeanor")])
    assert "E-2a" not in notes(sentenced)

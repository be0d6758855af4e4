"""NYC Admin. Code § 9-131 as amended by LL 22/2013 (in force 2013-07-16 to 2014-12-13).

(b)(2)(i), now shown by the search "or a court": A. convicted of a covered crime (felony
ever, or a covered misdemeanor within ten years of the instant arrest); B. a defendant in
a pending covered criminal case; C.-E. as 2011. (b)(2)(ii) unchanged. The definitions
themselves are tested in test_definitions.py.
"""

from __future__ import annotations

import pytest

from builders import case, charge, cited, cites, conv, day_before, outcomes, pending, run

EFF = "2013-07-16"
NEXT = "2014-12-14"
BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}
OLD_MISD = [conv("PL 155.25", "1999-05-01", level="misdemeanor")]


def test_a2_ten_year_rule_applies_from_2013_07_16_example_5() -> None:
    """Worked example 5: a 1999 petit larceny counts on 2013-07-15 (2011 law), not on 2013-07-16."""
    before = case("doc", day_before(EFF), arrest="2013-07-10", convictions=OLD_MISD)
    on = case("doc", EFF, arrest="2013-07-10", convictions=OLD_MISD)
    assert outcomes(before) == BOTH_PERMITTED
    assert outcomes(on) == BOTH_PROHIBITED
    assert run(on).law.sources[-1] == "LL 22/2013"


def test_b2_i_A_felony_conviction_ever_counts() -> None:
    c = case("doc", "2013-08-01", arrest="2013-07-25", convictions=[conv("PL 155.30", "1990-01-01")])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 9-131(b)(2)(i)(A)", cites(c, "hold"))


def test_b2_i_B_pending_felony_murder_example_31b() -> None:
    """Worked example 31 (2013 half): a pending PL 125.25 charge is a pending covered criminal case."""
    c = case("doc", "2013-09-01", jw=True, cases=[pending(charge("PL 125.25", "felony"))])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 9-131(b)(2)(i)(B)", cites(c, "hold"))


def test_a7_cpl_170_70_release_example_9() -> None:
    c = case("doc", "2013-09-15", cases=[pending(charge("PL 120.00"), released_cpl_170_70=True)])
    assert outcomes(c) == BOTH_PROHIBITED


def test_a3_excluded_offences_example_6() -> None:
    c = case("doc", "2013-10-01", arrest="2013-09-20",
             convictions=[conv("PL 230.00", "2010-03-01", level="misdemeanor"),
                          conv("VTL 511", "2012-03-01", level="misdemeanor", sub="1")])
    assert outcomes(c) == BOTH_PROHIBITED


@pytest.mark.parametrize(
    "flag", ["outstanding_criminal_warrant", "gang_database_match", "terrorist_screening_match",
             "removal_warrant_outstanding", "final_order_of_removal"]
)
def test_b2_other_circumstances_unchanged(flag: str) -> None:
    assert outcomes(case("doc", "2014-01-15", **{flag: True})) == BOTH_PERMITTED


def test_b2_judicial_warrant_not_required_last_day_2014_12_13() -> None:
    """Pending felony without a judicial warrant: permitted under LL 22/2013 on 2014-12-13,
    prohibited under LL 58/2014 on 2014-12-14 (pending charges no longer count, E-16)."""
    cs = [pending(charge("PL 160.10", "felony"))]
    assert outcomes(case("doc", day_before(NEXT), cases=cs)) == BOTH_PERMITTED
    assert outcomes(case("doc", NEXT, cases=cs)) == BOTH_PROHIBITED


def test_b2_ii_final_order_last_day_then_not_enough() -> None:
    assert outcomes(case("doc", day_before(NEXT), final_order_of_removal=True)) == BOTH_PERMITTED
    assert outcomes(case("doc", NEXT, final_order_of_removal=True)) == BOTH_PROHIBITED


def test_2013_yo_still_not_a_conviction() -> None:
    c = case("doc", "2014-01-15", convictions=[conv("PL 160.10", "2012-01-10", youthful_offender=True)])
    assert outcomes(c) == BOTH_PROHIBITED


@pytest.mark.parametrize("kind", ["information", "office"])
def test_2013_information_and_office_not_governed(kind: str) -> None:
    assert set(outcomes(case("doc", "2014-01-15", kind)).values()) == {"not_governed"}


def test_2013_no_record_no_flags_prohibited() -> None:
    assert outcomes(case("doc", EFF)) == BOTH_PROHIBITED

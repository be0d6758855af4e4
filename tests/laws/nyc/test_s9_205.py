"""NYC Admin. Code § 9-205 (LL 226/2017; Probation; in force 2017-12-01).

(b): DOP "may only honor a civil immigration detainer by holding a person if" 1. a
judicial warrant is presented at the time the detainer is presented, and 2. the person
has a recent VSC judgment or is a possible terrorist-list match. Terms are those of
§ 9-131(a). No notification or information rule (reference § 4)."""

from __future__ import annotations

import pytest

from builders import case, charge, cited, cites, conv, day_before, notes, outcomes, pending, run

EFF = "2017-12-01"
VSC = [conv("PL 120.25", "2015-03-01", sentence="probation")]


def test_b_not_in_force_day_before_2017_12_01() -> None:
    assert outcomes(case("dop", day_before(EFF), jw=True, convictions=VSC)) == {"hold": "not_governed"}
    assert outcomes(case("dop", day_before(EFF))) == {"hold": "not_governed"}


def test_b_in_force_2017_12_01() -> None:
    c = case("dop", EFF, jw=True, convictions=VSC)
    assert outcomes(c) == {"hold": "permitted"}
    assert cited("NYC Admin. Code § 9-205(b)", cites(c))
    assert outcomes(case("dop", EFF, convictions=VSC)) == {"hold": "prohibited"}
    assert run(c).law.sources == ["LL 226/2017"]


def test_b_example_24_warrant_and_recent_vsc() -> None:
    assert outcomes(case("dop", "2018-05-01", arrest="2018-03-15", jw=True, convictions=VSC)) == {"hold": "permitted"}


def test_b_example_24_without_warrant() -> None:
    assert outcomes(case("dop", "2018-05-01", arrest="2018-03-15", convictions=VSC)) == {"hold": "prohibited"}


def test_b_9_205_has_no_notification_rule_before_10_178() -> None:
    """§ 9-205 regulates only holding; before § 10-178 nothing governs a release notice."""
    notice = run(case("dop", "2018-01-29")).actions.get("notify_release")
    assert notice is None or notice.outcome.value == "not_governed"


def test_b_dop_detainer_engages_only_the_hold_register_dop_1() -> None:
    """§ 9-205(b) speaks only of honoring a detainer "by holding a person": the pack reads a
    Probation detainer as engaging the hold alone and says so (register DOP-1)."""
    c = case("dop", "2018-01-30")
    assert outcomes(c) == {"hold": "prohibited"}
    assert "DOP-1" in notes(c)


@pytest.mark.parametrize("admin", ["I-200", "I-205"])
def test_b1_administrative_warrant_does_not_suffice(admin: str) -> None:
    assert outcomes(case("dop", "2018-05-01", arrest="2018-03-15", admin=admin, convictions=VSC)) == {
        "hold": "prohibited"}


def test_b1_warrant_after_the_detainer_does_not_suffice_e8() -> None:
    c = case("dop", "2018-05-01T10:00", arrest="2018-03-15", jw_at="2018-05-01T12:00", convictions=VSC)
    assert outcomes(c) == {"hold": "prohibited"}
    assert "E-8" in notes(c)


def test_b2_b_terrorist_match_with_warrant() -> None:
    assert outcomes(case("dop", "2018-05-01", jw=True, terrorist_screening_match=True)) == {"hold": "permitted"}


def test_b2_a_judicial_warrant_alone_not_enough() -> None:
    assert outcomes(case("dop", "2018-05-01", jw=True)) == {"hold": "prohibited"}


def test_b2_a_old_vsc_outside_five_years() -> None:
    c = case("dop", "2018-05-01", arrest="2018-03-15", jw=True, convictions=[conv("PL 120.25", "2013-03-15")])
    assert outcomes(c) == {"hold": "prohibited"}


def test_b2_a_pending_charge_not_a_conviction_e16() -> None:
    c = case("dop", "2018-05-01", jw=True, cases=[pending(charge("PL 125.25", "felony"))])
    assert outcomes(c) == {"hold": "prohibited"}


def test_b_permission_survives_10_178_e14() -> None:
    c = case("dop", "2018-05-01", arrest="2018-03-15", jw=True, convictions=VSC)
    assert "E-14" in notes(c)
    assert cited("NYC Admin. Code § 9-205(b)", cites(c))


def test_ll63_2026_unchanged() -> None:
    for d in (day_before("2026-01-29"), "2026-01-29"):
        assert outcomes(case("dop", d, jw=True, convictions=[conv("PL 120.25", "2024-01-01")])) == {"hold": "permitted"}
        assert outcomes(case("dop", d)) == {"hold": "prohibited"}
    assert "LL 63/2026" in run(case("dop", "2026-01-29")).law.sources


def test_a_criminal_warrant_not_a_civil_detainer() -> None:
    assert outcomes(case("dop", "2018-05-01", "criminal_warrant", purpose="criminal_other")) == {
        "honor_criminal_warrant": "not_governed"}


def test_information_not_governed_by_9_205_before_10_178() -> None:
    assert outcomes(case("dop", "2018-01-29", "information", info="other")) == {"share_information": "not_governed"}

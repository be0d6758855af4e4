"""NYC Admin. Code § 9-205 (LL 226/2017; Probation; in force 2017-12-01).

(b): DOP "may only honor a civil immigration detainer by holding a person if" 1. a
judicial warrant is presented at the time the detainer is presented, and 2. the person
has a recent VSC judgment or is a possible terrorist-list match. Terms are those of
§ 9-131(a). No notification or information rule (reference § 4): a Probation release
notice on a detainer is left to § 10-178 (register DOP-1)."""

from __future__ import annotations

import pytest

from builders import case, charge, cited, cites, conv, day_before, notes, outcomes, pending, run
from detainerlaw.laws.nyc.case import Case

EFF = "2017-12-01"


def hold(c: Case) -> str:
    return outcomes(c)["hold"]
VSC = [conv("PL 120.25", "2015-03-01", sentence="probation")]


def test_b_not_in_force_day_before_2017_12_01() -> None:
    assert hold(case("dop", day_before(EFF), jw=True, convictions=VSC)) == "not_governed"
    assert hold(case("dop", day_before(EFF))) == "not_governed"


def test_b_in_force_2017_12_01() -> None:
    c = case("dop", EFF, jw=True, convictions=VSC)
    assert hold(c) == "permitted"
    assert cited("NYC Admin. Code § 9-205(b)", cites(c))
    assert hold(case("dop", EFF, convictions=VSC)) == "prohibited"
    assert run(c).law.sources == ["LL 226/2017"]


def test_b_example_24_warrant_and_recent_vsc() -> None:
    assert hold(case("dop", "2018-05-01", arrest="2018-03-15", jw=True, convictions=VSC)) == "permitted"


def test_b_example_24_without_warrant() -> None:
    assert hold(case("dop", "2018-05-01", arrest="2018-03-15", convictions=VSC)) == "prohibited"


def test_b_detainer_engages_hold_and_notice_for_probation_too() -> None:
    """Data contract: a detainer engages ``hold`` and ``notify_release`` for every agency."""
    assert set(outcomes(case("dop", "2016-05-01"))) == {"hold", "notify_release"}
    assert outcomes(case("dop", day_before(EFF))) == {"hold": "not_governed", "notify_release": "not_governed"}


def test_b_release_notice_not_governed_by_9_205_before_10_178_register_dop_1() -> None:
    """§ 9-205(b) speaks only of honoring a detainer "by holding a person": between 2017-12-01
    and 2018-01-29 nothing governs a Probation release notice (register DOP-1)."""
    c = case("dop", "2018-01-29", jw=True, arrest="2018-01-01", convictions=VSC)
    assert outcomes(c) == {"hold": "permitted", "notify_release": "not_governed"}
    assert "DOP-1" in notes(c)


@pytest.mark.parametrize("with_grounds", [False, True])
def test_b_release_notice_decided_by_10_178_c_from_2018_01_30(with_grounds: bool) -> None:
    """From 2018-01-30 § 10-178(c) governs the notice; § 9-205 permits no notice, so (e)(ii)
    does not save it, even when the hold itself is permitted."""
    kw = {"jw": True, "arrest": "2018-01-15", "convictions": VSC} if with_grounds else {}
    c = case("dop", "2018-01-30", **kw)
    assert outcomes(c)["notify_release"] == "prohibited"
    assert cited("NYC Admin. Code § 10-178(c)", cites(c, "notify_release"))
    assert hold(c) == ("permitted" if with_grounds else "prohibited")


def test_b_release_notice_saved_when_required_by_law_10_178_e() -> None:
    c = case("dop", "2019-05-01", required_by_law=True)
    assert outcomes(c)["notify_release"] == "permitted"


@pytest.mark.parametrize("admin", ["I-200", "I-205"])
def test_b1_administrative_warrant_does_not_suffice(admin: str) -> None:
    assert hold(case("dop", "2018-05-01", arrest="2018-03-15", admin=admin, convictions=VSC)) == "prohibited"


def test_b1_warrant_after_the_detainer_does_not_suffice_e8() -> None:
    c = case("dop", "2018-05-01T10:00", arrest="2018-03-15", jw_at="2018-05-01T12:00", convictions=VSC)
    assert hold(c) == "prohibited"
    assert "E-8" in notes(c)


def test_b2_b_terrorist_match_with_warrant() -> None:
    assert hold(case("dop", "2018-05-01", jw=True, terrorist_screening_match=True)) == "permitted"


def test_b2_a_judicial_warrant_alone_not_enough() -> None:
    assert hold(case("dop", "2018-05-01", jw=True)) == "prohibited"


def test_b2_a_old_vsc_outside_five_years() -> None:
    c = case("dop", "2018-05-01", arrest="2018-03-15", jw=True, convictions=[conv("PL 120.25", "2013-03-15")])
    assert hold(c) == "prohibited"


def test_b2_a_pending_charge_not_a_conviction_e16() -> None:
    c = case("dop", "2018-05-01", jw=True, cases=[pending(charge("PL 125.25", "felony"))])
    assert hold(c) == "prohibited"


def test_b_permission_survives_10_178_e14() -> None:
    c = case("dop", "2018-05-01", arrest="2018-03-15", jw=True, convictions=VSC)
    assert "E-14" in notes(c)
    assert cited("NYC Admin. Code § 9-205(b)", cites(c))


def test_ll63_2026_unchanged() -> None:
    for d in (day_before("2026-01-29"), "2026-01-29"):
        assert hold(case("dop", d, jw=True, convictions=[conv("PL 120.25", "2024-01-01")])) == "permitted"
        assert hold(case("dop", d)) == "prohibited"
    assert "LL 63/2026" in run(case("dop", "2026-01-29")).law.sources


def test_a_criminal_warrant_not_a_civil_detainer() -> None:
    assert outcomes(case("dop", "2018-05-01", "criminal_warrant", purpose="criminal_other")) == {
        "honor_criminal_warrant": "not_governed"}


def test_information_not_governed_by_9_205_before_10_178() -> None:
    assert outcomes(case("dop", "2018-01-29", "information", info="other")) == {"share_information": "not_governed"}

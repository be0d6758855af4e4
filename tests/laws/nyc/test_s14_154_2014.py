"""NYC Admin. Code § 14-154 as rewritten by LL 59/2014 (NYPD; from 2014-12-14; LL 63/2026
from 2026-01-29).

(b)(1): NYPD may honor a detainer (hold or notice) only with a judicial warrant presented
with it and a recent VSC judgment or terrorist-list match. (b)(2): notwithstanding (b)(1)
NYPD may hold "for up to forty-eight hours, excluding Saturdays, Sundays and holidays" a
person who (A) has ever been convicted of a VSC and illegally re-entered after removal,
or (B) is a possible terrorist-list match; if no judicial warrant is presented within
that period the person is released and ICE is not told. Holidays are US federal holidays,
observed dates (E-9); the window starts at decided_at.
"""

from __future__ import annotations

import datetime as dt

import pytest

from builders import case, charge, cited, cites, conv, day_before, jail, notes, outcomes, pending, run

EFF = "2014-12-14"
LL63 = "2026-01-29"
BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}
LIMITED = {"hold": "permitted", "notify_release": "prohibited"}
RAPE_2001 = [conv("PL 130.35", "2001-06-01")]


def reentry(decided: str, **kw):
    """Worked example 17's person: a VSC judgment long ago, removed, re-entered unlawfully."""
    kw.setdefault("arrest", decided[:10])
    return case("nypd", decided, convictions=RAPE_2001, jails=[jail("2001-06-01", "2009-06-01")],
                final_order_of_removal=True, reentered_after_removal=True, **kw)


def until(c) -> dt.datetime | None:
    return run(c).actions["hold"].until


# -- (b)(1) ----------------------------------------------------------------------


def test_b1_judicial_warrant_and_recent_vsc() -> None:
    c = case("nypd", "2019-05-01", arrest="2019-04-30", jw=True, convictions=[conv("PL 265.03", "2017-02-01")])
    assert outcomes(c) == BOTH_PERMITTED
    assert until(c) is None
    assert cited("NYC Admin. Code § 14-154(b)(1)", cites(c, "hold"))


def test_b1_admin_warrant_and_vsc_without_reentry_example_19() -> None:
    c = case("nypd", "2019-05-01", arrest="2019-04-30", admin="I-200", convictions=[conv("PL 265.03", "2017-02-01")])
    assert outcomes(c) == BOTH_PROHIBITED


def test_b1_terrorist_match_with_judicial_warrant() -> None:
    assert outcomes(case("nypd", "2016-01-05", jw=True, terrorist_screening_match=True)) == BOTH_PERMITTED


@pytest.mark.parametrize("flag", ["final_order_of_removal", "gang_database_match", "outstanding_criminal_warrant"])
def test_b1_2013_circumstances_no_longer_suffice(flag: str) -> None:
    assert outcomes(case("nypd", EFF, jw=True, **{flag: True})) == BOTH_PROHIBITED


def test_effective_2014_12_14_day_before_is_2013_law() -> None:
    c_before = case("nypd", day_before(EFF), cases=[pending(charge("PL 160.10", "felony"))])
    c_on = case("nypd", EFF, cases=[pending(charge("PL 160.10", "felony"))])
    assert outcomes(c_before) == BOTH_PERMITTED
    assert outcomes(c_on) == BOTH_PROHIBITED
    assert "E-16" in notes(c_on)


# -- (b)(2) the 48-hour hold ---------------------------------------------------------


def test_b2_A_example_17_thursday_afternoon_to_monday() -> None:
    c = reentry("2016-03-10T14:00", arrest="2016-03-09", admin="I-205")
    assert outcomes(c) == LIMITED
    assert until(c) == dt.datetime(2016, 3, 14, 14, 0)
    assert cited("NYC Admin. Code § 14-154(b)(2)", cites(c, "hold"))
    assert "E-9" in notes(c)


def test_b2_starts_on_2014_12_14() -> None:
    assert outcomes(reentry(day_before(EFF) + "T10:00"))["hold"] == "permitted"
    assert until(reentry(day_before(EFF) + "T10:00")) is None  # 2013 law: final order, no time limit
    c = reentry("2014-12-15T10:00")  # Monday
    assert outcomes(c) == LIMITED
    assert until(c) == dt.datetime(2014, 12, 17, 10, 0)


@pytest.mark.parametrize(
    "start,end",
    [
        ("2016-03-07T08:00", "2016-03-09T08:00"),  # Mon, no excluded day
        ("2016-05-27T14:00", "2016-06-01T14:00"),  # Friday before Memorial Day (Mon 30 May)
        ("2015-12-24T10:00", "2015-12-29T10:00"),  # Christmas Friday 25 Dec, then weekend
        ("2016-12-23T09:00", "2016-12-28T09:00"),  # Christmas on Sunday, observed Mon 26 Dec
        ("2016-03-12T10:00", "2016-03-16T00:00"),  # window starts on a Saturday
        ("2016-03-13T23:00", "2016-03-16T00:00"),  # ... or late on a Sunday
        ("2015-07-02T12:00", "2015-07-07T12:00"),  # Independence Day Sat, observed Fri 3 July
        ("2016-11-23T09:00", "2016-11-28T09:00"),  # Thanksgiving Thursday (the Friday counts)
        ("2022-06-17T12:00", "2022-06-22T12:00"),  # Juneteenth Sun, observed Mon 20 June
        ("2021-12-30T18:00", "2022-01-04T18:00"),  # New Year's Day Sat, observed Fri 31 Dec
        ("2016-03-10", "2016-03-12T00:00"),  # a bare date starts at midnight
    ],
)
def test_b2_48_hours_exclude_saturdays_sundays_and_federal_holidays(start: str, end: str) -> None:
    c = reentry(start)
    assert outcomes(c) == LIMITED
    assert until(c) == dt.datetime.fromisoformat(end)
    assert any(end[:10] in s or "release the person at" in s for s in run(c).actions["hold"].conditions)


def test_b2_B_terrorist_match_without_warrant() -> None:
    c = case("nypd", "2016-03-10T14:00", terrorist_screening_match=True)
    assert outcomes(c) == LIMITED
    assert until(c) == dt.datetime(2016, 3, 14, 14, 0)
    assert cited("NYC Admin. Code § 14-154(b)(2)", cites(c, "hold"))


def test_b2_A_requires_both_vsc_ever_and_reentry() -> None:
    no_reentry = case("nypd", "2016-03-10T14:00", arrest="2016-03-09", convictions=RAPE_2001)
    no_vsc = case("nypd", "2016-03-10T14:00", arrest="2016-03-09", reentered_after_removal=True,
                  convictions=[conv("PL 155.30", "2010-01-01")])
    assert outcomes(no_reentry) == BOTH_PROHIBITED
    assert outcomes(no_vsc) == BOTH_PROHIBITED


def test_a2_ever_clause_still_excludes_youthful_offender() -> None:
    c = case("nypd", "2016-03-10T14:00", arrest="2016-03-09", reentered_after_removal=True,
             convictions=[conv("PL 130.35", "2001-06-01", youthful_offender=True)])
    assert outcomes(c) == BOTH_PROHIBITED


def test_a2_ever_clause_needs_a_judgment_not_a_pending_charge() -> None:
    c = case("nypd", "2016-03-10T14:00", reentered_after_removal=True,
             cases=[pending(charge("PL 130.35", "felony"))])
    assert outcomes(c) == BOTH_PROHIBITED


# -- (b)(2) proviso: a judicial warrant inside or after the window -------------------


@pytest.mark.parametrize(
    "jw_at",
    ["2016-03-10T15:00", "2016-03-12T11:00", "2016-03-14T13:59", "2016-03-14T14:00"],
    ids=["same-day", "on-the-saturday", "last-minute", "at-the-end"],
)
@pytest.mark.parametrize("with_flag", [False, True])
def test_b2_proviso_judicial_warrant_inside_window_permits_transfer_e9b(jw_at: str, with_flag: bool) -> None:
    c = reentry("2016-03-10T14:00", arrest="2016-03-09", jw=with_flag, jw_at=jw_at)
    assert outcomes(c) == BOTH_PERMITTED
    assert until(c) is None
    assert "E-9b" in notes(c)


@pytest.mark.parametrize("jw_at", ["2016-03-14T14:01", "2016-03-15T09:00"])
def test_b2_proviso_judicial_warrant_after_window_release_and_no_notice(jw_at: str) -> None:
    c = reentry("2016-03-10T14:00", arrest="2016-03-09", jw_at=jw_at)
    assert outcomes(c) == LIMITED
    assert until(c) == dt.datetime(2016, 3, 14, 14, 0)


def test_b2_proviso_window_across_memorial_day_warrant_on_tuesday() -> None:
    """Fri 2016-05-27 14:00: the window runs to Wed 2016-06-01 14:00, so a warrant on
    Tuesday 31 May (after 72 clock hours) is still inside it."""
    c = reentry("2016-05-27T14:00", jw_at="2016-05-31T16:00")
    assert outcomes(c) == BOTH_PERMITTED
    late = reentry("2016-05-27T14:00", jw_at="2016-06-01T14:30")
    assert outcomes(late) == LIMITED


def test_b2_proviso_warrant_with_detainer_but_vsc_outside_window_e9() -> None:
    """Example 17 variant: the judicial warrant comes with the detainer but the VSC is not
    recent, so (b)(1) fails; the (b)(2) proviso permits turnover (register E-9)."""
    c = reentry("2016-03-10T14:00", arrest="2016-03-09", jw=True)
    assert outcomes(c) == BOTH_PERMITTED
    assert until(c) is None


def test_ll63_2026_48_hour_exception_survives() -> None:
    for d in (day_before(LL63) + "T10:00", LL63 + "T10:00"):
        assert outcomes(reentry(d)) == LIMITED
    assert "LL 63/2026" in run(reentry(LL63 + "T10:00")).law.sources
    # 2026-01-29 is a Thursday: Thu 14 h + Fri 24 h + Mon 10 h
    assert until(reentry(LL63 + "T10:00")) == dt.datetime(2026, 2, 2, 10, 0)


def test_b_no_information_rule_in_14_154_before_10_178() -> None:
    assert outcomes(case("nypd", "2016-01-05", "information")) == {"share_information": "not_governed"}


@pytest.mark.parametrize("purpose", ["criminal_immigration", "criminal_other"])
def test_a1_b2_48_hour_hold_on_a_287_7_detainer_whatever_its_purpose(purpose: str) -> None:
    """(a)(1): the detainer is civil by definition, so (b)(2)'s 48-hour hold applies to a
    person with a VSC judgment who re-entered after removal, whatever purpose ICE states."""
    c = case("nypd", "2016-03-10T14:00", arrest="2016-03-09", purpose=purpose,
             convictions=[conv("PL 130.35", "2014-06-01")], reentered_after_removal=True)
    assert outcomes(c) == LIMITED
    assert run(c).actions["hold"].until == dt.datetime(2016, 3, 14, 14, 0)

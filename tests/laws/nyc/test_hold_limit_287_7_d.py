"""How long a permitted hold lasts: a detainer asks for at most 48 hours, not counting
Saturdays, Sundays and holidays, after the person would otherwise be released (8 C.F.R.
287.7(d), register E-9c). By default a condition of the hold; the parameter
detainer_hold_limit_as_until reports its end as `until` (with "{until}" filled in)."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import case, conv, jail
from detainerlaw.decide import decide
from detainerlaw.engine.pack import Reform

UNTIL = Reform(name="hold-until", params={"detainer_hold_limit_as_until": True})
CFR = "8 C.F.R. 287.7(d)"
RAPE_2001 = [conv("PL 130.35", "2001-06-01")]


def _cases() -> dict[str, object]:
    """One permitted hold per version (decided Friday 2016-03-11 14:00 where dates allow)."""
    return {
        "doc-2011": case("doc", "2012-06-01T14:00", final_order_of_removal=True),
        "nypd-2013": case("nypd", "2014-03-07T14:00", outstanding_criminal_warrant=True),
        "doc-2013": case("doc", "2014-03-07T14:00", gang_database_match=True),
        "doc-2014": case("doc", "2016-03-11T14:00", jw=True, convictions=[conv("PL 160.10", "2015-01-01")]),
        "dop-2017": case("dop", "2019-03-08T14:00", jw=True, convictions=[conv("PL 160.10", "2018-01-01")]),
        "nypd-2014-b1": case("nypd", "2016-03-11T14:00", jw=True, convictions=[conv("PL 160.10", "2015-01-01")]),
    }


ENDS = {  # Friday 14:00 + 48 counting hours (Saturday and Sunday skipped) = Tuesday 14:00
    "doc-2011": dt.datetime(2012, 6, 5, 14, 0),
    "nypd-2013": dt.datetime(2014, 3, 11, 14, 0),
    "doc-2013": dt.datetime(2014, 3, 11, 14, 0),
    "doc-2014": dt.datetime(2016, 3, 15, 14, 0),
    "dop-2017": dt.datetime(2019, 3, 12, 14, 0),
    "nypd-2014-b1": dt.datetime(2016, 3, 15, 14, 0),
}


@pytest.mark.parametrize("name", sorted(ENDS))
def test_permitted_hold_carries_the_287_7_d_limit_as_a_condition(name: str) -> None:
    d = decide(_cases()[name])
    hold = d.actions["hold"]
    assert hold.outcome.value == "permitted"
    assert hold.until is None  # data contract v2: `until` is the NYPD window's
    assert CFR in hold.citations
    assert any("48 hours" in t and CFR in t for t in hold.conditions)
    assert "E-9c" in [n.code for n in d.notes]
    assert CFR not in d.actions["notify_release"].citations


@pytest.mark.parametrize("name", sorted(ENDS))
def test_permitted_hold_ends_after_48_counting_hours_as_until(name: str) -> None:
    hold = decide(_cases()[name], reform=UNTIL).actions["hold"]
    assert hold.outcome.value == "permitted"
    assert hold.until == ENDS[name]
    assert any(ENDS[name].isoformat(timespec="minutes") in t for t in hold.conditions)


def test_hold_across_a_federal_holiday_287_7_d() -> None:
    """Friday 2016-05-27 14:00 before Memorial Day: the count skips Saturday to Monday."""
    c = case("doc", "2016-05-27T14:00", jw=True, convictions=[conv("PL 160.10", "2015-01-01")])
    assert decide(c, reform=UNTIL).actions["hold"].until == dt.datetime(2016, 6, 1, 14, 0)


def test_prohibited_hold_has_no_limit() -> None:
    d = decide(case("doc", "2016-03-11T14:00"), reform=UNTIL)
    assert d.actions["hold"].outcome.value == "prohibited"
    assert d.actions["hold"].until is None


def test_nypd_b2_window_keeps_its_own_until() -> None:
    """§ 14-154(b)(2): without a judicial warrant the window of (b)(2) ends the hold."""
    c = case("nypd", "2016-03-10T14:00", arrest="2016-03-09", convictions=RAPE_2001,
             jails=[jail("2001-06-01", "2009-06-01")], reentered_after_removal=True)
    assert decide(c).actions["hold"].until == dt.datetime(2016, 3, 14, 14, 0)

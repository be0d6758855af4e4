"""8 C.F.R. 287.7: a detainer is a request (a), and the custody it asks for ends 48 hours,
excluding Saturdays, Sundays and holidays, after the person would otherwise be released (d)."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import case
from detainerlaw.laws.nyc import us_pack
from laws.layered import codes, decided, layer


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_287_7_a_detainer_is_a_request_permitted_never_required(agency: str) -> None:
    d = decided(case(agency, "2016-06-01T14:00", admin="I-200"))
    assert layer(d, "hold", "us") == "permitted"
    assert layer(d, "notify_release", "us") == "permitted"
    assert "8 C.F.R. 287.7(a)" in d.actions["notify_release"].by_layer["us"].citations


@pytest.mark.parametrize(("decided_at", "end"), [
    ("2016-06-03T14:00", dt.datetime(2016, 6, 7, 14, 0)),  # a Friday: the weekend does not count
    ("2016-06-01T14:00", dt.datetime(2016, 6, 3, 14, 0)),  # a Wednesday
    ("2016-07-01T09:00", dt.datetime(2016, 7, 6, 9, 0)),  # Friday before Independence Day (Monday)
])
def test_287_7_d_hold_ends_48_hours_excluding_weekends_and_holidays(decided_at: str, end: dt.datetime) -> None:
    d = decided(case("doc", decided_at))
    assert d.actions["hold"].by_layer["us"].until == end
    assert "US-287" in codes(d)


def test_287_7_d_permitted_city_hold_takes_the_federal_end() -> None:
    """DOC may hold with a judicial warrant and a recent VSC conviction (§ 9-131(b)(1)); combined, the
    hold ends where 287.7(d) ends it."""
    c = case("doc", "2016-06-03T14:00", jw=True, terrorist_screening_match=True)
    d = decided(c)
    assert d.actions["hold"].outcome.value == "permitted"
    assert d.actions["hold"].until == dt.datetime(2016, 6, 7, 14, 0)


def test_287_7_request_of_another_federal_agency_for_a_crime_is_outside() -> None:
    d = decided(case("doc", "2016-06-01", requester="other_federal", purpose="criminal_other"))
    assert layer(d, "hold", "us") == "not_governed"


def test_287_7_in_force_from_its_1997_text() -> None:
    ids = lambda day: {r.id for r in us_pack().snapshot(day, "doc").rules()}  # noqa: E731
    assert "us.287.7.hold" not in ids(dt.date(1997, 3, 31))
    assert {"us.287.7.hold", "us.287.7.notify"} <= ids(dt.date(1997, 4, 1))

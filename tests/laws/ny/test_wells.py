"""People ex rel. Wells v. DeMarco (2d Dep't 2018-11-14): holding a person past release for
federal civil immigration enforcement is an arrest New York law does not authorize."""

from __future__ import annotations

import pytest

from builders import case
from detainerlaw.engine.pack import Reform
from laws.layered import codes, combined, decided, layer

WELLS = "People ex rel. Wells v. DeMarco, 168 A.D.3d 31 (2d Dep't 2018)"


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_wells_hold_on_detainer_and_administrative_warrant_prohibited_from_2018_11_14(agency: str) -> None:
    d = decided(case(agency, "2018-11-14T10:00", admin="I-205"))
    assert layer(d, "hold", "ny") == "prohibited"
    assert combined(d, "hold") == "prohibited"
    assert WELLS in d.actions["hold"].citations


def test_wells_q_w4_not_governed_the_day_before() -> None:
    d = decided(case("nypd", "2018-11-13T10:00", admin="I-205"))
    assert layer(d, "hold", "ny") == "not_governed"
    assert "Q-W4" in codes(d)


def test_wells_q_w4_flipped_reaches_earlier_holds() -> None:
    d = decided(case("nypd", "2017-06-01T10:00"), Reform("retroactive", params={"wells_from": "2016-12-02"},
                                                          layer="ny"))
    assert layer(d, "hold", "ny") == "prohibited"


def test_wells_q_w1_a_judicial_warrant_supplies_the_authority() -> None:
    d = decided(case("doc", "2021-03-02T10:00", jw=True))
    assert layer(d, "hold", "ny") == "permitted"
    assert "Q-W1" in codes(d)
    flipped = decided(case("doc", "2021-03-02T10:00", jw=True),
                      Reform("no authority", params={"judicial_warrant_supplies_authority": False}, layer="ny"))
    assert layer(flipped, "hold", "ny") == "prohibited"


@pytest.mark.parametrize(("jw_at", "outcome"), [("2021-03-02T08:00", "permitted"), ("2021-03-02T15:00", "prohibited")])
def test_wells_q_w1b_a_warrant_after_release_time_does_not_cure_the_wait(jw_at: str, outcome: str) -> None:
    d = decided(case("nypd", "2021-03-02T10:00", jw_at=jw_at))
    assert layer(d, "hold", "ny") == outcome
    assert ("Q-W1b" in codes(d)) is (outcome == "prohibited")


def test_wells_overrides_the_nypd_48_hour_hold_of_14_154_b_2() -> None:
    c = case("nypd", "2022-03-10T14:00", admin="I-205", terrorist_screening_match=True)
    d = decided(c)
    assert layer(d, "hold", "nyc") == "permitted"
    assert combined(d, "hold") == "prohibited"


def test_wells_q_n1_a_release_notice_is_not_governed() -> None:
    d = decided(case("doc", "2021-03-02"))
    assert layer(d, "notify_release", "ny") == "not_governed"
    assert "Q-N1" in codes(d)
    flipped = decided(case("doc", "2021-03-02"),
                      Reform("notice is custody", params={"wells_reaches_notification": True}, layer="ny"))
    assert layer(flipped, "notify_release", "ny") == "prohibited"


def test_wells_a_federal_detainer_for_an_ordinary_crime_is_outside() -> None:
    d = decided(case("doc", "2021-03-02", requester="other_federal", purpose="criminal_other"))
    assert layer(d, "hold", "ny") == "not_governed"

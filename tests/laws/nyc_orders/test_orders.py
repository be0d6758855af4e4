"""The Mayor's executive orders as the ``nyc-orders`` layer: EO 41 of 2003 (confidentiality of
immigration status, displaced by 8 U.S.C. § 1373: register Q-F3) and EO 13 of 2026 (as reported:
register EO13-1)."""

from __future__ import annotations

from detainerlaw import facade
from detainerlaw.engine.pack import Reform
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc_orders.register import REGISTER
from laws.layered import codes, decided, layer


def info(kind: str, day: str, **more: object) -> Case:
    return Case.model_validate({"agency": "nypd", "decided_at": day,
                                "request": {"kind": "information", "information": kind, **more}})


def test_orders_layer_stacked_last() -> None:
    assert [lay.id for lay, _ in facade.place().stack()][-1] == "nyc-orders"


def test_eo_41_status_confidential_but_displaced_by_1373() -> None:
    d = decided(info("immigration_status", "2010-01-01"))
    assert layer(d, "share_information", "nyc-orders") == "prohibited"
    assert d.actions["share_information"].outcome.value == "permitted"
    assert "Q-F3" in codes(d)
    assert layer(decided(info("immigration_status", "2003-09-16")), "share_information", "nyc-orders") == "not_governed"


def test_eo_41_criminal_investigation_exception_flippable() -> None:
    d = decided(info("immigration_status", "2010-01-01", purpose="criminal_other"))
    assert layer(d, "share_information", "nyc-orders") == "permitted"
    off = Reform("no exception", params={"eo41_criminal_investigation_exception": False}, layer="nyc-orders")
    d = decided(info("immigration_status", "2010-01-01", purpose="criminal_other"), off)
    assert layer(d, "share_information", "nyc-orders") == "prohibited"


def test_eo_13_no_sharing_with_immigration_authorities_from_2026_02_06() -> None:
    assert layer(decided(info("release_date", "2026-02-05")), "share_information", "nyc-orders") == "not_governed"
    d = decided(info("release_date", "2026-02-06"))
    assert layer(d, "share_information", "nyc-orders") == "prohibited"
    assert "EO13-1" in codes(d)
    assert layer(decided(info("release_date", "2026-03-01", required_by_law=True)), "share_information",
                 "nyc-orders") == "permitted"
    unread = Reform("EO 13 unread", params={"eo13_read_as_reported": False}, layer="nyc-orders")
    assert layer(decided(info("release_date", "2026-03-01"), unread), "share_information",
                 "nyc-orders") == "not_governed"


def test_eo_13_access_needs_a_judicial_warrant() -> None:
    def access(**more: object) -> Case:
        return Case.model_validate({"agency": "doc", "decided_at": "2026-03-01",
                                    "request": {"kind": "facility_access", **more}})

    assert layer(decided(access()), "facility_access", "nyc-orders") == "prohibited"
    assert layer(decided(access(access_warrant=True)), "facility_access", "nyc-orders") == "permitted"


def test_eo_50_stays_in_the_city_pack() -> None:
    assert "EO-50" in REGISTER and "9-131(h)(2)" in REGISTER["EO-50"]

"""VTL § 201(12) (the Green Light law, from 2019-12-14; agencies receiving DMV records from
2020-01-11, register Q-G2): no DMV records to an immigration enforcement agency without an
Article III judge's warrant or a court order."""

from __future__ import annotations

from detainerlaw.engine.pack import Reform
from detainerlaw.laws.nyc.case import Case
from laws.layered import codes, decided, layer

ACT = "share_information"


def dmv(day: str = "2024-03-01", **request: object) -> Case:
    req = {"kind": "information", "information": "other", "dmv_records": True, **request}
    return Case.model_validate({"agency": "nypd", "decided_at": day, "request": req})


def test_vtl_201_12_dmv_records_to_ice_prohibited() -> None:
    d = decided(dmv())
    assert layer(d, ACT, "ny") == "prohibited"
    assert d.actions[ACT].outcome.value == "prohibited"
    assert "N.Y. Veh. & Traf. Law § 201(12)" in d.actions[ACT].citations


def test_vtl_201_12_not_dmv_records_not_governed() -> None:
    assert layer(decided(dmv(dmv_records=False)), ACT, "ny") == "not_governed"


def test_q_g1_agency_test_reaches_a_criminal_case() -> None:
    d = decided(dmv(purpose="criminal_other"))
    assert layer(d, ACT, "ny") == "prohibited"
    assert "Q-G1" in codes(d)


def test_q_g2_recipient_agencies_bound_from_2020_01_11() -> None:
    assert layer(decided(dmv("2020-01-10")), ACT, "ny") == "not_governed"
    assert layer(decided(dmv("2020-01-11")), ACT, "ny") == "prohibited"
    earlier = Reform("from the statute", params={"green_light_recipients_from": "2019-12-14"}, layer="ny")
    assert layer(decided(dmv("2020-01-10"), earlier), ACT, "ny") == "prohibited"


def test_q_g3_court_order_or_article_iii_warrant_permits() -> None:
    assert layer(decided(dmv(judicial_order_issuer="article_iii")), ACT, "ny") == "permitted"
    assert layer(decided(dmv(judicial_order_issuer="state_judge")), ACT, "ny") == "permitted"
    assert layer(decided(dmv(judicial_order_issuer="ice_officer")), ACT, "ny") == "prohibited"
    narrow = Reform("Article III only", params={"green_light_issuers": ["article_iii"]}, layer="ny")
    assert layer(decided(dmv(judicial_order_issuer="state_judge"), narrow), ACT, "ny") == "prohibited"

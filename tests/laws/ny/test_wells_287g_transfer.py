"""People ex rel. Wells v. DeMarco beyond the detainer hold: 287(g) arrest and hold functions
(register Q-W2) and hand-overs at release (register Q-W3)."""

from __future__ import annotations

from detainerlaw.engine.pack import Reform
from detainerlaw.laws.nyc.case import Case
from laws.layered import codes, decided, layer


def request(kind: str, day: str = "2024-03-01", agency: str = "doc", **more: object) -> Case:
    return Case.model_validate({"agency": agency, "decided_at": day, "request": {"kind": kind, **more}})


def test_q_w2_287g_agreement_prohibited_by_wells() -> None:
    d = decided(request("agreement_287g"))
    assert layer(d, "agreement_287g", "ny") == "prohibited"
    assert "Q-W2" in codes(d)
    assert layer(decided(request("agreement_287g", "2018-11-13")), "agreement_287g", "ny") == "not_governed"
    flipped = Reform("287(g) supplies authority", params={"agreement_287g_supplies_authority": True}, layer="ny")
    assert layer(decided(request("agreement_287g"), flipped), "agreement_287g", "ny") == "not_governed"


def test_q_w3_hand_over_without_delay_permitted_with_delay_prohibited() -> None:
    assert layer(decided(request("transfer")), "transfer_at_release", "ny") == "permitted"
    late = decided(request("transfer", delay_minutes=30))
    assert layer(late, "transfer_at_release", "ny") == "prohibited"
    assert "Q-W3" in codes(late)
    assert layer(decided(request("transfer", delay_minutes=30, judicial_warrant=True)), "transfer_at_release",
                 "ny") == "permitted"
    every = Reform("every hand-over an arrest", params={"handover_without_delay_permitted": False}, layer="ny")
    assert layer(decided(request("transfer"), every), "transfer_at_release", "ny") == "prohibited"


def test_q_w4_hand_over_before_wells_not_governed() -> None:
    assert layer(decided(request("transfer", "2018-11-13", delay_minutes=30)), "transfer_at_release",
                 "ny") == "not_governed"

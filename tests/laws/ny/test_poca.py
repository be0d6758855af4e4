"""Civil Rights Law § 28 (Protect Our Courts Act, from 2020-12-15): no civil arrest, executed or
assisted, of a person going to, at or returning from court without a judge's warrant or order."""

from __future__ import annotations

from detainerlaw.engine.pack import Reform
from detainerlaw.laws.nyc.case import Case
from laws.layered import codes, decided, layer

ACT = "courthouse_civil_arrest"


def arrest(day: str = "2024-03-01", *, attendance: str | None = "at", role: str | None = "party",
           **request: object) -> Case:
    person = {k: v for k, v in (("court_attendance", attendance), ("court_role", role)) if v}
    return Case.model_validate({"agency": "nypd", "decided_at": day,
                                "request": {"kind": "courthouse_arrest", "assist": True, **request},
                                "person": person})


def test_crl_28_assisting_a_civil_arrest_at_court_is_prohibited() -> None:
    d = decided(arrest())
    assert layer(d, ACT, "ny") == "prohibited"
    assert "N.Y. Civ. Rights Law § 28(2)" in d.actions[ACT].by_layer["ny"].citations


def test_crl_28_in_force_from_2020_12_15() -> None:
    assert layer(decided(arrest("2020-12-14")), ACT, "ny") == "not_governed"
    assert layer(decided(arrest("2020-12-15")), ACT, "ny") == "prohibited"


def test_crl_28_1_covers_witnesses_and_family_going_to_and_returning() -> None:
    for role in ("potential_witness", "family_or_household"):
        for attendance in ("going_to", "returning_from"):
            assert layer(decided(arrest(role=role, attendance=attendance)), ACT, "ny") == "prohibited"


def test_crl_28_1_not_attending_court_not_governed() -> None:
    assert layer(decided(arrest(attendance=None)), ACT, "ny") == "not_governed"
    assert layer(decided(arrest(role=None)), ACT, "ny") == "not_governed"


def test_crl_28_1_arrest_for_a_criminal_prosecution_is_not_civil() -> None:
    assert layer(decided(arrest(purpose="criminal_immigration")), ACT, "ny") == "not_governed"


def test_q_p1_a_state_judge_s_order_lifts_the_privilege_an_immigration_judge_s_does_not() -> None:
    assert layer(decided(arrest(judicial_order_issuer="state_judge")), ACT, "ny") == "permitted"
    assert layer(decided(arrest(judicial_warrant=True)), ACT, "ny") == "permitted"
    for issuer in ("immigration_judge", "ice_officer"):
        d = decided(arrest(judicial_order_issuer=issuer))
        assert layer(d, ACT, "ny") == "prohibited"
        assert "Q-P1" in codes(d)
    narrow = Reform("article III only", params={"poca_judicial_issuers": ["article_iii"]}, layer="ny")
    assert layer(decided(arrest(judicial_order_issuer="state_judge"), narrow), ACT, "ny") == "prohibited"


def test_q_p2_returning_from_court_flippable() -> None:
    narrow = Reform("not returning", params={"poca_returning_from_covered": False}, layer="ny")
    assert layer(decided(arrest(attendance="returning_from"), narrow), ACT, "ny") == "not_governed"
    assert "Q-P2" in codes(decided(arrest(attendance="returning_from")))


def test_wells_executing_a_civil_arrest_at_court_is_prohibited_even_with_a_state_judge_s_order() -> None:
    d = decided(arrest(assist=False, judicial_order_issuer="state_judge"))
    assert layer(d, ACT, "ny") == "prohibited"
    assert d.actions[ACT].by_layer["ny"].citations == ["People ex rel. Wells v. DeMarco, 168 A.D.3d 31 (2d Dep't 2018)"]


def test_crl_28_with_10_178_c_combined_prohibited_and_federal_silent() -> None:
    d = decided(arrest())
    assert layer(d, ACT, "us") == "not_governed"
    assert layer(d, ACT, "nyc") == "prohibited"
    assert d.actions[ACT].outcome.value == "prohibited"


def test_crl_28_2_handing_over_a_person_returning_from_court_is_assisting() -> None:
    c = Case.model_validate({"agency": "doc", "decided_at": "2024-03-01", "request": {"kind": "transfer"},
                             "person": {"court_attendance": "returning_from", "court_role": "party"}})
    d = decided(c)
    assert layer(d, "transfer_at_release", "ny") == "prohibited"  # Wells alone would permit it (Q-W3)
    assert "N.Y. Civ. Rights Law § 28(2)" in d.actions["transfer_at_release"].by_layer["ny"].citations

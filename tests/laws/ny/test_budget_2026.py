"""The 2026 state budget's immigration provisions: not law as far as verified (register
Q-S1), noted in every decision on a civil immigration request they could change."""

from __future__ import annotations

from builders import case
from detainerlaw.engine.pack import Reform
from laws.layered import codes, decided, layer

ENACTED = Reform("budget enacted", params={"budget_2026_in_force": True}, layer="ny")


def test_q_s1_not_in_force_but_noted_from_assembly_passage() -> None:
    before = decided(case("nypd", "2026-05-20"))
    after = decided(case("nypd", "2026-05-21"))
    assert "Q-S1" not in codes(before)
    assert "Q-S1" in codes(after)
    assert layer(after, "notify_release", "ny") == "not_governed"


def test_q_s1_flipped_civil_cooperation_prohibited_unless_a_judge_s_warrant() -> None:
    assert layer(decided(case("nypd", "2026-06-01"), ENACTED), "notify_release", "ny") == "prohibited"
    assert layer(decided(case("nypd", "2026-06-01", jw=True), ENACTED), "notify_release", "ny") == "permitted"
    office = decided(case("doc", "2026-06-01", "office"), ENACTED)
    assert layer(office, "office", "ny") == "prohibited"

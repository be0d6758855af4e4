"""NYC Admin. Code § 10-178 (LL 228/2017, in force 2018-01-30; amended LL 63/2026).

(c) no city resources for immigration enforcement (civil INA provisions and the
presence/entry/re-entry offences); (e) nothing prohibits cooperation not primarily for
immigration enforcement, actions consistent with §§ 9-131, 9-205, 14-154, or compliance
with federal law (register E-14, E-17)."""

from __future__ import annotations

import pytest

from builders import case, cited, cites, conv, day_before, jail, notes, outcomes

EFF = "2018-01-30"
C = "NYC Admin. Code § 10-178(c)"


@pytest.mark.parametrize("agency", ["nypd", "dop"])
@pytest.mark.parametrize("info", ["release_date", "court_date", "incarceration_status", "other"])
def test_c_information_for_civil_enforcement_from_2018_01_30(agency: str, info: str) -> None:
    before = case(agency, day_before(EFF), "information", info=info)
    on = case(agency, EFF, "information", info=info)
    assert outcomes(before) == {"share_information": "not_governed"}
    assert outcomes(on) == {"share_information": "prohibited"}
    assert cited(C, cites(on))


def test_c_nypd_release_time_for_civil_removal_example_19() -> None:
    c = case("nypd", "2019-05-01", "information", arrest="2019-04-30", convictions=[conv("PL 265.03", "2017-02-01")])
    assert outcomes(c) == {"share_information": "prohibited"}


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_c_immigration_status_information_outside_e13(agency: str) -> None:
    c = case(agency, "2019-05-01", "information", info="immigration_status")
    assert outcomes(c) == {"share_information": "not_governed"}
    if agency == "doc":  # the register code names § 9-131(h)(1)'s carve-out
        assert "E-13" in notes(c)


@pytest.mark.parametrize("agency", ["nypd", "dop"])
def test_c_criminal_immigration_purpose_is_immigration_enforcement(agency: str) -> None:
    """(a): immigration enforcement includes the re-entry offences."""
    assert outcomes(case(agency, EFF, "information", purpose="criminal_immigration")) == {
        "share_information": "prohibited"}


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_e_i_cooperation_not_for_immigration_enforcement(agency: str) -> None:
    assert outcomes(case(agency, "2019-05-01", "information", purpose="criminal_other",
                         requester="other_federal")) == {"share_information": "not_governed"}


@pytest.mark.parametrize("agency", ["nypd", "dop"])
def test_e_complying_with_federal_law(agency: str) -> None:
    c = case(agency, "2019-05-01", "information", required_by_law=True)
    assert outcomes(c) == {"share_information": "permitted"}
    assert cited("NYC Admin. Code § 10-178(e)", cites(c))


def test_e_ii_nypd_48_hour_hold_stays_permitted() -> None:
    c = case("nypd", "2019-05-01T10:00", arrest="2019-04-30", convictions=[conv("PL 130.35", "2001-06-01")],
             jails=[jail("2001-06-01", "2009-06-01")], reentered_after_removal=True)
    assert outcomes(c) == {"hold": "permitted", "notify_release": "prohibited"}
    assert "E-14" in notes(c)
    assert cited("NYC Admin. Code § 14-154(b)(2)", cites(c, "hold"))


def test_e_ii_doc_hold_with_warrant_and_vsc_stays_permitted() -> None:
    c = case("doc", EFF, arrest=EFF, jw=True, convictions=[conv("PL 160.10", "2016-01-01")])
    assert outcomes(c) == {"hold": "permitted", "notify_release": "permitted"}
    assert cited("NYC Admin. Code § 9-131(b)(1)", cites(c, "hold"))


def test_c_criminal_warrant_for_immigration_offence() -> None:
    """E-17: a criminal warrant for an immigration offence is immigration enforcement under (a)."""
    for agency in ("doc", "nypd", "dop"):
        before = case(agency, day_before(EFF), "criminal_warrant", purpose="criminal_immigration")
        on = case(agency, EFF, "criminal_warrant", purpose="criminal_immigration")
        assert outcomes(on) == {"honor_criminal_warrant": "prohibited"}
        assert outcomes(before) in ({"honor_criminal_warrant": "not_governed"},)
        assert outcomes(case(agency, EFF, "criminal_warrant", purpose="criminal_other")) == {
            "honor_criminal_warrant": "not_governed"}


@pytest.mark.parametrize("agency", ["nypd", "dop"])
def test_c_office_space_for_immigration_enforcement(agency: str) -> None:
    assert outcomes(case(agency, day_before(EFF), "office")) == {"office": "not_governed"}
    assert outcomes(case(agency, EFF, "office")) == {"office": "prohibited"}


def test_a_2026_still_in_force() -> None:
    for d in (day_before("2026-01-29"), "2026-01-29"):
        assert outcomes(case("nypd", d, "information")) == {"share_information": "prohibited"}


def _explained_cites(c) -> set[str]:
    from detainerlaw.decide import decide

    out: set[str] = set()

    def walk(n) -> None:
        if n is None:
            return
        if n.citation:
            out.add(n.citation)
        for ch in n.because:
            walk(ch)

    for a in decide(c, explain=True).actions.values():
        walk(a.explanation)
    return out


@pytest.mark.parametrize("purpose", ["criminal_immigration", "criminal_other"])
def test_a_a_287_7_detainer_is_immigration_enforcement_whatever_its_purpose(purpose: str) -> None:
    """(a): a detainer asks to hold a person for arrest and removal under the INA's civil
    provisions; Probation's release notice on one is barred by (c) whatever purpose ICE states."""
    c = case("dop", "2019-05-01", purpose=purpose)
    assert outcomes(c) == {"hold": "prohibited", "notify_release": "prohibited"}
    assert cited(C, cites(c, "notify_release"))


@pytest.mark.parametrize("d,law", [(day_before("2026-01-29"), "LL 228/2017"), ("2026-01-29", "LL 63/2026")])
def test_a_immigration_enforcement_defined_by_the_law_in_force(d: str, law: str) -> None:
    """(a) as enacted (LL 228/2017) and as amended (LL 63/2026) are separate, dated definitions."""
    c = case("nypd", d, "information", purpose="criminal_immigration")
    assert outcomes(c) == {"share_information": "prohibited"}
    assert f"NYC Admin. Code § 10-178(a) ({law})" in _explained_cites(c)


@pytest.mark.parametrize("offence", ["registration_documents_supervision", "failure_to_depart_or_other_federal",
                                     "proxy"])
def test_a_2026_registration_offence_is_immigration_enforcement(offence: str) -> None:
    """LL 63/2026 adds other federal presence and failure-to-depart offences, the INA's
    registration, travel-document and supervision offences, and proxies: a request about
    one is outside (a) before 2026-01-29 and inside it from then on."""
    req = {"immigration_offence": offence}
    before = case("nypd", day_before("2026-01-29"), "information", purpose="criminal_immigration", request=req)
    on = case("nypd", "2026-01-29", "information", purpose="criminal_immigration", request=req)
    assert outcomes(before) == {"share_information": "not_governed"}
    assert outcomes(on) == {"share_information": "prohibited"}


@pytest.mark.parametrize("offence", [None, "presence_entry_reentry"])
def test_a_2017_presence_entry_reentry_offence_is_immigration_enforcement(offence: str | None) -> None:
    """LL 228/2017: the INA offences penalizing presence, entry and re-entry are within (a);
    a request that does not name its offence reads as one of them."""
    req = {"immigration_offence": offence} if offence else None
    for agency in ("nypd", "dop"):
        c = case(agency, "2019-05-01", "criminal_warrant", purpose="criminal_immigration", request=req)
        assert outcomes(c) == {"honor_criminal_warrant": "prohibited"}
        assert "NYC Admin. Code § 10-178(a) (LL 228/2017)" in _explained_cites(c)


def test_a_2017_criminal_warrant_for_registration_offence_not_governed() -> None:
    """LL 228/2017 reaches no registration or supervision offence: a criminal warrant for
    one is outside § 10-178 before 2026-01-29 (and, not being a civil detainer, outside
    § 9-131 too, E-17); from 2026-01-29 it is immigration enforcement."""
    req = {"immigration_offence": "registration_documents_supervision"}
    before = case("doc", "2025-06-01", "criminal_warrant", purpose="criminal_immigration", request=req)
    on = case("doc", "2026-02-01", "criminal_warrant", purpose="criminal_immigration", request=req)
    assert outcomes(before) == {"honor_criminal_warrant": "not_governed"}
    assert outcomes(on) == {"honor_criminal_warrant": "prohibited"}

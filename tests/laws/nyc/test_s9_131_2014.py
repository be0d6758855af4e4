"""NYC Admin. Code § 9-131 as amended by LL 58/2014 (from 2014-12-14; subd. (h) from
2015-02-12) and LL 63/2026 (from 2026-01-29).

(b)(1): DOC may honor a detainer (hold or release notice) only if (i) a judicial warrant
is presented with the detainer and (ii) the person has a recent VSC judgment or is a
possible terrorist-list match. (h)(1): no DOC resources to tell ICE about custody,
release or court dates or other information (not citizenship or immigration status)
unless (i) recent VSC / terrorist match, (ii) unrelated to civil immigration
enforcement, (iii) required by law. (h)(2): no ICE office on DOC land for civil
immigration investigations (mayoral EO proviso until 2026; for any purpose from 2026).
"""

from __future__ import annotations

import pytest

from builders import case, charge, cited, cites, conv, day_before, notes, outcomes, pending, run

EFF = "2014-12-14"
H = "2015-02-12"
LL63 = "2026-01-29"
BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}
VSC = [conv("PL 160.10", "2012-03-01")]


def doc(d: str, kind: str = "detainer", **kw) -> dict:
    kw.setdefault("arrest", d)
    return outcomes(case("doc", d, kind, **kw))


# -- (b)(1) -----------------------------------------------------------------


@pytest.mark.parametrize("d", [EFF, H, "2017-12-01", "2018-01-30", "2018-04-16", day_before(LL63), LL63])
def test_b1_judicial_warrant_and_recent_vsc_permits(d: str) -> None:
    c = case("doc", d, arrest=d, jw=True, convictions=[conv("PL 160.10", day_before(d)[:4] + "-01-02")])
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 9-131(b)(1)", cites(c, "hold"))


def test_b1_i_vsc_without_judicial_warrant_example_11() -> None:
    """Worked example 11: I-247D with an I-200 only; VSC judgment 2012-03-01."""
    assert doc("2014-12-20", arrest="2014-11-30", admin="I-200", convictions=VSC) == BOTH_PROHIBITED


@pytest.mark.parametrize("admin", ["I-200", "I-205"])
def test_a5_administrative_warrant_is_not_a_judicial_warrant(admin: str) -> None:
    assert doc("2016-01-05", admin=admin, convictions=VSC) == BOTH_PROHIBITED


def test_b1_ii_judicial_warrant_alone_not_enough() -> None:
    assert doc("2016-01-05", jw=True) == BOTH_PROHIBITED


def test_b1_ii_B_terrorist_list_match_with_judicial_warrant() -> None:
    assert doc("2016-01-05", jw=True, terrorist_screening_match=True) == BOTH_PERMITTED
    assert doc("2016-01-05", terrorist_screening_match=True) == BOTH_PROHIBITED


@pytest.mark.parametrize(
    "flag", ["outstanding_criminal_warrant", "gang_database_match", "removal_warrant_outstanding",
             "final_order_of_removal", "reentered_after_removal"]
)
def test_b1_earlier_exceptions_removed_in_2014(flag: str) -> None:
    assert doc("2016-01-05", jw=True, **{flag: True}) == BOTH_PROHIBITED


def test_b1_final_order_example_3_in_2015() -> None:
    assert doc("2015-06-01", final_order_of_removal=True) == BOTH_PROHIBITED


def test_b1_i_warrant_presented_after_detainer_does_not_satisfy_e8() -> None:
    c = case("doc", "2016-01-05T10:00", arrest="2016-01-04", jw_at="2016-01-05T15:00", convictions=VSC)
    assert outcomes(c) == BOTH_PROHIBITED
    assert "E-8" in notes(c)


def test_b1_pending_violent_charges_do_not_count_example_31a() -> None:
    c = case("doc", "2019-04-01", jw=True, cases=[pending(charge("PL 125.25", "felony"))])
    assert outcomes(c) == BOTH_PROHIBITED
    assert "E-16" in notes(c)


def test_b1_plea_without_sentence_example_30() -> None:
    c = case("doc", "2016-09-01", jw=True, convictions=[conv("PL 160.10", None, convicted="2016-08-01")])
    assert outcomes(c) == BOTH_PROHIBITED


def test_a1_similar_federal_request_from_other_federal_officer() -> None:
    """(a)(1) from 2014: 'or any similar federal request for detention'."""
    c = case("doc", "2016-01-05", requester="other_federal", convictions=VSC)
    assert outcomes(c) == BOTH_PROHIBITED


def test_a1_criminal_warrant_not_governed_before_10_178() -> None:
    assert doc("2016-01-05", "criminal_warrant", purpose="criminal_other") == {"honor_criminal_warrant": "not_governed"}


def test_ll63_2026_hold_rule_unchanged_and_source_named() -> None:
    before = case("doc", day_before(LL63), jw=True, convictions=[conv("PL 160.10", "2024-01-02")])
    on = case("doc", LL63, jw=True, convictions=[conv("PL 160.10", "2024-01-02")])
    assert outcomes(before) == outcomes(on) == BOTH_PERMITTED
    assert "LL 63/2026" in run(on).law.sources and "LL 63/2026" not in run(before).law.sources


# -- (h)(1) information ---------------------------------------------------------


@pytest.mark.parametrize("info", ["release_date", "court_date", "incarceration_status", "other"])
def test_h1_not_in_force_until_2015_02_12_e10(info: str) -> None:
    c = case("doc", day_before(H), "information", info=info)
    assert outcomes(c) == {"share_information": "not_governed"}
    assert "E-10" in notes(c)


@pytest.mark.parametrize("info", ["release_date", "court_date", "incarceration_status", "other"])
def test_h1_prohibits_from_2015_02_12_example_10(info: str) -> None:
    c = case("doc", H, "information", info=info)
    assert outcomes(c) == {"share_information": "prohibited"}
    assert cited("NYC Admin. Code § 9-131(h)(1)", cites(c))


def test_h1_before_2014_12_14_not_governed() -> None:
    assert doc(day_before(EFF), "information") == {"share_information": "not_governed"}


def test_h1_immigration_status_outside_h1_e13() -> None:
    c = case("doc", "2016-01-05", "information", info="immigration_status")
    assert outcomes(c) == {"share_information": "not_governed"}
    assert "E-13" in notes(c)


def test_h1_i_recent_vsc_no_warrant_needed_example_11b() -> None:
    c = case("doc", "2015-03-01", "information", info="court_date", arrest="2014-11-30", convictions=VSC)
    assert outcomes(c) == {"share_information": "permitted"}
    assert cited("NYC Admin. Code § 9-131(h)(1)(i)", cites(c))


def test_h1_i_terrorist_list_match() -> None:
    assert doc("2016-01-05", "information", terrorist_screening_match=True) == {"share_information": "permitted"}


def test_h1_i_old_vsc_outside_window_does_not_help() -> None:
    c = case("doc", "2016-01-05", "information", arrest="2016-01-01", convictions=[conv("PL 160.10", "2005-01-01")])
    assert outcomes(c) == {"share_information": "prohibited"}


def test_h1_ii_unrelated_to_civil_immigration_enforcement() -> None:
    c = case("doc", "2016-01-05", "information", purpose="criminal_other")
    assert outcomes(c) == {"share_information": "permitted"}
    assert cited("NYC Admin. Code § 9-131(h)(1)(ii)", cites(c))


def test_h1_iii_otherwise_required_by_law() -> None:
    c = case("doc", "2016-01-05", "information", required_by_law=True)
    assert outcomes(c) == {"share_information": "permitted"}
    assert cited("NYC Admin. Code § 9-131(h)(1)(iii)", cites(c))


def test_h1_and_10_178_after_2018_01_30_still_prohibits_without_exception() -> None:
    c = case("doc", "2018-01-30", "information")
    assert outcomes(c) == {"share_information": "prohibited"}
    assert cited("NYC Admin. Code § 9-131(h)(1)", cites(c)) and cited("NYC Admin. Code § 10-178(c)", cites(c))


def test_h1_i_permission_survives_10_178_e14() -> None:
    c = case("doc", "2018-01-30", "information", arrest="2018-01-20", convictions=[conv("PL 160.10", "2016-01-01")])
    assert outcomes(c) == {"share_information": "permitted"}
    assert "E-14" in notes(c)


def test_h1_request_from_state_or_local_not_governed() -> None:
    assert doc("2016-01-05", "information", requester="state_or_local",
               purpose="criminal_other") == {"share_information": "not_governed"}


# -- (h)(2) office ----------------------------------------------------------------


def test_h2_not_in_force_day_before_2015_02_12() -> None:
    assert doc(day_before(H), "office") == {"office": "not_governed"}


def test_h2_civil_investigation_office_prohibited_example_22() -> None:
    c = case("doc", H, "office")
    assert outcomes(c) == {"office": "prohibited"}
    assert cited("NYC Admin. Code § 9-131(h)(2)", cites(c))
    assert doc("2016-05-01", "office") == {"office": "prohibited"}


def test_h2_criminal_office_without_mayoral_order_prohibited() -> None:
    assert doc("2016-05-01", "office", purpose="criminal_other") == {"office": "prohibited"}


def test_h2_proviso_mayoral_order_eo50_window() -> None:
    """EO 50 (issued 2025-04-08) was restrained 2025-04-21, enjoined 2025-06-13 and declared
    null and void: by default (register EO-50) it never authorized an office."""
    for d in ("2025-04-07", "2025-04-08", "2025-05-01", "2025-10-01"):
        assert doc(d, "office", purpose="criminal_other") == {"office": "prohibited"}, d
    assert "EO-50" in notes(case("doc", "2025-04-10", "office", purpose="criminal_other"))


def test_h2_proviso_eo_50_alternative_reading_in_force_until_the_restraining_order() -> None:
    """The other reading (eo50_void_from_issue=false): the order stood from its issue until
    the court first restrained it on 2025-04-21."""
    from detainerlaw.decide import decide
    from detainerlaw.engine.pack import Reform

    reform = Reform(name="eo50-until-tro", params={"eo50_void_from_issue": False})

    def office(d: str) -> str:
        c = case("doc", d, "office", purpose="criminal_other", arrest=d)
        return decide(c, reform=reform).actions["office"].outcome.value

    assert [office(d) for d in ("2025-04-07", "2025-04-08", "2025-04-20", "2025-04-21", "2025-07-01")] == [
        "prohibited", "permitted", "permitted", "prohibited", "prohibited"]


def test_h2_2026_office_for_any_purpose_prohibited() -> None:
    c = case("doc", LL63, "office", purpose="criminal_other")
    assert outcomes(c) == {"office": "prohibited"}
    assert cited("NYC Admin. Code § 9-131(d)", cites(c))
    assert doc(LL63, "office") == {"office": "prohibited"}


def test_a4_2026_broader_federal_immigration_authorities_office() -> None:
    """LL 63/2026 (a)(4): any federal officer whose duties include immigration enforcement
    in part; a day earlier such an officer was outside (h)(2) (only § 10-178 applied)."""
    before = case("doc", day_before(LL63), "office", requester="other_federal", purpose="criminal_immigration")
    on = case("doc", LL63, "office", requester="other_federal", purpose="criminal_immigration")
    assert outcomes(on) == {"office": "prohibited"}
    assert cited("NYC Admin. Code § 9-131(h)(2)", cites(on))
    assert not cited("NYC Admin. Code § 9-131(h)(2)", cites(before))
    assert "E-18" in notes(on)


@pytest.mark.parametrize("purpose", ["criminal_immigration", "criminal_other"])
def test_a1_287_7_detainer_is_civil_whatever_purpose_it_states(purpose: str) -> None:
    """(a)(1): a detainer under 8 C.F.R. 287.7 is a civil immigration detainer; the stated
    purpose does not take it outside (b)(1) (nor, from 2018, outside § 10-178's savings)."""
    assert doc("2019-05-01", purpose=purpose) == BOTH_PROHIBITED
    assert doc("2019-05-01", purpose=purpose, jw=True, convictions=[conv("PL 160.10", "2017-01-01")]) == BOTH_PERMITTED


def test_a1_similar_request_of_another_federal_agency_needs_a_civil_purpose() -> None:
    """(a)(1) (2014): "any similar federal request for detention of a person suspected of
    violating civil immigration law": another agency's request is one only for a civil purpose."""
    assert doc("2016-05-01", requester="other_federal") == BOTH_PROHIBITED
    for purpose in ("criminal_immigration", "criminal_other"):
        assert set(doc("2016-05-01", requester="other_federal", purpose=purpose).values()) == {"not_governed"}

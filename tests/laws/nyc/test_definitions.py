"""Definitions shared by the sections.

2014 and later (§ 9-131(a)(2), (a)(7); § 14-154(a)(2), (a)(6); § 9-205(a)): "convicted of a
violent or serious crime" = a CPL 1.20(15) judgment on a listed felony (or an out-of-state
predicate felony equivalent to one), not YO/JD, unless no such judgment "for at least five
years prior to the date of the instant arrest", that period "extended by" time incarcerated
for a VSC between its commission and the instant arrest (register E-1..E-7, E-16).

2013 (LL 21/2013, LL 22/2013): "convicted of a covered crime" (felony ever, or a covered
misdemeanor within ten years; conditional discharge included; exclusions in (a)(3)) and
"pending covered criminal case" (categories A-E, CPL 170.70 proviso, more than one open
case, ACD, CD, mandatory YO; Family Court excluded).

The 2014 tests decide a DOC hold presented with a judicial warrant, so the outcome turns
on the definition alone; 2013 tests decide a DOC hold under LL 22/2013.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import yaml

import detainerlaw.laws.nyc as nyc
from builders import case, charge, conv, hold_2014, jail, notes, out, pending

P, X = "permitted", "prohibited"


def days(d: str, n: int) -> str:
    return (dt.date.fromisoformat(d) + dt.timedelta(days=n)).isoformat()


# -- E-1 the lookback -----------------------------------------------------------------


def test_a2_ii_within_five_years_of_judgment_is_recent() -> None:
    assert hold_2014("2016-06-10", "2016-05-31", convictions=[conv("PL 160.10", "2011-06-01")]) == P


def test_a2_ii_exactly_five_years_is_not_recent() -> None:
    """'for at least five years prior': judgment + 5 years == arrest -> not convicted."""
    assert hold_2014("2016-06-10", "2016-06-01", convictions=[conv("PL 160.10", "2011-06-01")]) == X


def test_a2_ii_lookback_runs_from_judgment_not_conviction_date() -> None:
    c = [conv("PL 160.10", "2011-08-01", convicted="2011-05-01")]
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c) == P


def test_a2_ii_29_february_judgment_ends_28_february() -> None:
    c = [conv("PL 160.10", "2012-02-29")]
    assert hold_2014("2017-03-10", "2017-02-27", convictions=c) == P
    assert hold_2014("2017-03-10", "2017-02-28", convictions=c) == X


def test_a2_ii_vsc_incarceration_extends_window_example_13() -> None:
    c = [conv("PL 120.05", "2008-05-10", offense="2008-01-01")]
    j = [jail("2008-05-10", "2012-05-10")]  # 1461 days -> window ends 2017-05-10
    assert hold_2014("2017-06-01", "2017-05-09", convictions=c, jails=j) == P
    assert hold_2014("2017-06-01", "2017-05-10", convictions=c, jails=j) == X
    assert hold_2014("2017-06-01", "2015-05-01", convictions=c) == X  # without the exclusion


def test_a2_ii_non_vsc_incarceration_does_not_extend() -> None:
    c = [conv("PL 120.05", "2008-05-10", offense="2008-01-01")]
    j = [jail("2008-05-10", "2012-05-10", vsc=False)]
    assert hold_2014("2015-06-01", "2015-05-01", convictions=c, jails=j) == X


def test_a2_ii_overlapping_incarcerations_counted_once() -> None:
    c = [conv("PL 120.05", "2008-05-10", offense="2008-01-01")]
    j = [jail("2008-05-10", "2010-05-10"), jail("2009-05-10", "2011-05-10")]  # union 1095 days, sum 1461
    end = days("2013-05-10", 1095)
    assert hold_2014("2017-01-01", days(end, -1), convictions=c, jails=j) == P
    assert hold_2014("2017-01-01", end, convictions=c, jails=j) == X


def test_a2_ii_pretrial_detention_after_commission_counts() -> None:
    """Time incarcerated 'between the time of the commission ... and the instant arrest'."""
    c = [conv("PL 160.10", "2011-01-01", offense="2010-01-01")]
    j = [jail("2010-01-01", "2011-01-01")]  # 365 days -> window ends 2016-12-31
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c, jails=j) == P


def test_a2_ii_incarceration_before_commission_does_not_count() -> None:
    c = [conv("PL 160.10", "2011-01-01", offense="2010-01-01")]
    j = [jail("2008-01-01", "2010-01-01")]
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c, jails=j) == X


def test_a2_ii_without_offence_date_counts_from_judgment_e1() -> None:
    c = [conv("PL 160.10", "2011-01-01")]
    j = [jail("2010-01-01", "2011-01-01")]
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c, jails=j) == X


def test_a2_ii_incarceration_after_instant_arrest_does_not_count() -> None:
    c = [conv("PL 160.10", "2010-06-01", offense="2010-01-01")]
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c, jails=[jail("2016-06-02", "2016-06-09")]) == X


def test_a2_ii_lookback_to_instant_arrest_not_decision_e19() -> None:
    c = [conv("PL 160.10", "2010-06-02")]
    assert hold_2014("2016-06-10", "2015-06-01", convictions=c) == P
    assert notes(case("doc", "2016-06-10", arrest="2015-06-01", jw=True, convictions=c))[:1] == ["E-1"]


def test_e4_later_non_vsc_conviction_does_not_restart() -> None:
    c = [conv("PL 160.10", "2005-01-01"), conv("PL 155.30", "2015-01-01")]
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c) == X


def test_e4_any_one_recent_vsc_suffices() -> None:
    c = [conv("PL 160.10", "2005-01-01"), conv("PL 120.05", "2013-01-01"), conv("PL 155.30", "2015-01-01")]
    assert hold_2014("2016-06-10", "2016-06-01", convictions=c) == P


# -- E-2 what is a judgment ------------------------------------------------------------


def test_a2_plea_awaiting_sentence_is_not_a_judgment_example_30() -> None:
    assert hold_2014("2016-09-01", convictions=[conv("PL 160.10", None, convicted="2016-08-01")]) == X


@pytest.mark.parametrize("marker", ["youthful_offender", "juvenile_delinquent"])
def test_a2_i_yo_and_jd_are_not_convictions(marker: str) -> None:
    assert hold_2014(convictions=[conv("PL 160.10", "2015-01-01", **{marker: True})]) == X


def test_a2_conditional_discharge_is_still_a_sentence_e2() -> None:
    assert hold_2014(convictions=[conv("PL 120.05", "2015-01-01", sentence="conditional_discharge")]) == P


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_e16_pending_vsc_charges_never_count(agency: str) -> None:
    c = case(agency, "2018-06-01", jw=True, cases=[pending(charge("PL 125.25", "felony"))])
    assert out(c, "hold") == X
    assert "E-16" in notes(c)


# -- (a)(7) the violent-or-serious list -------------------------------------------------


@pytest.mark.parametrize("statute", ["PL 160.10", "PL 120.05", "PL 125.25", "PL 130.35", "PL 265.03", "PL 120.25"])
def test_a7_i_listed_felony(statute: str) -> None:
    assert hold_2014(convictions=[conv(statute, "2015-01-01")]) == P


def test_a7_i_listed_section_at_misdemeanor_level_is_not_a_felony() -> None:
    assert hold_2014(convictions=[conv("PL 160.10", "2015-01-01", level="misdemeanor")]) == X


@pytest.mark.parametrize("statute", ["PL 155.30", "PL 140.20", "PL 220.39"])
def test_a7_i_unlisted_felony(statute: str) -> None:
    assert hold_2014(convictions=[conv(statute, "2015-01-01")]) == X


@pytest.mark.parametrize(
    "statute,sub,expected",
    [
        ("PL 265.02", "2", P), ("PL 265.02", "3", P), ("PL 265.02", "8", P), ("PL 265.02", "1", X),
        ("PL 265.02", None, X),
        ("PL 120.04-a", "4", P), ("PL 120.04-a", "3", X), ("PL 120.04-a", None, X),
        ("PL 135.65", "2(b)", P), ("PL 135.65", "2(a)", X), ("PL 135.65", None, X),
        ("PL 230.25", "2", P), ("PL 230.25", "1", X),
        ("PL 265.35", "2", P), ("PL 265.35", "1", X),
        ("PL 405.16", "1", P), ("PL 405.16", "2", X),
    ],
)
def test_a7_i_subdivision_limited_entries_e5(statute: str, sub: str | None, expected: str) -> None:
    assert hold_2014(convictions=[conv(statute, "2015-01-01", sub=sub)]) == expected


@pytest.mark.parametrize(
    "statute,inchoate,level,expected",
    [
        ("PL 110/160.10", None, "felony", P),  # attempted robbery 2nd, a felony
        ("PL 110/120.05", None, "misdemeanor", X),  # an inchoate misdemeanor does not count (E-6)
        ("PL 160.10", "attempt", "felony", P),
        ("PL 125.25", "conspiracy", "felony", P),
        ("PL 100/125.25", None, "felony", P),  # solicitation
        ("PL 115/125.25", None, "felony", P),  # facilitation
        ("PL 105/155.30", None, "felony", X),  # target not listed
    ],
)
def test_a7_iii_inchoate_felonies_e6(statute: str, inchoate: str | None, level: str, expected: str) -> None:
    kw = {"inchoate": inchoate} if inchoate else {}
    assert hold_2014(convictions=[conv(statute, "2015-01-01", level=level, **kw)]) == expected


def test_a7_ii_felony_hate_crime() -> None:
    assert hold_2014(convictions=[conv("PL 140.20", "2015-01-01", hate_crime=True)]) == P
    assert hold_2014(convictions=[conv("PL 140.20", "2015-01-01")]) == X
    assert hold_2014(convictions=[conv("PL 120.00", "2015-01-01", level="misdemeanor", hate_crime=True)]) == X


def test_a7_iv_vtl_600_felony() -> None:
    assert hold_2014(convictions=[conv("VTL 600", "2015-01-01", sub="2")]) == P
    assert hold_2014(convictions=[conv("VTL 600", "2015-01-01", sub="1", level="misdemeanor")]) == X
    assert hold_2014(convictions=[conv("VTL 1192", "2015-01-01", sub="3")]) == X


@pytest.mark.parametrize(
    "kw,expected",
    [
        ({"predicate_felony": True, "equivalent_statute": "PL 120.05"}, P),
        ({"predicate_felony": False, "equivalent_statute": "PL 120.05"}, X),
        ({"predicate_felony": True, "equivalent_statute": "PL 155.30"}, X),
        ({"predicate_felony": True}, X),
    ],
)
@pytest.mark.parametrize("where", ["NJ", "federal"])
def test_a2_out_of_state_predicate_felony_e3(kw: dict, expected: str, where: str) -> None:
    c = conv("N.J.S.A. 2C:12-1" if where == "NJ" else "18 U.S.C. 113", "2015-01-01", jurisdiction=where, **kw)
    assert hold_2014(convictions=[c]) == expected


@pytest.mark.parametrize("where", ["NJ", "federal"])
def test_a2_out_of_state_equivalent_of_a7_ii_felony_hate_crime(where: str) -> None:
    """(a)(2)'s out-of-state prong takes the equivalent of any violent or serious crime, so a
    predicate felony that is a hate crime counts as (a)(7)(ii) does in New York."""
    base = {"jurisdiction": where, "predicate_felony": True}
    assert hold_2014(convictions=[conv("Other hate crime", "2015-01-01", hate_crime=True, **base)]) == P
    assert hold_2014(convictions=[conv("Other", "2015-01-01", equivalent_statute="PL 485.05", **base)]) == P
    assert hold_2014(convictions=[conv("Other hate crime", "2015-01-01", hate_crime=True, jurisdiction=where)]) == X


@pytest.mark.parametrize("where", ["NJ", "federal"])
def test_a2_out_of_state_equivalent_of_a7_iv_vtl_600_felony(where: str) -> None:
    c = conv("N.J.S.A. 39:4-129", "2015-01-01", jurisdiction=where, predicate_felony=True, equivalent_statute="VTL 600")
    assert hold_2014(convictions=[c]) == P
    c = conv("N.J.S.A. 39:4-129", "2015-01-01", jurisdiction=where, equivalent_statute="VTL 600")
    assert hold_2014(convictions=[c]) == X


def test_a7_ii_record_naming_pl_485_05_is_the_hate_crime_designation_x_485() -> None:
    """A conviction written "PL 485.05" is the hate-crime designation itself: a felony counts
    under (a)(7)(ii), and the decision says which reading it took."""
    c = case("doc", "2016-06-01", arrest="2016-06-01", jw=True, convictions=[conv("PL 485.05", "2015-01-01")])
    assert out(c, "hold") == P
    assert "X-485" in notes(c)
    assert hold_2014(convictions=[conv("PL 485.05", "2015-01-01", level="misdemeanor")]) == X


def test_a2_out_of_state_uses_its_own_judgment_date_e3() -> None:
    c = conv("N.J.S.A. 2C:12-1", "2009-01-01", jurisdiction="NJ", predicate_felony=True, equivalent_statute="PL 120.05")
    assert hold_2014("2016-06-01", convictions=[c]) == X


def test_g_repealed_section_still_counts_e7() -> None:
    """PL 130.50 was repealed 2024-09-01; a judgment under it still counts (§ 9-131(g))."""
    assert hold_2014("2025-01-10", convictions=[conv("PL 130.50", "2022-01-01")]) == P


def _rule_date() -> str:
    path = Path(nyc.__file__).with_name("params.yaml")
    values = yaml.safe_load(path.read_text())["doc_rule_offences_from"]["values"]
    return str(next(iter(values.values()))["value"])


@pytest.mark.parametrize("statute", ["PL 135.37", "PL 135.61", "PL 230.08", "PL 230.11", "PL 230.12", "PL 230.13",
                                     "PL 230.34-a"])
def test_a7_v_doc_rule_offences_from_configured_date_e7(statute: str) -> None:
    """39 RCNY § 2-01 adds seven offences; they count from the configured date, also for
    judgments entered before it (register RULE, E-7)."""
    rule = _rule_date()
    c = [conv(statute, "2018-01-01")]
    before = (dt.date.fromisoformat(rule) - dt.timedelta(days=1)).isoformat()
    assert hold_2014(before, "2018-06-01", convictions=c) == X
    assert hold_2014(rule, "2018-06-01", convictions=c) == P


# -- 2013: convicted of a covered crime ------------------------------------------------

D13, A13 = "2013-10-01", "2013-09-20"


def hold_2013(**kw) -> str:
    kw.setdefault("arrest", A13)
    return out(case("doc", D13, **kw), "hold")


@pytest.mark.parametrize(
    "statute,sub,extra,expected",
    [
        ("PL 230.00", None, {}, X),  # prostitution
        ("PL 240.37", None, {}, X),  # loitering for prostitution
        ("PL 240.37", None, {"patronizing": True}, P),  # ... unless it relates to patronizing
        ("VTL 511", "1", {}, X),
        ("VTL 511", "2(a)(i)", {}, X),
        ("VTL 511", "2(a)(iv)", {}, X),
        ("VTL 511", "2(a)(ii)", {}, P),  # not among the exclusions
        ("PL 155.25", None, {}, P),
    ],
)
def test_2013_a3_covered_crime_exclusions(statute: str, sub: str | None, extra: dict, expected: str) -> None:
    c = conv(statute, "2010-03-01", level="misdemeanor", sub=sub, **extra)
    assert hold_2013(convictions=[c]) == expected


def test_2013_a2_conditional_discharge_counts() -> None:
    assert hold_2013(convictions=[conv("PL 155.25", "2010-03-01", level="misdemeanor",
                                       sentence="conditional_discharge")]) == P


@pytest.mark.parametrize(
    "judgment,expected",
    [("2003-09-21", P), ("2003-09-20", X), ("2003-09-19", X), ("1999-05-01", X)],
)
def test_2013_a2_ii_ten_year_misdemeanor_rule(judgment: str, expected: str) -> None:
    assert hold_2013(convictions=[conv("PL 155.25", judgment, level="misdemeanor")]) == expected


def test_2013_a2_ii_felony_ever_defeats_ten_year_rule() -> None:
    assert hold_2013(convictions=[conv("PL 155.30", "1985-01-01")]) == P
    assert hold_2013(convictions=[conv("PL 155.30", "1985-01-01"), conv("PL 155.25", "1990-01-01",
                                                                            level="misdemeanor")]) == P


def test_2013_a2_i_yo_felony_is_not_a_conviction() -> None:
    assert hold_2013(convictions=[conv("PL 160.10", "2010-01-01", youthful_offender=True)]) == X


def test_2013_violation_is_not_a_covered_crime() -> None:
    assert hold_2013(convictions=[conv("PL 240.20", "2012-01-01", level="violation")]) == X


# -- 2013: pending covered criminal case -----------------------------------------------


@pytest.mark.parametrize(
    "pc,expected",
    [
        (pending(charge("PL 155.30", "felony")), P),  # any felony
        (pending(charge("PL 155.30", "felony"), released_cpl_170_70=True), P),  # proviso only for A and D
        (pending(charge("PL 120.00")), P),  # A
        (pending(charge("PL 120.00"), released_cpl_170_70=True), X),  # A, CPL 170.70 proviso
        (pending(charge("PL 130.20")), P),  # B, article 130
        (pending(charge("PL 130.55")), P),  # B
        (pending(charge("PL 265.01", sub="1", firearm_or_ammunition=True)), P),  # C
        (pending(charge("PL 265.01", sub="2")), X),  # C, not a firearm or ammunition
        (pending(charge("PL 215.50")), P),  # D
        (pending(charge("PL 215.50"), released_cpl_170_70=True), X),  # D, CPL 170.70 proviso
        (pending(charge("VTL 1192", sub="3")), P),  # E, VTL article 31
        (pending(charge("PL 155.25")), X),  # other misdemeanor, one case
        (pending(charge("PL 155.25"), charge("PL 165.40")), X),  # two charges, one case
        (pending(charge("PL 155.30", "felony"), disposition="acd"), X),
        (pending(charge("PL 155.30", "felony"), disposition="conditional_discharge"), X),
        (pending(charge("PL 155.30", "felony"), family_court=True), X),
    ],
    ids=["felony", "felony-170.70", "A", "A-170.70", "B-130.20", "B-130.55", "C-firearm", "C-other", "D",
         "D-170.70", "E-VTL1192", "other-misd", "two-charges-one-case", "acd", "cd", "family-court"],
)
def test_2013_a4_a7_covered_criminal_case(pc: dict, expected: str) -> None:
    assert hold_2013(cases=[pc]) == expected


@pytest.mark.parametrize(
    "cases,expected",
    [
        ([pending(charge("PL 155.25")), pending(charge("PL 165.40"))], P),
        ([pending(charge("PL 155.25")), pending(charge("PL 165.40"), disposition="acd")], X),
        ([pending(charge("PL 155.25")), pending(charge("PL 165.40"), disposition="conditional_discharge")], X),
        ([pending(charge("PL 230.00")), pending(charge("PL 230.00"))], X),  # not covered crimes
        ([pending(charge("PL 240.20", "violation")), pending(charge("PL 240.20", "violation"))], X),
        ([pending(charge("PL 155.25")), pending(charge("PL 165.40"), family_court=True)], X),
    ],
    ids=["two-open", "one-acd", "one-cd", "excluded-crimes", "violations", "family-court"],
)
def test_2013_a7_ii_more_than_one_open_case(cases: list, expected: str) -> None:
    assert hold_2013(cases=cases) == expected


def test_2013_a7_v_mandatory_youthful_offender() -> None:
    assert hold_2013(cases=[pending(charge("PL 160.10", "felony"))], mandatory_youthful_offender=True) == X


@pytest.mark.parametrize("agency", ["doc", "nypd"])
def test_2013_definitions_shared_by_both_sections(agency: str) -> None:
    c = case(agency, D13, arrest=A13, cases=[pending(charge("PL 120.00"), released_cpl_170_70=True)])
    assert out(c, "hold") == X
    c = case(agency, D13, arrest=A13, cases=[pending(charge("VTL 1192", sub="2"))])
    assert out(c, "hold") == P

"""Where a fact came from (Person.sources, register E-12): § 9-131(b)(2) of LL 62/2011 takes
the records search for (i) and the search or ICE for (ii); LL 22/2013 and LL 21/2013 add a
court for (i); from 2014 the search, a court or "any other governmental entity"."""

from __future__ import annotations

import pytest

from builders import case, notes, outcomes

BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}
DOC_2011, DOC_2013, NYPD_2013 = "2012-06-01", "2014-01-10", "2014-01-10"


def _with(agency: str, day: str, flag: str, source: str | None):
    extra = {"sources": {flag: source}} if source else {}
    return case(agency, day, **{flag: True}, **extra)


@pytest.mark.parametrize("flag", ["outstanding_criminal_warrant", "gang_database_match", "terrorist_screening_match"])
def test_b2_i_2011_only_the_records_search(flag: str) -> None:
    assert outcomes(_with("doc", DOC_2011, flag, None)) == BOTH_PERMITTED
    assert outcomes(_with("doc", DOC_2011, flag, "records_search")) == BOTH_PERMITTED
    for source in ("court", "government", "ice"):
        c = _with("doc", DOC_2011, flag, source)
        assert outcomes(c) == BOTH_PROHIBITED, source
        assert "E-12" in notes(c)


@pytest.mark.parametrize("agency", ["doc", "nypd"])
@pytest.mark.parametrize("flag", ["outstanding_criminal_warrant", "gang_database_match"])
def test_b2_i_2013_search_or_court(agency: str, flag: str) -> None:
    assert outcomes(_with(agency, DOC_2013, flag, "court")) == BOTH_PERMITTED
    assert outcomes(_with(agency, DOC_2013, flag, "ice")) == BOTH_PROHIBITED
    assert outcomes(_with(agency, DOC_2013, flag, "government")) == BOTH_PROHIBITED


@pytest.mark.parametrize("day", [DOC_2011, DOC_2013])
@pytest.mark.parametrize("flag", ["removal_warrant_outstanding", "final_order_of_removal"])
def test_b2_ii_search_or_ice(day: str, flag: str) -> None:
    assert outcomes(_with("doc", day, flag, "ice")) == BOTH_PERMITTED
    assert outcomes(_with("doc", day, flag, "court")) == BOTH_PROHIBITED


@pytest.mark.parametrize("source", ["records_search", "court", "government", "ice"])
def test_b1_ii_2014_any_governmental_entity(source: str) -> None:
    c = case("doc", "2016-06-01", jw=True, terrorist_screening_match=True,
             sources={"terrorist_screening_match": source})
    assert outcomes(c) == BOTH_PERMITTED


def test_sources_name_only_known_flags() -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError):
        case("doc", DOC_2011, sources={"convictions": "court"})
    with pytest.raises(ValidationError):
        case("doc", DOC_2011, gang_database_match=True, sources={"gang_database_match": "rumour"})

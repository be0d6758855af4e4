"""POST /api/v1/decide with bad or ambiguous input: 422 naming the field (never a 500), and
the connection answers the next request; warnings and converted times in the Decision."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

CASE = {"agency": "doc", "decided_at": "2016-01-05", "instant_arrest_date": "2016-01-01",
        "request": {"kind": "detainer", "judicial_warrant": True}}
CONVICTION = {"statute": "PL 160.10", "level": "felony", "conviction_date": "2015-01-01",
              "judgment_date": "2015-02-01"}


def field_errors(r) -> dict[str, str]:  # noqa: ANN001
    assert r.status_code == 422, r.text
    return {e["field"]: e["problem"] for e in r.json()["errors"]}


@pytest.mark.parametrize(("patch", "field"), [
    ({"decided_at": "9999-12-31"}, "decided_at"),
    ({"decided_at": "9999-12-31T23:59"}, "decided_at"),
    ({"decided_at": 1452000000}, "decided_at"),
    ({"instant_arrest_date": 1451606400}, "instant_arrest_date"),  # seconds at midnight 2016-01-01 UTC
    ({"request": {"kind": "detainer", "judicial_warrant": "yes"}}, "request.judicial_warrant"),
    ({"request": {"kind": "detainer", "judicial_warrant_at": "9999-12-31T00:00"}}, "request.judicial_warrant_at"),
    ({"person": {"convictions": [dict(CONVICTION, judgment_date="2016-02-01")]}},
     "person.convictions[0].judgment_date"),
    ({"person": {"convictions": [dict(CONVICTION, conviction_date=1420070400)]}},
     "person.convictions[0].conviction_date"),
    ({"person": {"incarcerations": [{"start": "2016-03-01", "end": "2016-04-01"}]}}, "person.incarcerations[0].start"),
])
def test_bad_values_are_422_naming_the_field(client: TestClient, patch: dict, field: str) -> None:
    errs = field_errors(client.post("/api/v1/decide", json={**CASE, **patch}))
    assert list(errs) == [field]


def test_year_9999_then_a_good_case_on_the_same_connection(client: TestClient) -> None:
    for late in ({**CASE, "decided_at": "9999-12-31T23:59"},
                 {"agency": "nypd", "decided_at": "9999-12-31T12:00",
                  "request": {"kind": "detainer", "administrative_warrant": "I-205"}},
                 {**CASE, "person": {"convictions": [dict(CONVICTION, conviction_date="9999-12-30",
                                                          judgment_date="9999-12-30")]}}):
        assert client.post("/api/v1/decide", json=late).status_code == 422
        r = client.post("/api/v1/decide", json=CASE)
        assert r.status_code == 200 and r.json()["actions"]["hold"]["outcome"] == "prohibited"


def test_offset_time_is_converted_and_echoed(client: TestClient) -> None:
    gang = {"agency": "doc", "request": {"kind": "detainer"}, "person": {"gang_database_match": True}}
    utc = client.post("/api/v1/decide", json={**gang, "decided_at": "2014-12-14T02:00:00Z"}).json()
    local = client.post("/api/v1/decide", json={**gang, "decided_at": "2014-12-13T21:00"}).json()
    assert utc["actions"] == local["actions"]
    assert utc["actions"]["notify_release"]["outcome"] == "permitted"
    assert utc["decided_at"].startswith("2014-12-13T21:00")
    assert [w["field"] for w in utc["warnings"]] == ["decided_at"] and local["warnings"] == []


def test_unknown_penal_law_section_is_warned_about(client: TestClient) -> None:
    r = client.post("/api/v1/decide", json={**CASE, "person": {"convictions": [dict(CONVICTION, statute="PL 999.99")]}})
    assert r.status_code == 200
    assert [w["field"] for w in r.json()["warnings"]] == ["person.convictions[0].statute"]
    wide = client.post("/api/v1/decide", json={**CASE, "person": {"convictions": [
        dict(CONVICTION, statute="PL １６０.１０")]}}).json()
    plain = client.post("/api/v1/decide", json={**CASE, "person": {"convictions": [CONVICTION]}}).json()
    assert wide["actions"] == plain["actions"] and wide["warnings"] == []


def test_screener_shows_warnings(client: TestClient) -> None:
    case = {**CASE, "person": {"convictions": [dict(CONVICTION, statute="PL 999.99")]}}
    r = client.post("/screener/result", json=case)
    assert r.status_code == 200
    assert "person.convictions[0].statute" in r.text and "cites no article" in r.text

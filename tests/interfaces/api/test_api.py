"""The HTTP API: decisions, bad input named by field, law, schemas, limits, errors."""

from __future__ import annotations

import copy

import pytest
from fastapi.testclient import TestClient
from tests.interfaces.api.conftest import STAFF, example

from detainerlaw.facade import examples as bundled_examples
from detainerlaw.interfaces.server import Settings, create_app

EX = example("ex01-doc-2012-any-conviction")["case"]


def field_errors(r) -> dict[str, str]:  # noqa: ANN001
    assert r.status_code == 422, r.text
    return {e["field"]: e["problem"] for e in r.json()["errors"]}


@pytest.mark.parametrize(("name", "ex"), bundled_examples(), ids=[n for n, _ in bundled_examples()])
def test_every_public_example_decides_as_stated(client: TestClient, name: str, ex: dict) -> None:
    r = client.post("/api/v1/decide", json=ex["case"])
    assert r.status_code == 200, r.text
    got = {a: v["outcome"] for a, v in r.json()["actions"].items()}
    assert {a: got[a] for a in ex["expect"]} == ex["expect"]
    assert r.headers["X-Decision-Id"]


def test_decide_without_explanation(client: TestClient) -> None:
    d = client.post("/api/v1/decide?explain=false", json=EX).json()
    assert d["actions"]["hold"]["explanation"] is None
    assert d["law"]["version"].startswith("nyc/doc@")


def test_missing_agency(client: TestClient) -> None:
    bad = copy.deepcopy(EX)
    del bad["agency"]
    assert field_errors(client.post("/api/v1/decide", json=bad)) == {"agency": "required field is missing"}


def test_unknown_request_kind(client: TestClient) -> None:
    bad = copy.deepcopy(EX)
    bad["request"]["kind"] = "arrest"
    errs = field_errors(client.post("/api/v1/decide", json=bad))
    assert list(errs) == ["request.kind"] and "detainer" in errs["request.kind"]


def test_impossible_date(client: TestClient) -> None:
    bad = dict(EX, decided_at="2019-02-30")
    errs = field_errors(client.post("/api/v1/decide", json=bad))
    assert list(errs) == ["decided_at"] and "day is out of range" in errs["decided_at"]
    errs = field_errors(client.post("/api/v1/decide", json=dict(EX, instant_arrest_date="2019-02-30")))
    assert list(errs) == ["instant_arrest_date"]


def test_judgment_before_conviction(client: TestClient) -> None:
    bad = copy.deepcopy(EX)
    bad["person"]["convictions"][0]["judgment_date"] = "2008-01-01"
    errs = field_errors(client.post("/api/v1/decide", json=bad))
    assert list(errs) == ["person.convictions[0].judgment_date"]
    assert "before conviction_date" in errs["person.convictions[0].judgment_date"]


def test_fact_the_law_needs_is_a_422(client: TestClient) -> None:
    bad = dict(copy.deepcopy(EX), decided_at="2016-03-01")
    del bad["instant_arrest_date"]
    errs = field_errors(client.post("/api/v1/decide", json=bad))
    assert list(errs) == ["instant_arrest_date"] and errs["instant_arrest_date"].startswith("required")


def test_unknown_field_and_not_json(client: TestClient) -> None:
    assert field_errors(client.post("/api/v1/decide", json=dict(EX, name="X"))) == {"name": "unknown field"}
    r = client.post("/api/v1/decide", content=b"{not json", headers={"Content-Type": "application/json"})
    assert r.status_code == 422


def test_body_limit(client: TestClient) -> None:
    r = client.post("/api/v1/decide", content=b" " * 1_000_001, headers={"Content-Type": "application/json"})
    assert r.status_code == 413 and "larger than" in r.json()["detail"]


def test_batch(client: TestClient) -> None:
    cases = [ex["case"] for _, ex in bundled_examples()[:3]]
    r = client.post("/api/v1/decide/batch", json=cases)
    assert r.status_code == 200 and len(r.json()) == 3
    assert client.post("/api/v1/decide/batch", json=[EX] * 6).status_code == 413
    bad = dict(copy.deepcopy(EX), decided_at="2016-03-01")
    del bad["instant_arrest_date"]
    assert list(field_errors(client.post("/api/v1/decide/batch", json=[EX, bad]))) == ["[1].instant_arrest_date"]
    assert list(field_errors(client.post("/api/v1/decide/batch", json=[EX, {"agency": "doc"}]))) == [
        "[1].decided_at", "[1].request"]


def test_law(client: TestClient) -> None:
    rows = client.get("/api/v1/law", params={"as_of": "2016-01-01", "agency": "nypd"}).json()
    assert rows and {r["agency"] for r in rows} == {"nypd"}
    assert any(r["source"] == "LL 59/2014" for r in rows)
    # No city rule was in force in 2011 (the federal layer's rules are, spec v2 § Layers).
    assert [r for r in client.get("/api/v1/law", params={"as_of": "2011-01-01"}).json() if r["layer"] == "nyc"] == []
    assert list(field_errors(client.get("/api/v1/law", params={"as_of": "2019-02-30"}))) == ["query.as_of"]
    assert list(field_errors(client.get("/api/v1/law", params={"agency": "fbi"}))) == ["query.agency"]


def test_law_versions_and_diff(client: TestClient) -> None:
    sections = {s["section"]: s for s in client.get("/api/v1/law/versions").json()}
    assert {"9-131", "14-154", "9-205", "10-178", "4-210"} <= set(sections)
    starts = [v["start"] for v in sections["9-131"]["versions"]]
    assert "2012-03-21" in starts and starts == sorted(starts)
    d = client.get("/api/v1/law/diff", params={"date1": "2014-12-13", "date2": "2014-12-14", "agency": "doc"}).json()
    assert any(r["source"] == "LL 58/2014" for r in d["added"]) and d["removed"]


def test_schemas_and_openapi(client: TestClient) -> None:
    case = client.get("/api/v1/schema/case").json()
    assert "agency" in case["required"] and "Conviction" in case["$defs"]
    assert "actions" in client.get("/api/v1/schema/decision").json()["properties"]
    spec = client.get("/openapi.json").json()
    assert "/api/v1/decide" in spec["paths"] and "Case" in spec["components"]["schemas"]


def test_healthz(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok", "log": True}


def test_no_stack_trace_on_crash(settings: Settings, monkeypatch: pytest.MonkeyPatch) -> None:
    from detainerlaw import facade

    def boom(*a: object, **k: object) -> None:
        raise RuntimeError("secret internal detail")

    monkeypatch.setattr(facade, "decide", boom)
    with TestClient(create_app(settings), raise_server_exceptions=False) as c:
        r = c.post("/api/v1/decide", json=EX)
    assert r.status_code == 500
    assert "secret" not in r.text and "Traceback" not in r.text


def test_decide_access_by_token(settings: Settings) -> None:
    settings.decide_access = "token"
    with TestClient(create_app(settings)) as c:
        assert c.post("/api/v1/decide", json=EX).status_code == 401
        assert c.post("/api/v1/decide", json=EX, headers=STAFF).status_code == 200


def test_the_claim_checker_and_scenarios_answer_on_a_fresh_app(client: TestClient) -> None:
    """They are part of the package, not optional features: the first request gets them (a first load of
    the claim checker once said it was unavailable)."""
    assert client.get("/api/v1/claims").json()["claims"]
    assert any(s["name"] == "baseline" for s in client.get("/api/v1/scenarios").json())


def test_unknown_job(client: TestClient) -> None:
    assert client.get("/api/v1/jobs/nope").status_code == 404
    assert client.get("/api/v1/jobs/nope/table.csv").status_code == 404


def test_a_decision_under_a_scenario_is_named_and_not_logged(client) -> None:  # noqa: ANN001
    """A what-if under a scenario is not an agency's decision: the Decision names the scenario, no
    decision id is issued and the log (and so the mandated reports) does not count it."""
    case = {"agency": "nypd", "decided_at": "2022-06-15T10:00", "request": {"kind": "detainer"}}
    r = client.post("/api/v1/decide?scenario=no-city-limits", json=case)
    assert r.status_code == 200 and r.json()["law"]["scenario"] == "no-city-limits"
    assert "x-decision-id" not in r.headers
    plain = client.post("/api/v1/decide", json=case)
    assert plain.json()["law"]["scenario"] is None and plain.headers["x-decision-id"]
    entries = client.get("/api/v1/log/entries", headers={"Authorization": "Bearer auditor-token"}).json()
    assert [e["decision_id"] for e in entries] == [plain.headers["x-decision-id"]]


def test_a_scenario_with_its_own_date_decides_on_it() -> None:
    """law-2012 decides as of 2012-06-01 (as simulate does), at the case's time of day."""
    from detainerlaw import facade

    c = facade.parse_case({"agency": "nypd", "decided_at": "2022-06-15T10:00", "request": {"kind": "detainer"}})
    d = facade.decide(c, scenario_name="law-2012")
    assert str(d.decided_at) == "2012-06-01 10:00:00" and d.law.version == "nyc/nypd@2012-03-21"


@pytest.mark.parametrize("url", ["/api/v1/law?as_of=9999-01-01", "/api/v1/law?as_of=1850-01-01",
                                 "/api/v1/law/diff?date1=2014-12-13&date2=9999-01-01"])
def test_law_dates_outside_the_supported_range_are_422(client, url: str) -> None:  # noqa: ANN001
    r = client.get(url)
    assert r.status_code == 422, r.text
    assert "supported range" in r.text


@pytest.mark.parametrize("body", [{"scenarios": ["baseline"], "as_of": "9999-01-01"},
                                  {"scenarios": ["baseline"], "layr": "nyc"}])
def test_simulate_settings_are_checked_before_a_job(client, body: dict) -> None:  # noqa: ANN001
    """An out-of-range date or a misspelt setting is a 422 at once, not a job that fails or ignores it."""
    r = client.post("/api/v1/simulate", json=body)
    assert r.status_code == 422, r.text

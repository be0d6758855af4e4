"""The API serves every registered place: a case is decided under the place it names, the law of
any place can be read, and an unknown place is a 422 naming the field (tests/engine/toy)."""

from __future__ import annotations

from fastapi.testclient import TestClient
from tests.engine.toy import install

from .conftest import STAFF

install()

TOY_CASE = {"jurisdiction": "toy", "agency": "sheriff", "decided_at": "2012-05-01", "kind": "hold",
            "warrant": True, "priors": [{"day": "2011-01-01", "serious": True}]}


def test_places_lists_each_place_with_its_layers(client: TestClient) -> None:
    places = {p["id"]: p for p in client.get("/api/v1/places").json()}
    assert [x["id"] for x in places["toy"]["layers"]] == ["state", "town"]
    assert "doc" in places["nyc"]["agencies"]


def test_a_case_is_decided_under_the_place_it_names(client: TestClient) -> None:
    r = client.post("/api/v1/decide", json=TOY_CASE, headers=STAFF)
    assert r.status_code == 200, r.text
    d = r.json()
    assert d["jurisdiction"] == "toy"
    # Town Code § 1(b): a warrant and a serious prior within 3 years (the 2010 lookback) permit the hold.
    assert d["actions"]["hold"]["by_layer"]["town"]["outcome"] == "permitted"


def test_a_case_of_a_place_is_validated_by_its_model(client: TestClient) -> None:
    r = client.post("/api/v1/decide", json={**TOY_CASE, "agency": "doc"}, headers=STAFF)
    assert r.status_code == 422
    assert [e["field"] for e in r.json()["errors"]] == ["agency"]


def test_an_unknown_place_is_named(client: TestClient) -> None:
    r = client.post("/api/v1/decide", json={**TOY_CASE, "jurisdiction": "atlantis"}, headers=STAFF)
    assert r.status_code == 422 and "atlantis" in r.text
    r = client.get("/api/v1/law", params={"place": "atlantis"})
    assert r.status_code == 422 and "query.place" in r.text


def test_the_law_of_another_place(client: TestClient) -> None:
    rows = client.get("/api/v1/law", params={"place": "toy", "as_of": "2012-01-01", "agency": "clerk"}).json()
    assert {r["layer"] for r in rows} == {"state", "town"}
    assert {r["agency"] for r in rows} == {"clerk"}
    assert client.get("/api/v1/law", params={"place": "toy", "agency": "doc"}).status_code == 422
    sections = client.get("/api/v1/law/versions", params={"place": "toy"}).json()
    assert sections and all("Town" in s["section"] or "State" in s["section"] or s["versions"] for s in sections)

"""A reform sent with one request must not change the law for the requests after it, nor be
answered with the law of another reform: the law's caches are keyed by what a reform changes,
never by the name it is given."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

import detainerlaw.laws.nyc
from detainerlaw import jurisdictions
from detainerlaw.engine.pack import LawPack
from detainerlaw.jurisdictions import Layer

pytest.importorskip("detainerlaw.claims")

# A DOC hold in 2020 with a judicial warrant and a robbery conviction sentenced in January
# 2016: within the five-year lookback of § 9-131(a)(2)(ii), so the hold is permitted.
DOC_2020 = {
    "agency": "doc",
    "decided_at": "2020-06-01",
    "instant_arrest_date": "2020-05-01",
    "request": {"kind": "detainer", "purpose": "civil_immigration", "requester": "federal_immigration",
                "judicial_warrant": True},
    "person": {"convictions": [{"statute": "PL 160.10", "level": "felony", "conviction_date": "2016-01-10",
                                "judgment_date": "2016-01-10"}]},
}

# A one-year lookback that calls itself "baseline".
IMPOSTOR = {"name": "baseline", "params": {"lookback_years": 1}}

ONE_LAW = {"id": "impostor-forall", "text": "Under a one-year lookback DOC may not honor this detainer.",
           "kind": "forall", "as_of": "2020-06-01", "reform": IMPOSTOR,
           "given": {"agency": "doc", "request": {"kind": "detainer", "judicial_warrant": True}},
           "then": {"hold": ["permitted", "prohibited", "not_governed", "required"]}}

TWO_LAWS = {"id": "impostor-equivalent", "text": "A one-year lookback changes no DOC hold in 2020.",
            "kind": "equivalent", "action": "hold", "given": {"agency": "doc", "request": {"kind": "detainer"}},
            "laws": [{"as_of": "2020-06-01", "reform": IMPOSTOR}, "2020-06-01"]}


@pytest.fixture
def fresh_pack() -> Iterator[LawPack]:
    """The law as a fresh server process has it: the city's layer built anew, nothing cached yet."""
    place = jurisdictions.get("nyc")
    p = detainerlaw.laws.nyc.pack.__wrapped__()
    layers = tuple(Layer(layer.id, layer.title, (lambda: p) if layer.id == place.home else layer.pack)
                   for layer in place.layers)
    jurisdictions.register(dataclasses.replace(place, layers=layers))
    try:
        yield p
    finally:
        jurisdictions.register(place)


def _hold(client: TestClient) -> str:
    r = client.post("/api/v1/decide", json=DOC_2020)
    assert r.status_code == 200, r.text
    return r.json()["actions"]["hold"]["outcome"]


def _verify(client: TestClient, claim: dict) -> dict:
    r = client.post("/api/v1/verify", json={"claims": [claim]})
    assert r.status_code == 200, r.text
    (res,) = r.json()["results"]
    return res


def test_reform_named_baseline_does_not_change_later_decisions(fresh_pack: LawPack, client: TestClient) -> None:
    assert _verify(client, ONE_LAW)["verdict"] == "holds"
    assert _hold(client) == "permitted"
    assert _verify(client, TWO_LAWS)["verdict"] == "fails"  # nor later claims, wherever the solver runs


def test_reform_named_baseline_is_not_answered_with_the_baseline(fresh_pack: LawPack, client: TestClient) -> None:
    assert _hold(client) == "permitted"
    res = _verify(client, TWO_LAWS)
    assert res["verdict"] == "fails", res  # a one-year lookback does change some holds
    assert _hold(client) == "permitted"

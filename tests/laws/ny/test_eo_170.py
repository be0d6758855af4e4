"""Executive Orders 170 (2017-09-15) and 170.1 (2018-04-25) bind state agencies only
(register NY-EO170): never a New York City agency, but a New York place whose facts know a
state agency gets them."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import case
from detainerlaw import facade
from detainerlaw.engine.expr import Schema
from detainerlaw.engine.interpreter import evaluate_action
from detainerlaw.laws import ny
from detainerlaw.laws.nyc import ny_pack
from detainerlaw.laws.nyc.facts import SCHEMA


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_eo_170_never_binds_a_city_agency(agency: str) -> None:
    ids = {r.id for r in ny_pack().snapshot(dt.date(2021, 1, 4), agency).rules()}
    assert not any(i.startswith("ny.eo170") for i in ids)


def _state_place_pack():  # type: ignore[no-untyped-def]
    fields = {**SCHEMA.fields, "agency": (*SCHEMA.fields["agency"], "doccs")}
    return ny.pack(Schema(fields, SCHEMA.lists), ("doc",))


@pytest.mark.parametrize(("day", "rule"), [(dt.date(2017, 9, 15), "ny.eo170.disclose"),
                                           (dt.date(2018, 4, 25), "ny.eo170-1.facility")])
def test_eo_170_and_170_1_bind_state_agencies_from_their_dates(day: dt.date, rule: str) -> None:
    p = _state_place_pack()
    assert rule in {r.id for r in p.snapshot(day, "doccs").rules()}
    assert rule not in {r.id for r in p.snapshot(day - dt.timedelta(days=1), "doccs").rules()}


def test_eo_170_state_disclosure_for_civil_enforcement_prohibited_unless_required_by_law() -> None:
    p = _state_place_pack()
    snap = p.snapshot(dt.date(2021, 1, 4), "doccs")
    for required, outcome in ((False, "prohibited"), (True, "permitted")):
        c = case("doc", "2021-01-04", "information", info="release_date", required_by_law=required)
        facts = {**facade.place().facts(c), "agency": "doccs"}
        ev, used = evaluate_action(snap, "share_information", facts)
        assert ev.outcome == outcome
        assert "NY-EO170" in used

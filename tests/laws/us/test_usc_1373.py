"""8 U.S.C. §§ 1644 (from 1996-08-22) and 1373 (from 1996-09-30): sending citizenship or
immigration status information to federal immigration authorities may not be restricted;
the federal answer preempts lower restrictions (register Q-F1). Custody information is not
status information (register Q-F2)."""

from __future__ import annotations

import datetime as dt

import pytest

from builders import case
from detainerlaw import facade
from detainerlaw.engine.interpreter import evaluate_action
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.laws.nyc import us_pack
from laws.layered import codes, combined, decided, layer

NO_CITY_CARVEOUT = Reform("no carve-out", params={"city_resources_status_carveout": False})


def _status(agency: str, day: str = "2019-06-03", **kw: object):  # type: ignore[no-untyped-def]
    return case(agency, day, "information", info="immigration_status", **kw)


@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
def test_1373_a_status_information_permitted(agency: str) -> None:
    d = decided(_status(agency))
    assert layer(d, "share_information", "us") == "permitted"
    assert combined(d, "share_information") == "permitted"
    assert "8 U.S.C. § 1373(a)" in d.actions["share_information"].citations
    assert "Q-F1" in codes(d)


@pytest.mark.parametrize("agency", ["nypd", "dop"])
def test_1373_a_preempts_a_city_restriction_on_status_information(agency: str) -> None:
    """With § 10-178(c) applied to status answers (E-13a flipped), the city prohibits; § 1373 voids it."""
    d = decided(_status(agency), NO_CITY_CARVEOUT)
    assert layer(d, "share_information", "nyc") == "prohibited"
    assert combined(d, "share_information") == "permitted"
    assert "LAYERS" in codes(d)


def test_1373_q_f1_flipped_the_federal_permission_no_longer_preempts() -> None:
    """status_sharing_protected=false: § 1373 still permits sending status, but voids nothing below."""
    c = _status("nypd")
    facts = facade.place().facts(c)
    for reform, preempts in ((BASELINE, True), (Reform("1373 invalid", params={"status_sharing_protected": False},
                                                      layer="us"), False)):
        snap = us_pack().snapshot(dt.date(2019, 6, 3), "nypd", reform)
        ev, _ = evaluate_action(snap, "share_information", facts)
        assert ev.outcome == "permitted"
        assert any(r.branch.preempts if r.branch else r.rule.preempts for r in ev.deciding) is preempts


def test_1373_b_3_exchange_with_another_government_entity() -> None:
    d = decided(_status("doc", requester="state_or_local", purpose="criminal_other"))
    assert layer(d, "share_information", "us") == "permitted"
    assert "8 U.S.C. § 1373(b)(3)" in d.actions["share_information"].by_layer["us"].citations


@pytest.mark.parametrize("info", ["release_date", "court_date", "incarceration_status"])
def test_1373_q_f2_custody_information_is_not_status(info: str) -> None:
    d = decided(case("doc", "2016-06-01", "information", info=info))
    assert layer(d, "share_information", "us") == "not_governed"
    assert combined(d, "share_information") == layer(d, "share_information", "nyc")
    assert "Q-F2" in codes(d)


def test_1644_from_1996_08_22_and_1373_from_1996_09_30() -> None:
    ids = lambda day: {r.id for r in us_pack().snapshot(day, "doc").rules()}  # noqa: E731
    assert not {"us.1644.status", "us.1373.status"} & ids(dt.date(1996, 8, 21))
    assert "us.1644.status" in ids(dt.date(1996, 8, 22))
    assert "us.1373.status" in ids(dt.date(1996, 9, 30)) and "us.1644.status" not in ids(dt.date(1996, 9, 30))

"""Times and citations as typed: one formatted message naming the field on every surface; daylight
saving time readings decided consistently with a warning; digits of other scripts refused."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from pydantic import ValidationError
from typer.testing import CliRunner

from detainerlaw import facade
from detainerlaw.errors import field_path
from detainerlaw.interfaces.cli import app as cli
from detainerlaw.interfaces.server import Settings, create_app
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.statutes import StatuteError, parse_statute

BASE = {"agency": "doc", "request": {"kind": "detainer"}}


def _conviction(**kw: object) -> dict:
    return {**BASE, "decided_at": "2020-01-01", "person": {"convictions": [
        {"statute": "PL 160.10", "level": "felony", "conviction_date": "2010-01-01", **kw}]}}


def _errors(data: dict) -> list[tuple[str, str]]:
    with pytest.raises(ValidationError) as e:
        Case.model_validate(data)
    return [(field_path(err["loc"]), err["msg"]) for err in e.value.errors()]


@pytest.fixture
def client(tmp_path: Path) -> TestClient:
    with TestClient(create_app(Settings(db_url=f"sqlite:///{tmp_path / 'log.db'}"))) as c:
        yield c


@pytest.mark.parametrize("value", ["06/01/2020", " 2020-06-01 "])
def test_decided_at_message_is_formatted(value: str, client: TestClient, tmp_path: Path) -> None:
    [(field, msg)] = _errors({**BASE, "decided_at": value})
    assert field == "decided_at" and "{" not in msg and repr(value) in msg and "YYYY-MM-DD" in msg
    r = client.post("/api/v1/decide", json={**BASE, "decided_at": value})
    assert r.status_code == 422
    err = r.json()["errors"][0]
    assert err["field"] == "decided_at" and "{" not in err["problem"] and repr(value) in err["problem"]
    path = tmp_path / "case.json"
    path.write_text(json.dumps({**BASE, "decided_at": value}))
    res = CliRunner().invoke(cli, ["decide", str(path)])
    assert res.exit_code == 2 and "decided_at" in res.output and "{value" not in res.output
    assert "Traceback" not in res.output


def test_judicial_warrant_at_message_is_formatted() -> None:
    [(field, msg)] = _errors({**BASE, "decided_at": "2020-06-01",
                              "request": {"kind": "detainer", "judicial_warrant_at": "06/01/2020 10:00"}})
    assert field == "request.judicial_warrant_at" and "{" not in msg and "'06/01/2020 10:00'" in msg


def test_time_skipped_by_daylight_saving_is_decided_as_given_with_a_warning() -> None:
    case = Case.model_validate({**BASE, "decided_at": "2019-03-10T02:30"})
    d = facade.decide(case)
    [w] = d.warnings
    assert w.field == "decided_at" and "skipped" in w.text
    assert case.decided_at.isoformat() == "2019-03-10T02:30:00"


def test_repeated_hour_is_decided_consistently_with_a_warning() -> None:
    plain = facade.decide(Case.model_validate({**BASE, "decided_at": "2019-11-03T01:30"}))
    [w] = plain.warnings
    assert w.field == "decided_at" and "twice" in w.text
    for offset in ("-04:00", "-05:00"):  # either reading of the repeated hour
        d = facade.decide(Case.model_validate({**BASE, "decided_at": f"2019-11-03T01:30{offset}"}))
        assert d.actions == plain.actions
    assert facade.decide(Case.model_validate({**BASE, "decided_at": "2019-11-03T03:30"})).warnings == []


@pytest.mark.parametrize(("kw", "field"), [
    ({"statute": "PL ١٦٠.١٠"}, "person.convictions[0].statute"),
    ({"subdivision": "٢"}, "person.convictions[0].subdivision"),
    ({"subdivision": "(ä)"}, "person.convictions[0].subdivision"),
    ({"jurisdiction": "NJ", "statute": "2C:15-1", "equivalent_statute": "PL ١٦٠.١٥"},
     "person.convictions[0].equivalent_statute"),
])
def test_non_ascii_digits_are_refused(kw: dict, field: str) -> None:
    [(where, msg)] = _errors(_conviction(**kw))
    assert where == field and "{" not in msg


def test_pending_charge_with_arabic_indic_digits_is_refused(client: TestClient) -> None:
    case = {**BASE, "decided_at": "2020-01-01", "person": {"pending_cases": [
        {"charges": [{"statute": "PL ١٢٠.٠٥", "level": "felony"}]}]}}
    r = client.post("/api/v1/decide", json=case)
    assert r.status_code == 422
    assert r.json()["errors"][0]["field"] == "person.pending_cases[0].charges[0].statute"


def test_full_width_digits_still_read_as_plain() -> None:
    case = Case.model_validate(_conviction(statute="PL １６０.１０"))
    assert case.person.convictions[0].statute == "PL 160.10"


def test_parse_statute_reads_only_ascii_digits() -> None:
    with pytest.raises(StatuteError, match="ARABIC-INDIC DIGIT"):
        parse_statute("PL ١٦٠.١٠", strict=True)
    assert parse_statute("PL ١٦٠.١٠", strict=False).code == "OTHER"

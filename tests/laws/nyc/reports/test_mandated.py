"""Mandated reports from the decision log: counts, items that need agency records, periods,
small-cell suppression, and the ``reports mandated`` command."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from detainerlaw.decide import decide
from detainerlaw.decision_log import DecisionLog
from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.reports import (
    ReportError,
    mandated_report,
    public_report,
    quarters,
    record_date,
    reporting_period,
)

runner = CliRunner()
VSC = {"statute": "PL 160.15", "level": "felony", "conviction_date": "2023-01-05", "judgment_date": "2023-02-01"}


def case(agency: str, kind: str, request: dict | None = None, person: dict | None = None) -> Case:
    return Case.model_validate({"agency": agency, "decided_at": "2025-03-01", "instant_arrest_date": "2025-02-20",
                                "request": {"kind": kind, **(request or {})}, "person": person or {}})


CASES = [
    # DOC: two detainers honored (VSC; terrorist-screening match), three not.
    case("doc", "detainer", {"judicial_warrant": True}, {"convictions": [VSC]}),
    case("doc", "detainer", {"judicial_warrant": True}, {"terrorist_screening_match": True}),
    case("doc", "detainer"),
    case("doc", "detainer", {}, {"convictions": [VSC]}),
    case("doc", "detainer", {"administrative_warrant": "I-200"}),
    # DOC: four information requests; (h)(1)(i) twice, (h)(1)(ii) once, prohibited once.
    case("doc", "information", {"information": "release_date"}, {"convictions": [VSC]}),
    case("doc", "information", {"information": "court_date"}, {"terrorist_screening_match": True}),
    case("doc", "information", {"information": "release_date", "purpose": "criminal_other"}),
    case("doc", "information", {"information": "release_date"}),
    # NYPD and DOP: one detainer each, honored; one NYPD detainer not honored.
    case("nypd", "detainer", {"judicial_warrant": True}, {"convictions": [VSC]}),
    case("nypd", "detainer"),
    case("dop", "detainer", {"judicial_warrant": True}, {"convictions": [VSC]}),
]


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('log') / 'log.db'}"
    log = DecisionLog(url)
    for c in CASES:
        log.record(c, decide(c))
    log.flush()
    entries = log.entries(limit=1000)
    log.close()
    log.engine.dispose()
    return url, entries


def period_of(entries: list[dict]) -> tuple[int, dict]:
    day = record_date(entries[0])
    year = day.year + 1 if day.month >= 7 else day.year
    return year, reporting_period("doc", year)


def item(report: dict, n: int) -> dict:
    return next(i for i in report["items"] if i["item"] == n)


def test_periods_follow_the_law() -> None:
    assert reporting_period("doc", 2025) == {"start": dt.date(2024, 7, 1), "end": dt.date(2025, 6, 30),
                                             "due": dt.date(2025, 9, 1)}
    assert reporting_period("dop", 2018)["start"] == dt.date(2017, 7, 1)
    with pytest.raises(ReportError, match="year"):
        reporting_period("nypd", 2012)  # § 14-154 was enacted by LL 21/2013
    with pytest.raises(ReportError, match="agency"):
        reporting_period("ice", 2025)
    assert [q[0] for q in quarters(dt.date(2024, 7, 1), dt.date(2025, 6, 30))] == [
        "2024-Q3", "2024-Q4", "2025-Q1", "2025-Q2"]
    assert quarters(dt.date(2024, 8, 15), dt.date(2024, 12, 31))[0][1:] == (dt.date(2024, 8, 15),
                                                                           dt.date(2024, 9, 30))


def test_doc_report_counts_and_null_items(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    year, p = period_of(entries)
    r = mandated_report(entries, "doc", p["start"], p["end"])
    assert r["period"] == {"start": f"{year - 1}-07-01", "end": f"{year}-06-30", "due": f"{year}-09-01"}
    assert r["decisions"] == 9 and r["section"] == "NYC Admin. Code § 9-131(f)"
    assert [i["item"] for i in r["items"]] == list(range(1, 10))
    assert item(r, 1)["value"] == 5 and item(r, 1)["breakdown"] == {"by_reason": None}
    assert item(r, 2)["value"] == 2 and item(r, 7)["value"] == 3
    for n in (3, 4, 5, 6, 8):
        it = item(r, n)
        assert it["value"] is None and it["source"] == "agency records" and "agency records" in it["note"]
    assert "SCAAP" in item(r, 6)["text"] and item(r, 6)["citation"] == "NYC Admin. Code § 9-131(f)(6)"
    info = item(r, 9)
    assert info["value"] == 4
    b = info["breakdown"]
    assert b["responses_honoring"] == 3 and b["responses_prohibited"] == 1
    assert b["vsc_conviction_or_terrorist_screening_match"] == 2
    assert b["vsc_conviction"] is None and b["no_vsc_conviction"] is None
    assert b["no_vsc_but_terrorist_screening_match"] is None
    quarter = next(q for q in r["s10_178"]["quarters"] if q["requests"])
    assert quarter["by_requesting_agency"] is None
    # every DOC request but the criminal one was decided under § 10-178
    assert sum(q["requests"] for q in r["s10_178"]["quarters"]) == 8
    assert quarter["by_receiving_agency"]["doc"] == {"requests": 8, "assistance_permitted": 4,
                                                     "assistance_prohibited": 4}


def test_nypd_and_dop_items(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    _, p = period_of(entries)
    nypd = mandated_report(entries, "nypd", p["start"], p["end"])
    assert [i["value"] for i in nypd["items"]] == [2, 1, None, 1, 0]
    assert nypd["items"][1]["breakdown"]["under_48_hour_exception_b2"] == 0
    dop = mandated_report(entries, "dop", p["start"], p["end"])
    assert [i["value"] for i in dop["items"]] == [1, 1, None, 0, 0]
    assert "appointment" in dop["items"][4]["text"]


def test_entries_outside_the_period_are_left_out(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    year, p = period_of(entries)
    # entries written before the log kept the decision date count by the time they were written
    moved = [{**e, "decided_on": None, "timestamp": f"{year - 1}-06-30T12:00:00+00:00"} for e in entries]
    r = mandated_report(moved, "doc", p["start"], p["end"])
    assert r["decisions"] == 0 and item(r, 1)["value"] == 0
    inside = [{**e, "decided_on": None, "timestamp": f"{year - 1}-07-01T12:00:00+00:00"} for e in entries]
    assert mandated_report(inside, "doc", p["start"], p["end"])["dated_by"] == {"decision_date": 0,
                                                                               "time_written": 9}
    assert mandated_report(entries, "doc", p["start"], p["end"])["dated_by"] == {"decision_date": 9,
                                                                                "time_written": 0}
    # 03:00 UTC on July 1 is still June 30 in New York
    late = [{**e, "decided_on": None, "timestamp": f"{year - 1}-07-01T03:00:00+00:00"} for e in entries]
    assert mandated_report(late, "doc", p["start"], p["end"])["decisions"] == 0
    with pytest.raises(ReportError, match="period"):
        mandated_report(entries, "doc", p["end"], p["start"])


def test_public_report_suppresses_small_cells(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    _, p = period_of(entries)
    r = mandated_report(entries, "doc", p["start"], p["end"])
    pub = public_report(r)
    assert pub["suppressed"] is True and pub["suppressed_cells"] > 0
    assert item(pub, 1)["value"] is None and item(pub, 1)["suppressed"] is True
    assert "suppressed" not in item(pub, 3)  # null because it needs agency records, not suppressed
    assert item(r, 1)["value"] == 5  # the original is untouched
    many = mandated_report(entries * 3, "doc", p["start"], p["end"])
    assert item(public_report(many), 1)["value"] == 15


def test_cli_json_and_table(logged: tuple[str, list[dict]]) -> None:
    url, entries = logged
    year, _ = period_of(entries)
    res = runner.invoke(app, ["reports", "mandated", "--agency", "doc", "--year", str(year), "--db", url, "--json",
                              "--unsuppressed"])
    assert res.exit_code == 0, res.output
    r = json.loads(res.stdout)
    assert item(r, 1)["value"] == 5 and r["log"]["ok"] is True and r["log"]["entries"] == len(CASES)
    res = runner.invoke(app, ["reports", "mandated", "--agency", "nypd", "--year", str(year), "--db", url, "--json"])
    assert res.exit_code == 0 and json.loads(res.stdout)["suppressed"] is True
    res = runner.invoke(app, ["reports", "mandated", "--agency", "dop", "--year", str(year), "--db", url])
    assert res.exit_code == 0, res.output
    assert "9-205(f)(1)" in res.stdout and "10-178(d)" in res.stdout


@pytest.mark.parametrize(("args", "option"), [
    (["--agency", "ice", "--year", "2025"], "--agency"),
    (["--agency", "doc", "--year", "twenty"], "--year"),
    (["--agency", "doc", "--year", "2011"], "--year"),
    (["--agency", "doc", "--year", "2025", "--db", "sqlite:////nonexistent/dir/log.db"], "--db"),
    (["--agency", "doc", "--year", "2025", "--db", "not a url"], "--db"),
])
def test_cli_bad_input(args: list[str], option: str, tmp_path: Path) -> None:
    res = runner.invoke(app, ["reports", "mandated", *args])
    assert res.exit_code == 2
    assert res.stderr.strip().startswith(f"error: {option}:") and "Traceback" not in res.output

"""The reports due 2012-2017 follow the reporting subdivisions then in force: § 9-131(f) of LL 62/2011 (11
items), of LL 22/2013 (17 items) and of LL 58/2014 (8 items); § 14-154(f) of LL 21/2013 and LL 59/2014
(4 items). Past cases are logged now and counted by their decision date."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from typer.testing import CliRunner

from detainerlaw.decide import decide
from detainerlaw.decision_log import DecisionLog
from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.reports import ReportError, mandated_report, reporting_period

FELONY_2010 = {"statute": "PL 160.10", "level": "felony", "conviction_date": "2010-01-05",
               "judgment_date": "2010-02-01"}
VSC_2012 = {**FELONY_2010, "conviction_date": "2012-01-05", "judgment_date": "2012-02-01"}


def case(agency: str, day: str, request: dict | None = None, person: dict | None = None) -> Case:
    return Case.model_validate({"agency": agency, "decided_at": day, "instant_arrest_date": day,
                                "request": {"kind": "detainer", **(request or {})}, "person": person or {}})


CASES = [
    case("doc", "2012-01-10"),  # before § 9-131 took effect (2012-03-21): not counted in the 2012 report
    case("doc", "2012-06-01", person={"convictions": [FELONY_2010]}),  # (b)(2)(i)(A): honored
    case("doc", "2012-06-02"),  # not honored
    case("doc", "2013-12-01", person={"convictions": [FELONY_2010]}),  # LL 22/2013 period, honored
    case("doc", "2013-12-02"),
    case("doc", "2013-12-03"),
    case("doc", "2015-06-01", {"judicial_warrant": True}, {"convictions": [VSC_2012]}),  # LL 58/2014 (b)(1)
    case("doc", "2015-06-02"),
    case("nypd", "2013-03-01"),  # before § 14-154 took effect (2013-07-16)
    case("nypd", "2013-08-01", person={"convictions": [FELONY_2010]}),
    case("nypd", "2013-08-02"),
    case("nypd", "2015-06-01", person={"convictions": [FELONY_2010], "reentered_after_removal": True}),  # (b)(2)
    case("nypd", "2015-06-02"),
]


@pytest.fixture(scope="module")
def logged(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[dict]]:
    url = f"sqlite:///{tmp_path_factory.mktemp('past') / 'log.db'}"
    log = DecisionLog(url)
    for c in CASES:
        log.record(c, decide(c, explain=False))
    entries = log.entries(limit=1000)
    log.close()
    log.engine.dispose()
    return url, entries


def report(entries: list[dict], agency: str, year: int) -> dict:
    p = reporting_period(agency, year)
    return mandated_report(entries, agency, p["start"], p["end"])


def values(r: dict) -> dict[int, int | None]:
    return {i["item"]: i["value"] for i in r["items"]}


def test_f_9_131_ll62_2011_eleven_items_due_sept_30_2012(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    assert reporting_period("doc", 2012) == {"start": dt.date(2011, 10, 1), "end": dt.date(2012, 9, 30),
                                             "due": dt.date(2012, 9, 30)}
    r = report(entries, "doc", 2012)
    assert r["law"]["enacted_by"] == "LL 62/2011" and r["law"]["in_force"] == "2012-03-21"
    assert [i["citation"] for i in r["items"]] == [f"NYC Admin. Code § 9-131(f)({n})" for n in range(1, 12)]
    assert {i["law"] for i in r["items"]} == {"LL 62/2011"}
    assert {i["counted_from"] for i in r["items"]} == {"2012-03-21"}  # the day the section took effect
    # (1) held: one; (2)-(10) need agency records; (11) not honored under subdivision b: one
    assert values(r) == {1: 1, **dict.fromkeys(range(2, 11)), 11: 1}
    assert r["decisions"] == 2 and r["s10_178"] is None and r["period"]["due"] == "2012-09-30"


@pytest.mark.parametrize("year", [2013, 2014])
def test_f_9_131_ll22_2013_seventeen_items_due_sept_30(logged: tuple[str, list[dict]], year: int) -> None:
    _, entries = logged
    r = report(entries, "doc", year)
    assert r["law"]["enacted_by"] == "LL 22/2013" and r["period"]["start"] == f"{year - 1}-10-01"
    assert [i["item"] for i in r["items"]] == list(range(1, 18))
    first, held, not_honored = r["items"][0], r["items"][1], r["items"][15]
    assert first["breakdown"] == {"by_reason": None} and "stated reason" in first["text"]
    assert held["breakdown"]["by_reason"] is None
    assert "48-hour" in r["items"][16]["text"] and r["items"][16]["value"] is None
    expected = {2013: (0, 0, 0), 2014: (3, 1, 2)}[year]  # the 2013 cases were decided in Dec 2013: FY2014
    assert (first["value"], held["value"], not_honored["value"]) == expected


def test_f_9_131_ll58_2014_eight_items_due_oct_15(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    assert reporting_period("doc", 2015) == {"start": dt.date(2014, 10, 1), "end": dt.date(2015, 9, 30),
                                             "due": dt.date(2015, 10, 15)}
    r = report(entries, "doc", 2015)
    assert r["law"]["enacted_by"] == "LL 58/2014" and len(r["items"]) == 8
    assert r["items"][3]["text"].endswith("who had at least one VSC conviction")
    assert values(r) == {1: 2, 2: 1, 3: None, 4: None, 5: None, 6: None, 7: 1, 8: None}
    assert report(entries, "doc", 2017)["law"]["enacted_by"] == "LL 58/2014"
    assert report(entries, "doc", 2018)["law"]["enacted_by"] == "LL 228/2017"


def test_f_14_154_ll21_2013_four_items_from_july_16_2013(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    r = report(entries, "nypd", 2013)
    assert r["law"]["enacted_by"] == "LL 21/2013" and r["period"]["due"] == "2013-09-30"
    assert {i["counted_from"] for i in r["items"]} == {"2013-07-16"}
    assert values(r) == {1: 2, 2: 1, 3: None, 4: 1}
    assert "under_48_hour_exception_b2" not in r["items"][1]["breakdown"]  # (b)(2) came with LL 59/2014
    with pytest.raises(ReportError, match="period"):
        mandated_report(entries, "nypd", dt.date(2012, 1, 1), dt.date(2012, 12, 31))


def test_f_14_154_ll59_2014_counts_the_48_hour_holds_of_b2(logged: tuple[str, list[dict]]) -> None:
    _, entries = logged
    r = report(entries, "nypd", 2015)
    assert r["law"]["enacted_by"] == "LL 59/2014" and r["period"]["due"] == "2015-10-15"
    assert values(r) == {1: 2, 2: 1, 3: None, 4: 1}
    assert r["items"][1]["breakdown"]["under_48_hour_exception_b2"] == 1


def test_cli_report_for_2013(logged: tuple[str, list[dict]]) -> None:
    url, _ = logged
    runner = CliRunner()
    res = runner.invoke(app, ["reports", "mandated", "--agency", "doc", "--year", "2013", "--db", url, "--json",
                              "--unsuppressed"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["items"][16]["citation"] == "NYC Admin. Code § 9-131(f)(17)"
    res = runner.invoke(app, ["reports", "mandated", "--agency", "doc", "--year", "2014", "--db", url])
    assert res.exit_code == 0, res.output
    assert "LL 22/2013" in res.stdout and "9-131(f)(17)" in res.stdout and "10-178(d)" not in res.stdout

"""§ 9-205(f) (Probation's annual report) and LL 226/2017 § 2: the section took effect
2017-12-01, but the information subd. (f) newly requires is reportable only for periods
beginning 60 days after that date (2018-01-30). Every item of § 9-205(f) is new."""

from __future__ import annotations

import datetime as dt

from detainerlaw.laws.nyc.reports import mandated_report, reporting_period


def entry(day: str, kind: str, outcomes: dict[str, str], citations: tuple[str, ...] = ()) -> dict:
    """A decision-log entry recorded at noon New York time on ``day``."""
    return {
        "timestamp": f"{day}T17:00:00+00:00",
        "agency": "dop",
        "request_kind": kind,
        "law_version": f"nyc/dop@{day}",
        "outcomes": outcomes,
        "citations": list(citations),
    }


HELD = {"hold": "permitted", "notify_release": "not_governed"}
REFUSED = {"hold": "prohibited", "notify_release": "not_governed"}
RECORDS = [
    entry("2017-12-05", "detainer", HELD, ("NYC Admin. Code § 9-205(b)",)),
    entry("2018-01-29", "detainer", REFUSED, ("NYC Admin. Code § 9-205(b)",)),
    entry("2018-01-29", "information", {"share_information": "not_governed"}),
    entry("2018-01-30", "detainer", {"hold": "permitted", "notify_release": "prohibited"},
          ("NYC Admin. Code § 9-205(b)", "NYC Admin. Code § 10-178(c)")),
    entry("2018-03-01", "detainer", {"hold": "prohibited", "notify_release": "prohibited"},
          ("NYC Admin. Code § 9-205(b)", "NYC Admin. Code § 10-178(c)")),
    entry("2018-03-02", "information", {"share_information": "prohibited"}, ("NYC Admin. Code § 10-178(c)",)),
]


def report_2018() -> dict:
    p = reporting_period("dop", 2018)
    return mandated_report(RECORDS, "dop", p["start"], p["end"])


def values(report: dict) -> list[int | None]:
    return [i["value"] for i in report["items"]]


def test_f_9_205_items_count_from_2018_01_30_ll226_section_2() -> None:
    report = report_2018()
    # detainers received 2018-01-30 and 2018-03-01 (not 2017-12-05, 2018-01-29); one held;
    # item 3 needs agency records; one not honored; one information request.
    assert values(report) == [2, 1, None, 1, 1]
    assert {i["counted_from"] for i in report["items"]} == {"2018-01-30"}
    assert report["decisions"] == 3


def test_f_9_205_later_periods_count_whole() -> None:
    later = [{**r, "timestamp": r["timestamp"].replace("2018-0", "2019-0").replace("2017-12", "2018-12")}
             for r in RECORDS]
    p = reporting_period("dop", 2019)
    report = mandated_report(later, "dop", p["start"], p["end"])
    assert values(report)[0] == 4
    assert {i["counted_from"] for i in report["items"]} == {p["start"].isoformat()}


def test_f_4_9_205_not_honored_counts_the_hold_only_register_dop_1() -> None:
    """§ 9-205 honors a detainer only by holding: a permitted hold is honored even when
    § 10-178 forbids the release notice, and a permitted notice alone is not an honored hold."""
    records = [
        entry("2018-05-01", "detainer", {"hold": "permitted", "notify_release": "prohibited"}),
        entry("2018-05-02", "detainer", {"hold": "prohibited", "notify_release": "permitted"}),
    ]
    report = mandated_report(records, "dop", dt.date(2017, 7, 1), dt.date(2018, 6, 30))
    assert values(report)[:4] == [2, 1, None, 1]

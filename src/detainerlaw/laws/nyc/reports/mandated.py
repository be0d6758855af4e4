"""The reports New York City's detainer laws require, counted from the decision log.

Input: decision-log entries (``DecisionLog.entries()`` dicts, or ``LogEntry`` rows). Each entry
stores the receiving agency, the kind of request, the law version, the outcome of each action, the
citations that decided it, when it was written and (entries written since it was kept) the case's
decision date. It stores no names, no criminal history and no person flags, so counts that need to
know *about the person* (VSC conviction, terrorist-screening match), *about the request* (ICE's stated
reason, the kind of information asked for, who asked) or *what happened afterwards* (a transfer to
ICE, SCAAP funding) are reported as ``None`` with a note saying what record they need.

Two more limits apply to every count:

* an entry says what the law **permitted**, not what the agency did; "held" and "responses
  honoring" are the decisions that permitted (or required) it, an upper bound on what was done;
* an entry is dated by its case's decision date (``decided_on``); an entry written before the log
  kept it is dated by the time it was written (New York time); a request decided twice counts twice.

The items are those of the version of the subdivision in force on the period's last day
(``subdivisions.VERSIONS``): reports due 2012 to 2017 follow the 2011, 2013 and 2014 texts, reports
due from 2018 those of LL 228/2017 and LL 226/2017. § 10-178(d) asks for a quarterly count from
2018-01-30; the law names no quarters, calendar quarters are used.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

from detainerlaw.errors import InputError
from detainerlaw.laws.nyc.enactments import LL228_2017
from detainerlaw.laws.nyc.reports.subdivisions import (
    BY_REASON,
    VERSIONS,
    Item,
    Version,
    version_due,
    version_for_period,
)

NEW_YORK = ZoneInfo("America/New_York")
SUPPRESS_BELOW = 10
AGENCIES = ("doc", "nypd", "dop")
HONORED = ("permitted", "required")
S10_178_IN_FORCE = LL228_2017.in_force
AGENCY_NAME = {"doc": "Department of Correction", "nypd": "Police Department", "dop": "Department of Probation"}

NEEDS_AGENCY_RECORDS = "needs agency records: the decision engine never sees {what}"
REASON_NOTE = ("the breakdown by ICE's stated reason (reason to believe removable, removal proceedings begun, "
               "arrest warrant served, removal order obtained) needs agency records: the log does not store it")
VSC_SPLIT_NOTE = ("the split by VSC conviction / no VSC conviction / terrorist-screening match, by type of information "
                  "and by whether the agency facilitated a transfer needs agency records: the log stores no person "
                  "flags and not the kind of information asked for")


class ReportError(InputError):
    """A report asked for with an agency, year or period the law does not provide for (``field``:
    the option that asked for it)."""

    def __init__(self, option: str, problem: str):
        super().__init__(option, problem)
        self.option = option


# -- periods ----------------------------------------------------------------------------------


def reporting_period(agency: str, year: int) -> dict[str, dt.date]:
    """The period of the annual report due in ``year``, under the version of the subdivision then
    in force (2012-2017: the twelve months ending Sept 30; from 2018: ending June 30)."""
    _check_agency(agency)
    if year > 9998:
        raise ReportError("year", f"{year}: not a year this report can cover")
    version = version_due(agency, year)
    if version is None:
        first = VERSIONS[agency][0]
        raise ReportError("year", f"{year}: the first report under {first.subdivision} ({first.enactment}) was due "
                                  f"{first.first_due.isoformat()}")
    return version.period(year)


def quarters(start: dt.date, end: dt.date) -> list[tuple[str, dt.date, dt.date]]:
    """Calendar quarters that overlap ``start``..``end``, each clipped to it."""
    out = []
    y, q = start.year, (start.month - 1) // 3
    while True:
        q_start = dt.date(y, 3 * q + 1, 1)
        if q_start > end:
            return out
        q_end = dt.date(y + (q == 3), (3 * q + 3) % 12 + 1, 1) - dt.timedelta(days=1)
        out.append((f"{y}-Q{q + 1}", max(q_start, start), min(q_end, end)))
        y, q = (y + 1, 0) if q == 3 else (y, q + 1)


# -- records ----------------------------------------------------------------------------------


def _check_agency(agency: str) -> None:
    if agency not in AGENCIES:
        raise ReportError("agency", f"{agency!r} is not one of {', '.join(AGENCIES)}")


def _normalize(record: Any) -> dict:
    r = record.as_dict() if hasattr(record, "as_dict") else dict(record)
    for key in ("outcomes", "citations"):
        if isinstance(r.get(key), str):
            r[key] = json.loads(r[key])
    return r


def record_date(record: Mapping) -> dt.date:
    """The date a log entry counts on: its case's decision date where the entry keeps it, otherwise
    the New York date on which it was written."""
    if record.get("decided_on"):
        return dt.date.fromisoformat(record["decided_on"])
    ts = dt.datetime.fromisoformat(record["timestamp"])
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=dt.UTC)
    return ts.astimezone(NEW_YORK).date()


def _within(records: list[dict], start: dt.date, end: dt.date) -> list[dict]:
    return [r for r in records if start <= record_date(r) <= end]


def _honored(outcome: str | None) -> bool:
    return outcome in HONORED


def _cited(record: Mapping, prefix: str) -> bool:
    return any(c.removeprefix("NYC Admin. Code ").startswith(prefix) for c in record["citations"])


# -- items ------------------------------------------------------------------------------------


def _detainer_counts(records: list[dict], version: Version) -> dict[str, int]:
    detainers = [r for r in records if r["request_kind"] == "detainer"]
    held = [r for r in detainers if _honored(r["outcomes"].get("hold"))]
    # § 9-205 honors a detainer only by holding (register DOP-1): a Probation detainer counts as
    # honored when the hold was permitted, whatever § 10-178 said of the release notice.
    honored = held if version.agency == "dop" else [
        r for r in detainers if any(_honored(o) for o in r["outcomes"].values())]
    out = {"received": len(detainers), "held": len(held), "not_honored": len(detainers) - len(honored),
           "notify_permitted": sum(_honored(r["outcomes"].get("notify_release")) for r in detainers)}
    if version.forty_eight_hour:
        out["held_48_hour"] = sum(_cited(r, "§ 14-154(b)(2)") for r in held)
    return out


def _information(records: list[dict], version: Version, start: dt.date) -> tuple[int, dict, str, dt.date]:
    counted_from = max(start, version.information_from or start)
    rs = [r for r in records if r["request_kind"] == "information" and record_date(r) >= counted_from]
    outcomes = Counter(r["outcomes"].get("share_information", "not_governed") for r in rs)
    breakdown: dict[str, Any] = {
        "requests": len(rs),
        "responses_honoring": sum(outcomes[o] for o in HONORED),
        "responses_not_governed": outcomes["not_governed"],
        "responses_prohibited": outcomes["prohibited"],
        "no_vsc_conviction": None,
        "vsc_conviction": None,
        "no_vsc_but_terrorist_screening_match": None,
    }
    note = VSC_SPLIT_NOTE
    if version.agency == "doc":
        # § 9-131(h)(1)(i) is cited when the answer was permitted because the person had a VSC
        # conviction or a possible terrorist-screening match: the two together, not each.
        breakdown["vsc_conviction_or_terrorist_screening_match"] = sum(
            _cited(r, "§ 9-131(h)(1)(i)") and _honored(r["outcomes"].get("share_information")) for r in rs)
        note += ("; responses permitted under § 9-131(h)(1)(i) (VSC conviction or terrorist-screening match, the "
                 "citation does not say which) are counted together")
    note += ("; 'responses honoring' counts answers the law permitted or required, an upper bound on answers given; "
             "'not governed' answers are ones these sections do not restrict")
    return len(rs), breakdown, note, counted_from


def _item(item: Item, version: Version, records: list[dict], counts: dict[str, int], start: dt.date) -> dict:
    """One item as the version's subdivision numbers it, counted where the log can."""
    value: int | None
    breakdown: dict | None = None
    note: str | None = None
    counted_from = start
    if item.measure == "received":
        value = counts["received"]
    elif item.measure == "held":
        value = counts["held"]
        note = f"decisions that permitted a hold ({version.held_basis}): an upper bound on holds made"
        if version.agency != "dop":
            breakdown = {"notify_release_permitted": counts["notify_permitted"]}
        if version.forty_eight_hour:
            breakdown = {"under_48_hour_exception_b2": counts["held_48_hour"], **(breakdown or {})}
    elif item.measure == "not_honored":
        value = counts["not_honored"]
        refused = "a hold was not" if version.agency == "dop" else "neither a hold nor a release notification was"
        note = (f"detainer decisions under which {refused} permitted; a detainer the law allowed the department to "
                "honor but which it declined is not seen")
    elif item.measure == "information":
        value, breakdown, note, counted_from = _information(records, version, start)
    else:
        value, note = None, NEEDS_AGENCY_RECORDS.format(what=item.needs)
    if BY_REASON in item.split:
        breakdown = {BY_REASON: None, **(breakdown or {})}
        note = f"{note}; {REASON_NOTE}" if note else REASON_NOTE
    return {
        "item": item.number,
        "citation": f"{version.subdivision}({item.number})",
        "law": str(version.enactment),
        "law_in_force": version.enactment.in_force.isoformat(),
        "text": item.text,
        "value": value,
        "source": "decision log" if value is not None else "agency records",
        "breakdown": breakdown,
        "note": note,
        "counted_from": counted_from.isoformat(),
    }


def immigration_enforcement_requests(records: Iterable[Any], period_start: dt.date, period_end: dt.date,
                                     agency: str | None = None) -> dict:
    """§ 10-178(d): requests for help with immigration enforcement and the responses, per quarter and
    per receiving agency. A decision counts when § 10-178 decided it (subd. (c) or (e)), i.e. the engine
    treated the request as one for immigration enforcement."""
    rs = [_normalize(r) for r in records]
    if agency is not None:
        rs = [r for r in rs if r["agency"] == agency]
    rows = []
    for label, q_start, q_end in quarters(max(period_start, S10_178_IN_FORCE), period_end):
        inq = [r for r in _within(rs, q_start, q_end) if _cited(r, "§ 10-178")]
        by_agency: dict[str, dict[str, int]] = {}
        for r in inq:
            row = by_agency.setdefault(r["agency"], {"requests": 0, "assistance_permitted": 0,
                                                     "assistance_prohibited": 0})
            row["requests"] += 1
            honored = any(_honored(o) for o in r["outcomes"].values())
            row["assistance_permitted" if honored else "assistance_prohibited"] += 1
        rows.append({"quarter": label, "start": q_start.isoformat(), "end": q_end.isoformat(),
                     "requests": len(inq), "by_receiving_agency": dict(sorted(by_agency.items())),
                     "by_requesting_agency": None})
    return {
        "citation": "NYC Admin. Code § 10-178(d)",
        "law": str(LL228_2017),
        "text": "Quarterly, anonymized count of requests from non-local law enforcement for help with immigration "
                "enforcement and of the responses, by requesting and by receiving agency",
        "quarters": rows,
        "note": "quarters are calendar quarters (the law says only 'quarterly'); a request counts when § 10-178 "
                "decided it; the split by requesting agency needs agency records: the log does not store who made "
                "the request; requests already reported under §§ 9-131, 9-205 and 14-154 need not be repeated",
    }


def mandated_report(records: Iterable[Any], agency: str, period_start: dt.date, period_end: dt.date) -> dict:
    """The report ``agency`` owes for ``period_start``..``period_end`` (inclusive, New York dates) under the
    version of its reporting subdivision in force on ``period_end``, counted from decision-log entries.
    Counts are exact; see ``public_report`` before publishing."""
    _check_agency(agency)
    if period_end < period_start:
        raise ReportError("period", f"ends ({period_end}) before it starts ({period_start})")
    version = version_for_period(agency, period_end)
    if version is None:
        first = VERSIONS[agency][0]
        raise ReportError("period", f"ends ({period_end}) before {first.subdivision} took effect "
                                    f"({first.enactment.in_force.isoformat()}, {first.enactment})")
    start = max(period_start, version.counted_from)
    all_rs = [_normalize(r) for r in records]
    rs = _within([r for r in all_rs if r["agency"] == agency], start, period_end)
    counts = _detainer_counts(rs, version)
    due = version.period(period_end.year)
    reaches_s10_178 = period_end >= S10_178_IN_FORCE
    return {
        "agency": agency,
        "agency_name": AGENCY_NAME[agency],
        "section": version.subdivision,
        "law": {"enacted_by": str(version.enactment), "in_force": version.enactment.in_force.isoformat(),
                "text": version.enactment.text},
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat(),
                   "due": due["due"].isoformat() if (period_start, period_end) == (due["start"], due["end"]) else None},
        "decisions": len(rs),
        # which date placed each counted entry in the period (entries written before the log kept the
        # decision date are placed by the time they were written)
        "dated_by": {"decision_date": sum(bool(r.get("decided_on")) for r in rs),
                     "time_written": sum(not r.get("decided_on") for r in rs)},
        "law_versions": sorted({r["law_version"] for r in rs}),
        "items": [_item(i, version, rs, counts, start) for i in version.items],
        "s10_178": immigration_enforcement_requests(all_rs, period_start, period_end, agency)
        if reaches_s10_178 else None,
        "suppressed": False,
        "notes": [
            "counted from the decision log: each entry says what the law permitted, not what the agency did",
            "entries are dated by their case's decision date; entries written before the log kept it by the time "
            "they were written (New York time); a request decided twice is counted twice",
            "items needing events after the decision (transfers to ICE, SCAAP funding) are null: they need agency "
            "records",
        ],
    }


# -- publication ------------------------------------------------------------------------------


def _suppress(node: Any, threshold: int) -> tuple[Any, int]:
    if isinstance(node, bool) or node is None:
        return node, 0
    if isinstance(node, int):
        return (None, 1) if 0 < node < threshold else (node, 0)
    if isinstance(node, dict):
        n = 0
        for k, v in node.items():
            if k in ("item", "quarter", "start", "end", "due"):
                continue
            node[k], m = _suppress(v, threshold)
            n += m
        return node, n
    if isinstance(node, list):
        n = 0
        for i, v in enumerate(node):
            node[i], m = _suppress(v, threshold)
            n += m
        return node, n
    return node, 0


def public_report(report: dict, threshold: int = SUPPRESS_BELOW) -> dict:
    """A copy of ``report`` fit to publish: every count from 1 to ``threshold - 1`` withheld (``None``), since
    small cells can identify people; the copy says so and how many cells it withheld."""
    out = copy.deepcopy(report)
    for part in ("items", "s10_178", "dated_by"):
        out[part], n = _suppress(out[part], threshold)
        out["suppressed_cells"] = out.get("suppressed_cells", 0) + n
    decisions = out["decisions"]
    if 0 < decisions < threshold:
        out["decisions"] = None
        out["suppressed_cells"] += 1
    for item in out["items"]:
        if item["value"] is None and report_value(report, item["item"]) is not None:
            item["suppressed"] = True
    out["suppressed"] = True
    out["suppression"] = f"counts from 1 to {threshold - 1} are withheld (null) so that no one can be identified"
    return out


def report_value(report: dict, number: int) -> int | None:
    return next(i["value"] for i in report["items"] if i["item"] == number)

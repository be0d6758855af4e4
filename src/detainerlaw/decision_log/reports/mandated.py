"""The reports New York City's detainer laws require, counted from the decision log.

Input: decision-log entries (``DecisionLog.entries()`` dicts, or ``LogEntry`` rows). Each entry
stores the receiving agency, the kind of request, the law version, the outcome of each action and
the citations that decided it, and the time it was recorded. It stores no names, no criminal
history and no person flags, so counts that need to know *about the person* (VSC conviction,
terrorist-screening match), *about the request* (ICE's stated reason, the kind of information
asked for, who asked) or *what happened afterwards* (a transfer to ICE, SCAAP funding) are
reported as ``None`` with a note saying what record they need.

Two more limits apply to every count:

* an entry says what the law **permitted**, not what the agency did; "held" and "responses
  honoring" are the decisions that permitted (or required) it, an upper bound on what was done;
* an entry is dated by the time it was recorded (converted to New York time), not the case's
  ``decided_at``, which the log does not keep; a request decided twice is counted twice.

Item lists are the current ones: § 9-131(f) and § 14-154(f) as amended by LL 228 of 2017 and
§ 9-205(f) (LL 226 of 2017): annual, for the 12 months ending June 30, due the next Sept 1.
§ 10-178(d) asks for a quarterly count; the law names no quarters, calendar quarters are used.
"""

from __future__ import annotations

import copy
import datetime as dt
import json
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any
from zoneinfo import ZoneInfo

NEW_YORK = ZoneInfo("America/New_York")
SUPPRESS_BELOW = 10
AGENCIES = ("doc", "nypd", "dop")
FIRST_YEAR = 2018  # the first report under the current item lists is due 2018-09-01
HONORED = ("permitted", "required")

# Items that LL 228 of 2017 added are counted only from its effective date. § 9-205 took effect
# with LL 226 of 2017 (2017-12-01), but LL 226 § 2 makes the information its subd. (f) newly
# requires (every item: the section is new) reportable only for periods beginning 60 days after
# that date: 2018-01-30.
LL228_IN_FORCE = dt.date(2018, 1, 30)
S9_205_IN_FORCE = dt.date(2017, 12, 1)
S9_205_REPORTING_FROM = S9_205_IN_FORCE + dt.timedelta(days=60)
S10_178_IN_FORCE = dt.date(2018, 1, 30)

SECTION = {"doc": "§ 9-131(f)", "nypd": "§ 14-154(f)", "dop": "§ 9-205(f)"}
AGENCY_NAME = {"doc": "Department of Correction", "nypd": "Police Department", "dop": "Department of Probation"}

NEEDS_AGENCY_RECORDS = "needs agency records: the decision engine never sees {what}"
VSC_SPLIT_NOTE = ("the split by VSC conviction / no VSC conviction / terrorist-screening match, by type of information "
                  "and by whether the agency facilitated a transfer needs agency records: the log stores no person "
                  "flags and not the kind of information asked for")


class ReportError(ValueError):
    """A report asked for with an agency, year or period the law does not provide for."""

    def __init__(self, option: str, problem: str):
        super().__init__(f"{option}: {problem}")
        self.option, self.problem = option, problem


# -- periods ----------------------------------------------------------------------------------


def reporting_period(agency: str, year: int) -> dict[str, dt.date]:
    """The period of the annual report due on Sept 1 of ``year``: the 12 months ending June 30."""
    _check_agency(agency)
    if year < FIRST_YEAR:
        raise ReportError("year", f"{year}: the current item lists start with the report due {FIRST_YEAR}-09-01 "
                                  "(earlier reports followed the 2011/2013/2014 versions of the law)")
    if year > 9998:
        raise ReportError("year", f"{year}: not a year this report can cover")
    return {"start": dt.date(year - 1, 7, 1), "end": dt.date(year, 6, 30), "due": dt.date(year, 9, 1)}


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
    """The New York date on which a log entry was recorded."""
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


def _item(number: int, section: str, text: str, value: int | None, *, breakdown: dict | None = None,
          note: str | None = None, counted_from: dt.date | None = None) -> dict:
    item = {
        "item": number,
        "citation": f"NYC Admin. Code {section}({number})",
        "text": text,
        "value": value,
        "source": "decision log" if value is not None else "agency records",
        "breakdown": breakdown,
        "note": note,
    }
    if counted_from is not None:
        item["counted_from"] = counted_from.isoformat()
    return item


def _not_honored(number: int, section: str, counts: dict, refused: str) -> dict:
    """The "detainers not honored" item: decisions under which ``refused`` permitted."""
    return _item(number, section, "Detainers not honored", counts["not_honored"],
                 note=f"detainer decisions under which {refused} permitted; a detainer the law allowed the "
                      "department to honor but which it declined is not seen")


def _absent(number: int, section: str, text: str, what: str) -> dict:
    return _item(number, section, text, None, note=NEEDS_AGENCY_RECORDS.format(what=what))


def _detainer_counts(records: list[dict], agency: str) -> dict[str, int]:
    detainers = [r for r in records if r["request_kind"] == "detainer"]
    held = [r for r in detainers if _honored(r["outcomes"].get("hold"))]
    # § 9-205 honors a detainer only by holding (register DOP-1): a Probation detainer counts as
    # honored when the hold was permitted, whatever § 10-178 said of the release notice.
    honored = held if agency == "dop" else [
        r for r in detainers if any(_honored(o) for o in r["outcomes"].values())]
    out = {"received": len(detainers), "held": len(held), "not_honored": len(detainers) - len(honored),
           "notify_permitted": sum(_honored(r["outcomes"].get("notify_release")) for r in detainers)}
    if agency == "nypd":
        out["held_48_hour"] = sum(_cited(r, "§ 14-154(b)(2)") for r in held)
    return out


def _information_item(number: int, section: str, records: list[dict], agency: str, start: dt.date,
                      asked: str) -> dict:
    counted_from = max(start, LL228_IN_FORCE if agency != "dop" else S9_205_REPORTING_FROM)
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
    if agency == "doc":
        # § 9-131(h)(1)(i) is cited when the answer was permitted because the person had a VSC
        # conviction or a possible terrorist-screening match: the two together, not each.
        breakdown["vsc_conviction_or_terrorist_screening_match"] = sum(
            _cited(r, "§ 9-131(h)(1)(i)") and _honored(r["outcomes"].get("share_information")) for r in rs)
        note += ("; responses permitted under § 9-131(h)(1)(i) (VSC conviction or terrorist-screening match, the "
                 "citation does not say which) are counted together")
    note += ("; 'responses honoring' counts answers the law permitted or required, an upper bound on answers given; "
             "'not governed' answers are ones these sections do not restrict")
    text = (f"ICE requests for a person's incarceration status, release date, court dates{asked} or other "
            "information, and how many responses honored them, split by VSC conviction, no VSC conviction, and no "
            "VSC conviction but a terrorist-screening match, each by type of information and by whether the agency "
            "helped transfer the person to ICE")
    return _item(number, section, text, len(rs), breakdown=breakdown, note=note, counted_from=counted_from)


def _doc_items(records: list[dict], start: dt.date) -> list[dict]:
    s = SECTION["doc"]
    c = _detainer_counts(records, "doc")
    reason = ("the breakdown by ICE's stated reason (reason to believe removable, removal proceedings begun, "
              "arrest warrant served, removal order obtained) needs agency records: the log does not store it")
    return [
        _item(1, s, "Civil immigration detainers lodged with the department, split where possible by ICE's "
                    "stated reason", c["received"], breakdown={"by_reason": None}, note=reason),
        _item(2, s, "People held past their release time on a detainer, with the same split", c["held"],
              breakdown={"by_reason": None, "notify_release_permitted": c["notify_permitted"]},
              note="decisions that permitted a hold (judicial warrant and VSC conviction or terrorist-screening "
                   "match): an upper bound on holds made; " + reason),
        _absent(3, s, "People transferred to ICE custody on a detainer", "a transfer to ICE"),
        _absent(4, s, "People transferred to ICE who had at least one VSC conviction", "a transfer to ICE"),
        _absent(5, s, "People transferred to ICE with no VSC conviction but a possible terrorist-screening match",
                "a transfer to ICE"),
        _absent(6, s, "SCAAP (State Criminal Alien Assistance Program) funding requested and received",
                "SCAAP applications or awards"),
        _not_honored(7, s, c, "neither a hold nor a release notification was"),
        _absent(8, s, "People held past release but not transferred because the 48-hour period of 8 C.F.R. "
                      "287.7 ran out or ICE said it would not take custody", "what ICE did after a hold"),
        _information_item(9, s, records, "doc", start, ""),
    ]


def _nypd_items(records: list[dict], start: dt.date) -> list[dict]:
    s = SECTION["nypd"]
    c = _detainer_counts(records, "nypd")
    return [
        _item(1, s, "Civil immigration detainers received", c["received"]),
        _item(2, s, "People held past their release time on a detainer", c["held"],
              breakdown={"under_48_hour_exception_b2": c["held_48_hour"],
                         "notify_release_permitted": c["notify_permitted"]},
              note="decisions that permitted a hold (under (b)(1), or for up to 48 hours under (b)(2)): an upper "
                   "bound on holds made"),
        _absent(3, s, "People transferred to ICE custody on a detainer", "a transfer to ICE"),
        _not_honored(4, s, c, "neither a hold nor a release notification was"),
        _information_item(5, s, records, "nypd", start, ""),
    ]


def _dop_items(records: list[dict], start: dt.date) -> list[dict]:
    """§ 9-205(f)(1)-(5); each counted from ``start``, never before 2018-01-30 (LL 226/2017 § 2)."""
    s = SECTION["dop"]
    c = _detainer_counts(records, "dop")
    items = [
        _item(1, s, "Civil immigration detainers received", c["received"]),
        _item(2, s, "People held on a detainer", c["held"],
              note="decisions that permitted a hold (judicial warrant and VSC conviction or terrorist-screening "
                   "match): an upper bound on holds made"),
        _absent(3, s, "People transferred to ICE custody on a detainer", "a transfer to ICE"),
        _not_honored(4, s, c, "a hold was not"),
        _information_item(5, s, records, "dop", start, ", scheduled appointment dates or times"),
    ]
    for item in items:
        item.setdefault("counted_from", start.isoformat())
    return items


ITEMS = {"doc": _doc_items, "nypd": _nypd_items, "dop": _dop_items}


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
        "text": "Quarterly, anonymized count of requests from non-local law enforcement for help with immigration "
                "enforcement and of the responses, by requesting and by receiving agency",
        "quarters": rows,
        "note": "quarters are calendar quarters (the law says only 'quarterly'); a request counts when § 10-178 "
                "decided it; the split by requesting agency needs agency records: the log does not store who made "
                "the request; requests already reported under §§ 9-131, 9-205 and 14-154 need not be repeated",
    }


def mandated_report(records: Iterable[Any], agency: str, period_start: dt.date, period_end: dt.date) -> dict:
    """The report ``agency`` owes for ``period_start``..``period_end`` (inclusive, New York dates),
    counted from decision-log entries. Counts are exact; see ``public_report`` before publishing."""
    _check_agency(agency)
    if period_end < period_start:
        raise ReportError("period", f"ends ({period_end}) before it starts ({period_start})")
    start = max(period_start, S9_205_REPORTING_FROM) if agency == "dop" else period_start
    all_rs = [_normalize(r) for r in records]
    rs = _within([r for r in all_rs if r["agency"] == agency], start, period_end)
    return {
        "agency": agency,
        "agency_name": AGENCY_NAME[agency],
        "section": f"NYC Admin. Code {SECTION[agency]}",
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat(),
                   "due": dt.date(period_end.year, 9, 1).isoformat()
                   if (period_end.month, period_end.day) == (6, 30) else None},
        "decisions": len(rs),
        "law_versions": sorted({r["law_version"] for r in rs}),
        "items": ITEMS[agency](rs, start),
        "s10_178": immigration_enforcement_requests(all_rs, period_start, period_end, agency),
        "suppressed": False,
        "notes": [
            "counted from the decision log: each entry says what the law permitted, not what the agency did",
            "entries are dated by the time they were recorded (New York time); the log does not keep the case's "
            "decision date, and a request decided twice is counted twice",
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
    for part in ("items", "s10_178"):
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

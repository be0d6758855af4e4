"""Every effective date, the day before and the day of, for every agency and request kind.

Expected outcomes are read from the effective-date table (spec README) and the sections:
§ 9-131 (b) from 2012-03-21, (h)(1)-(2) from 2015-02-12; § 14-154 from 2013-07-16;
§ 9-205 from 2017-12-01; § 10-178(c) from 2018-01-30; § 4-210 from 2018-04-16.
Two people: one with no record and no flags, one with a recent VSC judgment whose
detainer comes with a judicial warrant.
"""

from __future__ import annotations

import datetime as dt

import pytest

from builders import case, conv, day_before, outcomes

DATES = ["2012-03-21", "2013-07-16", "2014-12-14", "2015-02-12", "2017-12-01", "2018-01-30", "2018-04-16",
         "2026-01-29"]
DAYS = sorted({d for e in DATES for d in (day_before(e), e)})
KINDS = ["detainer", "information", "office", "facility_access", "criminal_warrant", "criminal_warrant_imm"]
NG, P, X = "not_governed", "permitted", "prohibited"


def on_or_after(d: str, e: str) -> bool:
    return dt.date.fromisoformat(d) >= dt.date.fromisoformat(e)


def expected(agency: str, kind: str, d: str, recent_vsc: bool, action: str = "") -> str:
    """The outcome the statutes give an engaged action."""
    citywide = on_or_after(d, "2018-01-30")  # § 10-178(c)
    if kind == "detainer" and agency == "dop" and action == "notify_release":
        return X if citywide else NG  # § 9-205 regulates only the hold; § 10-178(c) the notice (DOP-1)
    if kind == "detainer":
        start = {"doc": "2012-03-21", "nypd": "2013-07-16", "dop": "2017-12-01"}[agency]
        if not on_or_after(d, start):
            return NG
        return P if recent_vsc else X
    if kind == "information":
        if agency == "doc" and on_or_after(d, "2015-02-12"):
            return P if recent_vsc else X  # (h)(1)(i); § 10-178(e)(ii) keeps it
        return X if citywide else NG  # NYPD/DOP: no section permits sharing
    if kind == "office":
        if agency == "doc" and on_or_after(d, "2015-02-12"):
            return X
        return X if citywide else NG
    if kind == "facility_access":  # the second person's request carries a judicial warrant: § 4-210 ground 2
        return (P if recent_vsc else X) if citywide else NG
    if kind == "criminal_warrant":
        return NG  # E-17: not a civil detainer, not immigration enforcement
    if kind == "criminal_warrant_imm":
        return X if citywide else NG  # § 10-178(a): re-entry offences are immigration enforcement
    raise AssertionError(kind)


def build(agency: str, kind: str, d: str, recent_vsc: bool):
    kw: dict = {}
    if kind.startswith("criminal_warrant"):
        kw["purpose"] = "criminal_immigration" if kind.endswith("imm") else "criminal_other"
        kind = "criminal_warrant"
    if recent_vsc:
        judgment = (dt.date.fromisoformat(d) - dt.timedelta(days=700)).isoformat()
        kw.update(jw=True, convictions=[conv("PL 160.10", judgment)], arrest=d)
    return case(agency, d, kind, **kw)


@pytest.mark.parametrize("recent_vsc", [False, True], ids=["no-record", "jw-recent-vsc"])
@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("agency", ["doc", "nypd", "dop"])
@pytest.mark.parametrize("d", DAYS)
def test_effective_dates_each_agency_and_request_kind(d: str, agency: str, kind: str, recent_vsc: bool) -> None:
    got = outcomes(build(agency, kind, d, recent_vsc))
    want = {a: expected(agency, kind, d, recent_vsc, a) for a in got}
    assert got == want, f"{agency} {kind} on {d}: {got}, statute gives {want}"

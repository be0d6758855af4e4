"""Small builders so that statute tests read like the worked examples of the reference
(nyc-law.md § 12): an agency, a date, a request, a history -> an outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

from detainerlaw.decide import decide
from detainerlaw.laws.nyc.case import Case
from detainerlaw.models.decision import Decision

D = dt.date.fromisoformat


def day_before(d: str) -> str:
    return (D(d) - dt.timedelta(days=1)).isoformat()


def conv(
    statute: str,
    judgment: str | None,
    *,
    level: str = "felony",
    convicted: str | None = None,
    sub: str | None = None,
    offense: str | None = None,
    **kw: Any,
) -> dict:
    """A conviction; ``judgment`` is the sentencing date (None: not yet sentenced)."""
    c: dict = {
        "statute": statute,
        "subdivision": sub,
        "level": level,
        "conviction_date": convicted or judgment,
        "judgment_date": judgment,
    }
    if offense:
        c["offense_date"] = offense
    c.update(kw)
    return c


def jail(start: str, end: str, vsc: bool = True) -> dict:
    return {"start": start, "end": end, "for_violent_or_serious": vsc}


def charge(statute: str, level: str = "misdemeanor", sub: str | None = None, **kw: Any) -> dict:
    return {"statute": statute, "subdivision": sub, "level": level, **kw}


def pending(*charges: dict, **kw: Any) -> dict:
    return {"charges": list(charges), **kw}


def case(
    agency: str,
    decided_at: str,
    kind: str = "detainer",
    *,
    arrest: str | None = None,
    jw: bool = False,
    jw_at: str | None = None,
    admin: str | None = None,
    info: str | None = None,
    purpose: str = "civil_immigration",
    requester: str = "federal_immigration",
    required_by_law: bool = False,
    convictions: tuple | list = (),
    jails: tuple | list = (),
    cases: tuple | list = (),
    request: dict | None = None,
    **flags: Any,
) -> Case:
    """A Case. ``flags`` are Person booleans (terrorist_screening_match=True, ...)."""
    req: dict = {"kind": kind, "purpose": purpose, "requester": requester, "judicial_warrant": jw,
                 "required_by_law": required_by_law}
    if jw_at:
        req["judicial_warrant_at"] = jw_at
    if admin:
        req["administrative_warrant"] = admin
    if kind == "information":
        req["information"] = info or "release_date"
    req.update(request or {})
    data = {
        "agency": agency,
        "decided_at": decided_at,
        "request": req,
        "person": {"convictions": list(convictions), "incarcerations": list(jails), "pending_cases": list(cases),
                   **flags},
    }
    if arrest is None and (convictions or cases):
        arrest = decided_at[:10]
    if arrest:
        data["instant_arrest_date"] = arrest
    return Case.model_validate(data)


def run(c: Case, explain: bool = False) -> Decision:
    return decide(c, explain=explain)


def outcomes(c: Case) -> dict[str, str]:
    return {a: r.outcome.value for a, r in run(c).actions.items()}


def out(c: Case, action: str | None = None) -> str:
    d = run(c)
    if action is None:
        action = next(iter(d.actions))
    return d.actions[action].outcome.value


def cites(c: Case, action: str | None = None) -> list[str]:
    d = run(c)
    return d.actions[action or next(iter(d.actions))].citations


def notes(c: Case) -> list[str]:
    return [n.code for n in run(c).notes]


def hold_2014(decided: str = "2016-06-01", arrest: str | None = None, *, agency: str = "doc", jw: bool = True,
              **kw: Any) -> str:
    """The outcome of a DOC (or other agency) hold under the 2014 rule, with a judicial warrant by default:
    so the outcome turns on the definition of 'convicted of a violent or serious crime'."""
    return out(case(agency, decided, arrest=arrest or decided, jw=jw, **kw), "hold")


def cited(provision: str, citations: list[str]) -> bool:
    """``provision`` or one of its subdivisions is cited ("§ 9-131(h)(1)" matches
    "§ 9-131(h)(1)(i)" and "§ 9-131(h)(1) (proviso)")."""
    return any(c == provision or c.startswith(provision + "(") or c.startswith(provision + " ") for c in citations)

"""A solver's model as a New York City Case (a dict ``Case.model_validate`` reads), reading the
model through the symbolic case and naming what it sets with the Case model's fields."""

from __future__ import annotations

from typing import TYPE_CHECKING

import z3

from detainerlaw.engine import smt
from detainerlaw.engine.calendar import MINUTES_PER_DAY, to_date, to_datetime
from detainerlaw.laws.nyc.case import Conviction, Person, Request
from detainerlaw.laws.nyc.facts import NONE, optional_parts

if TYPE_CHECKING:
    from detainerlaw.claims.problem import Problem


def render(prob: Problem, m: z3.ModelRef, i: int) -> dict:
    """The Case (as a dict) of a model under law ``i``: every field the model sets beyond its default."""
    sym, f = prob.sym, prob.sym.fields

    def ev(x: object) -> object:
        if isinstance(x, smt.EnumV):
            return x.domain[m.eval(x.v, model_completion=True).as_long()]
        v = m.eval(x, model_completion=True)  # type: ignore[arg-type]
        return z3.is_true(v) if z3.is_bool(v) else v.as_long()

    day = ev(sym.decided[i])
    dmin = ev(sym.dmin)
    decided = to_datetime(day * MINUTES_PER_DAY + dmin)  # type: ignore[operator]
    request: dict = {"kind": ev(f["kind"]), "requester": ev(f["requester"]), "purpose": ev(f["purpose"])}
    person: dict = {}
    for name, typ in sym.schema.fields.items():
        if typ != "bool" or name not in f:
            continue
        v = ev(f[name])
        if name in Request.model_fields and v:
            request[name] = True
        elif name in Person.model_fields and v:
            person[name] = True
    if ev(f["has_jw_at"]):
        request["judicial_warrant_at"] = to_datetime(ev(f["jw_at_minute"])).isoformat(timespec="minutes")  # type: ignore
    for k in ("administrative_warrant", "information"):
        v = ev(f[k])
        if v != NONE:
            request[k] = v
    more_request, more_person = optional_parts(lambda name: ev(f[name]) if name in f else None)
    request.update(more_request)
    person.update(more_person)
    case: dict = {
        "agency": ev(f["agency"]),
        "decided_at": decided.isoformat(timespec="minutes"),
        "instant_arrest_date": to_date(ev(f["arrest_day"])).isoformat(),  # type: ignore[arg-type]
        "request": request,
    }
    n = {name: ev(sym.lists[name][0]) for name in sym.lists}
    convs = []
    for j, s in enumerate(sym.lists["convictions"][1][: n["convictions"]]):  # type: ignore[misc]
        convs.append(_render_conviction(prob, j, s, ev))
    if convs:
        person["convictions"] = convs
    spells = [{"start": to_date(ev(s["start_day"])).isoformat(), "end": to_date(ev(s["end_day"])).isoformat(),  # type: ignore
               **({"for_violent_or_serious": True} if ev(s["for_vsc"]) else {})}
              for s in sym.lists["incarcerations"][1][: n["incarcerations"]]]  # type: ignore[misc]
    if spells:
        person["incarcerations"] = spells
    pending = []
    for j, s in enumerate(sym.lists["pending"][1][: n["pending"]]):  # type: ignore[misc]
        pc: dict = {"charges": []}
        if ev(s["disposition"]) != NONE:
            pc["disposition"] = ev(s["disposition"])
        for b in ("released_cpl_170_70", "family_court"):
            if ev(s[b]):
                pc[b] = True
        for ch in sym.lists["charges"][1][: n["charges"]]:  # type: ignore[misc]
            if ev(ch["case"]) == j:
                sec, sub = sym.table.rows[ev(ch["row"])]  # type: ignore[index]
                c: dict = {"statute": sec, "level": ev(ch["level"])}
                if sub:
                    c["subdivision"] = sub
                for b in ("patronizing", "firearm_or_ammunition"):
                    if ev(ch[b]):
                        c[b] = True
                pc["charges"].append(c)
        pending.append(pc)
    if pending:
        person["pending_cases"] = pending
    if person:
        case["person"] = person
    return case

def _render_conviction(prob: Problem, j: int, s: dict, ev) -> dict:
    sec, sub = prob.sym.table.rows[ev(s["row"])]
    hints = prob.given.conv_rows[j][2] if j < len(prob.given.conv_rows) else {}
    ny = ev(s["ny"])
    c: dict = {}
    if ny:
        c["statute"] = sec
    else:
        c["jurisdiction"] = hints.get("jurisdiction") or "NJ"
        c["statute"] = hints.get("statute") or "N.J.S.A. 2C:00-0"
        if sec != "OTHER":
            c["equivalent_statute"] = sec
        if ev(s["predicate_felony"]):
            c["predicate_felony"] = True
    if sub:
        c["subdivision"] = sub
    c["level"] = ev(s["level"])
    if ev(s["has_offense"]):
        c["offense_date"] = to_date(ev(s["offense_day"])).isoformat()
    c["conviction_date"] = to_date(ev(s["conviction_day"])).isoformat()
    if ev(s["has_judgment"]):
        c["judgment_date"] = to_date(ev(s["judgment_day"])).isoformat()
    for k in ("sentence", "inchoate"):
        if ev(s[k]) != NONE:
            c[k] = ev(s[k])
    for b in ("youthful_offender", "juvenile_delinquent", "hate_crime", "patronizing"):
        if ev(s[b]) and b in Conviction.model_fields:
            c[b] = True
    return c


# -- solving ------------------------------------------------------------------------------

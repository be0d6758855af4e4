"""Checking claims about the law with Z3 (spec § Claims).

A claim is compiled to one satisfiability question over a bounded symbolic case
(``engine.smt``): ``forall`` looks for a case breaking ``then``; ``exists`` for one
meeting it; ``implies``, ``equivalent`` and ``diff`` evaluate the same facts under two
laws. Every case the solver finds is rendered as a complete Case, minimised (fewest
list items, then fewest true flags), and replayed through ``decide``; a case whose
replay disagrees with the solver is reported as an internal error, never shown as an
answer.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import time
from dataclasses import dataclass, field

import z3

from detainerlaw.engine import smt
from detainerlaw.engine.calendar import MINUTES_PER_DAY, as_date, minute, to_date, to_datetime
from detainerlaw.engine.lower import CODES, lower_action
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.laws.nyc.case import Case, Conviction, Person, Request
from detainerlaw.laws.nyc.facts import NONE, SCHEMA, optional_parts
from detainerlaw.laws.nyc.statutes import parse_statute, subdivision_suffix

KINDS = ("forall", "exists", "implies", "equivalent", "diff")
OUTCOMES = tuple(CODES)
NAMES = {v: k for k, v in CODES.items()}
DEFAULT_TIMEOUT_MS = 20_000


class ClaimError(ValueError):
    """A claim that cannot be read; the message names the field."""


def _pack():
    from detainerlaw.decide import default_pack

    return default_pack()


# -- laws -----------------------------------------------------------------------------


@dataclass
class Law:
    """A law to evaluate under: a range of decision days (one day for ``as_of``) and a reform."""

    lo: dt.date
    hi: dt.date
    reform: Reform = BASELINE

    def label(self) -> str:
        when = self.lo.isoformat() if self.lo == self.hi else f"{self.lo.isoformat()}..{self.hi.isoformat()}"
        return when if self.reform is BASELINE else f"{when} with {self.reform.name}"

    def epochs(self) -> list[tuple[dt.date, dt.date]]:
        """The parts of [lo, hi] in which the law is one snapshot."""
        cuts = [b for b in _pack().boundaries(self.reform) if self.lo < b <= self.hi]
        starts = [self.lo, *cuts]
        ends = [c - dt.timedelta(days=1) for c in cuts] + [self.hi]
        return list(zip(starts, ends))


def _parse_then(raw: dict, where: str, known: set[str] | frozenset[str]) -> dict[str, tuple[str, ...]]:
    """``then``: ACTION: OUTCOME (or a list of outcomes any of which satisfies it)."""
    then = raw.get("then")
    if not isinstance(then, dict) or not then:
        raise ClaimError(f"{where}.then: a mapping ACTION: OUTCOME is required")
    out: dict[str, tuple[str, ...]] = {}
    for a, o in then.items():
        if a not in known:
            raise ClaimError(f"{where}.then: unknown action {a!r} (one of {', '.join(sorted(known))})")
        outs = tuple(o) if isinstance(o, list) else (o,)
        for x in outs:
            if x not in OUTCOMES:
                raise ClaimError(f"{where}.then.{a}: {x!r} is not one of {', '.join(OUTCOMES)}")
        out[a] = outs
    return out


def _date(x: object, where: str) -> dt.date:
    try:
        return as_date(x)
    except ValueError as e:
        raise ClaimError(f"{where}: {e}") from None


def _reform(x: object, where: str) -> Reform:
    if x is None:
        return BASELINE
    if isinstance(x, str):
        try:
            from detainerlaw.scenarios import load_scenario
        except ImportError:
            raise ClaimError(f"{where}: named reforms need detainerlaw.scenarios") from None
        try:
            sc = load_scenario(x)
        except ValueError as e:
            raise ClaimError(f"{where}: {e}") from None
        return sc.reform() if hasattr(sc, "reform") else sc
    if isinstance(x, dict):
        unknown = set(x) - {"name", "params", "disable", "disable_from"}
        if unknown:
            raise ClaimError(f"{where}: unknown key(s) {', '.join(sorted(unknown))} (params, disable, disable_from)")
        params = x.get("params") or {}
        bad = sorted(set(params) - set(_pack().params.timelines))
        if bad:
            raise ClaimError(f"{where}.params: unknown parameter(s): {', '.join(bad)}")
        digest = hashlib.sha1(json.dumps(x, sort_keys=True, default=str).encode()).hexdigest()[:10]
        return Reform(
            name=str(x.get("name") or f"inline-{digest}"),
            params=dict(params),
            disable=tuple(x.get("disable") or ()),
            disable_from=_date(x["disable_from"], f"{where}.disable_from") if x.get("disable_from") else None,
        )
    raise ClaimError(f"{where}: a reform is a scenario name or {{params: ..., disable: [...]}}")


def _law_item(x: object, where: str) -> Law:
    if isinstance(x, dict):
        if "as_of" not in x:
            raise ClaimError(f"{where}: as_of is required")
        d = _date(x["as_of"], f"{where}.as_of")
        return Law(d, d, _reform(x.get("reform"), f"{where}.reform"))
    d = _date(x, where)
    return Law(d, d)


# -- the claim ----------------------------------------------------------------------


@dataclass
class Claim:
    id: str
    kind: str
    text: str = ""
    laws: list[Law] = field(default_factory=list)
    given: dict = field(default_factory=dict)
    then: dict[str, tuple[str, ...]] = field(default_factory=dict)
    action: str | None = None
    limit: int = 10
    expect: str | None = None
    why: str = ""


def actions_known() -> set[str]:
    p = _pack()
    kinds = SCHEMA.fields["kind"]
    return {a for ag in p.agencies for k in kinds for a in p.engaged(ag, k)}  # type: ignore[union-attr]


def parse_claim(raw: object, where: str) -> Claim:
    if not isinstance(raw, dict):
        raise ClaimError(f"{where}: a claim is a mapping")
    allowed = {"id", "text", "kind", "as_of", "between", "given", "then", "laws", "action", "limit", "expect", "why",
               "reform"}
    unknown = set(raw) - allowed
    if unknown:
        raise ClaimError(f"{where}: unknown key(s): {', '.join(sorted(unknown))}")
    cid = raw.get("id")
    if not cid or not isinstance(cid, str):
        raise ClaimError(f"{where}.id: required (a string)")
    kind = raw.get("kind")
    if kind not in KINDS:
        raise ClaimError(f"{where}.kind: {kind!r} is not one of {', '.join(KINDS)}")
    c = Claim(cid, kind, str(raw.get("text") or ""), why=str(raw.get("why") or ""))
    given = raw.get("given") or {}
    if not isinstance(given, dict):
        raise ClaimError(f"{where}.given: a partial Case (a mapping)")
    c.given = normalize_given(given, f"{where}.given")
    known = actions_known()
    if kind in ("forall", "exists"):
        reform = _reform(raw.get("reform"), f"{where}.reform")
        if "as_of" in raw and "between" in raw:
            raise ClaimError(f"{where}: give as_of or between, not both")
        if "as_of" in raw:
            d = _date(raw["as_of"], f"{where}.as_of")
            c.laws = [Law(d, d, reform)]
        elif "between" in raw:
            b = raw["between"]
            if not isinstance(b, list) or len(b) != 2:
                raise ClaimError(f"{where}.between: two dates [D1, D2]")
            d1, d2 = _date(b[0], f"{where}.between[0]"), _date(b[1], f"{where}.between[1]")
            if d2 < d1:
                raise ClaimError(f"{where}.between: {d2} is before {d1}")
            c.laws = [Law(d1, d2, reform)]
        else:
            raise ClaimError(f"{where}: as_of or between is required")
        c.then.update(_parse_then(raw, where, known))
    else:
        laws = raw.get("laws")
        if not isinstance(laws, list) or len(laws) != 2:
            raise ClaimError(f"{where}.laws: two laws [D1, D2] (a date or {{as_of, reform}} each)")
        c.laws = [_law_item(x, f"{where}.laws[{i}]") for i, x in enumerate(laws)]
        if "decided_at" in c.given:
            raise ClaimError(f"{where}.given.decided_at: fixed by laws")
        if kind == "implies":
            c.then.update(_parse_then(raw, where, known))
        else:
            a = raw.get("action")
            if a not in known:
                raise ClaimError(f"{where}.action: {a!r} is not one of {', '.join(sorted(known))}")
            c.action = a
        lim = raw.get("limit", 10)
        if not isinstance(lim, int) or lim < 1:
            raise ClaimError(f"{where}.limit: a positive integer")
        c.limit = lim
    exp = raw.get("expect")
    if exp is not None and exp not in ("holds", "fails", "unknown"):
        raise ClaimError(f"{where}.expect: one of holds, fails, unknown")
    c.expect = exp
    return c


def normalize_given(given: dict, where: str) -> dict:
    """Dotted paths (``person.convictions[0].statute: PL 120.08``) become nested mappings."""
    out: dict = {}
    for k, v in given.items():
        if isinstance(v, dict) and k not in _DATE_KEYS:
            v = normalize_given(v, f"{where}.{k}")
        elif isinstance(v, list):
            v = [normalize_given(x, f"{where}.{k}[{i}]") if isinstance(x, dict) else x for i, x in enumerate(v)]
        parts = re.findall(r"[^.\[\]]+|\[\d+\]", str(k))
        _put(out, parts, v, where)
    return out


_DATE_KEYS = {"decided_at", "instant_arrest_date", "offense_date", "conviction_date", "judgment_date", "start", "end",
              "judicial_warrant_at"}


def _put(d: dict | list, parts: list[str], v: object, where: str) -> None:
    head, rest = parts[0], parts[1:]
    if head.startswith("["):
        raise ClaimError(f"{where}: a path cannot start with an index")
    if not rest:
        if isinstance(d.get(head), dict) and isinstance(v, dict):  # type: ignore[union-attr]
            d[head].update(v)  # type: ignore[index]
        else:
            d[head] = v  # type: ignore[index]
        return
    if rest[0].startswith("["):
        i = int(rest[0][1:-1])
        lst = d.setdefault(head, [])  # type: ignore[union-attr]
        while len(lst) <= i:
            lst.append({})
        if len(rest) == 1:
            lst[i] = v
        else:
            _put(lst[i], rest[1:], v, where)
        return
    _put(d.setdefault(head, {}), rest, v, where)  # type: ignore[union-attr]


# -- given: constraints on the symbolic case ---------------------------------------------


def _statute_rows(item: dict, where: str, *, charge: bool) -> tuple[list[smt.Row], bool, dict]:
    """Rows a given conviction or charge may take: ``(rows, exact, render hints)``."""
    hints: dict = {}
    juris = str(item.get("jurisdiction", "NY")) if not charge else "NY"
    ny = juris.upper() == "NY"
    statute = item.get("equivalent_statute") if not ny else item.get("statute")
    if not ny:
        hints["statute"] = item.get("statute")
        hints["jurisdiction"] = juris
        if statute is None:
            return [smt.OTHER_ROW], True, hints
    if statute is None:
        return [], False, hints
    try:
        st = parse_statute(str(statute), strict=True)
    except ValueError as e:
        raise ClaimError(f"{where}.statute: {e}") from None
    if st.inchoate:
        hints["inchoate"] = st.inchoate
    sec = st.section_key
    if "subdivision" in item:
        return [(sec, subdivision_suffix(item["subdivision"]))], True, hints
    return [(sec, "")], False, hints


class Given:
    """The fixed part of a claim's case, as constraints on a ``SymCase``."""

    def __init__(self, given: dict, where: str):
        self.raw, self.where = given, where
        person = given.get("person") or {}
        self.convictions = list(person.get("convictions") or [])
        self.incarcerations = list(person.get("incarcerations") or [])
        self.pending = list(person.get("pending_cases") or [])
        self.extra_rows: list[smt.Row] = []
        self.conv_rows: list[tuple[list[smt.Row], bool, dict]] = []
        self.charge_rows: list[tuple[int, dict, tuple[list[smt.Row], bool, dict]]] = []
        for i, c in enumerate(self.convictions):
            r = _statute_rows(c, f"{where}.person.convictions[{i}]", charge=False)
            self.conv_rows.append(r)
            self.extra_rows += r[0]
        for i, pc in enumerate(self.pending):
            for j, ch in enumerate(pc.get("charges") or []):
                r = _statute_rows(ch, f"{where}.person.pending_cases[{i}].charges[{j}]", charge=True)
                self.charge_rows.append((i, ch, r))
                self.extra_rows += r[0]

    def sizes(self) -> dict[str, int]:
        return {"convictions": len(self.convictions), "incarcerations": len(self.incarcerations),
                "pending": len(self.pending), "charges": len(self.charge_rows)}

    def apply(self, sym: smt.SymCase) -> list[z3.BoolRef]:
        out: list[z3.BoolRef] = []
        g, w = self.raw, self.where
        f = sym.fields
        for k in g:
            if k not in ("jurisdiction", "agency", "decided_at", "instant_arrest_date", "request", "person"):
                raise ClaimError(f"{w}.{k}: unknown field")
        if "agency" in g:
            out.append(_enum(f["agency"], g["agency"], f"{w}.agency"))  # type: ignore[arg-type]
        if "decided_at" in g:
            v = g["decided_at"]
            if isinstance(v, dict):
                out += _day(sym.decided[0], v, f"{w}.decided_at")
            else:
                s = str(v)
                out.append(sym.decided[0] == _date(s[:10], f"{w}.decided_at").toordinal())
                if len(s) > 10:
                    t = dt.datetime.fromisoformat(s)
                    out.append(sym.dmin == t.hour * 60 + t.minute)
        if "instant_arrest_date" in g:
            out += _day(f["arrest_day"], g["instant_arrest_date"], f"{w}.instant_arrest_date")
        req = g.get("request") or {}
        for k, v in req.items():
            where = f"{w}.request.{k}"
            if k == "judicial_warrant_at":
                if v is None:
                    out.append(z3.Not(f["has_jw_at"]))
                else:
                    t = v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))
                    out += [f["has_jw_at"], f["jw_at_minute"] == minute(t)]
            elif k in ("administrative_warrant", "information"):
                out.append(_enum(f[k], NONE if v is None else v, where))  # type: ignore[arg-type]
            else:
                out.append(_field(f, k, v, where))
        person = g.get("person") or {}
        for k, v in person.items():
            if k in ("convictions", "incarcerations", "pending_cases"):
                if not isinstance(v, list):
                    raise ClaimError(f"{w}.person.{k}: a list")
                continue
            out.append(_field(f, k, v, f"{w}.person.{k}"))
        out += self._lists(sym)
        return out

    def _lists(self, sym: smt.SymCase) -> list[z3.BoolRef]:
        out: list[z3.BoolRef] = []
        w = self.where
        table = sym.table
        for name, n in self.sizes().items():
            if n > sym.bounds.k:
                raise ClaimError(f"{w}.person: {n} {name} given, more than the bound k={sym.bounds.k}")
            out.append(sym.lists[name][0] >= n)
        slots = sym.lists["convictions"][1]
        for i, (c, (rows, exact, _hints)) in enumerate(zip(self.convictions, self.conv_rows)):
            s, where = slots[i], f"{w}.person.convictions[{i}]"
            out += _statute_row(table, s, rows, exact)
            juris = str(c.get("jurisdiction", "NY"))
            if "jurisdiction" in c or "statute" in c:
                out.append(s["ny"] == (juris.upper() == "NY"))
            if _hints.get("inchoate") and "inchoate" not in c:
                out.append(_enum(s["inchoate"], _hints["inchoate"], f"{where}.statute"))  # type: ignore[arg-type]
            for k, v in c.items():
                kw = f"{where}.{k}"
                if k in ("statute", "subdivision", "jurisdiction", "equivalent_statute"):
                    continue
                if k in ("offense_date", "judgment_date"):
                    flag = "has_offense" if k == "offense_date" else "has_judgment"
                    if v is None:
                        out.append(z3.Not(s[flag]))
                    else:
                        out += [s[flag], *_day(s[k.replace("_date", "_day")], v, kw)]
                elif k == "conviction_date":
                    out += _day(s["conviction_day"], v, kw)
                elif k in ("sentence", "inchoate"):
                    out.append(_enum(s[k], NONE if v is None else v, kw))  # type: ignore[arg-type]
                else:
                    out.append(_field(s, k, v, kw))
        slots = sym.lists["incarcerations"][1]
        for i, spell in enumerate(self.incarcerations):
            for k, v in spell.items():
                kw = f"{w}.person.incarcerations[{i}].{k}"
                if k in ("start", "end"):
                    out += _day(slots[i][f"{k}_day"], v, kw)
                elif k == "for_violent_or_serious":
                    out.append(_scalar(slots[i]["for_vsc"], v, kw))
                else:
                    raise ClaimError(f"{kw}: unknown field")
        slots = sym.lists["pending"][1]
        for i, pc in enumerate(self.pending):
            for k, v in pc.items():
                kw = f"{w}.person.pending_cases[{i}].{k}"
                if k == "charges":
                    continue
                if k == "disposition":
                    out.append(_enum(slots[i][k], NONE if v is None else v, kw))  # type: ignore[arg-type]
                else:
                    out.append(_field(slots[i], k, v, kw))
        slots = sym.lists["charges"][1]
        for j, (case_i, ch, (rows, exact, _h)) in enumerate(self.charge_rows):
            s = slots[j]
            out.append(s["case"] == case_i)
            out += _statute_row(table, s, rows, exact)
            for k, v in ch.items():
                kw = f"{w}.person.pending_cases[{case_i}].charges.{k}"
                if k not in ("statute", "subdivision"):
                    out.append(_field(s, k, v, kw))
        return out


def _enum(var: smt.EnumV, value: object, where: str) -> z3.BoolRef:
    if value not in var.domain:
        raise ClaimError(f"{where}: {value!r} is not one of {', '.join(x for x in var.domain)}")
    return var.v == var.domain.index(value)  # type: ignore[arg-type]


def _statute_row(table: smt.KeyTable, slot: dict, rows: list, exact: bool) -> list[z3.BoolRef]:
    """A conviction's or charge's statute: its table row when the statute given fixes one,
    else any row of the same section; no constraint when no row matches."""
    if not rows:
        return []
    if exact:
        return [slot["row"] == table.index[rows[0]]]
    return [table.member(slot["row"], "section", {table.attrs[table.index[rows[0]]]["section"]})]


def _field(fields: dict, name: str, value: object, where: str) -> z3.BoolRef:
    """``fields[name] == value``, or a ClaimError for a field the symbolic case lacks."""
    if name not in fields:
        raise ClaimError(f"{where}: unknown field")
    return _scalar(fields[name], value, where)


def _scalar(var: object, value: object, where: str) -> z3.BoolRef:
    if isinstance(var, smt.EnumV):
        return _enum(var, value, where)
    if isinstance(var, z3.BoolRef):
        if not isinstance(value, bool):
            raise ClaimError(f"{where}: {value!r} is not true or false")
        return var == value
    if isinstance(value, bool) or not isinstance(value, int):
        raise ClaimError(f"{where}: {value!r} is not a number")
    return var == value  # type: ignore[return-value]


def _day(var: z3.ArithRef, value: object, where: str) -> list[z3.BoolRef]:
    if isinstance(value, dict):
        unknown = set(value) - {"min", "max"}
        if unknown:
            raise ClaimError(f"{where}: a date, or {{min: DATE, max: DATE}}")
        out = []
        if "min" in value:
            out.append(var >= _date(value["min"], f"{where}.min").toordinal())
        if "max" in value:
            out.append(var <= _date(value["max"], f"{where}.max").toordinal())
        return out
    return [var == _date(value, where).toordinal()]


# -- the problem: symbolic case, laws, outcomes ---------------------------------------------


class Problem:
    """One claim's symbolic case and the outcome of each action under each of its laws."""

    def __init__(self, claim: Claim, k: int, actions: list[str]):
        self.claim, self.actions = claim, actions
        self.pack = _pack()
        self.given = Given(claim.given, f"{claim.id}.given")
        self.bounds = smt.Bounds(k=k)
        lo, hi = self.bounds.decided
        for law in claim.laws:
            if law.lo < lo or law.hi > hi:
                raise ClaimError(f"{claim.id}: law dates must lie within {lo}..{hi} (the decision-date bound)")
        self.lowered: dict[tuple, object] = {}
        for law in claim.laws:
            for start, _end in law.epochs():
                for ag in self.pack.agencies:
                    snap = self.pack.snapshot(start, ag, law.reform)
                    for a in actions:
                        self.lowered[(id(law), start, ag, a)] = lower_action(snap, a)
        exprs = [e for la in self.lowered.values() for e in (la.outcome, *(r.branch for r in la.rules))]  # type: ignore
        table = smt.KeyTable.build(exprs, self.given.extra_rows)
        self.sym = smt.SymCase(table, self.bounds, decided_days=len(claim.laws))
        self.constraints = list(self.sym.constraints)
        for i, law in enumerate(claim.laws):
            d = self.sym.decided[i]
            self.constraints.append(z3.And(d >= law.lo.toordinal(), d <= law.hi.toordinal()))
        self.constraints += self.given.apply(self.sym)
        self.encoders: dict[tuple, smt.Encoder] = {}
        self._out: dict[tuple, z3.ArithRef] = {}

    def _encoder(self, i: int, start: dt.date, end: dt.date) -> smt.Encoder:
        key = (i, start)
        if key not in self.encoders:
            shared = next(iter(self.encoders.values()), None)
            enc = smt.Encoder(self.sym, i, (start.toordinal(), end.toordinal()))
            if shared is not None:  # share structural ids and compiled subterms of day-independent parts
                enc.ids, enc.interned = shared.ids, shared.interned
            self.encoders[key] = enc
        return self.encoders[key]

    def outcome(self, i: int, action: str) -> z3.ArithRef:
        """The outcome code of ``action`` under law ``i`` (If over epochs and agencies)."""
        key = (i, action)
        if key in self._out:
            return self._out[key]
        law = self.claim.laws[i]
        agency = self.sym.enum("agency")
        d = self.sym.decided[i]
        out: z3.ArithRef | None = None
        for start, end in reversed(law.epochs()):
            enc = self._encoder(i, start, end)
            per: z3.ArithRef | None = None
            for ag in reversed(self.pack.agencies):
                t = enc(self.lowered[(id(law), start, ag, action)].outcome)  # type: ignore[attr-defined]
                per = t if per is None else z3.If(agency.v == agency.domain.index(ag), t, per)
            out = per if out is None else z3.If(d >= start.toordinal(), per, out)
        self._out[key] = out  # type: ignore[assignment]
        return out  # type: ignore[return-value]

    def branches(self, i: int, action: str) -> list[z3.ArithRef]:
        """Every rule's branch under law ``i``, guarded by its agency and epoch (for blocking)."""
        law = self.claim.laws[i]
        agency = self.sym.enum("agency")
        d = self.sym.decided[i]
        out = []
        for start, end in law.epochs():
            enc = self._encoder(i, start, end)
            here = z3.And(d >= start.toordinal(), d <= end.toordinal())
            for ag in self.pack.agencies:
                on = z3.And(here, agency.v == agency.domain.index(ag))
                for r in self.lowered[(id(law), start, ag, action)].rules:  # type: ignore[attr-defined]
                    out.append(z3.If(on, enc(r.branch), -2))
        return out

    def engaged(self, action: str) -> z3.BoolRef:
        agency, kind = self.sym.enum("agency"), self.sym.enum("kind")
        pairs = [z3.And(agency.v == i, kind.v == j) for i, ag in enumerate(agency.domain)
                 for j, kd in enumerate(kind.domain) if action in self.pack.engaged(ag, kd)]
        return z3.Or(pairs)

    def satisfies(self, i: int, then: dict[str, tuple[str, ...]]) -> z3.BoolRef:
        return z3.And([z3.Or([self.outcome(i, a) == CODES[o] for o in outs]) for a, outs in then.items()])

    # -- rendering a model as a Case ---------------------------------------------------------

    def render(self, m: z3.ModelRef, i: int) -> dict:
        sym, f = self.sym, self.sym.fields

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
        for name, typ in SCHEMA.fields.items():
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
            convs.append(self._render_conviction(j, s, ev))
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
                    sec, sub = self.sym.table.rows[ev(ch["row"])]  # type: ignore[index]
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

    def _render_conviction(self, j: int, s: dict, ev) -> dict:
        sec, sub = self.sym.table.rows[ev(s["row"])]
        hints = self.given.conv_rows[j][2] if j < len(self.given.conv_rows) else {}
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


class InternalError(RuntimeError):
    """The solver and the interpreter disagree on a case: a bug in a backend."""


@dataclass
class Found:
    cases: list[dict]  # one Case per law
    outcomes: list[dict[str, str]]  # solver's outcome per law per action


def _minimise(solver: z3.Solver, prob: Problem, deadline: float) -> z3.ModelRef | None | str:
    """A model with the fewest list items, then the fewest true flags (binary search on
    the cost); None if unsatisfiable, "unknown" on timeout."""
    r = solver.check()
    if r == z3.unknown:
        return "unknown"
    if r == z3.unsat:
        return None
    best = solver.model()
    cost = 64 * prob.sym.size() + prob.sym.flags()
    lo, hi = 0, best.eval(cost, model_completion=True).as_long()
    while lo < hi and time.monotonic() < deadline:
        mid = (lo + hi) // 2
        solver.push()
        solver.add(cost <= mid)
        r = solver.check()
        if r == z3.sat:
            best = solver.model()
            hi = best.eval(cost, model_completion=True).as_long()
        else:
            lo = mid + 1
        solver.pop()
        if r == z3.unknown:
            break
    return best


def _replay(prob: Problem, m: z3.ModelRef, actions: list[str]) -> Found:
    from detainerlaw.decide import decide

    cases, outs = [], []
    for i, law in enumerate(prob.claim.laws):
        data = prob.render(m, i)
        want = {a: NAMES[m.eval(prob.outcome(i, a), model_completion=True).as_long()] for a in actions}
        try:
            case = Case.model_validate(data)
            d = decide(case, reform=law.reform, explain=False)
        except Exception as e:  # noqa: BLE001 - any failure here is a backend bug to report
            raise InternalError(f"the solver's case does not decide: {e}; case {json.dumps(data)}") from None
        got = {a: (d.actions[a].outcome.value if a in d.actions else "not engaged") for a in actions}
        if got != want:
            raise InternalError(
                f"replay disagrees with the solver under {law.label()}: solver {want}, decide {got}; "
                f"case {json.dumps(data)}"
            )
        cases.append(data)
        outs.append(want)
    return Found(cases, outs)


def check_claim(claim: Claim, k: int = 3, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> dict:
    t0 = time.monotonic()
    deadline = t0 + timeout_ms / 1000
    actions = list(claim.then) if claim.then else [claim.action]  # type: ignore[list-item]
    prob = Problem(claim, k, actions)  # type: ignore[arg-type]
    solver = z3.Solver()
    solver.set("timeout", max(1, timeout_ms))
    solver.add(prob.constraints)
    for a in actions:
        solver.add(prob.engaged(a))
    result: dict = {"id": claim.id, "text": claim.text, "kind": claim.kind, "verdict": "unknown",
                    "expected": claim.expect, "counterexample": None, "cases": [],
                    "laws": [law.label() for law in claim.laws], "why": claim.why}
    try:
        if claim.kind == "forall":
            solver.add(z3.Not(prob.satisfies(0, claim.then)))
            m = _minimise(solver, prob, deadline)
            if m is None:
                result["verdict"] = "holds"
            elif m != "unknown":
                found = _replay(prob, m, actions)  # type: ignore[arg-type]
                result.update(verdict="fails", counterexample=found.cases[0], outcomes=found.outcomes)
        elif claim.kind == "exists":
            solver.add(prob.satisfies(0, claim.then))
            m = _minimise(solver, prob, deadline)
            if m is None:
                result["verdict"] = "fails"
            elif m != "unknown":
                found = _replay(prob, m, actions)  # type: ignore[arg-type]
                result.update(verdict="holds", cases=[found.cases[0]], outcomes=found.outcomes)
        elif claim.kind in ("implies", "equivalent"):  # a pair of cases that breaks it, or none
            if claim.kind == "implies":
                solver.add(prob.satisfies(0, claim.then), z3.Not(prob.satisfies(1, claim.then)))
            else:
                solver.add(prob.outcome(0, actions[0]) != prob.outcome(1, actions[0]))
            m = _minimise(solver, prob, deadline)
            if m is None:
                result["verdict"] = "holds"
            elif m != "unknown":
                found = _replay(prob, m, actions)  # type: ignore[arg-type]
                result.update(verdict="fails", counterexample=found.cases[1], comparisons=[_pair(found)])
        else:
            found_all = _diff(prob, solver, actions[0], claim.limit, deadline)
            if found_all == "unknown":
                pass
            else:
                result["cases"] = [f.cases[1] for f in found_all]  # type: ignore[union-attr]
                result["comparisons"] = [_pair(f) for f in found_all]  # type: ignore[union-attr]
                result["verdict"] = "holds" if found_all else "fails"
    except InternalError as e:
        result.update(verdict="unknown", error=f"internal error: {e}", counterexample=None, cases=[])
    result["expected_matched"] = None if claim.expect is None else claim.expect == result["verdict"]
    result["seconds"] = round(time.monotonic() - t0, 3)
    result["bounds"] = prob.bounds.as_dict()
    return result


def _pair(f: Found) -> dict:
    return {
        "before": {"decided_at": f.cases[0]["decided_at"], "outcomes": f.outcomes[0]},
        "after": {"decided_at": f.cases[1]["decided_at"], "outcomes": f.outcomes[1]},
    }


def _diff(prob: Problem, solver: z3.Solver, action: str, limit: int, deadline: float) -> list[Found] | str:
    """Up to ``limit`` cases on which ``action`` differs, each minimal, each with a
    different combination of the rules' branches (so each shows a different reason)."""
    o1, o2 = prob.outcome(0, action), prob.outcome(1, action)
    solver.add(o1 != o2)
    sig = [o1, o2, *prob.branches(0, action), *prob.branches(1, action)]
    out: list[Found] = []
    while len(out) < limit:
        if time.monotonic() > deadline:
            break
        solver.push()
        m = _minimise(solver, prob, deadline)
        solver.pop()
        if m == "unknown":
            return out if out else "unknown"
        if m is None:
            break
        out.append(_replay(prob, m, [action]))  # type: ignore[arg-type]
        vals = [m.eval(t, model_completion=True) for t in sig]
        solver.add(z3.Not(z3.And([t == v for t, v in zip(sig, vals)])))
    return out

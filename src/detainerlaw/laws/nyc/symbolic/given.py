"""A claim's ``given`` (a partial Case) as constraints on a ``SymCase``: each field given
fixes its variable; a given conviction or charge fixes its statute row (or its section,
when no subdivision is given); dates may be ranges ``{min, max}``."""

from __future__ import annotations

import datetime as dt

import z3

from detainerlaw.claims.parse import ClaimError, parse_date
from detainerlaw.engine import smt
from detainerlaw.engine.calendar import minute
from detainerlaw.laws.nyc.facts import NONE
from detainerlaw.laws.nyc.statutes import parse_statute, subdivision_suffix
from detainerlaw.laws.nyc.vocabulary import OTHER_ROW


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
            return [OTHER_ROW], True, hints
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
                out.append(sym.decided[0] == parse_date(s[:10], f"{w}.decided_at").toordinal())
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
            out.append(var >= parse_date(value["min"], f"{where}.min").toordinal())
        if "max" in value:
            out.append(var <= parse_date(value["max"], f"{where}.max").toordinal())
        return out
    return [var == parse_date(value, where).toordinal()]

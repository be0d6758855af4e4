"""The SMT backend: lowered expressions compiled to Z3 over a symbolic case.

A ``SymCase`` holds one Z3 variable per fact of ``facts.SCHEMA``; ``Encoder`` turns a
plain expression (``lower.lower_action``'s ``outcome`` and ``until``) into a Z3 term
over it, with the semantics of the interpreter. What is abstracted, and why:

- Lists are bounded: each list has ``k`` slots (default 3) and a symbolic length;
  slots beyond the length are ignored. A proof ("holds") is a proof for every case
  with at most ``k`` items per list; the bound is reported with every verdict.
- Days are bounded integers (day ordinals): history (offences, convictions,
  judgments, incarcerations, the instant arrest) 1950-01-01..2035-12-31, decisions
  2011-01-01..2030-12-31, and every history date on or before the decision. Calendar
  arithmetic is exact inside 1901..2099 (``AddYears`` by the 4-year cycle).
- Statutes are a finite domain: every key (section, subdivision, article) any
  compiled expression compares against, one unlisted subdivision of each
  subdivision-limited section, one unlisted Penal Law section, keys a claim names,
  and ``OTHER`` (a free-text out-of-state citation). Keys no expression tells apart
  are merged into one representative, so a proof over the representatives covers
  every statute; free-text statutes all collapse to ``OTHER``.
- Modelled cases always carry an instant arrest date (the lookback needs one), at
  most ``arrest_within_days`` before the decision; a judicial warrant presented
  later comes within ``jw_window_days`` of the decision; a
  pending case's charges are New York charges, and the information kind is given
  exactly when the request is for information.

``CountingHoursEnd`` (the NYPD 48-hour window) is an If-chain over the next
``WINDOW_DAYS`` days of the start day, using the weekday (ordinal mod 7) and the
holiday set of ``calendar.holiday_days``; ``UnionDays`` is inclusion-exclusion over
the ``k`` clipped spells.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import z3

from detainerlaw.engine import expr as E
from detainerlaw.engine.calendar import MINUTES_PER_DAY, add_years, holiday_days
from detainerlaw.laws.nyc.facts import SCHEMA, offence_keys
from detainerlaw.laws.nyc.statutes import parse_statute

WINDOW_DAYS = 14
CYCLE_BASE = dt.date(1901, 1, 1).toordinal()
CYCLE = 1461
KEY_LISTS = ("convictions", "charges")


@dataclass(frozen=True)
class Bounds:
    """The scope of a proof."""

    k: int = 3
    history: tuple[dt.date, dt.date] = (dt.date(1950, 1, 1), dt.date(2035, 12, 31))
    decided: tuple[dt.date, dt.date] = (dt.date(2011, 1, 1), dt.date(2030, 12, 31))
    jw_window_days: int = 30
    arrest_within_days: int = 730

    def as_dict(self) -> dict:
        return {
            "items_per_list": self.k,
            "history_dates": [self.history[0].isoformat(), self.history[1].isoformat()],
            "decision_dates": [self.decided[0].isoformat(), self.decided[1].isoformat()],
            "judicial_warrant_at_within_days": self.jw_window_days,
            "instant_arrest_within_days_before_decision": self.arrest_within_days,
            "statutes": "every key the law compares against, one unlisted section, and OTHER",
        }


# -- statutes ---------------------------------------------------------------------

Row = tuple[str, str]  # (section key, subdivision) ; ("OTHER", "") for a free-text citation
OTHER_ROW: Row = ("OTHER", "")


def key_attrs(list_name: str) -> tuple[str, ...]:
    """The statute-derived fields of a list's items (the rest of the schema is plain)."""
    spec = SCHEMA.lists[list_name]
    return tuple(f for f, t in spec.items() if t == "key" or f == "code")


KEY_ATTRS = tuple(dict.fromkeys(a for lst in KEY_LISTS for a in key_attrs(lst)))


def row_attrs(row: Row) -> dict[str, str]:
    """The facts ``case_facts`` derives from a statute and subdivision."""
    if row == OTHER_ROW:
        keys = offence_keys("OTHER", None, "XX", None)
    else:
        keys = offence_keys(row[0], row[1] or None, "NY", None)
    return {a: keys[a] for a in KEY_ATTRS}


def row_from_facts(item: dict) -> Row:
    if item["code"] == "OTHER":
        return OTHER_ROW
    return (item["section"], item["full"][len(item["section"]):])


def _is_section(s: str) -> bool:
    try:
        st = parse_statute(s, strict=True)
    except ValueError:
        return False
    return st.section_key == s and st.inchoate is None


def _deeper(sub: str) -> str:
    parts = re.findall(r"[0-9]+|[a-z]+", sub)
    return sub + ("(a)" if parts and parts[-1].isdigit() else "(1)")


class KeyTable:
    """The finite statute domain: rows (section, subdivision) and the keys each yields."""

    def __init__(self, rows: list[Row]):
        self.rows = rows
        self.attrs = [row_attrs(r) for r in rows]
        self.index = {r: i for i, r in enumerate(rows)}
        self.other = self.index[OTHER_ROW]
        self._member: dict[tuple, list[int]] = {}

    @classmethod
    def build(cls, exprs: Iterable[E.Expr], extra: Iterable[Row] = ()) -> KeyTable:
        exprs = tuple(exprs)
        key = tuple(id(e) for e in exprs)
        hit = _ANALYSIS.get(key)
        if hit is None:
            if len(_ANALYSIS) >= _ANALYSIS_LIMIT:
                _ANALYSIS.clear()  # each entry keeps its expressions alive, so its key's ids stay theirs
            hit = _ANALYSIS[key] = (exprs, _analyze(exprs))
        return cls(sorted(set(hit[1]) | set(extra) | {OTHER_ROW}))

    def member(self, row: z3.ArithRef, attr: str, values: Iterable[str]) -> z3.BoolRef:
        vals = frozenset(values)
        idx = self._member.get((attr, vals))
        if idx is None:
            idx = self._member[(attr, vals)] = [i for i, a in enumerate(self.attrs) if a[attr] in vals]
        return _ranges(row, idx)

    def same(self, row: z3.ArithRef, a1: str, a2: str) -> z3.BoolRef:
        return _ranges(row, [i for i, a in enumerate(self.attrs) if a[a1] == a[a2]])


_ANALYSIS: dict[tuple, tuple[tuple, list[Row]]] = {}
_ANALYSIS_LIMIT = 256


def _analyze(exprs: tuple[E.Expr, ...]) -> list[Row]:
    """Representative rows: one per class of statutes the expressions cannot tell apart."""
    consts: set[str] = set()
    members: set[str] = set()
    sets: list[frozenset] = []
    for root in exprs:
        for n in _walk_unique(root):
            if isinstance(n, E.In) and any(isinstance(v, str) for v in n.values):
                sets.append(n.values)
                members |= {v for v in n.values if isinstance(v, str)}
            elif isinstance(n, E.Const) and isinstance(n.value, str):
                consts.add(n.value)
    keys = {c for c in consts | members if re.match(r"^(PL|VTL) ", c)}
    cand: set[Row] = set()
    for k in keys:
        sec, _, rest = k.partition("(")
        if not _is_section(sec):
            continue
        cand.add((sec, ""))
        if rest:
            sub = "(" + rest
            parts = re.findall(r"[0-9]+|[a-z]+", sub)
            for j in range(1, len(parts) + 1):
                cand.add((sec, "".join(f"({p})" for p in parts[:j])))
            cand.add((sec, _deeper(sub)))
            n = next(i for i in itertools.count(1) if not any(x.startswith(f"{sec}({i})") for x in keys))
            cand.add((sec, f"({n})"))
    used = {r[0] for r in cand} | keys
    for art in {k for k in keys if not _is_section(k.split("(")[0])}:
        cand.add(_representative(art, used))
    cand.add(_representative("PL", used))
    cand.add(_representative("VTL", used))
    groups = list({*sets, *(frozenset((c,)) for c in consts)})
    sig_rows: dict[tuple, Row] = {}
    for r in sorted(cand):
        a = row_attrs(r)
        sig = tuple(tuple(v in g for g in groups) for v in a.values()) + (a["full"] == a["section"],)
        sig_rows.setdefault(sig, r)
    return list(sig_rows.values())


def _representative(art: str, used: set[str]) -> Row:
    """A section in article ``art`` (or code ``PL``/``VTL``) that no expression names."""
    if art == "VTL art 31":
        cands = [f"VTL {n}" for n in range(1190, 1200)]
    elif art == "PL":
        cands = [f"PL {a}.{b:02d}" for a in (145, 175, 190, 155) for b in range(0, 100, 5)]
    elif art == "VTL":
        cands = [f"VTL {n}" for n in (509, 375, 319, 402)]
    else:
        cands = [f"{art}.{b:02d}" for b in range(99, 0, -1)]
    for c in cands:
        if c not in used and (art not in ("PL", "VTL") or row_attrs((c, ""))["article"] not in used):
            return (c, "")
    raise ValueError(f"no free statute in {art}")


def _ranges(v: z3.ArithRef, idx: list[int]) -> z3.BoolRef:
    if not idx:
        return z3.BoolVal(False)
    idx = sorted(idx)
    out, lo, prev = [], idx[0], idx[0]
    for i in idx[1:] + [None]:  # type: ignore[list-item]
        if i is not None and i == prev + 1:
            prev = i
            continue
        out.append(v == lo if lo == prev else z3.And(v >= lo, v <= prev))
        if i is not None:
            lo = prev = i
    return out[0] if len(out) == 1 else z3.Or(out)


def _walk_unique(e: E.Expr):
    seen: set[int] = set()
    stack = [e]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        stack.extend(E.children(n))


# -- the symbolic case ------------------------------------------------------------


@dataclass(frozen=True)
class EnumV:
    domain: tuple[str, ...]
    v: z3.ArithRef


@dataclass(frozen=True)
class KeyV:
    attr: str
    row: z3.ArithRef


def _ord(d: dt.date) -> int:
    return d.toordinal()


class SymCase:
    """Z3 variables for one case; ``substitution`` fixes them to one case's facts."""

    def __init__(self, table: KeyTable, bounds: Bounds = Bounds(), *, decided_days: int = 1, validity: bool = True):
        self.table, self.bounds = table, bounds
        self.constraints: list[z3.BoolRef] = []
        self.fields: dict[str, object] = {}
        self.lists: dict[str, tuple[z3.ArithRef, list[dict[str, object]]]] = {}
        for name, typ in SCHEMA.fields.items():
            if name not in ("decided_day", "decided_minute"):
                self.fields[name] = self._var(name, typ)
        self.decided = [z3.Int(f"decided_day_{i}") for i in range(decided_days)]
        self.dmin = z3.Int("decided_minute_of_day")
        for name, spec in SCHEMA.lists.items():
            n = z3.Int(f"n_{name}")
            slots = []
            for i in range(bounds.k):
                slot: dict[str, object] = {}
                for f, typ in spec.items():
                    if name in KEY_LISTS and f in KEY_ATTRS:
                        continue
                    slot[f] = z3.IntVal(i) if name == "pending" and f == "index" else self._var(f"{name}{i}.{f}", typ)
                if name in KEY_LISTS:
                    slot["row"] = z3.Int(f"{name}{i}.row")
                slots.append(slot)
            self.lists[name] = (n, slots)
        if validity:
            self._validity()

    def _var(self, name: str, typ: object):
        if isinstance(typ, tuple):
            v = z3.Int(name)
            self.constraints.append(z3.And(v >= 0, v < len(typ)))
            return EnumV(typ, v)
        return z3.Bool(name) if typ == "bool" else z3.Int(name)

    def substitution(self, facts: dict, law_index: int = 0) -> list[tuple]:
        """Pairs (variable, constant) fixing every input to one case's facts."""
        out: list[tuple] = []

        def put(var: object, typ: object, value: object) -> None:
            if isinstance(var, EnumV):
                out.append((var.v, z3.IntVal(var.domain.index(value))))
            elif isinstance(var, z3.BoolRef):
                out.append((var, z3.BoolVal(bool(value))))
            elif z3.is_const(var) and not z3.is_int_value(var):
                out.append((var, z3.IntVal(int(value))))  # type: ignore[arg-type]

        for name, typ in SCHEMA.fields.items():
            if name in self.fields:
                put(self.fields[name], typ, facts[name])
        d, m = divmod(facts["decided_minute"], MINUTES_PER_DAY)
        out += [(self.decided[law_index], z3.IntVal(d)), (self.dmin, z3.IntVal(m))]
        for name, spec in SCHEMA.lists.items():
            n, slots = self.lists[name]
            items = facts[name]
            if len(items) > len(slots):
                raise ValueError(f"{name}: {len(items)} items, more than the bound {len(slots)}")
            out.append((n, z3.IntVal(len(items))))
            for i, slot in enumerate(slots):
                it = items[i] if i < len(items) else None
                for f, typ in spec.items():
                    if f in slot:
                        dflt = typ[0] if isinstance(typ, tuple) else 0
                        put(slot[f], typ, it[f] if it else dflt)
                if "row" in slot:
                    row = self.table.index[row_from_facts(it)] if it else 0
                    out.append((slot["row"], z3.IntVal(row)))
        return out

    def decided_minute(self, i: int = 0) -> z3.ArithRef:
        return self.decided[i] * MINUTES_PER_DAY + self.dmin

    def enum(self, name: str) -> EnumV:
        return self.fields[name]  # type: ignore[return-value]

    def _validity(self) -> None:
        b, f, add = self.bounds, self.fields, self.constraints.append
        hlo, hhi = _ord(b.history[0]), _ord(b.history[1])
        dlo, dhi = _ord(b.decided[0]), _ord(b.decided[1])
        for d in self.decided:
            add(z3.And(d >= dlo, d <= dhi))
        add(z3.And(self.dmin >= 0, self.dmin < MINUTES_PER_DAY))
        first = self.decided[0] if len(self.decided) == 1 else _zmin(self.decided)

        def hist(x) -> None:
            add(z3.And(x >= hlo, x <= hhi, x <= first))

        add(f["has_arrest"])
        hist(f["arrest_day"])
        add(f["arrest_day"] >= first - b.arrest_within_days)
        jw = f["jw_at_minute"]
        w = b.jw_window_days * MINUTES_PER_DAY
        add(z3.And(jw >= self.decided_minute(0) - w, jw <= self.decided_minute(0) + w))
        kind, info = self.enum("kind"), self.enum("information")
        is_info = kind.v == kind.domain.index("information")
        add(is_info == (info.v != info.domain.index("none")))
        for n, slots in self.lists.values():
            add(z3.And(n >= 0, n <= len(slots)))
        n_pending = self.lists["pending"][0]
        for c in self.lists["convictions"][1]:
            hist(c["offense_day"])
            hist(c["conviction_day"])
            hist(c["judgment_day"])
            add(z3.Implies(c["has_offense"], c["offense_day"] <= c["conviction_day"]))
            add(z3.Implies(c["has_judgment"], c["judgment_day"] >= c["conviction_day"]))
            add(z3.Implies(c["ny"], c["row"] != self.table.other))
            add(z3.Implies(c["ny"], z3.Not(c["predicate_felony"])))
            add(z3.And(c["row"] >= 0, c["row"] < len(self.table.rows)))
        for s in self.lists["incarcerations"][1]:
            hist(s["start_day"])
            hist(s["end_day"])
            add(s["end_day"] >= s["start_day"])
        for ch in self.lists["charges"][1]:
            add(z3.And(ch["row"] >= 0, ch["row"] < len(self.table.rows), ch["row"] != self.table.other))
        n_charges = self.lists["charges"][0]
        for i, ch in enumerate(self.lists["charges"][1]):
            add(z3.Implies(n_charges > i, z3.And(ch["case"] >= 0, ch["case"] < n_pending)))

    def size(self) -> z3.ArithRef:
        """Items in all lists (what a minimal case keeps small)."""
        return z3.Sum([n for n, _ in self.lists.values()])

    def flags(self) -> z3.ArithRef:
        """True flags and set optional enums of the case and its present items (and
        non-New-York convictions): what a minimal case keeps few."""
        terms = [z3.If(v, 1, 0) for k, v in self.fields.items() if isinstance(v, z3.BoolRef) and k != "has_arrest"]
        for v in self.fields.values():
            if isinstance(v, EnumV) and "none" in v.domain:
                terms.append(z3.If(v.v != v.domain.index("none"), 1, 0))
        for n, slots in self.lists.values():
            for i, s in enumerate(slots):
                for f, v in s.items():
                    if isinstance(v, z3.BoolRef):
                        terms.append(z3.If(z3.And(i < n, z3.Not(v) if f == "ny" else v), 1, 0))
                    elif isinstance(v, EnumV) and "none" in v.domain:
                        terms.append(z3.If(z3.And(i < n, v.v != v.domain.index("none")), 1, 0))
        return z3.Sum(terms)


def _zmin(xs: list) -> z3.ArithRef:
    out = xs[0]
    for x in xs[1:]:
        out = z3.If(x < out, x, out)
    return out


def _zmax(xs: list) -> z3.ArithRef:
    out = xs[0]
    for x in xs[1:]:
        out = z3.If(x > out, x, out)
    return out


# -- calendar encodings -----------------------------------------------------------


def _cycle_pieces(years: int) -> list[tuple[int, int, int]]:
    """(first r, last r, delta) with add_years(base + r, years % 4) = base + r + delta."""
    b = years % 4
    out: list[tuple[int, int, int]] = []
    for r in range(CYCLE):
        delta = add_years(CYCLE_BASE + r, b) - (CYCLE_BASE + r)
        if out and out[-1][2] == delta and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r, delta)
        else:
            out.append((r, r, delta))
    return out


_PIECES: dict[int, list[tuple[int, int, int]]] = {}


def add_years_z3(day: z3.ArithRef, years: int) -> z3.ArithRef:
    """Exact ``calendar.add_years`` for days in 1901..2099 (4-year cycle of 1461 days)."""
    pieces = _PIECES.get(years % 4)
    if pieces is None:
        pieces = _PIECES[years % 4] = _cycle_pieces(years)
    shift = (years // 4) * CYCLE
    r = (day - CYCLE_BASE) % CYCLE
    out: z3.ArithRef = z3.IntVal(pieces[-1][2])
    for _lo, hi, delta in reversed(pieces[:-1]):
        out = z3.If(r <= hi, z3.IntVal(delta), out)
    return day + shift + out


_NONCOUNTING: dict[tuple, tuple[z3.ArithRef, z3.BoolRef]] = {}


def _noncounting(calendar: str, lo: int, hi: int) -> tuple[z3.ArithRef, z3.BoolRef]:
    """(x, a formula true when day x is a Saturday, Sunday or holiday), for x in [lo, hi]."""
    key = (calendar, lo, hi)
    if key not in _NONCOUNTING:
        x = z3.Int(f"__day_{calendar}")
        hols = sorted(h for h in holiday_days(calendar) if lo <= h <= hi and dt.date.fromordinal(h).weekday() < 5)
        _NONCOUNTING[key] = (x, z3.Or((x + 6) % 7 >= 5, _ranges(x, hols)))
    return _NONCOUNTING[key]


def counting_hours_end_z3(start: z3.ArithRef, hours: int, calendar: str, decided_range: tuple[int, int]):
    """Minute at which ``hours`` counting hours have run (see ``calendar.counting_hours_end``)."""
    d = start / MINUTES_PER_DAY
    m = start % MINUTES_PER_DAY
    lo, hi = decided_range
    x, off_day = _noncounting(calendar, lo, hi + WINDOW_DAYS)
    need = hours * 60
    acc: z3.ArithRef = z3.IntVal(0)
    terms: list[tuple[z3.BoolRef, z3.ArithRef]] = []
    for j in range(WINDOW_DAYS):
        day = d + j
        counting = z3.Not(z3.substitute(off_day, (x, day)))
        avail = (MINUTES_PER_DAY - m) if j == 0 else z3.IntVal(MINUTES_PER_DAY)
        off = m if j == 0 else z3.IntVal(0)
        terms.append((z3.And(counting, need - acc <= avail), day * MINUTES_PER_DAY + off + (need - acc)))
        acc = acc + z3.If(counting, avail, 0)
    out: z3.ArithRef = z3.IntVal(-1)  # beyond the window: never within bounds
    for cond, val in reversed(terms):
        out = z3.If(cond, val, out)
    return out


def union_days_z3(spans: list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]], lo, hi) -> z3.ArithRef:
    """Days covered by the union of the active spells clipped to [lo, hi)."""
    clipped = []
    for active, s, t in spans:
        s2 = z3.If(s > lo, s, lo)
        t2 = z3.If(t < hi, t, hi)
        clipped.append((z3.If(active, s2, 0), z3.If(active, t2, 0)))
    total: z3.ArithRef = z3.IntVal(0)
    for r in range(1, len(clipped) + 1):
        for combo in itertools.combinations(clipped, r):
            s = _zmax([c[0] for c in combo])
            t = _zmin([c[1] for c in combo])
            inter = z3.If(t > s, t - s, 0)
            total = total + inter if r % 2 else total - inter
    return total


# -- the encoder -------------------------------------------------------------------

_CMP = E.COMPARISONS


class Encoder:
    """Compiles plain expressions over one ``SymCase`` under one law (its decided day)."""

    def __init__(self, sym: SymCase, law_index: int = 0, decided_range: tuple[int, int] | None = None):
        self.sym = sym
        self.i = law_index
        self.memo: dict[tuple, object] = {}
        self.ids: dict[int, tuple[int, E.Expr]] = {}
        self.interned: dict[tuple, int] = {}
        b = sym.bounds
        self.decided_range = decided_range or (_ord(b.decided[0]), _ord(b.decided[1]))

    def __call__(self, e: E.Expr) -> object:
        return self.enc(e, ())

    def enc(self, e: E.Expr, env: tuple) -> object:
        key = (self._canon(e), env)
        v = self.memo.get(key)
        if v is None:
            v = self.memo[key] = self._enc(e, env)
        return v

    def _canon(self, e: E.Expr) -> int:
        """Structural identity of a tree (hash-consing), so equal subtrees of different
        snapshots compile once."""
        hit = self.ids.get(id(e))
        if hit is not None:
            return hit[0]
        t = type(e)
        if t in (E.Const, E.Field, E.Var):
            sig: tuple = (t, *(getattr(e, f) for f in e.__dataclass_fields__), type(getattr(e, "value", None)))
        else:
            parts = []
            for f in e.__dataclass_fields__:
                v = getattr(e, f)
                if isinstance(v, E.Expr):
                    parts.append(("e", self._canon(v)))
                elif isinstance(v, tuple) and v and isinstance(v[0], E.Expr):
                    parts.append(("t", tuple(self._canon(a) for a in v)))
                else:
                    parts.append(v)
            sig = (t, *parts)
        c = self.interned.setdefault(sig, len(self.interned))
        self.ids[id(e)] = (c, e)  # keep ``e`` alive so its id is not reused
        return c

    def _item(self, env: tuple, var: str) -> dict:
        for name, lst, i in env:
            if name == var:
                return self.sym.lists[lst][1][i]
        raise KeyError(f"unbound variable {var!r}")

    def _enc(self, e: E.Expr, env: tuple) -> object:
        handler = ENCODERS.get(type(e))
        if handler is None:
            raise NotImplementedError(f"SMT backend: no encoding for {type(e).__name__}")
        return handler(self, e, env)

    def _cmp(self, op: str, a: object, b: object) -> z3.BoolRef:
        if isinstance(b, (EnumV, KeyV)) and not isinstance(a, (EnumV, KeyV)):
            a, b = b, a
        if isinstance(a, EnumV):
            if op not in ("==", "!="):
                raise NotImplementedError("ordering on enums")
            if isinstance(b, str):
                r = a.v == a.domain.index(b) if b in a.domain else z3.BoolVal(False)
            elif isinstance(b, EnumV):
                r = z3.Or([z3.And(a.v == i, b.v == b.domain.index(x)) for i, x in enumerate(a.domain)
                           if x in b.domain])
            else:
                raise NotImplementedError("enum compared with a number")
            return r if op == "==" else z3.Not(r)
        if isinstance(a, KeyV):
            if op not in ("==", "!="):
                raise NotImplementedError("ordering on statutes")
            if isinstance(b, str):
                r = self.sym.table.member(a.row, a.attr, (b,))
            elif isinstance(b, KeyV) and b.row is a.row:
                r = self.sym.table.same(a.row, a.attr, b.attr)
            elif isinstance(b, KeyV):
                at = self.sym.table.attrs
                r = z3.Or([z3.And(a.row == x, b.row == y) for x, rx in enumerate(at) for y, ry in enumerate(at)
                           if rx[a.attr] == ry[b.attr]])
            else:
                raise NotImplementedError("statute compared with a number")
            return r if op == "==" else z3.Not(r)
        return _CMP[op](a, b)

    def _in(self, a: object, values: frozenset) -> z3.BoolRef:
        if isinstance(a, EnumV):
            return _ranges(a.v, [i for i, x in enumerate(a.domain) if x in values])
        if isinstance(a, KeyV):
            return self.sym.table.member(a.row, a.attr, values)
        return z3.Or([a == v for v in values]) if values else z3.BoolVal(False)  # type: ignore[operator]


def _const(c: Encoder, e: E.Const, env: tuple) -> object:
    v = e.value
    if isinstance(v, bool):
        return z3.BoolVal(v)
    if isinstance(v, int):
        return z3.IntVal(v)
    return v


def _field(c: Encoder, e: E.Field, env: tuple) -> object:
    if e.name == "decided_day":
        return c.sym.decided[c.i]
    if e.name == "decided_minute":
        return c.sym.decided_minute(c.i)
    return c.sym.fields[e.name]


def _var(c: Encoder, e: E.Var, env: tuple) -> object:
    item = c._item(env, e.var)
    if e.name in KEY_ATTRS and "row" in item:
        return KeyV(e.name, item["row"])  # type: ignore[arg-type]
    return item[e.name]


def _if(c: Encoder, e: E.If, env: tuple) -> object:
    cond, a, b = c.enc(e.cond, env), c.enc(e.then, env), c.enc(e.other, env)
    if isinstance(a, (EnumV, KeyV, str)) or isinstance(b, (EnumV, KeyV, str)):
        raise NotImplementedError("If over enum or statute values")
    return z3.If(cond, a, b)


def _arith(c: Encoder, e: E.Arith, env: tuple) -> object:
    a, b = c.enc(e.left, env), c.enc(e.right, env)
    return a + b if e.op == "+" else a - b  # type: ignore[operator]


def _item_terms(c: Encoder, e: E.Any | E.Count, env: tuple) -> list:
    """Per slot of the list: the slot is present and the predicate holds of it."""
    n, slots = c.sym.lists[e.items]
    return [z3.And(n > i, c.enc(e.pred, (*env, (e.var, e.items, i)))) for i in range(len(slots))]


def _any(c: Encoder, e: E.Any, env: tuple) -> object:
    terms = _item_terms(c, e, env)
    return z3.Or(terms) if terms else z3.BoolVal(False)


def _count(c: Encoder, e: E.Count, env: tuple) -> object:
    terms = _item_terms(c, e, env)
    return z3.Sum([z3.If(x, 1, 0) for x in terms]) if terms else z3.IntVal(0)


def _union_days(c: Encoder, e: E.UnionDays, env: tuple) -> object:
    n, slots = c.sym.lists[e.items]
    lo, hi = c.enc(e.lo, env), c.enc(e.hi, env)
    spans = []
    for i, s in enumerate(slots):
        w = c.enc(e.where, (*env, (e.var, e.items, i)))
        spans.append((z3.And(n > i, w), s["start_day"], s["end_day"]))
    return union_days_z3(spans, lo, hi)


# The meaning of each node type over a ``SymCase`` (``Encoder._enc``). ``PermittedBy`` has
# none: the backend compiles lowered expressions, where it has been resolved.
ENCODERS: dict[type, Callable[..., object]] = {
    E.Const: _const,
    E.Field: _field,
    E.Var: _var,
    E.Def: lambda c, e, env: c.enc(e.expr, env),
    E.Not: lambda c, e, env: z3.Not(c.enc(e.arg, env)),
    E.And: lambda c, e, env: z3.And([c.enc(a, env) for a in e.args]),
    E.Or: lambda c, e, env: z3.Or([c.enc(a, env) for a in e.args]),
    E.Cmp: lambda c, e, env: c._cmp(e.op, c.enc(e.left, env), c.enc(e.right, env)),
    E.Arith: _arith,
    E.In: lambda c, e, env: c._in(c.enc(e.arg, env), e.values),
    E.If: _if,
    E.Max: lambda c, e, env: _zmax([c.enc(a, env) for a in e.args]),
    E.Min: lambda c, e, env: _zmin([c.enc(a, env) for a in e.args]),
    E.AddYears: lambda c, e, env: add_years_z3(c.enc(e.day, env), e.years),
    E.Any: _any,
    E.Count: _count,
    E.UnionDays: _union_days,
    E.CountingHoursEnd: lambda c, e, env: counting_hours_end_z3(c.enc(e.start, env), e.hours, e.calendar,
                                                                c.decided_range),
}


def table_for(exprs: Iterable[E.Expr], facts: Iterable[dict] = ()) -> KeyTable:
    """The statute domain for ``exprs``, with the keys of some concrete facts added."""
    extra = []
    for f in facts:
        for lst in KEY_LISTS:
            extra += [row_from_facts(it) for it in f.get(lst, [])]
    return KeyTable.build(exprs, extra)  # type: ignore[arg-type]


def evaluate_concrete(exprs: list[E.Expr], facts: dict, table: KeyTable | None = None) -> list[object]:
    """Values of ``exprs`` with every input fixed to ``facts`` (the differential check)."""
    table = table or table_for(exprs, [facts])
    k = max(3, *(len(facts[name]) for name in SCHEMA.lists))
    sym = SymCase(table, Bounds(k=k), validity=False)
    enc = Encoder(sym)
    return instantiate([enc(e) for e in exprs], sym.substitution(facts))


def instantiate(terms: list, pairs: list[tuple]) -> list[object]:
    """Python values of Z3 terms once every variable is replaced by a constant."""
    out = []
    for t in terms:
        v = z3.simplify(z3.substitute(t, *pairs))
        if z3.is_int_value(v):
            out.append(v.as_long())
        elif z3.is_true(v) or z3.is_false(v):
            out.append(z3.is_true(v))
        else:
            raise ValueError(f"not a constant after instantiation: {v}")
    return out

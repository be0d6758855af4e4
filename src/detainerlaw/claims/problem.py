"""A claim's satisfiability problem over its pack: the symbolic case (``engine.smt``) over
the statute table of every expression the claim's laws compare, the constraints that make
a modelled case plausible, the claim's ``given``, and the outcome of each action under
each of the claim's laws (an If over the laws' epochs and the agencies)."""

from __future__ import annotations

import datetime as dt

import z3

from detainerlaw.claims.given import Given
from detainerlaw.claims.parse import Claim, ClaimError, _pack
from detainerlaw.engine import smt
from detainerlaw.engine.calendar import MINUTES_PER_DAY
from detainerlaw.engine.lower import CODES, lower_action
from detainerlaw.engine.smt.dates import zmin


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
        table = smt.KeyTable.build(exprs, _vocabulary(self.pack), self.given.extra_rows)
        self.sym = smt.SymCase(table, self.bounds, schema=self.pack.schema, decided_days=len(claim.laws))
        self.constraints = [*self.sym.constraints, *plausible(self.sym)]
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


def _vocabulary(pack) -> smt.Vocabulary:  # noqa: ANN001
    """The pack's statute vocabulary: what the solver enumerates for statute-derived facts."""
    if pack.vocabulary is None:
        raise ValueError(f"the {pack.jurisdiction} law pack declares no statute vocabulary for the solver")
    return pack.vocabulary


def plausible(sym: smt.SymCase) -> list[z3.BoolRef]:
    """What makes a modelled case plausible (see ``engine.smt``): dates within the bounds and
    in order, an instant arrest at most ``arrest_within_days`` before the decision, a judicial
    warrant within ``jw_window_days`` of it, New York charges, and the information kind given
    exactly when the request is for information."""
    out: list[z3.BoolRef] = []
    b, f, add = sym.bounds, sym.fields, out.append
    hlo, hhi = b.history[0].toordinal(), b.history[1].toordinal()
    dlo, dhi = b.decided[0].toordinal(), b.decided[1].toordinal()
    for d in sym.decided:
        add(z3.And(d >= dlo, d <= dhi))
    add(z3.And(sym.dmin >= 0, sym.dmin < MINUTES_PER_DAY))
    first = sym.decided[0] if len(sym.decided) == 1 else zmin(sym.decided)

    def hist(x) -> None:
        add(z3.And(x >= hlo, x <= hhi, x <= first))

    add(f["has_arrest"])
    hist(f["arrest_day"])
    add(f["arrest_day"] >= first - b.arrest_within_days)
    jw = f["jw_at_minute"]
    w = b.jw_window_days * MINUTES_PER_DAY
    add(z3.And(jw >= sym.decided_minute(0) - w, jw <= sym.decided_minute(0) + w))
    kind, info = sym.enum("kind"), sym.enum("information")
    is_info = kind.v == kind.domain.index("information")
    add(is_info == (info.v != info.domain.index("none")))
    for n, slots in sym.lists.values():
        add(z3.And(n >= 0, n <= len(slots)))
    n_pending = sym.lists["pending"][0]
    table = sym.table
    for c in sym.lists["convictions"][1]:
        hist(c["offense_day"])
        hist(c["conviction_day"])
        hist(c["judgment_day"])
        add(z3.Implies(c["has_offense"], c["offense_day"] <= c["conviction_day"]))
        add(z3.Implies(c["has_judgment"], c["judgment_day"] >= c["conviction_day"]))
        add(z3.Implies(c["ny"], c["row"] != table.other))
        add(z3.Implies(c["ny"], z3.Not(c["predicate_felony"])))
        add(z3.And(c["row"] >= 0, c["row"] < len(table.rows)))
    for s in sym.lists["incarcerations"][1]:
        hist(s["start_day"])
        hist(s["end_day"])
        add(s["end_day"] >= s["start_day"])
    for ch in sym.lists["charges"][1]:
        add(z3.And(ch["row"] >= 0, ch["row"] < len(table.rows), ch["row"] != table.other))
    n_charges = sym.lists["charges"][0]
    for i, ch in enumerate(sym.lists["charges"][1]):
        add(z3.Implies(n_charges > i, z3.And(ch["case"] >= 0, ch["case"] < n_pending)))
    return out


def flags(sym: smt.SymCase) -> z3.ArithRef:
    """True flags and set optional enums of the case and its present items (and
    non-New-York convictions): what a minimal case keeps few."""
    terms = [z3.If(v, 1, 0) for k, v in sym.fields.items() if isinstance(v, z3.BoolRef) and k != "has_arrest"]
    for v in sym.fields.values():
        if isinstance(v, smt.EnumV) and "none" in v.domain:
            terms.append(z3.If(v.v != v.domain.index("none"), 1, 0))
    for n, slots in sym.lists.values():
        for i, s in enumerate(slots):
            for f, v in s.items():
                if isinstance(v, z3.BoolRef):
                    terms.append(z3.If(z3.And(i < n, z3.Not(v) if f == "ny" else v), 1, 0))
                elif isinstance(v, smt.EnumV) and "none" in v.domain:
                    terms.append(z3.If(z3.And(i < n, v.v != v.domain.index("none")), 1, 0))
    return z3.Sum(terms)

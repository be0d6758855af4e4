"""A claim's satisfiability problem over its pack: the symbolic case (``engine.smt``) over
the statute table of every expression the claim's laws compare, the constraints that make
a modelled case plausible, the claim's ``given``, and the outcome of each action under
each of the claim's laws (an If over the laws' epochs and the agencies)."""

from __future__ import annotations

import datetime as dt

import z3

from detainerlaw.claims.parse import Claim, ClaimError, _pack, _place
from detainerlaw.engine import smt
from detainerlaw.engine.calendar import MINUTES_PER_DAY
from detainerlaw.engine.lower import CODES, bind_action, lower_action
from detainerlaw.engine.rules import NOT_GOVERNED
from detainerlaw.engine.smt.dates import zmin
from detainerlaw.engine.smt.layers import combine_terms


class Problem:
    """One claim's symbolic case and the outcome of each action under each of its laws: every
    layer of the place, combined by ``engine.layers`` (or the one layer the claim names)."""

    def __init__(self, claim: Claim, k: int, actions: list[str]):
        self.claim, self.actions = claim, actions
        self.pack = _pack()
        place = self.place = _place()
        self.layers = [(layer.id, self.pack if layer.id == place.home else p) for layer, p in place.stack()]
        self.given = _symbolic(place).given(claim.given, f"{claim.id}.given")
        self.bounds = smt.Bounds(k=k)
        lo, hi = self.bounds.decided
        for law in claim.laws:
            if law.lo < lo or law.hi > hi:
                raise ClaimError(f"{claim.id}: law dates must lie within {lo}..{hi} (the decision-date bound)")
        domain = self.pack.schema.fields["agency"]
        self.lowered: dict[tuple, object] = {}
        self.epochs: dict[tuple, list[tuple[dt.date, dt.date]]] = {}
        for law in claim.laws:
            for lid, pack in self.layers:
                self.epochs[(id(law), lid)] = law.epochs(pack, lid)
                for start, _end in self.epochs[(id(law), lid)]:
                    for ag in (a for a in pack.agencies if a in domain):
                        snap = pack.snapshot(start, ag, law.reform_for(lid))
                        for a in actions:
                            self.lowered[(id(law), lid, start, ag, a)] = bind_action(lower_action(snap, a), snap.params)
        exprs = [e for la in self.lowered.values() for e in (la.outcome, *(r.branch for r in la.rules))]  # type: ignore
        table = smt.KeyTable.build(exprs, _vocabulary(self.pack), self.given.extra_rows)
        self.sym = smt.SymCase(table, self.bounds, schema=self.pack.schema, decided_days=len(claim.laws))
        self.constraints = [*self.sym.constraints, *plausible(self.sym)]
        for i, law in enumerate(claim.laws):
            d = self.sym.decided[i]
            self.constraints.append(z3.And(d >= law.lo.toordinal(), d <= law.hi.toordinal()))
        self.constraints += self.given.apply(self.sym)
        self.encoders: dict[tuple, smt.Encoder] = {}
        self._out: dict[tuple, z3.ExprRef] = {}

    def _encoder(self, i: int, start: dt.date, end: dt.date) -> smt.Encoder:
        key = (i, start, end)
        if key not in self.encoders:
            shared = next(iter(self.encoders.values()), None)
            enc = smt.Encoder(self.sym, i, (start.toordinal(), end.toordinal()))
            if shared is not None:  # share structural ids and compiled subterms of day-independent parts
                enc.ids, enc.interned = shared.ids, shared.interned
            self.encoders[key] = enc
        return self.encoders[key]

    def _layer(self, i: int, action: str, lid: str, part: str) -> z3.ExprRef:
        """One layer's ``outcome`` code (or ``preempts`` flag) of ``action`` under law ``i``:
        an If over that layer's epochs and the agencies it binds."""
        key = (i, action, lid, part)
        if key in self._out:
            return self._out[key]
        law = self.claim.laws[i]
        pack = dict(self.layers)[lid]
        agency = self.sym.enum("agency")
        d = self.sym.decided[i]
        absent = z3.IntVal(CODES[NOT_GOVERNED]) if part == "outcome" else z3.BoolVal(False)
        out: z3.ExprRef | None = None
        for start, end in reversed(self.epochs[(id(law), lid)]):
            enc = self._encoder(i, start, end)
            per: z3.ExprRef = absent
            for ag in reversed([a for a in pack.agencies if a in agency.domain]):
                t = enc(getattr(self.lowered[(id(law), lid, start, ag, action)], part))
                per = z3.If(agency.v == agency.domain.index(ag), t, per)
            out = per if out is None else z3.If(d >= start.toordinal(), per, out)
        self._out[key] = out if out is not None else absent
        return self._out[key]

    def outcome(self, i: int, action: str) -> z3.ArithRef:
        """The outcome code of ``action`` under law ``i``: the claim's layer's, or every layer's combined."""
        if self.claim.layer is not None:
            return self._layer(i, action, self.claim.layer, "outcome")  # type: ignore[return-value]
        if len(self.layers) == 1:
            return self._layer(i, action, self.layers[0][0], "outcome")  # type: ignore[return-value]
        key = (i, action, "combined")
        if key not in self._out:
            self._out[key] = combine_terms({lid: self._layer(i, action, lid, "outcome") for lid, _ in self.layers},
                                           {lid: self._layer(i, action, lid, "preempts") for lid, _ in self.layers})
        return self._out[key]  # type: ignore[return-value]

    def branches(self, i: int, action: str) -> list[z3.ArithRef]:
        """Every rule's branch of every layer under law ``i``, guarded by its agency and epoch (for blocking)."""
        law = self.claim.laws[i]
        agency = self.sym.enum("agency")
        d = self.sym.decided[i]
        out = []
        for lid, pack in self.layers:
            for start, end in self.epochs[(id(law), lid)]:
                enc = self._encoder(i, start, end)
                here = z3.And(d >= start.toordinal(), d <= end.toordinal())
                for ag in (a for a in pack.agencies if a in agency.domain):
                    on = z3.And(here, agency.v == agency.domain.index(ag))
                    for r in self.lowered[(id(law), lid, start, ag, action)].rules:  # type: ignore[attr-defined]
                        out.append(z3.If(on, enc(r.branch), -2))
        return out

    def engaged(self, action: str) -> z3.BoolRef:
        agency, kind = self.sym.enum("agency"), self.sym.enum("kind")
        pairs = [z3.And(agency.v == i, kind.v == j) for i, ag in enumerate(agency.domain)
                 for j, kd in enumerate(kind.domain) if any(action in p.engaged(ag, kd) for _, p in self.layers)]
        return z3.Or(pairs)

    def satisfies(self, i: int, then: dict[str, tuple[str, ...]]) -> z3.BoolRef:
        return z3.And([z3.Or([self.outcome(i, a) == CODES[o] for o in outs]) for a, outs in then.items()])


def _symbolic(place):  # noqa: ANN001, ANN202
    """The place's symbolic codec (``Jurisdiction.symbolic``): one message if it has none."""
    if place.symbolic is None:
        raise ClaimError(f"{place.title}: its law package does not support claims")
    return place.symbolic


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

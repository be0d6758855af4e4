"""The symbolic case: one Z3 variable per fact of a pack's ``Schema``.

Scalar fields and the fields of each list slot are variables (an enum is an integer
index into its values); the items of a list the ``Vocabulary`` names carry one row
variable into the statute table instead of their statute-derived fields; an item's
``index`` field is its position in its list. ``decided_day`` is one variable per law a
question compares (``decided_days``), ``decided_minute`` that day's minute plus a shared
minute of the day. What makes a modelled case plausible (date ranges, consistent flags)
is the caller's to add.
"""

from __future__ import annotations

from dataclasses import dataclass

import z3

from detainerlaw.engine.calendar import MINUTES_PER_DAY
from detainerlaw.engine.expr import Schema
from detainerlaw.engine.smt.bounds import Bounds
from detainerlaw.engine.smt.table import KeyTable

DECISION_FIELDS = ("decided_day", "decided_minute")


@dataclass(frozen=True)
class EnumV:
    domain: tuple[str, ...]
    v: z3.ArithRef


@dataclass(frozen=True)
class KeyV:
    attr: str
    row: z3.ArithRef


class SymCase:
    """Z3 variables for one case; ``substitution`` fixes them to one case's facts."""

    def __init__(self, table: KeyTable, bounds: Bounds = Bounds(), *, schema: Schema, decided_days: int = 1):
        self.table, self.bounds, self.schema = table, bounds, schema
        vocab = table.vocabulary
        self.key_lists, self.key_fields = frozenset(vocab.lists), frozenset(vocab.fields)
        self.constraints: list[z3.BoolRef] = []
        self.fields: dict[str, object] = {}
        self.lists: dict[str, tuple[z3.ArithRef, list[dict[str, object]]]] = {}
        for name, typ in schema.fields.items():
            if name not in DECISION_FIELDS:
                self.fields[name] = self._var(name, typ)
        self.decided = [z3.Int(f"decided_day_{i}") for i in range(decided_days)]
        self.dmin = z3.Int("decided_minute_of_day")
        for name, spec in schema.lists.items():
            n = z3.Int(f"n_{name}")
            keyed = name in self.key_lists
            slots = []
            for i in range(bounds.k):
                slot: dict[str, object] = {}
                for f, typ in spec.items():
                    if keyed and f in self.key_fields:
                        continue
                    slot[f] = z3.IntVal(i) if f == "index" else self._var(f"{name}{i}.{f}", typ)
                if keyed:
                    slot["row"] = z3.Int(f"{name}{i}.row")
                slots.append(slot)
            self.lists[name] = (n, slots)

    def _var(self, name: str, typ: object):
        if isinstance(typ, tuple):
            v = z3.Int(name)
            self.constraints.append(z3.And(v >= 0, v < len(typ)))
            return EnumV(typ, v)
        return z3.Bool(name) if typ == "bool" else z3.Int(name)

    def substitution(self, facts: dict, law_index: int = 0) -> list[tuple]:
        """Pairs (variable, constant) fixing every input to one case's facts."""
        out: list[tuple] = []
        row_of = self.table.vocabulary.row_of

        def put(var: object, typ: object, value: object) -> None:
            if isinstance(var, EnumV):
                out.append((var.v, z3.IntVal(var.domain.index(value))))
            elif isinstance(var, z3.BoolRef):
                out.append((var, z3.BoolVal(bool(value))))
            elif z3.is_const(var) and not z3.is_int_value(var):
                out.append((var, z3.IntVal(int(value))))  # type: ignore[arg-type]

        for name, typ in self.schema.fields.items():
            if name in self.fields:
                put(self.fields[name], typ, facts[name])
        # every place's facts carry the decision's day; its minute only where the law counts hours
        d, m = divmod(facts.get("decided_minute", facts["decided_day"] * MINUTES_PER_DAY), MINUTES_PER_DAY)
        out += [(self.decided[law_index], z3.IntVal(d)), (self.dmin, z3.IntVal(m))]
        for name, spec in self.schema.lists.items():
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
                    row = self.table.index[row_of(it)] if it else 0
                    out.append((slot["row"], z3.IntVal(row)))
        return out

    def decided_minute(self, i: int = 0) -> z3.ArithRef:
        return self.decided[i] * MINUTES_PER_DAY + self.dmin

    def enum(self, name: str) -> EnumV:
        return self.fields[name]  # type: ignore[return-value]

    def size(self) -> z3.ArithRef:
        """Items in all lists (what a minimal case keeps small)."""
        return z3.Sum([n for n, _ in self.lists.values()])

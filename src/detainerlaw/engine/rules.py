"""Rules with first-class exceptions, in the manner of default logic.

A ``Rule`` states, for the actions it governs and while it is in force, a default
outcome and ordered exceptions ("may not ..., unless ..."). An exception of higher
``rank`` overrides one of lower rank; two exceptions of the same rank that both apply
and disagree are a ``ConflictError`` (a drafting error in the pack, never silently
resolved). Outside its ``applies`` condition a rule says nothing (``not_governed``).

Several rules may govern one action (a section and a citywide rule): the most
restrictive in-scope outcome wins, and a rule that defers to another says so in its
own exceptions (``PermittedBy``), so the deference is visible in the explanation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from functools import cached_property

from detainerlaw.engine.expr import TRUE, Expr

NOT_GOVERNED = "not_governed"
PERMITTED = "permitted"
REQUIRED = "required"
PROHIBITED = "prohibited"

# Order of restrictiveness used to combine rules on one action.
SEVERITY = {NOT_GOVERNED: 0, PERMITTED: 1, REQUIRED: 2, PROHIBITED: 3}
OUTCOMES = tuple(SEVERITY)


class ConflictError(RuntimeError):
    """Two exceptions of the same rank apply and give different outcomes."""


@dataclass(frozen=True)
class When:
    """An exception: when ``condition`` holds, the outcome is ``outcome``."""

    label: str
    cite: str
    condition: Expr
    outcome: str
    rank: int = 1
    until: Expr | None = None  # minute at which a limited permission ends
    conditions: tuple[str, ...] = ()  # what must still happen; "{until}" is filled in
    notes: tuple[str, ...] = ()
    also_cite: tuple[str, ...] = ()
    preempts: bool = False  # this answer displaces lower layers' prohibitions (engine.layers)


@dataclass(frozen=True)
class Rule:
    id: str
    title: str
    cite: str
    source: str  # the enacting law, e.g. "LL 58/2014"
    agencies: tuple[str, ...]
    actions: tuple[str, ...]
    start: dt.date
    end: dt.date | None = None  # first day no longer in force
    applies: Expr = TRUE
    applies_label: str = "the request is within the rule's scope"
    default: str = PROHIBITED
    default_label: str = ""
    default_conditions: tuple[str, ...] = ()
    exceptions: tuple[When, ...] = ()
    notes: tuple[str, ...] = ()
    also_cite: tuple[str, ...] = ()
    note_if: tuple[tuple[str, Expr], ...] = ()  # register codes reported when their condition holds
    preempts: bool = False  # the default answer displaces lower layers' prohibitions (engine.layers)

    def in_force(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)

    @cached_property
    def _ranked(self) -> tuple[When, ...]:
        return tuple(sorted(self.exceptions, key=lambda w: -w.rank))

    def ranked(self) -> tuple[When, ...]:
        """Exceptions from highest rank down, declaration order kept within a rank."""
        return self._ranked


@dataclass(frozen=True)
class PermittedBy(Expr):
    """True when another rule in force for the same action, whose id starts with one of
    ``rule_ids``, permits it (as § 10-178(e) defers to §§ 9-131, 9-205, 14-154)."""

    rule_ids: tuple[str, ...]
    label: str = ""


@dataclass
class Snapshot:
    """The law for one agency on one day (one epoch), under one reform."""

    jurisdiction: str
    agency: str
    start: dt.date
    end: dt.date | None
    actions: dict[str, list[Rule]]
    notes_text: dict[str, str] = field(default_factory=dict)
    _sources: list[str] | None = None
    params: dict[str, object] = field(default_factory=dict)  # what its rules' ``Param`` nodes read (``Params.bound``)

    @property
    def sources(self) -> list[str]:
        if self._sources is None:
            seen = {r.source for rules in self.actions.values() for r in rules}
            self._sources = sorted(seen, key=_source_order)
        return self._sources

    @property
    def version(self) -> str:
        return f"{self.jurisdiction}/{self.agency}@{self.start.isoformat()}"

    def rules(self) -> list[Rule]:
        out: dict[str, Rule] = {}
        for rules in self.actions.values():
            for r in rules:
                out.setdefault(r.id, r)
        return list(out.values())


def _source_order(s: str) -> tuple[int, int, str]:
    try:
        num, year = s.split()[-1].split("/")
        return (int(year), int(num), s)
    except ValueError:
        return (9999, 0, s)

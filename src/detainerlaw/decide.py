"""Deciding a Case: the law in force on its date, each engaged action, with
citations, conditions, register notes and (on request) the explanation tree."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import BaseModel

from detainerlaw.engine.calendar import to_datetime
from detainerlaw.engine.interpreter import ActionEval, evaluate_action
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.facts import case_facts
from detainerlaw.models.case import Case
from detainerlaw.models.decision import ActionResult, Decision, Explanation, LawRef, Note, Outcome

LOOKBACK_FROM = dt.date(2013, 7, 16)  # the first version with a lookback (LL 21/2013, LL 22/2013)


class InputError(ValueError):
    """A case that is well-formed but lacks a fact the law in force needs."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@lru_cache(maxsize=1)
def default_pack() -> LawPack:
    from detainerlaw.laws.nyc import pack

    return pack()


LOOKBACK_KINDS = ("detainer", "information")  # the requests whose rules measure a lookback


def missing_arrest_date(day: dt.date) -> InputError:
    """The error for a record without the instant arrest date the law of ``day`` needs."""
    return InputError(
        "instant_arrest_date",
        f"required: the law in force on {day} measures a lookback from the instant arrest "
        "and the person has a criminal record",
    )


def _check_inputs(case: Case) -> None:
    p = case.person
    if (
        case.instant_arrest_date is None
        and case.request.kind.value in LOOKBACK_KINDS
        and case.decided_date >= LOOKBACK_FROM
        and (p.convictions or p.pending_cases)
    ):
        raise missing_arrest_date(case.decided_date)


@lru_cache(maxsize=4096)
def _branch_cites(cites: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(c if c.startswith("NYC") or not c.startswith("§") else f"NYC Admin. Code {c}" for c in cites)


def citations(ev: ActionEval) -> list[str]:
    """The provisions that decided the action: each deciding rule's branch, in order."""
    out: list[str] = []
    for r in ev.deciding:
        w = r.branch
        for c in _branch_cites((w.cite, *w.also_cite) if w else (r.rule.cite, *r.rule.also_cite)):
            if c not in out:
                out.append(c)
    return out


def conditions(ev: ActionEval, until: dt.datetime | None) -> list[str]:
    out: list[str] = []
    for r in ev.deciding:
        texts = r.branch.conditions if r.branch else r.rule.default_conditions
        for t in texts:
            s = t.format(until=until.isoformat(timespec="minutes")) if until and "{" in t else t
            if s not in out:
                out.append(s)
    return out


def decide(case: Case, pack: LawPack | None = None, reform: Reform = BASELINE, *, explain: bool = True) -> Decision:
    pack = pack or default_pack()
    _check_inputs(case)
    facts = case_facts(case)
    agency = case.agency.value
    snap = pack.snapshot(dt.date.fromordinal(facts["decided_day"]), agency, reform)
    actions: dict[str, ActionResult] = {}
    notes: set[str] = set()
    memo: dict = {}
    for action in pack.engaged(agency, facts["kind"]):
        ev, used = evaluate_action(snap, action, facts, trace=explain, describe=pack.describe, memo=memo)
        notes |= used
        until = to_datetime(ev.until) if ev.until is not None else None
        actions[action] = _built(
            ActionResult,
            outcome=_OUTCOMES[ev.outcome],
            until=until,
            conditions=conditions(ev, until),
            citations=citations(ev),
            explanation=Explanation.model_validate(ev.node.as_dict()) if ev.node else None,
        )
    return _built(
        Decision,
        jurisdiction=case.jurisdiction,
        agency=agency,
        decided_at=case.decided_at,
        law=_built(LawRef, version=snap.version, sources=snap.sources),
        actions=actions,
        notes=[_note(pack.register, c) for c in sorted(notes, key=_code_order)] if notes else [],
    )


def _built(cls: type[BaseModel], **values: object) -> BaseModel:
    """A model from values the engine built itself, every field given: no re-validation
    (what ``model_construct`` does, without its per-field default handling)."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


_OUTCOMES = {o.value: o for o in Outcome}
_NOTES: dict[tuple[int, str], Note] = {}


def _note(register: dict[str, str], code: str) -> Note:
    """Register notes are the same for every decision: built once per code."""
    key = (id(register), code)
    n = _NOTES.get(key)
    if n is None:
        n = _NOTES[key] = _built(Note, code=code, text=register.get(code, code))
    return n


@lru_cache(maxsize=256)
def _code_order(code: str) -> tuple[str, int, str]:
    head, _, num = code.partition("-")
    digits = "".join(ch for ch in num if ch.isdigit())
    return (head, int(digits) if digits else 0, num)

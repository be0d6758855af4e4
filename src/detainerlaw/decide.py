"""Deciding a Case: the law in force on its date, each engaged action, with
citations, conditions, register notes and (on request) the explanation tree."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from pydantic import BaseModel

from detainerlaw.engine.calendar import to_datetime
from detainerlaw.engine.interpreter import ActionEval, evaluate_action
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.facts import case_facts
from detainerlaw.laws.nyc.statutes import known_pl_section, parse_statute
from detainerlaw.models.decision import ActionResult, Decision, Explanation, InputWarning, LawRef, Note, Outcome

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
def unknown_citation(statute: str, strict: bool = True) -> str | None:
    """The warning text for a New York citation that names no article of the Penal Law
    (``PL 999.99``); None for a known or non-PL citation. Such a citation is on no list, so
    the decision treats it as an unlisted offence: the user should know that was assumed."""
    st = parse_statute(statute, strict=strict)
    if st.code != "PL" or known_pl_section(st.section):
        return None
    return (f"{statute!r} cites no article of the New York Penal Law (article {st.section.split('.')[0]} does "
            "not exist): it was treated as an offence on no list; check the citation")


def case_warnings(case: Case) -> list[InputWarning]:
    """What the decision assumed about the input: unknown Penal Law citations (named by
    field, e.g. ``person.convictions[0].statute``) and times converted to New York time."""
    out = [InputWarning(field=field, text=f"{given} was read as New York local time {used} (America/New_York)")
           for field, given, used in case.conversions]
    p = case.person
    for i, c in enumerate(p.convictions):
        ny = c.jurisdiction.upper() == "NY"
        cited = [("statute", c.statute, ny)] if ny else []
        if c.equivalent_statute is not None:
            cited.append(("equivalent_statute", c.equivalent_statute, True))
        for name, text, strict in cited:
            w = unknown_citation(text, strict)
            if w:
                out.append(InputWarning(field=f"person.convictions[{i}].{name}", text=w))
    for j, pc in enumerate(p.pending_cases):
        if pc.jurisdiction.upper() != "NY":
            continue
        for k, ch in enumerate(pc.charges):
            w = unknown_citation(ch.statute, True)
            if w:
                out.append(InputWarning(field=f"person.pending_cases[{j}].charges[{k}].statute", text=w))
    return out


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
        warnings=case_warnings(case),
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

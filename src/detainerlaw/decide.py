"""Deciding a case: every layer of its place's law in force on its date, each engaged
action, with citations, conditions, register notes and (on request) the explanation tree;
the layers' answers combined by the one rule of ``engine.layers``."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from pydantic import BaseModel

from detainerlaw import jurisdictions
from detainerlaw.engine.calendar import to_datetime
from detainerlaw.engine.interpreter import ActionEval, evaluate_action
from detainerlaw.engine.layers import Answer, follow
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, REQUIRED
from detainerlaw.errors import InputError
from detainerlaw.models.decision import (
    ActionResult,
    Decision,
    Explanation,
    LawRef,
    LayerRef,
    LayerResult,
    Note,
    Outcome,
)

__all__ = ["InputError", "citations", "conditions", "decide", "default_pack"]


def default_pack() -> LawPack:
    """The home layer's pack of the default place (what tests and benchmarks decide under)."""
    return jurisdictions.get(jurisdictions.DEFAULT).pack()


def citations(ev: ActionEval, cite: Any = str) -> list[str]:
    """The provisions that decided the action: each deciding rule's branch, in order."""
    out: list[str] = []
    for r in ev.deciding:
        w = r.branch
        for c in (w.cite, *w.also_cite) if w else (r.rule.cite, *r.rule.also_cite):
            c = cite(c)
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


def preempts(ev: ActionEval) -> bool:
    """Whether the rule that decided ``ev`` displaces lower layers' prohibitions (engine.layers)."""
    return any((r.branch.preempts if r.branch else r.rule.preempts) for r in ev.deciding)


LAYER_CONFLICT = "LAYERS"


def decide(case: Any, pack: LawPack | None = None, reform: Reform = BASELINE, *, explain: bool = True) -> Decision:
    """The Decision for ``case`` under its place's law; ``pack`` replaces the home layer's pack and
    ``reform`` changes the layer it names (the home layer by default)."""
    place = jurisdictions.get(case.jurisdiction)
    place.check(case)
    facts = place.facts(case)
    agency = facts["agency"]
    day = dt.date.fromordinal(facts["decided_day"])
    kind = facts["kind"]
    layers = []
    engaged: dict[str, None] = {}
    for layer, (_, p, layer_reform) in zip(place.layers, place.layered(pack, reform), strict=True):
        acts = p.engaged(agency, kind)
        engaged.update(dict.fromkeys(acts))
        layers.append((layer, p, p.snapshot(day, agency, layer_reform), acts))
    actions: dict[str, ActionResult] = {}
    notes: dict[str, Note] = {}
    memo: dict = {}
    several = len(layers) > 1
    for action in engaged:
        per: list[tuple[str, ActionEval | None, dt.datetime | None]] = []
        for layer, p, snap, acts in layers:
            if action not in acts or (several and action not in snap.actions):  # the layer does not speak to it
                per.append((layer.id, None, None))
                continue
            ev, used = evaluate_action(snap, action, facts, trace=explain, describe=p.describe, memo=memo)
            for code in used:
                notes.setdefault(code, _note(p.register, code))
            per.append((layer.id, ev, to_datetime(ev.until) if ev.until is not None else None))
        actions[action] = _combined(place, action, per, explain, notes)
    home = next(snap for layer, _, snap, _ in layers if layer.id == place.home)
    return _built(
        Decision,
        jurisdiction=case.jurisdiction,
        agency=agency,
        decided_at=case.decided_at,
        law=_built(LawRef, version=home.version, sources=home.sources, scenario=None, layers=[
            _built(LayerRef, id=layer.id, title=layer.title, version=snap.version, sources=snap.sources)
            for layer, _, snap, _ in layers if snap.actions]),
        actions=actions,
        notes=[notes[c] for c in sorted(notes, key=_code_order)],
        warnings=place.warnings(case),
    )


def _combined(place: jurisdictions.Jurisdiction, action: str, per: list, explain: bool,
              notes: dict[str, Note]) -> ActionResult:
    """One action's ActionResult: each layer's answer and the combined one (spec § Layers)."""
    by_layer: dict[str, LayerResult] = {}
    answers, untils = [], []
    for lid, ev, until in per:
        outcome = ev.outcome if ev is not None else NOT_GOVERNED
        cites = citations(ev, place.cite) if ev is not None else []
        by_layer[lid] = _built(LayerResult, outcome=_OUTCOMES[outcome], citations=cites, until=until)
        answers.append(Answer(lid, outcome, ev is not None and preempts(ev)))
        untils.append(until)
    if len(per) == 1:  # one layer: its answer is the answer
        lid, ev, until = per[0]
        return _built(ActionResult, outcome=by_layer[lid].outcome, until=until, conditions=conditions(ev, until),
                      citations=by_layer[lid].citations, by_layer=by_layer,
                      explanation=Explanation.model_validate(ev.node.as_dict()) if explain and ev.node else None)
    outs = [a.outcome for a in answers]
    outcome, deciding, set_aside = follow(outs, [a.preempts for a in answers])
    displaced = [answers[i].layer for i in set_aside]
    limits = [untils[i] for i in deciding if untils[i] is not None]
    until = min(limits) if outcome == PERMITTED and limits else None
    cites: list[str] = []
    conds: list[str] = []
    for i in deciding:
        lid, ev, _ = per[i]
        cites += [x for x in by_layer[lid].citations if x not in cites]
        if ev is not None:
            conds += [x for x in conditions(ev, until) if x not in conds]
    if PROHIBITED in outs and (PERMITTED in outs or REQUIRED in outs):
        said = ", ".join(f"{lid}: {by_layer[lid].outcome.value}" for lid, _, _ in per)
        text = (f"{action}: the layers disagree ({said}); combined as {outcome}: a prohibition in any layer prevails "
                "unless a higher layer requires the action or preempts the restriction"
                + (f" (displaced: {', '.join(displaced)})" if displaced else "") + ".")
        old = notes.get(LAYER_CONFLICT)
        notes[LAYER_CONFLICT] = _built(Note, code=LAYER_CONFLICT, text=f"{old.text} {text}" if old else text)
    decided = {per[i][0] for i in deciding}
    explanation = None
    if explain:
        explanation = Explanation(
            rule=f"combined answer: {outcome} (a prohibition in any layer prevails unless a higher layer displaces "
                 "it; then required, permitted, or not governed)",
            holds=True,
            because=[Explanation(rule=f"layer {lid}: {by_layer[lid].outcome.value}", holds=lid in decided,
                                 because=[Explanation.model_validate(ev.node.as_dict())] if ev and ev.node else [])
                     for lid, ev, _ in per])
    return _built(ActionResult, outcome=_OUTCOMES[outcome], until=until, conditions=conds, citations=cites,
                  by_layer=by_layer, explanation=explanation)


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

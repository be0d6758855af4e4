"""Deciding a case: every layer of its place's law in force on its date, each engaged
action, with citations, conditions, register notes and (on request) the explanation tree;
the layers' answers combined by ``results.action_result`` (the rule of ``engine.layers``)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache
from typing import Any

from detainerlaw import jurisdictions
from detainerlaw.engine.calendar import FIRST_DAY, LAST_DAY, to_datetime
from detainerlaw.engine.interpreter import ActionEval, evaluate_action
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import Snapshot
from detainerlaw.errors import InputError
from detainerlaw.models.decision import ActionResult, Decision, Explanation, LawRef, LayerRef, Note
from detainerlaw.results import LAYER_CONFLICT, LayerAnswer, action_result, add_conflict, built

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


def answer(layer: str, ev: ActionEval, cite: Any = str, explain: bool = False) -> LayerAnswer:
    """The interpreter's evaluation of one action as the layer's answer (``results.LayerAnswer``)."""
    return LayerAnswer(layer, ev.outcome, citations(ev, cite), to_datetime(ev.until) if ev.until is not None else None,
                       preempts(ev), lambda until: conditions(ev, until),
                       Explanation.model_validate(ev.node.as_dict()) if explain and ev.node else None)


def decide(case: Any, pack: LawPack | None = None, reform: Reform = BASELINE, *, explain: bool = True) -> Decision:
    """The Decision for ``case`` under its place's law; ``pack`` replaces the home layer's pack and
    ``reform`` changes the layer it names (the home layer by default)."""
    place = jurisdictions.get(case.jurisdiction)
    place.check(case)
    facts = place.facts(case)
    agency = facts["agency"]
    if not _FIRST <= facts["decided_day"] <= _LAST:  # every place's model should refuse it; the engine does too
        raise InputError("decided_at", f"{dt.date.fromordinal(facts['decided_day'])} is outside the supported "
                                       f"range {FIRST_DAY} to {LAST_DAY}")
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
        per: list[tuple[str, Snapshot, ActionEval | None]] = []
        for layer, p, snap, acts in layers:
            if action not in acts or (several and action not in snap.actions):  # the layer does not speak to it
                per.append((layer.id, snap, None))
                continue
            ev, used = evaluate_action(snap, action, facts, trace=explain, describe=p.describe, memo=memo)
            for code in used:
                notes.setdefault(code, _note(p.register, code))
            per.append((layer.id, snap, ev))
        actions[action] = _result(place, action, per, notes, explain)
    home = next(snap for layer, _, snap, _ in layers if layer.id == place.home)
    return built(
        Decision,
        jurisdiction=case.jurisdiction,
        agency=agency,
        decided_at=case.decided_at,
        law=built(LawRef, version=home.version, sources=home.sources, scenario=None,
                  layers=_layer_refs(tuple((layer, snap) for layer, _, snap, _ in layers))),
        actions=actions,
        notes=[notes[c] for c in sorted(notes, key=_code_order)],
        warnings=place.warnings(case),
    )


_NOTES: dict[tuple[int, str], Note] = {}
_FIRST, _LAST = FIRST_DAY.toordinal(), LAST_DAY.toordinal()

# Results repeat: the same layers' versions, outcomes, limits and deciding branches give the same
# ActionResult, so without an explanation it is built once and shared (nothing changes it after).
# Keys hold ids of snapshots, rules and branches; each entry keeps its snapshots (and so their rules)
# alive, so an id in a key is never another object's. Bounded: cleared when full.
_RESULTS: dict[tuple, tuple[ActionResult, str | None, tuple]] = {}
_LAYER_REFS: dict[tuple, tuple[list[LayerRef], tuple]] = {}
_CACHE_MAX = 50_000


def _result(place: jurisdictions.Jurisdiction, action: str, per: list[tuple[str, Snapshot, ActionEval | None]],
            notes: dict[str, Note], explain: bool) -> ActionResult:
    """One action's ActionResult from each layer's evaluation (``results.action_result``)."""
    if explain:
        return action_result(action, [answer(lid, ev, place.cite, True) if ev else LayerAnswer(lid)
                                      for lid, _, ev in per], notes, explain=True)
    key = (id(place), action, *((lid, id(snap), ev.outcome, ev.until,
                                 *((id(r.rule), id(r.branch)) for r in ev.deciding)) if ev else (lid,)
                                for lid, snap, ev in per))
    hit = _RESULTS.get(key)
    if hit is None:
        local: dict[str, Note] = {}
        result = action_result(action, [answer(lid, ev, place.cite) if ev else LayerAnswer(lid) for lid, _, ev in per],
                               local)
        if len(_RESULTS) >= _CACHE_MAX:
            _RESULTS.clear()
        conflict = local.get(LAYER_CONFLICT)
        hit = _RESULTS[key] = (result, conflict.text if conflict else None, tuple(snap for _, snap, _ in per))
    if hit[1]:
        add_conflict(notes, hit[1])
    return hit[0]


def _layer_refs(layers: tuple[tuple[Any, Snapshot], ...]) -> list[LayerRef]:
    """The law references of the layers in force (shared like ``_RESULTS``)."""
    key = tuple(id(snap) for _, snap in layers)
    hit = _LAYER_REFS.get(key)
    if hit is None:
        if len(_LAYER_REFS) >= _CACHE_MAX:
            _LAYER_REFS.clear()
        hit = _LAYER_REFS[key] = ([built(LayerRef, id=layer.id, title=layer.title, version=snap.version,
                                         sources=snap.sources) for layer, snap in layers if snap.actions],
                                  tuple(snap for _, snap in layers))
    return hit[0]


def _note(register: dict[str, str], code: str) -> Note:
    """Register notes are the same for every decision: built once per code."""
    key = (id(register), code)
    n = _NOTES.get(key)
    if n is None:
        n = _NOTES[key] = built(Note, code=code, text=register.get(code, code))
    return n


@lru_cache(maxsize=256)
def _code_order(code: str) -> tuple[str, int, str]:
    head, _, num = code.partition("-")
    digits = "".join(ch for ch in num if ch.isdigit())
    return (head, int(digits) if digits else 0, num)

"""One result form and one path from it to a Decision, whatever the backend.

Every backend answers, for each layer of a place's law and each engaged action, a
``LayerAnswer``: the layer's outcome, the provisions that decided it, the time limit of a
permission, whether the deciding rule displaces lower layers, and the deciding rules'
conditions. ``action_result`` combines a stack's answers by the one rule of
``engine.layers`` into the ``ActionResult`` of the data contract (spec § Layers): the
interpreter (``decide``) builds answers from its evaluation, the columnar backend
(``batch.frame_decisions``) from its rule labels, and both go through here, so the
combined outcome, its citations, conditions and time limit are built in one place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from pydantic import BaseModel

from detainerlaw.engine.layers import follow
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, REQUIRED
from detainerlaw.models.decision import ActionResult, Explanation, LayerResult, Note, Outcome

LAYER_CONFLICT = "LAYERS"  # the register code of the note that says the layers disagreed


def _none(_: dt.datetime | None) -> list[str]:
    return []


@dataclass(frozen=True, slots=True)
class LayerAnswer:
    """One layer's answer to one action (``NOT_GOVERNED`` with nothing else when it does not speak to it)."""

    layer: str
    outcome: str = NOT_GOVERNED
    citations: list[str] = field(default_factory=list)
    until: dt.datetime | None = None
    preempts: bool = False
    # The deciding rules' conditions, worded with the combined answer's time limit.
    conditions: Callable[[dt.datetime | None], list[str]] = _none
    explanation: Explanation | None = None  # the layer's explanation tree, when asked for

    def result(self) -> LayerResult:
        return built(LayerResult, outcome=OUTCOMES[self.outcome], citations=self.citations, until=self.until)


def action_result(action: str, answers: list[LayerAnswer], notes: dict[str, Note] | None = None, *,
                  explain: bool = False) -> ActionResult:
    """One action's ActionResult from each layer's answer, highest layer first: each layer's answer
    (``by_layer``) and the combined one with the citations and conditions of the layers it follows.
    A disagreement between layers adds (or extends) the ``LAYERS`` note in ``notes``."""
    by_layer = {a.layer: a.result() for a in answers}
    if len(answers) == 1:  # one layer: its answer is the answer
        a = answers[0]
        return built(ActionResult, outcome=by_layer[a.layer].outcome, until=a.until, conditions=a.conditions(a.until),
                     citations=a.citations, by_layer=by_layer, explanation=a.explanation if explain else None)
    outs = [a.outcome for a in answers]
    outcome, deciding, set_aside = follow(outs, [a.preempts for a in answers])
    limits = [answers[i].until for i in deciding if answers[i].until is not None]
    until = min(limits) if outcome == PERMITTED and limits else None
    cites: list[str] = []
    conds: list[str] = []
    for i in deciding:
        cites += [x for x in answers[i].citations if x not in cites]
        conds += [x for x in answers[i].conditions(until) if x not in conds]
    if notes is not None and PROHIBITED in outs and (PERMITTED in outs or REQUIRED in outs):
        said = ", ".join(f"{a.layer}: {a.outcome}" for a in answers)
        displaced = [answers[i].layer for i in set_aside]
        text = (f"{action}: the layers disagree ({said}); combined as {outcome}: a prohibition in any layer prevails "
                "unless a higher layer requires the action or preempts the restriction"
                + (f" (displaced: {', '.join(displaced)})" if displaced else "") + ".")
        add_conflict(notes, text)
    explanation = None
    if explain:
        followed = {answers[i].layer for i in deciding}
        explanation = Explanation(
            rule=f"combined answer: {outcome} (a prohibition in any layer prevails unless a higher layer displaces "
                 "it; then required, permitted, or not governed)",
            holds=True,
            because=[Explanation(rule=f"layer {a.layer}: {a.outcome}", holds=a.layer in followed,
                                 because=[a.explanation] if a.explanation else [])
                     for a in answers])
    return built(ActionResult, outcome=OUTCOMES[outcome], until=until, conditions=conds, citations=cites,
                 by_layer=by_layer, explanation=explanation)


def add_conflict(notes: dict[str, Note], text: str) -> None:
    """Say in the ``LAYERS`` note (one per Decision) that the layers disagreed on an action."""
    old = notes.get(LAYER_CONFLICT)
    notes[LAYER_CONFLICT] = built(Note, code=LAYER_CONFLICT, text=f"{old.text} {text}" if old else text)


def built(cls: type[BaseModel], **values: object) -> BaseModel:
    """A model from values the engine built itself, every field given: no re-validation
    (what ``model_construct`` does, without its per-field default handling)."""
    m = cls.__new__(cls)
    object.__setattr__(m, "__dict__", values)
    object.__setattr__(m, "__pydantic_fields_set__", set(values))
    object.__setattr__(m, "__pydantic_extra__", None)
    object.__setattr__(m, "__pydantic_private__", None)
    return m


OUTCOMES = {o.value: o for o in Outcome}

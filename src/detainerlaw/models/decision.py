"""The Decision: what the law says about each action a request engages (spec § Decision)."""

from __future__ import annotations

import datetime as dt
from enum import Enum
from typing import Annotated, Union

from pydantic import BaseModel, Field, WithJsonSchema

# Times in a Decision are New York local clock times with no offset (spec § Case), which JSON
# Schema's "date-time" (RFC 3339, offset required) does not describe.
LocalTime = Annotated[dt.datetime, WithJsonSchema({
    "type": "string", "pattern": r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?$",
    "description": "New York local time, YYYY-MM-DDTHH:MM[:SS], no offset"})]


class Outcome(str, Enum):
    not_governed = "not_governed"
    permitted = "permitted"
    prohibited = "prohibited"
    required = "required"


class Explanation(BaseModel):
    rule: str
    citation: str | None = None
    holds: bool | None = None
    because: list[Explanation] = Field(default_factory=list)


class LayerResult(BaseModel):
    """One layer's own answer to an action (spec § Layers): ``not_governed`` where it does not speak."""

    outcome: Outcome
    citations: list[str] = Field(default_factory=list)
    until: LocalTime | None = None


class ActionResult(BaseModel):
    outcome: Outcome  # the combined answer under every layer in force
    until: LocalTime | None = None
    conditions: list[str] = Field(default_factory=list)
    citations: list[str] = Field(default_factory=list)
    explanation: Explanation | None = None
    by_layer: dict[str, LayerResult] = Field(default_factory=dict)


class LayerRef(BaseModel):
    """A law in force at the place and date: its layer id, title, version and enacting sources."""

    id: str
    title: str
    version: str
    sources: list[str]


class LawRef(BaseModel):
    version: str
    sources: list[str]
    layers: list[LayerRef] = Field(default_factory=list)  # highest first
    scenario: str | None = None  # decided under this named scenario (a reform), not the law as enacted


class Note(BaseModel):
    code: str
    text: str


class InputWarning(BaseModel):
    """Something in the case that was accepted but may not mean what was intended (a
    citation of no Penal Law article, a time converted to New York local time): the
    decision stands, and the field says where to look."""

    field: str
    text: str


class Decision(BaseModel):
    jurisdiction: str
    agency: str
    decided_at: Union[LocalTime, dt.date]
    law: LawRef
    actions: dict[str, ActionResult]
    notes: list[Note] = Field(default_factory=list)
    warnings: list[InputWarning] = Field(default_factory=list)

"""A toy place, the smallest complete law package: two layers (a state over a town), a dated
parameter, an exception, a preempting answer, a quantifier, a reform. The engine's own tests run
against it, as OpenFisca's core is tested against a dummy country; nothing in it is New York's."""

from __future__ import annotations

import datetime as dt
from importlib.resources import files
from typing import Literal

from pydantic import BaseModel, ConfigDict
from pydantic import Field as PField

from detainerlaw import jurisdictions
from detainerlaw.engine.calendar import day
from detainerlaw.engine.expr import AddYears, Any, Def, Field, Schema, Var
from detainerlaw.engine.pack import LawPack
from detainerlaw.engine.params import Params, ParamSet, timeline_from_yaml
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, PROHIBITED, REQUIRED, Rule, When
from detainerlaw.jurisdictions import Frames, Jurisdiction, Labels, Layer

SCHEMA = Schema(
    fields={"agency": ("clerk", "sheriff"), "decided_day": "day", "kind": ("hold", "records"),
            "warrant": "bool", "court_order": "bool", "status_question": "bool"},
    lists={"priors": {"day": "day", "serious": "bool"}},
)


class Prior(BaseModel):
    model_config = ConfigDict(extra="forbid")
    day: dt.date
    serious: bool = False


class ToyCase(BaseModel):
    model_config = ConfigDict(extra="forbid")
    jurisdiction: Literal["toy"] = "toy"
    agency: Literal["clerk", "sheriff"]
    decided_at: dt.date
    kind: Literal["hold", "records"]
    warrant: bool = False
    court_order: bool = False
    status_question: bool = False
    priors: list[Prior] = PField(default_factory=list)


def facts(case: ToyCase) -> dict:
    return {"agency": case.agency, "decided_day": day(case.decided_at), "kind": case.kind, "warrant": case.warrant,
            "court_order": case.court_order, "status_question": case.status_question,
            "priors": [{"day": day(p.day), "serious": p.serious} for p in case.priors]}


PARAMS = ParamSet({"lookback_years": timeline_from_yaml("lookback_years", {"values": {
    "2000-01-01": {"value": 5, "reference": "Town Code § 1(b) (2000)"},
    "2010-01-01": {"value": 3, "reference": "Town Code § 1(b) as amended (2010)"}}})})


def recent_serious(p: Params) -> Def:
    """A serious prior within the lookback (a quantifier over a list, a dated parameter)."""
    return Def("a serious prior within the lookback",
               Any("x", "priors", Var("x", "serious")
                   & (AddYears(Var("x", "day"), p.lookback_years) > Field("decided_day"))),
               "Town Code § 1(b)")


def town(p: Params) -> list[Rule]:
    """Town Code § 1: no hold unless a warrant and a recent serious prior; no records to anyone."""
    return [
        Rule(id="town.1.hold", title="Holds", cite="Town Code § 1(a)", source="Town Law 1/2000",
             agencies=("clerk", "sheriff"), actions=("hold",), start=dt.date(2000, 1, 1),
             applies=Field("kind").eq("hold"), default=PROHIBITED,
             exceptions=(When("a warrant and a recent serious prior", "Town Code § 1(b)",
                              Field("warrant") & recent_serious(p), PERMITTED),)),
        Rule(id="town.2.records", title="Records", cite="Town Code § 2", source="Town Law 1/2000",
             agencies=("clerk",), actions=("share",), start=dt.date(2000, 1, 1),
             applies=Field("kind").eq("records"), default=PROHIBITED),
    ]


def state(p: Params) -> list[Rule]:
    """State Law § 9: a court order compels a hold; status questions may always be answered, and
    that displaces any lower restriction (a preemption)."""
    return [
        Rule(id="state.9.hold", title="Court orders", cite="State Law § 9(a)", source="State Law 9/2005",
             agencies=("clerk", "sheriff"), actions=("hold",), start=dt.date(2005, 1, 1),
             applies=Field("kind").eq("hold"), default=NOT_GOVERNED,
             exceptions=(When("a court order", "State Law § 9(a)", Field("court_order"), REQUIRED),)),
        Rule(id="state.9.status", title="Status", cite="State Law § 9(b)", source="State Law 9/2005",
             agencies=("clerk",), actions=("share",), start=dt.date(2005, 1, 1),
             applies=Field("kind").eq("records"), default=NOT_GOVERNED,
             exceptions=(When("a status question", "State Law § 9(b)", Field("status_question"), PERMITTED,
                              preempts=True),)),
    ]


def engaged(agency: str, kind: str) -> tuple[str, ...]:
    return {"hold": ("hold",), "records": ("share",)}[kind]


def _pack(sections: list) -> LawPack:
    return LawPack("toy", PARAMS, sections, engaged, {}, ("clerk", "sheriff"), schema=SCHEMA)


TOWN = _pack([town])
STATE = _pack([state])

def row_case(row: dict) -> dict:
    """A facts-frame row back as a toy case's data."""
    return {"agency": row["agency"], "decided_at": dt.date.fromordinal(row["decided_day"]).isoformat(),
            "kind": row["kind"], "warrant": row["warrant"], "court_order": row["court_order"],
            "status_question": row["status_question"],
            "priors": [{"day": dt.date.fromordinal(x["day"]).isoformat(), "serious": x["serious"]}
                       for x in row["priors"] or []]}


# The toy place keeps no raw columns, checks nothing its model does not, and warns of nothing.
FRAMES = Frames(raw={}, raw_columns=(), row=facts, case=row_case, check=lambda frame, where, first: None,
                warnings=lambda frame: [[] for _ in range(frame.height)])

JURISDICTION = Jurisdiction(
    id="toy", title="Toy Town", layers=(Layer("state", "State Law", lambda: STATE), Layer("town", "Town Code",
                                                                                           lambda: TOWN)),
    home="town", case_model=ToyCase, facts=facts,
    labels=Labels(agencies={"clerk": "Clerk", "sheriff": "Sheriff"}, actions={"hold": "Hold", "share": "Share"}),
    data=files("detainerlaw"),
    frames_of=lambda: FRAMES,
)


def install() -> Jurisdiction:
    return jurisdictions.register(JURISDICTION)

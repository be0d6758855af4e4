"""The public face of detainerlaw: what the command line, the HTTP API and the web pages
call, and nothing they reach around it for. Each function takes the place from the case
(or its ``place`` argument) through the jurisdiction registry.

decide, parse_case            one case under the law in force on its date (all layers)
law_in_force, timeline        the rules in force on a date; every version of every rule
examples, labels, places      bundled public cases; words for codes; the places known
scenario_names, scenario      reforms a simulation or a decision can be made under
verify                        claims checked by the solver
"""

from __future__ import annotations

import datetime as dt
import json
import re
from functools import lru_cache
from typing import Any

from detainerlaw import jurisdictions
from detainerlaw.decide import decide as _decide
from detainerlaw.engine.calendar import FIRST_DAY, LAST_DAY
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.errors import InputError
from detainerlaw.jurisdictions import Jurisdiction, Labels
from detainerlaw.models.decision import Decision

__all__ = ["Decision", "InputError", "decide", "examples", "labels", "law_in_force", "parse_case", "place",
           "places", "scenario", "scenario_as_of", "timeline"]

_SECTION = re.compile(r"§\s*(\d+-\d+)")


def check_day(day: dt.date, field: str) -> dt.date:
    """A date the law can be asked about: within the days the engine decides on (else bad input)."""
    if not FIRST_DAY <= day <= LAST_DAY:
        raise InputError(field, f"{day} is outside the supported range {FIRST_DAY} to {LAST_DAY}")
    return day


def place(pid: str | None = None) -> Jurisdiction:
    """A place by id (the default place when none is named)."""
    return jurisdictions.get(pid or jurisdictions.DEFAULT)


def places() -> list[str]:
    return jurisdictions.places()


def labels(pid: str | None = None) -> Labels:
    return place(pid).labels


def parse_case(data: object) -> Any:
    """A case from JSON-like data, validated by its place's case model (pydantic errors propagate)."""
    pid = data.get("jurisdiction") if isinstance(data, dict) else None
    return place(pid if isinstance(pid, str) else None).parse_case(data)


def scenario(name: str | None) -> Reform:
    """The reform a named scenario stands for (``None`` or ``baseline``: the law as enacted)."""
    return _scenario(name)[0]


def scenario_as_of(name: str | None) -> dt.date | None:
    """The date a library scenario decides every case as of (None: each case's own date)."""
    return _scenario(name)[1]


def _scenario(name: str | None) -> tuple[Reform, dt.date | None]:
    """A library scenario's reform and the date it decides as of (None: each case's own date)."""
    if not name or name == "baseline":
        return BASELINE, None
    from detainerlaw.scenarios import ScenarioError, list_scenarios, load_scenario

    known = [s["name"] for s in list_scenarios()]
    if name not in known:  # library names only: a path would read the server's files
        raise InputError("scenario", f"unknown scenario {name!r}; known: {', '.join(known)}")
    try:
        sc = load_scenario(name)
    except (ScenarioError, ValueError, KeyError) as e:
        raise InputError("scenario", str(e).strip("'\"")) from None
    return sc.reform(), sc.as_of


def decide(case: Any, *, explain: bool = True, scenario_name: str | None = None) -> Decision:
    """The Decision for one case, under a named scenario when one is given: its reform, and its
    ``as_of`` (the case decided on that date at its own time of day), as ``simulate`` does. The
    Decision names the scenario (``law.scenario``)."""
    reform, as_of = _scenario(scenario_name)
    if reform is not BASELINE or as_of is not None:
        home, own = place(), place(getattr(case, "jurisdiction", None))
        if own.id != home.id:  # the scenario library is the default place's
            raise InputError("scenario", f"{scenario_name} is a scenario of {home.title}'s law; this case is "
                                         f"of {own.title}")
    if as_of is not None:
        case = _moved(case, as_of, scenario_name or "")
    d = _decide(case, reform=reform, explain=explain)
    if reform is not BASELINE or as_of is not None:
        d.law.scenario = scenario_name
    return d


def _moved(case: Any, as_of: dt.date, name: str) -> Any:
    """The case decided on ``as_of`` (same time of day); refused, naming the scenario, when its facts
    come after that date."""
    from pydantic import ValidationError

    when = case.decided_at
    moved = dt.datetime.combine(as_of, when.time()) if isinstance(when, dt.datetime) else as_of
    try:
        return type(case).model_validate({**case.model_dump(mode="json"), "decided_at": moved.isoformat()})
    except ValidationError as e:
        problem = e.errors()[0]["msg"].removeprefix("Value error, ")
        raise InputError("scenario", f"{name} decides as of {as_of}, before the case's own facts ({problem})") from None


def law_in_force(day: dt.date, agencies: tuple[str, ...] | None = None, pid: str | None = None) -> list[dict]:
    """Every rule in force on ``day`` for each agency, layer by layer (highest first)."""
    check_day(day, "as_of")
    p = place(pid)
    rows = []
    for layer, pack in p.stack():
        for ag in agencies or pack.agencies:
            for r in pack.snapshot(day, ag).rules():
                rows.append({
                    "layer": layer.id, "agency": ag, "id": r.id, "actions": list(r.actions), "title": r.title,
                    "citation": r.cite, "source": r.source, "start": r.start.isoformat(),
                    "end": r.end.isoformat() if r.end else None,
                    "exceptions": [{"label": w.label, "citation": w.cite, "outcome": w.outcome} for w in r.exceptions],
                    "default": r.default,
                })
    return rows


@lru_cache(maxsize=8)
def timeline(pid: str | None = None) -> list[dict]:
    """Sections, each with its versions (one per rule id) in order of taking effect."""
    p = place(pid)
    seen: dict[str, dict] = {}
    for layer, pack in p.stack():
        for ag in pack.agencies:
            for snap in pack.epochs(ag):
                for r in snap.rules():
                    v = seen.setdefault(r.id, {
                        "id": r.id, "layer": layer.id, "title": r.title, "citation": r.cite, "source": r.source,
                        "start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None,
                        "agencies": [], "actions": list(r.actions),
                    })
                    if ag not in v["agencies"]:
                        v["agencies"].append(ag)
    sections: dict[str, list[dict]] = {}
    for v in seen.values():
        m = _SECTION.search(v["citation"])
        sections.setdefault(m.group(1) if m else v["citation"], []).append(v)
    names = p.labels.sections
    out = []
    for sec, versions in sections.items():
        versions.sort(key=lambda v: (v["start"], v["id"]))
        out.append({"section": sec, "name": names.get(sec, sec), "versions": versions})
    order = list(names)
    out.sort(key=lambda s: order.index(s["section"]) if s["section"] in order else len(order))
    return out


def examples(pid: str | None = None) -> list[tuple[str, dict]]:
    """The place's bundled public examples: (file name, {case, expect, why, ...})."""
    root = place(pid).data.joinpath("examples")
    return [(p.name, json.loads(p.read_text())) for p in sorted(root.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".json")]

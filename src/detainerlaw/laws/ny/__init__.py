"""The New York State law pack, for any place in New York: People ex rel. Wells v. DeMarco
(no state-law authority for civil immigration arrests, so no hold on a detainer without a
judge's warrant, from 2018-11-14), Executive Orders 170 and 170.1 (state agencies only), and
the 2026 budget's immigration provisions as a placeholder not in force. The Protect Our
Courts Act and the Green Light law are register entries until the case records their facts.

``pack(schema, agencies)`` takes the place's facts schema and its local agencies: state
law binds every state and local agency, and the state agencies (``STATE_AGENCIES``) are
added when the place's facts know them, so one pack serves New York City or any county.
"""

from __future__ import annotations

from functools import partial
from importlib.resources import files
from pathlib import Path

from detainerlaw.engine.expr import Schema
from detainerlaw.engine.pack import LawPack
from detainerlaw.engine.params import ParamSet
from detainerlaw.laws.ny import budget_2026, eo_170, wells
from detainerlaw.laws.ny.definitions import STATE_AGENCIES
from detainerlaw.laws.ny.register import REGISTER
from detainerlaw.laws.us import check_schema

NEEDS: dict[str, frozenset[str] | None] = {
    "agency": None,
    "kind": frozenset({"detainer", "information", "facility_access", "office"}),
    "requester": frozenset({"federal_immigration"}),
    "purpose": frozenset({"civil_immigration"}),
    "judicial_warrant": None,
    "has_jw_at": None,
    "jw_at_minute": None,
    "decided_minute": None,
    "required_by_law": None,
    "access_warrant": None,
}

ENGAGED: dict[str, tuple[str, ...]] = {
    "detainer": ("hold", "notify_release"),
    "information": ("share_information",),
    "office": ("office",),
    "facility_access": ("facility_access",),
}


def engaged(agency: str, kind: str) -> tuple[str, ...]:
    return ENGAGED.get(kind, ())


def pack(schema: Schema, agencies: tuple[str, ...]) -> LawPack:
    """The state layer for a New York place whose facts follow ``schema`` and whose local
    agencies are ``agencies``."""
    check_schema(schema, NEEDS, "ny")
    known = schema.fields["agency"]
    state = tuple(a for a in STATE_AGENCIES if isinstance(known, tuple) and a in known and a not in agencies)
    bound = (*agencies, *state)
    sections = [partial(m.rules, agencies=bound) for m in (wells, eo_170, budget_2026)]
    params = ParamSet.load(Path(str(files("detainerlaw.laws.ny").joinpath("params.yaml"))))
    return LawPack("ny", params, sections, engaged, REGISTER, bound, schema=schema)

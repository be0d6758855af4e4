"""The federal law pack, for any place in the United States: 8 C.F.R. 287.7 (detainers are
requests, limited to 48 hours excluding Saturdays, Sundays and holidays), 8 U.S.C. §§ 1373
and 1644 (status information may be sent, and no lower law may restrict it) and federal
court process addressed to the custodian (the only `required`), and 8 U.S.C. § 1357(g)
(287(g) agreements: allowed, never required).

A place stacks it as its highest layer: ``pack(schema, agencies)`` takes the place's facts
schema and the agencies it decides for, since federal law binds every state and local
agency and reads only facts every place's cases share (``NEEDS``). The place builds the
pack once and keeps it.
"""

from __future__ import annotations

from functools import partial
from importlib.resources import files
from pathlib import Path

from detainerlaw.engine.expr import Schema
from detainerlaw.engine.pack import LawPack
from detainerlaw.engine.params import ParamSet
from detainerlaw.laws.us import cfr_287_7, ina_287g, process, usc_1373
from detainerlaw.laws.us.register import REGISTER

# The facts the federal rules read, with the values they compare against.
NEEDS: dict[str, frozenset[str] | None] = {
    "agency": None,
    "kind": frozenset({"detainer", "information", "criminal_warrant", "agreement_287g"}),
    "requester": frozenset({"federal_immigration", "other_federal"}),
    "purpose": frozenset({"civil_immigration", "criminal_immigration"}),
    "information": frozenset({"immigration_status", "release_date", "court_date", "incarceration_status", "other"}),
    "required_by_law": None,
    "decided_minute": None,
}

# The actions of the data contract each request kind engages that federal law speaks to.
ENGAGED: dict[str, tuple[str, ...]] = {
    "detainer": ("hold", "notify_release"),
    "information": ("share_information",),
    "criminal_warrant": ("honor_criminal_warrant",),
    "agreement_287g": ("agreement_287g",),
}


def engaged(agency: str, kind: str) -> tuple[str, ...]:
    return ENGAGED.get(kind, ())


def check_schema(schema: Schema, needs: dict[str, frozenset[str] | None], layer: str) -> None:
    """A place whose facts lack a field (or a value) a layer's rules read cannot stack it."""
    for name, values in needs.items():
        have = schema.fields.get(name)
        if have is None:
            raise ValueError(f"layer {layer}: the place's facts have no field {name!r}")
        if values is not None and isinstance(have, tuple) and not values <= set(have):
            raise ValueError(f"layer {layer}: field {name!r} lacks {sorted(values - set(have))}")


def pack(schema: Schema, agencies: tuple[str, ...]) -> LawPack:
    """The federal layer for a place whose facts follow ``schema`` and whose agencies are ``agencies``."""
    check_schema(schema, NEEDS, "us")

    sections = [partial(m.rules, agencies=agencies) for m in (cfr_287_7, usc_1373, process, ina_287g)]
    params = ParamSet.load(Path(str(files("detainerlaw.laws.us").joinpath("params.yaml"))))
    return LawPack("us", params, sections, engaged, REGISTER, agencies, schema=schema)

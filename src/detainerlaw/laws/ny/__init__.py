"""The New York State law pack, for any place in New York: People ex rel. Wells v. DeMarco
(no state-law authority for civil immigration arrests, so no hold on a detainer without a
judge's warrant, from 2018-11-14; also the agency's own civil arrests, 287(g) arrest and hold
functions and delayed hand-overs), the Protect Our Courts Act (courthouse civil arrests, from
2020-12-15), the Green Light law (DMV records, from 2019-12-14), Executive Orders 170 and 170.1
(state agencies only), the 2026 budget's immigration provisions as a placeholder not in force,
and bills not enacted (New York For All, a 287(g) ban) that only a scenario switches on.

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
from detainerlaw.laws.ny import bills, budget_2026, eo_170, green_light, poca, wells
from detainerlaw.laws.ny.definitions import STATE_AGENCIES
from detainerlaw.laws.ny.register import REGISTER
from detainerlaw.laws.us import check_schema

NEEDS: dict[str, frozenset[str] | None] = {
    "agency": None,
    "kind": frozenset({"detainer", "information", "facility_access", "office", "courthouse_arrest",
                       "agreement_287g", "transfer"}),
    "requester": frozenset({"federal_immigration"}),
    "purpose": frozenset({"civil_immigration"}),
    "judicial_warrant": None,
    "has_jw_at": None,
    "jw_at_minute": None,
    "decided_minute": None,
    "required_by_law": None,
    "access_warrant": None,
    "assist": None,
    "judicial_order_issuer": frozenset({"article_iii", "magistrate", "state_judge"}),
    "dmv_records": None,
    "delay_minutes": None,
    "court_attendance": frozenset({"going_to", "at", "returning_from"}),
    "court_role": frozenset({"party", "potential_witness", "family_or_household"}),
}

ENGAGED: dict[str, tuple[str, ...]] = {
    "detainer": ("hold", "notify_release"),
    "information": ("share_information",),
    "office": ("office",),
    "facility_access": ("facility_access",),
    "courthouse_arrest": ("courthouse_civil_arrest",),
    "agreement_287g": ("agreement_287g",),
    "transfer": ("transfer_at_release",),
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
    sections = [partial(f, agencies=bound) for f in (wells.rules, wells.custody_rules, poca.rules, green_light.rules,
                                                     eo_170.rules, budget_2026.rules, bills.rules)]
    params = ParamSet.load(Path(str(files("detainerlaw.laws.ny").joinpath("params.yaml"))))
    return LawPack("ny", params, sections, engaged, REGISTER, bound, schema=schema)

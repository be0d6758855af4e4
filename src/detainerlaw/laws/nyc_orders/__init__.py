"""The Mayor's executive orders as a layer (``nyc-orders``), below the Administrative Code: rules
a mayor makes and a later mayor may revoke, binding the city's agencies but giving no one a
right to sue on them.

- Executive Order 41 of 2003 (``eo_41``): city agencies keep immigration status and other
  sensitive information confidential; sharing status with federal immigration authorities only
  where required by law or to investigate illegal activity other than mere status.
- Executive Order 13 of 2026 (``eo_13``): no sharing of information collected for city
  purposes with federal immigration authorities except as required by law; no entry into
  non-public areas of city property without a judicial warrant (text known from reports only).

8 U.S.C. § 1373 voids any restriction on sending status information: the federal layer's
preempting rule displaces these orders there (register Q-F3), as it did Executive Order 124
of 1989. Executive Order 50 of 2025 (an office on Rikers Island) is not here: it is modelled in
the city pack with § 9-131(h)(2), which let a mayor's order authorize the office, and with its
court history (register EO-50).
"""

from __future__ import annotations

from functools import partial
from importlib.resources import files
from pathlib import Path

from detainerlaw.engine.expr import Schema
from detainerlaw.engine.pack import LawPack
from detainerlaw.engine.params import ParamSet
from detainerlaw.laws.nyc_orders import eo_13, eo_41
from detainerlaw.laws.nyc_orders.register import REGISTER
from detainerlaw.laws.us import check_schema

NEEDS: dict[str, frozenset[str] | None] = {
    "agency": None,
    "kind": frozenset({"information", "facility_access"}),
    "requester": frozenset({"federal_immigration"}),
    "purpose": frozenset({"criminal_immigration", "criminal_other"}),
    "information": frozenset({"immigration_status"}),
    "required_by_law": None,
    "judicial_warrant": None,
    "access_warrant": None,
}

ENGAGED: dict[str, tuple[str, ...]] = {
    "information": ("share_information",),
    "facility_access": ("facility_access",),
}


def engaged(agency: str, kind: str) -> tuple[str, ...]:
    return ENGAGED.get(kind, ())


def pack(schema: Schema, agencies: tuple[str, ...]) -> LawPack:
    """The mayoral-orders layer for the city's ``agencies``, reading facts that follow ``schema``."""
    check_schema(schema, NEEDS, "nyc-orders")
    sections = [partial(m.rules, agencies=agencies) for m in (eo_41, eo_13)]
    params = ParamSet.load(Path(str(files("detainerlaw.laws.nyc_orders").joinpath("params.yaml"))))
    return LawPack("nyc-orders", params, sections, engaged, REGISTER, agencies, schema=schema)

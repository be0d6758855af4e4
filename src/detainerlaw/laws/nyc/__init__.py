"""The New York City law pack: §§ 9-131 (DOC), 14-154 (NYPD), 9-205 (Probation),
10-178 (city resources) and 4-210 (city property), each module laid out like its
section with the versions inside."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from detainerlaw.engine.calendar import to_date
from detainerlaw.engine.pack import LawPack
from detainerlaw.engine.params import ParamSet
from detainerlaw.laws.nyc import s4_210, s9_131, s9_205, s10_178, s14_154
from detainerlaw.laws.nyc.facts import SCHEMA
from detainerlaw.laws.nyc.register import REGISTER

AGENCIES = ("doc", "nypd", "dop")

ENGAGED = {
    "detainer": ("hold", "notify_release"),
    "information": ("share_information",),
    "office": ("office",),
    "facility_access": ("facility_access",),
    "criminal_warrant": ("honor_criminal_warrant",),
}


def engaged(agency: str, kind: str) -> tuple[str, ...]:
    """The actions a request engages, the same for every agency (data contract): a
    Probation detainer engages the release notice too, which § 9-205 leaves to § 10-178
    (register DOP-1)."""
    return ENGAGED[kind]


def describe(items: str, it: dict) -> str:
    """How an explanation names one item of a list."""
    if items == "convictions":
        when = f"judgment {to_date(it['judgment_day'])}" if it["has_judgment"] else "no sentence yet"
        where = "" if it["ny"] else " (out of state/federal)"
        inch = f"{it['inchoate']} " if it["inchoate"] != "none" else ""
        return f"conviction: {inch}{it['full']} {it['level']}{where}, {when}"
    if items == "pending":
        return f"pending case {it['index'] + 1}" + (f" ({it['disposition']})" if it["disposition"] != "none" else "")
    if items == "charges":
        return f"charge {it['full']} ({it['level']}) in pending case {it['case'] + 1}"
    if items == "incarcerations":
        return f"incarceration {to_date(it['start_day'])} to {to_date(it['end_day'])}"
    return items


@lru_cache(maxsize=1)
def pack() -> LawPack:
    params = ParamSet.load(Path(str(files("detainerlaw.laws.nyc").joinpath("params.yaml"))))
    return LawPack(
        "nyc",
        params,
        [s9_131.rules, s14_154.rules, s9_205.rules, s10_178.rules, s4_210.rules],
        engaged,
        REGISTER,
        AGENCIES,
        describe,
        schema=SCHEMA,
    )

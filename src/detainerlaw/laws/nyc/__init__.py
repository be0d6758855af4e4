"""The New York City law pack: §§ 9-131 (DOC), 14-154 (NYPD), 9-205 (Probation),
10-178 (city resources) and 4-210 (city property), each module laid out like its
section with the versions inside."""

from __future__ import annotations

from functools import lru_cache
from importlib.resources import files
from pathlib import Path

from detainerlaw import jurisdictions
from detainerlaw.engine.calendar import to_date
from detainerlaw.engine.pack import LawPack
from detainerlaw.engine.params import ParamSet
from detainerlaw.jurisdictions import Jurisdiction, Labels, Layer, Population
from detainerlaw.laws import ny, nyc_orders, us
from detainerlaw.laws.nyc import s4_210, s9_131, s9_205, s10_178, s14_154
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.facts import SCHEMA, case_facts
from detainerlaw.laws.nyc.inputs import case_warnings, check_inputs, full_citation
from detainerlaw.laws.nyc.register import REGISTER
from detainerlaw.laws.nyc.vocabulary import VOCABULARY

AGENCIES = ("doc", "nypd", "dop")

ENGAGED = {
    "detainer": ("hold", "notify_release"),
    "information": ("share_information",),
    "office": ("office",),
    "facility_access": ("facility_access",),
    "criminal_warrant": ("honor_criminal_warrant",),
    "courthouse_arrest": ("courthouse_civil_arrest",),
    "agreement_287g": ("agreement_287g",),
    "transfer": ("transfer_at_release",),
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
        vocabulary=VOCABULARY,
    )


# -- the place ------------------------------------------------------------------------
@lru_cache(maxsize=1)
def us_pack() -> LawPack:
    """Federal law over the city's agencies, reading the city's facts."""
    return us.pack(SCHEMA, AGENCIES)


@lru_cache(maxsize=1)
def ny_pack() -> LawPack:
    """New York State law over the city's agencies, reading the city's facts."""
    return ny.pack(SCHEMA, AGENCIES)


@lru_cache(maxsize=1)
def orders_pack() -> LawPack:
    """The Mayor's executive orders over the city's agencies, reading the city's facts."""
    return nyc_orders.pack(SCHEMA, AGENCIES)


LABELS = Labels(
    agencies={"doc": "Department of Correction", "nypd": "Police Department", "dop": "Department of Probation"},
    actions={
        "hold": "Hold the person for immigration authorities (honor the detainer)",
        "notify_release": "Tell immigration authorities when the person will be released",
        "share_information": "Share the requested information",
        "office": "Let immigration authorities keep an office on agency premises",
        "facility_access": "Give immigration authorities access to non-public areas",
        "honor_criminal_warrant": "Honor the federal criminal warrant",
        "courthouse_civil_arrest": "Make or assist a civil arrest of a person attending court",
        "agreement_287g": "Place agency staff under federal immigration direction (a 287(g)-type agreement)",
        "transfer_at_release": "Hand the person over to immigration authorities at release",
    },
    sections={
        "9-131": "Department of Correction (§ 9-131)",
        "14-154": "Police Department (§ 14-154)",
        "9-205": "Department of Probation (§ 9-205)",
        "10-178": "City resources (§ 10-178)",
        "4-210": "City property (§ 4-210)",
    },
)

def _sample():
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population()


def _synthesize(*args, **kwargs):
    from detainerlaw.laws.nyc.population.synth import synthesize_to_parquet

    return synthesize_to_parquet(*args, **kwargs)


def _import_published(*args, **kwargs):
    from detainerlaw.laws.nyc.population.ddp import import_ddp

    return import_ddp(*args, **kwargs)


def _validate(*args, **kwargs):
    from detainerlaw.laws.nyc.population.validate import validate

    return validate(*args, **kwargs)


def _read(path):
    """A population file, or a dataset directory of part files, as one typed frame."""
    from pathlib import Path

    import polars as pl

    from detainerlaw.laws.nyc.population.synth import complete, typed

    path = Path(path)
    parts = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    if not parts:
        raise ValueError(f"{path}: a directory with no .parquet files")
    return typed(complete(pl.read_parquet([str(x) for x in parts])))


def _offences() -> list[dict]:
    from detainerlaw.laws.nyc.crimes import offences

    return offences()


def _symbolic():  # the claim checker's codec imports Z3: only when a claim is checked
    from detainerlaw.laws.nyc.symbolic import SYMBOLIC

    return SYMBOLIC


def _reports():
    from detainerlaw.laws.nyc.reports import _reports as reports

    return reports()


def _frames():  # the frame codec imports Polars: only when a place is registered with frames
    from detainerlaw.laws.nyc.frames import FRAMES

    return FRAMES


POPULATION = Population(sample=_sample, synthesize=_synthesize, import_published=_import_published,
                        validate=_validate, read=_read, offences=_offences)

JURISDICTION = jurisdictions.register(Jurisdiction(
    id="nyc",
    title="New York City",
    layers=(
        Layer("us", "United States law (statutes and regulations)", us_pack),
        Layer("ny", "New York State law", ny_pack),
        Layer("nyc", "New York City Administrative Code", pack),
        Layer("nyc-orders", "Mayoral executive orders of New York City", orders_pack),
    ),
    home="nyc",
    case_model=Case,
    facts=case_facts,
    labels=LABELS,
    data=files("detainerlaw").joinpath("data"),
    check=check_inputs,
    warnings=case_warnings,
    cite=full_citation,
    frames_of=_frames,
    symbolic_of=_symbolic,
    reports_of=_reports,
    population=POPULATION,
))

"""Flattening a Case into the total, typed facts every backend reads.

One function (``case_facts``) turns the nested pydantic Case into scalar fields and
item lists with integer dates and parsed statute keys; ``SCHEMA`` states their types,
which the columnar and SMT backends use to build columns and symbolic variables.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from detainerlaw.engine.calendar import day, minute
from detainerlaw.engine.expr import Schema
from detainerlaw.laws.nyc.case import (
    MAX_DELAY_MINUTES,
    SOURCED_FLAGS,
    Agency,
    Case,
    CourtAttendance,
    CourtRole,
    Disposition,
    FactSource,
    ImmigrationOffence,
    Inchoate,
    InformationKind,
    Level,
    OrderIssuer,
    Purpose,
    Requester,
    RequestKind,
    Sentence,
)
from detainerlaw.laws.nyc.statutes import parse_statute, subdivision_prefixes, subdivision_suffix


def _values(enum: type) -> tuple[str, ...]:
    return tuple(m.value for m in enum)


NONE = "none"
RECORDS_SEARCH = FactSource.records_search.value
# A criminal-immigration request that does not name its offence reads as the INA presence,
# entry and re-entry offences (the core of § 10-178(a) in every version).
IMMIGRATION_OFFENCE_DEFAULT = ImmigrationOffence.presence_entry_reentry.value
LEVELS = _values(Level)
# Person facts that are enums with "none" for not recorded (rendered back by ``optional_parts``).
PERSON_ENUMS = ("court_attendance", "court_role")
# The parsed statute of a conviction or a charge (see ``offence_keys``).
OFFENCE_FIELDS: dict[str, object] = {
    "code": ("PL", "VTL", "OTHER"),
    "section": "key",
    "full": "key",
    "sub1": "key",
    "sub2": "key",
    "sub3": "key",
    "article": "key",
    "level": LEVELS,
}
SCHEMA = Schema(
    fields={
        "agency": _values(Agency),
        "decided_day": "day",
        "decided_minute": "minute",
        "has_arrest": "bool",
        "arrest_day": "day",
        "kind": _values(RequestKind),
        "requester": _values(Requester),
        "purpose": _values(Purpose),
        "judicial_warrant": "bool",
        "has_jw_at": "bool",
        "jw_at_minute": "minute",
        "administrative_warrant": (NONE, "I-200", "I-205"),
        "information": (NONE, *_values(InformationKind)),
        "required_by_law": "bool",
        "immigration_offence": _values(ImmigrationOffence),
        "requester_immigration_duties": "bool",
        "furthers_agency_mission": "bool",
        "access_warrant": "bool",
        "agreement": "bool",
        "cooperative_arrangement": "bool",
        "exigent_circumstances": "bool",
        "outstanding_criminal_warrant": "bool",
        "gang_database_match": "bool",
        "terrorist_screening_match": "bool",
        "removal_warrant_outstanding": "bool",
        "final_order_of_removal": "bool",
        "reentered_after_removal": "bool",
        "mandatory_youthful_offender": "bool",
        # New York State law's facts (Civil Rights Law § 28, VTL § 201(12), Wells): "none" when not recorded
        "assist": "bool",
        "judicial_order_issuer": (NONE, *_values(OrderIssuer)),
        "dmv_records": "bool",
        "delay_minutes": "int",
        "court_attendance": (NONE, *_values(CourtAttendance)),
        "court_role": (NONE, *_values(CourtRole)),
        # who showed each sourced flag (records_search when the Case does not say)
        **{f"{f}_source": _values(FactSource) for f in SOURCED_FLAGS},
    },
    lists={
        "convictions": {
            **OFFENCE_FIELDS,
            "ny": "bool",
            "has_offense": "bool",
            "offense_day": "day",
            "conviction_day": "day",
            "has_judgment": "bool",
            "judgment_day": "day",
            "sentence": (NONE, *_values(Sentence)),
            "youthful_offender": "bool",
            "juvenile_delinquent": "bool",
            "hate_crime": "bool",
            "inchoate": (NONE, *_values(Inchoate)),
            "predicate_felony": "bool",
            "patronizing": "bool",
        },
        "incarcerations": {"start_day": "day", "end_day": "day", "for_vsc": "bool"},
        "pending": {
            "index": "int",
            "disposition": (NONE, *_values(Disposition)),
            "released_cpl_170_70": "bool",
            "family_court": "bool",
        },
        "charges": {
            "case": "int",
            **OFFENCE_FIELDS,
            "patronizing": "bool",
            "firearm_or_ammunition": "bool",
        },
    },
)


@lru_cache(maxsize=4096)
def _offense_keys_cached(statute: str, subdivision: str | None, jurisdiction: str, equivalent: str | None) -> tuple:
    return tuple(_offense_keys_uncached(statute, subdivision, jurisdiction, equivalent).items())


def offence_keys(statute: str, subdivision: str | None, jurisdiction: str, equivalent: str | None) -> dict:
    return dict(_offense_keys_cached(statute, subdivision, jurisdiction, equivalent))


def _offense_keys_uncached(statute: str, subdivision: str | None, jurisdiction: str, equivalent: str | None) -> dict:
    """Keys of the substantive offence: the target of an inchoate form, and for an
    out-of-state or federal conviction the New York statute it is equivalent to."""
    ny = jurisdiction.upper() == "NY"
    st = parse_statute(statute, strict=ny)
    inchoate = st.inchoate
    if not ny:
        if equivalent is None:
            return {"code": "OTHER", "section": "OTHER", "full": "OTHER", "sub1": "", "sub2": "", "sub3": "",
                    "article": "OTHER", "_inchoate": None}
        st = parse_statute(equivalent, strict=True)
    return {
        "code": st.code,
        "section": st.section_key,
        "full": st.section_key + subdivision_suffix(subdivision),
        **dict(zip(("sub1", "sub2", "sub3"), subdivision_prefixes(st.section_key, subdivision))),
        "article": st.article,
        "_inchoate": inchoate,
    }


def case_facts(case: Case) -> dict:
    """The facts of one case, in the representation of ``SCHEMA`` (enum values read through
    ``_value_``, the plain attribute behind ``.value``: this runs once per decision)."""
    r, p = case.request, case.person
    decided = case.decided_datetime
    convictions = []
    for c in p.convictions:
        keys = offence_keys(c.statute, c.subdivision, c.jurisdiction, c.equivalent_statute)
        inchoate = c.inchoate._value_ if c.inchoate else (keys.pop("_inchoate") or NONE)
        keys.pop("_inchoate", None)
        convictions.append(
            {
                **keys,
                "level": c.level._value_,
                "ny": c.jurisdiction.upper() == "NY",
                "has_offense": c.offense_date is not None,
                "offense_day": day(c.offense_date) if c.offense_date else 0,
                "conviction_day": day(c.conviction_date),
                "has_judgment": c.judgment_date is not None,
                "judgment_day": day(c.judgment_date) if c.judgment_date else 0,
                "sentence": c.sentence._value_ if c.sentence else NONE,
                "youthful_offender": c.youthful_offender,
                "juvenile_delinquent": c.juvenile_delinquent,
                "hate_crime": c.hate_crime,
                "inchoate": inchoate,
                "predicate_felony": c.predicate_felony,
                "patronizing": c.patronizing,
            }
        )
    pending, charges = [], []
    for i, pc in enumerate(p.pending_cases):
        pending.append(
            {
                "index": i,
                "disposition": pc.disposition._value_ if pc.disposition else NONE,
                "released_cpl_170_70": pc.released_cpl_170_70,
                "family_court": pc.family_court,
            }
        )
        for ch in pc.charges:
            keys = offence_keys(ch.statute, ch.subdivision, pc.jurisdiction, None)
            keys.pop("_inchoate", None)
            charges.append(
                {
                    "case": i,
                    **keys,
                    "level": ch.level._value_,
                    "patronizing": ch.patronizing,
                    "firearm_or_ammunition": ch.firearm_or_ammunition,
                }
            )
    jw_at = r.judicial_warrant_at
    return {
        "agency": case.agency._value_,
        "decided_day": day(decided.date()),
        "decided_minute": minute(decided),
        "has_arrest": case.instant_arrest_date is not None,
        "arrest_day": day(case.instant_arrest_date) if case.instant_arrest_date else 0,
        "kind": r.kind._value_,
        "requester": r.requester._value_,
        "purpose": r.purpose._value_,
        "judicial_warrant": r.judicial_warrant,
        "has_jw_at": jw_at is not None,
        "jw_at_minute": minute(jw_at.replace(tzinfo=None)) if jw_at else 0,
        "administrative_warrant": r.administrative_warrant or NONE,
        "information": r.information._value_ if r.information else NONE,
        "required_by_law": r.required_by_law,
        "immigration_offence": r.immigration_offence._value_ if r.immigration_offence else IMMIGRATION_OFFENCE_DEFAULT,
        "requester_immigration_duties": r.requester_immigration_duties,
        "furthers_agency_mission": r.furthers_agency_mission,
        "access_warrant": r.access_warrant,
        "agreement": r.agreement,
        "cooperative_arrangement": r.cooperative_arrangement,
        "exigent_circumstances": r.exigent_circumstances,
        "outstanding_criminal_warrant": p.outstanding_criminal_warrant,
        "gang_database_match": p.gang_database_match,
        "terrorist_screening_match": p.terrorist_screening_match,
        "removal_warrant_outstanding": p.removal_warrant_outstanding,
        "final_order_of_removal": p.final_order_of_removal,
        "reentered_after_removal": p.reentered_after_removal,
        "mandatory_youthful_offender": p.mandatory_youthful_offender,
        "assist": r.assist,
        "judicial_order_issuer": r.judicial_order_issuer._value_ if r.judicial_order_issuer else NONE,
        "dmv_records": r.dmv_records,
        "delay_minutes": r.delay_minutes,
        "court_attendance": p.court_attendance._value_ if p.court_attendance else NONE,
        "court_role": p.court_role._value_ if p.court_role else NONE,
        **{f"{f}_source": (p.sources[f]._value_ if f in p.sources else RECORDS_SEARCH) for f in SOURCED_FLAGS},
        "convictions": convictions,
        "incarcerations": [
            {"start_day": day(s.start), "end_day": day(s.end), "for_vsc": s.for_violent_or_serious}
            for s in p.incarcerations
        ],
        "pending": pending,
        "charges": charges,
    }


def optional_parts(get: Callable[[str], object]) -> tuple[dict, dict]:
    """The optional Request and Person fields a case's facts record beyond their defaults, read back
    through ``get(fact name)``: what a solver's model or a frame row adds to the Case it renders."""
    request: dict = {}
    offence = get("immigration_offence")
    if offence not in (None, IMMIGRATION_OFFENCE_DEFAULT):
        request["immigration_offence"] = offence
    if (issuer := get("judicial_order_issuer")) not in (None, NONE):
        request["judicial_order_issuer"] = issuer
    # the law reads only whether there is a delay, so a solver's value is brought into the Case's range
    if (delay := int(get("delay_minutes") or 0)) > 0:  # type: ignore[call-overload]
        request["delay_minutes"] = min(delay, MAX_DELAY_MINUTES)
    person: dict = {k: v for k in PERSON_ENUMS if (v := get(k)) not in (None, NONE)}
    sources = {f: s for f in SOURCED_FLAGS if (s := get(f"{f}_source")) not in (None, RECORDS_SEARCH)}
    if sources:
        person["sources"] = sources
    return request, person

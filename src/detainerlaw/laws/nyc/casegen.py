"""Random, valid Cases that reach every branch of the law: the input of the
differential tests (interpreter vs columnar vs SMT) and of the property tests.

Dates cluster around the law's effective dates and lookback boundaries, statutes mix
listed, subdivision-limited, inchoate, excluded (2013) and unlisted offences, so
that rare branches are hit in a few thousand cases.
"""

from __future__ import annotations

import datetime as dt
import random

from detainerlaw.laws.nyc.case import (
    SOURCED_FLAGS,
    Case,
    CourtAttendance,
    CourtRole,
    FactSource,
    ImmigrationOffence,
    OrderIssuer,
)

EFFECTIVE = [
    dt.date(2012, 3, 21), dt.date(2013, 7, 16), dt.date(2014, 12, 14), dt.date(2015, 2, 12),
    dt.date(2017, 12, 1), dt.date(2018, 1, 30), dt.date(2018, 4, 16), dt.date(2020, 4, 29),
    dt.date(2025, 4, 8), dt.date(2025, 9, 15), dt.date(2026, 1, 29),
]
STATUTES = [
    ("PL 120.05", None, "felony"), ("PL 160.10", None, "felony"), ("PL 130.35", None, "felony"),
    ("PL 125.25", None, "felony"), ("PL 265.02", "3", "felony"), ("PL 265.02", "1", "felony"),
    ("PL 265.02", None, "felony"), ("PL 120.04-a", "4", "felony"), ("PL 230.34-a", None, "felony"),
    ("PL 135.37", None, "felony"), ("PL 110/160.10", None, "felony"), ("PL 110/120.05", None, "misdemeanor"),
    ("VTL 600", "2", "felony"), ("PL 485.05", None, "felony"), ("PL 155.30", None, "felony"),
    ("PL 155.25", None, "misdemeanor"), ("PL 165.40", None, "misdemeanor"), ("PL 120.00", None, "misdemeanor"),
    ("PL 230.00", None, "misdemeanor"), ("PL 240.37", None, "misdemeanor"), ("VTL 511", "1", "misdemeanor"),
    ("VTL 511", "2(a)(i)", "misdemeanor"), ("VTL 1192", "3", "misdemeanor"), ("PL 221.05", None, "violation"),
    ("PL 240.20", None, "violation"), ("PL 130.20", None, "misdemeanor"), ("PL 265.01", "1", "misdemeanor"),
    ("PL 215.50", None, "misdemeanor"),
]


def _day(r: random.Random, lo: dt.date, hi: dt.date) -> dt.date:
    return lo + dt.timedelta(days=r.randrange(max(1, (hi - lo).days)))


def _decided(r: random.Random) -> dt.datetime:
    if r.random() < 0.5:
        base = r.choice(EFFECTIVE) + dt.timedelta(days=r.choice([-1, 0, 0, 1, 2, 30]))
    else:
        base = _day(r, dt.date(2011, 6, 1), dt.date(2027, 6, 1))
    return dt.datetime.combine(base, dt.time(r.randrange(24), r.choice([0, 15, 30, 45])))


def random_case(r: random.Random) -> dict:
    """One valid Case as a dict (spec § Case)."""
    decided = _decided(r)
    arrest = decided.date() - dt.timedelta(days=r.choice([0, 1, 2, 10, 40, 200]))
    kind = r.choices(
        ["detainer", "information", "office", "facility_access", "criminal_warrant"], [8, 4, 1, 1, 1]
    )[0]
    request: dict = {
        "kind": kind,
        "requester": r.choices(["federal_immigration", "other_federal", "state_or_local"], [8, 1, 1])[0],
        "purpose": r.choices(["civil_immigration", "criminal_immigration", "criminal_other"], [8, 1, 1])[0],
        "judicial_warrant": r.random() < 0.3,
        "required_by_law": r.random() < 0.1,
    }
    if r.random() < 0.5:
        request["administrative_warrant"] = r.choice(["I-200", "I-205"])
    if kind == "information":
        request["information"] = r.choice(
            ["release_date", "court_date", "incarceration_status", "immigration_status", "other"]
        )
    if kind == "facility_access":
        for k in ("agreement", "cooperative_arrangement", "exigent_circumstances"):
            request[k] = r.random() < 0.15
    if r.random() < 0.15:
        request["judicial_warrant_at"] = (decided + dt.timedelta(hours=r.choice([-2, 5, 30, 50, 80, 130]))).isoformat()
    convictions = []
    for _ in range(r.choice([0, 0, 1, 1, 2, 3])):
        statute, sub, level = r.choice(STATUTES)
        # judgments cluster around the lookback boundaries (5 and 10 years before the arrest)
        back = r.choice([5, 10]) * 365 + r.randrange(-40, 40) if r.random() < 0.5 else r.randrange(30, 9000)
        judgment = arrest - dt.timedelta(days=back)
        conviction = judgment - dt.timedelta(days=r.choice([0, 0, 20, 60]))
        c: dict = {
            "statute": statute,
            "subdivision": sub,
            "level": level if r.random() < 0.9 else r.choice(["felony", "misdemeanor"]),
            "conviction_date": conviction.isoformat(),
            "judgment_date": None if r.random() < 0.1 else judgment.isoformat(),
            "youthful_offender": r.random() < 0.05,
            "hate_crime": statute == "PL 485.05" or r.random() < 0.02,
        }
        if r.random() < 0.5:
            c["offense_date"] = (conviction - dt.timedelta(days=r.randrange(0, 400))).isoformat()
        if r.random() < 0.08:
            c["jurisdiction"] = r.choice(["NJ", "federal"])
            c["statute"] = "N.J.S.A. 2C:12-1"
            c["predicate_felony"] = r.random() < 0.7
            c["equivalent_statute"] = r.choice(["PL 120.05", "PL 155.30"])
        convictions.append(c)
    incarcerations = []
    for c in convictions:
        if r.random() < 0.4:
            start = dt.date.fromisoformat(c.get("offense_date") or c["conviction_date"])
            end = start + dt.timedelta(days=r.randrange(10, 3000))
            end = min(end, arrest)
            if end >= start:
                incarcerations.append({"start": start.isoformat(), "end": end.isoformat(),
                                       "for_violent_or_serious": r.random() < 0.7})
    pending = []
    for _ in range(r.choice([0, 0, 0, 1, 1, 2])):
        charges = []
        for _ in range(r.choice([1, 1, 2])):
            statute, sub, level = r.choice(STATUTES)
            if "/" in statute:
                statute = statute.split("/")[1]
                statute = "PL " + statute
            charges.append({"statute": statute, "subdivision": sub, "level": level,
                            "firearm_or_ammunition": statute == "PL 265.01" and r.random() < 0.5})
        pending.append({
            "charges": charges,
            "disposition": r.choice([None, None, None, "acd", "conditional_discharge"]),
            "released_cpl_170_70": r.random() < 0.2,
            "family_court": r.random() < 0.05,
        })
    person = {
        "convictions": convictions,
        "incarcerations": incarcerations,
        "pending_cases": pending,
        **{k: r.random() < p for k, p in [
            ("outstanding_criminal_warrant", 0.05), ("gang_database_match", 0.05),
            ("terrorist_screening_match", 0.04), ("removal_warrant_outstanding", 0.08),
            ("final_order_of_removal", 0.1), ("reentered_after_removal", 0.15),
            ("mandatory_youthful_offender", 0.03)]},
    }
    if r.random() < 0.2 and request["purpose"] == "criminal_immigration":
        request["immigration_offence"] = r.choice([o.value for o in ImmigrationOffence][1:])  # null = the first
    if r.random() < 0.2:
        flags = [f for f in SOURCED_FLAGS if person[f]] or list(SOURCED_FLAGS)
        person["sources"] = {r.choice(flags): r.choice([s.value for s in FactSource if s != FactSource.records_search])}
    _state_law_facts(random.Random(f"{decided.isoformat()}|{kind}|{len(convictions)}"), request, person)
    return {
        "agency": r.choices(["doc", "nypd", "dop"], [4, 4, 2])[0],
        "decided_at": decided.isoformat(timespec="minutes"),
        "instant_arrest_date": arrest.isoformat(),
        "request": request,
        "person": person,
    }


def _state_law_facts(x: random.Random, request: dict, person: dict) -> None:
    """The facts New York State law reads (courthouse arrests, 287(g) agreements, hand-overs, DMV
    records), drawn from their own stream so the draws above, and the cases they make, stay as they were."""
    if request["kind"] == "detainer" and x.random() < 0.25:
        request["kind"] = x.choice(["courthouse_arrest", "agreement_287g", "transfer"])
    if request["kind"] == "courthouse_arrest":
        request["assist"] = x.random() < 0.5
        if x.random() < 0.8:
            person["court_attendance"] = x.choice([a.value for a in CourtAttendance])
            person["court_role"] = x.choice([c.value for c in CourtRole])
    if request["kind"] in ("courthouse_arrest", "information") and x.random() < 0.3:
        request["judicial_order_issuer"] = x.choice([i.value for i in OrderIssuer])
    if request["kind"] == "information" and x.random() < 0.3:
        request["dmv_records"] = True
    if request["kind"] == "transfer" and x.random() < 0.5:
        request["delay_minutes"] = x.choice([1, 30, 240, 2880])


def random_cases(n: int, seed: int = 0) -> list[Case]:
    r = random.Random(seed)
    return [Case.model_validate(random_case(r)) for _ in range(n)]

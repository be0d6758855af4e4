"""A facts frame is held to the date checks of the Case model (``laws/nyc/frames.check_frame``), for
frames that never were Cases: each bad date is refused with its row and field, in the words
``decide`` uses, and every date the model accepts passes (the same frame decided otherwise)."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from detainerlaw import jurisdictions
from detainerlaw.batch import check_frame
from detainerlaw.frame import facts_frame
from detainerlaw.laws.nyc.casegen import random_cases

PLACE = jurisdictions.get("nyc")
DAY = dt.date(2024, 3, 1).toordinal()


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    cases = random_cases(300, seed=21)
    return facts_frame(cases, [f"k{i}" for i in range(len(cases))], PLACE)


def _with_record(frame: pl.DataFrame, row: int, col: str, k: int, **fields: object) -> pl.DataFrame:
    """``frame`` with the ``k``th record of ``col`` in ``row`` changed (the row given such records)."""
    records = frame[col].to_list()
    template = next(r[0] for r in records if r)
    items = list(records[row]) or [dict(template)]
    while len(items) <= k:
        items.append(dict(items[-1]))
    items[k] = {**items[k], **fields}
    records[row] = items
    return frame.with_columns(pl.Series(col, records, dtype=frame.schema[col]))


def test_the_generated_frame_passes(frame: pl.DataFrame) -> None:
    check_frame(frame, "pop.parquet", 0, PLACE)


@pytest.mark.parametrize(("change", "message"), [
    (lambda f: f.with_columns(pl.when(pl.int_range(pl.len()) == 4).then(pl.lit(dt.date(2150, 1, 1).toordinal()))
                              .otherwise(pl.col("decided_day")).alias("decided_day")),
     r"row 105 \(case_id k4\): decided_at: is outside the supported range"),
    (lambda f: f.with_columns(pl.when(pl.int_range(pl.len()) == 7).then(pl.col("decided_minute") + 1440)
                              .otherwise(pl.col("decided_minute")).alias("decided_minute")),
     r"row 108 \(case_id k7\): decided_at: decided_minute is not a time on decided_day"),
    (lambda f: f.with_columns(pl.when(pl.int_range(pl.len()) == 9).then(True).otherwise(pl.col("has_arrest"))
                              .alias("has_arrest"),
                              pl.when(pl.int_range(pl.len()) == 9).then(pl.col("decided_day") + 3)
                              .otherwise(pl.col("arrest_day")).alias("arrest_day")),
     r"row 110 \(case_id k9\): instant_arrest_date: is after decided_at"),
])
def test_a_bad_scalar_date_is_named(frame: pl.DataFrame, change, message: str) -> None:  # noqa: ANN001
    with pytest.raises(ValueError, match=message):
        check_frame(change(frame), "pop.parquet", 100, PLACE)


@pytest.mark.parametrize(("col", "k", "fields", "message"), [
    ("convictions", 0, {"conviction_day": "late"}, r"person\.convictions\[0\]\.conviction_date: is after decided_at"),
    ("convictions", 1, {"judgment_day": "late", "has_judgment": True},
     r"person\.convictions\[1\]\.judgment_date: is after decided_at"),
    ("convictions", 0, {"offense_day": 10, "has_offense": True},
     r"person\.convictions\[0\]\.offense_date: is outside the supported range"),
    ("incarcerations", 2, {"start_day": "late"}, r"person\.incarcerations\[2\]\.start: is after decided_at"),
    ("incarcerations", 0, {"end_day": 10**7}, r"person\.incarcerations\[0\]\.end: is outside the supported range"),
])
def test_a_bad_record_date_is_named(frame: pl.DataFrame, col: str, k: int, fields: dict, message: str) -> None:
    row = 12
    late = frame["decided_day"][row] + 30
    changed = _with_record(frame, row, col, k, **{f: late if v == "late" else v for f, v in fields.items()})
    with pytest.raises(ValueError, match=rf"row 13 \(case_id k12\): {message}"):
        check_frame(changed, "", 0, PLACE)


@pytest.mark.parametrize(("col", "fields"), [
    ("convictions", {"judgment_day": "late", "has_judgment": False}),  # no judgment: its day is not read
    ("convictions", {"offense_day": 10, "has_offense": False}),  # no offence date given
    ("incarcerations", {"end_day": "late"}),  # a spell may end after the decision (release ahead)
])
def test_a_date_the_case_model_accepts_passes(frame: pl.DataFrame, col: str, fields: dict) -> None:
    row = 12
    late = frame["decided_day"][row] + 30
    check_frame(_with_record(frame, row, col, 0, **{f: late if v == "late" else v for f, v in fields.items()}),
                "", 0, PLACE)


def _case(person: dict, i: int) -> dict:
    return {"agency": ("doc", "nypd", "dop")[i % 3], "decided_at": "2024-03-01T10:00",
            "instant_arrest_date": "2024-02-01",
            "request": {"kind": "detainer"}, "person": person}


CONVICTION = {"level": "felony", "conviction_date": "2015-05-01", "judgment_date": "2015-06-01"}
PERSONS = [
    {},
    {"convictions": [{**CONVICTION, "statute": "PL 999.99"}]},
    {"convictions": [{**CONVICTION, "statute": "PL 160.10"}, {**CONVICTION, "statute": "PL 998.10"},
                     {**CONVICTION, "statute": "PL 999.99"}]},
    {"convictions": [{**CONVICTION, "statute": "VTL 1192"}, {**CONVICTION, "statute": "PL 999.99",
                                                             "jurisdiction": "NJ"}]},
    {"pending_cases": [{"charges": [{"statute": "PL 165.40", "level": "misdemeanor"}]},
                       {"charges": [{"statute": "PL 120.00", "level": "misdemeanor"},
                                    {"statute": "PL 997.00", "level": "felony"}]}]},
    {"convictions": [{**CONVICTION, "statute": "PL 999.99"}],
     "pending_cases": [{"charges": [{"statute": "PL 996.10", "level": "felony"},
                                    {"statute": "PL 996.10", "level": "felony"}]}]},
]


def test_a_frame_warns_of_the_citations_a_case_warns_of() -> None:
    """Unknown Penal Law citations in convictions and pending charges: the frame's warnings for each
    row are the Case model's (``inputs.case_warnings``), fields and words alike, in the same order."""
    cases = [PLACE.case_model.model_validate(_case(p, i)) for i, p in enumerate(PERSONS * 3)]
    frame = facts_frame(cases, [f"w{i}" for i in range(len(cases))], PLACE)
    want = [PLACE.warnings(c) for c in cases]
    assert sum(len(w) for w in want) >= 12
    assert PLACE.frames.warnings(frame) == want

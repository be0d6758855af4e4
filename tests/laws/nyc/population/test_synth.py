"""The synthetic population: deterministic, in the facts schema, coherent dates, real statute keys."""

from __future__ import annotations

import datetime as dt

import polars as pl
import pytest

from detainerlaw.laws.nyc.crimes import statutory_keys
from detainerlaw.laws.nyc.facts import SCHEMA
from detainerlaw.laws.nyc.population.sample import SAMPLE_N, SAMPLE_SEED, sample_path, sample_population
from detainerlaw.laws.nyc.population.statutes import pool_frame
from detainerlaw.laws.nyc.population.synth import load_calibration, synthesize


@pytest.fixture(scope="module")
def pop() -> pl.DataFrame:
    return synthesize(4000, 11)


def test_deterministic() -> None:
    a, b, c = synthesize(1500, 3), synthesize(1500, 3), synthesize(1500, 4)
    assert a.equals(b)
    assert not a.equals(c)


def test_schema(pop: pl.DataFrame) -> None:
    for f in (*SCHEMA.fields, *SCHEMA.lists, "case_id", "weight"):
        assert f in pop.columns
    for name, fields in SCHEMA.lists.items():
        assert [f.name for f in pop.schema[name].inner.fields] == list(fields)
    assert pop["case_id"].n_unique() == pop.height
    assert pop["weight"].min() > 0


def test_calibration_file_grades_every_parameter() -> None:
    for name, spec in load_calibration().items():
        assert {"value", "source", "quality"} <= set(spec), name
        assert spec["quality"] in {"A", "B", "C", "D", "E"}, name


def test_dates_coherent(pop: pl.DataFrame) -> None:
    assert pop["decided_day"].min() >= dt.date(2012, 1, 1).toordinal()
    assert pop["decided_day"].max() <= dt.date(2026, 6, 30).toordinal()
    assert (pop["arrest_day"] <= pop["decided_day"]).all()
    assert ((pop["decided_minute"] // 1440) == pop["decided_day"]).all()
    conv = pop.select("arrest_day", pl.col("convictions")).explode("convictions").drop_nulls("convictions").unnest(
        "convictions")
    assert (conv["conviction_day"] <= conv["arrest_day"]).all()
    judged = conv.filter(pl.col("has_judgment"))
    assert (judged["judgment_day"] >= judged["conviction_day"]).all()
    off = conv.filter(pl.col("has_offense"))
    assert (off["offense_day"] < off["conviction_day"]).all()
    spells = pop.select(pl.col("incarcerations").explode()).drop_nulls().unnest("incarcerations")
    assert (spells["end_day"] >= spells["start_day"]).all()


def test_charges_point_at_pending_cases(pop: pl.DataFrame) -> None:
    bad = pop.select(
        (pl.col("charges").list.eval(pl.element().struct.field("case")).list.max().fill_null(-1)
         < pl.col("pending").list.len()).all()
    ).item()
    assert bad


def test_statute_keys_are_real(pop: pl.DataFrame) -> None:
    conv = pop.select(pl.col("convictions").explode()).drop_nulls().unnest("convictions")
    ny = conv.filter(pl.col("code") != "OTHER")
    pool = pool_frame()
    assert set(ny["full"].cast(pl.String)) <= set(pool["full"])
    listed = pool.filter("listed")
    assert all(k in statutory_keys() or s in statutory_keys() for k, s in zip(listed["full"], listed["section"]))
    assert listed.height >= 10 and pool.filter(~pl.col("listed")).height >= 10


def test_calibrated_mix() -> None:
    df = synthesize(20_000, 5, start="2015-01-01")
    counts = dict(df.group_by(pl.col("agency").cast(pl.String)).len().iter_rows())
    assert 2.0 < counts["nypd"] / counts["doc"] < 4.0  # NYPD about 3x DOC after 2014 (FY2017: 1,526 vs 536)
    assert counts["dop"] < 0.05 * df.height
    det = df.filter(pl.col("kind") == "detainer")
    assert det["judicial_warrant"].mean() < 0.005
    late = det.filter(pl.col("decided_day") >= dt.date(2017, 4, 2).toordinal())
    assert (late["administrative_warrant"] != "none").mean() > 0.9
    assert 0.8 < (df["kind"] == "detainer").mean() < 1.0


def test_bundled_sample() -> None:
    assert sample_path().stat().st_size < 2_000_000
    s = sample_population()
    assert s.height == SAMPLE_N
    fresh = synthesize(SAMPLE_N, SAMPLE_SEED)
    assert s.select("case_id", "agency", "decided_day", "kind").equals(
        fresh.select("case_id", "agency", "decided_day", "kind"))

"""simulate reads a population in chunks: a file or a frame, in chunks of any size, gives the same
tallies; every scenario is decided on a chunk before the next is read; bad rows are named by their
row in the population."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from detainerlaw.frame import open_frame, write_frame
from detainerlaw.laws.nyc.population.synth import synthesize
from detainerlaw.simulation import simulate

SCENARIOS = ["baseline", "int-945-2024", "ice-request"]


@pytest.fixture(scope="module")
def pop() -> pl.DataFrame:
    return synthesize(400, 5)


def _sorted(long: pl.DataFrame) -> pl.DataFrame:
    return long.sort("scenario", "agency", "action", "outcome", "rule", nulls_last=True)


def test_a_file_in_chunks_gives_the_tallies_of_the_frame(tmp_path: Path, pop: pl.DataFrame) -> None:
    path = tmp_path / "pop.parquet"
    write_frame(pop, path)
    whole = simulate(pop, dt.date(2025, 1, 15), SCENARIOS)
    calls: list[tuple[int, int, str]] = []
    chunked = simulate(path, dt.date(2025, 1, 15), SCENARIOS, lambda d, t, s: calls.append((d, t, s)), read_rows=64)
    assert chunked.population_rows == whole.population_rows == 400
    assert chunked.population_weight == pytest.approx(whole.population_weight)
    a, b = _sorted(whole.long), _sorted(chunked.long)
    assert a.drop("weight").equals(b.drop("weight"))
    assert a["weight"].to_list() == pytest.approx(b["weight"].to_list())
    # the scenarios take turns on each chunk: the population is read once
    assert [s for _, _, s in calls[:3]] == SCENARIOS and calls[-1][:2] == (1200, 1200)
    one = simulate(open_frame(path), dt.date(2025, 1, 15), SCENARIOS, read_rows=1000).table
    assert one.select("breakdown", "key", "action", "outcome").equals(whole.table.select(
        "breakdown", "key", "action", "outcome"))
    for name in SCENARIOS:  # sums of the same weights, added in another order
        assert one[name].to_list() == pytest.approx(whole.table[name].to_list())


def test_interpreter_in_chunks(tmp_path: Path, pop: pl.DataFrame) -> None:
    small = pop.head(40)
    a = simulate(small, None, ["baseline"], backend="interpreter")
    b = simulate(small, None, ["baseline"], backend="interpreter", read_rows=9, chunk=4)
    assert _sorted(a.long).drop("weight").equals(_sorted(b.long).drop("weight"))


def test_a_bad_row_in_a_later_chunk_is_named(tmp_path: Path, pop: pl.DataFrame) -> None:
    path = tmp_path / "pop.parquet"
    pop.with_columns(pl.when(pl.int_range(pl.len()) == 130).then(-1.0).otherwise(pl.col("weight"))
                     .alias("weight")).write_parquet(path)
    with pytest.raises(ValueError, match="row 131: column weight"):
        simulate(path, None, ["baseline"], read_rows=50)


def test_an_empty_file(tmp_path: Path, pop: pl.DataFrame) -> None:
    path = tmp_path / "empty.parquet"
    write_frame(pop.head(0), path)
    r = simulate(path, None, ["baseline", "ice-request"])
    assert r.population_rows == 0 and r.long.height == 0

"""A partitioned dataset (a directory of facts-frame part files) reads as one frame: the same
chunks, rows and simulation as the single file, and one message naming a bad part."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from detainerlaw import facade
from detainerlaw.frame import open_frame, write_frame
from detainerlaw.simulation import simulate


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    return facade.place().population.sample().head(9_000)


def _parts(pop: pl.DataFrame, d: Path, size: int) -> Path:
    d.mkdir()
    for i, at in enumerate(range(0, pop.height, size)):
        write_frame(pop.slice(at, size), d / f"part-{i:05d}.parquet")
    return d


def test_the_parts_read_in_order_as_one_frame(tmp_path: Path, sample: pl.DataFrame) -> None:
    f = open_frame(_parts(sample, tmp_path / "ds", 4_000))
    assert (f.rows, len(f.parts)) == (sample.height, 3)
    got = pl.concat([chunk for _, chunk in f.chunks(2_500)])
    assert got["case_id"].to_list() == sample["case_id"].to_list()


def test_a_dataset_simulates_as_the_file(tmp_path: Path, sample: pl.DataFrame) -> None:
    one = tmp_path / "one.parquet"
    write_frame(sample, one)
    a = simulate(open_frame(one), None, ["baseline"]).table
    b = simulate(open_frame(_parts(sample, tmp_path / "ds", 4_000)), None, ["baseline"]).table
    keys = [c for c in a.columns if c != "baseline"]
    joined = a.join(b, on=keys, how="full", suffix="_parts", nulls_equal=True)
    assert joined.height == a.height == b.height
    assert joined.select((pl.col("baseline") - pl.col("baseline_parts")).abs().max()).item() < 1e-6


def test_a_part_with_other_columns_is_named(tmp_path: Path, sample: pl.DataFrame) -> None:
    d = _parts(sample, tmp_path / "ds", 4_000)
    write_frame(sample.head(10).drop("weight"), d / "part-00009.parquet")
    with pytest.raises(ValueError, match="part-00009.parquet: its columns differ"):
        open_frame(d)


def test_a_directory_without_parts_is_refused(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    with pytest.raises(ValueError, match="no .parquet files"):
        open_frame(tmp_path / "empty")

"""decide --batch to Parquet from the layers' answers (``batch.long_answers``) gives the rows
``long_decisions`` gives from ``evaluate_stack``'s frame: on the bundled sample, under the baseline and
reforms of two layers, each case on its own date; and the file reads back with ``LONG_SCHEMA``."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest

from detainerlaw import facade
from detainerlaw.batch import LONG_SCHEMA, long_answers, long_decisions, run_batch
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.columnar.stack import Chunk, stack_answers
from detainerlaw.engine.pack import BASELINE
from detainerlaw.frame import write_frame
from detainerlaw.scenarios import Scenario, load_scenario


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population().head(4000).with_columns(pl.col("case_id").cast(pl.String))


@pytest.mark.parametrize("reform", [BASELINE, load_scenario("int-945-2024"), load_scenario("ny-for-all"),
                                    Scenario(name="lookback-3", params={"lookback_years": 3})],
                         ids=["baseline", "int-945-2024", "ny-for-all", "lookback-3"])
def test_long_rows_from_the_answers_equal_those_from_the_frame(frame: pl.DataFrame, reform) -> None:
    place = facade.place()
    stack = place.layered(None, reform)
    want = long_decisions(evaluate_stack(frame, stack), stack)
    got = pl.from_arrow(long_answers(frame, stack_answers(Chunk.of(frame, place.schema), stack), stack))
    got = got.cast(LONG_SCHEMA)  # type: ignore[union-attr, arg-type]
    assert got.height == want.height > frame.height
    assert got.equals(want)


def test_the_file_reads_back_as_strings(tmp_path: Path, frame: pl.DataFrame) -> None:
    inp, out = tmp_path / "in.parquet", tmp_path / "out.parquet"
    write_frame(frame.head(300), inp)
    run_batch(inp, out, backend="columnar")
    got = pl.read_parquet(out)
    assert dict(got.schema) == LONG_SCHEMA
    stack = facade.place().layered()
    small = frame.head(300)
    assert got.equals(long_decisions(evaluate_stack(small, stack), stack))

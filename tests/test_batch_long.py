"""decide --batch to Parquet from the layers' answers (``batch.long_answers``) gives the rows
``long_decisions`` gives from ``evaluate_stack``'s frame: on the bundled sample, under the baseline and
reforms of two layers, each case on its own date; and the file reads back with ``LONG_SCHEMA``."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pytest

from detainerlaw import facade
from detainerlaw.batch import LONG_SCHEMA, Stack, _col, _snapshots, layer_citations, long_answers, run_batch
from detainerlaw.engine import columnar as C
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


# -- the reference: the rows from evaluate_stack's frame, one combination at a time -------------------


def long_decisions(result: pl.DataFrame, stack: Stack) -> pl.DataFrame:
    """One row per case and engaged action (in the order ``decide`` reports them): case_id, action,
    the combined outcome, until (datetime) and the citations of the layers it follows.

    Citations depend only on each layer's law version, agency, rule label and whether the combined
    answer follows it, so they are built once per distinct combination (a few hundred) and joined
    to the rows, not once per row."""
    n = result.height
    actions = list(dict.fromkeys(a for _, p, _ in stack for a in C.pack_actions(p)))
    base = result.select(pl.col("agency").cast(pl.String), pl.col("kind").cast(pl.String)).with_columns(
        pl.int_range(n, dtype=pl.Int64).alias("_row"),
        *[_snapshots(result, p, r).alias(f"_e{k}") for k, (_, p, r) in enumerate(stack)])
    starts = [[dt.date(1900, 1, 1), *p.boundaries(r)] for _, p, r in stack]
    order = pl.DataFrame([{"agency": ag, "kind": kd, "action": a, "_pos": i}
                          for ag, kd in base.select("agency", "kind").unique().iter_rows()
                          for i, a in enumerate(dict.fromkeys(x for _, p, _ in stack for x in p.engaged(ag, kd)))],
                         schema={"agency": pl.String, "kind": pl.String, "action": pl.String, "_pos": pl.Int64})
    cites_of = layer_citations(stack, starts)

    parts: list[pl.DataFrame] = []
    cites: list[list[str]] = []  # of every distinct combination, numbered across actions (_cid)
    for a in actions:
        engaged = result[a].is_not_null()
        part = base.with_columns(pl.lit(a).alias("action"), result[a].cast(pl.String).alias("outcome"),
                                 result[f"{a}_until"].alias("_until"),
                                 *[result[_col(result, f"{a}_rule", lid, stack)].cast(pl.String).alias(f"_r{k}")
                                   for k, (lid, _, _) in enumerate(stack)],
                                 *[(result[f"{a}_decides@{lid}"] if len(stack) > 1 else pl.repeat(True, n))
                                   .alias(f"_d{k}") for k, (lid, _, _) in enumerate(stack)]).filter(engaged)
        if part.height == 0:
            continue
        keys = ["agency", *(f"_{x}{k}" for k in range(len(stack)) for x in "erd")]
        table = part.select(keys).unique().with_row_index("_cid", offset=len(cites))
        for row in table.iter_rows(named=True):
            got: list[str] = []
            for k in range(len(stack)):
                if row[f"_d{k}"]:
                    got += [c for c in cites_of(k, a, row[f"_e{k}"], row["agency"], row[f"_r{k}"]) if c not in got]
            cites.append(got)
        parts.append(part.join(table, on=keys, how="left", nulls_equal=True)
                     .join(order, on=["agency", "kind", "action"], how="left")
                     .select("_row", "_pos", "_cid", "action", "outcome", "_until"))
    if not parts:  # no case, or none engaging an action: the empty table of the same columns
        return pl.DataFrame(schema=LONG_SCHEMA)
    long = pl.concat(parts).sort(pl.col("_row") * len(actions) + pl.col("_pos"))
    until = pl.from_epoch((pl.col("_until") - C.EPOCH_ORDINAL * 1440) * 60, time_unit="s")
    return long.select(result["case_id"].cast(pl.String).gather(long["_row"]).alias("case_id"), "action", "outcome",
                       until.alias("until"),
                       pl.Series(cites, dtype=pl.List(pl.String)).gather(long["_cid"]).alias("citations"),
                       ).cast(LONG_SCHEMA)  # type: ignore[arg-type]

"""``decide --batch``: empty inputs, where the output may go, case ids alike from both backends."""

from __future__ import annotations

from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detainerlaw.batch import LONG_SCHEMA, run_batch
from detainerlaw.interfaces.cli import app as cli


@pytest.fixture(scope="module")
def five() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population().head(5)


def _write(tmp_path: Path, name: str, frame: pl.DataFrame) -> Path:
    path = tmp_path / name
    frame.write_parquet(path)
    return path


def _run(*args: str) -> tuple[int, str]:
    res = CliRunner().invoke(cli, ["decide", *args])
    assert "Traceback" not in res.output
    return res.exit_code, " ".join(res.output.split())


@pytest.mark.parametrize("backend", ["interpreter", "columnar"])
@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_zero_rows_give_an_empty_output(tmp_path: Path, five: pl.DataFrame, backend: str, suffix: str) -> None:
    inp = _write(tmp_path, "empty.parquet", five.head(0))
    out = tmp_path / f"out{suffix}"
    assert run_batch(inp, out, backend=backend) == 0
    if suffix == ".parquet":
        got = pl.read_parquet(out)
        assert got.height == 0 and dict(got.schema) == LONG_SCHEMA
    else:
        assert out.read_text() == ""


def test_out_may_not_be_the_input(tmp_path: Path, five: pl.DataFrame) -> None:
    inp = _write(tmp_path, "in.parquet", five)
    before = inp.read_bytes()
    code, text = _run("--batch", str(inp), "--out", str(inp))
    assert code == 2 and "--out" in text and "input" in text
    assert inp.read_bytes() == before


def test_missing_output_directory_names_out(tmp_path: Path, five: pl.DataFrame) -> None:
    inp = _write(tmp_path, "in.parquet", five)
    code, text = _run("--batch", str(inp), "--out", str(tmp_path / "nowhere" / "out.parquet"))
    assert code == 2 and text.startswith("error: --out:") and "does not exist" in text and "Errno" not in text


def test_case_file_with_batch_is_refused(tmp_path: Path, five: pl.DataFrame) -> None:
    inp = _write(tmp_path, "in.parquet", five)
    code, text = _run(str(tmp_path / "case.json"), "--batch", str(inp), "--out", str(tmp_path / "o.parquet"))
    assert code == 2 and "not both" in text
    assert not (tmp_path / "o.parquet").exists()


def test_out_without_batch_is_refused(tmp_path: Path) -> None:
    code, text = _run(str(tmp_path / "case.json"), "--out", str(tmp_path / "o.jsonl"))
    assert code == 2 and "--out" in text


def test_case_ids_are_strings_from_both_backends(tmp_path: Path, five: pl.DataFrame) -> None:
    for name, frame in (("ids.parquet", five), ("noids.parquet", five.drop("case_id"))):
        inp = _write(tmp_path, name, frame)
        got = {}
        for backend in ("interpreter", "columnar"):
            out = tmp_path / f"{backend}-{name}"
            run_batch(inp, out, backend=backend)
            got[backend] = pl.read_parquet(out)
            assert got[backend].schema["case_id"] == pl.String
        assert got["interpreter"]["case_id"].to_list() == got["columnar"]["case_id"].to_list()
        assert got["interpreter"]["outcome"].to_list() == got["columnar"]["outcome"].to_list()


def test_null_case_id_is_refused_naming_the_row(tmp_path: Path, five: pl.DataFrame) -> None:
    frame = five.with_columns(pl.when(pl.int_range(pl.len()) == 2).then(None).otherwise(pl.col("case_id"))
                              .alias("case_id"))
    inp = _write(tmp_path, "nullid.parquet", frame)
    for backend in ("interpreter", "columnar"):
        with pytest.raises(ValueError, match="row 3: case_id: value is missing"):
            run_batch(inp, tmp_path / "o.parquet", backend=backend)


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population().head(60)


@pytest.mark.parametrize(("backend", "suffix"), [("columnar", ".parquet"), ("columnar", ".jsonl"),
                                                  ("interpreter", ".jsonl")])
def test_chunks_change_nothing(tmp_path: Path, sample: pl.DataFrame, backend: str, suffix: str) -> None:
    """The same file decided in one chunk and in chunks of 7 rows (the last one short) gives the same
    bytes of JSON Lines, the same Parquet rows; progress is told each chunk, with the total for Parquet."""
    inp = _write(tmp_path, "in.parquet", sample)
    whole, chunked = tmp_path / f"whole{suffix}", tmp_path / f"chunked{suffix}"
    seen: list[tuple[int, int | None]] = []
    assert run_batch(inp, whole, backend=backend) == 60
    assert run_batch(inp, chunked, backend=backend, chunk_rows=7, progress=lambda d, t: seen.append((d, t))) == 60
    assert seen == [(min(d, 60), 60) for d in range(7, 67, 7)]
    if suffix == ".jsonl":
        assert chunked.read_text() == whole.read_text()
    else:
        assert pl.read_parquet(chunked).equals(pl.read_parquet(whole))


def test_jsonl_input_in_chunks(tmp_path: Path, sample: pl.DataFrame) -> None:
    from detainerlaw.frame import frame_cases

    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(c.model_dump_json() + "\n" for c in frame_cases(sample.head(20))))
    outs = {}
    for rows in (None, 3):
        out = tmp_path / f"o{rows}.parquet"
        assert run_batch(inp, out, backend="columnar", chunk_rows=rows) == 20
        outs[rows] = pl.read_parquet(out)
    assert outs[None].equals(outs[3])
    assert outs[3]["case_id"].unique(maintain_order=True).to_list() == [str(i) for i in range(1, 21)]


@pytest.mark.parametrize("backend", ["interpreter", "columnar"])
def test_a_bad_row_in_a_later_chunk_is_named_by_its_row_in_the_file(tmp_path: Path, sample: pl.DataFrame,
                                                                    backend: str) -> None:
    """Row 15 of the file (the second row of the third chunk of 7) is named as row 15, and a refused
    batch leaves no output, not even the chunks decided before it."""
    bad = sample.with_columns(pl.when(pl.int_range(pl.len()) == 14).then(pl.col("decided_day") + 3_000_000)
                              .otherwise(pl.col("decided_day")).alias("decided_day"))
    inp = _write(tmp_path, "bad.parquet", bad)
    out = tmp_path / "o.parquet"
    with pytest.raises(ValueError, match=r"row 15 \(case_id [^)]+\): decided_at"):
        run_batch(inp, out, backend=backend, chunk_rows=7)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.parquet"]


def test_repeated_case_ids_are_named(tmp_path: Path, sample: pl.DataFrame) -> None:
    frame = sample.head(10).with_columns(pl.when(pl.int_range(pl.len()) == 8).then(pl.lit(sample["case_id"][3]))
                                         .otherwise(pl.col("case_id")).alias("case_id"))
    inp = _write(tmp_path, "dup.parquet", frame)
    with pytest.raises(ValueError, match="row 4: case_id: .* is not unique"):
        run_batch(inp, tmp_path / "o.parquet", backend="columnar")
    lines = (tmp_path / "in.jsonl")
    case = '{"case_id": "a", "case": ' + _one_case(sample) + "}\n"
    lines.write_text(case + case.replace('"a"', '"b"') + case)
    with pytest.raises(ValueError, match="line 3: case_id: 'a' is not unique"):
        run_batch(lines, tmp_path / "o.jsonl", backend="interpreter", chunk_rows=1)
    assert not (tmp_path / "o.jsonl").exists()


def _one_case(sample: pl.DataFrame) -> str:
    from detainerlaw.frame import frame_cases

    return frame_cases(sample.head(1))[0].model_dump_json()


def test_a_badly_typed_value_in_a_later_chunk_is_named(tmp_path: Path, sample: pl.DataFrame) -> None:
    """A value outside its column's domain is found while the chunk is read (ahead of the one being
    decided): the batch stops with the row's number in the file."""
    bad = sample.with_columns(pl.when(pl.int_range(pl.len()) == 15).then(pl.lit("dept"))
                              .otherwise(pl.col("agency").cast(pl.String)).alias("agency"))
    inp = _write(tmp_path, "bad.parquet", bad)
    with pytest.raises(ValueError, match="row 16: column agency: 'dept'"):
        run_batch(inp, tmp_path / "o.parquet", backend="columnar", chunk_rows=7)
    assert not (tmp_path / "o.parquet").exists()


def test_statute_keys_of_other_scripts_are_refused_on_every_path(tmp_path) -> None:  # noqa: ANN001
    """A facts frame whose conviction section holds Arabic-Indic digits is refused by the columnar batch
    as by the interpreter (the Case model refuses such citations; a frame must not let them in)."""
    import polars as pl
    import pytest as _pytest

    from detainerlaw.batch import run_batch
    from detainerlaw.frame import facts_frame, write_frame
    from detainerlaw.laws.nyc.case import Case

    case = Case.model_validate({"agency": "doc", "decided_at": "2020-06-01", "instant_arrest_date": "2020-05-01",
                                "request": {"kind": "detainer"},
                                "person": {"convictions": [{"statute": "PL 160.15", "level": "felony",
                                                            "conviction_date": "2016-01-10",
                                                            "judgment_date": "2016-01-10"}]}})
    frame = facts_frame([case])
    conv = frame["convictions"].to_list()
    conv[0][0]["section"] = "PL ١٦٠.١٥"
    frame = frame.with_columns(pl.Series("convictions", conv, dtype=frame.schema["convictions"]))
    src = tmp_path / "arabic.parquet"
    write_frame(frame, src)
    for backend in ("columnar", "interpreter"):
        with _pytest.raises(ValueError, match=r"row 1|convictions"):
            run_batch(src, tmp_path / f"out-{backend}.parquet", backend=backend)


def test_a_scenario_with_a_date_is_refused_for_a_batch(tmp_path: Path, five: pl.DataFrame) -> None:
    """``decide --scenario law-2014`` decides a case as of the scenario's date; a batch decides each case
    on its own date, so it refuses such a scenario rather than answer otherwise than ``decide``."""
    inp = _write(tmp_path, "five.parquet", five)
    code, text = _run("--batch", str(inp), "--out", str(tmp_path / "out.parquet"), "--scenario", "law-2014")
    assert code == 2 and "--scenario: law-2014 decides every case as of 2014-01-01" in text
    assert not (tmp_path / "out.parquet").exists()
    code, _ = _run("--batch", str(inp), "--out", str(tmp_path / "out.parquet"), "--scenario", "int-945-2024")
    assert code == 0


@pytest.mark.parametrize("backend", ["interpreter", "columnar"])
def test_a_batch_names_its_scenario_as_decide_does(tmp_path: Path, backend: str) -> None:
    """Each Decision of ``decide --batch --scenario S`` names S (``law.scenario``), as ``decide`` does."""
    import json

    from detainerlaw import facade
    from detainerlaw.laws.nyc.casegen import random_cases

    cases = random_cases(12, seed=4)
    inp = tmp_path / "cases.jsonl"
    inp.write_text("".join(c.model_dump_json() + "\n" for c in cases))
    for scenario, named in (("int-945-2024", "int-945-2024"), ("baseline", None)):
        out = tmp_path / f"{scenario}.jsonl"
        code, _ = _run("--batch", str(inp), "--out", str(out), "--backend", backend, "--scenario", scenario)
        assert code == 0
        got = [json.loads(line)["law"]["scenario"] for line in out.read_text().splitlines()]
        assert got == [named] * len(cases)
        assert facade.decide(cases[0], explain=False, scenario_name=scenario).law.scenario == named

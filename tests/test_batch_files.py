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

"""Populations in partitions, decided on Dask workers: ``population synth --partitions`` writes the rows of
the single file; ``simulate`` and ``decide --batch`` with ``--engine dask`` (a LocalCluster here) give exactly
what ``--engine local`` gives on the same data, small cells suppressed once after the partitions' tallies are
combined; bad input is one message and exit 2; the single-machine path never imports Dask."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detainerlaw.batch import run_batch
from detainerlaw.frame import open_frame
from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.population import synth
from detainerlaw.simulation import SUPPRESS_BELOW, simulate
from detainerlaw.simulation.distributed import combine, connect, decide_dataset, simulate_dataset, simulate_part
from detainerlaw.simulation.simulate import ROUND_TO, check_population

runner = CliRunner()
N, K, SEED = 6_000, 3, 11
SCENARIOS = ["baseline", "int-945-2024", "ice-request"]


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """(a dataset directory of K partitions, the single file of the same n and seed)."""
    root = tmp_path_factory.mktemp("dask")
    synth.synthesize_to_parquet(root / "pop", N, SEED, partitions=K)
    synth.synthesize_to_parquet(root / "pop.parquet", N, SEED)
    return root / "pop", root / "pop.parquet"


@pytest.fixture(scope="module")
def client():
    with connect(None, 2, processes=False) as c:
        yield c


def _no_seconds(text: str) -> dict:
    doc = json.loads(text)
    doc.pop("seconds")
    return doc


# -- population synth --partitions -----------------------------------------------------------------


def test_a_dataset_holds_the_rows_of_the_single_file(data: tuple[Path, Path]) -> None:
    directory, single = data
    names = sorted(p.name for p in directory.iterdir())
    assert names == ["part-00000.parquet", "part-00001.parquet", "part-00002.parquet"]
    frames = [pl.read_parquet(directory / name) for name in names]
    assert [f.height for f in frames] == [2000, 2000, 2000]
    assert pl.concat(frames).equals(pl.read_parquet(single))
    first = 0
    for name, f in zip(names, frames, strict=True):  # each a facts frame on its own
        assert open_frame(directory / name).rows == f.height
        check_population(f, name)
        assert f["case_id"][0] == first  # case ids continue across partitions: unique in the dataset
        first += f.height


def test_partitions_cut_across_generation_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(synth, "CHUNK", 1000)  # the partitions' edges fall inside chunks and on them
    rows, weight = synth.synthesize_to_parquet(tmp_path / "d", 3500, 4, partitions=3)
    synth.synthesize_to_parquet(tmp_path / "one.parquet", 3500, 4)
    parts = [pl.read_parquet(p) for p in sorted((tmp_path / "d").iterdir())]
    assert [p.height for p in parts] == [1167, 1167, 1166] and rows == 3500
    whole = pl.read_parquet(tmp_path / "one.parquet")
    assert pl.concat(parts).equals(whole)
    assert weight == pytest.approx(whole["weight"].sum())


def test_synth_command_writes_a_dataset(tmp_path: Path) -> None:
    res = runner.invoke(app, ["population", "synth", "--n", "500", "--seed", "2", "--out", str(tmp_path / "d"),
                              "--partitions", "4"])
    assert res.exit_code == 0, res.output
    parts = sorted((tmp_path / "d").glob("*.parquet"))
    assert [p.name for p in parts] == [f"part-0000{i}.parquet" for i in range(4)]
    synth.synthesize_to_parquet(tmp_path / "one.parquet", 500, 2)
    assert pl.concat([pl.read_parquet(p) for p in parts]).equals(pl.read_parquet(tmp_path / "one.parquet"))


@pytest.mark.parametrize("args, words", [
    (["--out", "{tmp}/d.parquet", "--partitions", "2"], "--out: {tmp}/d.parquet: with --partitions, --out is a"),
    (["--out", "{tmp}/d", "--partitions", "0"], "--partitions: 0 must be between 1 and --n (100)"),
    (["--out", "{tmp}/d", "--partitions", "101"], "--partitions: 101 must be between 1 and --n (100)"),
    (["--out", "{tmp}/d"], "--out: {tmp}/d must end in .parquet (or give --partitions K"),
    (["--out", "{tmp}/full", "--partitions", "2"], "--out: {tmp}/full already holds .parquet files"),
])
def test_synth_command_refuses_a_bad_dataset_output(tmp_path: Path, args: list[str], words: str) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "old.parquet").write_bytes(b"x")
    res = runner.invoke(app, ["population", "synth", "--n", "100", *(a.format(tmp=tmp_path) for a in args)])
    assert res.exit_code == 2, res.output
    assert words.format(tmp=tmp_path) in " ".join(res.output.split()) and "Traceback" not in res.output
    assert not (tmp_path / "d").exists() or not any((tmp_path / "d").iterdir())


# -- simulate --------------------------------------------------------------------------------------


def test_dask_gives_exactly_the_local_result(data: tuple[Path, Path], client) -> None:
    directory, _ = data
    for as_of, layer in ((None, None), (dt.date(2025, 1, 15), None), (None, "nyc")):
        local = simulate_dataset(directory, as_of, SCENARIOS, layer=layer)
        dask = simulate_dataset(directory, as_of, SCENARIOS, engine="dask", client=client, layer=layer)
        assert dask.meta["partitions"] == local.meta["partitions"] == K
        assert dask.long.equals(local.long)
        assert dask.table.equals(local.table)  # every cell, to the bit, before suppression
        assert dask.public_table().equals(local.public_table())
        assert dask.summary().equals(local.summary()) and dask.public_summary().equals(local.public_summary())
        assert (dask.population_rows, dask.population_weight) == (local.population_rows, local.population_weight)
        assert _no_seconds(dask.to_json()) == _no_seconds(local.to_json())
    assert local.long["n"].sum() > 0


def test_a_dataset_counts_what_the_single_file_counts(data: tuple[Path, Path], client) -> None:
    directory, single = data
    whole = simulate(single, None, SCENARIOS)
    parts = simulate_dataset(directory, None, SCENARIOS, engine="dask", client=client)
    assert parts.population_rows == whole.population_rows == N
    assert parts.population_weight == pytest.approx(whole.population_weight, rel=1e-12)
    keys = ["scenario", "agency", "action", "outcome", "rule"]
    a, b = whole.long.sort(keys, nulls_last=True), parts.long.sort(keys, nulls_last=True)
    assert a.drop("weight").equals(b.drop("weight"))  # every case counted once, in the same cell
    assert a["weight"].to_list() == pytest.approx(b["weight"].to_list(), rel=1e-12)  # sums in another order
    pa, pb = whole.public_table(), parts.public_table()
    assert pa.select(cells := ["breakdown", "key", "action", "outcome"]).equals(pb.select(cells))
    for name in SCENARIOS:  # the same cells withheld; a sum on a half (k × weight = x.5) may round either way
        assert pa[name].is_null().equals(pb[name].is_null())
        assert (pa[name] - pb[name]).abs().max() <= 1
    # one file is one partition: the same tallies exactly
    one = simulate_dataset(single, None, SCENARIOS, engine="dask", client=client)
    assert one.meta["partitions"] == 1 and one.long.equals(a)


def test_a_dataset_url_is_read_by_each_worker(data: tuple[Path, Path], client) -> None:
    directory, _ = data
    want = simulate_dataset(directory, None, ["baseline"])
    got = simulate_dataset(directory.as_uri(), None, ["baseline"], engine="dask", client=client)  # file:///...
    assert got.meta["partitions"] == K and got.table.equals(want.table)
    res = runner.invoke(app, ["simulate", "--population", directory.as_uri(), "--json"])  # the // kept
    assert res.exit_code == 0, res.output
    assert _no_seconds(res.stdout) == _no_seconds(want.to_json())


def test_small_cells_are_suppressed_once_after_combining(data: tuple[Path, Path]) -> None:
    directory, _ = data
    each = [simulate_part(str(p), None, SCENARIOS) for p in sorted(directory.iterdir())]
    total = combine(each)
    assert combine(each[::-1]).long.equals(total.long)  # the order partitions finish in changes nothing
    cells = ["breakdown", "key", "action", "outcome"]
    merged = total.public_table()
    raw = [e.table for e in each]
    # a cell small in every partition (each alone would withhold it) but not in the sum is shown
    shown = 0
    for row in total.table.iter_rows(named=True):
        for name in SCENARIOS:
            ins = [t.filter(*(pl.col(c) == row[c] for c in cells))[name] for t in raw]
            vals = [s[0] if s.len() else 0.0 for s in ins]
            if row[name] >= SUPPRESS_BELOW and all(v < SUPPRESS_BELOW for v in vals) and sum(v > 0 for v in vals) > 1:
                pub = merged.filter(*(pl.col(c) == row[c] for c in cells))[name][0]
                if pub is not None:  # (unless withheld beside another small cell: complementary suppression)
                    assert pub == round(row[name] / ROUND_TO) * ROUND_TO  # published counts are rounded
                    shown += 1
    assert shown > 0
    # and the combined result withholds what is small in the sum
    small = total.table.filter(pl.col("breakdown") != "all").filter(
        (pl.col("baseline") > 0) & (pl.col("baseline") < SUPPRESS_BELOW))
    assert small.height > 0
    for row in small.iter_rows(named=True):
        assert merged.filter(*(pl.col(c) == row[c] for c in cells))["baseline"][0] is None


def test_a_bad_row_names_its_partition_and_row(tmp_path: Path, data: tuple[Path, Path], client) -> None:
    directory, _ = data
    bad = tmp_path / "bad"
    bad.mkdir()
    for i, p in enumerate(sorted(directory.iterdir())):
        df = pl.read_parquet(p)
        if i == 1:
            df = df.with_columns(pl.when(pl.int_range(pl.len()) == 41).then(-2.0).otherwise(pl.col("weight"))
                                 .alias("weight"))
        df.write_parquet(bad / p.name)
    for engine, c in (("local", None), ("dask", client)):
        with pytest.raises(ValueError, match=r"--population: .*part-00001\.parquet: row 42: column weight"):
            simulate_dataset(bad, None, ["baseline"], engine=engine, client=c, where="--population")


# -- decide --batch --------------------------------------------------------------------------------


def test_decide_on_workers_writes_what_one_file_gives(tmp_path: Path, data: tuple[Path, Path], client) -> None:
    directory, single = data
    run_batch(single, tmp_path / "one.parquet", backend="columnar")
    want = pl.read_parquet(tmp_path / "one.parquet")
    for engine, c in (("local", None), ("dask", client)):
        out = tmp_path / f"out-{engine}"
        assert decide_dataset(directory, out, engine=engine, client=c) == N
        names = sorted(p.name for p in out.iterdir())
        assert names == sorted(p.name for p in directory.iterdir())  # nothing else left behind
        assert pl.concat([pl.read_parquet(out / n) for n in names]).equals(want)


def test_a_bad_partition_leaves_no_output(tmp_path: Path, data: tuple[Path, Path], client) -> None:
    directory, _ = data
    bad = tmp_path / "bad"
    bad.mkdir()
    for i, p in enumerate(sorted(directory.iterdir())):
        df = pl.read_parquet(p)
        if i == 2:
            df = df.with_columns(pl.when(pl.int_range(pl.len()) == 6).then(None).otherwise(pl.col("agency"))
                                 .alias("agency"))
        df.write_parquet(bad / p.name)
    with pytest.raises(ValueError, match=r"part-00002\.parquet: row 7.*agency"):
        decide_dataset(bad, tmp_path / "out", engine="dask", client=client)
    assert list((tmp_path / "out").iterdir()) == []


def test_workers_of_another_version_are_refused(client) -> None:
    from detainerlaw.simulation.distributed import check_workers, installed_version

    assert set(check_workers(client).values()) == {installed_version()}
    with pytest.raises(ValueError, match=r"--scheduler: the Dask worker .* runs detainerlaw .*, this machine 9\.9\.9"):
        check_workers(client, expected="9.9.9")


# -- the commands ----------------------------------------------------------------------------------


def test_simulate_command_with_dask_equals_local(data: tuple[Path, Path]) -> None:
    directory, _ = data
    args = ["simulate", "--population", str(directory), "--scenario", "baseline", "--scenario", "int-945-2024",
            "--json"]
    local = runner.invoke(app, args)
    dask = runner.invoke(app, [*args, "--engine", "dask", "--workers", "1"])
    assert local.exit_code == 0 and dask.exit_code == 0, dask.output
    assert _no_seconds(dask.stdout) == _no_seconds(local.stdout)


def test_decide_command_with_dask(tmp_path: Path, data: tuple[Path, Path]) -> None:
    directory, single = data
    res = runner.invoke(app, ["decide", "--batch", str(directory), "--out", str(tmp_path / "out"),
                              "--engine", "dask", "--workers", "1"])
    assert res.exit_code == 0, res.output
    run_batch(single, tmp_path / "one.parquet", backend="columnar")
    got = pl.read_parquet(tmp_path / "out" / "*.parquet")
    assert got.equals(pl.read_parquet(tmp_path / "one.parquet"))


def test_against_a_scheduler_and_worker_started_apart(tmp_path: Path, data: tuple[Path, Path]) -> None:
    """As on real machines: `dask scheduler` and `dask worker` processes, the commands given its address."""
    directory, _ = data
    dask_cli = Path(sys.executable).with_name("dask")
    info = tmp_path / "scheduler.json"
    common = ["--scheduler-file", str(info), "--no-dashboard"]
    procs = [subprocess.Popen([str(dask_cli), "scheduler", "--host", "127.0.0.1", "--port", "0", *common],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)]
    try:
        for _ in range(1200):  # the scheduler writes its address once it listens
            if info.exists() and info.stat().st_size:
                break
            assert procs[0].poll() is None, "dask scheduler exited"
            time.sleep(0.05)
        address = json.loads(info.read_text())["address"]
        procs.append(subprocess.Popen([str(dask_cli), "worker", "--nthreads", "1", "--nworkers", "1", *common],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        args = ["simulate", "--population", str(directory), "--scenario", "int-945-2024", "--json"]
        remote = runner.invoke(app, [*args, "--engine", "dask", "--scheduler", address], env={
            "DETAINERLAW_DASK_TIMEOUT": "60"})
        assert remote.exit_code == 0, remote.output
        assert _no_seconds(remote.stdout) == _no_seconds(runner.invoke(app, args).stdout)
        out = runner.invoke(app, ["decide", "--batch", str(directory), "--out", str(tmp_path / "out"), "--engine",
                                  "dask", "--scheduler", address], env={"DETAINERLAW_DASK_TIMEOUT": "60"})
        assert out.exit_code == 0, out.output
        assert len(list((tmp_path / "out").glob("*.parquet"))) == K
    finally:
        for p in procs[::-1]:
            p.terminate()
            try:
                p.wait(timeout=20)
            except subprocess.TimeoutExpired:
                p.kill()


@pytest.mark.parametrize("args, words", [
    (["simulate", "--population", "{tmp}/none", "--engine", "dask"], "--population: {tmp}/none: no such file"),
    (["simulate", "--population", "{tmp}/empty", "--engine", "dask"],
     "--population: {tmp}/empty: a directory with no .parquet files"),
    (["simulate", "--engine", "dask"], "--population: --engine dask reads a population file or dataset"),
    (["simulate", "--population", "{pop}", "--engine", "dask", "--backend", "interpreter"],
     "--backend: --engine dask decides with the columnar backend"),
    (["simulate", "--population", "{pop}", "--scheduler", "tcp://127.0.0.1:1"], "--scheduler: only with --engine dask"),
    (["simulate", "--population", "{pop}", "--engine", "spark"], "--engine: 'spark' is not local or dask"),
    (["simulate", "--population", "{pop}", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"],
     "--scheduler: tcp://127.0.0.1:1: no Dask scheduler answered within 1 s"),
    (["simulate", "--population", "{pop}", "--engine", "dask", "--scheduler", "tls://127.0.0.1:1"],
     "--scheduler: tls://127.0.0.1:1: the TLS settings are missing"),
    (["simulate", "--population", "{pop}", "--engine", "dask", "--scheduler", "nonsense"],
     "--scheduler: 'nonsense' is not a Dask scheduler address"),
    (["simulate", "--population", "{pop}", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
     "--workers: only without --scheduler"),
    (["simulate", "--population", "{pop}", "--engine", "dask", "--workers", "0"], "--workers: 0 is not a positive"),
    (["decide", "--batch", "{tmp}/none", "--out", "{tmp}/o", "--engine", "dask"], "--batch: {tmp}/none: no such file"),
    (["decide", "--batch", "{pop}", "--out", "{tmp}/o.parquet", "--engine", "dask"],
     "--out: {tmp}/o.parquet: a dataset directory (--batch {pop}) is decided into a directory"),
    (["decide", "--batch", "{pop}", "--out", "{pop}", "--engine", "dask"], "--out: {pop} is the input directory"),
    (["decide", "--batch", "{pop}", "--out", "{tmp}/nowhere/o", "--engine", "dask"],
     "--out: {tmp}/nowhere/o: the directory {tmp}/nowhere does not exist"),
    (["decide", "--batch", "{pop}", "--out", "{tmp}/o", "--scheduler", "tcp://127.0.0.1:1"],
     "--scheduler: only with --engine dask"),
    (["decide", "--batch", "{pop}", "--out", "{tmp}/o", "--engine", "dask", "--scheduler", "tcp://127.0.0.1:1"],
     "--scheduler: tcp://127.0.0.1:1: no Dask scheduler answered within 1 s"),
    (["decide", "--batch", "{pop}", "--out", "{tmp}/o", "--engine", "dask", "--scenario", "no-such"],
     "scenario: unknown scenario 'no-such'"),
])
def test_bad_input_is_one_message(tmp_path: Path, data: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                  args: list[str], words: str) -> None:
    monkeypatch.setenv("DETAINERLAW_DASK_TIMEOUT", "1")
    (tmp_path / "empty").mkdir()
    subs = {"tmp": tmp_path, "pop": data[0]}
    res = runner.invoke(app, [a.format(**subs) for a in args])
    assert res.exit_code == 2, res.output
    assert isinstance(res.exception, SystemExit) and "Traceback" not in res.output
    text = " ".join(res.output.split())
    assert words.format(**subs) in text and text.count("error:") == 1
    assert not (tmp_path / "o").exists() or not any((tmp_path / "o").glob("*.parquet"))


def test_without_dask_the_engine_says_what_to_install(data: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch,
                                                      tmp_path: Path) -> None:
    for name in ("dask", "dask.distributed", "distributed"):
        monkeypatch.setitem(sys.modules, name, None)  # import fails as if not installed
    for args in (["simulate", "--population", str(data[0]), "--engine", "dask"],
                 ["decide", "--batch", str(data[0]), "--out", str(tmp_path / "o"), "--engine", "dask"]):
        res = runner.invoke(app, args)
        assert res.exit_code == 2 and "Traceback" not in res.output
        assert "install detainerlaw[dask]" in " ".join(res.output.split())


def test_the_single_machine_path_never_imports_dask(data: tuple[Path, Path]) -> None:
    directory, single = data
    code = f"""
import sys
from typer.testing import CliRunner
from detainerlaw.interfaces.cli import app
from detainerlaw.simulation import simulate
r = simulate({str(single)!r}, None, ["baseline"])
assert r.population_rows == {N}
runner = CliRunner()
for args in (["simulate", "--population", {str(single)!r}, "--json"],
             ["simulate", "--population", {str(directory)!r}, "--json"]):
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
loaded = sorted(m for m in sys.modules if m.split(".")[0] in ("dask", "distributed"))
print("loaded:", loaded)
"""
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False,
                         env={**os.environ, "PYTHONWARNINGS": "ignore"})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip().endswith("loaded: []"), out.stdout
    # and the check itself sees Dask once the engine is used
    seen = subprocess.run([sys.executable, "-c", "import sys\nfrom detainerlaw.simulation.distributed import connect\n"
                           "with connect(None, 1, processes=False): pass\n"
                           "print('dask' in sys.modules)"], capture_output=True, text=True, check=False)
    assert seen.stdout.strip() == "True", seen.stderr

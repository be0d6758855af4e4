"""Populations split into partitions, decided on one machine or on many with Dask.

A *dataset* is a directory of facts-frame Parquet files (``part-00000.parquet``, ... as
``population synth --partitions`` writes them), each a facts frame on its own; a single Parquet
file is a dataset of one partition. Names beginning with ``.`` or ``_`` are not partitions.

``simulate_dataset`` decides every partition with ``simulation.simulate`` (the columnar backend,
chunk by chunk as for one file) and ``combine`` adds the partitions' tallies: weights summed
exactly rounded (``math.fsum``, so the order in which partitions finish changes nothing) and counts
as integers, per (scenario, agency, action, outcome, rule). The combined ``SimulationResult``
is what one process would hold: small cells are suppressed once, from the combined tallies, by
its ``public_table``/``public_summary``, never per partition.

``decide_dataset`` decides every partition with ``batch.run_batch`` into a directory of outputs
of the same names, which appear only once every partition is decided.

``engine="local"`` runs the partitions one after another in this process; ``engine="dask"``
runs each as a task on a Dask worker (``connect``: a scheduler's address, or a ``LocalCluster``
on this machine). A task is given the partition's path, never its rows: each worker reads its
own partition, so every worker must see the dataset at the same path (a shared filesystem, or
an fsspec URL such as ``s3://bucket/pop`` for ``simulate``) and have ``detainerlaw`` installed
at the client's version. Only the tallies (a few hundred rows a partition) travel back.

Dask is an optional dependency (``detainerlaw[dask]``): this module imports it only in ``connect``
and on the dask engine's path, so the single-machine path never loads it (``engine="local"`` on a
dataset included).
"""

from __future__ import annotations

import datetime as dt
import logging
import math
import os
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import polars as pl

from detainerlaw.engine.columnar import plan_cache
from detainerlaw.engine.pack import BASELINE, Reform
from detainerlaw.simulation.simulate import SimulationResult, simulate

ENGINES = ("local", "dask")
CONNECT_TIMEOUT = 10.0  # seconds to wait for a scheduler before giving up
KEYS = ("scenario", "agency", "action", "outcome", "rule")
INSTALL = "install detainerlaw[dask] (pip install 'detainerlaw[dask]') on this machine and on every worker"
Progress = Callable[[int, int, str], None]


class DaskMissing(ValueError):
    """``--engine dask`` without Dask installed."""


# -- datasets ----------------------------------------------------------------------------


def is_url(path: str | Path) -> bool:
    """Whether ``path`` is an fsspec URL (``s3://``, ``gs://``, ``file://``) rather than a local path."""
    return "://" in str(path)


def _listed(name: str) -> bool:
    return name.endswith(".parquet") and not name.startswith((".", "_"))


def parts(path: str | Path, where: str = "") -> list[str]:
    """The partitions of a dataset in name order (a single .parquet file: itself), as strings
    (paths or URLs); one ValueError naming ``path`` when there is nothing to read."""
    prefix = f"{where}: {path}" if where else str(path)
    if is_url(path):
        return _url_parts(str(path), prefix)
    p = Path(path)
    if p.is_file():
        if p.suffix != ".parquet":
            raise ValueError(f"{prefix}: expected a .parquet file or a directory of them")
        return [str(p)]
    if not p.exists():
        raise ValueError(f"{prefix}: no such file or directory")
    found = sorted(str(c) for c in p.iterdir() if c.is_file() and _listed(c.name))
    if not found:
        raise ValueError(f"{prefix}: a directory with no .parquet files (not a dataset)")
    return found


def _url_parts(url: str, prefix: str) -> list[str]:
    try:
        import fsspec
    except ImportError:
        raise DaskMissing(f"{prefix}: reading a URL needs fsspec; {INSTALL}") from None
    try:
        fs, root = fsspec.core.url_to_fs(url)
        if fs.isfile(root):
            return [url]
        listed = sorted(p for p in fs.ls(root, detail=False) if _listed(p.rstrip("/").rsplit("/", 1)[-1]))
    except (OSError, ValueError, ImportError) as e:
        raise ValueError(f"{prefix}: cannot be listed ({str(e).strip()[:200] or type(e).__name__})") from None
    if not listed:
        raise ValueError(f"{prefix}: no .parquet files (not a dataset)")
    return [fs.unstrip_protocol(p) for p in listed]


def check_parts(paths: list[str], where: str = "") -> int:
    """The number of cases in ``paths``, after each is opened as a facts frame (``frame.open_frame``:
    its footer only) so a partition that is not one is refused before anything is decided. URLs
    are left to the workers (this machine may not read them): 0."""
    from detainerlaw.frame import open_frame

    rows = 0
    for p in paths:
        if not is_url(p):
            rows += open_frame(Path(p), where).rows
    return rows


@contextmanager
def _readable(path: str) -> Iterator[Path]:
    """A local path to read ``path`` from: itself, or for a URL a temporary copy (Parquet is read
    by its footer first, which object stores serve poorly piecemeal)."""
    if not is_url(path):
        yield Path(path)
        return
    import fsspec

    with tempfile.TemporaryDirectory(prefix="detainerlaw-") as tmp:
        local = Path(tmp) / "part.parquet"
        with fsspec.open(path, "rb") as src, local.open("wb") as dst:
            shutil.copyfileobj(src, dst, 1 << 22)
        yield local


# -- simulate ----------------------------------------------------------------------------


def simulate_part(path: str, as_of: dt.date | None, scenarios: list, layer: str | None = None,
                  where: str = "") -> SimulationResult:
    """One partition simulated (on a worker, or here): ``simulate`` on the file at ``path``. A worker
    keeps the plans it compiled on its disk for the next (``plan_cache``)."""
    with _readable(path) as local:
        result = simulate(local, as_of, scenarios, layer=layer, backend="columnar",
                          where=f"{where}: {path}" if where else path)
    plan_cache.flush()
    return result


def combine(results: list[SimulationResult], seconds: float | None = None, **meta: Any) -> SimulationResult:
    """The partitions' results as one: tallies summed per (scenario, agency, action, outcome, rule),
    weights with ``math.fsum`` (exactly rounded, so independent of the order of partitions and of
    how they were grouped) and counts as integers; rows sorted by the keys. Nothing is suppressed
    here: the combined result suppresses as any other does."""
    if not results:
        raise ValueError("combine: no results")
    weights: dict[tuple, list[float]] = {}
    counts: dict[tuple, int] = {}
    for r in results:
        for row in r.long.select(*KEYS, "weight", "n").iter_rows():
            key = row[:5]
            weights.setdefault(key, []).append(row[5])
            counts[key] = counts.get(key, 0) + row[6]
    schema = {**{k: pl.String for k in KEYS}, "weight": pl.Float64, "n": pl.Int64}
    long = pl.DataFrame(
        [(*k, math.fsum(w), counts[k]) for k, w in weights.items()], schema=schema, orient="row"
    ).sort(*KEYS, nulls_last=True)
    first = results[0]
    return SimulationResult(
        scenarios=first.scenarios,
        as_of=first.as_of,
        long=long,
        population_rows=sum(r.population_rows for r in results),
        population_weight=math.fsum(r.population_weight for r in results),
        backend=first.backend,
        seconds=sum(r.seconds for r in results) if seconds is None else seconds,
        meta={**first.meta, "partitions": len(results), **meta},
    )


def simulate_dataset(population: str | Path, as_of: dt.date | None, scenarios: list, *,
                     engine: str = "local", client: Any = None, layer: str | None = None,
                     where: str = "", progress: Progress | None = None) -> SimulationResult:
    """Every partition of ``population`` simulated (``simulate_part``) and the results combined
    (``combine``); ``engine`` local in this process, dask on ``client``'s workers (a ``connect``
    client). The same dataset gives the same result, to the bit, whichever engine runs it."""
    from detainerlaw.scenarios import Scenario, load_scenario

    if engine not in ENGINES:
        raise ValueError(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
    t0 = time.perf_counter()
    resolved = [s if isinstance(s, Scenario) else load_scenario(s) for s in (scenarios or ["baseline"])]
    paths = parts(population, where)
    total = check_parts(paths, where) * len(resolved)
    done = 0
    results: dict[int, SimulationResult] = {}

    def finished(i: int, r: SimulationResult) -> None:
        nonlocal done
        results[i] = r
        done += r.population_rows * len(resolved)
        if progress:
            progress(done, max(total, done), f"{len(results)}/{len(paths)} partitions")

    if engine == "local":
        for i, p in enumerate(paths):
            finished(i, simulate_part(p, as_of, resolved, layer, where))
    else:
        if client is None:
            raise ValueError("--engine dask: no Dask client (connect first)")
        futures = {client.submit(simulate_part, p, as_of, resolved, layer, where, pure=False): i
                   for i, p in enumerate(paths)}
        _gather(client, futures, finished)
    return combine([results[i] for i in range(len(paths))], time.perf_counter() - t0, engine=engine)


def _gather(client: Any, futures: dict, finished: Callable[[int, Any], None]) -> None:
    """Each future's result to ``finished`` as it completes; the first task's error is raised
    (the error itself, as raised on the worker) after the other tasks are cancelled."""
    from dask.distributed import KilledWorker, as_completed

    fut = None
    try:
        for fut in as_completed(list(futures), loop=client.loop):
            finished(futures[fut], fut.result())
    except (KilledWorker, OSError) as e:  # the cluster failed, not the data: say which task
        client.cancel(list(futures))
        raise ValueError(f"--engine dask: a worker failed on partition {futures.get(fut, '?')} "
                         f"({type(e).__name__}: {str(e).strip()[:300]})") from None
    except BaseException:
        client.cancel(list(futures))
        raise


# -- decide --batch ----------------------------------------------------------------------


def decide_part(inp: str, out: str, backend: str = "columnar", reform: Reform = BASELINE,
                scenario: str | None = None) -> int:
    """One partition decided (on a worker, or here) with ``batch.run_batch``; its number of cases."""
    from detainerlaw.batch import run_batch

    n = run_batch(Path(inp), Path(out), backend=backend, reform=reform, scenario=scenario)
    plan_cache.flush()
    return n


def decide_jobs(inp: str | Path, out: str | Path) -> list[tuple[str, str]]:
    """(input, output) of each partition ``decide_dataset`` decides, after the checks on ``inp`` and
    ``out`` it makes (each a ValueError naming the option); nothing is written."""
    inp, out = Path(inp), Path(out)
    if not inp.exists():
        raise ValueError(f"--batch: {inp}: no such file or directory")
    if inp.is_file():
        if out.is_dir():
            raise ValueError(f"--out: {out} is a directory; a single input file (--batch {inp}) is decided "
                             "into one .jsonl or .parquet file")
        return [(str(inp), str(out))]
    paths = parts(inp, "--batch")
    if out.suffix in (".jsonl", ".parquet") or out.is_file():
        raise ValueError(f"--out: {out}: a dataset directory (--batch {inp}) is decided into a directory, "
                         "not a file")
    if out.resolve() == inp.resolve():
        raise ValueError(f"--out: {out} is the input directory (--batch): choose another, the input is kept")
    if not out.parent.is_dir():
        raise ValueError(f"--out: {out}: the directory {out.parent} does not exist")
    if out.is_dir() and any(_listed(c.name) for c in out.iterdir()):
        raise ValueError(f"--out: {out} already holds .parquet files: choose an empty or new directory")
    check_parts(paths, "--batch")
    return [(p, str(out / Path(p).name)) for p in paths]


def decide_dataset(inp: str | Path, out: str | Path, *, backend: str = "columnar", reform: Reform = BASELINE,
                   engine: str = "local", client: Any = None,
                   progress: Callable[[int, int | None], None] | None = None, scenario: str | None = None) -> int:
    """Every case of ``inp`` decided into ``out``; the number of cases. ``inp`` a dataset directory:
    ``out`` a directory (created; its parent must exist) that receives one output of the same name
    per partition; ``inp`` a file: ``out`` a file, as ``run_batch``. Outputs are written to a hidden
    directory inside ``out`` and moved into it once every partition is decided: a bad row in any
    partition leaves no output at all. Case ids are checked within each partition (``decide_jobs``:
    the checks made before anything is decided)."""
    from detainerlaw.batch import BACKENDS

    if engine not in ENGINES:
        raise ValueError(f"--engine: {engine!r} is not one of {', '.join(ENGINES)}")
    if backend not in BACKENDS:
        raise ValueError(f"--backend: {backend!r} is not one of {', '.join(BACKENDS)}")
    jobs = decide_jobs(inp, out)
    stage = None
    if Path(inp).is_dir():
        out = Path(out)
        out.mkdir(exist_ok=True)
        stage = out / f".incomplete-{uuid.uuid4().hex[:12]}"
        stage.mkdir()
        jobs = [(a, str(stage / Path(b).name)) for a, b in jobs]
    done = 0

    def finished(i: int, n: int) -> None:
        nonlocal done
        done += n
        if progress:
            progress(done, None)

    try:
        if engine == "local":
            for i, (a, b) in enumerate(jobs):
                finished(i, decide_part(a, b, backend, reform, scenario))
        else:
            if client is None:
                raise ValueError("--engine dask: no Dask client (connect first)")
            futures = {client.submit(decide_part, a, b, backend, reform, scenario, pure=False): i
                       for i, (a, b) in enumerate(jobs)}
            _gather(client, futures, finished)
        if stage is not None:
            for _, b in jobs:
                Path(b).replace(out / Path(b).name)
    finally:
        if stage is not None:
            shutil.rmtree(stage, ignore_errors=True)
    return done


# -- Dask --------------------------------------------------------------------------------


def timeout_from_env(default: float = CONNECT_TIMEOUT) -> float:
    """Seconds to wait for a scheduler: ``DETAINERLAW_DASK_TIMEOUT`` or ``default``."""
    raw = os.environ.get("DETAINERLAW_DASK_TIMEOUT")
    try:
        return float(raw) if raw else default
    except ValueError:
        raise ValueError(f"DETAINERLAW_DASK_TIMEOUT: {raw!r} is not a number of seconds") from None


def installed_version() -> str:
    """The version of detainerlaw installed where this runs (on a worker: the worker's)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("detainerlaw")
    except PackageNotFoundError:
        return "unknown"


def check_workers(client: Any, timeout: float = CONNECT_TIMEOUT, expected: str | None = None,
                  where: str = "--scheduler") -> dict[str, str]:
    """Each worker's detainerlaw version, after checking that at least one worker is there (waiting
    up to ``timeout`` seconds), that every worker can import detainerlaw and that each runs
    ``expected`` (this machine's version): a worker of another version would decide under another
    law. One ValueError naming the worker otherwise."""
    expected = expected or installed_version()
    try:
        client.wait_for_workers(1, timeout=timeout)
    except TimeoutError:
        raise ValueError(f"{where}: no Dask worker joined the scheduler within {timeout:g} s "
                         "(start them with `dask worker ADDRESS`)") from None
    try:
        found = client.run(installed_version)
    except Exception as e:  # noqa: BLE001 - the worker's own error (it could not unpickle the function)
        raise ValueError(f"{where}: a Dask worker cannot run detainerlaw ({type(e).__name__}: "
                         f"{str(e).strip()[:200]}); install detainerlaw[dask]=={expected} on every worker") from None
    other = {w: v for w, v in found.items() if v != expected}
    if other:
        w, v = sorted(other.items())[0]
        raise ValueError(f"{where}: the Dask worker {w} runs detainerlaw {v}, this machine {expected}: install "
                         f"the same version on every worker ({len(other)} of {len(found)} differ)")
    return found


@contextmanager
def connect(scheduler: str | None = None, workers: int | None = None, *, timeout: float = CONNECT_TIMEOUT,
            processes: bool = True) -> Iterator[Any]:
    """A Dask client: to the scheduler at ``scheduler`` (``tcp://host:8786``, ``tls://...`` with the
    TLS settings of Dask's configuration), or to a ``LocalCluster`` of ``workers`` workers (default:
    the cores of this machine) with one thread each, started here and stopped on exit. Errors are
    ValueErrors naming the option: Dask not installed (``DaskMissing``), an address that is not one,
    or no scheduler answering within ``timeout`` seconds."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise DaskMissing(f"--engine dask: Dask is not installed; {INSTALL}") from None
    if workers is not None and workers < 1:
        raise ValueError(f"--workers: {workers} is not a positive number of workers")
    if scheduler is not None:
        if workers is not None:
            raise ValueError("--workers: only without --scheduler (the scheduler's workers are started there)")
        if scheduler.startswith("tls://"):
            from distributed.security import Security

            sec = Security()  # Dask's configuration: ~/.config/dask, DASK_DISTRIBUTED__COMM__TLS__...
            if not (sec.tls_ca_file and sec.tls_client_cert):
                raise ValueError(f"--scheduler: {scheduler}: the TLS settings are missing (set Dask's "
                                 "distributed.comm.tls.ca-file, client.cert and client.key, e.g. "
                                 "DASK_DISTRIBUTED__COMM__TLS__CA_FILE; docs/deployment-dask.md)")
        try:
            client = Client(scheduler, timeout=f"{timeout}s", set_as_default=False)
        except (OSError, TimeoutError) as e:
            raise ValueError(f"--scheduler: {scheduler}: no Dask scheduler answered within {timeout:g} s "
                             f"({str(e).strip()[:200]})") from None
        except TypeError as e:  # tls:// without a certificate configured
            raise ValueError(f"--scheduler: {scheduler}: the TLS settings are missing (Dask's "
                             f"distributed.comm.tls configuration: {str(e).strip()[:200]})") from None
        except ValueError as e:
            raise ValueError(f"--scheduler: {scheduler!r} is not a Dask scheduler address such as "
                             f"tcp://host:8786 ({str(e).strip()[:200]})") from None
        try:
            check_workers(client, timeout)
            yield client
        finally:
            client.close()
        return
    n = workers or os.cpu_count() or 1
    with LocalCluster(n_workers=n, threads_per_worker=1, processes=processes, dashboard_address=":0",
                      silence_logs=logging.ERROR) as cluster, Client(cluster, set_as_default=False) as client:
        check_workers(client, timeout, where="--workers")
        yield client

"""``simulate`` on one process against Dask workers on this machine: cases per second for the same
population, the Dask engine's overhead against the single-process path, and whether the results agree.

The population is synthesized twice with the same n and seed: as one Parquet file and as a dataset of
``--partitions`` files (``population synth --partitions``). Timed, each after a warm-up of the law's
plans in the process that runs it:

- local, one file: ``simulate(file)``, the single-process path (``simulate --population FILE``);
- local, dataset: ``simulate_dataset(dir)``, partition after partition in this process;
- Dask, 1 and 2 workers: ``simulate_dataset(dir, engine="dask")`` on a ``LocalCluster`` of that many
  worker processes (one thread each; Polars threads inside each), the cluster's start (and the
  workers' first import of detainerlaw) reported apart, then two runs: the first (workers cold:
  plans compiled on each) and the second.

Results: Dask's tables must equal the local dataset's to the bit, and carry every case of the single
file in the same cells (weights summed in another order: the largest relative difference is printed).
Load averages are printed before and after: the machine may be shared.

    python benchmarks/bench_dask.py                       # 2,000,000 cases in 8 partitions
    python benchmarks/bench_dask.py --n 200000 --partitions 4
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import polars as pl


def warm(scenarios: list[str]) -> None:
    """Compile the law's plans in this process (what any first run pays), on a small population."""
    from detainerlaw.laws.nyc.population.synth import synthesize
    from detainerlaw.simulation import simulate

    simulate(synthesize(2_000, 99), None, scenarios)


def _warm_worker(scenarios: list[str]) -> bool:
    warm(scenarios)
    return True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=2_000_000, help="cases (default 2,000,000)")
    ap.add_argument("--partitions", type=int, default=8, help="partitions of the dataset (default 8)")
    ap.add_argument("--scenario", action="append", help="scenario (repeatable; default baseline)")
    ap.add_argument("--workers", type=int, action="append", help="Dask worker counts (default 1 and 2)")
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    scenarios = args.scenario or ["baseline"]
    counts = args.workers or [1, 2]

    from detainerlaw.laws.nyc.population.synth import synthesize_to_parquet
    from detainerlaw.simulation import simulate
    from detainerlaw.simulation.distributed import connect, simulate_dataset

    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}, Polars {pl.__version__}; load {os.getloadavg()}", flush=True)
    with tempfile.TemporaryDirectory(prefix="bench-dask-") as tmp:
        single, dataset = Path(tmp) / "pop.parquet", Path(tmp) / "pop"
        t0 = time.perf_counter()
        synthesize_to_parquet(single, args.n, args.seed)
        synthesize_to_parquet(dataset, args.n, args.seed, partitions=args.partitions)
        print(f"synthesized {args.n:,} cases twice (one file; {args.partitions} partitions) in "
              f"{time.perf_counter() - t0:.1f} s", flush=True)
        warm(scenarios)
        rows: list[tuple[str, float, float | None, str]] = []

        def timed(label: str, fn, start: float | None = None, note: str = ""):
            t = time.perf_counter()
            result = fn()
            s = time.perf_counter() - t
            rows.append((label, s, start, note))
            print(f"  {label}: {s:.2f} s", flush=True)
            return result

        base = timed("local, one file (single process)", lambda: simulate(single, None, scenarios))
        local = timed("local, dataset", lambda: simulate_dataset(dataset, None, scenarios))
        same: dict[str, bool] = {}
        for n in counts:
            t = time.perf_counter()
            with connect(None, n) as client:
                client.run(_warm_worker, scenarios)  # each worker process compiles the plans once
                started = time.perf_counter() - t
                print(f"  cluster of {n} worker(s) up and warm in {started:.1f} s", flush=True)
                cold = timed(f"Dask, {n} worker{'s' if n > 1 else ''}", lambda c=client: simulate_dataset(
                    dataset, None, scenarios, engine="dask", client=c), started)
                again = timed(f"Dask, {n} worker{'s' if n > 1 else ''} (again)", lambda c=client: simulate_dataset(
                    dataset, None, scenarios, engine="dask", client=c))
            same[f"{n}"] = all(r.table.equals(local.table) and r.long.equals(local.long)
                               and r.public_table().equals(local.public_table()) for r in (cold, again))

    keys = ["scenario", "agency", "action", "outcome", "rule"]
    a, b = base.long.sort(keys, nulls_last=True), local.long.sort(keys, nulls_last=True)
    counted = a.drop("weight").equals(b.drop("weight"))
    rel = ((a["weight"] - b["weight"]).abs() / a["weight"].abs().clip(lower_bound=1e-300)).max()
    cases = args.n * len(scenarios)
    ref = rows[0][1]
    print()
    print(f"simulate, {args.n:,} cases x {len(scenarios)} scenario(s) ({', '.join(scenarios)}), "
          f"{args.partitions} partitions; {os.cpu_count()} cores")
    print(f"{'path':<36} {'seconds':>8} {'cases/s':>11} {'vs one process':>15} {'cluster start':>14}")
    for label, s, start, _ in rows:
        print(f"{label:<36} {s:>8.2f} {cases / s:>11,.0f} {s / ref:>14.2f}x "
              f"{'' if start is None else f'{start:.1f} s':>14}")
    print()
    for n, ok in same.items():
        print(f"Dask with {n} worker(s) = local on the dataset, every cell to the bit: {ok}")
    print(f"dataset = one file: every case in the same cell (counts equal): {counted}; weights summed in "
          f"another order differ by at most {rel:.1e} (relative)")
    print(f"load {os.getloadavg()}")
    if not (all(same.values()) and counted):
        sys.exit("results differ")


if __name__ == "__main__":
    main()

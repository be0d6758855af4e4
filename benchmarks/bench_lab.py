"""The reform lab's re-simulation, timed as the lab's job runs it (``services.simulation_job``: the
simulation, the public table, the lab's view and its report) on a generated population of --n cases
held in memory, as an upload is.

In a fresh process (each of --repeat runs; medians are printed):

- cold: the first job (baseline and a parameter reform: the lookback years of § 9-131), plan
  compilation included; and the whole process (start-up, imports, reading the population) apart;
  once with the plan cache off, once with the plans on disk (``plan_cache``, filled by a run before);
- warm: then each of several reforms new to the process (the lookback years again, the list of
  violent-or-serious crimes, switches, a reading, a state reform, rules switched off), each with the
  baseline, one job each, with the number of plans each compiled (none for a value bound at run);
- again: the first reform once more;
- unshared: the cache of prepared populations emptied, the first reform again (everything but plan
  compilation: what each job cost when no work was shared between jobs).

Beside them, in the same run, each in a fresh process as ``bench_columnar.py`` runs them: the
kernel (``columnar.evaluate_parquet``, the city's layer alone, Parquet to Parquet, plans compiled
beforehand) and the floor (the columns the plans read, read and summed). Peak = max RSS.

    python benchmarks/bench_lab.py --n 1000000
    python benchmarks/bench_lab.py --n 200000 --repeat 1       # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "detainerlaw"
AS_OF = dt.date(2025, 1, 15)
GOALS = {"warm": 1.0, "cold": 3.0}  # seconds, 1M cases


def reforms() -> list[tuple[str, object]]:
    from detainerlaw.scenarios import Scenario, load_scenario

    return [
        ("lookback 4 years", Scenario(name="lookback-4", params={"lookback_years": 4})),
        ("lookback 7 years", Scenario(name="lookback-7", params={"lookback_years": 7})),
        ("crime list: PL 140.20 added, PL 120.05 removed",
         Scenario(name="crimes", params={"vsc_additions": ["PL 140.20"], "vsc_removals": ["PL 120.05"]})),
        ("switch: Int 395-2024 (no NYPD hold)", load_scenario("int-395-2024")),
        ("switch bound at run: a warrant presented later counts (E-8)",
         Scenario(name="jw-later", params={"jw_later_satisfies": True})),
        ("hours bound at run: NYPD window 24 hours", Scenario(name="nypd-24", params={"nypd_hold_hours": 24})),
        ("reading: pending charges count (mayor-2024-02)", load_scenario("mayor-2024-02")),
        ("state: New York For All (ny layer)", load_scenario("ny-for-all")),
        ("rules off: Int 945-2024", load_scenario("int-945-2024")),
    ]


def child(path: str) -> None:
    """The jobs in this (fresh) process."""
    import resource

    t_start = time.perf_counter()
    import importlib

    import polars as pl

    import detainerlaw.simulation as sim
    from detainerlaw.interfaces import services
    from detainerlaw.scenarios import Scenario
    from detainerlaw.simulation import warm

    partitions = importlib.import_module("detainerlaw.engine.columnar.partitions")  # the package names a function so
    compiled = [0]
    compile_snapshot = partitions.compile_snapshot

    def counting(*args: object, **kwargs: object) -> object:
        compiled[0] += 1
        return compile_snapshot(*args, **kwargs)  # type: ignore[arg-type]

    partitions.compile_snapshot = counting  # type: ignore[assignment]

    pop = pl.read_parquet(path)
    t_read = time.perf_counter()
    simulate, spent = sim.simulate, []

    def timed(*args: object, **kwargs: object) -> object:  # the simulation alone, inside the job
        t = time.perf_counter()
        try:
            return simulate(*args, **kwargs)  # type: ignore[arg-type]
        finally:
            spent.append(time.perf_counter() - t)

    sim.simulate = timed  # type: ignore[assignment]

    def job(reform: object) -> tuple[float, float, int]:
        """(the job's seconds, the simulation's seconds within it, the plans it compiled)."""
        t, before = time.perf_counter(), compiled[0]
        services.simulation_job([Scenario(name="baseline"), reform], AS_OF, pop)  # type: ignore[list-item]
        return time.perf_counter() - t, spent[-1], compiled[0] - before

    first = Scenario(name="lookback-3", params={"lookback_years": 3})
    out: dict = {"n": pop.height, "start_s": t_read - t_start}
    out["cold_s"] = job(first)
    out["process_s"] = time.perf_counter() - t_start
    out["warm"] = {name: job(r) for name, r in reforms()}
    out["again_s"] = job(first)
    warm.WARM.clear()
    out["unshared_s"] = job(first)
    out["peak_gb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20
    print(json.dumps(out))


def run(cmd: list[str], cache: Path | None = None) -> dict:
    env = {**os.environ, "DETAINERLAW_PLAN_CACHE": str(cache) if cache else "off"}
    out = subprocess.run(cmd, capture_output=True, text=True, env=env)
    if out.returncode:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--population", type=Path, help="an existing facts-frame Parquet file of --n cases")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(args.child)
        return
    tmp = Path(tempfile.mkdtemp(prefix="bench-lab-"))
    pop = args.population or tmp / "pop.parquet"
    if args.population is None:
        subprocess.run([str(BIN), "population", "synth", "--n", str(args.n), "--out", str(pop)], check=True,
                       capture_output=True)
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    runs = [run([sys.executable, __file__, "--child", str(pop)]) for _ in range(args.repeat)]
    cache = tmp / "plans"
    run([sys.executable, __file__, "--child", str(pop)], cache)  # fills the plan cache
    cached = [run([sys.executable, __file__, "--child", str(pop)], cache) for _ in range(args.repeat)]
    bench_columnar = Path(__file__).with_name("bench_columnar.py")
    kernel = [run([sys.executable, str(bench_columnar), "--child", "columnar", str(pop)])
              for _ in range(args.repeat)]
    floor = [run([sys.executable, str(bench_columnar), "--child", "floor", str(pop)]) for _ in range(args.repeat)]
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def med(xs: list[float]) -> float:
        return statistics.median(xs)

    k, f = med([r["seconds"] for r in kernel]), med([r["seconds"] for r in floor])
    rows = [("cold: first job in a fresh process (baseline + lookback 3), plan cache off",
             [r["cold_s"][0] for r in runs]),
            ("  its simulation alone", [r["cold_s"][1] for r in runs]),
            ("  the whole process to then (start-up, imports, reading the population)",
             [r["process_s"] for r in runs]),
            ("cold: the same, plans from the disk cache", [r["cold_s"][0] for r in cached]),
            ("  its simulation alone", [r["cold_s"][1] for r in cached]),
            ("  the whole process to then", [r["process_s"] for r in cached])]
    for name in runs[0]["warm"]:
        rows += [(f"warm: {name} ({runs[0]['warm'][name][2]} plans compiled)", [r["warm"][name][0] for r in runs]),
                 ("  its simulation alone", [r["warm"][name][1] for r in runs])]
    rows += [("again: lookback 3 once more", [r["again_s"][0] for r in runs]),
             ("  its simulation alone", [r["again_s"][1] for r in runs]),
             ("unshared: the population's cache emptied, lookback 3 again", [r["unshared_s"][0] for r in runs]),
             ("  its simulation alone", [r["unshared_s"][1] for r in runs]),
             ("kernel: evaluate_parquet, the city's layer alone (plans compiled before)",
              [r["seconds"] for r in kernel]),
             ("floor: the columns the plans read, read and summed", [r["seconds"] for r in floor])]
    print(f"{runs[0]['n']:,} cases; medians of {args.repeat} fresh processes; peak "
          f"{med([r['peak_gb'] for r in runs]):.2f} GB (jobs), {med([r['maxrss_gb'] for r in kernel]):.2f} GB (kernel)")
    print(f"{'what':<78} {'median s':>9} {'x kernel':>9} {'x floor':>8}  runs")
    for name, xs in rows:
        m = med(xs)
        print(f"{name:<78} {m:>9.2f} {m / k:>9.2f} {m / f:>8.2f}  {', '.join(f'{x:.2f}' for x in xs)}")
    for i, what in ((1, "simulation"), (0, "whole job")):
        worst = max(med([r["warm"][name][i] for r in runs]) for name in runs[0]["warm"])
        cold = med([r["cold_s"][i] for r in cached])
        print(f"goal ({what}): warm re-simulation under {GOALS['warm']:.0f} s: "
              f"{'met' if worst < GOALS['warm'] else 'missed'} (slowest reform {worst:.2f} s); cold under "
              f"{GOALS['cold']:.0f} s with plans from the disk cache: {'met' if cold < GOALS['cold'] else 'missed'} "
              f"({cold:.2f} s)")


if __name__ == "__main__":
    main()

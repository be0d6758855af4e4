"""The commands people run on populations, timed as they are run (a fresh process each, start-up,
plan compilation and every layer included), beside the columnar kernel and the floor measured in
the same run: the kernel is ``columnar.evaluate_parquet`` of the home layer alone on the same file,
in a fresh process, with its plan compilation reported apart (as ``bench_columnar.py`` does); the
floor reads the columns the kernel's plans read and sums them (``bench_columnar.child_floor``).
The batch to Parquet is timed with the plan cache off, then with the plans on disk (a folder of
this run's own, filled by one untimed run); every later command reads the plans from there.
Each timing is the median of --repeat runs (all runs are printed). Peak = max RSS of the command's
process. Load averages are printed before and after: the machine may be shared.

    python benchmarks/bench_commands.py --n 1000000
    python benchmarks/bench_commands.py --n 200000 --interpreter-n 20000 --jsonl-n 20000     # a quick run
    python benchmarks/bench_commands.py --n 1000000 --only-parquet --repeat 3   # decide --batch to Parquet only
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent / "detainerlaw"
GOAL = 1.5  # decide --batch to Parquet, at most this many times the kernel's time


PLAN_CACHE: dict[str, str] = {"DETAINERLAW_PLAN_CACHE": "off"}  # set by ``bench``: each command's plan cache


def run(cmd: list[str]) -> dict:
    """Wall seconds and peak RSS (GB) of one command in its own process; fails loudly."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, **PLAN_CACHE})
    _, status, usage = os.wait4(proc.pid, 0)
    seconds = time.perf_counter() - t0
    out, err = proc.communicate()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{err[-2000:]}")
    return {"seconds": seconds, "peak_gb": usage.ru_maxrss / 2**20, "cpu_s": usage.ru_utime + usage.ru_stime,
            "stdout": out}


def child_kernel(path: str, out: str) -> None:
    """The kernel in this (fresh) process: compile the home layer's plans, then evaluate the file."""
    import datetime as dt
    import resource

    from detainerlaw.decide import default_pack
    from detainerlaw.engine import columnar as C

    pack = default_pack()
    t0 = time.perf_counter()
    for start in [dt.date(1900, 1, 1), *pack.boundaries()]:
        for agency in pack.agencies:
            C.plan_for(pack, start, agency)
    t1 = time.perf_counter()
    n = C.evaluate_parquet(path, out, pack)
    t2 = time.perf_counter()
    print(json.dumps({"n": n, "compile_s": t1 - t0, "evaluate_s": t2 - t1,
                      "peak_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}))


def _head(path: Path, m: int, out: Path) -> Path:
    import polars as pl

    if not out.exists():
        pl.read_parquet(path, n_rows=m).write_parquet(out)
    return out


def median_run(cmd: list[str], repeat: int) -> dict:
    """``run`` ``repeat`` times: the median seconds (with its run's peak and CPU) and every run's seconds."""
    runs = sorted((run(cmd) for _ in range(repeat)), key=lambda r: r["seconds"])
    mid = dict(runs[(len(runs) - 1) // 2])
    mid["seconds"] = statistics.median(r["seconds"] for r in runs)
    mid["runs"] = [r["seconds"] for r in runs]
    return mid


def bench(n: int, interpreter_n: int, population: Path | None, jsonl_n: int, repeat: int = 1,
          only_parquet: bool = False) -> list[tuple[str, dict]]:
    tmp = Path(tempfile.mkdtemp(prefix="bench-commands-"))
    pop = population or tmp / "pop.parquet"
    if population is None:
        run([str(BIN), "population", "synth", "--n", str(n), "--out", str(pop)])
    rows: list[tuple[str, dict]] = []
    kernels = [json.loads(run([sys.executable, __file__, "--kernel", str(pop), str(tmp / "kernel.parquet")])["stdout"])
               for _ in range(repeat)]
    kernel = dict(sorted(kernels, key=lambda k: k["evaluate_s"])[(repeat - 1) // 2])
    kernel["evaluate_s"] = statistics.median(k["evaluate_s"] for k in kernels)
    rows.append(("kernel: evaluate_parquet, home layer (plans compiled before)",
                 {"seconds": kernel["evaluate_s"], "peak_gb": kernel["peak_gb"],
                  "runs": [k["evaluate_s"] for k in kernels], "note": f"compile {kernel['compile_s']:.2f} s"}))
    floors = [json.loads(run([sys.executable, str(Path(__file__).with_name("bench_columnar.py")), "--child", "floor",
                              str(pop)])["stdout"].strip().splitlines()[-1]) for _ in range(repeat)]
    floor = statistics.median(f["seconds"] for f in floors)
    rows.append(("floor: the kernel's columns read and summed", {"seconds": floor, "peak_gb": floors[0]["maxrss_gb"],
                                                                 "runs": [f["seconds"] for f in floors]}))
    decide = [str(BIN), "decide", "--batch", str(pop)]
    to_parquet = [*decide, "--out", str(tmp / "out.parquet"), "--backend", "columnar"]
    rows.append((f"decide --batch {n:,} .parquet --out .parquet --backend columnar, plan cache off",
                 median_run(to_parquet, repeat)))
    PLAN_CACHE["DETAINERLAW_PLAN_CACHE"] = str(tmp / "plans")  # from here on, plans from the disk cache
    run(to_parquet)  # fills it
    rows.append((f"decide --batch {n:,} .parquet --out .parquet --backend columnar, plans on disk",
                 median_run(to_parquet, repeat)))
    if not only_parquet:
        for backend, m in (("columnar", jsonl_n), ("interpreter", interpreter_n)):
            if m:  # JSON Lines: a Decision object per case, timed on the first m cases
                src = pop if m >= n else _head(pop, m, tmp / f"first-{m}.parquet")
                r = run([str(BIN), "decide", "--batch", str(src), "--out", str(tmp / f"{backend}.jsonl"),
                         "--backend", backend])
                r["cases"] = min(m, n)
                rows.append((f"decide --batch {min(m, n):,} .parquet --out .jsonl --backend {backend}", r))
        sim = [str(BIN), "simulate", "--population", str(pop), "--as-of", "2025-01-15", "--json"]
        rows.append((f"simulate {n:,}, 1 scenario", median_run([*sim, "--scenario", "baseline"], repeat)))
        rows.append((f"simulate {n:,}, 3 scenarios", median_run([*sim, "--scenario", "baseline", "--scenario",
                                                                  "int-945-2024", "--scenario", "no-city-limits"],
                                                                 repeat)))
    for _, r in rows:  # a ratio only for a run over the kernel's cases
        full = r.get("cases", n) == n
        r["vs_kernel"] = r["seconds"] / kernel["evaluate_s"] if full else None
        r["vs_floor"] = r["seconds"] / floor if full else None
    return rows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=1_000_000)
    ap.add_argument("--interpreter-n", type=int, default=50_000,
                    help="cases for the interpreter batch (0: skip); its time scales with the cases, not its memory")
    ap.add_argument("--jsonl-n", type=int, default=None,
                    help="cases for the columnar batch to JSON Lines (default: --n; 0: skip)")
    ap.add_argument("--population", type=Path, help="an existing facts-frame Parquet file of --n cases")
    ap.add_argument("--repeat", type=int, default=1, help="runs of the kernel, the floor, the batch to Parquet and "
                    "simulate (the median is reported)")
    ap.add_argument("--only-parquet", action="store_true", help="the kernel, the floor and decide --batch to Parquet")
    ap.add_argument("--kernel", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.kernel:
        child_kernel(*args.kernel)
        return
    print(f"load average before: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    rows = bench(args.n, args.interpreter_n, args.population, args.n if args.jsonl_n is None else args.jsonl_n,
                 args.repeat, args.only_parquet)
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(f"{'command':<74} {'seconds':>8} {'peak GB':>8} {'x kernel':>9} {'x floor':>8}  runs")
    for name, r in rows:
        ratio = "-" if r["vs_kernel"] is None else f"{r['vs_kernel']:.2f}"
        fl = "-" if r["vs_floor"] is None else f"{r['vs_floor']:.2f}"
        runs = ", ".join(f"{x:.2f}" for x in r.get("runs", [r["seconds"]]))
        print(f"{name:<74} {r['seconds']:>8.2f} {r['peak_gb']:>8.2f} {ratio:>9} {fl:>8}  {runs}  {r.get('note', '')}")
    ratio = rows[3][1]["vs_kernel"]
    print(f"goal: decide --batch to Parquet within {GOAL}x the kernel: {'met' if ratio <= GOAL else 'missed'} "
          f"({ratio:.2f}x, plans on disk)")


if __name__ == "__main__":
    main()

"""Columnar backend throughput: end-to-end cases/s from Parquet and peak memory, with
ratios measured in the same run against (a) the interpreter on a sample, (b) OpenFisca
computing the DOC 2014 hold rule on the same cases (input loading included) and (c) a
memory-bandwidth floor (reading the same columns and summing them).

    python benchmarks/bench_columnar.py --n 1000000 --n 10000000
    python benchmarks/bench_columnar.py --n 200000          # a quick run
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import polars as pl

SEED_CASES = 20_000


def make_frame(n: int, path: Path) -> None:
    """A facts frame of ``n`` cases: 20,000 random cases replicated, each copy's decision
    and arrest shifted by 0-6 days (records stay before the arrest), written to Parquet."""
    import numpy as np

    from detainerlaw.frame import facts_frame
    from detainerlaw.testing.casegen import random_cases

    base = facts_frame(random_cases(SEED_CASES, seed=11)).drop("decided_at")
    reps = -(-n // base.height)
    big = pl.concat([base] * reps).head(n)
    shift = pl.Series(np.random.default_rng(0).integers(0, 7, n), dtype=pl.Int32)
    big = big.with_columns(
        (pl.col("decided_day") + shift).alias("decided_day"),
        (pl.col("decided_minute") + shift.cast(pl.Int64) * 1440).alias("decided_minute"),
        pl.when(pl.col("has_arrest")).then(pl.col("arrest_day") + shift).otherwise(pl.col("arrest_day")),
        (pl.int_range(pl.len()) + 1).cast(pl.String).alias("case_id"),
    )
    big.write_parquet(path)


def child_columnar(path: Path) -> dict:
    """Read, evaluate and write the outcomes (run in a fresh process for its peak memory)."""
    from detainerlaw.decide import default_pack
    from detainerlaw.engine import columnar as C

    pack = default_pack()
    t0 = time.perf_counter()
    for start, agency in {(s.start, s.agency) for a in pack.agencies for s in pack.epochs(a)}:
        C.plan_for(pack, start if start != dt.date.min else dt.date(1900, 1, 1), agency)
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    frame = pl.read_parquet(path)
    t_read = time.perf_counter() - t0
    out = C.evaluate(frame, pack)
    t_eval = time.perf_counter() - t0 - t_read
    out.select("case_id", *[c for a in C.ACTIONS for c in (a, f"{a}_until", f"{a}_rule")]).write_parquet(
        path.with_suffix(".out.parquet"))
    total = time.perf_counter() - t0
    return {"n": frame.height, "seconds": total, "read": t_read, "evaluate": t_eval, "compile_once": compile_s,
            "maxrss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}


def child_floor(path: Path) -> dict:
    """Read the same columns and sum every numeric and boolean leaf."""
    t0 = time.perf_counter()
    frame = pl.read_parquet(path)
    total = 0
    for name, dtype in frame.schema.items():
        col = frame[name]
        if isinstance(dtype, pl.List):
            col = col.explode().struct.unnest()
            for c in col.columns:
                if col[c].dtype.is_numeric() or col[c].dtype == pl.Boolean:
                    total += int(col[c].cast(pl.Int64).sum() or 0)
                elif isinstance(col[c].dtype, (pl.Enum, pl.Categorical)):
                    total += int(col[c].to_physical().cast(pl.Int64).sum() or 0)
        elif dtype.is_numeric() or dtype == pl.Boolean:
            total += int(col.cast(pl.Int64).sum() or 0)
        elif isinstance(dtype, (pl.Enum, pl.Categorical)):
            total += int(col.to_physical().cast(pl.Int64).sum() or 0)
    return {"seconds": time.perf_counter() - t0, "checksum": total,
            "maxrss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}


def run_child(kind: str, path: Path) -> dict:
    out = subprocess.run([sys.executable, __file__, "--child", kind, str(path)], capture_output=True, text=True,
                         check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def interpreter_rate(path: Path, sample: int) -> float:
    from detainerlaw.decide import decide, default_pack
    from detainerlaw.frame import frame_cases

    pack = default_pack()
    cases = frame_cases(pl.read_parquet(path, n_rows=sample))
    decide(cases[0], pack, explain=False)
    t0 = time.perf_counter()
    for c in cases:
        decide(c, pack, explain=False)
    return len(cases) / (time.perf_counter() - t0)


# -- OpenFisca: the DOC 2014 hold rule ------------------------------------------------------

MAX_CONVICTIONS = 3


def openfisca_rate(path: Path) -> float | None:
    """Cases/s of OpenFisca computing § 9-131(b)(1) of 2014 (hold only with a judicial
    warrant and a violent-or-serious judgment within five years of the arrest, or a
    terrorist-screening match), input loading from Parquet included."""
    try:
        import numpy as np
        from openfisca_core.entities import build_entity
        from openfisca_core.periods import YEAR
        from openfisca_core.simulations import SimulationBuilder
        from openfisca_core.taxbenefitsystems import TaxBenefitSystem
        from openfisca_core.variables import Variable
    except ImportError:
        return None
    from detainerlaw.engine.columnar import code, encode_strings
    from detainerlaw.laws.nyc.crimes import statutory_keys

    Person = build_entity(key="person", plural="persons", label="person", is_person=True)

    def var(name: str, dtype: type, formula=None) -> type:
        attrs = {"value_type": dtype, "entity": Person, "definition_period": YEAR, "label": name}
        if formula is not None:
            attrs["formula"] = formula
        return type(name, (Variable,), attrs)

    listed = np.array(sorted(code(k) for k in statutory_keys() if "(" not in k))

    def conviction_recent(k: int):
        def formula(person, period):
            section = person(f"c{k}_section", period)
            vsc = (person(f"c{k}_present", period) & person(f"c{k}_felony", period)
                   & person(f"c{k}_judgment", period) & np.isin(section, listed))
            return vsc & (person(f"c{k}_judgment_day", period) + 5 * 365 > person("arrest_day", period))
        return formula

    def hold(person, period):
        recent = sum(person(f"c{k}_recent", period) for k in range(MAX_CONVICTIONS)) > 0
        return person("judicial_warrant", period) & (recent | person("tsdb", period))

    variables = [var("judicial_warrant", bool), var("tsdb", bool), var("arrest_day", int), var("hold", bool, hold)]
    for k in range(MAX_CONVICTIONS):
        variables += [var(f"c{k}_present", bool), var(f"c{k}_felony", bool), var(f"c{k}_judgment", bool),
                      var(f"c{k}_section", int), var(f"c{k}_judgment_day", int),
                      var(f"c{k}_recent", bool, conviction_recent(k))]
    tbs = TaxBenefitSystem([Person])
    for v in variables:
        tbs.add_variable(v)

    t0 = time.perf_counter()
    frame = pl.read_parquet(path, columns=["judicial_warrant", "terrorist_screening_match", "arrest_day",
                                           "convictions"])
    n = frame.height
    sim = SimulationBuilder().build_default_simulation(tbs, n)
    sim.set_input("judicial_warrant", "2015", frame["judicial_warrant"].to_numpy())
    sim.set_input("tsdb", "2015", frame["terrorist_screening_match"].to_numpy())
    sim.set_input("arrest_day", "2015", frame["arrest_day"].to_numpy().astype(np.int32))
    conv = frame["convictions"]
    for k in range(MAX_CONVICTIONS):
        item = conv.list.get(k, null_on_oob=True).struct.unnest()
        present = item["level"].is_not_null().to_numpy()
        sim.set_input(f"c{k}_present", "2015", present)
        sim.set_input(f"c{k}_felony", "2015", (item["level"].cast(pl.String) == "felony").fill_null(False)
                      .to_numpy())
        sim.set_input(f"c{k}_judgment", "2015", item["has_judgment"].fill_null(False).to_numpy())
        section = encode_strings(item["section"].fill_null("none")).cast(pl.Int32)
        sim.set_input(f"c{k}_section", "2015", section.to_numpy())
        sim.set_input(f"c{k}_judgment_day", "2015", item["judgment_day"].fill_null(0).to_numpy().astype(np.int32))
    sim.calculate("hold", "2015")
    return n / (time.perf_counter() - t0)


def bench(n: int, sample: int) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"facts_{n}.parquet"
        t0 = time.perf_counter()
        make_frame(n, path)
        gen = time.perf_counter() - t0
        col = run_child("columnar", path)
        floor = run_child("floor", path)
        interp = interpreter_rate(path, sample)
        of = openfisca_rate(path)
    rate = n / col["seconds"]
    return {
        "n": n, "generate_s": round(gen, 1), "seconds": round(col["seconds"], 2), "read_s": round(col["read"], 2),
        "evaluate_s": round(col["evaluate"], 2), "compile_all_plans_s": round(col["compile_once"], 2),
        "cases_per_s": round(rate), "peak_rss_gb": round(col["maxrss_gb"], 2),
        "interpreter_cases_per_s": round(interp), "vs_interpreter": round(rate / interp, 1),
        "openfisca_doc2014_hold_cases_per_s": round(of) if of else None,
        "vs_openfisca": round(rate / of, 2) if of else "openfisca-core not installed",
        "floor_s": round(floor["seconds"], 2), "floor_peak_rss_gb": round(floor["maxrss_gb"], 2),
        "vs_floor": round(col["seconds"] / floor["seconds"], 1),
    }


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, action="append", help="cases (repeatable); default 1M and 10M")
    ap.add_argument("--sample", type=int, default=2000, help="cases for the interpreter rate")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        kind, path = args.child
        print(json.dumps((child_columnar if kind == "columnar" else child_floor)(Path(path))))
        return
    for n in args.n or [1_000_000, 10_000_000]:
        print(json.dumps(bench(n, args.sample)), flush=True)


if __name__ == "__main__":
    main()

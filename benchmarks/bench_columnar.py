"""Columnar backend throughput: end-to-end cases/s from Parquet and peak memory, with
ratios measured in the same run against (a) the interpreter on a sample, (b) OpenFisca
computing the DOC 2014 hold rule on the same cases (input loading included) and (c) a
memory-bandwidth floor (reading the same columns and summing them). Each timing is the
median of ``--repeat`` runs (default 3), each in a fresh process; every run is printed.

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
    and arrest shifted by 0-6 days (records stay before the arrest), written to Parquet as
    ``population synth`` writes a population (``frame.write_frame``)."""
    import numpy as np

    from detainerlaw.frame import facts_frame, write_frame
    from detainerlaw.laws.nyc.casegen import random_cases

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
    write_frame(big, path)


def child_columnar(path: Path) -> dict:
    """Read, evaluate and write the outcomes (run in a fresh process for its peak memory):
    ``columnar.evaluate_parquet`` reads the columns the plans need in row-group chunks and
    writes case_id and every action's outcome, until and deciding rules."""
    from detainerlaw.decide import default_pack
    from detainerlaw.engine import columnar as C

    pack = default_pack()
    t0 = time.perf_counter()
    for start in [dt.date(1900, 1, 1), *pack.boundaries()]:
        for agency in pack.agencies:
            for kind in (None, *pack.schema.fields["kind"]):
                C.plan_fingerprint(pack, start, agency, kind=kind)
    C.day_tables()
    compile_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    n = C.evaluate_parquet(path, path.with_suffix(".out.parquet"), pack)
    total = time.perf_counter() - t0
    return {"n": n, "seconds": total, "compile_once": compile_s,
            "maxrss_gb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20}


def child_floor(path: Path) -> dict:
    """Read the same columns as ``child_columnar`` (those the plans need, and case_id) the
    same way (into the same memory pool) and sum every leaf (dictionary codes for strings,
    lengths for case_id)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    from detainerlaw.decide import default_pack
    from detainerlaw.engine import columnar as C
    from detainerlaw.engine.columnar.parquet import _chunk_pool

    pack = default_pack()
    need = C.plan_needs([C.plan_for(pack, s, a) for s in [dt.date(1900, 1, 1), *pack.boundaries()]
                         for a in pack.agencies])
    pa.set_memory_pool(_chunk_pool())  # the pool the kernel reads into (``evaluate_parquet``)
    t0 = time.perf_counter()
    pf, cols, _ = C._parquet_columns(path, pack.schema, need, ("case_id",))
    total = 0

    def leaves(arr: pa.Array):
        if pa.types.is_large_list(arr.type) or pa.types.is_list(arr.type):
            yield from leaves(arr.flatten())
        elif pa.types.is_struct(arr.type):
            for f in arr.flatten():
                yield from leaves(f)
        elif pa.types.is_dictionary(arr.type):
            yield arr.indices
        elif pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type):
            yield pc.utf8_length(arr)
        else:
            yield arr

    for i in range(pf.num_row_groups):
        table = pf.read_row_group(i, columns=cols)
        for col in table.columns:
            for ch in col.chunks:
                for leaf in leaves(ch):
                    total += int(pc.sum(leaf.cast(pa.int64())).as_py() or 0)
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
    for c in cases:  # a warm-up pass: the interpreter's caches filled, as the columnar plans are compiled
        decide(c, pack, explain=False)
    t0 = time.perf_counter()
    for c in cases:
        decide(c, pack, explain=False)
    return len(cases) / (time.perf_counter() - t0)


# -- OpenFisca: the DOC 2014 hold rule ------------------------------------------------------

DOC_2014 = dt.date(2014, 12, 14)


def _rule_sets() -> dict[tuple[str, int], frozenset]:
    """The statute sets of the DOC 2014 hold rule, read from its lowered expression:
    (field, rank by size) -> keys (section 0: listed sections; section 1: sections listed
    only with a subdivision; sub1 0 and sub2 0: those subdivisions)."""
    from detainerlaw.decide import default_pack
    from detainerlaw.engine import expr as E
    from detainerlaw.engine.lower import lower_action

    found: dict[str, set] = {}

    def walk(e: object) -> None:
        if isinstance(e, E.In) and isinstance(e.arg, E.Var):
            found.setdefault(e.arg.name, set()).add(e.values)
        for k in getattr(e, "__dataclass_fields__", {}):
            v = getattr(e, k)
            for c in v if isinstance(v, tuple) else (v,):
                if isinstance(c, E.Expr):
                    walk(c)

    walk(lower_action(default_pack().snapshot(DOC_2014, "doc"), "hold").outcome)
    return {(f, i): s for f, sets in found.items() for i, s in enumerate(sorted(sets, key=len, reverse=True))}


def _load_encoded(path: Path, need: dict) -> object:
    from detainerlaw.decide import default_pack
    from detainerlaw.engine import columnar as C

    return C.read_parquet_encoded(path, default_pack().schema, need)


def openfisca_rate(path: Path) -> dict | None:
    """OpenFisca computing § 9-131(b)(1) of 2014 for DOC (nyc/doc@2014-12-14) on every case:
    a civil-immigration detainer from a federal requester may be honoured only with a
    judicial warrant (no later warrant time) and either a terrorist-screening match or a
    conviction with a judgment (not youthful offender, not juvenile delinquency) for a
    violent or serious felony (listed section or listed subdivision, inchoate forms, hate
    crimes, VTL 600; outside New York: a predicate felony for a listed offense) whose
    judgment, five calendar years later plus the days of violent-or-serious incarceration
    since the offense (overlaps counted once), is after the instant arrest. One variable
    per conviction and incarceration slot (OpenFisca has no item lists); input loading
    from Parquet included. Returns cases/s and the agreement with the columnar outcome."""
    try:
        import numpy as np
        from openfisca_core.entities import build_entity
        from openfisca_core.periods import YEAR
        from openfisca_core.simulations import SimulationBuilder
        from openfisca_core.taxbenefitsystems import TaxBenefitSystem
        from openfisca_core.variables import Variable
    except ImportError:
        return None
    from detainerlaw.engine.columnar import code

    sets = {k: np.array(sorted(code(x) for x in v)) for k, v in _rule_sets().items()}
    Person = build_entity(key="person", plural="persons", label="person", is_person=True)

    def var(name: str, dtype: type, formula=None) -> type:
        attrs = {"value_type": dtype, "entity": Person, "definition_period": YEAR, "label": name}
        if formula is not None:
            attrs["formula"] = formula
        return type(name, (Variable,), attrs)

    epoch = np.datetime64("1970-01-01")
    ordinal0 = dt.date(1970, 1, 1).toordinal()

    def add_years(day, years: int):
        d = epoch + (day - ordinal0).astype("timedelta64[D]")
        month = d.astype("datetime64[M]")
        dom = (d - month.astype("datetime64[D]")).astype(np.int64)
        target = month + np.timedelta64(12 * years, "M")
        last = (target + np.timedelta64(1, "M")).astype("datetime64[D]") - np.timedelta64(1, "D")
        out = np.minimum(target.astype("datetime64[D]") + dom.astype("timedelta64[D]"), last)
        return (out - epoch).astype(np.int64) + ordinal0

    def conviction_recent(k: int, n_inc: int):
        def formula(person, period):
            g = lambda name: person(f"c{k}_{name}", period)  # noqa: E731
            section = g("section")
            listed = np.isin(section, sets[("section", 0)]) | (
                np.isin(section, sets[("section", 1)])
                & (np.isin(g("sub1"), sets[("sub1", 0)]) | np.isin(g("sub2"), sets[("sub2", 0)])))
            fel = g("felony")
            plain = g("inchoate_none")
            ny_vsc = (fel & plain & listed) | (fel & g("hate_crime")) | (~plain & fel & listed) | (fel & g("vtl600"))
            vsc = (g("present") & g("has_judgment") & ~g("youthful_offender") & ~g("juvenile_delinquent")
                   & ((g("ny") & ny_vsc) | (~g("ny") & g("predicate_felony") & listed)))
            arrest = person("arrest_day", period).astype(np.int64)
            lo = np.where(g("has_offense"), g("offense_day"), g("judgment_day")).astype(np.int64)
            # union of the VSC incarceration spells within [lo, arrest): sort by start, sweep
            s = np.stack([np.maximum(person(f"i{j}_start", period), lo) for j in range(n_inc)], axis=1)
            t = np.stack([np.minimum(person(f"i{j}_end", period), arrest) for j in range(n_inc)], axis=1)
            ok = np.stack([person(f"i{j}_vsc", period) for j in range(n_inc)], axis=1) & (t > s)
            s, t = np.where(ok, s, np.iinfo(np.int64).max), np.where(ok, t, np.iinfo(np.int64).min)
            order = np.argsort(s, axis=1, kind="stable")
            s, t = np.take_along_axis(s, order, 1), np.take_along_axis(t, order, 1)
            days = np.zeros(len(arrest), dtype=np.int64)
            reach = np.full(len(arrest), np.iinfo(np.int64).min)
            for j in range(n_inc):
                ok_j = t[:, j] > s[:, j]
                days += np.where(ok_j, np.clip(t[:, j] - np.maximum(s[:, j], reach), 0, None), 0)
                reach = np.where(ok_j, np.maximum(reach, t[:, j]), reach)
            return vsc & (add_years(g("judgment_day").astype(np.int64), 5) + days > arrest)
        return formula

    t0 = time.perf_counter()
    need = {"": {"kind", "purpose", "requester", "judicial_warrant", "has_jw_at", "terrorist_screening_match",
                 "arrest_day", "agency", "decided_day"},
            "convictions": {"section", "sub1", "sub2", "level", "inchoate", "ny", "has_judgment", "judgment_day",
                            "has_offense", "offense_day", "youthful_offender", "juvenile_delinquent", "hate_crime",
                            "predicate_felony"},
            "incarcerations": {"start_day", "end_day", "for_vsc"}}
    enc = _load_encoded(path, need)
    cases, n = enc.cases, enc.n
    lens = {k: pl.Series(np.diff(enc.offsets[k])) for k in ("convictions", "incarcerations")}
    n_conv, n_inc = int(lens["convictions"].max() or 0), max(int(lens["incarcerations"].max() or 0), 1)

    def hold(person, period):
        gate = person("detainer", period) & person("civil", period) & person("federal", period)
        recent = sum(person(f"c{k}_recent", period) for k in range(n_conv)) > 0 if n_conv else False
        warrant = person("judicial_warrant", period) & ~person("has_jw_at", period)
        return gate & warrant & (recent | person("tsdb", period))

    variables = [var(v, bool) for v in ("detainer", "civil", "federal", "judicial_warrant", "has_jw_at", "tsdb")]
    variables += [var("arrest_day", int), var("hold", bool, hold)]
    conv_bool = ("present", "felony", "inchoate_none", "ny", "has_judgment", "has_offense", "youthful_offender",
                 "juvenile_delinquent", "hate_crime", "predicate_felony", "vtl600")
    conv_int = ("section", "sub1", "sub2", "judgment_day", "offense_day")
    for k in range(n_conv):
        variables += [var(f"c{k}_{v}", bool) for v in conv_bool] + [var(f"c{k}_{v}", int) for v in conv_int]
        variables.append(var(f"c{k}_recent", bool, conviction_recent(k, n_inc)))
    for j in range(n_inc):
        variables += [var(f"i{j}_start", int), var(f"i{j}_end", int), var(f"i{j}_vsc", bool)]
    tbs = TaxBenefitSystem([Person])
    for v in variables:
        tbs.add_variable(v)
    sim = SimulationBuilder().build_default_simulation(tbs, n)
    P = "2015"

    def codes(col: str, *words: str):
        return cases[col].is_in([code(w) for w in words]).to_numpy()

    sim.set_input("detainer", P, codes("kind", "detainer"))
    sim.set_input("civil", P, codes("purpose", "civil_immigration"))
    sim.set_input("federal", P, codes("requester", "federal_immigration", "other_federal"))
    sim.set_input("judicial_warrant", P, cases["judicial_warrant"].to_numpy())
    sim.set_input("has_jw_at", P, cases["has_jw_at"].to_numpy())
    sim.set_input("tsdb", P, cases["terrorist_screening_match"].to_numpy())
    sim.set_input("arrest_day", P, cases["arrest_day"].to_numpy().astype(np.int32))
    for name, width, slot in (("convictions", n_conv, "c"), ("incarcerations", n_inc, "i")):
        items, start, ln = enc.items(name), pl.Series(enc.offsets[name][:n]), lens[name]
        for k in range(width):
            present = (ln > k)
            idx = pl.select(pl.when(present).then(start + k).otherwise(None)).to_series()
            it = items.select(pl.all().gather(idx))
            if slot == "c":
                cols = {
                    "present": present, "felony": it["level"] == code("felony"),
                    "inchoate_none": it["inchoate"] == code("none"), "vtl600": it["section"] == code("VTL 600"),
                    **{v: it[v] for v in conv_bool[3:10]}, **{v: it[v] for v in ("section", "sub1", "sub2")},
                    "judgment_day": it["judgment_day"], "offense_day": it["offense_day"],
                }
            else:
                cols = {"start": it["start_day"], "end": it["end_day"], "vsc": it["for_vsc"] & present}
            for v, s in cols.items():
                arr = s.fill_null(0 if s.dtype != pl.Boolean else False).to_numpy()
                sim.set_input(f"{slot}{k}_{v}", P, arr.astype(np.int32) if arr.dtype.kind in "iu" else arr)
    held = sim.calculate("hold", P)
    return {"rate": n / (time.perf_counter() - t0), "held": held, "max_convictions": n_conv,
            "max_incarcerations": n_inc}


def columnar_hold_rate(path: Path) -> dict:
    """The columnar backend on the same single action (DOC 2014 hold, every case under that
    law), input loading from Parquet included."""
    from detainerlaw.decide import default_pack
    from detainerlaw.engine import columnar as C

    snapshot = default_pack().snapshot(DOC_2014, "doc")
    plan = C.compile_snapshot(snapshot, ("hold",))
    t0 = time.perf_counter()
    enc = _load_encoded(path, C.plan_needs([plan]))
    res = C.run_plan(plan, enc, pl.Series(range(enc.n), dtype=pl.Int64), params=snapshot.params)
    permitted = (res["_o:hold"] == 1).to_numpy()
    return {"rate": enc.n / (time.perf_counter() - t0), "held": permitted}


def _median_run(kind: str, path: Path, repeat: int) -> dict:
    """The run of median time among ``repeat`` fresh-process runs, with every run's seconds
    and the highest peak memory (this machine's speed drifts by about 10 % between runs)."""
    runs = sorted((run_child(kind, path) for _ in range(repeat)), key=lambda r: r["seconds"])
    return {**runs[len(runs) // 2], "runs": [round(r["seconds"], 2) for r in runs],
            "maxrss_gb": max(r["maxrss_gb"] for r in runs)}


def bench(n: int, sample: int, repeat: int = 3) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"facts_{n}.parquet"
        t0 = time.perf_counter()
        # in a child: a child's peak memory counts its parent's memory at the fork
        subprocess.run([sys.executable, __file__, "--make", str(n), str(path)], check=True)
        gen = time.perf_counter() - t0
        col = _median_run("columnar", path, repeat)
        floor = _median_run("floor", path, repeat)
        interp = sorted(interpreter_rate(path, sample) for _ in range(repeat))[repeat // 2]
        of = openfisca_rate(path)
        hold = columnar_hold_rate(path)
    rate = n / col["seconds"]
    out = {
        "n": n, "generate_s": round(gen, 1), "seconds": round(col["seconds"], 2), "seconds_runs": col["runs"],
        "compile_all_plans_s": round(col["compile_once"], 2),
        "cases_per_s": round(rate), "peak_rss_gb": round(col["maxrss_gb"], 2),
        "interpreter_cases_per_s": round(interp), "vs_interpreter": round(rate / interp, 1),
        "columnar_doc2014_hold_cases_per_s": round(hold["rate"]),
        "floor_s": round(floor["seconds"], 2), "floor_peak_rss_gb": round(floor["maxrss_gb"], 2),
        "vs_floor": round(col["seconds"] / floor["seconds"], 1),
    }
    if of is None:
        out["vs_openfisca"] = "openfisca-core not installed"
        return out
    out.update({
        "openfisca_doc2014_hold_cases_per_s": round(of["rate"]),
        "openfisca_slots": [of["max_convictions"], of["max_incarcerations"]],
        "openfisca_agrees": f"{int((of['held'] == hold['held']).sum())}/{n}",
        "vs_openfisca_same_rule": round(hold["rate"] / of["rate"], 2),
        "vs_openfisca_all_actions": round(rate / of["rate"], 2),
    })
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, action="append", help="cases (repeatable); default 1M and 10M")
    ap.add_argument("--sample", type=int, default=2000, help="cases for the interpreter rate")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each timing (the median is reported)")
    ap.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    ap.add_argument("--make", nargs=2, help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.repeat < 1:
        ap.error("--repeat: at least 1")
    if args.make:
        make_frame(int(args.make[0]), Path(args.make[1]))
        return
    if args.child:
        kind, path = args.child
        print(json.dumps((child_columnar if kind == "columnar" else child_floor)(Path(path))))
        return
    for n in args.n or [1_000_000, 10_000_000]:
        print(json.dumps(bench(n, args.sample, args.repeat)), flush=True)


if __name__ == "__main__":
    main()

"""In-process latency of one decision on the example cases.

Measures decide(explain=False), decide(explain=True), evaluate_action alone on pre-built
facts, and a naive hand-written Python version of the DOC 2014 hold rule (§ 9-131(b)(1))
as a baseline; prints p50/p99 per call, the ratio to the baseline, throughput and the
peak memory of deciding every example (tracemalloc). Goal: <= 50 us per decision
without rendering the explanation. Run: .venv/bin/python benchmarks/bench_decide.py
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import statistics
import time
import tracemalloc
from importlib.resources import files

from detainerlaw.decide import decide, default_pack
from detainerlaw.engine.interpreter import evaluate_action
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.crimes import statutory_keys
from detainerlaw.laws.nyc.facts import case_facts
from detainerlaw.laws.nyc.statutes import parse_statute, subdivision_suffix

GOAL_US = 50.0


def examples() -> list[Case]:
    root = files("detainerlaw").joinpath("data/examples")
    out = []
    for p in sorted(root.iterdir(), key=lambda p: p.name):
        if p.name.endswith(".json"):
            out.append(Case.model_validate(json.loads(p.read_text())["case"]))
    return out


# -- the naive baseline: § 9-131(b)(1) (LL 58/2014) written by hand ----------------------

LISTED = statutory_keys()
LISTED_SECTIONS = frozenset(k for k in LISTED if "(" not in k)


def _add_years(d: dt.date, n: int) -> dt.date:
    try:
        return d.replace(year=d.year + n)
    except ValueError:
        return d.replace(year=d.year + n, day=28)


def naive_doc_2014_hold(case: Case) -> str:
    r, p = case.request, case.person
    if r.kind.value != "detainer" or r.purpose.value != "civil_immigration":
        return "not_governed"
    if not r.judicial_warrant or r.judicial_warrant_at is not None:
        return "prohibited"
    if p.terrorist_screening_match:
        return "permitted"
    arrest = case.instant_arrest_date
    for c in p.convictions:
        if c.judgment_date is None or c.youthful_offender or c.juvenile_delinquent or arrest is None:
            continue
        if c.jurisdiction.upper() == "NY":
            st = parse_statute(c.statute, strict=True)
            key = f"{st.code} {st.section}"
            listed = key in LISTED_SECTIONS or key + subdivision_suffix(c.subdivision) in LISTED
            vsc = c.level.value == "felony" and (
                listed or c.hate_crime or (st.code == "VTL" and st.section == "600"))
        else:
            vsc = c.predicate_felony and c.equivalent_statute is not None and (
                c.equivalent_statute in LISTED_SECTIONS)
        if not vsc:
            continue
        start = c.offense_date or c.judgment_date
        spells = sorted((max(i.start, start), min(i.end, arrest)) for i in p.incarcerations
                        if i.for_violent_or_serious)
        served, cur_s, cur_e = 0, None, None
        for s, e in spells:
            if e <= s:
                continue
            if cur_e is None or s > cur_e:
                if cur_e is not None:
                    served += (cur_e - cur_s).days
                cur_s, cur_e = s, e
            else:
                cur_e = max(cur_e, e)
        if cur_e is not None:
            served += (cur_e - cur_s).days
        if _add_years(c.judgment_date, 5) + dt.timedelta(days=served) > arrest:
            return "permitted"
    return "prohibited"


# -- timing ------------------------------------------------------------------------------


def per_call_us(fn, items, rounds: int) -> list[float]:
    """Time each call separately (ns clock), ``rounds`` passes over ``items``."""
    samples = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for it in items:
            t0 = clock()
            fn(it)
            samples.append((clock() - t0) / 1000)
    return samples


def pct(samples: list[float], q: float) -> float:
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * len(s)))]


def report(name: str, samples: list[float]) -> tuple[float, float]:
    p50, p99 = pct(samples, 0.50), pct(samples, 0.99)
    print(f"  {name:<44} p50 {p50:9.1f} us   p99 {p99:9.1f} us   mean {statistics.fmean(samples):9.1f} us")
    return p50, p99


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rounds", type=int, default=200, help="passes over the example cases")
    args = ap.parse_args()

    cases = examples()
    pack = default_pack()
    doc_2014 = [c for c in cases if c.agency.value == "doc" and c.request.kind.value == "detainer"
                and c.decided_date >= dt.date(2014, 12, 14)]
    # pre-built facts for evaluate_action alone
    prepared = []
    for c in cases:
        snap = pack.snapshot(c.decided_date, c.agency.value)
        facts = case_facts(c)
        for action in pack.engaged(c.agency.value, c.request.kind.value):
            prepared.append((snap, action, facts))

    # warm-up (caches, snapshots, holiday tables)
    for c in cases:
        decide(c, explain=True)
        decide(c, explain=False)
    for c in doc_2014:
        assert naive_doc_2014_hold(c) == decide(c, explain=False).actions["hold"].outcome.value, c

    gc.collect()
    gc.disable()
    try:
        print(f"{len(cases)} example cases x {args.rounds} rounds; {len(doc_2014)} DOC 2014+ detainers; "
              f"{len(prepared)} (snapshot, action, facts) triples")
        print("latency per call")
        no_render, _ = report("decide(explain=False)", per_call_us(lambda c: decide(c, explain=False), cases,
                                                                  args.rounds))
        render, _ = report("decide(explain=True)", per_call_us(lambda c: decide(c, explain=True), cases,
                                                              args.rounds))
        ev, _ = report("evaluate_action (pre-built facts, no trace)",
                       per_call_us(lambda t: evaluate_action(t[0], t[1], t[2]), prepared, args.rounds))
        report("case_facts (flattening only)", per_call_us(case_facts, cases, args.rounds))
        doc_engine, _ = report("decide(explain=False), DOC 2014 detainers",
                               per_call_us(lambda c: decide(c, explain=False), doc_2014, args.rounds * 3))
        doc_eval, _ = report("evaluate_action hold, DOC 2014 detainers",
                             per_call_us(lambda t: evaluate_action(t[0], "hold", t[1]),
                                         [(pack.snapshot(c.decided_date, "doc"), case_facts(c)) for c in doc_2014],
                                         args.rounds * 3))
        naive, _ = report("naive hand-written DOC 2014 hold rule", per_call_us(naive_doc_2014_hold, doc_2014,
                                                                              args.rounds * 3))
    finally:
        gc.enable()

    print("ratios (p50)")
    print(f"  decide(explain=False) / naive baseline, DOC 2014 detainers : {doc_engine / naive:6.1f}x")
    print(f"  evaluate_action(hold) / naive baseline                     : {doc_eval / naive:6.1f}x")
    print(f"  decide(explain=True)  / decide(explain=False), all examples: {render / no_render:6.1f}x")

    n = len(cases) * args.rounds
    t0 = time.perf_counter()
    for _ in range(args.rounds):
        for c in cases:
            decide(c, explain=False)
    elapsed = time.perf_counter() - t0
    print(f"throughput: {n / elapsed:,.0f} decisions/s without explanation ({n} decisions in {elapsed:.2f} s)")
    t0 = time.perf_counter()
    for _ in range(max(1, args.rounds // 4)):
        for c in cases:
            decide(c, explain=True)
    elapsed = time.perf_counter() - t0
    print(f"throughput: {len(cases) * max(1, args.rounds // 4) / elapsed:,.0f} decisions/s with explanation")

    tracemalloc.start()
    for c in cases:
        decide(c, explain=False)
    _, peak_plain = tracemalloc.get_traced_memory()
    tracemalloc.reset_peak()
    for c in cases:
        decide(c, explain=True)
    _, peak_tree = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"peak memory (tracemalloc) deciding all {len(cases)} examples: {peak_plain / 1024:,.0f} KiB without, "
          f"{peak_tree / 1024:,.0f} KiB with explanation")
    verdict = "meets" if no_render <= GOAL_US else "misses"
    print(f"goal <= {GOAL_US:.0f} us per decision without rendering: p50 {no_render:.1f} us ({verdict} the goal)")


if __name__ == "__main__":
    main()

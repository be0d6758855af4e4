"""The columnar backend against the interpreter: outcomes, until and citations on
generated cases; the vectorized date arithmetic against calendar.py; batch round trips."""

from __future__ import annotations

import datetime as dt
import json
import random

import polars as pl
import pyarrow as pa
import pytest

from detainerlaw.batch import run_batch
from detainerlaw.decide import decide, default_pack
from detainerlaw.engine import columnar as C
from detainerlaw.engine import expr as E
from detainerlaw.engine.calendar import add_years, counting_hours_end, minute
from detainerlaw.engine.interpreter import evaluate_expr
from detainerlaw.engine.lower import branch_citations
from detainerlaw.frame import facts_arrow, facts_frame, frame_cases, write_frame
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.casegen import random_cases
from detainerlaw.laws.nyc.facts import SCHEMA, case_facts

N_CASES = 20_000


@pytest.fixture(scope="module")
def pack():
    return default_pack()


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return random_cases(N_CASES, seed=2024)


def test_differential(pack, cases):
    frame = facts_frame(cases)
    out = C.evaluate(frame, pack)
    assert out.height == len(cases)
    seen_versions, seen = set(), set()
    disagreements = []
    for case, row in zip(cases, out.iter_rows(named=True), strict=True):
        d = decide(case, pack, explain=False)
        snap = pack.snapshot(case.decided_date, case.agency.value)
        seen_versions.add(snap.version)
        seen.add((case.agency.value, case.request.kind.value))
        for a in C.pack_actions(pack):
            if a not in d.actions:
                if row[a] is not None:
                    disagreements.append((row["case_id"], a, "engaged", None, row[a]))
                continue
            r = d.actions[a].by_layer["nyc"]  # one pack: the city layer (test_columnar_layers.py: the stack)
            want = (r.outcome.value, minute(r.until) if r.until else None, r.citations)
            got = (row[a], row[f"{a}_until"], C.label_citations(snap, a, row[f"{a}_rule"]))
            if want != got:
                disagreements.append((row["case_id"], a, want, got))
    assert not disagreements, disagreements[:5]
    assert seen == {(a, k) for a in pack.agencies for k in pack.schema.fields["kind"]}
    all_versions = {s.version for a in pack.agencies for s in pack.epochs(a)}
    assert seen_versions >= {v for v in all_versions if v.split("@")[1] >= "2012-03-21"}


def test_frame_round_trip(cases):
    sample = cases[:500]
    frame = facts_frame(sample)
    assert frame_cases(frame) == sample
    # a frame without the raw columns (a synthesized population) rebuilds the same facts
    keys_only = frame.drop("decided_at").with_columns(
        pl.col(name).list.eval(pl.struct([pl.element().struct.field(k) for k in fields]))
        for name, fields in SCHEMA.lists.items()
    )
    rebuilt = frame_cases(keys_only)
    assert [case_facts(c) for c in rebuilt] == [case_facts(c) for c in sample]


def test_write_frame_declares_facts_required(tmp_path, pack, cases):
    """A written facts frame reads back equal, with each ``SCHEMA`` column and record field
    required and the raw columns nullable; a null in a facts column is refused by name."""
    import pyarrow.parquet as pq

    frame = facts_frame(cases[:800])
    path = tmp_path / "f.parquet"
    write_frame(frame, path)
    assert pl.read_parquet(path).equals(frame)
    schema = pq.ParquetFile(path).schema_arrow
    assert not schema.field("agency").nullable and schema.field("decided_at").nullable
    record = schema.field("convictions").type.value_field
    assert not record.nullable
    assert not record.type.field("conviction_day").nullable and record.type.field("statute").nullable
    out, ref = tmp_path / "o.parquet", tmp_path / "r.parquet"
    C.evaluate_parquet(path, out, pack)
    frame.write_parquet(tmp_path / "polars.parquet")
    C.evaluate_parquet(tmp_path / "polars.parquet", ref, pack)
    assert pl.read_parquet(out).equals(pl.read_parquet(ref))
    with pytest.raises(ValueError, match="judicial_warrant"):
        facts_arrow(frame.with_columns(pl.lit(None, dtype=pl.Boolean).alias("judicial_warrant")))


def test_integer_flags_read_as_booleans(tmp_path, pack, cases):
    """Flag columns stored as 0/1 integers decide as the same flags stored as booleans."""
    frame = facts_frame(cases[:400])
    flags = [k for k, t in SCHEMA.fields.items() if t == "bool"]
    as_ints = frame.with_columns(pl.col(k).cast(pl.Int8) for k in flags)
    out = {}
    for name, f in (("bool", frame), ("int", as_ints)):
        f.write_parquet(tmp_path / f"{name}.parquet")
        C.evaluate_parquet(tmp_path / f"{name}.parquet", tmp_path / f"{name}.out.parquet", pack)
        out[name] = pl.read_parquet(tmp_path / f"{name}.out.parquet")
    assert out["int"].equals(out["bool"])


def test_overlapping_calls_restore_the_pool(tmp_path, pack, cases):
    """Overlapping evaluate_parquet calls leave Arrow's default pool and the collector as
    they found them."""
    import gc
    from concurrent.futures import ThreadPoolExecutor

    frame = facts_frame(cases[:600])
    frame.write_parquet(tmp_path / "in.parquet", row_group_size=100)
    pool, collecting = pa.default_memory_pool().backend_name, gc.isenabled()
    with ThreadPoolExecutor(max_workers=3) as ex:
        done = list(ex.map(lambda k: C.evaluate_parquet(tmp_path / "in.parquet", tmp_path / f"o{k}.parquet", pack,
                                                        chunk_rows=100), range(3)))
    assert done == [600] * 3
    assert pa.default_memory_pool().backend_name == pool and gc.isenabled() == collecting


def test_epochs_table(pack):
    """The day-to-epoch table agrees with a search of the boundaries, on each boundary, the
    day before it, and days far outside them."""
    import numpy as np

    bounds = [d.toordinal() for d in pack.boundaries()]
    days = np.array([1, 700_000, 800_000, *bounds, *(b - 1 for b in bounds), *(b + 1 for b in bounds)],
                    dtype=np.int32)
    want = np.searchsorted(np.array(bounds), days.astype(np.int64), side="right")
    assert C._epochs(pack, C.BASELINE, days).tolist() == want.tolist()


@pytest.mark.parametrize("offset", [0, 3, 8, 13])
def test_bools_from_bitmap(offset):
    """Booleans unpacked from an Arrow bitmap, also for a slice starting inside a byte."""
    values = [random.Random(offset).random() < 0.5 for _ in range(70)]
    arr = pa.array(values).slice(offset, 50)
    assert C._bools(arr).tolist() == values[offset:offset + 50]


def _frame_of_days(days: list[dt.datetime]) -> pl.DataFrame:
    cases = [Case.model_validate({"agency": "doc", "decided_at": d.isoformat(), "request": {"kind": "detainer"}})
             for d in days]
    return facts_frame(cases)


EDGE_DAYS = [
    dt.date(2000, 2, 29), dt.date(2004, 2, 29), dt.date(2012, 2, 29), dt.date(2011, 2, 28), dt.date(2011, 3, 1),
    dt.date(1999, 12, 31), dt.date(2000, 1, 1), dt.date(2015, 12, 31), dt.date(2016, 2, 28), dt.date(2024, 2, 29),
]


@pytest.mark.parametrize("years", [-10, -5, -1, 1, 4, 5, 10, 100])
def test_add_years(years):
    r = random.Random(years)
    days = EDGE_DAYS + [dt.date(1990, 1, 1) + dt.timedelta(days=r.randrange(20000)) for _ in range(200)]
    frame = _frame_of_days([dt.datetime.combine(d, dt.time()) for d in days])
    got = C.evaluate_exprs(frame, {"y": E.AddYears(E.Field("decided_day"), years)})["y"].to_list()
    assert got == [add_years(d.toordinal(), years) for d in days]


@pytest.mark.parametrize("hours", [0, 1, 24, 48, 72, 100])  # 0: a reform of the window (nypd_hold_hours: 0)
def test_counting_hours_end(hours):
    r = random.Random(hours)
    starts = []
    # around federal holidays (observed dates included), weekends and year ends
    for d in [dt.date(2015, 12, 24), dt.date(2020, 7, 2), dt.date(2021, 12, 30), dt.date(2022, 12, 23),
              dt.date(2018, 11, 21), dt.date(2021, 6, 17), dt.date(2017, 1, 13), dt.date(2016, 2, 12)]:
        for off in range(-2, 5):
            for t in (dt.time(0, 0), dt.time(0, 1), dt.time(12, 0), dt.time(23, 59)):
                starts.append(dt.datetime.combine(d + dt.timedelta(days=off), t))
    starts += [dt.datetime(2011, 1, 1) + dt.timedelta(minutes=r.randrange(16 * 525600)) for _ in range(300)]
    frame = _frame_of_days(starts)
    got = C.evaluate_exprs(frame, {"e": E.CountingHoursEnd(E.Field("decided_minute"), hours)})["e"].to_list()
    assert got == [counting_hours_end(minute(s), hours) for s in starts]


def test_union_days(cases):
    sample = [c for c in cases if len(c.person.incarcerations) >= 1][:1500]
    frame = facts_frame(sample)
    exprs = {
        "all": E.UnionDays("i", "incarcerations", E.TRUE, E.Const(0), E.Field("decided_day")),
        "vsc": E.UnionDays("i", "incarcerations", E.Var("i", "for_vsc"), E.Field("arrest_day") - 3000,
                           E.Field("arrest_day")),
        "nested": E.Count("c", "convictions", E.UnionDays(
            "i", "incarcerations", E.Var("i", "for_vsc"), E.Var("c", "conviction_day"), E.Field("arrest_day")) > 30),
    }
    got = C.evaluate_exprs(frame, exprs)
    for name, e in exprs.items():
        assert got[name].to_list() == [evaluate_expr(e, case_facts(c)) for c in sample], name


def test_union_days_overlaps():
    spells = [("2010-01-01", "2010-03-01", True), ("2010-02-01", "2010-04-01", True),
              ("2010-03-15", "2010-03-20", True), ("2011-01-01", "2011-01-01", True),
              ("2010-05-01", "2010-06-01", False), ("2009-01-01", "2012-01-01", False)]
    case = Case.model_validate({
        "agency": "doc", "decided_at": "2013-01-01", "request": {"kind": "detainer"},
        "person": {"incarcerations": [{"start": s, "end": t, "for_violent_or_serious": v} for s, t, v in spells]},
    })
    e = E.UnionDays("i", "incarcerations", E.Var("i", "for_vsc"), E.Const(dt.date(2010, 1, 10).toordinal()),
                    E.Field("decided_day"))
    got = C.evaluate_exprs(facts_frame([case]), {"u": e})["u"].to_list()
    assert got == [evaluate_expr(e, case_facts(case))] == [(dt.date(2010, 4, 1) - dt.date(2010, 1, 10)).days]


@pytest.mark.parametrize("backend", ["interpreter", "columnar"])
@pytest.mark.parametrize("fmt_in,fmt_out", [("jsonl", "jsonl"), ("parquet", "parquet"), ("jsonl", "parquet")])
def test_batch_round_trip(tmp_path, cases, backend, fmt_in, fmt_out):
    sample = cases[:300]
    inp = tmp_path / f"in.{fmt_in}"
    if fmt_in == "jsonl":
        inp.write_text("".join(c.model_dump_json() + "\n" for c in sample))
    else:
        facts_frame(sample).write_parquet(inp)
    out = tmp_path / f"out.{fmt_out}"
    assert run_batch(inp, out, backend=backend) == len(sample)
    want = [decide(c, explain=False) for c in sample]
    if fmt_out == "jsonl":
        lines = out.read_text().splitlines()
        assert len(lines) == len(sample)
        for line, d in zip(lines, want, strict=True):
            got = json.loads(line)
            assert got["law"]["version"] == d.law.version
            for a, r in d.actions.items():
                g = got["actions"][a]
                assert (g["outcome"], g["citations"], g["conditions"]) == (r.outcome.value, r.citations, r.conditions)
                assert g["until"] == (r.until.isoformat() if r.until else None)
            assert set(got["actions"]) == set(d.actions)
    else:
        df = pl.read_parquet(out)
        assert set(df.columns) >= {"case_id", "action", "outcome", "until", "citations"}
        expected = [(str(i + 1), a, r.outcome.value, r.until, r.citations)
                    for i, d in enumerate(want) for a, r in d.actions.items()]
        got = [(r["case_id"], r["action"], r["outcome"], r["until"], r["citations"]) for r in df.iter_rows(named=True)]
        assert got == expected


def test_batch_bad_input(tmp_path):
    inp = tmp_path / "bad.jsonl"
    inp.write_text('{"agency": "doc", "decided_at": "2015-01-01", "request": {"kind": "detainer"}}\n'
                   '{"agency": "doc", "decided_at": "2015-01-01", "request": {"kind": "nope"}}\n')
    for backend in ("interpreter", "columnar"):
        with pytest.raises(ValueError, match=r"line 2.*request\.kind"):
            run_batch(inp, tmp_path / "out.jsonl", backend=backend)
    with pytest.raises(ValueError, match="backend"):
        run_batch(inp, tmp_path / "out.jsonl", backend="nope")


def test_evaluate_parquet(tmp_path, pack, cases):
    """Chunked evaluation from Parquet (needed columns only) gives the columns of ``evaluate``."""
    frame = facts_frame(cases[:3000])
    inp = tmp_path / "in.parquet"
    frame.write_parquet(inp, row_group_size=500)
    out = tmp_path / "out.parquet"
    pool = pa.default_memory_pool().backend_name
    assert C.evaluate_parquet(inp, out, pack, chunk_rows=1200) == frame.height
    assert pa.default_memory_pool().backend_name == pool  # the chunk pool is for the call only
    actions = C.pack_actions(pack)
    cols = [c for a in actions for c in (a, f"{a}_until", f"{a}_rule")]
    want = C.evaluate(frame, pack).select("case_id", *cols).with_columns(
        pl.col(f"{a}_rule").cast(pl.String) for a in actions)
    got = pl.read_parquet(out)
    assert all(got[f"{a}_rule"].dtype == pl.Categorical for a in actions)  # dictionary codes
    got = got.with_columns(pl.col(f"{a}_rule").cast(pl.String) for a in actions)
    assert got.columns == want.columns
    assert got.with_columns(pl.col(a).cast(pl.String) for a in actions).equals(
        want.with_columns(pl.col(a).cast(pl.String) for a in actions))
    empty = tmp_path / "empty.parquet"
    frame.head(0).write_parquet(empty)
    assert C.evaluate_parquet(empty, tmp_path / "out0.parquet", pack) == 0
    assert pl.read_parquet(tmp_path / "out0.parquet").height == 0


def test_one_plan_across_epochs_keeps_row_order(pack, cases):
    """NYPD detainers decided on either side of 2015-02-12 (a change to DOC's § 9-131 only)
    share one plan; interleaved, each result still lands on its own row."""
    nypd = [c for c in cases if c.agency.value == "nypd" and c.request.kind.value == "detainer"
            and dt.date(2014, 12, 14) <= c.decided_date < dt.date(2015, 7, 1)]
    before = [c for c in nypd if c.decided_date < dt.date(2015, 2, 12)]
    after = [c for c in nypd if c.decided_date >= dt.date(2015, 2, 12)]
    assert before and after
    assert C.plan_fingerprint(pack, dt.date(2014, 12, 14), "nypd", kind="detainer") == C.plan_fingerprint(
        pack, dt.date(2015, 2, 12), "nypd", kind="detainer")
    mixed = [c for pair in zip(after, before) for c in pair]
    out = C.evaluate(facts_frame(mixed), pack)
    for case, row in zip(mixed, out.iter_rows(named=True), strict=True):
        d = decide(case, pack, explain=False)
        for a, result in d.actions.items():
            r = result.by_layer["nyc"]  # one pack: the city layer's answer
            want = (r.outcome.value, minute(r.until) if r.until else None)
            assert (row[a], row[f"{a}_until"]) == want, row["case_id"]


def test_actions_schema_and_citations_come_from_the_pack(pack, cases):
    """The backend reads the pack's facts schema, request kinds and actions, and gives a
    bare section the code its rule is cited under."""
    assert C.pack_actions(pack)[:6] == ("hold", "notify_release", "share_information", "office", "facility_access",
                                        "honor_criminal_warrant")
    assert set(C.pack_actions(pack)) == {a for ag in pack.agencies for k in pack.schema.fields["kind"]
                                         for a in pack.engaged(ag, k)}
    assert SCHEMA is pack.schema
    out = C.evaluate(facts_frame(cases[:50]), pack)
    assert [c for c in out.columns if c.endswith("_rule")] == [f"{a}_rule" for a in C.pack_actions(pack)]
    snap = pack.snapshot(dt.date(2015, 1, 1), "doc")
    rule = next(r for r in snap.actions["hold"] if r.id == "nyc.9-131.b.2014")
    assert C.citation_code(rule) == "NYC Admin. Code "
    branches = range(len(rule.exceptions) + 1)
    assert any(c.startswith("§") for b in branches for c in branch_citations(rule, b))
    assert all(c.startswith(("NYC Admin. Code §", "8 C.F.R.")) for b in branches
               for c in C.label_citations(snap, "hold", f"{rule.id}#{b}"))


def test_evaluate_exprs_with_a_schema(cases):
    """Expressions read the frame as the given schema states, or as the frame's column types
    say (the same NumPy types for a facts frame)."""
    frame = facts_frame(cases[:100])
    exprs = {"n": E.Count("c", "convictions", E.Var("c", "ny")), "m": E.Field("decided_minute"),
             "k": E.In(E.Field("kind"), ("detainer",))}
    plan = C.compile_snapshot(None, (), exprs)
    inferred = C.frame_schema(frame, C.plan_needs([plan]))
    assert inferred.fields["decided_minute"] == "minute" and inferred.fields["kind"] == "key"
    assert inferred.lists == {"convictions": {"ny": "bool"}}
    assert C.evaluate_exprs(frame, exprs).equals(C.evaluate_exprs(frame, exprs, SCHEMA))

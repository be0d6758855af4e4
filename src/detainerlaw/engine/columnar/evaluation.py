"""``evaluate``: a facts frame's partitions evaluated by their plans (two plans at once
when partitions are small), and the results put back in row order as outcome, until and
rule-label columns."""

from __future__ import annotations

import datetime as dt
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import polars as pl
import pyarrow as pa

from detainerlaw.engine.columnar.encoding import Encoded, encode
from detainerlaw.engine.columnar.execution import View, run_plan, view
from detainerlaw.engine.columnar.labels import _rule_lut
from detainerlaw.engine.columnar.partitions import _group_of, bound_params, pack_actions, partitions, plan_for
from detainerlaw.engine.columnar.plans import Plan, plan_needs
from detainerlaw.engine.lower import NO_UNTIL
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import OUTCOMES

_OUT_T = pl.Enum(list(OUTCOMES))
THREADS = 3  # partition plans evaluated concurrently (three keep two cores busy past the GIL)


def evaluate(frame: pl.DataFrame, pack: LawPack, reform: Reform = BASELINE) -> pl.DataFrame:
    """``frame`` with, per action, ``{action}`` (the outcome; null when the request does not
    engage the action), ``{action}_until`` (minutes, null if none) and ``{action}_rule``
    (the deciding rules as ``id#branch`` joined by ``+``; ``parse_rule_label`` and
    ``lower.branch_citations`` give the citations)."""
    n = frame.height
    if n == 0:
        return frame.with_columns(
            *[pl.lit(None, dtype=t).alias(a + s) for a in pack_actions(pack)
              for s, t in (("", _OUT_T), ("_until", pl.Int64), ("_rule", pl.String))]
        )
    for k in ("agency", "decided_day"):
        if frame[k].null_count():
            raise ValueError(f"{k}: null values")
    parts = partitions(frame, pack, reform)
    # the columns of the plans that run (each for the actions its request kind engages): compiling
    # every action's plan of each epoch and agency only to learn its columns cost seconds per process
    need = plan_needs([plan_for(pack, start, agency, reform, _group_of(pack, start, agency, reform, kind)[1])
                       for start, agency, kind in {p[:3] for p in parts}])
    enc = encode(frame, pack.schema, need)
    labels: dict[str, int] = {}
    out = _evaluate_encoded(enc, parts, pack, reform, labels)
    names = list(labels)
    label_enum = pl.Series(names, dtype=pl.Enum(names))
    return frame.hstack(_result_columns(out, label_enum, pack_actions(pack)))


def _result_columns(out: pa.Table, labels: pl.Series, actions: tuple[str, ...]) -> list[pl.Series]:
    out_enum = pl.Series(OUTCOMES, dtype=_OUT_T)
    res = pl.from_arrow(out)
    cols = []
    for a in actions:
        cols += [out_enum.gather(res[a]).rename(a), res[f"{a}_until"],
                 labels.gather(res[f"{a}_rule"]).rename(f"{a}_rule")]
    return cols


def _bitmap(valid: np.ndarray | None) -> pa.Buffer | None:
    """An Arrow validity bitmap (None: all valid)."""
    return None if valid is None or valid.all() else pa.py_buffer(np.packbits(valid, bitorder="little"))


def _masked(values: np.ndarray, bits: pa.Buffer | None) -> pa.Array:
    """An Arrow array over ``values`` (no copy) with validity ``bits``."""
    return pa.Array.from_buffers(pa.from_numpy_dtype(values.dtype), len(values), [bits, pa.py_buffer(values)])


# One action's answers on every row: outcome codes (index into OUTCOMES, uint8), until (minutes,
# NO_UNTIL for none), rule label codes (uint32) and the rows that engage it (None: every row).
Answer = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]


def _row_arrays(n: int, parts: list[tuple[np.ndarray, dict[str, np.ndarray]]],
                actions: tuple[str, ...]) -> dict[str, Answer | None]:
    """Per action of ``actions``: its ``Answer`` over all ``n`` rows, from each group's (rows,
    results of the actions it engages), each value written once to its row (None when no row
    engages the action)."""
    out: dict[str, Answer | None] = {}
    for a in actions:
        have = [(rows, res) for rows, res in parts if f"_o:{a}" in res]
        if not have:
            out[a] = None
            continue
        idx = np.concatenate([rows for rows, _ in have])
        engaged = None
        if len(idx) < n:
            engaged = np.zeros(n, dtype=bool)
            engaged[idx] = True
        cols = []
        for key, fill, dtype in (("_o", 0, np.uint8), ("_u", NO_UNTIL, np.int64), ("_r", 0, np.uint32)):
            v = np.full(n, fill, dtype=dtype)
            v[idx] = np.concatenate([res[f"{key}:{a}"] for _, res in have])
            cols.append(v)
        if (cols[1] == NO_UNTIL).all():  # no until on any row: one value, not a column
            cols[1] = np.broadcast_to(np.int64(NO_UNTIL), (n,))
        out[a] = (cols[0], cols[1], cols[2], engaged)
    return out


def _arrow_answers(n: int, answers: dict[str, Answer | None]) -> pa.Table:
    """Per action: outcome (index into OUTCOMES), until and rule label (index into the labels)
    as Arrow arrays over the answers' buffers, null where a row does not engage the action
    (validity bitmaps; an until of NO_UNTIL is null too)."""
    cols: dict[str, pa.Array] = {}
    for a, ans in answers.items():
        if ans is None:
            cols.update({a: pa.nulls(n, pa.uint8()), f"{a}_until": pa.nulls(n, pa.int64()),
                         f"{a}_rule": pa.nulls(n, pa.uint32())})
            continue
        o, u, r, engaged = ans
        bits = _bitmap(engaged)  # shared by the outcome and the rule label
        cols[a] = _masked(o, bits)
        if u.strides == (0,):  # none on any row
            cols[f"{a}_until"] = pa.nulls(n, pa.int64())
        else:
            cols[f"{a}_until"] = _masked(u, _bitmap(u != NO_UNTIL))  # not engaged: NO_UNTIL too
        cols[f"{a}_rule"] = _masked(r, bits)
    return pa.table(cols)


def _in_row_order(n: int, parts: list[tuple[np.ndarray, dict[str, np.ndarray]]],
                  actions: tuple[str, ...]) -> pa.Table:
    """Per action of ``actions``: outcome (index into OUTCOMES), until and rule label (index
    into the labels) over all ``n`` rows, from each group's (rows, results of the actions it
    engages); null where a row does not engage the action (``_row_arrays``, ``_arrow_answers``)."""
    return _arrow_answers(n, _row_arrays(n, parts, actions))


def _job_results(plan: Plan, root: pl.DataFrame, labels: dict[str, int]) -> dict[str, np.ndarray]:
    """A group's outcomes, untils and rule labels as NumPy arrays, from its plan's root frame."""
    out = {}
    for a, (o, u, bs) in plan.outputs.items():
        out[f"_o:{a}"] = root[o].to_numpy().astype(np.uint8, copy=False)
        out[f"_u:{a}"] = root[u].to_numpy().astype(np.int64, copy=False)
        lut, weight = _rule_lut(plan.lowered[a], labels)
        key = np.zeros(len(root), dtype=np.int64)
        for b, w in zip(bs, weight, strict=True):
            key += (root[b].to_numpy().astype(np.int64) + 1) * w
        out[f"_r:{a}"] = lut[key]
    return out


def _evaluate_encoded(enc: Encoded, parts: list, pack: LawPack, reform: Reform,
                      labels: dict[str, int]) -> pa.Table:
    """Per action: the outcome (index into OUTCOMES), until and rule label (index into
    ``labels``), in the row order of ``enc`` (see ``_in_row_order``)."""
    return _arrow_answers(enc.n, _evaluate_answers(enc, parts, pack, reform, labels))


def _evaluate_answers(enc: Encoded | View, parts: list, pack: LawPack, reform: Reform,
                      labels: dict[str, int]) -> dict[str, Answer | None]:
    """Per action of the pack: its ``Answer`` on every row of ``enc`` (rule labels numbered in
    ``labels``), from the partitions ``parts`` (``partitions``) run by their plans."""
    cases = enc if isinstance(enc, View) else view(enc)  # item bounds per case, computed once
    groups: dict[int, tuple[dt.date, str, tuple[str, ...], list[pl.Series]]] = {}
    for start, agency, kind, rows in parts:  # partitions whose plans are the same run together
        gid, acts = _group_of(pack, start, agency, reform, kind)
        groups.setdefault(gid, (start, agency, acts, []))[3].append(rows)
    jobs = []
    for start, agency, acts, row_parts in groups.values():
        rows = pl.concat(row_parts) if len(row_parts) > 1 else row_parts[0]
        jobs.append((plan_for(pack, start, agency, reform, acts), rows, bound_params(pack, start, agency, reform)))
    if sum(len(j[1]) for j in jobs) != cases.enc.n:
        raise AssertionError("columnar: rows lost")
    return _row_arrays(cases.enc.n, run_jobs(cases, jobs, labels), pack_actions(pack))


def run_jobs(cases: View, jobs: list[tuple[Plan, pl.Series, dict]],
             labels: dict[str, int]) -> list[tuple[np.ndarray, dict[str, np.ndarray]]]:
    """Each (plan, rows, parameter values) run: (the rows as indices, the outcomes, untils and rule
    labels of the plan's actions on them), two or three plans at once when there are several."""
    for plan, _, _ in jobs:  # the labels are numbered in a fixed order, before any thread runs
        for a in plan.outputs:
            _rule_lut(plan.lowered[a], labels)

    def run(job: tuple) -> dict[str, np.ndarray]:
        plan, rows, params = job
        return _job_results(plan, run_plan(plan, cases, rows, True, params), labels) if plan.outputs else {}

    if len(jobs) > 1 and THREADS > 1:  # small partitions leave cores idle: run two plans at once
        order = sorted(range(len(jobs)), key=lambda i: -len(jobs[i][1]))
        with ThreadPoolExecutor(max_workers=THREADS) as pool:
            done = dict(zip(order, pool.map(run, [jobs[i] for i in order]), strict=True))
        res_parts = [done[i] for i in range(len(jobs))]
    else:
        res_parts = [run(j) for j in jobs]
    return [(j[1].to_numpy().astype(np.intp, copy=False), r) for j, r in zip(jobs, res_parts, strict=True)]

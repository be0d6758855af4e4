"""Microsimulation: one population decided under several scenarios, counted.

``simulate(population, as_of, scenarios)`` evaluates every case of a facts frame under
each scenario (a ``Reform`` overlay, possibly with its own as-of date) and tallies the
weighted outcomes of the three actions that reach ICE: holding a person past release
(``hold``), notifying ICE of the release (``notify_release``) and answering an ICE
inquiry (``share_information``), by agency and by the rule that decided them.

Evaluation goes through one function, ``evaluator()``: the columnar (Polars) backend
when it is installed, otherwise the single-case interpreter row by row. A population is
checked first (``check_population``): a column missing, of the wrong type or holding a
null is one ValueError naming it, whichever backend runs.

Every aggregate that leaves the server goes through one rule, ``suppress``: a count of
fewer than ``SUPPRESS_BELOW`` weighted cases (other than zero) is shown as null.
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED
from detainerlaw.frame import CHUNK_ROWS, FrameFile, open_frame
from detainerlaw.scenarios import Scenario, load_scenario

ACTIONS = ("hold", "notify_release", "share_information", "office", "facility_access", "honor_criminal_warrant")
COUNTED = ("hold", "notify_release", "share_information")
OUTCOMES = ("permitted", "required", "prohibited", "not_governed")
SUPPRESS_BELOW = 10.0
# Published counts are rounded to a multiple of this: suppression alone is undone by subtraction (a rule's
# row against the agencies', the summary against the table, one scenario against another), and rounding
# leaves each such difference uncertain by about the threshold.
ROUND_TO = 10
Progress = Callable[[int, int, str], None]
Evaluate = Callable[[pl.DataFrame, LawPack, Reform], pl.DataFrame]


# -- evaluation backends -----------------------------------------------------------------


def evaluator(backend: str | None = None) -> tuple[str, Evaluate]:
    """The backend to evaluate facts frames with: ``(name, evaluate)``, each deciding every layer
    of the place (``pack`` standing for the home layer) and combining them. ``None``: columnar."""
    if backend == "interpreter":
        return "interpreter", interpret_frame
    if backend not in (None, "columnar"):
        raise ValueError(f"backend: {backend!r} is not one of columnar, interpreter")
    return "columnar", columnar_frame


def columnar_frame(frame: pl.DataFrame, pack: LawPack, reform: Reform = BASELINE) -> pl.DataFrame:
    """The columnar backend over the place's stack of layers (``engine.columnar.layers``)."""
    from detainerlaw.engine.columnar.layers import evaluate_stack
    from detainerlaw.jurisdictions import layered

    return evaluate_stack(frame, layered(pack, reform))


def interpret_frame(frame: pl.DataFrame, pack: LawPack, reform: Reform = BASELINE) -> pl.DataFrame:
    """The columnar backend's contract (combined ``{action}``, ``{action}_until``, ``{action}_rule``),
    computed by the interpreter one row at a time, layer by layer."""
    from detainerlaw.decide import preempts
    from detainerlaw.engine.columnar.labels import rule_label
    from detainerlaw.engine.columnar.layers import LAYER_SEP
    from detainerlaw.engine.interpreter import evaluate_action
    from detainerlaw.engine.layers import follow
    from detainerlaw.jurisdictions import layered

    stack = layered(pack, reform)
    out: dict[str, list] = {f"{a}{s}": [] for a in ACTIONS for s in ("", "_until", "_rule")}
    snaps: dict[tuple[str, int, str], Any] = {}
    for facts in frame.iter_rows(named=True):
        agency, day = facts["agency"], facts["decided_day"]
        engaged = {a for _, p, _ in stack for a in p.engaged(agency, facts["kind"])}
        for a in ACTIONS:
            if a not in engaged:
                for suffix in ("", "_until", "_rule"):
                    out[f"{a}{suffix}"].append(None)
                continue
            outs, pre, untils, labels = [], [], [], []
            for lid, p, rf in stack:
                snap = snaps.get((lid, day, agency))
                if snap is None:
                    snap = snaps[(lid, day, agency)] = p.snapshot(dt.date.fromordinal(day), agency, rf)
                if a not in p.engaged(agency, facts["kind"]):
                    outs.append(NOT_GOVERNED), pre.append(False), untils.append(None), labels.append(None)
                    continue
                ev, _ = evaluate_action(snap, a, facts)
                branches = [(r.rule, 0 if r.branch is None else r.rule.ranked().index(r.branch) + 1)
                            for r in ev.deciding]
                outs.append(ev.outcome)
                pre.append(preempts(ev))
                untils.append(ev.until)
                labels.append(f"{lid}:{rule_label(branches)}" if branches else None)
            outcome, deciding, _ = follow(outs, pre)
            limits = [untils[i] for i in deciding if untils[i] is not None and outs[i] == PERMITTED]
            out[a].append(outcome)
            out[f"{a}_until"].append(min(limits) if outcome == PERMITTED and limits else None)
            picked = [labels[i] for i in deciding if labels[i]]
            out[f"{a}_rule"].append(LAYER_SEP.join(picked) if len(stack) > 1 else
                                    (picked[0].split(":", 1)[1] if picked else None))
    cols = {}
    for k, v in out.items():
        cols[k] = pl.Series(k, v, dtype=pl.Int64 if k.endswith("_until") else pl.String)
    return frame.with_columns(**cols)


# -- dates -------------------------------------------------------------------------------


def with_as_of(frame: pl.DataFrame, as_of: dt.date) -> pl.DataFrame:
    """Every case decided on ``as_of`` at its own time of day. The instant arrest and the
    record keep their dates (the law measures lookbacks to the arrest, register E-19), and
    a later judicial warrant keeps its delay after the decision."""
    target = as_of.toordinal()
    shift = (pl.lit(target, dtype=pl.Int64) - pl.col("decided_day").cast(pl.Int64)) * 1440
    return frame.with_columns(
        pl.lit(target).cast(frame.schema["decided_day"]).alias("decided_day"),
        (pl.col("decided_minute").cast(pl.Int64) + shift).cast(frame.schema["decided_minute"]).alias("decided_minute"),
        pl.when(pl.col("has_jw_at"))
        .then(pl.col("jw_at_minute").cast(pl.Int64) + shift)
        .otherwise(pl.col("jw_at_minute"))
        .cast(frame.schema["jw_at_minute"])
        .alias("jw_at_minute"),
    )


# -- the result --------------------------------------------------------------------------


@dataclass
class SimulationResult:
    """Weighted outcome counts per scenario; ``long`` has one row per
    (scenario, agency, action, outcome, rule)."""

    scenarios: list[Scenario]
    as_of: dt.date | None
    long: pl.DataFrame
    population_rows: int
    population_weight: float
    backend: str
    seconds: float
    meta: dict = field(default_factory=dict)

    @property
    def names(self) -> list[str]:
        return [s.name for s in self.scenarios]

    @property
    def table(self) -> pl.DataFrame:
        """Weighted counts, one column per scenario, rows by breakdown: ``all`` (every
        agency), ``agency`` (key = agency) and ``rule`` (key = the deciding rule's id)."""
        lg = self.long
        parts = [
            lg.group_by("scenario", "action", "outcome").agg(pl.col("weight").sum())
            .with_columns(pl.lit("all").alias("breakdown"), pl.lit("all").alias("key")),
            lg.group_by("scenario", "agency", "action", "outcome").agg(pl.col("weight").sum())
            .with_columns(pl.lit("agency").alias("breakdown"), pl.col("agency").alias("key")).drop("agency"),
            lg.group_by("scenario", "rule", "action", "outcome").agg(pl.col("weight").sum())
            .with_columns(pl.lit("rule").alias("breakdown"), pl.col("rule").fill_null("(none)").alias("key"))
            .drop("rule"),
        ]
        cols = ["breakdown", "key", "action", "outcome", "scenario", "weight"]
        stacked = pl.concat([p.select(cols) for p in parts])
        wide = stacked.pivot(on="scenario", index=["breakdown", "key", "action", "outcome"], values="weight")
        for name in self.names:
            if name not in wide.columns:
                wide = wide.with_columns(pl.lit(None, dtype=pl.Float64).alias(name))
        order = {"all": 0, "agency": 1, "rule": 2}
        return (
            wide.select("breakdown", "key", "action", "outcome", *self.names)
            .with_columns(pl.col(n).fill_null(0.0) for n in self.names)
            .sort(pl.col("breakdown").replace_strict(order, return_dtype=pl.Int32), "key", "action", "outcome")
        )

    def summary(self) -> pl.DataFrame:
        """Headline per scenario and action: weighted requests engaged, permitted (or
        required), prohibited and not governed, with the share permitted."""
        lg = self.long
        g = lg.group_by("scenario", "action").agg(
            pl.col("weight").sum().alias("engaged"),
            pl.col("weight").filter(pl.col("outcome").is_in(["permitted", "required"])).sum().alias("permitted"),
            pl.col("weight").filter(pl.col("outcome") == "prohibited").sum().alias("prohibited"),
            pl.col("weight").filter(pl.col("outcome") == "not_governed").sum().alias("not_governed"),
        ).with_columns((pl.col("permitted") / pl.col("engaged")).alias("share_permitted"))
        order = {n: i for i, n in enumerate(self.names)}
        aorder = {a: i for i, a in enumerate(COUNTED)}
        return g.sort(pl.col("scenario").replace_strict(order, return_dtype=pl.Int32),
                      pl.col("action").replace_strict(aorder, return_dtype=pl.Int32))

    def public_summary(self, threshold: float = SUPPRESS_BELOW) -> pl.DataFrame:
        """``summary`` with small counts suppressed, with a second outcome of the same row wherever the
        total and the other outcomes would give a suppressed one back (and their share with them)."""
        outcomes = [c for c in ("permitted", "required", "prohibited", "not_governed") if c in self.summary().columns]
        summary = protect(self.summary(), outcomes, threshold, across=True)
        summary = suppress(summary, ["engaged"], threshold).with_columns(rounded(pl.col("engaged")).alias("engaged"))
        # The share from the published counts, not the raw ones: a raw ratio of two weighted sums gives the
        # counts back exactly when cases carry equal weights.
        return summary.with_columns(
            pl.when(pl.col("permitted").is_null() | pl.col("engaged").is_null() | (pl.col("engaged") == 0)).then(None)
            .otherwise((pl.col("permitted") / pl.col("engaged")).round(3)).alias("share_permitted")
        )

    def public_table(self, threshold: float = SUPPRESS_BELOW) -> pl.DataFrame:
        """``table`` with every cell below ``threshold`` weighted cases (other than 0) replaced by null
        (small cells can identify people), a second cell of the same breakdown wherever the ``all``
        row would give a suppressed one back by subtraction, and counts in whole numbers."""
        return protect(self.table, self.names, threshold, by=["breakdown", "action", "outcome"])

    def to_json(self, *, public: bool = True, threshold: float = SUPPRESS_BELOW) -> str:
        """The result as JSON; ``public`` suppresses cells below ``threshold``."""
        table = self.public_table(threshold) if public else self.table
        summary = self.public_summary(threshold) if public else self.summary()
        rows, weight = self.population_rows, self.population_weight
        if public:
            rows, weight = suppress_value(rows, threshold), suppress_value(weight, threshold)
        doc = {
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "backend": self.backend,
            "seconds": round(self.seconds, 3),
            "population": {"rows": rows, "weight": weight},
            "suppression": {
                "applied": public,
                "threshold": threshold,
                "note": f"cells with fewer than {threshold:g} weighted cases (other than zero) are shown as null; "
                        f"other counts are rounded to the nearest {ROUND_TO}",
            },
            "scenarios": [
                {"name": s.name, "title": s.title, "description": s.description, "source": s.source,
                 "as_of": (s.as_of or self.as_of).isoformat() if (s.as_of or self.as_of) else None}
                for s in self.scenarios
            ],
            "summary": summary.to_dicts(),
            "table": table.to_dicts(),
        }
        return json.dumps(doc, indent=2, default=str)


def suppress(df: pl.DataFrame, columns: list[str], threshold: float = SUPPRESS_BELOW) -> pl.DataFrame:
    """Null out cells of ``columns`` with 0 < value < ``threshold``."""
    return df.with_columns(
        pl.when((pl.col(c) > 0) & (pl.col(c) < threshold)).then(None).otherwise(pl.col(c)).alias(c)
        for c in columns
    )


def protect(df: pl.DataFrame, columns: list[str], threshold: float = SUPPRESS_BELOW, *,
            by: list[str] | None = None, across: bool = False) -> pl.DataFrame:
    """``suppress``, then complementary suppression, then whole numbers. A published total lets a single
    suppressed cell be recovered by subtracting the cells beside it; so wherever a group (rows sharing
    ``by`` other than the ``all`` breakdown, each of ``columns`` apart; or, ``across``, the ``columns`` of
    one row) holds exactly one suppressed cell, its smallest other non-zero cell is suppressed too."""
    rows = df.to_dicts()

    def hide(cells: list[tuple[dict, str]]) -> None:
        small = [(r, c) for r, c in cells if r[c] is not None and 0 < r[c] < threshold]
        for r, c in small:
            r[c] = None
        if len(small) == 1:
            rest = sorted(((r[c], id(r), r, c) for r, c in cells if r[c] is not None and r[c] > 0),
                          key=lambda x: x[:2])
            if rest:
                rest[0][2][rest[0][3]] = None

    if across:
        for r in rows:
            hide([(r, c) for c in columns])
    else:
        groups: dict[tuple, list[dict]] = {}
        for r in rows:
            if r.get("breakdown") != "all":
                groups.setdefault(tuple(r[k] for k in by or []), []).append(r)
        for r in rows:  # the ``all`` rows: suppressed on their own
            if r.get("breakdown") == "all":
                for c in columns:
                    if r[c] is not None and 0 < r[c] < threshold:
                        r[c] = None
        for members in groups.values():
            for c in columns:
                hide([(r, c) for r in members])
    out = pl.DataFrame(rows, schema=df.schema)
    return out.with_columns(rounded(pl.col(c)).alias(c) for c in columns)


def rounded(count: pl.Expr) -> pl.Expr:
    """A published count: to the nearest multiple of ``ROUND_TO`` (0 stays 0, null stays null)."""
    return (count / ROUND_TO).round(0) * ROUND_TO


def suppress_value(value: float, threshold: float = SUPPRESS_BELOW) -> float | None:
    """One published figure: None when 0 < value < ``threshold``, else rounded as ``rounded`` rounds."""
    return None if 0 < value < threshold else float(round(value / ROUND_TO) * ROUND_TO)


# -- the population ----------------------------------------------------------------------


def check_population(frame: pl.DataFrame, where: str = "", first_row: int = 0) -> pl.DataFrame:
    """``frame`` typed as a facts frame, or one ValueError naming the column (and the row,
    counted from ``first_row`` + 1 when ``frame`` is a chunk of a larger population): a facts
    column missing or of the wrong type, a null fact, a day out of range, a weight that is not
    a positive number. The checks ``decide --batch`` makes (``batch.check_frame``), so no
    backend ever sees bad data."""
    from detainerlaw.batch import check_frame
    from detainerlaw.decide import default_pack
    from detainerlaw.frame import check_types

    SCHEMA = default_pack().schema  # noqa: N806 - the place's facts schema

    prefix = f"{where}: " if where else ""
    missing = [c for c in (*SCHEMA.fields, *SCHEMA.lists) if c not in frame.columns]
    if missing:
        raise ValueError(f"{prefix}column {missing[0]}: missing (not a facts frame; missing {', '.join(missing)})")
    frame = check_types(frame, where, first_row)
    if "case_id" not in frame.columns:
        frame = frame.with_row_index("case_id", offset=first_row + 1).with_columns(pl.col("case_id").cast(pl.String))
    for col in SCHEMA.lists:
        if frame[col].null_count():
            row = frame.with_row_index("_i", offset=first_row).filter(pl.col(col).is_null())["_i"][0]
            raise ValueError(f"{prefix}row {row + 1}: column {col}: value is missing (an empty list is [])")
    check_frame(frame, where, first_row)
    if "weight" in frame.columns:
        w = frame["weight"]
        if not w.dtype.is_numeric():
            raise ValueError(f"{prefix}column weight: expected numbers, found {w.dtype}")
        x = pl.col("weight").cast(pl.Float64)
        bad = frame.with_row_index("_i", offset=first_row).filter(~(x > 0).fill_null(False) | x.is_infinite())
        if bad.height:
            raise ValueError(f"{prefix}row {bad['_i'][0] + 1}: column weight: {bad['weight'][0]!r} is not a "
                             "positive number")
    return frame


# -- simulate ----------------------------------------------------------------------------


def _resolve(s: str | Scenario) -> Scenario:
    return s if isinstance(s, Scenario) else load_scenario(s)


def _tally(out: pl.DataFrame, name: str, layer: str | None = None) -> pl.DataFrame:
    """Weighted counts by agency, action, outcome and deciding rule: the combined answers, or one
    layer's own (``{action}@{layer}``) when ``layer`` is named."""
    at = f"@{layer}" if layer and f"{COUNTED[0]}@{layer}" in out.columns else ""
    parts = []
    for a in COUNTED:
        parts.append(
            out.filter(pl.col(f"{a}{at}").is_not_null())
            .group_by(pl.col("agency").cast(pl.String), pl.col(f"{a}{at}").cast(pl.String).alias("outcome"),
                      pl.col(f"{a}_rule{at}").cast(pl.String).alias("rule"))
            .agg(pl.col("weight").sum(), pl.len().alias("n"))
            .with_columns(pl.lit(a).alias("action"))
        )
    return (
        pl.concat([p.select("agency", "action", "outcome", "rule", "weight", "n") for p in parts])
        .with_columns(pl.lit(name).alias("scenario"), pl.col("n").cast(pl.Int64))
        .select("scenario", "agency", "action", "outcome", "rule", "weight", "n")
    )


Population = pl.DataFrame | FrameFile | str | Path


def _chunks(population: Population, rows: int) -> tuple[int, Iterator[tuple[int, pl.DataFrame]]]:
    """(number of cases, (first row, frame) chunks) of a population: a frame in memory sliced, a
    Parquet file (a path or ``frame.open_frame``) read chunk by chunk. Always at least one chunk."""
    if isinstance(population, pl.DataFrame):
        n = population.height
        return n, ((i, population.slice(i, rows)) for i in range(0, max(n, 1), rows))
    file = population if isinstance(population, FrameFile) else open_frame(Path(population))
    return file.rows, file.chunks(rows)


def simulate(
    population: Population,
    as_of: dt.date | None,
    scenarios: list[str | Scenario],
    progress: Progress | None = None,
    *,
    pack: LawPack | None = None,
    chunk: int = 5_000,
    backend: str | None = None,
    layer: str | None = None,
    where: str = "",
    read_rows: int = CHUNK_ROWS,
    cache_key: str | None = None,
) -> SimulationResult:
    """Decide ``population`` under each scenario and count the outcomes.

    ``population`` is a facts frame or a facts-frame Parquet file (a path or ``frame.open_frame``),
    read in chunks of ``read_rows`` cases: each chunk is checked (``check_population``,
    rows named by their place in the population, ``where`` before the message) and decided under
    every scenario before the next is read, so the population is read once and memory follows the
    chunk, whatever the number of cases or scenarios; only the tallies are kept.
    ``as_of`` None decides each case on its own date; otherwise every case is decided on
    ``as_of``. A scenario's own ``as_of`` overrides both. ``progress(done, total, scenario)``
    is called as rows are evaluated (``chunk`` rows at a time for the interpreter). ``backend``
    None picks columnar (the interpreter only when asked: a failure of the backend is never
    hidden by another). ``layer`` counts one layer's own answers (e.g. ``nyc``: the city's code
    alone) instead of the combined ones.

    The columnar backend prepares each chunk once (checked, encoded for every layer on each decision
    day, every layer's baseline answers) and evaluates a scenario's reform only where it changes the
    answers (``simulation.warm``); a population in memory stays prepared in a bounded per-process
    cache, found again by a hash of its content, or by ``cache_key`` (a name the caller vouches stands
    for this content only), so the next reform of it evaluates only what that reform changes.
    """
    from detainerlaw.decide import default_pack

    t0 = time.perf_counter()
    from detainerlaw.engine.calendar import FIRST_DAY, LAST_DAY

    for when, where_ in [(as_of, "as_of"), *((getattr(s, "as_of", None), f"scenario {s}") for s in scenarios)]:
        if when is not None and not FIRST_DAY <= when <= LAST_DAY:
            raise ValueError(f"{where_}: {when} is outside the supported range {FIRST_DAY} to {LAST_DAY}")
    pack = pack or default_pack()
    resolved = [_resolve(s) for s in (scenarios or ["baseline"])]
    names = [s.name for s in resolved]
    dup = {n for n in names if names.count(n) > 1}
    if dup:
        raise ValueError(f"scenario names must be unique: {', '.join(sorted(dup))}")
    backend_name, evaluate = evaluator(backend)
    meta: dict = {"layer": layer} if layer else {}
    if layer is not None:
        from detainerlaw.jurisdictions import layered

        known = [lid for lid, _, _ in layered(pack)]
        if layer not in known:
            raise ValueError(f"layer: {layer!r} is not one of {', '.join(known)}")
        if backend_name != "columnar" and len(known) > 1:
            raise ValueError("layer: one layer's answers are counted by the columnar backend")
    reforms = {sc.name: sc.reform() for sc in resolved}
    step = chunk if backend_name == "interpreter" else max(chunk, 250_000)
    cases, chunks = _chunks(population, read_rows)
    total = cases * len(resolved)
    done, rows, weight = 0, 0, 0.0
    tallies: list[pl.DataFrame] = []
    if backend_name == "columnar":  # prepared once (kept warm for a frame in memory), each reform's changes only
        from detainerlaw.jurisdictions import layered
        from detainerlaw.simulation import warm

        key = None
        if isinstance(population, pl.DataFrame):
            key = ("frame", cache_key or warm.fingerprint(population), read_rows, where)
        stacks = {sc.name: layered(pack, reforms[sc.name]) for sc in resolved}
        for _, prep in warm.prepared_chunks(chunks, lambda f, first: _prepare(f, where, first), key):
            rows, weight = rows + prep.rows, weight + prep.total
            for sc in resolved:  # every scenario on this chunk before the next is read
                tallies.append(prep.tally(sc.as_of or as_of, stacks[sc.name], COUNTED, layer, with_as_of)
                               .with_columns(pl.lit(sc.name).alias("scenario")))
                done += prep.rows
                if progress:
                    progress(done, total, sc.name)
        tallies = [t.select("scenario", "agency", "action", "outcome", "rule", "weight", "n") for t in tallies]
        if not tallies:
            tallies = [_no_tally()]
    for first, part in (chunks if backend_name != "columnar" else ()):
        frame = _prepare(part, where, first)
        rows, weight = rows + frame.height, weight + float(frame["weight"].sum())
        for sc in resolved:  # every scenario on this chunk before the next is read
            day = sc.as_of or as_of
            f = with_as_of(frame, day) if day else frame
            if f.height == 0:
                tallies.append(_tally(interpret_frame(f, pack), sc.name))
            for start in range(0, f.height, step):
                piece = f.slice(start, step)
                tallies.append(_tally(evaluate(piece, pack, reforms[sc.name]), sc.name, layer))
                done += piece.height
                if progress:
                    progress(done, total, sc.name)
        if len(tallies) > 64:  # the interpreter's small steps: keep the tallies few
            tallies = [_merge(tallies)]
    return SimulationResult(
        scenarios=resolved,
        as_of=as_of,
        long=_merge(tallies),
        population_rows=rows,
        population_weight=weight,
        backend=backend_name,
        seconds=time.perf_counter() - t0,
        meta=meta,
    )


def _prepare(part: pl.DataFrame, where: str, first: int) -> pl.DataFrame:
    """A chunk checked (``check_population``) with its weights as Float64 (1.0 where the population has none)."""
    frame = check_population(part, where, first)
    if "weight" not in frame.columns:
        frame = frame.with_columns(pl.lit(1.0).alias("weight"))
    return frame.with_columns(pl.col("weight").cast(pl.Float64))


def _no_tally() -> pl.DataFrame:
    return pl.DataFrame(schema={"scenario": pl.String, "agency": pl.String, "action": pl.String,
                                "outcome": pl.String, "rule": pl.String, "weight": pl.Float64, "n": pl.Int64})


def _merge(tallies: list[pl.DataFrame]) -> pl.DataFrame:
    """Tallies of chunks summed by (scenario, agency, action, outcome, rule)."""
    return (
        pl.concat(tallies)
        .group_by("scenario", "agency", "action", "outcome", "rule")
        .agg(pl.col("weight").sum(), pl.col("n").sum())
    )

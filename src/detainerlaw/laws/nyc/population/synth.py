"""A synthetic population of NYC detainer and information requests, as a facts frame.

``synthesize(n, seed)`` draws ``n`` cases (one row each) in the representation of
``facts.SCHEMA`` (days as day ordinals, minutes as ``ordinal*1440+minute``, enums as
strings, list[struct] columns for convictions, incarcerations, pending cases and
charges) plus ``case_id`` and ``weight``. Every parameter comes from one YAML file,
``calibration.yaml``, with its source and quality grade. Generation is vectorised
(Arrow's seeded uniform generator and Polars expressions) and runs in chunks of a fixed
size, so the output for a given ``(n, seed)`` is deterministic and memory stays bounded.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import pyarrow.compute as pc
import yaml

from detainerlaw.laws.nyc.facts import SCHEMA
from detainerlaw.laws.nyc.population.statutes import SUBS, pool_frame

CHUNK = 500_000
ICE_POLICY_10074_2 = dt.date(2017, 4, 2).toordinal()
EARLIEST_CONVICTION = dt.date(1975, 1, 1).toordinal()
DAY = pl.Int32
MINUTE = pl.Int64


# -- calibration ---------------------------------------------------------------------


@lru_cache(maxsize=4)
def _load(path: str) -> dict[str, Any]:
    return yaml.safe_load(Path(path).read_text())


def calibration_path() -> Path:
    return Path(str(files("detainerlaw.laws.nyc.population").joinpath("calibration.yaml")))


def load_calibration(path: str | Path | None = None) -> dict[str, Any]:
    """The calibration file as ``{name: {value, source, quality, ...}}``."""
    return _load(str(path or calibration_path()))


def calibration_values(path: str | Path | None = None, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Parameter values only, with ``overrides`` (name -> value) applied."""
    values = {k: v["value"] for k, v in load_calibration(path).items()}
    unknown = set(overrides or {}) - set(values)
    if unknown:
        raise KeyError(f"unknown calibration parameter(s): {', '.join(sorted(unknown))}")
    values.update(overrides or {})
    return values


# -- random draws --------------------------------------------------------------------


class _Rng:
    """Independent uniform streams from one seed (Arrow's seeded generator)."""

    def __init__(self, seed: int):
        self.seed = seed
        self.k = 0

    def u(self, n: int) -> pl.Series:
        self.k += 1
        init = (self.seed * 1_000_003 + self.k * 7919) % (2**62)
        return pl.Series(pc.random(n, initializer=init)) if n else pl.Series([], dtype=pl.Float64)


def _choice(u: pl.Series, probs: dict[str, float]) -> pl.Series:
    """Categorical draw by inverse CDF."""
    keys = list(probs)
    total = float(sum(probs.values()))
    cum, acc = [], 0.0
    for k in keys:
        acc += probs[k] / total
        cum.append(acc)
    idx = pl.Series(cum[:-1], dtype=pl.Float64).search_sorted(u, side="right")
    return pl.Series(keys, dtype=pl.String).gather(idx)


def _poisson(u: pl.Series, mean: float, kmax: int = 12) -> pl.Series:
    """Poisson draw by inverse CDF (small means)."""
    import math

    cum, p, acc = [], math.exp(-mean), 0.0
    for k in range(kmax):
        acc += p
        cum.append(acc)
        p *= mean / (k + 1)
    return pl.Series(cum, dtype=pl.Float64).search_sorted(u, side="right").cast(pl.Int32)


def _expo(u: pl.Series, mean: float | pl.Series) -> pl.Series:
    return -((1.0 - u).log()) * mean


def _by(keys: pl.Series, mapping: dict[str, float]) -> pl.Series:
    return keys.replace_strict({k: float(v) for k, v in mapping.items()}, return_dtype=pl.Float64)


def _item_offsets(n: int, items: pl.DataFrame) -> list[int]:
    """List offsets of ``n`` cases from child items tagged with their case's ``row``."""
    counts = (
        pl.DataFrame({"row": pl.int_range(n, dtype=pl.Int64, eager=True)})
        .join(items.group_by("row").len(), on="row", how="left")
        .sort("row")["len"].fill_null(0)
    )
    return _rows_of(counts)[2]


def _rows_of(counts: pl.Series) -> tuple[pl.Series, pl.Series, list[int]]:
    """For per-row item counts: each item's row, its index within the row, and offsets."""
    counts = counts.cast(pl.Int64)
    offsets = [0, *counts.cum_sum().to_list()]
    n = len(counts)
    row = pl.select(pl.int_range(n, dtype=pl.Int64).repeat_by(counts).explode()).to_series().drop_nulls()
    start = pl.Series(offsets[:-1], dtype=pl.Int64).gather(row)
    within = pl.int_range(len(row), dtype=pl.Int64, eager=True) - start
    return row, within, offsets


def _list_column(name: str, items: pl.DataFrame, offsets: list[int]) -> pl.Series:
    """A list[struct] column from items in row order and their offsets."""
    spec = SCHEMA.lists[name]
    fields = list(spec)
    missing = [f for f in fields if f not in items.columns]
    if missing:  # fields the generator does not model: their least-proving value
        items = items.with_columns(pl.lit(_default(spec[f])).alias(f) for f in missing)
    tbl = items.select(fields).to_arrow()
    struct = pa.StructArray.from_arrays([tbl.column(f).combine_chunks() for f in fields], names=fields)
    arr = pa.LargeListArray.from_arrays(pa.array(offsets, type=pa.int64()), struct)
    return pl.Series(name, arr)


def _default(t: object) -> object:
    if isinstance(t, tuple):
        return "none" if "none" in t else t[0]
    return {"bool": False, "int": 0, "day": 0, "minute": 0, "key": ""}[t]  # type: ignore[index]


def _pick_statutes(rng: _Rng, pools: pl.Series) -> pl.DataFrame:
    """One pool entry per item, given each item's pool name."""
    table = pool_frame()
    n = len(pools)
    u = rng.u(n)
    idx = pl.Series([0] * n, dtype=pl.UInt32)
    for name in table["pool"].unique(maintain_order=True):
        sub = table.with_row_index("gi").filter(pl.col("pool") == name)
        w = sub["weight"].to_list()
        total, acc, cum = sum(w), 0.0, []
        for x in w[:-1]:
            acc += x / total
            cum.append(acc)
        local = pl.Series(cum, dtype=pl.Float64).search_sorted(u, side="right")
        glob = sub["gi"].gather(local)
        idx = pl.select(pl.when(pools == name).then(glob).otherwise(idx)).to_series()
    return table.select("code", "section", "full", *SUBS, "article", "inchoate", "level", "listed").gather(idx)


def _pools(rng: _Rng, levels: pl.Series, vsc_share: float, covered_share: float) -> pl.Series:
    u = rng.u(len(levels))
    return pl.select(
        pl.when(levels == "felony")
        .then(pl.when(u < vsc_share).then(pl.lit("listed_felony")).otherwise(pl.lit("unlisted_felony")))
        .when(levels == "misdemeanor")
        .then(pl.when(u < covered_share).then(pl.lit("covered_misdemeanor")).otherwise(pl.lit("misdemeanor")))
        .otherwise(pl.lit("violation"))
    ).to_series()


# -- the population ------------------------------------------------------------------


def _segments(p: dict, start: dt.date, end: dt.date) -> list[tuple[str, int, int, float]]:
    """``(agency, first day, days, detainers)`` of each calibrated segment within ``start``-``end``
    (a segment cut by the period keeps its share of detainers pro rata)."""
    out = []
    for agency, segs in p["detainer_volume"].items():
        for lo_s, hi_s, vol in segs:
            lo_d, hi_d = _as_date(lo_s), _as_date(hi_s)
            lo, hi = max(lo_d, start), min(hi_d, end)
            if hi < lo:
                continue
            days = (hi - lo).days + 1
            out.append((agency, lo.toordinal(), days, float(vol) * days / ((hi_d - lo_d).days + 1)))
    return out


def _decided_days(rng: _Rng, n: int, p: dict, start: dt.date, end: dt.date) -> tuple[pl.Series, pl.Series, float]:
    """Agencies and decision days by the calibrated detainer volumes (uniform within a
    segment); returns them and the total volume represented, information requests included."""
    segs = _segments(p, start, end)
    if not segs:
        raise ValueError(f"no calibrated detainer volume between {start} and {end}")
    pick = _choice(rng.u(n), {str(i): s[3] for i, s in enumerate(segs)}).cast(pl.Int64)
    agency = pl.Series([s[0] for s in segs], dtype=pl.String).gather(pick)
    lo = pl.Series([s[1] for s in segs], dtype=pl.Int64).gather(pick)
    ln = pl.Series([s[2] for s in segs], dtype=pl.Int64).gather(pick)
    days = lo + (rng.u(n) * ln).floor().cast(pl.Int64)
    detainers = sum(s[3] for s in segs)
    return agency, days.cast(DAY), detainers / (1.0 - p["information_request_share"])


def _chunk(n: int, seed: int, first_id: int, p: dict, start: dt.date, end: dt.date) -> tuple[pl.DataFrame, float]:
    rng = _Rng(seed)
    agency, decided, volume = _decided_days(rng, n, p, start, end)
    lag = _expo(rng.u(n), _by(agency, p["days_in_custody_mean"])).round().cast(pl.Int64)
    arrest = (decided.cast(pl.Int64) - lag).cast(DAY)
    decided_minute = decided.cast(MINUTE) * 1440 + (rng.u(n) * 1440).floor().cast(MINUTE)

    info = rng.u(n) < p["information_request_share"]
    kind = pl.select(pl.when(info).then(pl.lit("information")).otherwise(pl.lit("detainer"))).to_series()
    information = pl.select(
        pl.when(info).then(_choice(rng.u(n), p["information_kinds"])).otherwise(pl.lit("none"))
    ).to_series()
    purpose = pl.select(
        pl.when(info & (rng.u(n) < p["non_civil_purpose_share"])).then(pl.lit("criminal_other"))
        .otherwise(pl.lit("civil_immigration"))
    ).to_series()
    detainer = ~info
    jw = detainer & (rng.u(n) < p["judicial_warrant_share"])
    jw_later = detainer & ~jw & (rng.u(n) < p["judicial_warrant_later_share"])
    jw_at = pl.select(
        pl.when(jw_later).then(decided_minute + (rng.u(n) * 2880).floor().cast(MINUTE)).otherwise(0)
    ).to_series().cast(MINUTE)
    flags = {
        f: rng.u(n) < p[f"{f}_share"]
        for f in (
            "final_order_of_removal", "removal_warrant_outstanding", "reentered_after_removal",
            "terrorist_screening_match", "gang_database_match", "outstanding_criminal_warrant",
            "mandatory_youthful_offender", "required_by_law",
        )
    }
    aw = p["administrative_warrant_share"]
    aw_share = pl.select(
        pl.when(decided.cast(pl.Int64) >= ICE_POLICY_10074_2).then(aw["from_2017_04_02"])
        .otherwise(aw["before_2017_04_02"])
    ).to_series()
    admin = pl.select(
        pl.when(detainer & (rng.u(n) < aw_share))
        .then(pl.when(flags["final_order_of_removal"]).then(pl.lit("I-205")).otherwise(pl.lit("I-200")))
        .otherwise(pl.lit("none"))
    ).to_series()

    df = pl.DataFrame({
        "case_id": pl.int_range(first_id, first_id + n, dtype=pl.Int64, eager=True),
        "weight": pl.repeat(0.0, n, eager=True),
        "agency": agency,
        "decided_day": decided,
        "decided_minute": decided_minute,
        "has_arrest": pl.repeat(True, n, eager=True),
        "arrest_day": arrest,
        "kind": kind,
        "requester": pl.repeat("federal_immigration", n, eager=True),
        "purpose": purpose,
        "judicial_warrant": jw,
        "has_jw_at": jw_later,
        "jw_at_minute": jw_at,
        "administrative_warrant": admin,
        "information": information,
        # the calibration's share is of subpoenas and court orders: answers, not detainers (a
        # detainer is a request, 8 C.F.R. 287.7(a); a duty to honor one is § 9-131(d)'s case)
        "required_by_law": flags["required_by_law"] & info,
        "agreement": pl.repeat(False, n, eager=True),
        "cooperative_arrangement": pl.repeat(False, n, eager=True),
        "exigent_circumstances": pl.repeat(False, n, eager=True),
        **{f: v for f, v in flags.items() if f != "required_by_law"},
    })
    convictions, incarcerations = _convictions(rng, df, p)
    pending, charges = _pending(rng, df, p)
    df = df.with_columns(convictions, incarcerations, pending, charges)
    return complete(df).select("case_id", "weight", *SCHEMA.fields, *SCHEMA.lists), volume


def complete(df: pl.DataFrame) -> pl.DataFrame:
    """Add any scalar field of ``SCHEMA`` the frame lacks, with its least-proving value
    (False, 0, "none"): facts the population does not model are taken as not shown."""
    missing = [f for f in SCHEMA.fields if f not in df.columns]
    if missing:
        df = df.with_columns(pl.lit(_default(SCHEMA.fields[f])).alias(f) for f in missing)
    for name, spec in SCHEMA.lists.items():
        dtype = df.schema.get(name)
        if not isinstance(dtype, pl.List) or not isinstance(dtype.inner, pl.Struct):
            continue
        have = {f.name for f in dtype.inner.fields}
        lacking = [f for f in spec if f not in have]
        if lacking:
            df = df.with_columns(pl.col(name).list.eval(pl.element().struct.with_fields(
                pl.lit(_default(spec[f])).alias(f) for f in lacking)))
        df = df.with_columns(pl.col(name).list.eval(pl.struct(pl.element().struct.field(f) for f in spec)))
    return df


def _convictions(rng: _Rng, df: pl.DataFrame, p: dict) -> tuple[pl.Series, pl.Series]:
    n = df.height
    agency = df["agency"]
    anyc = rng.u(n) < _by(agency, p["any_conviction_share"])
    counts = pl.select(pl.when(anyc).then(1 + _poisson(rng.u(n), p["extra_convictions_mean"])).otherwise(0)).to_series()
    row, _, offsets = _rows_of(counts)
    m = len(row)
    arrest = df["arrest_day"].cast(pl.Int64).gather(row)
    level = _choice(rng.u(m), p["conviction_level"])
    st = _pick_statutes(rng, _pools(rng, level, p["felony_on_vsc_list_share"], p["covered_misdemeanor_charge_share"]))
    attempt = (rng.u(m) < p["inchoate_share"]) & (level == "felony") & (st["code"] == "PL")
    inchoate = pl.select(pl.when(attempt).then(pl.lit("attempt")).otherwise(st["inchoate"])).to_series()
    age = 30 + _expo(rng.u(m), p["conviction_age_years_mean"] * 365.25).round().cast(pl.Int64)
    conviction = (arrest - age).clip(lower_bound=EARLIEST_CONVICTION)
    has_judgment = rng.u(m) < p["judgment_entered_share"]
    judgment_raw = pl.min_horizontal(conviction + (rng.u(m) * 40).floor().cast(pl.Int64), arrest)
    judgment = pl.select(
        pl.when(has_judgment).then(pl.max_horizontal(judgment_raw, conviction)).otherwise(0)
    ).to_series()
    has_offense = rng.u(m) < p["offense_date_known_share"]
    offense_raw = conviction - 1 - _expo(rng.u(m), 180.0).round().cast(pl.Int64)
    offense = pl.select(pl.when(has_offense).then(offense_raw).otherwise(0)).to_series()
    ny = rng.u(m) >= p["out_of_state_conviction_share"]
    equivalent = rng.u(m) < 0.5
    keep = ny | equivalent
    other = pl.lit("OTHER")
    sentence = pl.select(pl.when(has_judgment).then(_choice(rng.u(m), p["sentence_mix"])).otherwise(pl.lit("none"))
                         ).to_series()
    items = pl.DataFrame({
        "row": row,
        "code": pl.select(pl.when(keep).then(st["code"]).otherwise(other)).to_series(),
        "section": pl.select(pl.when(keep).then(st["section"]).otherwise(other)).to_series(),
        "full": pl.select(pl.when(keep).then(st["full"]).otherwise(other)).to_series(),
        "article": pl.select(pl.when(keep).then(st["article"]).otherwise(other)).to_series(),
        **{k: pl.select(pl.when(keep).then(st[k]).otherwise(pl.lit(""))).to_series() for k in SUBS},
        "level": level,
        "ny": ny,
        "has_offense": has_offense,
        "offense_day": offense.cast(DAY),
        "conviction_day": conviction.cast(DAY),
        "has_judgment": has_judgment,
        "judgment_day": judgment.cast(DAY),
        "sentence": sentence,
        "youthful_offender": rng.u(m) < p["youthful_offender_share"],
        "juvenile_delinquent": rng.u(m) < 0.002,
        "hate_crime": (level == "felony") & (rng.u(m) < p["hate_crime_share"]),
        "inchoate": pl.select(pl.when(keep).then(inchoate).otherwise(pl.lit("none"))).to_series(),
        "predicate_felony": ~ny & equivalent & (level == "felony"),
        "patronizing": (st["section"] == "PL 240.37") & (rng.u(m) < 0.3),
        "_vsc": st["listed"] & (level == "felony") & keep,
    })
    convictions = _list_column("convictions", items, offsets)

    jailed = items.filter(pl.col("sentence") == "incarceration")
    k = jailed.height
    mean = _by(jailed["level"], p["incarceration_days_mean"])
    start = jailed["judgment_day"].cast(pl.Int64)
    dur = _expo(rng.u(k), mean).round().cast(pl.Int64)
    arrest_j = df["arrest_day"].cast(pl.Int64).gather(jailed["row"])
    spells = pl.DataFrame({
        "row": jailed["row"],
        "start_day": start.cast(DAY),
        "end_day": pl.select(pl.max_horizontal(pl.min_horizontal(start + dur, arrest_j), start)).to_series().cast(DAY),
        "for_vsc": jailed["_vsc"],
    })
    return convictions, _list_column("incarcerations", spells, _item_offsets(n, spells))


def _pending(rng: _Rng, df: pl.DataFrame, p: dict) -> tuple[pl.Series, pl.Series]:
    n = df.height
    has = rng.u(n) < _by(df["agency"], p["pending_case_share"])
    extra = _poisson(rng.u(n), p["extra_pending_cases_mean"])
    counts = pl.select(pl.when(has).then(1 + extra).otherwise(0)).to_series()
    row, index, offsets = _rows_of(counts)
    m = len(row)
    cases = pl.DataFrame({
        "row": row,
        "index": index.cast(pl.Int32),
        "disposition": pl.select(pl.when(rng.u(m) < p["acd_share"]).then(pl.lit("acd")).otherwise(pl.lit("none"))
                                 ).to_series(),
        "released_cpl_170_70": rng.u(m) < p["cpl_170_70_release_share"],
        "family_court": rng.u(m) < p["family_court_share"],
    })
    pending = _list_column("pending", cases, offsets)

    u = rng.u(m)
    ncharges = (1 + (u < 0.4).cast(pl.Int32) + (u < 0.15).cast(pl.Int32))
    crow, cwithin, _ = _rows_of(ncharges)  # crow indexes pending cases
    k = len(crow)
    top = _choice(rng.u(m), p["pending_top_charge_level"]).gather(crow)
    other_felony = _choice(rng.u(k), {"felony": 0.4, "misdemeanor": 0.6})
    other_misd = _choice(rng.u(k), {"misdemeanor": 0.85, "violation": 0.15})
    level = pl.select(
        pl.when(cwithin == 0).then(top).when(top == "felony").then(other_felony).otherwise(other_misd)
    ).to_series()
    st = _pick_statutes(rng, _pools(rng, level, p["felony_on_vsc_list_share"], p["covered_misdemeanor_charge_share"]))
    charges = pl.DataFrame({
        "row": row.gather(crow),
        "case": index.gather(crow).cast(pl.Int32),
        "code": st["code"],
        "section": st["section"],
        "full": st["full"],
        "article": st["article"],
        **{k: st[k] for k in SUBS},
        "level": level,
        "patronizing": (st["section"] == "PL 240.37") & (rng.u(k) < 0.3),
        "firearm_or_ammunition": (st["section"] == "PL 265.01") & (rng.u(k) < 0.5),
    })
    return pending, _list_column("charges", charges, _item_offsets(n, charges))


def synthesize(
    n: int,
    seed: int = 0,
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    calibration: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
) -> pl.DataFrame:
    """``n`` synthetic cases decided between ``start`` and ``end`` (default: the
    calibrated period), as a facts frame with ``case_id`` and ``weight`` (the number of
    real requests each row stands for, from the calibrated yearly volumes)."""
    parts = list(_parts(n, seed, start, end, calibration, overrides))
    df = pl.concat(parts, rechunk=False) if len(parts) > 1 else parts[0]
    return df


def synthesize_to_parquet(
    path: str | Path,
    n: int,
    seed: int = 0,
    *,
    start: dt.date | str | None = None,
    end: dt.date | str | None = None,
    calibration: str | Path | None = None,
    overrides: dict[str, Any] | None = None,
    partitions: int | None = None,
) -> tuple[int, float]:
    """The same rows as ``synthesize``, written chunk by chunk so memory stays at one
    chunk; returns (rows, total weight). With ``partitions`` K, ``path`` is a directory that
    receives a dataset of K files (``_write_dataset``)."""
    import pyarrow.parquet as pq

    from detainerlaw.frame import PARQUET_COMPRESSION, facts_arrow

    if partitions is not None:
        return _write_dataset(path, n, partitions, lambda: _parts(n, seed, start, end, calibration, overrides))
    writer, rows, weight = None, 0, 0.0
    try:
        for part in _parts(n, seed, start, end, calibration, overrides):
            table = facts_arrow(part)
            if writer is None:
                writer = pq.ParquetWriter(str(path), table.schema, compression=PARQUET_COMPRESSION)
            writer.write_table(table)
            rows += part.height
            weight += float(part["weight"].sum())
    finally:
        if writer is not None:
            writer.close()
    return rows, weight


def partition_name(i: int) -> str:
    """The file name of partition ``i`` of a dataset (``part-00000.parquet``): name order is row order."""
    return f"part-{i:05d}.parquet"


def _write_dataset(directory: str | Path, n: int, partitions: int,
                   parts: Callable[[], Iterator[pl.DataFrame]]) -> tuple[int, float]:
    """The ``n`` rows ``parts()`` yields, in order, as a partitioned dataset: ``partitions`` facts-frame
    files ``directory/part-00000.parquet``, ... of n / partitions rows each (the first n % partitions one
    more), written as ``synthesize_to_parquet`` writes one file, chunk by chunk. ``directory`` is created
    if absent and must hold no .parquet file; if anything fails, no partition is left behind. Returns
    (rows, total weight)."""
    import pyarrow.parquet as pq

    from detainerlaw.frame import PARQUET_COMPRESSION, facts_arrow

    if n <= 0:
        raise ValueError("n must be positive")
    if not 1 <= partitions <= n:
        raise ValueError(f"partitions: {partitions} must be between 1 and the number of cases ({n})")
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ValueError(f"{directory}: not a directory")
    if directory.is_dir() and any(p.suffix == ".parquet" for p in directory.iterdir()):
        raise ValueError(f"{directory}: already holds .parquet files; choose an empty or new directory")
    directory.mkdir(parents=True, exist_ok=True)
    sizes = [n // partitions + (1 if i < n % partitions else 0) for i in range(partitions)]
    written: list[Path] = []
    writer, tmp, index, left = None, Path(), 0, sizes[0]
    rows, weight = 0, 0.0

    def close() -> None:
        nonlocal writer
        if writer is not None:
            writer.close()
            writer = None
            final = directory / partition_name(index)
            tmp.replace(final)
            written.append(final)

    try:
        for part in parts():
            rows += part.height
            weight += float(part["weight"].sum())
            at = 0
            while at < part.height:
                if left == 0:
                    close()
                    index, left = index + 1, sizes[index + 1]
                piece = part.slice(at, left)
                table = facts_arrow(piece)
                if writer is None:
                    tmp = directory / f".{partition_name(index)}.tmp"
                    writer = pq.ParquetWriter(str(tmp), table.schema, compression=PARQUET_COMPRESSION)
                writer.write_table(table)
                at += piece.height
                left -= piece.height
        close()
    except BaseException:
        if writer is not None:
            writer.close()
            tmp.unlink(missing_ok=True)
        for p in written:
            p.unlink(missing_ok=True)
        raise
    return rows, weight


def _parts(n, seed, start, end, calibration, overrides):
    """Typed chunks of the population, each with its ``weight`` column."""
    p = calibration_values(calibration, overrides)
    period = p["period"]
    s = _as_date(start or period["start"])
    e = _as_date(end or period["end"])
    if e < s:
        raise ValueError(f"end {e} is before start {s}")
    if n <= 0:
        raise ValueError("n must be positive")
    for i, first in enumerate(range(0, n, CHUNK)):
        size = min(CHUNK, n - first)
        part, volume = _chunk(size, seed * 65_537 + i, first, p, s, e)
        yield typed(part).with_columns(pl.lit(volume / n, dtype=pl.Float64).alias("weight"))


def typed(df: pl.DataFrame) -> pl.DataFrame:
    """Cast a facts frame to the column types of ``frame.frame_schema`` (enums, categorical
    statute keys); a value outside its enum's domain raises."""
    from detainerlaw.frame import frame_schema

    schema = {k: v for k, v in frame_schema(raw=False).items() if k in df.columns and k != "case_id"}
    return df.cast(schema)


def _as_date(x: dt.date | str) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))

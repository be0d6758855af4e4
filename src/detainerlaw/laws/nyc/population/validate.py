"""A population against the published figures (``published.yaml``).

For every figure the population's own figure is computed under the same conditions: the
same agency, the same period (each figure's own: DOC report years run October-September,
NYPD figures are calendar years), detainers only, and each case decided under the law in
force on its own date. Each comes with a 95 % Wilson interval for sampling error (on the
effective sample size of the weighted rows) and the gap to the published figure.

Figures are of four kinds (``role``): ``fitted`` (a calibration parameter was set from
it, named in calibration.yaml ``fitted_to``), ``checked`` (no parameter was set from it),
``finding`` (what an agency did against what the law permitted: the difference is
reported, never tuned away) and ``context`` (national figures beside the city's).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import asdict, dataclass
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import polars as pl
import yaml

Z95 = 1.959964
ROLES = ("fitted", "checked", "finding", "context", "not compared")
SHARE_MEASURES = ("share_hold_permitted", "share_notify_permitted", "handed_over_not_permitted",
                  "handed_over_conviction", "share_no_conviction", "share_level1", "share_any_conviction",
                  "share_conviction_not_traffic_marijuana")


def published_path() -> Path:
    return Path(str(files("detainerlaw.laws.nyc.population").joinpath("published.yaml")))


@lru_cache(maxsize=2)
def _load(path: str) -> dict[str, dict[str, Any]]:
    return yaml.safe_load(Path(path).read_text())


def published(path: str | Path | None = None) -> dict[str, dict[str, Any]]:
    """The published figures by id."""
    figs = _load(str(path or published_path()))
    for k, f in figs.items():
        if f.get("role") not in ROLES:
            raise ValueError(f"published figure {k}: role {f.get('role')!r} is not one of {', '.join(ROLES)}")
    return figs


@dataclass
class Row:
    """One published figure beside the population's."""

    id: str
    role: str
    text: str
    period: str
    agency: str | None
    published: float | None
    population: float | None
    low: float | None
    high: float | None
    gap: float | None
    within: bool | None
    rows: int
    note: str
    source: str
    fitted_by: list[str]


def wilson(p: float, n: float, z: float = Z95) -> tuple[float, float]:
    """The Wilson score interval of a share ``p`` on ``n`` (effective) observations."""
    if n <= 0:
        return 0.0, 1.0
    d = 1 + z * z / n
    c = (p + z * z / (2 * n)) / d
    h = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / d
    return max(0.0, c - h), min(1.0, c + h)


def _n_eff(w: pl.Series) -> float:
    s, s2 = float(w.sum()), float((w * w).sum())
    return s * s / s2 if s2 > 0 else 0.0


def _share(w: pl.Series, hit: pl.Series) -> tuple[float | None, float, float, float]:
    """Weighted share, its Wilson interval and the effective n."""
    tot = float(w.sum())
    if tot <= 0:
        return None, 0.0, 1.0, 0.0
    p = float((w * hit.cast(pl.Float64)).sum()) / tot
    n = _n_eff(w)
    lo, hi = wilson(p, n)
    return p, lo, hi, n


def _conviction_columns(df: pl.DataFrame) -> pl.DataFrame:
    """Per case: any conviction; any misdemeanor or felony; any felony; level-1 proxy; any
    conviction other than traffic (VTL) or marijuana (PL art. 221). Youthful-offender and
    juvenile-delinquency adjudications are not convictions."""
    counted = ~pl.element().struct.field("youthful_offender") & ~pl.element().struct.field("juvenile_delinquent")
    lvl = pl.element().struct.field("level")
    felony = counted & (lvl == "felony")
    c = pl.col("convictions")
    return df.with_columns(
        (c.list.eval(counted).list.sum() > 0).alias("_any"),
        (c.list.eval(counted & lvl.is_in(["felony", "misdemeanor"])).list.sum() > 0).alias("_misd_or_felony"),
        (c.list.eval(felony).list.sum() > 0).alias("_felony"),
        ((c.list.eval(felony).list.sum() >= 2)
         | (c.list.eval(felony & pl.element().struct.field("section").is_in(_vsc_sections())).list.sum() > 0)
         & (pl.col("incarcerations").list.eval(pl.element().struct.field("for_vsc")).list.sum() > 0)
         ).alias("_level1"),
        (c.list.eval(counted & (pl.element().struct.field("code") != "VTL")
                     & (pl.element().struct.field("article") != "PL 221")).list.sum() > 0).alias("_not_traffic"),
    )


@lru_cache(maxsize=1)
def _vsc_sections() -> list[str]:
    from detainerlaw.laws.nyc.population.statutes import pool_frame

    return pool_frame().filter(pl.col("listed"))["section"].unique().to_list()


def evaluated(population: pl.DataFrame) -> pl.DataFrame:
    """Detainers of the population with each action's outcome, decided on their own dates."""
    from detainerlaw.engine.pack import BASELINE
    from detainerlaw.laws.nyc import pack
    from detainerlaw.simulation.simulate import evaluator

    df = population.filter(pl.col("kind").cast(pl.String) == "detainer")
    if "weight" not in df.columns:
        df = df.with_columns(pl.lit(1.0).alias("weight"))
    _, evaluate = evaluator()
    out = evaluate(df, pack(), BASELINE) if df.height else df
    return _conviction_columns(out).with_columns(
        pl.col("agency").cast(pl.String).alias("_agency"),
        pl.col("hold").cast(pl.String).is_in(["permitted", "required"]).fill_null(False).alias("_hold"),
        pl.col("notify_release").cast(pl.String).is_in(["permitted", "required"]).fill_null(False).alias("_notify"),
    )


def _fitted_by() -> dict[str, list[str]]:
    from detainerlaw.laws.nyc.population.synth import load_calibration

    out: dict[str, list[str]] = {}
    for name, spec in load_calibration().items():
        for fid in spec.get("fitted_to") or []:
            out.setdefault(fid, []).append(name)
    return out


def validate(population: pl.DataFrame, figures: dict[str, dict[str, Any]] | None = None) -> list[Row]:
    """Every published figure beside the population's figure under the same conditions."""
    figures = figures or published()
    ev = evaluated(population)
    total_w = float(population["weight"].sum()) if "weight" in population.columns else float(population.height)
    all_n = _n_eff(population["weight"]) if "weight" in population.columns else float(population.height)
    fitted_by = _fitted_by()
    rows = []
    for fid, f in figures.items():
        per = f["period"]
        start, end = _day(per["start"]), _day(per["end"])
        sub = ev.filter(pl.col("decided_day").is_between(start.toordinal(), end.toordinal()))
        if f.get("agency"):
            sub = sub.filter(pl.col("_agency") == f["agency"])
        measure = f.get("measure", "none")
        pub = f.get("value")
        pop = lo = hi = None
        note = f.get("reason", "")
        w = sub["weight"] if sub.height else pl.Series([], dtype=pl.Float64)
        if measure == "volume":
            pop = float(w.sum())
            p = pop / total_w if total_w else 0.0
            a, b = wilson(p, all_n)
            lo, hi = a * total_w, b * total_w
        elif measure in ("share_hold_permitted", "share_notify_permitted"):
            pop, lo, hi, _ = _share(w, sub["_hold" if measure == "share_hold_permitted" else "_notify"])
        elif measure in ("handed_over_not_permitted", "handed_over_conviction"):
            pop, lo, hi, note = _handed_over(sub, f)
        elif measure in ("share_no_conviction", "share_level1", "share_any_conviction",
                         "share_conviction_not_traffic_marijuana"):
            col = {"share_no_conviction": "_any", "share_level1": "_level1", "share_any_conviction": "_any",
                   "share_conviction_not_traffic_marijuana": "_not_traffic"}[measure]
            hit = ~sub[col] if measure == "share_no_conviction" else sub[col]
            pop, lo, hi, _ = _share(w, hit)
            first = population["decided_day"].min() if population.height else None
            if first is not None and first > start.toordinal():
                note = f"population starts {dt.date.fromordinal(int(first))}, after the period's start"
        gap = None if pop is None or pub is None else pop - float(pub)
        if f["role"] == "finding" and gap is not None and lo is not None and hi is not None:
            who = (f.get("agency") or "the agency").upper()
            note = (f"finding: {who} handed over {float(pub):.1%}; the law permitted {pop:.1%} "
                    f"(95 % {lo:.1%}-{hi:.1%}): {-gap * 100:.1f} points of practice beyond the law" if gap < 0 else
                    f"finding: {who} handed over {float(pub):.1%}; the law permitted {pop:.1%}")
        within = None if lo is None or pub is None else bool(lo <= float(pub) <= hi)
        rows.append(Row(fid, f["role"], f["text"], f"{per['start']} to {per['end']} ({per.get('basis', '')})",
                        f.get("agency"), None if pub is None else float(pub), pop, lo, hi, gap, within,
                        sub.height, note, f["source"], fitted_by.get(fid, [])))
    return rows


def _handed_over(sub: pl.DataFrame, f: dict[str, Any]) -> tuple[float | None, float | None, float | None, str]:
    """DOC's handed-over people, rebuilt: every detainer the law permitted holding plus, at
    random, enough of the others to reach the published handed-over rate ``f['handed_over']``."""
    if not sub.height:
        return None, None, None, "no cases in the period"
    h = float(f["handed_over"])
    w = sub["weight"]
    permitted, _, _, _ = _share(w, sub["_hold"])
    assert permitted is not None
    q = max(0.0, (h - permitted) / (1 - permitted)) if permitted < 1 else 0.0
    note = (f"law permitted {permitted:.1%}; handed over {h:.1%}: {q:.1%} of those not permitted "
            "taken as handed over too")
    if f["measure"] == "handed_over_not_permitted":
        p = max(0.0, h - permitted) / h
        lo_p, hi_p = wilson(permitted, _n_eff(w))
        return p, max(0.0, h - hi_p) / h, max(0.0, h - lo_p) / h, note
    hw = w * (sub["_hold"].cast(pl.Float64) * (1 - q) + q)  # weight 1 if permitted, else q
    cat = f["category"]
    hit = {"none": ~sub["_misd_or_felony"], "misdemeanor_only": sub["_misd_or_felony"] & ~sub["_felony"],
           "felony": sub["_felony"]}[cat]
    p, lo, hi, _ = _share(hw, hit)
    return p, lo, hi, note


def _day(x: Any) -> dt.date:
    return x if isinstance(x, dt.date) else dt.date.fromisoformat(str(x))


def to_dicts(rows: list[Row]) -> list[dict[str, Any]]:
    return [asdict(r) for r in rows]

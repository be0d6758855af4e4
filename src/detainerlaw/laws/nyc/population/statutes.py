"""Statute pools the synthetic population draws from: real New York keys, listed
violent-or-serious crimes (keys from ``laws/nyc/crimes.py``) and common unlisted ones.

Each entry is ``(statute, subdivision, level, relative weight)``; ``pool_frame`` parses
them into the keys of ``facts.SCHEMA`` (code, section, full, article, inchoate) and
marks which are on the list, so the generator and the DDP importer share one table.
"""

from __future__ import annotations

from functools import lru_cache

import polars as pl

from detainerlaw.laws.nyc.crimes import statutory_keys
from detainerlaw.laws.nyc.statutes import parse_statute, subdivision_suffix

try:  # subdivision-prefix keys ("VTL 511(1)" for a record of 511(1)(a)), when the facts carry them
    from detainerlaw.laws.nyc.statutes import subdivision_prefixes
except ImportError:  # pragma: no cover - older facts schema
    subdivision_prefixes = None
SUBS = ("sub1", "sub2", "sub3")

# Felonies on the § 9-131(a)(7) list (section or subdivision keys present in crimes.py).
LISTED_FELONIES = [
    ("PL 120.05", None, 10), ("PL 160.10", None, 8), ("PL 160.15", None, 6), ("PL 160.05", None, 4),
    ("PL 140.25", None, 5), ("PL 140.30", None, 2), ("PL 265.03", None, 6), ("PL 265.02", "3", 2),
    ("PL 120.10", None, 2), ("PL 130.35", None, 1), ("PL 220.41", None, 2), ("PL 215.51", None, 1),
    ("PL 121.12", None, 1), ("PL 125.25", None, 0.3), ("PL 135.10", None, 0.5), ("PL 240.55", None, 0.5),
    ("PL 110/160.10", None, 1.5), ("PL 110/120.05", None, 1.0),
]
# Felonies not on the list.
UNLISTED_FELONIES = [
    ("PL 155.30", None, 10), ("PL 220.39", None, 10), ("PL 220.16", None, 5), ("PL 140.20", None, 6),
    ("PL 170.25", None, 3), ("PL 165.45", None, 3), ("PL 190.78", None, 1), ("VTL 511", "3", 2),
    ("PL 265.02", "1", 1), ("PL 110/155.30", None, 1),
]
MISDEMEANORS = [
    ("PL 155.25", None, 14), ("PL 120.00", None, 10), ("PL 165.40", None, 4), ("PL 220.03", None, 10),
    ("PL 140.10", None, 4), ("PL 221.10", None, 2), ("PL 240.37", None, 1), ("PL 230.00", None, 1),
    ("PL 265.01", "1", 2), ("PL 215.50", None, 3), ("PL 130.52", None, 1), ("VTL 1192", "3", 8),
    ("VTL 511", "1", 5), ("VTL 511", "2(a)(i)", 2), ("PL 110/155.25", None, 1),
]
VIOLATIONS = [("PL 240.20", None, 6), ("PL 221.05", None, 3), ("VTL 1192", "1", 4), ("PL 240.26", None, 3)]
# Misdemeanor charges listed in § 9-131(a)(4) / § 14-154(a)(4) of 2013 (covered criminal case).
COVERED_MISDEMEANORS = {"PL 120.00", "PL 130.52", "PL 265.01", "PL 215.50", "VTL 1192"}


def _rows(entries: list, level: str, pool: str) -> list[dict]:
    listed = statutory_keys()
    out = []
    for statute, sub, w in entries:
        st = parse_statute(statute, strict=True)
        full = st.section_key + subdivision_suffix(sub)
        subs = subdivision_prefixes(st.section_key, sub) if subdivision_prefixes else ("", "", "")
        out.append({
            "pool": pool,
            "statute": statute,
            "subdivision": sub,
            "level": level,
            "weight": float(w),
            "code": st.code,
            "section": st.section_key,
            "full": full,
            "article": st.article,
            **dict(zip(SUBS, subs)),
            "inchoate": st.inchoate or "none",
            "listed": st.section_key in listed or full in listed,
            "covered_misd": level == "misdemeanor" and st.section_key in COVERED_MISDEMEANORS,
        })
    return out


@lru_cache(maxsize=1)
def pool_frame() -> pl.DataFrame:
    """Every pool entry with its parsed keys; ``listed`` is True for list entries."""
    rows = (
        _rows(LISTED_FELONIES, "felony", "listed_felony")
        + _rows(UNLISTED_FELONIES, "felony", "unlisted_felony")
        + _rows(MISDEMEANORS, "misdemeanor", "covered_misdemeanor")
        + _rows(VIOLATIONS, "violation", "violation")
    )
    df = pl.DataFrame(rows)
    pool = (
        pl.when(pl.col("level") == "misdemeanor")
        .then(pl.when(pl.col("covered_misd")).then(pl.lit("covered_misdemeanor")).otherwise(pl.lit("misdemeanor")))
        .otherwise(pl.col("pool"))
    )
    return df.with_columns(pool.alias("pool"))

"""New York City's receiving facilities as ICE spells them, each mapped to its agency.

The table (``data/nyc-facilities.csv``) lists exact spellings with a source for each and
whether the spelling has been seen in ICE's own records. A facility matches by its name
(case and runs of blanks ignored) or by its DETLOC code; nothing matches by a word in its
name, so a county police or probation department outside the city (Nassau, Suffolk,
Westchester) is never taken for NYPD or Probation. Federal facilities in the city are
listed so that they are refused with their own reason.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import polars as pl

CITY_AGENCIES = ("doc", "nypd", "dop")
AGENCIES = (*CITY_AGENCIES, "federal")


def facilities_path() -> Path:
    return Path(str(files("detainerlaw.laws.nyc.population").joinpath("data/nyc-facilities.csv")))


def normalize(name: str | None) -> str:
    """Upper case, blanks collapsed: the form names are compared in."""
    return re.sub(r"\s+", " ", (name or "").strip().upper())


@lru_cache(maxsize=1)
def facility_table() -> pl.DataFrame:
    """The table: ``facility, code, agency, seen_in_ice_data, source`` (every row sourced)."""
    df = pl.read_csv(facilities_path(), infer_schema=False)
    bad = df.filter(~pl.col("agency").is_in(AGENCIES) | pl.col("source").is_null() | pl.col("facility").is_null())
    if bad.height:
        raise ValueError(f"{facilities_path()}: row(s) without a known agency or a source: {bad.rows()}")
    return df.with_columns(pl.col("facility").map_elements(normalize, return_dtype=pl.String).alias("key"))


def by_name() -> dict[str, str]:
    return dict(facility_table().select("key", "agency").iter_rows())


def by_code() -> dict[str, str]:
    t = facility_table().filter(pl.col("code").is_not_null())
    return dict(t.select(pl.col("code").str.to_uppercase(), "agency").iter_rows())


def agency_of(facility: str | None, code: str | None = None) -> str | None:
    """``doc``, ``nypd``, ``dop``, ``federal`` (a federal facility in the city) or None."""
    return by_name().get(normalize(facility)) or by_code().get(normalize(code))


def agency_expr(facility: pl.Expr, code: pl.Expr) -> pl.Expr:
    """``agency_of`` as a Polars expression (null where the table has no entry)."""
    names = by_name()
    codes = by_code()
    key = facility.str.strip_chars().str.to_uppercase().str.replace_all(r"\s+", " ")
    ckey = code.str.strip_chars().str.to_uppercase()
    return pl.coalesce(key.replace_strict(names, default=None, return_dtype=pl.String),
                       ckey.replace_strict(codes, default=None, return_dtype=pl.String))

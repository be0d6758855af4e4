"""Day arithmetic as Polars: counting hours over the calendar's day tables and adding years."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import polars as pl

from detainerlaw.engine.calendar import is_counting_day

EPOCH_ORDINAL = dt.date(1970, 1, 1).toordinal()  # Polars dates count days from here

TABLE_FIRST = dt.date(1900, 1, 1).toordinal()
TABLE_LAST = dt.date(2100, 12, 31).toordinal()


@lru_cache(maxsize=4)
def day_tables(calendar: str = "us_federal") -> tuple[pl.Series, pl.Series]:
    """(counting days before each day of the table, the counting days in order)."""
    before, days, n = [], [], 0
    for d in range(TABLE_FIRST, TABLE_LAST + 2):
        before.append(n)
        if d <= TABLE_LAST and is_counting_day(d, calendar):
            days.append(d)
            n += 1
    return pl.Series(before, dtype=pl.Int64), pl.Series(days, dtype=pl.Int64)


def counting_hours_end(start: pl.Series, hours: int, calendar: str = "us_federal") -> pl.Series:
    """Vectorized ``calendar.counting_hours_end`` (days within the day table)."""
    before, days = day_tables(calendar)
    start = start.cast(pl.Int64)
    d, m = start // 1440, start % 1440
    if len(d) and (d.min() < TABLE_FIRST or d.max() > TABLE_LAST - 30):  # type: ignore[operator]
        raise ValueError("counting hours: a day outside the holiday table (1900-2100)")
    rel = d - TABLE_FIRST
    counting = before.gather(rel + 1) > before.gather(rel)
    need = hours * 60
    first = counting & (need <= 1440 - m)
    rest = pl.Series([need] * len(d), dtype=pl.Int64) - pl.Series(counting).cast(pl.Int64) * (1440 - m)
    k = ((rest + 1439) // 1440).clip(lower_bound=1)  # the k-th counting day after d (no hours: the first)
    idx = (before.gather(rel + 1) + k - 1).clip(0, len(days) - 1)
    end = days.gather(idx) * 1440 + rest - (k - 1) * 1440
    return pl.select(pl.when(first).then(start + need).otherwise(end)).to_series().rename("")


def add_years_expr(day: pl.Expr, years: int) -> pl.Expr:
    """Vectorized ``calendar.add_years``: 29 February lands on 28 February."""
    d = (day - EPOCH_ORDINAL).cast(pl.Int32).cast(pl.Date).dt.offset_by(f"{years}y")
    return d.cast(pl.Int32).cast(pl.Int64) + EPOCH_ORDINAL


"""Date and time arithmetic the law needs, on the engine's integer representations.

Days are ``date.toordinal()``; minutes are ``ordinal * 1440 + minute of day``.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays

MINUTES_PER_DAY = 1440
# The days the engine decides on: every date a case, a parameter or a reform may carry lies between
# them (a year-9999 date would overflow the calendar arithmetic; holiday tables cover this range).
FIRST_DAY = dt.date(1900, 1, 1)
LAST_DAY = dt.date(2099, 12, 31)


def day(d: dt.date) -> int:
    return d.toordinal()


def minute(t: dt.datetime | dt.date) -> int:
    if isinstance(t, dt.datetime):
        return t.toordinal() * MINUTES_PER_DAY + t.hour * 60 + t.minute
    return t.toordinal() * MINUTES_PER_DAY


def as_date(x: object) -> dt.date:
    """A date from a date, a datetime (its day) or an ISO ``YYYY-MM-DD`` string; a
    ValueError naming the value otherwise."""
    if isinstance(x, dt.datetime):
        return x.date()
    if isinstance(x, dt.date):
        return x
    try:
        return dt.date.fromisoformat(str(x))
    except ValueError:
        raise ValueError(f"{x!r} is not a date (YYYY-MM-DD)") from None


def to_date(day_ordinal: int) -> dt.date:
    return dt.date.fromordinal(day_ordinal)


def to_datetime(minutes: int) -> dt.datetime:
    d, m = divmod(minutes, MINUTES_PER_DAY)
    return dt.datetime.combine(dt.date.fromordinal(d), dt.time(m // 60, m % 60))


def add_years(day_ordinal: int, years: int) -> int:
    """Calendar years: the same month and day; 29 February becomes 28 February."""
    d = dt.date.fromordinal(day_ordinal)
    y = d.year + years
    try:
        return dt.date(y, d.month, d.day).toordinal()
    except ValueError:  # 29 February in a common year
        return dt.date(y, 2, 28).toordinal()


@lru_cache(maxsize=4)
def holiday_days(calendar: str, first_year: int = 1900, last_year: int = 2101) -> frozenset[int]:
    """Day ordinals of the calendar's holidays, observed dates included: every year a Case
    may name (``models.case.DATE_RANGE``) and the next, so that a 48-hour count started on
    any allowed day skips every holiday it crosses."""
    years = range(first_year, last_year + 1)
    if calendar == "us_federal":
        cal = holidays.US(years=years, observed=True)
    elif calendar == "ny_state":  # New York public holidays (federal ones plus state days)
        cal = holidays.US(subdiv="NY", years=years, observed=True)
    else:
        raise ValueError(f"unknown holiday calendar {calendar!r}")
    return frozenset(d.toordinal() for d in cal)


def is_counting_day(day_ordinal: int, calendar: str = "us_federal") -> bool:
    """Not a Saturday, Sunday or holiday."""
    return dt.date.fromordinal(day_ordinal).weekday() < 5 and day_ordinal not in holiday_days(calendar)


def counting_hours_end(start_minute: int, hours: int, calendar: str = "us_federal") -> int:
    """The first minute at which ``hours`` hours have run, counting only hours that fall
    on days which are not Saturdays, Sundays or holidays (8 C.F.R. 287.7(d) and
    § 14-154(b)(2) exclude those days)."""
    remaining = hours * 60
    d, m = divmod(start_minute, MINUTES_PER_DAY)
    while True:
        if is_counting_day(d, calendar):
            available = MINUTES_PER_DAY - m
            if remaining <= available:
                return d * MINUTES_PER_DAY + m + remaining
            remaining -= available
        d, m = d + 1, 0

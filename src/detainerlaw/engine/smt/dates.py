"""Calendar arithmetic over Z3 day ordinals: ``AddYears``, the counting-hours window and
the union of spells (exact within the bounds of the package docstring)."""

from __future__ import annotations

import datetime as dt
import itertools

import z3

from detainerlaw.engine.calendar import MINUTES_PER_DAY, add_years, holiday_days
from detainerlaw.engine.smt.table import ranges

WINDOW_DAYS = 14
CYCLE_BASE = dt.date(1901, 1, 1).toordinal()
CYCLE = 1461


def zmin(xs: list) -> z3.ArithRef:
    out = xs[0]
    for x in xs[1:]:
        out = z3.If(x < out, x, out)
    return out


def zmax(xs: list) -> z3.ArithRef:
    out = xs[0]
    for x in xs[1:]:
        out = z3.If(x > out, x, out)
    return out


def _cycle_pieces(years: int) -> list[tuple[int, int, int]]:
    """(first r, last r, delta) with add_years(base + r, years % 4) = base + r + delta."""
    b = years % 4
    out: list[tuple[int, int, int]] = []
    for r in range(CYCLE):
        delta = add_years(CYCLE_BASE + r, b) - (CYCLE_BASE + r)
        if out and out[-1][2] == delta and out[-1][1] == r - 1:
            out[-1] = (out[-1][0], r, delta)
        else:
            out.append((r, r, delta))
    return out


_PIECES: dict[int, list[tuple[int, int, int]]] = {}


def add_years_z3(day: z3.ArithRef, years: int) -> z3.ArithRef:
    """Exact ``calendar.add_years`` for days in 1901..2099 (4-year cycle of 1461 days)."""
    pieces = _PIECES.get(years % 4)
    if pieces is None:
        pieces = _PIECES[years % 4] = _cycle_pieces(years)
    shift = (years // 4) * CYCLE
    r = (day - CYCLE_BASE) % CYCLE
    out: z3.ArithRef = z3.IntVal(pieces[-1][2])
    for _lo, hi, delta in reversed(pieces[:-1]):
        out = z3.If(r <= hi, z3.IntVal(delta), out)
    return day + shift + out


_NONCOUNTING: dict[tuple, tuple[z3.ArithRef, z3.BoolRef]] = {}


def _noncounting(calendar: str, lo: int, hi: int) -> tuple[z3.ArithRef, z3.BoolRef]:
    """(x, a formula true when day x is a Saturday, Sunday or holiday), for x in [lo, hi]."""
    key = (calendar, lo, hi)
    if key not in _NONCOUNTING:
        x = z3.Int(f"__day_{calendar}")
        hols = sorted(h for h in holiday_days(calendar) if lo <= h <= hi and dt.date.fromordinal(h).weekday() < 5)
        _NONCOUNTING[key] = (x, z3.Or((x + 6) % 7 >= 5, ranges(x, hols)))
    return _NONCOUNTING[key]


def counting_hours_end_z3(start: z3.ArithRef, hours: int, calendar: str, decided_range: tuple[int, int]):
    """Minute at which ``hours`` counting hours have run (see ``calendar.counting_hours_end``)."""
    d = start / MINUTES_PER_DAY
    m = start % MINUTES_PER_DAY
    lo, hi = decided_range
    x, off_day = _noncounting(calendar, lo, hi + WINDOW_DAYS)
    need = hours * 60
    acc: z3.ArithRef = z3.IntVal(0)
    terms: list[tuple[z3.BoolRef, z3.ArithRef]] = []
    for j in range(WINDOW_DAYS):
        day = d + j
        counting = z3.Not(z3.substitute(off_day, (x, day)))
        avail = (MINUTES_PER_DAY - m) if j == 0 else z3.IntVal(MINUTES_PER_DAY)
        off = m if j == 0 else z3.IntVal(0)
        terms.append((z3.And(counting, need - acc <= avail), day * MINUTES_PER_DAY + off + (need - acc)))
        acc = acc + z3.If(counting, avail, 0)
    out: z3.ArithRef = z3.IntVal(-1)  # beyond the window: never within bounds
    for cond, val in reversed(terms):
        out = z3.If(cond, val, out)
    return out


def union_days_z3(spans: list[tuple[z3.BoolRef, z3.ArithRef, z3.ArithRef]], lo, hi) -> z3.ArithRef:
    """Days covered by the union of the active spells clipped to [lo, hi)."""
    clipped = []
    for active, s, t in spans:
        s2 = z3.If(s > lo, s, lo)
        t2 = z3.If(t < hi, t, hi)
        clipped.append((z3.If(active, s2, 0), z3.If(active, t2, 0)))
    total: z3.ArithRef = z3.IntVal(0)
    for r in range(1, len(clipped) + 1):
        for combo in itertools.combinations(clipped, r):
            s = zmax([c[0] for c in combo])
            t = zmin([c[1] for c in combo])
            inter = z3.If(t > s, t - s, 0)
            total = total + inter if r % 2 else total - inter
    return total

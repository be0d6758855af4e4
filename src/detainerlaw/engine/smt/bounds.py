"""The scope of a proof: items per list, date ranges, windows (see the package docstring)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Bounds:
    """The scope of a proof."""

    k: int = 3
    history: tuple[dt.date, dt.date] = (dt.date(1950, 1, 1), dt.date(2035, 12, 31))
    decided: tuple[dt.date, dt.date] = (dt.date(2011, 1, 1), dt.date(2030, 12, 31))
    jw_window_days: int = 30
    arrest_within_days: int = 730

    def as_dict(self) -> dict:
        return {
            "items_per_list": self.k,
            "history_dates": [self.history[0].isoformat(), self.history[1].isoformat()],
            "decision_dates": [self.decided[0].isoformat(), self.decided[1].isoformat()],
            "judicial_warrant_at_within_days": self.jw_window_days,
            "instant_arrest_within_days_before_decision": self.arrest_within_days,
            "statutes": "every key the law compares against, one unlisted section, and OTHER",
        }

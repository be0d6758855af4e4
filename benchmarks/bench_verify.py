"""Timing of ``verify``: each bundled claim (goal < 1 s) and the first 10 distinguishing
cases between adjacent law versions (goal < 5 s).

Run: ``.venv/bin/python benchmarks/bench_verify.py``.

Figures recorded (k = 3, shared machine): bundled forall/exists claims 0.08-0.87 s each
(slowest: doc-judicial-warrant-suffices-2024, 0.87 s); the bundled diff claim (10
cases) 3.6 s; adjacent-version diffs, first 10 cases: DOC hold 2013-07-16 0.75 s (2
cases), DOC hold 2014-12-14 3.5 s (10), DOC information 2015-02-12 0.83 s (4), NYPD
hold 2014-12-14 4.0 s (10), NYPD hold 2026-01-29 0.15 s (0), DOP hold 2018-01-30 0.33 s (3).
"""

from __future__ import annotations

import datetime as dt
import time

from detainerlaw.claims import bundled_claims, diff_laws, verify_claims
from detainerlaw.decide import default_pack

ADJACENT = [
    ("doc", "hold", dt.date(2013, 7, 16)),
    ("doc", "hold", dt.date(2014, 12, 14)),
    ("doc", "share_information", dt.date(2015, 2, 12)),
    ("nypd", "hold", dt.date(2014, 12, 14)),
    ("nypd", "hold", dt.date(2026, 1, 29)),
    ("dop", "hold", dt.date(2018, 1, 30)),
]


def main() -> None:
    default_pack()
    print("bundled claims (goal < 1 s each)")
    for r in verify_claims(bundled_claims())["results"]:
        ok = "ok " if r["seconds"] < 1 or r["kind"] == "diff" else "SLOW"
        print(f"  {ok} {r['seconds']:6.2f} s  {r['verdict']:7s} {r['id']}")
    print("diff of adjacent versions, first 10 cases (goal < 5 s)")
    for agency, action, day in ADJACENT:
        t = time.perf_counter()
        cases = diff_laws(day - dt.timedelta(days=1), day, agency, action, limit=10)
        s = time.perf_counter() - t
        print(f"  {'ok ' if s < 5 else 'SLOW'} {s:6.2f} s  {len(cases):2d} cases  {agency} {action} {day}")


if __name__ == "__main__":
    main()

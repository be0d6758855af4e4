"""The SMT backend: lowered expressions compiled to Z3 over a symbolic case.

A ``SymCase`` holds one Z3 variable per fact of a pack's ``Schema``; ``Encoder`` turns a
plain expression (``lower.lower_action``'s ``outcome`` and ``until``) into a Z3 term
over it, with the semantics of the interpreter. What is abstracted, and why:

- Lists are bounded: each list has ``k`` slots (default 3) and a symbolic length;
  slots beyond the length are ignored. A proof ("holds") is a proof for every case
  with at most ``k`` items per list; the bound is reported with every verdict.
- Days are bounded integers (day ordinals): history (offences, convictions,
  judgments, incarcerations, the instant arrest) 1950-01-01..2035-12-31, decisions
  2011-01-01..2030-12-31, and every history date on or before the decision. Calendar
  arithmetic is exact inside 1901..2099 (``AddYears`` by the 4-year cycle).
- Statutes are a finite domain, read from the pack's ``Vocabulary``: every key
  (section, subdivision, article) any compiled expression compares against, one
  unlisted subdivision of each subdivision-limited section, one unlisted section of
  each code and named article, keys a claim names, and the vocabulary's ``other``
  row (a free-text out-of-state citation). Keys no expression tells apart are merged
  into one representative, so a proof over the representatives covers every statute;
  free-text statutes all collapse to ``other``.
- The claim checker, which knows what the facts mean, adds what makes a modelled
  case plausible (``claims.problem``): it always carries an instant arrest date (the
  lookback needs one), at most ``arrest_within_days`` before the decision; a judicial
  warrant presented later comes within ``jw_window_days`` of the decision; a pending
  case's charges are New York charges, and the information kind is given exactly when
  the request is for information.

``CountingHoursEnd`` (the NYPD 48-hour window) is an If-chain over the next
``WINDOW_DAYS`` days of the start day, using the weekday (ordinal mod 7) and the
holiday set of ``calendar.holiday_days``; ``UnionDays`` is inclusion-exclusion over
the ``k`` clipped spells.

Modules: ``vocabulary`` (the protocol a place implements for its statutes), ``table``
(the statute domain), ``symcase`` (the variables), ``dates`` (calendar encodings),
``encoder`` (expressions to terms), ``bounds``.
"""

from __future__ import annotations

from detainerlaw.engine.smt.bounds import Bounds
from detainerlaw.engine.smt.dates import CYCLE, WINDOW_DAYS, add_years_z3, counting_hours_end_z3, union_days_z3
from detainerlaw.engine.smt.encoder import ENCODERS, Encoder, evaluate_concrete, instantiate
from detainerlaw.engine.smt.symcase import EnumV, KeyV, SymCase
from detainerlaw.engine.smt.table import KeyTable, ranges, table_for
from detainerlaw.engine.smt.vocabulary import Row, Vocabulary

__all__ = [
    "CYCLE", "ENCODERS", "WINDOW_DAYS", "Bounds", "Encoder", "EnumV", "KeyTable", "KeyV", "Row", "SymCase",
    "Vocabulary", "add_years_z3", "counting_hours_end_z3", "evaluate_concrete", "instantiate", "ranges",
    "table_for", "union_days_z3",
]

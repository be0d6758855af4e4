"""The Z3 encoding agrees with the interpreter on concrete cases, and its calendar
arithmetic is exact."""

from __future__ import annotations

import datetime as dt

import pytest
import z3

from detainerlaw.engine import smt
from detainerlaw.engine.calendar import add_years, counting_hours_end
from detainerlaw.engine.interpreter import evaluate_action
from detainerlaw.engine.lower import CODES, bind_action, lower_action
from detainerlaw.laws.nyc import pack
from detainerlaw.laws.nyc.casegen import random_cases
from detainerlaw.laws.nyc.facts import case_facts

N_CASES = 1500


@pytest.mark.parametrize("years", [1, 2, 3, 4, 5, 10])
def test_add_years_exact_over_a_four_year_span(years: int) -> None:
    x = z3.Int("x")
    term = smt.add_years_z3(x, years)
    start = dt.date(2011, 1, 1).toordinal()
    for d in range(start, start + smt.CYCLE + 2):
        got = z3.simplify(z3.substitute(term, (x, z3.IntVal(d)))).as_long()
        assert got == add_years(d, years), (dt.date.fromordinal(d), years)


def test_counting_hours_end_around_holidays() -> None:
    m = z3.Int("m")
    lo, hi = dt.date(2016, 1, 1).toordinal(), dt.date(2017, 1, 31).toordinal()
    term = smt.counting_hours_end_z3(m, 48, "us_federal", (lo, hi))
    for d in range(lo, hi, 3):
        for minute in (0, 14 * 60 + 7, 1439):
            start = d * 1440 + minute
            got = z3.simplify(z3.substitute(term, (m, z3.IntVal(start)))).as_long()
            assert got == counting_hours_end(start, 48), dt.date.fromordinal(d)


def test_encoding_matches_interpreter_on_generated_cases() -> None:
    p = pack()
    cases = random_cases(N_CASES, seed=7)
    facts = [case_facts(c) for c in cases]
    snaps = {}
    for c in cases:
        s = p.snapshot(c.decided_date, c.agency.value)
        snaps[id(s)] = s
    # each law version's parameters fixed in its terms, as claims are compiled (``claims.problem``)
    lowered = {(sid, a): bind_action(lower_action(s, a), s.params) for sid, s in snaps.items() for a in s.actions}
    table = smt.table_for([x for la in lowered.values() for x in (la.outcome, la.until)], facts,
                          vocabulary=p.vocabulary)
    sym = smt.SymCase(table, smt.Bounds(k=4), schema=p.schema)
    enc = smt.Encoder(sym)
    terms: dict = {}
    checked = 0
    for c, f in zip(cases, facts):
        s = p.snapshot(c.decided_date, c.agency.value)
        pairs = sym.substitution(f)
        for a in s.actions:
            key = (id(s), a)
            if key not in terms:
                terms[key] = [enc(lowered[key].outcome), enc(lowered[key].until)]
            ev, _ = evaluate_action(s, a, f)
            want = [CODES[ev.outcome], ev.until if ev.until is not None else -1]
            assert smt.instantiate(terms[key], pairs) == want, (a, c.model_dump_json())
            checked += 1
    assert checked > N_CASES


def test_statute_rows_read_back_from_the_facts_they_yield() -> None:
    p = pack()
    vocabulary = p.vocabulary
    exprs = [lower_action(s, a).outcome for ag in p.agencies for s in p.epochs(ag) for a in s.actions]
    table = smt.table_for(exprs, vocabulary=vocabulary)
    assert vocabulary.other in table.rows and len(table.rows) > 10
    for row, attrs in zip(table.rows, table.attrs, strict=True):
        assert tuple(attrs) == vocabulary.fields
        assert vocabulary.row_of(attrs) == row

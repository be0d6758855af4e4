"""The finite statute domain: the rows a statute-citing item may take, and the keys each yields."""

from __future__ import annotations

from collections.abc import Iterable

import z3

from detainerlaw.engine import expr as E
from detainerlaw.engine.smt.vocabulary import Row, Vocabulary


class KeyTable:
    """Rows (section, subdivision) of a place's ``Vocabulary`` and the key fields of each."""

    def __init__(self, rows: list[Row], vocabulary: Vocabulary):
        self.vocabulary = vocabulary
        self.rows = rows
        self.attrs = [vocabulary.row_attrs(r) for r in rows]
        self.index = {r: i for i, r in enumerate(rows)}
        self.other = self.index[vocabulary.other]
        self._member: dict[tuple, list[int]] = {}

    @classmethod
    def build(cls, exprs: Iterable[E.Expr], vocabulary: Vocabulary, extra: Iterable[Row] = ()) -> KeyTable:
        exprs = tuple(exprs)
        key = (id(vocabulary), *(id(e) for e in exprs))
        hit = _ANALYSIS.get(key)
        if hit is None:
            if len(_ANALYSIS) >= _ANALYSIS_LIMIT:
                _ANALYSIS.clear()  # each entry keeps its expressions alive, so its key's ids stay theirs
            hit = _ANALYSIS[key] = ((vocabulary, exprs), _analyze(exprs, vocabulary))
        return cls(sorted(set(hit[1]) | set(extra) | {vocabulary.other}), vocabulary)

    def member(self, row: z3.ArithRef, attr: str, values: Iterable[str]) -> z3.BoolRef:
        vals = frozenset(values)
        idx = self._member.get((attr, vals))
        if idx is None:
            idx = self._member[(attr, vals)] = [i for i, a in enumerate(self.attrs) if a[attr] in vals]
        return ranges(row, idx)

    def same(self, row: z3.ArithRef, a1: str, a2: str) -> z3.BoolRef:
        return ranges(row, [i for i, a in enumerate(self.attrs) if a[a1] == a[a2]])


_ANALYSIS: dict[tuple, tuple[tuple, list[Row]]] = {}
_ANALYSIS_LIMIT = 256


def _analyze(exprs: tuple[E.Expr, ...], vocabulary: Vocabulary) -> list[Row]:
    """Representative rows: one per class of statutes the expressions cannot tell apart."""
    consts: set[str] = set()
    members: set[str] = set()
    sets: list[frozenset] = []
    for root in exprs:
        for n in _walk_unique(root):
            if isinstance(n, E.In) and any(isinstance(v, str) for v in n.values):
                sets.append(n.values)
                members |= {v for v in n.values if isinstance(v, str)}
            elif isinstance(n, E.Const) and isinstance(n.value, str):
                consts.add(n.value)
    cand = vocabulary.candidates(consts | members)
    groups = list({*sets, *(frozenset((c,)) for c in consts)})
    sig_rows: dict[tuple, Row] = {}
    for r in sorted(cand):
        a = vocabulary.row_attrs(r)
        sig = tuple(tuple(v in g for g in groups) for v in a.values()) + (not r[1],)
        sig_rows.setdefault(sig, r)
    return list(sig_rows.values())


def ranges(v: z3.ArithRef, idx: list[int]) -> z3.BoolRef:
    """``v`` is one of ``idx``, as a disjunction of intervals."""
    if not idx:
        return z3.BoolVal(False)
    idx = sorted(idx)
    out, lo, prev = [], idx[0], idx[0]
    for i in idx[1:] + [None]:  # type: ignore[list-item]
        if i is not None and i == prev + 1:
            prev = i
            continue
        out.append(v == lo if lo == prev else z3.And(v >= lo, v <= prev))
        if i is not None:
            lo = prev = i
    return out[0] if len(out) == 1 else z3.Or(out)


def _walk_unique(e: E.Expr):
    seen: set[int] = set()
    stack = [e]
    while stack:
        n = stack.pop()
        if id(n) in seen:
            continue
        seen.add(id(n))
        yield n
        stack.extend(E.children(n))


def table_for(exprs: Iterable[E.Expr], facts: Iterable[dict] = (), *, vocabulary: Vocabulary) -> KeyTable:
    """The statute domain for ``exprs``, with the rows of some concrete facts added."""
    extra = []
    for f in facts:
        for lst in vocabulary.lists:
            extra += [vocabulary.row_of(it) for it in f.get(lst, [])]
    return KeyTable.build(exprs, vocabulary, extra)

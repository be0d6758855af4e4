"""The layers' combination rule (``engine.layers``) on Z3 terms: outcomes are codes (``rules.OUTCOMES``)."""

from __future__ import annotations

import z3

from detainerlaw.engine.layers import Answer, Ops, combine
from detainerlaw.engine.rules import OUTCOMES

CODE = {o: i for i, o in enumerate(OUTCOMES)}

Z3: Ops = Ops(
    is_=lambda o, c: o == CODE[c],
    and_=z3.And,
    or_=z3.Or,
    not_=z3.Not,
    if_=z3.If,
    const=lambda c: z3.IntVal(CODE[c]),
    false=z3.BoolVal(False),
)


def combine_terms(outcomes: dict[str, z3.ArithRef], preempts: dict[str, z3.BoolRef] | None = None) -> z3.ArithRef:
    """The combined outcome code of one action, from each layer's outcome term (highest first)."""
    return combine([Answer(lid, t, (preempts or {}).get(lid, z3.BoolVal(False))) for lid, t in outcomes.items()], Z3)

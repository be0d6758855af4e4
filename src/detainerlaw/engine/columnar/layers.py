"""The layers' combination rule (``engine.layers``) on columns: outcome arrays, one per layer."""

from __future__ import annotations

import numpy as np

from detainerlaw.engine.layers import Answer, Ops, combine

NUMPY: Ops = Ops(
    is_=lambda o, c: o == c,
    and_=np.logical_and,
    or_=np.logical_or,
    not_=np.logical_not,
    if_=lambda c, a, b: np.where(c, a, b),
    const=lambda c: np.asarray(c, dtype=object),
    false=np.False_,
)


def combine_columns(outcomes: dict[str, np.ndarray], preempts: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Each row's combined outcome, from each layer's outcome column (layers highest first;
    ``preempts`` marks rows whose deciding rule displaces lower prohibitions)."""
    n = len(next(iter(outcomes.values())))
    answers = [Answer(lid, np.asarray(col, dtype=object),
                      np.asarray((preempts or {}).get(lid, np.zeros(n, dtype=bool)), dtype=bool))
               for lid, col in outcomes.items()]
    return np.asarray(combine(answers, NUMPY), dtype=object)

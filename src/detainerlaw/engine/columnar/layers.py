"""A place's stack of layers on a population: each layer evaluated by the columnar backend, and
their answers combined by the one rule of ``engine.layers``, written here as Polars expressions.

``evaluate_stack`` returns, per action, the combined ``{action}``, ``{action}_until`` and
``{action}_rule`` (the deciding layers' rule labels, each prefixed ``layer:``, joined by ``|``), and
each layer's own ``{action}@{layer}``, ``{action}_until@{layer}``, ``{action}_rule@{layer}`` and
``{action}_decides@{layer}`` (whether the combined answer follows that layer).
"""

from __future__ import annotations

from collections.abc import Sequence

import polars as pl

from detainerlaw.engine.columnar.evaluation import evaluate
from detainerlaw.engine.columnar.partitions import pack_actions
from detainerlaw.engine.layers import Answer, Ops, combine
from detainerlaw.engine.pack import LawPack, Reform
from detainerlaw.engine.rules import NOT_GOVERNED, OUTCOMES, PERMITTED, PROHIBITED, REQUIRED

LAYER_SEP = "|"  # between the deciding layers' labels (a layer's own label joins its rules with "+")

POLARS: Ops = Ops(
    is_=lambda o, c: o == c,
    and_=lambda a, b: a & b,
    or_=lambda a, b: a | b,
    not_=lambda a: ~a,
    if_=lambda c, a, b: pl.when(c).then(a).otherwise(b),
    const=lambda c: pl.lit(c),
    false=pl.lit(False),
)


def combine_exprs(outcomes: dict[str, pl.Expr], preempts: dict[str, pl.Expr] | None = None) -> pl.Expr:
    """The combined outcome (a string expression) from each layer's outcome expression, highest first."""
    return combine([Answer(lid, o, (preempts or {}).get(lid, pl.lit(False))) for lid, o in outcomes.items()], POLARS)


def preempting_labels(pack: LawPack, reform: Reform, labels: Sequence[str]) -> list[str]:
    """The rule labels (``id#branch+...``) among ``labels`` whose deciding branches preempt lower layers."""
    marked: set[str] = set()
    for ag in pack.agencies:
        for snap in pack.epochs(ag, reform):
            for r in snap.rules():
                if r.preempts:
                    marked.add(f"{r.id}#0")
                marked.update(f"{r.id}#{i}" for i, w in enumerate(r.ranked(), start=1) if w.preempts)
    if not marked:
        return []
    return [lab for lab in labels if any(part in marked for part in lab.split("+"))]


def evaluate_stack(frame: pl.DataFrame, stack: Sequence[tuple[str, LawPack, Reform]]) -> pl.DataFrame:
    """``frame`` with each layer's answers and the combined ones (``stack`` highest first)."""
    if len(stack) == 1:
        return evaluate(frame, stack[0][1], stack[0][2])
    actions: dict[str, None] = {}
    per: list[tuple[str, pl.DataFrame, LawPack, Reform]] = []
    for lid, pack, reform in stack:
        actions.update(dict.fromkeys(pack_actions(pack)))
        per.append((lid, evaluate(frame, pack, reform), pack, reform))
    cols: list[pl.Series] = []
    for a in actions:
        layer_cols = {}
        for lid, res, pack, reform in per:
            if a in res.columns:
                rule = res[f"{a}_rule"].cast(pl.String)
                pre = rule.is_in(preempting_labels(pack, reform, rule.drop_nulls().unique().to_list()))
                layer_cols[lid] = (res[a].cast(pl.String), res[f"{a}_until"], rule, pre)
            else:  # a layer that never engages the action does not speak to it
                none = pl.Series([None] * frame.height)
                layer_cols[lid] = (none.cast(pl.String), none.cast(pl.Int64), none.cast(pl.String),
                                   none.cast(pl.Boolean))
        t = pl.DataFrame({f"o{i}": v[0] for i, v in enumerate(layer_cols.values())}
                         | {f"u{i}": v[1] for i, v in enumerate(layer_cols.values())}
                         | {f"r{i}": v[2] for i, v in enumerate(layer_cols.values())}
                         | {f"p{i}": v[3].fill_null(False) for i, v in enumerate(layer_cols.values())})
        lids = list(layer_cols)
        o = {lid: pl.col(f"o{i}").fill_null(NOT_GOVERNED) for i, lid in enumerate(lids)}
        combined = combine_exprs(o, {lid: pl.col(f"p{i}") for i, lid in enumerate(lids)})
        engaged = pl.any_horizontal([pl.col(f"o{i}").is_not_null() for i in range(len(lids))])
        t = t.with_columns(pl.when(engaged).then(combined).alias("combined"))
        void = pl.lit(False)
        deciding = []
        for i, lid in enumerate(lids):
            oi = o[lid]
            deciding.append((oi == pl.col("combined")) & ~(void & (oi == PROHIBITED)))
            void = void | pl.col(f"p{i}") | (oi == REQUIRED)
        until = pl.min_horizontal([pl.when(deciding[i] & (o[lid] == PERMITTED)).then(pl.col(f"u{i}"))
                                   for i, lid in enumerate(lids)])
        label = pl.concat_str([pl.when(deciding[i] & pl.col(f"r{i}").is_not_null())
                               .then(pl.lit(f"{lid}:") + pl.col(f"r{i}")) for i, lid in enumerate(lids)],
                              separator=LAYER_SEP, ignore_nulls=True)
        t = t.with_columns(pl.when(pl.col("combined") == PERMITTED).then(until).alias("until"),
                           pl.when(engaged).then(label).alias("rule"),
                           *[(engaged & deciding[i]).alias(f"d{i}") for i in range(len(lids))])
        cols += [t["combined"].cast(pl.Enum(list(OUTCOMES))).alias(a), t["until"].alias(f"{a}_until"),
                 t["rule"].alias(f"{a}_rule")]
        t = t.with_columns(pl.when(engaged).then(o[lid]).alias(f"a{i}") for i, lid in enumerate(lids))
        for i, lid in enumerate(lids):
            cols += [t[f"a{i}"].cast(pl.Enum(list(OUTCOMES))).alias(f"{a}@{lid}"), t[f"u{i}"].alias(f"{a}_until@{lid}"),
                     t[f"r{i}"].alias(f"{a}_rule@{lid}"), t[f"d{i}"].alias(f"{a}_decides@{lid}")]
    return frame.with_columns(cols)

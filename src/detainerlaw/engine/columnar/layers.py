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
    marked = _preempting(pack, reform)
    if not marked:
        return []
    return [lab for lab in labels if any(part in marked for part in lab.split("+"))]


def _preempting(pack: LawPack, reform: Reform) -> frozenset[str]:
    """The branches (``id#branch``) of a pack's rules, under a reform, that preempt lower layers
    (found once per pack and reform: every epoch's rules are read)."""
    cache = pack.cache(reform).derived
    hit = cache.get(("preempting",))
    if hit is None:
        marked: set[str] = set()
        for ag in pack.agencies:
            for snap in pack.epochs(ag, reform):
                for r in snap.rules():
                    if r.preempts:
                        marked.add(f"{r.id}#0")
                    marked.update(f"{r.id}#{i}" for i, w in enumerate(r.ranked(), start=1) if w.preempts)
        hit = cache[("preempting",)] = frozenset(marked)
    return hit


def evaluate_stack(frame: pl.DataFrame, stack: Sequence[tuple[str, LawPack, Reform]]) -> pl.DataFrame:
    """``frame`` with each layer's answers and the combined ones (``stack`` highest first).

    The combination depends on each layer's outcome, rule label and whether it preempts, which take
    few distinct values together: it is computed once per distinct combination (the rule of
    ``engine.layers`` as Polars expressions) and joined back to the rows; only the untils are read
    row by row."""
    if len(stack) == 1:
        return evaluate(frame, stack[0][1], stack[0][2])
    actions: dict[str, None] = {}
    per: list[tuple[str, pl.DataFrame, LawPack, Reform]] = []
    for lid, pack, reform in stack:
        actions.update(dict.fromkeys(pack_actions(pack)))
        per.append((lid, evaluate(frame, pack, reform), pack, reform))
    lids = [lid for lid, _, _, _ in per]
    cols: list[pl.Series] = []
    for a in actions:
        keys: dict[str, pl.Series] = {}
        untils: list[pl.Series] = []
        preempting: list[list[str]] = []
        for i, (_, res, pack, reform) in enumerate(per):
            if a in res.columns:
                keys |= {f"o{i}": res[a], f"r{i}": res[f"{a}_rule"]}
                untils.append(res[f"{a}_until"])
                preempting.append(preempting_labels(pack, reform, res[f"{a}_rule"].cast(pl.String).unique()
                                                    .drop_nulls().to_list()))
            else:  # a layer that never engages the action does not speak to it
                none = pl.Series([None] * frame.height)
                keys |= {f"o{i}": none.cast(pl.String), f"r{i}": none.cast(pl.String)}
                untils.append(none.cast(pl.Int64))
                preempting.append([])
        rows = pl.DataFrame(keys)
        combos = _combine_table(rows.unique(), lids, preempting)
        t = rows.join(combos, on=list(keys), how="left", nulls_equal=True, maintain_order="left")
        until = pl.min_horizontal([pl.when(pl.col(f"use{i}")).then(u) for i, u in enumerate(untils)])
        t = t.with_columns(until.alias("until"))
        cols += [t["combined"].alias(a), t["until"].alias(f"{a}_until"), t["rule"].alias(f"{a}_rule")]
        for i, lid in enumerate(lids):
            cols += [t[f"a{i}"].alias(f"{a}@{lid}"), untils[i].alias(f"{a}_until@{lid}"),
                     rows[f"r{i}"].cast(pl.String).alias(f"{a}_rule@{lid}"), t[f"d{i}"].alias(f"{a}_decides@{lid}")]
    return frame.with_columns(cols)


def _combine_table(combos: pl.DataFrame, lids: list[str], preempting: list[list[str]]) -> pl.DataFrame:
    """For each distinct (outcome ``o{i}``, rule label ``r{i}``) of the layers, whose labels in
    ``preempting[i]`` displace lower layers' prohibitions: the combined outcome, its rule label (the
    deciding layers' labels, each ``layer:``), each layer's answer where the action is engaged
    (``a{i}``), whether the combined answer follows it (``d{i}``) and whether its until bounds the
    combined one (``use{i}``)."""
    out_t = pl.Enum(list(OUTCOMES))
    t = combos.with_columns(*[pl.col(f"o{i}").cast(pl.String).alias(f"_o{i}") for i in range(len(lids))],
                            *[pl.col(f"r{i}").cast(pl.String).alias(f"_r{i}") for i in range(len(lids))])
    t = t.with_columns(pl.col(f"_r{i}").is_in(pl.Series(pre, dtype=pl.String).implode()).fill_null(False)
                       .alias(f"p{i}") for i, pre in enumerate(preempting))
    o = {lid: pl.col(f"_o{i}").fill_null(NOT_GOVERNED) for i, lid in enumerate(lids)}
    combined = combine_exprs(o, {lid: pl.col(f"p{i}") for i, lid in enumerate(lids)})
    engaged = pl.any_horizontal([pl.col(f"_o{i}").is_not_null() for i in range(len(lids))])
    t = t.with_columns(pl.when(engaged).then(combined).alias("_combined"))
    void = pl.lit(False)
    deciding = []
    for i, lid in enumerate(lids):
        oi = o[lid]
        deciding.append((oi == pl.col("_combined")) & ~(void & (oi == PROHIBITED)))
        void = void | pl.col(f"p{i}") | (oi == REQUIRED)
    label = pl.concat_str([pl.when(deciding[i] & pl.col(f"_r{i}").is_not_null())
                           .then(pl.lit(f"{lid}:") + pl.col(f"_r{i}")) for i, lid in enumerate(lids)],
                          separator=LAYER_SEP, ignore_nulls=True)
    permitted = pl.col("_combined") == PERMITTED
    return t.select(
        *[pl.col(f"{x}{i}") for i in range(len(lids)) for x in "or"],
        pl.col("_combined").cast(out_t).alias("combined"),
        pl.when(engaged).then(label).alias("rule"),
        *[pl.when(engaged).then(o[lid]).cast(out_t).alias(f"a{i}") for i, lid in enumerate(lids)],
        *[(engaged & deciding[i]).alias(f"d{i}") for i in range(len(lids))],
        *[(permitted & deciding[i] & (o[lid] == PERMITTED)).fill_null(False).alias(f"use{i}")
          for i, lid in enumerate(lids)],
    )

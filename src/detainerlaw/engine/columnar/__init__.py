"""The columnar backend: the lowered expressions of ``lower.lower_action`` compiled to
Polars, evaluated on a whole facts frame (``frame.facts_frame``) at once.

Rows are partitioned by (law epoch of ``decided_day``, agency, request kind); each
partition gets the compiled plan of its snapshot (cached per epoch, agency and the actions
its kind engages, in the pack's cache of the reform's law: ``LawPack.cache``). Strings are
integer codes of one process-wide vocabulary, so every comparison is on integers. The
facts a frame holds, its request kinds and agencies, and the actions of the results are
the pack's (``pack.schema``, ``pack.agencies``, ``pack_actions``): the backend knows no place.

Quantifiers use child tables rather than list columns: a scope binding variables
``(c, i)`` is a table of index tuples (case row, conviction, incarceration) built from
the list offsets, so a predicate may read the case, every bound item and outer items
alike (``list.eval`` cannot read outer columns). A quantifier is then a segmented
reduction over the child rows, which are contiguous per parent row: ``Any``/``Count``
by a prefix sum read at the offsets, ``UnionDays`` by a sort on (parent, start) and a
running maximum of the ends. Child rows are built only for cases where some quantifier
over those items can change an output (``guards``). Subexpressions shared across rules
and actions are computed once (hash-consing of the expression DAG). The index
arithmetic between scopes is NumPy; the rules' expressions are Polars.

The layers, each module reading only those above it:

- ``vocabulary``: strings as integer codes;
- ``encoding``: facts frames (Arrow or Polars) as the NumPy columns the plans read;
- ``days``: counting hours and adding years, vectorized;
- ``plans``: compiling lowered rules to plans of Polars expressions over scopes;
- ``execution``: running a plan on the rows of one partition;
- ``labels``: the deciding rules of a row as a label, and its citations and conditions;
- ``partitions``: epochs, agencies and request kinds, and the plan of each partition;
- ``evaluation``: ``evaluate``, a facts frame's partitions run and put back in row order;
- ``parquet``: ``evaluate_parquet``, Parquet in and out in pipelined chunks;
- ``stack``: a place's layers on one encoding of a chunk as NumPy answers, a reform's answers from
  the baseline's (only the actions whose lowered rules it changes, where they change), and the
  layers combined once per distinct combination of their answers;
- ``layers``: ``evaluate_stack``, the stack's answers as columns of the frame.
"""

from __future__ import annotations

from detainerlaw.engine.columnar.days import (
    EPOCH_ORDINAL,
    TABLE_FIRST,
    TABLE_LAST,
    add_years_expr,
    counting_hours_end,
    day_tables,
)
from detainerlaw.engine.columnar.encoding import Encoded, Need, _bools, encode, encode_arrow, frame_schema
from detainerlaw.engine.columnar.evaluation import THREADS, evaluate
from detainerlaw.engine.columnar.execution import IDX, View, evaluate_exprs, run_plan, view
from detainerlaw.engine.columnar.labels import (
    citation_code,
    deciding,
    label_citations,
    label_conditions,
    parse_rule_label,
    rule_label,
)
from detainerlaw.engine.columnar.parquet import _parquet_columns, evaluate_parquet, read_parquet_encoded
from detainerlaw.engine.columnar.partitions import (
    _epochs,
    bound_params,
    kind_actions,
    pack_actions,
    partitions,
    plan_fingerprint,
    plan_for,
)
from detainerlaw.engine.columnar.plans import (
    NODES,
    OPERATORS,
    Chain,
    Plan,
    Step,
    compile_snapshot,
    plan_needs,
    plan_params,
)
from detainerlaw.engine.columnar.vocabulary import code, encode_strings
from detainerlaw.engine.pack import BASELINE

__all__ = [
    "BASELINE", "EPOCH_ORDINAL", "IDX", "NODES", "OPERATORS", "TABLE_FIRST", "TABLE_LAST", "THREADS",
    "Chain", "Encoded", "Need", "Plan", "Step", "View",
    "_bools", "_epochs", "_parquet_columns",
    "add_years_expr", "bound_params", "citation_code", "code", "compile_snapshot", "counting_hours_end", "day_tables",
    "deciding",
    "encode", "encode_arrow", "encode_strings", "evaluate", "evaluate_exprs", "evaluate_parquet", "frame_schema",
    "kind_actions", "label_citations", "label_conditions", "pack_actions", "parse_rule_label", "partitions",
    "plan_fingerprint", "plan_for", "plan_needs", "plan_params", "read_parquet_encoded", "rule_label", "run_plan",
    "view",
]

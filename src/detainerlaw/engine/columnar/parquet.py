"""``evaluate_parquet``: a facts-frame Parquet file evaluated in chunks of row groups, one
thread reading and encoding the next chunk and another writing the last while the current
one is evaluated, with Arrow's chunk pool in force and the cycle collector paused."""

from __future__ import annotations

import datetime as dt
import gc
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import polars as pl
import pyarrow as pa

from detainerlaw.engine.columnar.encoding import Encoded, Need, encode_arrow
from detainerlaw.engine.columnar.evaluation import _OUT_T, _evaluate_encoded
from detainerlaw.engine.columnar.partitions import _partitions, pack_actions, plan_for
from detainerlaw.engine.columnar.plans import plan_needs
from detainerlaw.engine.expr import Schema
from detainerlaw.engine.pack import BASELINE, LawPack, Reform
from detainerlaw.engine.rules import OUTCOMES


def _parquet_columns(path: str | Path, facts: Schema, need: Need, keep: tuple[str, ...] = ()) -> tuple:
    """(the ParquetFile, the leaf column paths to read, the top-level names) of a facts frame
    of schema ``facts``."""
    import pyarrow.parquet as pq

    pf = pq.ParquetFile(path, memory_map=True)
    names = set(pf.schema_arrow.names)
    missing = [k for k in (*facts.fields, *facts.lists) if k not in names]
    if missing:
        raise ValueError(f"{path}: not a facts frame: missing column(s) {', '.join(missing)}")
    leaf_paths = {c.path for c in pf.schema}
    cols = [k for k in keep if k in names] + sorted(need[""])
    for name, fields in need.items():
        if name:
            cols += [p for f in sorted(fields) for p in (f"{name}.list.element.{f}", f"{name}.list.item.{f}")
                     if p in leaf_paths]
    return pf, cols, names


def read_parquet_encoded(path: str | Path, facts: Schema, need: Need) -> Encoded:
    """The ``need``ed columns of a facts-frame Parquet file of schema ``facts``, encoded."""
    pf, cols, _ = _parquet_columns(path, facts, need)
    return encode_arrow(pa.concat_tables([pf.read_row_group(i, columns=cols) for i in range(pf.num_row_groups)]),
                        facts, need)


def evaluate_parquet(path: str | Path, out: str | Path, pack: LawPack, reform: Reform = BASELINE,
                     chunk_rows: int = 1_000_000, keep: tuple[str, ...] = ("case_id",)) -> int:
    """``evaluate`` from a facts-frame Parquet file to a Parquet file of ``keep`` and the
    result columns, in chunks of about ``chunk_rows`` cases (row groups), reading only the
    columns the plans need; the next chunk is read while the current one is evaluated.
    The ``{action}_rule`` columns are dictionary-encoded (Categorical when read by Polars);
    pages are LZ4-compressed.
    Arrow allocates from ``_chunk_pool`` during the call, and Python's cycle collector is
    paused (the chunks make no cycles; its passes over the compiled plans took about 2 % of
    the time). Returns the number of cases."""
    with _ChunkSettings():  # before the file is opened: a Parquet reader keeps the pool it opened with
        return _evaluate_parquet(path, out, pack, reform, chunk_rows, keep)


class _ChunkSettings:
    """The chunk pool in force and the cycle collector paused from the first of any
    overlapping ``evaluate_parquet`` calls to the last (the state before is restored)."""

    lock = threading.Lock()
    running = 0
    pool: pa.MemoryPool | None = None
    collecting = False

    def __enter__(self) -> None:
        with self.lock:
            if _ChunkSettings.running == 0:
                _ChunkSettings.pool, _ChunkSettings.collecting = pa.default_memory_pool(), gc.isenabled()
                pa.set_memory_pool(_chunk_pool())
                gc.disable()
            _ChunkSettings.running += 1

    def __exit__(self, *exc: object) -> None:
        with self.lock:
            _ChunkSettings.running -= 1
            if _ChunkSettings.running == 0:
                pa.set_memory_pool(_ChunkSettings.pool)
                if _ChunkSettings.collecting:
                    gc.enable()


def _evaluate_parquet(path: str | Path, out: str | Path, pack: LawPack, reform: Reform, chunk_rows: int,
                      keep: tuple[str, ...]) -> int:
    import pyarrow.parquet as pq

    all_plans = [plan_for(pack, s, a, reform) for s in [dt.date(1900, 1, 1), *pack.boundaries(reform)]
                 for a in pack.agencies]
    need = plan_needs(all_plans)
    pf, cols, names = _parquet_columns(path, pack.schema, need, keep)
    actions = pack_actions(pack)
    groups, cur, rows = [], [], 0
    for i in range(pf.num_row_groups):
        cur.append(i)
        rows += pf.metadata.row_group(i).num_rows
        if rows >= chunk_rows:
            groups.append(cur)
            cur, rows = [], 0
    if cur:
        groups.append(cur)

    def read(g: list[int]) -> tuple:
        """A chunk read, encoded and partitioned (on the reader thread; column decoding on
        more threads only for the first chunk, when nothing else is running yet)."""
        first = g is groups[0]
        table = pa.concat_tables([pf.read_row_group(i, columns=cols, use_threads=first) for i in g])
        enc = encode_arrow(table, pack.schema, need, threads=2 if first else 1)
        parts = _partitions(*(enc.arrays[("", k)] for k in ("decided_day", "agency", "kind")), pack, reform)
        return table.select([k for k in keep if k in names]), enc, parts  # ``keep`` stays Arrow

    writer = None

    outcomes = pa.array(OUTCOMES, type=pa.large_string())

    def write(chunk: pa.Table, res: pa.Table, lab: list[str]) -> None:
        """A chunk's results built and written (on the writer thread): ``keep`` as read, the
        rule labels as dictionary codes (never a string per row), dictionary pages for the
        outcomes and labels, statistics for the untils only."""
        nonlocal writer
        words = pa.array(lab, type=pa.large_string())
        cols, fields = list(chunk.columns), list(chunk.schema)
        for a in actions:
            cols += [pa.DictionaryArray.from_arrays(res[a].combine_chunks(), outcomes, ordered=True),
                     res[f"{a}_until"], pa.DictionaryArray.from_arrays(res[f"{a}_rule"].combine_chunks(), words)]
            fields += [pa.field(a, cols[-3].type), pa.field(f"{a}_until", pa.int64()),
                       pa.field(f"{a}_rule", cols[-1].type)]
        arrow = pa.Table.from_arrays(cols, schema=pa.schema(fields))
        if writer is None:
            words = [f"{a}{s}" for a in actions for s in ("", "_rule")]
            writer = pq.ParquetWriter(out, arrow.schema, use_dictionary=words, compression="lz4",
                                      write_statistics=[f"{a}_until" for a in actions])
        writer.write_table(arrow if arrow.schema.equals(writer.schema) else arrow.cast(writer.schema))

    total = _pipeline(groups, read, write, pack, reform, {})
    if writer is None:
        empty = pl.DataFrame(schema={**{k: pl.String for k in keep}, **{
            a + s: t for a in actions for s, t in (("", _OUT_T), ("_until", pl.Int64), ("_rule", pl.Categorical))}})
        empty.write_parquet(out)
    else:
        writer.close()
    return total


def _pipeline(groups: list[list[int]], read: Callable[[list[int]], tuple], write: Callable[..., None],
              pack: LawPack, reform: Reform, labels: dict[str, int]) -> int:
    """Evaluate chunk after chunk while one thread reads and encodes the next and another
    writes the last; returns the number of cases."""
    total, pending = 0, None
    with ThreadPoolExecutor(max_workers=1) as reader, ThreadPoolExecutor(max_workers=1) as writing:
        nxt = reader.submit(read, groups[0]) if groups else None
        for gi in range(len(groups)):
            chunk, enc, parts = nxt.result()  # type: ignore[union-attr]
            nxt = reader.submit(read, groups[gi + 1]) if gi + 1 < len(groups) else None
            res = _evaluate_encoded(enc, parts, pack, reform, labels)
            del enc
            if pending is not None:
                pending.result()
            pending = writing.submit(write, chunk, res, list(labels))
            total += res.num_rows
        if pending is not None:
            pending.result()
    return total


def _chunk_pool() -> pa.MemoryPool:
    """Arrow's jemalloc pool where the build has it. Reading chunks into fresh mimalloc
    memory (Arrow's default) cost about 0.4 s of kernel time per process zeroing huge pages
    on the benchmark machine; with jemalloc 1M cases took 1.55-1.66 s instead of 1.95-2.16 s
    and 10M 8.5-9.7 s instead of 9.5-9.7 s (runs interleaved)."""
    try:
        return pa.jemalloc_memory_pool()
    except NotImplementedError:
        return pa.default_memory_pool()


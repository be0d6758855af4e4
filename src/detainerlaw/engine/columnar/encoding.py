"""Facts frames as the NumPy columns the plans read: Arrow tables (or Polars frames) of a
facts frame, in the shape the pack's ``Schema`` states, converted to ``Encoded`` (strings as
vocabulary codes, list items flattened with their offsets, nothing exploded)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

from detainerlaw.engine.columnar.vocabulary import _lut
from detainerlaw.engine.expr import Schema


def _arrow_codes(arr: pa.Array | pa.ChunkedArray, name: str) -> np.ndarray:
    """A dictionary or string Arrow array as UInt32 vocabulary codes (a lookup table over
    each chunk's dictionary: the strings are never materialized per row)."""
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out = []
    for ch in chunks:
        if ch.null_count:
            raise ValueError(f"{name}: null values")
        if not pa.types.is_dictionary(ch.type):
            ch = pc.dictionary_encode(ch)
        out.append(_lut(ch.dictionary).take(ch.indices.to_numpy(zero_copy_only=False)))
    return _joined(out, np.uint32)


_NP_TYPES = {"bool": np.bool_, "int": np.int32, "day": np.int32, "minute": np.int64}


def _joined(parts: list[np.ndarray], dtype: type) -> np.ndarray:
    if not parts:
        return np.zeros(0, dtype=dtype)
    return (np.concatenate(parts) if len(parts) > 1 else parts[0]).astype(dtype, copy=False)


def _arrow_col(arr: pa.Array | pa.ChunkedArray, name: str, t: object) -> np.ndarray:
    """A column of a facts frame as the NumPy array the plans read."""
    if isinstance(t, tuple) or t == "key":
        return _arrow_codes(arr, name)
    if arr.null_count:
        raise ValueError(f"{name}: null values")
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    if t == "bool" and all(pa.types.is_boolean(c.type) for c in chunks):
        return _joined([_bools(c) for c in chunks], np.bool_)
    return _joined([c.to_numpy(zero_copy_only=False) for c in chunks], _NP_TYPES[t])  # type: ignore[index]


def _bools(arr: pa.BooleanArray) -> np.ndarray:
    """A null-free Arrow boolean array as NumPy bools, unpacked from its bitmap (an order of
    magnitude faster than ``to_numpy``)."""
    bits = np.frombuffer(arr.buffers()[1], dtype=np.uint8)
    return np.unpackbits(bits, count=arr.offset + len(arr), bitorder="little")[arr.offset:].view(np.bool_)


@dataclass
class Encoded:
    """A facts frame as NumPy columns: ``("", field)`` per case, ``(list, field)`` per item
    (each list's items in case order), and the offsets of each case's items in each list
    (length rows + 1). Strings are vocabulary codes."""

    n: int
    arrays: dict[tuple[str, str], np.ndarray]
    offsets: dict[str, np.ndarray]

    @property
    def cases(self) -> pl.DataFrame:
        """The case columns as a Polars frame."""
        return pl.DataFrame({k: v for (items, k), v in self.arrays.items() if not items}, height=self.n)

    def items(self, name: str) -> pl.DataFrame:
        """One list's item columns as a Polars frame."""
        return pl.DataFrame({k: v for (items, k), v in self.arrays.items() if items == name},
                            height=int(self.offsets[name][-1]))


Need = dict[str, set[str]]  # "" -> scalar fields; list name -> item fields


def encode_arrow(table: pa.Table, facts: Schema, need: Need | None = None, threads: int = 1) -> Encoded:
    """An Arrow table of a facts frame of schema ``facts`` (or of the needed columns of one)
    as ``Encoded``: list offsets and item fields are taken from the Arrow buffers without
    exploding (columns converted on ``threads`` threads)."""
    jobs: list[tuple[tuple[str, str], pa.ChunkedArray, object]] = [
        (("", k), table.column(k), facts.fields[k]) for k in facts.fields if need is None or k in need[""]]
    offsets = {}
    for name, schema in facts.lists.items():
        want = [k for k in schema if need is None or k in need.get(name, ())]
        if need is not None and name not in need:
            continue
        col = table.column(name)
        chunks = col.chunks if isinstance(col, pa.ChunkedArray) else [col]
        lens, parts = [], {k: [] for k in want}
        for ch in chunks:
            lens.append(pc.list_value_length(ch).fill_null(0).to_numpy())
            flat = ch.flatten()
            by_name = dict(zip([f.name for f in flat.type], flat.flatten(), strict=True))
            for k in want:
                parts[k].append(by_name[k])
        offsets[name] = np.zeros(table.num_rows + 1, dtype=np.int64)
        np.cumsum(_joined(lens, np.int64), out=offsets[name][1:])
        jobs += [((name, k), pa.chunked_array(parts[k], type=_chunk_type(parts[k], schema[k])), schema[k])
                 for k in want]

    def convert(job: tuple) -> np.ndarray:
        (_, k), arr, t = job
        return _arrow_col(arr, k, t)

    if threads > 1:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            converted = list(pool.map(convert, jobs))
    else:
        converted = [convert(j) for j in jobs]
    return Encoded(table.num_rows, {j[0]: a for j, a in zip(jobs, converted, strict=True)}, offsets)


def _chunk_type(parts: list, t: object) -> pa.DataType:
    if parts:
        return parts[0].type
    return pa.string() if isinstance(t, tuple) or t == "key" else pa.int32()


def encode(frame: pl.DataFrame, facts: Schema, need: Need | None = None) -> Encoded:
    cols = list(facts.fields) + list(facts.lists)
    if need is not None:
        cols = [k for k in facts.fields if k in need[""]] + [k for k in facts.lists if k in need]
    sel = frame.select(cols)
    for name in facts.lists:
        if name in sel.columns:
            sel = sel.with_columns(pl.col(name).fill_null([]))
    return encode_arrow(sel.to_arrow(), facts, need)


def frame_schema(frame: pl.DataFrame, need: Need) -> Schema:
    """The ``need``ed columns of a facts frame typed as the frame holds them: strings
    (String, Categorical, Enum) as ``"key"``, 64-bit integers as ``"minute"``, other
    integers as ``"int"``, booleans as ``"bool"`` (the NumPy types ``encode`` gives each)."""

    def typ(name: str, dtype: pl.DataType) -> object:
        if dtype == pl.Boolean:
            return "bool"
        if dtype in (pl.Int64, pl.UInt64):
            return "minute"
        if dtype.is_integer():
            return "int"
        if dtype in (pl.String, pl.Categorical) or isinstance(dtype, pl.Enum | pl.Categorical):
            return "key"
        raise TypeError(f"{name}: a facts column cannot be {dtype}")

    lists = {}
    for name, fields in need.items():
        if name:
            inner = frame.schema[name].inner  # type: ignore[attr-defined]
            lists[name] = {f.name: typ(f"{name}.{f.name}", f.dtype) for f in inner.fields if f.name in fields}
    return Schema({k: typ(k, t) for k, t in frame.schema.items() if k in need[""]}, lists)


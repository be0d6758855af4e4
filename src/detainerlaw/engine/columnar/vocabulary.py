"""The string vocabulary: every string of a facts frame (agencies, request kinds, enum
values, statute keys) as an integer code, one process-wide vocabulary, so every comparison
the plans make is on integers."""

from __future__ import annotations

import threading

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

_VOCAB: dict[str, int] = {}
_VOCAB_LOCK = threading.Lock()


def code(s: str) -> int:
    """The integer code of a string (stable for the life of the process; thread-safe)."""
    c = _VOCAB.get(s)
    if c is None:
        with _VOCAB_LOCK:
            c = _VOCAB.get(s)
            if c is None:
                c = _VOCAB[s] = len(_VOCAB)
    return c


def encode_strings(s: pl.Series) -> pl.Series:
    """A string, Categorical or Enum column as UInt32 vocabulary codes."""
    if s.null_count():
        raise ValueError(f"{s.name}: null values")
    if isinstance(s.dtype, pl.Enum):
        lut = pl.Series([code(v) for v in s.dtype.categories], dtype=pl.UInt32)
        return lut.gather(s.to_physical()).rename(s.name)
    if isinstance(s.dtype, pl.Categorical):
        phys = s.to_physical()
        first = phys.arg_unique()
        keys, vals = phys.gather(first).to_list(), s.gather(first).to_list()
        lut = [0] * (max(keys, default=0) + 1)
        for k, v in zip(keys, vals, strict=True):
            lut[k] = code(v)
        return pl.Series(lut, dtype=pl.UInt32).gather(phys).rename(s.name)
    uniq = [v for v in s.unique().to_list() if v is not None]
    return s.cast(pl.String).replace_strict(uniq, [code(v) for v in uniq], return_dtype=pl.UInt32)


_VOCAB_ARRAY: list = [None, -1]  # the vocabulary as an Arrow array, and its size then


def _lut(words: pa.Array) -> np.ndarray:
    """The vocabulary code of each string of an Arrow dictionary (new strings are added)."""
    if not pa.types.is_string(words.type):
        words = words.cast(pa.string())
    while True:
        if _VOCAB_ARRAY[1] != len(_VOCAB):
            with _VOCAB_LOCK:
                _VOCAB_ARRAY[:] = [pa.array(list(_VOCAB), type=pa.string()), len(_VOCAB)]
        pos = pc.index_in(words, value_set=_VOCAB_ARRAY[0])
        new = words.filter(pc.and_(pc.is_null(pos), pc.is_valid(words)))
        if not len(new):
            return pos.fill_null(0).to_numpy().astype(np.uint32)  # (a null word has no rows: nulls are refused)
        for w in new.to_pylist():
            code(w)

"""The string vocabulary: every string of a facts frame (agencies, request kinds, enum
values, statute keys) as an integer code, one process-wide vocabulary, so every comparison
the plans make is on integers.

Codes are given in the order strings are first met, so they differ from process to process; a
compiled plan holds the codes of the words it compares with (``Plan.words``), and a plan read from
another process's file is used only where they agree (``agrees``). So that they mostly do, the
vocabulary may be seeded, before its first code, with the words earlier processes coded first
(``set_seed``: the plan cache's)."""

from __future__ import annotations

import threading
from collections.abc import Callable

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.compute as pc

_VOCAB: dict[str, int] = {}
_VOCAB_LOCK = threading.Lock()
_SEED: list[Callable[[], list[str]] | None] = [None]  # the words to code first, read once, before any code


def set_seed(words: Callable[[], list[str]] | None) -> None:
    """The function giving the words to code first (called once, at the vocabulary's first code)."""
    _SEED[0] = words


def code(s: str) -> int:
    """The integer code of a string (stable for the life of the process; thread-safe)."""
    c = _VOCAB.get(s)
    if c is None:
        with _VOCAB_LOCK:
            if not _VOCAB and _SEED[0] is not None:
                seed, _SEED[0] = _SEED[0], None
                for w in seed():
                    _VOCAB.setdefault(w, len(_VOCAB))
            c = _VOCAB.get(s)
            if c is None:
                c = _VOCAB[s] = len(_VOCAB)
    return c


def words() -> list[str]:
    """Every string coded so far, in the order of their codes."""
    with _VOCAB_LOCK:
        return list(_VOCAB)


def agrees(coded: dict[str, int]) -> bool:
    """Whether each word has, in this process, the code it had where ``coded`` was made."""
    return all(code(w) == c for w, c in coded.items())


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

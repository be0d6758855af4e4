"""Memo tables keyed by object identity, bounded so a long-running server stays small.

Compiled closures and analyses are cached per rule or expression object. Each entry keeps
its key object alive (so its ``id`` cannot be reused while cached) and the table is
cleared when it outgrows its bound: every reform builds new rule objects, and without a
bound a server answering many reforms would keep every one of them.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

V = TypeVar("V")


class IdentityMemo(Generic[V]):
    """``id(obj) -> value``, valid only for that very object; cleared past ``limit`` entries."""

    __slots__ = ("_table", "limit")

    def __init__(self, limit: int = 50_000):
        self._table: dict[Hashable, tuple[object, V]] = {}
        self.limit = limit

    def get(self, obj: object) -> V | None:
        hit = self._table.get(id(obj))
        return hit[1] if hit is not None and hit[0] is obj else None

    def put(self, obj: object, value: V) -> V:
        if len(self._table) >= self.limit:
            self._table.clear()  # rare: rebuilt on demand; cheaper than LRU bookkeeping on the hot path
        self._table[id(obj)] = (obj, value)
        return value

    def __len__(self) -> int:
        return len(self._table)

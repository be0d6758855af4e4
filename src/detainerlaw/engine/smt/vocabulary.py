"""What the SMT backend needs to know about a place's statutes (``LawPack.vocabulary``).

The items of some lists (a conviction, a charge) cite a statute, and their facts carry
fields derived from it (its section, subdivision, article, ...). The backend does not
model those fields one by one: each such item gets one variable ranging over a finite
table of rows, a row being a statute (section, subdivision), and the fields are read
off the row. A place supplies the rows and their fields through this protocol.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

Row = tuple[str, str]  # (section, subdivision); subdivision "" for the section as a whole


class Vocabulary(Protocol):
    """A place's statute vocabulary, as the SMT backend reads it."""

    lists: tuple[str, ...]
    """The lists whose items cite a statute (their statute-derived fields become one row variable)."""

    fields: tuple[str, ...]
    """The statute-derived fields of those items, the same for every such list."""

    other: Row
    """The row of a citation the place's law cannot read (free text, out of state)."""

    def row_attrs(self, row: Row) -> dict[str, str]:
        """The statute-derived fields (``fields``, in that order) of a row."""
        ...

    def row_of(self, item: dict) -> Row:
        """The row of one item of the facts (an item of a list in ``lists``)."""
        ...

    def candidates(self, names: Iterable[str]) -> set[Row]:
        """Rows telling apart the statutes the law names: given every string constant the
        law's expressions compare against (of which the statute names are a part), rows for
        each named section and subdivision, for an unnamed subdivision of each, and for
        unnamed sections of each named article and code. The backend keeps one row per
        class the expressions cannot tell apart, and adds ``other``."""
        ...

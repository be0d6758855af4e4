"""New York statutes as the SMT backend reads them (``engine.smt.vocabulary.Vocabulary``).

A row is a Penal Law or Vehicle and Traffic Law section with a subdivision, or ``OTHER``
for an out-of-state citation with no New York equivalent; its fields are those
``facts.offence_keys`` derives for a New York citation.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable

from detainerlaw.laws.nyc.facts import SCHEMA, offence_keys
from detainerlaw.laws.nyc.statutes import parse_statute

Row = tuple[str, str]
OTHER_ROW: Row = ("OTHER", "")
KEY_LISTS = ("convictions", "charges")


def key_attrs(list_name: str) -> tuple[str, ...]:
    """The statute-derived fields of a list's items (the rest of the schema is plain)."""
    spec = SCHEMA.lists[list_name]
    return tuple(f for f, t in spec.items() if t == "key" or f == "code")


KEY_ATTRS = tuple(dict.fromkeys(a for lst in KEY_LISTS for a in key_attrs(lst)))


def row_attrs(row: Row) -> dict[str, str]:
    """The facts ``case_facts`` derives from a statute and subdivision."""
    if row == OTHER_ROW:
        keys = offence_keys("OTHER", None, "XX", None)
    else:
        keys = offence_keys(row[0], row[1] or None, "NY", None)
    return {a: keys[a] for a in KEY_ATTRS}


def row_from_facts(item: dict) -> Row:
    if item["code"] == "OTHER":
        return OTHER_ROW
    return (item["section"], item["full"][len(item["section"]):])


def is_section(s: str) -> bool:
    """Whether ``s`` is the key of a New York section (``"PL 120.05"``), not an article or inchoate form."""
    try:
        st = parse_statute(s, strict=True)
    except ValueError:
        return False
    return st.section_key == s and st.inchoate is None


def _deeper(sub: str) -> str:
    parts = re.findall(r"[0-9]+|[a-z]+", sub)
    return sub + ("(a)" if parts and parts[-1].isdigit() else "(1)")


def candidates(names: Iterable[str]) -> set[Row]:
    """Rows for each PL and VTL key named (a section, a subdivision and its prefixes, a
    deeper subdivision, an unnamed subdivision), an unnamed section of each named article,
    and an unnamed PL and VTL section."""
    keys = {c for c in names if re.match(r"^(PL|VTL) ", c)}
    cand: set[Row] = set()
    for k in keys:
        sec, _, rest = k.partition("(")
        if not is_section(sec):
            continue
        cand.add((sec, ""))
        if rest:
            sub = "(" + rest
            parts = re.findall(r"[0-9]+|[a-z]+", sub)
            for j in range(1, len(parts) + 1):
                cand.add((sec, "".join(f"({p})" for p in parts[:j])))
            cand.add((sec, _deeper(sub)))
            n = next(i for i in itertools.count(1) if not any(x.startswith(f"{sec}({i})") for x in keys))
            cand.add((sec, f"({n})"))
    used = {r[0] for r in cand} | keys
    for art in {k for k in keys if not is_section(k.split("(")[0])}:
        cand.add(_representative(art, used))
    cand.add(_representative("PL", used))
    cand.add(_representative("VTL", used))
    return cand


def _representative(art: str, used: set[str]) -> Row:
    """A section in article ``art`` (or code ``PL``/``VTL``) that no expression names."""
    if art == "VTL art 31":
        cands = [f"VTL {n}" for n in range(1190, 1200)]
    elif art == "PL":
        cands = [f"PL {a}.{b:02d}" for a in (145, 175, 190, 155) for b in range(0, 100, 5)]
    elif art == "VTL":
        cands = [f"VTL {n}" for n in (509, 375, 319, 402)]
    else:
        cands = [f"{art}.{b:02d}" for b in range(99, 0, -1)]
    for c in cands:
        if c not in used and (art not in ("PL", "VTL") or row_attrs((c, ""))["article"] not in used):
            return (c, "")
    raise ValueError(f"no free statute in {art}")


class NycVocabulary:
    """The ``Vocabulary`` of the New York City pack."""

    lists = KEY_LISTS
    fields = KEY_ATTRS
    other = OTHER_ROW

    def row_attrs(self, row: Row) -> dict[str, str]:
        return row_attrs(row)

    def row_of(self, item: dict) -> Row:
        return row_from_facts(item)

    def candidates(self, names: Iterable[str]) -> set[Row]:
        return candidates(names)


VOCABULARY = NycVocabulary()

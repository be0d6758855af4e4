"""The violent-or-serious-crime list of § 9-131(a)(7) / § 14-154(a)(6), read from the
data file shipped with the package (each row keeps the source status it was found with).
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from importlib.resources import files


@dataclass(frozen=True)
class ListedCrime:
    key: str  # "PL 120.05" or "PL 265.02(3)"
    name: str
    felony_class: str
    source: str
    notes: str
    by_rule: bool  # added by DOC rule 39 RCNY § 2-01 under (a)(7)(v)


@lru_cache(maxsize=1)
def listed_crimes() -> tuple[ListedCrime, ...]:
    """Every enumerated entry, subdivision-limited entries expanded to one key each."""
    text = files("detainerlaw.laws.nyc").joinpath("data/violent-or-serious-crimes.csv").read_text()
    out = []
    for row in csv.DictReader(text.splitlines()):
        sec = row["penal_law_section"].strip()
        if not re.match(r"^\d[\d.]*(-[a-z])?(\(\w+\))*( through \(\d+\))?$", sec):
            continue  # the category rows (hate crimes, inchoate, VTL 600) are rules, not entries
        by_rule = row["source_version"].startswith("DOC rule")
        m = re.match(r"^([\d.]+(?:-[a-z])?)\((\d+)\) through \((\d+)\)$", sec)
        if m:
            keys = [f"PL {m.group(1)}({i})" for i in range(int(m.group(2)), int(m.group(3)) + 1)]
        else:
            keys = [f"PL {sec.replace(' ', '')}"]
        for k in keys:
            out.append(
                ListedCrime(k, row["offense_name"], row["felony_class"], row["source_version"], row["notes"], by_rule)
            )
    return tuple(out)


def statutory_keys() -> frozenset[str]:
    return frozenset(c.key for c in listed_crimes() if not c.by_rule)


def rule_keys() -> frozenset[str]:
    return frozenset(c.key for c in listed_crimes() if c.by_rule)


def subdivision_limited_sections() -> frozenset[str]:
    """Sections listed only for some subdivisions (E-5)."""
    return frozenset(k.split("(")[0] for k in statutory_keys() if "(" in k)


def offences() -> list[dict]:
    """The listed crimes grouped by section, in statute order, with the subdivisions a listing is
    limited to: what the screener offers to pick from."""
    seen: dict[str, dict] = {}
    for c in listed_crimes():
        base, _, sub = c.key.partition("(")
        e = seen.setdefault(base, {"statute": base, "name": c.name, "class": c.felony_class, "subdivisions": [],
                                   "by_rule": c.by_rule})
        if sub:
            e["subdivisions"].append(sub.rstrip(")"))
    return sorted(seen.values(), key=lambda e: ([int(x) for x in re.findall(r"\d+", e["statute"])], e["statute"]))

"""Parsing statute citations into the keys the law packs match on.

``"PL 160.10"`` -> code ``PL``, section key ``"PL 160.10"``; ``"PL 110/160.10"`` is an
attempt (PL art. 110) at 160.10; ``"VTL 511"`` with subdivision ``"2(a)(i)"`` has the full
key ``"VTL 511(2)(a)(i)"``. Parsing is syntax only: which keys matter is law, and lives
in the law packs.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_CODES = {"PL": "PL", "PENAL": "PL", "VTL": "VTL"}
# ASCII only: ``\d`` would otherwise match the digits of every script (``PL ١٦٠.١٠``).
_SECTION = re.compile(r"^\s*(?:(?P<code>[A-Za-z]+)\.?\s+)?(?P<body>\d[\dA-Za-z./-]*)\s*$", re.ASCII)
_PL_SECTION = re.compile(r"^\d{2,3}\.\d{2}(?:-[a-z])?$", re.ASCII)
_VTL_SECTION = re.compile(r"^\d{1,4}(?:-[a-z])?$", re.ASCII)
# PL articles 100 (solicitation), 105 (conspiracy), 110 (attempt), 115 (facilitation).
INCHOATE_ARTICLES = {"100": "solicitation", "105": "conspiracy", "110": "attempt", "115": "facilitation"}


# The articles of the Penal Law (Titles A to Z, arts. 1-500, as consolidated through 2024).
# A PL citation whose article is not here cites no section of the Penal Law. The check is
# deliberately conservative: it knows articles, not the sections inside them, so a
# mistyped section number inside a real article ("PL 160.99") still reads as known; an
# article is listed when in doubt (repealed or renumbered articles included), so that a
# real citation is never reported as unknown.
PL_ARTICLES = frozenset({
    1, 5, 10, 15, 20, 25, 30, 35, 40, 55, 60, 65, 70, 80, 85,
    100, 105, 110, 115, 120, 121, 125, 130, 135, 140, 145, 150, 155, 156, 158, 160, 165,
    170, 175, 176, 177, 178, 180, 185, 187, 190, 195, 200, 205, 210, 215, 220, 221, 225,
    230, 235, 240, 241, 242, 245, 250, 255, 260, 263, 265, 270, 275,
    400, 405, 410, 420, 460, 470, 480, 485, 490, 495, 496, 500,
})


def known_pl_section(section: str) -> bool:
    """Whether ``"160.10"`` (a PL section number) lies in an article of the Penal Law."""
    head = section.split(".", 1)[0]
    return head.isascii() and head.isdigit() and int(head) in PL_ARTICLES


def char_name(ch: str) -> str:
    """A character's Unicode name (``ARABIC-INDIC DIGIT ONE``), or its code point."""
    return unicodedata.name(ch, f"U+{ord(ch):04X}")


class StatuteError(ValueError):
    """A statute string that cannot be read as a New York citation."""


@dataclass(frozen=True, slots=True)
class Statute:
    code: str  # "PL", "VTL" or "OTHER"
    section: str  # "160.10", "600", or the free text for OTHER
    inchoate: str | None = None  # from a "PL 110/160.10" form

    @property
    def article(self) -> str:
        if self.code == "PL":
            return f"PL {self.section.split('.')[0]}"
        if self.code == "VTL" and self.section.isdigit() and 1190 <= int(self.section) <= 1199:
            return "VTL art 31"
        return f"{self.code} {self.section}"

    @property
    def section_key(self) -> str:
        return f"{self.code} {self.section}" if self.code != "OTHER" else "OTHER"

    def full_key(self, subdivision: str | None) -> str:
        return self.section_key + subdivision_suffix(subdivision)


def subdivision_suffix(subdivision: str | None) -> str:
    """``"2(a)(i)"``, ``"(2)(a)(i)"`` and ``"2 a i"`` all become ``"(2)(a)(i)"``."""
    if not subdivision:
        return ""
    parts = re.findall(r"[0-9]+|[a-z]+", subdivision.lower())
    return "".join(f"({p})" for p in parts)


SUBDIVISION_LEVELS = 3


def subdivision_prefixes(section_key: str, subdivision: str | None) -> tuple[str, ...]:
    """The key cut after 1, 2 and 3 subdivision levels ("" where the record has fewer):
    ``("VTL 511", "1(a)")`` -> ``("VTL 511(1)", "VTL 511(1)(a)", "")``, so that a listed
    "subdivision one" matches a record of subdivision 1(a)."""
    parts = re.findall(r"[0-9]+|[a-z]+", (subdivision or "").lower())
    return tuple(
        section_key + "".join(f"({p})" for p in parts[:k]) if len(parts) >= k else ""
        for k in range(1, SUBDIVISION_LEVELS + 1)
    )


def parse_statute(text: str, *, strict: bool) -> Statute:
    """Read a citation; ``strict`` (New York convictions) rejects what is not PL or VTL.
    Full-width and other compatibility characters (``PL １６０.１０``) read as plain ones; a
    New York citation that still holds a character outside ASCII after that (a digit of
    another script, ``PL ١٦٠.١٠``) is refused, naming the character."""
    text = unicodedata.normalize("NFKC", text) if text else text
    if strict and text and not text.isascii():
        ch = next(c for c in text if not c.isascii())
        raise StatuteError(f"cannot parse statute {text!r}: {ch!r} ({char_name(ch)}) "
                           "is not an ASCII character; write the citation with the digits 0-9 and the letters A-Z")
    m = _SECTION.match(text or "")
    if m:
        code = _CODES.get((m.group("code") or "PL").upper())
        body = m.group("body")
        if code == "PL":
            inchoate = None
            if "/" in body:
                art, _, body = body.partition("/")
                inchoate = INCHOATE_ARTICLES.get(art)
                if inchoate is None:
                    raise StatuteError(
                        f"cannot parse statute {text!r}: {art!r} is not an inchoate article (100, 105, 110, 115)"
                    )
            if _PL_SECTION.match(body):
                return Statute("PL", body, inchoate)
        elif code == "VTL" and _VTL_SECTION.match(body):
            return Statute("VTL", body)
    if strict:
        raise StatuteError(
            f"cannot parse statute {text!r}: expected a New York citation such as 'PL 160.10', "
            "'PL 110/160.10' or 'VTL 600'"
        )
    return Statute("OTHER", (text or "").strip())

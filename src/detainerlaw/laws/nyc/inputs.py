"""What the law of New York City needs from a case beyond its model's checks, and what a
decision should warn about: the instant arrest date wherever a lookback is measured, and
citations of no Penal Law article. Also how the city's citations are printed."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

from detainerlaw.errors import InputError
from detainerlaw.laws.nyc.case import Case
from detainerlaw.laws.nyc.statutes import known_pl_section, parse_statute
from detainerlaw.models.decision import InputWarning

LOOKBACK_FROM = dt.date(2013, 7, 16)  # the first version with a lookback (LL 21/2013, LL 22/2013)

LOOKBACK_KINDS = ("detainer", "information")  # the requests whose rules measure a lookback


def missing_arrest_date(day: dt.date) -> InputError:
    """The error for a record without the instant arrest date the law of ``day`` needs."""
    return InputError(
        "instant_arrest_date",
        f"required: the law in force on {day} measures a lookback from the instant arrest "
        "and the person has a criminal record",
    )


def check_inputs(case: Case) -> None:
    """The facts the law in force needs that the model cannot require: a lookback needs the arrest date."""
    p = case.person
    if (
        case.instant_arrest_date is None
        and case.request.kind.value in LOOKBACK_KINDS
        and case.decided_date >= LOOKBACK_FROM
        and (p.convictions or p.pending_cases)
    ):
        raise missing_arrest_date(case.decided_date)


@lru_cache(maxsize=4096)
def unknown_citation(statute: str, strict: bool = True) -> str | None:
    """The warning text for a New York citation that names no article of the Penal Law
    (``PL 999.99``); None for a known or non-PL citation. Such a citation is on no list, so
    the decision treats it as an unlisted offence: the user should know that was assumed."""
    st = parse_statute(statute, strict=strict)
    if st.code != "PL" or known_pl_section(st.section):
        return None
    return (f"{statute!r} cites no article of the New York Penal Law (article {st.section.split('.')[0]} does "
            "not exist): it was treated as an offence on no list; check the citation")


def case_warnings(case: Case) -> list[InputWarning]:
    """What the decision assumed about the input: unknown Penal Law citations (named by
    field, e.g. ``person.convictions[0].statute``) and times converted to New York time."""
    out = [InputWarning(field=field, text=f"{given} was read as New York local time {used} (America/New_York)")
           for field, given, used in case.conversions]
    p = case.person
    for i, c in enumerate(p.convictions):
        ny = c.jurisdiction.upper() == "NY"
        cited = [("statute", c.statute, ny)] if ny else []
        if c.equivalent_statute is not None:
            cited.append(("equivalent_statute", c.equivalent_statute, True))
        for name, text, strict in cited:
            w = unknown_citation(text, strict)
            if w:
                out.append(InputWarning(field=f"person.convictions[{i}].{name}", text=w))
    for j, pc in enumerate(p.pending_cases):
        if pc.jurisdiction.upper() != "NY":
            continue
        for k, ch in enumerate(pc.charges):
            w = unknown_citation(ch.statute, True)
            if w:
                out.append(InputWarning(field=f"person.pending_cases[{j}].charges[{k}].statute", text=w))
    return out


@lru_cache(maxsize=4096)
def full_citation(cite: str) -> str:
    """A section citation as a reader sees it: ``§ 9-131(b)`` is the city's Administrative Code."""
    return cite if cite.startswith("NYC") or not cite.startswith("§") else f"NYC Admin. Code {cite}"

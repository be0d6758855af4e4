"""What each version of the reporting subdivisions asks for: §§ 9-131(f), 14-154(f), 9-205(f).

Each version names the law that enacted it, when each year's report is due, the period it covers,
and its numbered items in the enacted order (paraphrased; the enacted texts were read from NYC
Council Legistar data, ``enactments``). An item's ``measure`` says how the decision log can count it:

- ``received``: detainer decisions; ``held``: those that permitted (or required) a hold;
  ``not_honored``: those under which the section permitted no way of honoring the detainer;
  ``information``: ICE requests for information and the answers the law permitted;
- ``records``: an item the log cannot count (a transfer to ICE, SCAAP funding, a person's record):
  reported as null with what agency record it needs.

Periods: the 2011 and 2013 texts ask for "the preceding twelve month period" of a report due
September 30; it is read as the twelve months ending that day, October to September, as the
Department of Correction's published reports ran (shared/reference/published-data.md). The 2014 texts
name the twelve months ending September 30; LL 228/2017 and LL 226/2017 those ending June 30.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from detainerlaw.laws.nyc.enactments import (
    LL21_2013,
    LL22_2013,
    LL58_2014,
    LL59_2014,
    LL62_2011,
    LL226_2017,
    LL226_2017_REPORTING,
    LL228_2017,
    Enactment,
)

TRANSFER = "a transfer to ICE"
SCAAP = "SCAAP applications or awards"
AFTER_HOLD = "what ICE did after a hold"
BY_REASON = "by_reason"  # the split by ICE's stated reason for the detainer (2013 and later DOC texts)


@dataclass(frozen=True)
class Item:
    """One numbered item of a reporting subdivision. ``needs`` names the agency record a ``records``
    item needs; ``split`` the breakdowns the text asks for that the log can hold or must leave null."""

    number: int
    text: str
    measure: str  # received | held | not_honored | information | records
    needs: str = ""
    split: tuple[str, ...] = ()


@dataclass(frozen=True)
class Version:
    """One version of a section's reporting subdivision, from the day ``enactment`` put it in force.

    Each year's report is due on ``due`` (month, day), first in ``first_due``; it covers the twelve
    months ending ``period_end`` (month, day). Items are counted from ``counted_from`` at the earliest
    (the day the section could first decide a request, or a later day the law names)."""

    agency: str
    section: str  # "§ 9-131"
    enactment: Enactment
    first_due: dt.date
    due: tuple[int, int]
    period_end: tuple[int, int]
    items: tuple[Item, ...]
    counted_from: dt.date
    held_basis: str  # what a permitted hold rests on under the hold rule the version reports on
    forty_eight_hour: bool = False  # § 14-154(b)(2), from LL 59/2014
    information_from: dt.date | None = None  # LL 228/2017: new items only for periods from its effective date

    @property
    def subdivision(self) -> str:
        return f"NYC Admin. Code {self.section}(f)"

    def period(self, year: int) -> dict[str, dt.date]:
        end = dt.date(year, *self.period_end)
        start = dt.date(year - 1, *self.period_end) + dt.timedelta(days=1)
        return {"start": start, "end": end, "due": dt.date(year, *self.due)}


def _transferred(number: int, who: str) -> Item:
    return Item(number, f"People transferred to ICE custody on a detainer {who}", "records", TRANSFER)


# -- § 9-131(f), Department of Correction -------------------------------------------------------

# LL 62/2011 § 1, subd. f: by Sept 30, 2012 and each Sept 30 after, for the preceding twelve months.
DOC_2011_ITEMS = (
    Item(1, "People held past their release time on a detainer", "held"),
    Item(2, "People transferred to ICE custody on a detainer", "records", TRANSFER),
    _transferred(3, "who had at least one felony conviction"),
    _transferred(4, "who had a misdemeanor conviction but no felony conviction"),
    _transferred(5, "who had no misdemeanor or felony conviction"),
    _transferred(6, "with no conviction, identified as known gang members (NCIC)"),
    _transferred(7, "with no conviction, possible matches in the terrorist screening database"),
    _transferred(8, "with no conviction, both known gang members and possible terrorist-list matches"),
    _transferred(9, "with no conviction, defendants in a pending criminal case"),
    Item(10, "SCAAP (State Criminal Alien Assistance Program) funding requested and received", "records", SCAAP),
    Item(11, "People whose detainers were not honored under subdivision b", "not_honored"),
)

# LL 22/2013 § 3 rewrote subd. f: seventeen items, detainers lodged and holds split by ICE's reason.
DOC_2013_ITEMS = (
    Item(1, "Civil immigration detainers lodged with the department, split where possible by ICE's stated reason",
         "received", split=(BY_REASON,)),
    Item(2, "People held past their release time on a detainer, with the same split", "held", split=(BY_REASON,)),
    Item(3, "People transferred to ICE custody on a detainer", "records", TRANSFER),
    _transferred(4, "who had at least one felony conviction"),
    _transferred(5, "who had a misdemeanor conviction but no felony conviction"),
    _transferred(6, "who had no misdemeanor or felony conviction"),
    _transferred(7, "after the dismissal of the case that brought them into the department's custody"),
    _transferred(8, "with no conviction and an outstanding warrant of removal or a prior final order of removal"),
    _transferred(9, "with no conviction, identified as known gang members (NCIC)"),
    _transferred(10, "with no conviction, possible matches in the terrorist screening database"),
    _transferred(11, "with no conviction, both known gang members and possible terrorist-list matches"),
    _transferred(12, "with no conviction, defendants in a pending criminal case"),
    _transferred(13, "with no conviction, charged with a felony in a pending covered criminal case"),
    _transferred(14, "with no conviction, charged only with misdemeanors in a pending covered criminal case"),
    Item(15, "SCAAP (State Criminal Alien Assistance Program) funding requested and received", "records", SCAAP),
    Item(16, "People whose detainers were not honored under subdivision b", "not_honored"),
    Item(17, "People held past release but not transferred because the 48-hour period of 8 C.F.R. 287.7 ran out "
             "or ICE said it would not take custody", "records", AFTER_HOLD),
)

# LL 58/2014 § 3: by Oct 15, 2015 and each Oct 15 after, for the twelve months ending Sept 30; eight items.
# LL 228/2017 § 2 kept them and added (9), due each Sept 1 for the twelve months ending June 30.
DOC_2014_ITEMS = (
    DOC_2013_ITEMS[0],
    DOC_2013_ITEMS[1],
    DOC_2013_ITEMS[2],
    _transferred(4, "who had at least one VSC conviction"),
    _transferred(5, "with no VSC conviction but a possible terrorist-screening match"),
    Item(6, "SCAAP (State Criminal Alien Assistance Program) funding requested and received", "records", SCAAP),
    Item(7, "People whose detainers were not honored under subdivision b", "not_honored"),
    Item(8, DOC_2013_ITEMS[16].text, "records", AFTER_HOLD),
)
INFORMATION = ("ICE requests for a person's incarceration status, release date, court dates{asked} or other "
               "information, and how many responses honored them, split by VSC conviction, no VSC conviction, and no "
               "VSC conviction but a terrorist-screening match, each by type of information and by whether the agency "
               "helped transfer the person to ICE")
DOC_2018_ITEMS = (*DOC_2014_ITEMS, Item(9, INFORMATION.format(asked=""), "information"))

# -- § 14-154(f), Police Department ----------------------------------------------------------------

# LL 21/2013 § 1: by Sept 30, 2013 and each Sept 30 after, for the preceding twelve months; LL 59/2014
# kept the four items (due Oct 15 from 2015, twelve months ending Sept 30); LL 228/2017 added (5).
NYPD_2013_ITEMS = (
    Item(1, "Civil immigration detainers received", "received"),
    Item(2, "People held past their release time on a detainer", "held"),
    Item(3, "People transferred to ICE custody on a detainer", "records", TRANSFER),
    Item(4, "People whose detainers were not honored under subdivision b", "not_honored"),
)
NYPD_2018_ITEMS = (*NYPD_2013_ITEMS, Item(5, INFORMATION.format(asked=""), "information"))

# -- § 9-205(f), Department of Probation ------------------------------------------------------------

# LL 226/2017: due each Sept 1 from 2018, for the twelve months ending June 30; § 2 of the law makes
# what (f) newly requires (every item: the section is new) reportable only for periods from 2018-01-30.
DOP_2017_ITEMS = (
    Item(1, "Civil immigration detainers received", "received"),
    Item(2, "People held on a detainer", "held"),
    Item(3, "People transferred to ICE custody on a detainer", "records", TRANSFER),
    Item(4, "People whose detainers were not honored under subdivision b", "not_honored"),
    Item(5, INFORMATION.format(asked=", scheduled appointment dates or times"), "information"),
)

SEPT_30, OCT_15, SEPT_1, JUNE_30 = (9, 30), (10, 15), (9, 1), (6, 30)
HELD_2011 = "one of the circumstances of (b)(2) shown"
HELD_2014 = "a judicial warrant and a VSC conviction or terrorist-screening match"

VERSIONS: dict[str, tuple[Version, ...]] = {
    "doc": (
        Version("doc", "§ 9-131", LL62_2011, dt.date(2012, 9, 30), SEPT_30, SEPT_30, DOC_2011_ITEMS,
                LL62_2011.in_force, HELD_2011),
        Version("doc", "§ 9-131", LL22_2013, dt.date(2013, 9, 30), SEPT_30, SEPT_30, DOC_2013_ITEMS,
                LL62_2011.in_force, HELD_2011),
        Version("doc", "§ 9-131", LL58_2014, dt.date(2015, 10, 15), OCT_15, SEPT_30, DOC_2014_ITEMS,
                LL62_2011.in_force, HELD_2014),
        Version("doc", "§ 9-131", LL228_2017, dt.date(2018, 9, 1), SEPT_1, JUNE_30, DOC_2018_ITEMS,
                LL62_2011.in_force, HELD_2014, information_from=LL228_2017.in_force),
    ),
    "nypd": (
        Version("nypd", "§ 14-154", LL21_2013, dt.date(2013, 9, 30), SEPT_30, SEPT_30, NYPD_2013_ITEMS,
                LL21_2013.in_force, HELD_2011),
        Version("nypd", "§ 14-154", LL59_2014, dt.date(2015, 10, 15), OCT_15, SEPT_30, NYPD_2013_ITEMS,
                LL21_2013.in_force, "(b)(1), or for up to 48 hours under (b)(2)", forty_eight_hour=True),
        Version("nypd", "§ 14-154", LL228_2017, dt.date(2018, 9, 1), SEPT_1, JUNE_30, NYPD_2018_ITEMS,
                LL21_2013.in_force, "(b)(1), or for up to 48 hours under (b)(2)", forty_eight_hour=True,
                information_from=LL228_2017.in_force),
    ),
    "dop": (
        Version("dop", "§ 9-205", LL226_2017, dt.date(2018, 9, 1), SEPT_1, JUNE_30, DOP_2017_ITEMS,
                LL226_2017_REPORTING, HELD_2014, information_from=LL226_2017_REPORTING),
    ),
}


def version_due(agency: str, year: int) -> Version | None:
    """The version under which the report due in ``year`` is made: the latest first due by then."""
    found = [v for v in VERSIONS[agency] if v.first_due.year <= year]
    return found[-1] if found else None


def version_for_period(agency: str, end: dt.date) -> Version | None:
    """The version in force on the last day of a period: the subdivision a report for it follows."""
    found = [v for v in VERSIONS[agency] if v.enactment.in_force <= end]
    return found[-1] if found else None

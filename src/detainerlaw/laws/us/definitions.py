"""What the federal rules read from a case: the kind of request and who made it.

Every term is a cited ``Def`` over the place's facts (the fields named in
``detainerlaw.laws.us.NEEDS``), so the pack serves any US place whose facts provide them.
"""

from __future__ import annotations

from detainerlaw.engine.expr import CountingHoursEnd, Def, Expr, Field, Param
from detainerlaw.engine.params import Params

CFR_A = "8 C.F.R. 287.7(a)"
CFR_D = "8 C.F.R. 287.7(d)"
IMMIGRATION_PURPOSES = frozenset({"civil_immigration", "criminal_immigration"})
CUSTODY_INFORMATION = frozenset({"release_date", "court_date", "incarceration_status", "other"})


def immigration_detainer() -> Def:
    """287.7(a)-(b): a detainer is issued by an immigration officer; another federal agency's
    request to hold a person for an immigration purpose is read the same way."""
    similar = Field("requester").eq("other_federal") & Field("purpose").isin(IMMIGRATION_PURPOSES)
    return Def(
        "an immigration detainer (or a similar federal request to hold a person for immigration purposes)",
        Field("kind").eq("detainer") & (Field("requester").eq("federal_immigration") | similar),
        CFR_A,
    )


def information_request(kinds: frozenset[str] | set[str]) -> Expr:
    return Field("kind").eq("information") & Field("information").isin(kinds)


def status_information() -> Def:
    return Def(
        "the information asked for is the person's citizenship or immigration status",
        information_request({"immigration_status"}),
        "8 U.S.C. § 1373(a)",
    )


def to_immigration_authorities() -> Def:
    return Def(
        "the information is sent to federal immigration authorities (ICE, CBP or another DHS component; "
        "INS before 2003)",
        Field("requester").eq("federal_immigration"),
        "8 U.S.C. § 1373(a)",
    )


def hold_end(p: Params) -> Expr:
    """287.7(d): custody for at most 48 hours, not counting Saturdays, Sundays and holidays, from
    the time the person would otherwise be released (the decision time)."""
    return CountingHoursEnd(Field("decided_minute"), Param("detainer_hold_hours"), Param("detainer_holiday_calendar"))


def process_to_custodian() -> Def:
    """``required_by_law`` read as process of a federal court addressed to the custodian (a writ,
    subpoena or order): the only federal command to a state or local agency (register US-REQ)."""
    return Def(
        "federal court process addressed to the custodian requires the response (request.required_by_law)",
        Field("required_by_law").eq(True),
        "U.S. Const. art. VI, cl. 2",
        notes=("US-REQ",),
        notes_when=True,
    )

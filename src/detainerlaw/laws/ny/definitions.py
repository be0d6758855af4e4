"""What the New York State rules read from a case: whether a request is for civil
immigration enforcement, and whether a judge's warrant came in time. Cited ``Def`` terms
over the place's facts (``detainerlaw.laws.ny.NEEDS``)."""

from __future__ import annotations

from detainerlaw.engine.expr import Def, Field

WELLS = "People ex rel. Wells v. DeMarco, 168 A.D.3d 31 (2d Dep't 2018)"

# State agencies under the Governor's executive authority that EO 170/170.1 bind, by the
# codes a New York place's facts may give them. No city or county agency is among them.
STATE_AGENCIES = ("doccs", "nysp", "dmv", "state_agency")


def civil_immigration_detainer() -> Def:
    """A detainer of federal immigration authorities (civil by its form, whatever it states),
    or any request to hold a person for civil immigration purposes."""
    return Def(
        "a request to keep the person in custody for federal civil immigration enforcement (an ICE detainer, with "
        "or without an administrative warrant)",
        Field("kind").eq("detainer")
        & (Field("requester").eq("federal_immigration") | Field("purpose").eq("civil_immigration")),
        WELLS,
    )


def civil_immigration_request() -> Def:
    """A request of federal immigration authorities for civil immigration enforcement."""
    return Def(
        "a request of federal immigration authorities for civil immigration enforcement",
        Field("requester").eq("federal_immigration")
        & (Field("kind").eq("detainer") | Field("purpose").eq("civil_immigration")),
    )


def judicial_warrant_by_release() -> Def:
    """A warrant of an Article III judge or federal magistrate judge, presented with the detainer
    or before the person would otherwise be released; an ICE administrative warrant (I-200,
    I-205) is not one. A warrant that comes later does not make the wait for it lawful."""
    later = Field("has_jw_at") & (Field("jw_at_minute") <= Field("decided_minute"))
    return Def(
        "a judicial warrant (Article III or federal magistrate judge) was presented by the time the person would "
        "otherwise be released",
        (Field("judicial_warrant") & ~Field("has_jw_at")) | later,
        WELLS,
    )


def warrant_came_late() -> Def:
    return Def("a judicial warrant was presented only after the person would otherwise have been released",
               Field("has_jw_at") & (Field("jw_at_minute") > Field("decided_minute")), WELLS)


def judge_signed(issuers: list[str] | tuple[str, ...], label: str, cite: str) -> Def:
    """A warrant or order signed by one of ``issuers`` (``request.judicial_order_issuer``), or the
    contract's judicial warrant (an Article III or federal magistrate judge's) when either counts."""
    known = frozenset(issuers)
    cond = Field("judicial_order_issuer").isin(known)
    if known & {"article_iii", "magistrate"}:
        cond = cond | Field("judicial_warrant")
    return Def(label, cond, cite)

"""NYC Admin. Code § 9-131: persons not to be detained by the Department of Correction.

Versions, each in force from its effective date until the next:

- LL 62/2011 (from 2012-03-21): DOC may not honor a detainer unless a records search
  (or ICE, for removal orders) shows one of seven circumstances; any one suffices.
- LL 22/2013 (from 2013-07-16): the same design with "covered" crimes and cases and a
  ten-year misdemeanor lookback.
- LL 58/2014 (from 2014-12-14): DOC may honor only with a judicial warrant presented
  with the detainer and a recent violent-or-serious judgment or a terrorist-list match;
  subdivision (h) (information, ICE office) from 2015-02-12.
- LL 63/2026 (from 2026-01-29): broader "federal immigration authorities"; no ICE
  office on DOC land for any purpose.
"""

from __future__ import annotations

from detainerlaw.engine.expr import Const, Expr, Field, Param
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import NOT_GOVERNED, PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.enactments import LL22_2013, LL58_2014, LL58_2014_SUBDIVISION_H, LL62_2011, LL63_2026
from detainerlaw.laws.nyc.patterns import (
    criminal_warrant_not_a_detainer,
    honored_only_if,
    not_honored_unless_shown,
    successive,
)

S = "NYC Admin. Code § 9-131"
# Who may show a (b)(2) circumstance: (i) the records search, (ii) the search or ICE (LL 62/2011);
# LL 22/2013 adds "informed by a court" to (i).
SOURCES_2011 = (frozenset({D.SEARCH}), frozenset({D.SEARCH, "ice"}))
SOURCES_2013 = (frozenset({D.SEARCH, "court"}), frozenset({D.SEARCH, "ice"}))


# -- (a)(1) "Civil immigration detainer" ----------------------------------------------------------


def criminal_warrants(p: Params) -> list[Rule]:
    """(a)(1): "civil immigration detainer" means a detainer issued under 8 C.F.R. 287.7 (LL 58/2014
    adds "any similar federal request for detention of a person suspected of violating civil immigration
    law"); a federal criminal warrant is neither."""
    return criminal_warrant_not_a_detainer("9-131", f"{S}(a)(1)", "doc", successive(LL62_2011, LL58_2014))


# -- (b) Prohibition on honoring a civil immigration detainer --------------------------------------


def hold_2011(p: Params) -> list[Rule]:
    """(b) as enacted by LL 62/2011: (1) the department "shall not honor" a detainer by holding
    the person past release or by notifying ICE of the release; (2) unless a search shows one of
    seven circumstances. Any conviction, or a pending misdemeanor or felony case, is enough; no
    lookback."""
    return not_honored_unless_shown(
        p,
        D.DOC_2011,
        rule_id="nyc.9-131.b.2011",
        title="DOC may not honor a civil immigration detainer (LL 62/2011)",
        agency="doc",
        version=successive(LL62_2011, LL22_2013)[0],
        convicted=("convicted of a crime", D.convicted_2011(p)),
        pending=("a defendant in a pending criminal case", D.pending_case_2011()),
        also_cite=(f"{S}(a)(2)", f"{S}(a)(5)"),
        sources=SOURCES_2011,
    )


def hold_2013(p: Params) -> list[Rule]:
    """(b) as amended by LL 22/2013: the same prohibition, but (b)(2)(i) reads "convicted of a
    covered crime" and "a pending covered criminal case", and what "the department has been informed
    by a court" counts as the search does."""
    return not_honored_unless_shown(
        p,
        D.DOC_2013,
        rule_id="nyc.9-131.b.2013",
        title="DOC may not honor a civil immigration detainer (LL 22/2013)",
        agency="doc",
        version=successive(LL22_2013, LL58_2014)[0],
        convicted=("convicted of a covered crime", D.convicted_covered_2013(p, "§ 9-131(a)(2)")),
        pending=(
            "a defendant in a pending covered criminal case",
            D.pending_covered_2013(("§ 9-131(a)(4)", "§ 9-131(a)(7)")),
        ),
        also_cite=(f"{S}(a)(2)", f"{S}(a)(3)"),
        sources=SOURCES_2013,
    )


def b1(p: Params, s: D.Cites = D.DOC) -> Expr:
    """§ 9-131(b)(1) as amended by LL 58/2014: DOC "may only honor" a detainer if

    (i)  federal immigration authorities present a judicial warrant for the person's
         detention at the time the detainer is presented (register E-8), and
    (ii) a search at or about release time, or a court or any other governmental
         entity, shows that the person
         (A) has been convicted of a violent or serious crime (within the lookback of
             (a)(2)), or
         (B) is a possible match in the terrorist screening database.

    § 14-154(b)(1) and § 9-205(b) repeat this test; they pass their own citations.
    """
    clause_i = D.judicial_warrant_with_detainer(p, s)
    clause_ii = D.Def(
        "the search or a court or other governmental entity shows a recent violent-or-serious conviction "
        "or a possible terrorist-list match",
        D.convicted_recent_vsc(p, s)  # (ii)(A)
        | D.tsdb_match(s),  # (ii)(B)
        s.b1_danger,
    )
    # a reform may drop clause (i) (``judicial_warrant_required``, bound when the law runs)
    return (~Param("judicial_warrant_required") | clause_i) & clause_ii


def hold_2014(p: Params) -> list[Rule]:
    """(b)(1) as amended by LL 58/2014 (and LL 63/2026, which changed only definitions): the
    department "may only honor" a detainer, by holding the person or by notifying ICE of the
    release, "if" the test of ``b1`` is met."""
    return honored_only_if(
        p,
        D.DOC,
        b1(p, D.DOC),
        rule_id="nyc.9-131.b",
        title="DOC may honor a civil immigration detainer only with a judicial warrant and a recent "
        "violent or serious conviction or terrorist-list match",
        cite=f"{S}(b)(1)",
        agency="doc",
        actions=("hold", "notify_release"),
        versions=successive(LL58_2014, LL63_2026),
    )


# -- (h) Use of city land or facilities by federal immigration authorities (from 2015-02-12) --------

H1_II = f"{S}(h)(1)(ii)"


def h1_exceptions(p: Params) -> tuple[When, ...]:
    """The grounds on which (h)(1) lets DOC answer: (i) a recent violent-or-serious
    conviction or terrorist-list match, (ii) "unrelated to the enforcement of civil
    immigration laws", (iii) "otherwise required by law"; a reform may rewrite (i) and
    (iii) (Int 396-2024). § 10-178 reads (ii) apart from the others (register E-14)."""
    h1 = f"{S}(h)(1)"
    exceptions = []
    if p.doc_information_vsc_exception:
        exceptions.append(
            When(
                "the person has a recent violent-or-serious conviction or is a possible terrorist-list match",
                f"{h1}(i)",
                D.convicted_recent_vsc(p, D.DOC) | D.tsdb_match(D.DOC),
                PERMITTED,
            )
        )
    if p.doc_information_pursuant_to_b:
        exceptions.append(
            When(
                "made pursuant to subdivision b (the person's detainer is being honored under (b)(1))",
                f"{h1}(i) (reform)",
                D.Def("DOC may honor a detainer for the person under (b)(1)", b1(p, D.DOC), f"{S}(b)(1)"),
                PERMITTED,
            )
        )
    exceptions.append(
        When(
            "unrelated to the enforcement of civil immigration laws",
            H1_II,
            D.Def(
                "the request's purpose is not civil immigration enforcement", Field("purpose").ne("civil_immigration")
            ),
            PERMITTED,
        )
    )
    if p.doc_information_required_by_law_exception:
        exceptions.append(
            When(
                "otherwise required by law",
                f"{h1}(iii)",
                D.flag("the response is otherwise required by law", "required_by_law"),
                PERMITTED,
            )
        )
    return tuple(exceptions)


def information(p: Params) -> list[Rule]:
    """(h)(1): no DOC time or resources to answer ICE about a person's custody, release
    or court dates, or other information (not citizenship or immigration status), unless
    one of the grounds of ``h1_exceptions`` applies.

    Parameters carry the parts a reform may rewrite (Int 396-2024 deletes the status
    carve-out and (iii), and replaces (i) with "made pursuant to subdivision b")."""
    h1 = f"{S}(h)(1)"
    fia = D.federal_immigration_requester(p, D.DOC)
    in_force = successive(LL58_2014, LL63_2026, first_from=LL58_2014_SUBDIVISION_H)
    is_info = Field("kind").eq("information")
    status = Field("information").eq("immigration_status")
    carveout = bool(p.doc_information_status_carveout)
    rules = [
        Rule(
            id="nyc.9-131.h1.pending",
            title="Before subdivision (h) took effect, § 9-131 did not restrict DOC answers to ICE inquiries",
            cite=h1,
            source=str(LL58_2014),
            agencies=("doc",),
            actions=("share_information",),
            start=LL58_2014.in_force,
            end=LL58_2014_SUBDIVISION_H,
            applies=is_info & fia,
            default=NOT_GOVERNED,
            default_label="subdivision (h) is in force only from 2015-02-12",
            notes=("E-10",),
        )
    ]
    exceptions = h1_exceptions(p)
    for start, end, source in in_force:
        if carveout:
            rules.append(
                Rule(
                    id=f"nyc.9-131.h1.status.{start.year}",
                    title="Information about citizenship or immigration status is outside § 9-131(h)(1)",
                    cite=h1,
                    source=source,
                    agencies=("doc",),
                    actions=("share_information",),
                    start=start,
                    end=end,
                    applies=is_info & fia & status,
                    default=NOT_GOVERNED,
                    default_label="(h)(1) excepts citizenship and immigration-status information",
                    notes=("E-13",),
                )
            )
        rules.append(
            Rule(
                id=f"nyc.9-131.h1.{start.year}",
                title="DOC may not spend resources answering ICE about a person in custody",
                cite=h1,
                source=source,
                agencies=("doc",),
                actions=("share_information",),
                start=start,
                end=end,
                applies=is_info & fia & (~status if carveout else Const(True)),
                applies_label="an inquiry from federal immigration authorities about a person in DOC custody",
                default_label="none of the exceptions of (h)(1) applies",
                default_conditions=("do not disclose the information",),
                exceptions=tuple(exceptions),
            )
        )
    return rules


def mayoral_order_in_force(p: Params) -> bool:
    """Whether a mayoral order under the (h)(2) proviso has effect on the snapshot day. For
    Executive Order 50 of 2025 the court events decide (register EO-50): by default the
    ruling that it is null and void reaches back to its issue; the alternative reading lets
    it stand from 2025-04-08 until the restraining order of 2025-04-21."""
    if not p.mayoral_order_authorizes_office:
        return False
    status = str(p.eo50_status)
    if status == "none":
        return True  # another order, not one the courts have acted on
    return status == "issued" and not p.eo50_void_from_issue


def office(p: Params) -> list[Rule]:
    """(h)(2): no federal immigration office on DOC land to investigate civil immigration
    violations; until LL 63/2026 the mayor could authorize one by executive order for
    unrelated purposes (Executive Order 50 of 2025, register EO-50); since then none."""
    h2 = f"{S}(h)(2)"
    applies = Field("kind").eq("office") & D.federal_immigration_requester(p, D.DOC)
    civil = Field("purpose").eq("civil_immigration")
    # The ban names civil investigations; the proviso implies any other office needs a
    # mayoral order (register H2-EO); a reform may read the ban literally instead.
    scope_2015 = applies & (civil | Const(bool(p.office_needs_mayoral_order)))
    eo = When(
        "a mayoral executive order authorizes an office for purposes unrelated to civil immigration enforcement",
        f"{h2} (proviso)",
        D.Def(
            "the office is for purposes unrelated to civil immigration enforcement",
            Field("purpose").ne("civil_immigration"),
            h2,
        )
        & D.Def(
            "a mayoral executive order authorizing it is in force",
            Const(mayoral_order_in_force(p)),
            f"{h2} (proviso)",
            notes=("EO-50",),
        ),
        PERMITTED,
    )
    return [
        Rule(
            id="nyc.9-131.h2.2015",
            title="No federal immigration office or quarters on DOC land (for civil immigration investigations)",
            cite=h2,
            source=str(LL58_2014),
            agencies=("doc",),
            actions=("office",),
            start=LL58_2014_SUBDIVISION_H,
            end=LL63_2026.in_force,
            applies=scope_2015,
            notes=() if not p.office_needs_mayoral_order else ("H2-EO",),
            default_label="no mayoral executive order authorizes it",
            exceptions=(eo,),
        ),
        Rule(
            id="nyc.9-131.h2.2026",
            title="No federal immigration office or quarters on DOC land for any purpose",
            cite=h2,
            source=str(LL63_2026),
            agencies=("doc",),
            actions=("office",),
            start=LL63_2026.in_force,
            applies=applies,
            default_label="banned for any purpose; § 9-131 supersedes mayoral orders (§ 9-131(d))",
            also_cite=(f"{S}(d)",),
        ),
    ]


def rules(p: Params) -> list[Rule]:
    return [*hold_2011(p), *hold_2013(p), *hold_2014(p), *information(p), *office(p), *criminal_warrants(p)]


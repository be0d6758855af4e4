"""NYC Admin. Code § 14-154: persons not to be detained by the Police Department.

- LL 21/2013 (from 2013-07-16): NYPD may not honor a detainer unless any of the
  circumstances of (b)(2) is shown ("covered" crimes and cases, as DOC's 2013 law).
- LL 59/2014 (from 2014-12-14): as DOC's 2014 law in (b)(1), plus the NYPD-only (b)(2):
  a hold of up to 48 hours, not counting Saturdays, Sundays and holidays, for a person
  who has ever been convicted of a violent or serious crime and illegally re-entered
  after removal, or is a possible terrorist-list match; without a judicial warrant by
  the end of that period the person is released and ICE is not told.
- LL 63/2026 (from 2026-01-29): broader "federal immigration authorities".
"""

from __future__ import annotations

from dataclasses import replace

from detainerlaw.engine.expr import Const, Field
from detainerlaw.engine.params import Params
from detainerlaw.engine.rules import PERMITTED, Rule, When
from detainerlaw.laws.nyc import definitions as D
from detainerlaw.laws.nyc.enactments import LL21_2013, LL59_2014, LL63_2026
from detainerlaw.laws.nyc.patterns import (
    CFR_287_7_D,
    RELEASE_ON_TIME,
    criminal_warrant_not_a_detainer,
    hold_limit,
    not_honored_unless_shown,
    register_notes,
    required_under_federal_law,
    successive,
)
from detainerlaw.laws.nyc.s9_131 import SOURCES_2013, b1

S = "NYC Admin. Code § 14-154"
VERSIONS_2014 = successive(LL59_2014, LL63_2026)


# -- (a)(1) "Civil immigration detainer" ----------------------------------------------------------


def criminal_warrants(p: Params) -> list[Rule]:
    """(a)(1): "civil immigration detainer" means a detainer issued under 8 C.F.R. 287.7 (LL 59/2014
    adds any similar federal request about civil immigration law); a federal criminal warrant is neither."""
    return criminal_warrant_not_a_detainer("14-154", f"{S}(a)(1)", "nypd", successive(LL21_2013, LL59_2014))


# -- (b) Prohibition on honoring a civil immigration detainer --------------------------------------


def hold_2013(p: Params) -> list[Rule]:
    """(b) as enacted by LL 21/2013: (1) the department "shall not honor" a detainer by holding the
    person past release or by notifying ICE of the release; (2) that "shall not apply under any of the
    following circumstances" shown by the search or a court (or, for removal orders, ICE). The terms
    are DOC's 2013 ones, numbered (a)(2)-(6)."""
    return not_honored_unless_shown(
        p,
        D.NYPD_2013,
        rule_id="nyc.14-154.b.2013",
        title="NYPD may not honor a civil immigration detainer (LL 21/2013)",
        agency="nypd",
        version=successive(LL21_2013, LL59_2014)[0],
        convicted=("convicted of a covered crime", D.convicted_covered_2013(p, "§ 14-154(a)(2)")),
        pending=(
            "a defendant in a pending covered criminal case",
            D.pending_covered_2013(("§ 14-154(a)(4)", "§ 14-154(a)(6)")),
        ),
        also_cite=(f"{S}(a)(2)", f"{S}(a)(6)"),
        sources=SOURCES_2013,
    )


def b2_basis(p: Params) -> D.Def:
    """(b)(2) of LL 59/2014: "notwithstanding paragraph one", the department may hold a person up to
    48 hours (not counting Saturdays, Sundays and holidays) past release if the search, a court or any
    other governmental agency shows that the person (A) has "ever" been convicted of a violent or
    serious crime ((a)(2), second proviso) and illegally re-entered after a removal or return, or
    (B) is a possible terrorist-list match."""
    a = D.Def(
        "ever convicted of a violent or serious crime and illegally re-entered after a previous removal or return",
        D.convicted_vsc_ever(p, D.NYPD)
        & D.flag("illegally re-entered after removal or return", "reentered_after_removal"),
        f"{S}(b)(2)(A)",
    )
    basis = a | D.Def("a possible terrorist-screening-database match", Field("terrorist_screening_match"),
                      f"{S}(b)(2)(B)")
    return D.Def(
        "the search or a court or other governmental agency shows a ground for the 48-hour hold",
        Const(bool(p.nypd_hold_exception)) & basis,
        f"{S}(b)(2)",
    )


def _jw_in_window(p: Params) -> D.Def:
    """(b)(2) proviso: without a judicial warrant "within the period described above" the person is
    released and ICE is not told (register E-9, E-9b)."""
    end = D.nypd_window_end(p)
    later = D.Def(
        "a judicial warrant was presented before the hold period ended",
        Field("has_jw_at") & (Field("jw_at_minute") <= end),
        f"{S}(b)(2)",
        notes=("E-9",),
    )
    return D.Def(
        "a judicial warrant was presented with the detainer or within the hold period",
        D.judicial_warrant_with_detainer(p, D.NYPD) | later,
        f"{S}(b)(2) (proviso)",
    )


def hold_2014(p: Params) -> list[Rule]:
    """(b) as rewritten by LL 59/2014 (and LL 63/2026, which changed only definitions): (1) the
    department "may only honor" a detainer, by holding or by notifying ICE of the release, if the
    test of § 9-131(b)(1) is met in this section's terms; (2) or it may hold for up to 48 hours on
    ``b2_basis``, and may go on holding and notify only once a judicial warrant comes in that time."""
    cite = f"{S}(b)(1)"
    under_b1 = When(
        "a judicial warrant came with the detainer and the person has a recent violent-or-serious conviction "
        "or is a possible terrorist-list match",
        cite,
        b1(p, D.NYPD),
        PERMITTED,
        rank=2,
        also_cite=(f"{S}(a)(2)", f"{S}(a)(4)"),
    )
    proviso = When(
        "a ground for the 48-hour hold exists and a judicial warrant was presented in time",
        f"{S}(b)(2)",
        b2_basis(p) & _jw_in_window(p),
        PERMITTED,
        rank=2,
        notes=("E-9b",),
        also_cite=(f"{S}(a)(2)",),
    )
    window = When(
        "the 48-hour hold exception applies",
        f"{S}(b)(2)",
        b2_basis(p),
        PERMITTED,
        rank=1,
        until=D.nypd_window_end(p),
        conditions=(
            "release the person at {until} unless a judicial warrant is presented by then",
            "do not notify federal immigration authorities of the release",
        ),
        notes=("E-9",),
        also_cite=(f"{S}(a)(2)",),
    )
    # A hold permitted under (b)(1), or continued once a judicial warrant came within the
    # (b)(2) period, lasts only as long as the detainer asks (8 C.F.R. 287.7(d)).
    limit = hold_limit(p)
    under_b1_hold = replace(under_b1, **{**limit, "also_cite": (*under_b1.also_cite, CFR_287_7_D)})
    proviso_hold = replace(proviso, **{**limit, "also_cite": (*proviso.also_cite, CFR_287_7_D),
                                       "notes": (*proviso.notes, *limit["notes"])})
    out = []
    for start, end, source in VERSIONS_2014:
        common = dict(
            source=source,
            agencies=("nypd",),
            start=start,
            end=end,
            applies=D.civil_detainer(p, D.NYPD, similar_requests=True),
            applies_label="a civil immigration detainer (or similar federal request)",
            note_if=register_notes(start),
        )
        out += [
            Rule(
                id=f"nyc.14-154.b.hold.{start.year}",
                title="NYPD may hold a person on a detainer only under (b)(1), or for the limited period of (b)(2)",
                cite=cite,
                actions=("hold",),
                default_label="neither (b)(1) nor (b)(2) applies",
                default_conditions=RELEASE_ON_TIME[:1],
                exceptions=(under_b1_hold, proviso_hold, window, required_under_federal_law(D.NYPD.section, rank=2)),
                also_cite=(f"{S}(b)(2)",),
                **common,
            ),
            Rule(
                id=f"nyc.14-154.b.notify.{start.year}",
                title="NYPD may notify ICE of a release only under (b)(1), or once a judicial warrant is presented "
                "within the (b)(2) period",
                cite=cite,
                actions=("notify_release",),
                default_label="(b)(1) is not met, and (b)(2) forbids notice without a judicial warrant",
                default_conditions=RELEASE_ON_TIME[1:],
                exceptions=(under_b1, proviso, required_under_federal_law(D.NYPD.section, rank=2)),
                also_cite=(f"{S}(b)(2)",),
                **common,
            ),
        ]
    return out


def rules(p: Params) -> list[Rule]:
    return [*hold_2013(p), *hold_2014(p), *criminal_warrants(p)]

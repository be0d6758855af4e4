"""Subdivision (d): nothing in § 9-131 (LL 62/2011 on) or § 14-154 (LL 21/2013 on) bars
cooperating with federal immigration authorities "when required under federal law"; § 9-205(d)
creates no duty "in conflict with any applicable law" (register D-FED). A detainer that would
otherwise be refused is honored when ``request.required_by_law`` marks such a duty."""

from __future__ import annotations

import pytest

from builders import case, cited, cites, notes, outcomes

BOTH_PERMITTED = {"hold": "permitted", "notify_release": "permitted"}
BOTH_PROHIBITED = {"hold": "prohibited", "notify_release": "prohibited"}


@pytest.mark.parametrize(
    "agency,day,section",
    [
        ("doc", "2012-06-01", "§ 9-131"),  # LL 62/2011
        ("doc", "2014-01-10", "§ 9-131"),  # LL 22/2013
        ("doc", "2016-06-01", "§ 9-131"),  # LL 58/2014
        ("doc", "2026-02-02", "§ 9-131"),  # LL 63/2026
        ("nypd", "2014-01-10", "§ 14-154"),  # LL 21/2013
        ("nypd", "2016-06-01", "§ 14-154"),  # LL 59/2014
        ("nypd", "2026-02-02", "§ 14-154"),
    ],
)
def test_d_cooperation_required_under_federal_law(agency: str, day: str, section: str) -> None:
    assert outcomes(case(agency, day)) == BOTH_PROHIBITED
    c = case(agency, day, required_by_law=True)
    assert outcomes(c) == BOTH_PERMITTED
    assert cited(f"NYC Admin. Code {section}(d)", cites(c, "hold"))
    assert "D-FED" in notes(c)


def test_d_9_205_no_duty_in_conflict_with_applicable_law() -> None:
    """Probation: § 9-205(d) saves the hold; its release notice is § 10-178's, saved there by
    compliance with federal law."""
    assert outcomes(case("dop", "2019-06-03")) == BOTH_PROHIBITED
    c = case("dop", "2019-06-03", required_by_law=True)
    assert outcomes(c) == BOTH_PERMITTED
    assert cited("NYC Admin. Code § 9-205(d)", cites(c, "hold"))


def test_d_nypd_required_hold_is_not_limited_to_the_b2_window() -> None:
    """A duty under federal law outranks the (b)(2) window: the hold is not cut at its end."""
    from builders import conv, jail, run

    c = case("nypd", "2016-03-10T14:00", arrest="2016-03-09", convictions=[conv("PL 130.35", "2001-06-01")],
             jails=[jail("2001-06-01", "2009-06-01")], reentered_after_removal=True, required_by_law=True)
    d = run(c)
    assert d.actions["hold"].outcome.value == "permitted"
    assert d.actions["hold"].until is None
    assert d.actions["notify_release"].outcome.value == "permitted"

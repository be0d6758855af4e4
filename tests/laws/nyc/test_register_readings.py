"""Contested readings the pack names in its register and a reform can flip: § 10-178(e)(ii)
and DOC answers open under § 9-131(h)(1)(ii) (E-14); § 10-178 and status information
(E-13a); NYPD and Probation answers about people their section would let them hold (E-13b)."""

from __future__ import annotations

import pytest

from builders import case, conv, notes
from detainerlaw.decide import decide
from detainerlaw.engine.pack import Reform

ON = "2019-05-01"


def _out(c, reform: Reform | None = None) -> str:
    d = decide(c, reform=reform) if reform else decide(c)
    return d.actions["share_information"].outcome.value


def _notes(c, reform: Reform) -> list[str]:
    return [n.code for n in decide(c, reform=reform).notes]


# -- E-14: § 10-178(e)(ii) and § 9-131(h)(1)(ii) ------------------------------------------


def test_e_ii_doc_criminal_reentry_answer_saved_by_default_e14() -> None:
    """§ 9-131(h)(1)(ii) lets DOC answer an inquiry unrelated to civil enforcement; by default
    § 10-178(e)(ii) saves it although it serves criminal immigration enforcement."""
    c = case("doc", ON, "information", purpose="criminal_immigration")
    assert _out(c) == "permitted"
    assert "E-14" in notes(c)


def test_e_ii_doc_criminal_reentry_answer_barred_when_10_178_controls_e14() -> None:
    flip = Reform(name="e14", params={"doc_criminal_immigration_answers_saved": False})
    c = case("doc", ON, "information", purpose="criminal_immigration")
    assert _out(c, flip) == "prohibited"
    assert "E-14" in _notes(c, flip)
    # the other grounds of (h)(1) still save it: (i) a recent violent-or-serious conviction, (iii) required by law
    vsc = case("doc", ON, "information", purpose="criminal_immigration", arrest=ON,
               convictions=[conv("PL 160.10", "2016-01-01")])
    assert _out(vsc, flip) == "permitted"
    law = case("doc", ON, "information", purpose="criminal_immigration", required_by_law=True)
    assert _out(law, flip) == "permitted"
    # a non-immigration criminal inquiry is outside § 10-178 either way
    assert _out(case("doc", ON, "information", purpose="criminal_other"), flip) == "permitted"


# -- E-13a: status information under § 10-178 -------------------------------------------


@pytest.mark.parametrize("agency", ["nypd", "dop"])
def test_c_status_information_outside_by_default_e13a(agency: str) -> None:
    c = case(agency, ON, "information", info="immigration_status")
    assert _out(c) == "not_governed"
    assert "E-13a" in notes(c)


@pytest.mark.parametrize("agency", ["nypd", "dop"])
def test_c_status_information_barred_without_carveout_e13a(agency: str) -> None:
    flip = Reform(name="e13a", params={"city_resources_status_carveout": False})
    c = case(agency, ON, "information", info="immigration_status")
    assert _out(c, flip) == "prohibited"
    assert "E-13a" in _notes(c, flip)
    assert _out(case(agency, ON, "information", info="immigration_status", required_by_law=True), flip) == "permitted"


# -- E-13b: answers about a person the section would let the agency hold ------------------

REENTRY_VSC = dict(arrest=ON, convictions=[conv("PL 130.35", "2001-06-01")], reentered_after_removal=True)


def test_c_nypd_answer_about_person_it_could_hold_barred_by_default_e13b() -> None:
    """§ 14-154(b)(2) would let the NYPD hold this person; § 10-178(c) still bars the answer."""
    c = case("nypd", ON, "information", **REENTRY_VSC)
    assert _out(c) == "prohibited"
    assert "E-13b" in notes(c)
    plain = case("nypd", ON, "information")
    assert "E-13b" not in notes(plain)


def test_e_ii_answer_about_person_section_would_honor_saved_when_flipped_e13b() -> None:
    flip = Reform(name="e13b", params={"city_answers_follow_section_hold": True})
    nypd = case("nypd", ON, "information", **REENTRY_VSC)
    assert _out(nypd, flip) == "permitted"
    assert "E-13b" in _notes(nypd, flip)
    # Probation: § 9-205(b) needs a judicial warrant and a recent violent-or-serious conviction
    dop = case("dop", ON, "information", jw=True, arrest=ON, convictions=[conv("PL 160.10", "2016-01-01")])
    assert _out(dop) == "prohibited"
    assert _out(dop, flip) == "permitted"
    assert _out(case("dop", ON, "information", arrest=ON, convictions=[conv("PL 160.10", "2016-01-01")]),
                flip) == "prohibited"
    # a person no section would let the agency hold: still barred (worked example 19)
    ex19 = case("nypd", ON, "information", arrest="2019-04-30", convictions=[conv("PL 265.03", "2017-02-01")])
    assert _out(ex19, flip) == "prohibited"

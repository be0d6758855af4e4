"""The screener names the rule that decided each action: under several layers, a rule of a layer the
combined answer followed (Wells v. DeMarco for an NYPD hold in 2022), never merely the first layer."""

from __future__ import annotations

from detainerlaw import facade
from detainerlaw.interfaces.web.routes import deciding

REENTRY_2022 = {
    "agency": "nypd", "decided_at": "2022-06-15T10:00", "instant_arrest_date": "2022-06-14",
    "request": {"kind": "detainer", "administrative_warrant": "I-205"},
    "person": {"convictions": [{"statute": "PL 130.35", "level": "felony", "conviction_date": "2001-06-01",
                                "judgment_date": "2001-06-01"}],
               "final_order_of_removal": True, "reentered_after_removal": True},
}


def test_the_deciding_rule_comes_from_the_layer_that_decided() -> None:
    d = facade.decide(facade.parse_case(REENTRY_2022))
    shown = deciding(d)
    assert [x["citation"] for x in shown["hold"]] == [d.actions["hold"].by_layer["ny"].citations[0]]
    assert all("§ 14-154" in x["citation"] or "§ 10-178" in x["citation"] for x in shown["notify_release"])
    assert not any(x["rule"].startswith("layer ") for xs in shown.values() for x in xs)

"""The state rules on the new facts, proved or refuted by the SMT backend (whose enum domains come
from the facts schema): CRL § 28 and VTL § 201(12) as claims about the ny layer."""

from __future__ import annotations

from detainerlaw.claims import verify_claims
from detainerlaw.decide import decide
from detainerlaw.laws.nyc.case import Case

CLAIMS = {"claims": [
    {"id": "poca-no-assisted-arrest-at-court", "text": "No civil arrest of a party at court may be assisted.",
     "kind": "forall", "as_of": "2024-02-05", "layer": "ny",
     "given": {"agency": "nypd", "request": {"kind": "courthouse_arrest", "assist": True,
                                             "purpose": "civil_immigration"},
               "person": {"court_attendance": "at", "court_role": "party"}},
     "then": {"courthouse_civil_arrest": "prohibited"}},
    {"id": "green-light-dmv-never-to-ice", "text": "DMV records never go to ICE.",
     "kind": "forall", "as_of": "2024-02-05", "layer": "ny",
     "given": {"agency": "nypd", "request": {"kind": "information", "information": "other", "dmv_records": True,
                                             "requester": "federal_immigration"}},
     "then": {"share_information": "prohibited"}},
]}


def test_crl_28_and_vtl_201_12_claims_refuted_by_a_judge_s_order_counterexample() -> None:
    results = {r["id"]: r for r in verify_claims(CLAIMS)["results"]}
    for cid, action in (("poca-no-assisted-arrest-at-court", "courthouse_civil_arrest"),
                        ("green-light-dmv-never-to-ice", "share_information")):
        r = results[cid]
        assert r["verdict"] == "fails", r
        counter = Case.model_validate(r["counterexample"])
        assert decide(counter).actions[action].by_layer["ny"].outcome.value == "permitted"
        assert counter.request.judicial_order_issuer is not None or counter.request.judicial_warrant

"""Claims: the bundled claims give their expected verdicts, every case shown replays
through ``decide``, and ``diff`` lists distinct minimal cases."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from detainerlaw.claims import ClaimError, bundled_claims, diff_laws, verify_claims
from detainerlaw.decide import decide
from detainerlaw.laws.nyc.case import Case


@pytest.fixture(scope="module")
def bundled_results() -> list[dict]:
    return verify_claims(bundled_claims())["results"]


def _outcome(case: dict, action: str, decided_at: str | None = None, layer: str | None = None) -> str:
    data = dict(case, decided_at=decided_at) if decided_at else case
    r = decide(Case.model_validate(data), explain=False).actions[action]
    return (r.by_layer[layer] if layer else r).outcome.value  # a claim naming a layer speaks of its answer


def test_bundled_claims_give_expected_verdicts(bundled_results: list[dict]) -> None:
    for r in bundled_results:
        assert r.get("error") is None, r
        assert r["expected_matched"] is True, (r["id"], r["verdict"], r["expected"])


def test_bundled_counterexamples_replay(bundled_results: list[dict]) -> None:
    claims = {c["id"]: c for c in bundled_claims()["claims"]}
    for r in bundled_results:
        claim = claims[r["id"]]
        if r["counterexample"] is not None and claim["kind"] == "forall":
            for action, want in claim["then"].items():
                wants = want if isinstance(want, list) else [want]
                assert _outcome(r["counterexample"], action, layer=claim.get("layer")) not in wants, r["id"]
        if claim["kind"] == "exists":
            for case in r["cases"]:
                for action, want in claim["then"].items():
                    assert _outcome(case, action, layer=claim.get("layer")) == want, r["id"]


def test_diff_of_2014_12_13_and_14_cases_really_differ_and_are_minimal() -> None:
    data = {"claims": [{"id": "d", "kind": "diff", "laws": ["2014-12-13", "2014-12-14"],
                        "given": {"agency": "doc", "request": {"kind": "detainer"}}, "action": "hold", "limit": 6}]}
    r = verify_claims(data)["results"][0]
    cases = r["cases"]
    assert r["verdict"] == "holds" and 2 <= len(cases) <= 6
    assert len({json.dumps(c, sort_keys=True) for c in cases}) == len(cases)
    for c, cmp in zip(cases, r["comparisons"]):
        before = _outcome(c, "hold", cmp["before"]["decided_at"])
        after = _outcome(c, "hold", cmp["after"]["decided_at"])
        assert before != after
        assert (before, after) == (cmp["before"]["outcomes"]["hold"], cmp["after"]["outcomes"]["hold"])
    # the first case is the smallest there is: no record at all
    assert "person" not in cases[0] or not any(isinstance(v, list) and v for v in cases[0]["person"].values())
    for c in cases:
        person = c.get("person", {})
        assert sum(len(v) for v in person.values() if isinstance(v, list)) <= 2


def test_diff_laws_api() -> None:
    cases = diff_laws("2014-12-13", "2014-12-14", "doc", "hold", limit=3)
    assert 1 <= len(cases) <= 3
    for c in cases:
        Case.model_validate(c)


def test_dotted_given_and_exists_witness() -> None:
    data = {"claims": [{
        "id": "w", "kind": "exists", "as_of": "2024-02-05",
        "given": {"agency": "doc", "request.kind": "detainer", "request.judicial_warrant": True,
                  "person.convictions[0].statute": "PL 120.08"},
        "then": {"hold": "permitted"}, "expect": "holds"}]}
    r = verify_claims(data)["results"][0]
    assert r["verdict"] == "holds"
    conv = r["cases"][0]["person"]["convictions"][0]
    assert conv["statute"] == "PL 120.08"
    assert _outcome(r["cases"][0], "hold") == "permitted"


def test_reform_inline_implies() -> None:
    data = {"claims": [{
        "id": "pending-charges-only-widen", "kind": "implies",
        "laws": ["2024-02-05", {"as_of": "2024-02-05", "reform": {"params": {"pending_charges_count": True}}}],
        "given": {"agency": "doc", "request": {"kind": "detainer"}}, "then": {"hold": "permitted"}}]}
    assert verify_claims(data)["results"][0]["verdict"] == "holds"


@pytest.mark.parametrize("claim, field", [
    ({"id": "x", "kind": "nope"}, "claims[0].kind"),
    ({"id": "x", "kind": "forall", "then": {"hold": "permitted"}}, "as_of or between"),
    ({"id": "x", "kind": "forall", "as_of": "2024-02-05", "then": {"fly": "permitted"}}, "unknown action"),
    ({"id": "x", "kind": "forall", "as_of": "2024-02-05", "then": {"hold": "maybe"}}, "claims[0].then.hold"),
    ({"id": "x", "kind": "forall", "as_of": "2024-02-05", "given": {"agency": "fbi"}, "then": {"hold": "permitted"}},
     "x.given.agency"),
    ({"id": "x", "kind": "diff", "laws": ["2014-12-13"], "action": "hold"}, "claims[0].laws"),
])
def test_bad_claims_name_the_field(claim: dict, field: str) -> None:
    with pytest.raises(ClaimError, match=field.replace("[", r"\[").replace("]", r"\]")):
        verify_claims({"claims": [claim]})


def test_cli_verify_json_and_errors(tmp_path) -> None:
    from detainerlaw.interfaces.cli import app

    f = tmp_path / "c.yaml"
    f.write_text(
        "claims:\n"
        "  - id: a\n    kind: forall\n    as_of: 2024-02-05\n"
        "    given: {agency: doc, request: {kind: detainer, judicial_warrant: true}}\n"
        "    then: {hold: permitted}\n    expect: fails\n"
    )
    res = CliRunner().invoke(app, ["verify", str(f), "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)["results"][0]
    assert out["verdict"] == "fails" and out["expected_matched"] is True
    assert set(out) >= {"id", "verdict", "expected_matched", "counterexample", "cases", "seconds", "bounds"}
    Case.model_validate(out["counterexample"])
    res = CliRunner().invoke(app, ["verify", str(f)])
    assert res.exit_code == 0 and "counterexample" in res.output
    bad = tmp_path / "bad.yaml"
    bad.write_text("claims: [{id: a, kind: forall, as_of: 2024-13-01, then: {hold: permitted}}]\n")
    res = CliRunner().invoke(app, ["verify", str(bad)])
    assert res.exit_code == 2 and "month must be" in res.output and "Traceback" not in res.output
    res = CliRunner().invoke(app, ["verify", str(tmp_path / "missing.yaml")])
    assert res.exit_code == 2


def test_a_claim_no_case_can_match_is_reported_vacuous() -> None:
    """A forall claim whose given no valid case satisfies (a judgment after the decision) holds of nothing:
    the result says so instead of presenting it as proved."""
    from detainerlaw.claims import parse_claims
    from detainerlaw.claims.engine import check_claim

    base = {"kind": "forall", "as_of": "2024-02-05",
            "given": {"agency": "doc", "request": {"kind": "detainer"},
                      "person": {"convictions": [{"statute": "PL 160.10", "level": "felony",
                                                  "conviction_date": "2030-01-01", "judgment_date": "2030-01-01"}]}}}
    for outcome in ("permitted", "prohibited"):
        [claim] = parse_claims({"claims": [{**base, "id": f"vacuous-{outcome}", "then": {"hold": outcome}}]})
        r = check_claim(claim)
        assert r["verdict"] == "holds" and r.get("vacuous") is True and "vacuously" in r["note"]
    [claim] = parse_claims({"claims": [{**base, "id": "real", "given": {"agency": "doc",
                                                                       "request": {"kind": "detainer"}},
                                        "then": {"hold": ["permitted", "prohibited", "not_governed"]}}]})
    assert "vacuous" not in check_claim(claim)


def test_a_claim_names_a_layer_of_its_place() -> None:
    """Spec v2: ``layer`` checks ``then`` against one layer's answer; an unknown layer is named."""
    from detainerlaw.claims import ClaimError, parse_claims
    from detainerlaw.claims.engine import check_claim

    claim = {"id": "city-layer", "kind": "forall", "as_of": "2016-03-10", "layer": "nyc",
             "given": {"agency": "doc", "request": {"kind": "detainer", "requester": "federal_immigration",
                                                    "judicial_warrant": False, "required_by_law": False}},
             "then": {"hold": "prohibited"}}
    [c] = parse_claims({"claims": [claim]})
    assert c.layer == "nyc" and check_claim(c)["verdict"] == "holds"
    with pytest.raises(ClaimError, match=r"layer"):
        parse_claims({"claims": [{**claim, "layer": "mars"}]})


def test_a_claim_is_about_the_place_its_given_names() -> None:
    """``given.jurisdiction`` says which place's law a claim is checked under; a place that is not
    registered, or whose package reads no cases symbolically, is one message naming the field."""
    from tests.engine.toy import install

    from detainerlaw.claims import ClaimError, parse_claims

    install()
    claim = {"id": "c", "kind": "forall", "as_of": "2016-01-01", "then": {"hold": "permitted"}}
    about_nyc = parse_claims({"claims": [{**claim, "given": {"jurisdiction": "nyc", "agency": "doc"}}]})
    assert about_nyc[0].place == "nyc"
    with pytest.raises(ClaimError, match=r"claims\[0\].given.jurisdiction: unknown place 'atlantis'"):
        parse_claims({"claims": [{**claim, "given": {"jurisdiction": "atlantis"}}]})
    with pytest.raises(ClaimError, match="given.jurisdiction: Toy Town's law package does not support claims"):
        parse_claims({"claims": [{**claim, "given": {"jurisdiction": "toy"}}]})

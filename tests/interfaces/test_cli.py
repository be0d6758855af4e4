"""The command line: decide (tree and --json), law, schema, and bad input (exit code 2,
one message naming the field, never a traceback)."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

from detainerlaw.interfaces import cli
from detainerlaw.interfaces.cli import app
from detainerlaw.models.decision import Decision

runner = CliRunner()
EXAMPLES = Path(__file__).resolve().parents[2] / "shared/spec/examples"
EX17 = {
    "agency": "nypd",
    "decided_at": "2016-03-10T14:00",
    "instant_arrest_date": "2016-03-09",
    "request": {"kind": "detainer", "administrative_warrant": "I-205"},
    "person": {
        "convictions": [{"statute": "PL 130.35", "level": "felony", "conviction_date": "2001-06-01",
                         "judgment_date": "2001-06-01"}],
        "incarcerations": [{"start": "2001-06-01", "end": "2009-06-01", "for_violent_or_serious": True}],
        "final_order_of_removal": True,
        "reentered_after_removal": True,
    },
}
BASE = {"agency": "doc", "decided_at": "2016-01-05", "instant_arrest_date": "2016-01-01",
        "request": {"kind": "detainer"}}
CONVICTION = {"statute": "PL 160.10", "level": "felony", "conviction_date": "2015-01-01", "judgment_date": "2015-02-01"}


def write(tmp_path: Path, obj: object, raw: str | None = None) -> str:
    p = tmp_path / "case.json"
    p.write_text(raw if raw is not None else json.dumps(obj))
    return str(p)


def flat(text: str) -> str:
    return " ".join(text.split())


def test_decide_prints_a_readable_tree(tmp_path: Path) -> None:
    res = runner.invoke(app, ["decide", write(tmp_path, EX17)])
    assert res.exit_code == 0, res.output
    text = flat(res.output)
    assert ("Hold the person for immigration authorities (honor the detainer) [hold]: permitted until "
            "2016-03-14T14:00") in text
    assert "[notify_release]: prohibited" in text
    assert text.startswith("Police Department · ")  # the place's words for the agency
    assert "§ 14-154(b)(2)" in text
    assert "✔" in res.output and "✘" in res.output


def test_decide_json_is_a_valid_decision(tmp_path: Path) -> None:
    res = runner.invoke(app, ["decide", write(tmp_path, EX17), "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.stdout)
    jsonschema.validate(data, Decision.model_json_schema())
    d = Decision.model_validate(data)
    assert d.actions["hold"].outcome.value == "permitted"
    assert d.actions["hold"].until.isoformat() == "2016-03-14T14:00:00"
    assert d.actions["notify_release"].outcome.value == "prohibited"
    assert d.actions["hold"].explanation is not None


def test_decide_accepts_an_example_file() -> None:
    path = EXAMPLES / "ex13-doc-2015-prison-extends-lookback.json"
    if not path.exists():
        pytest.skip(f"no examples folder at {EXAMPLES}")
    res = runner.invoke(app, ["decide", str(path), "--json"])
    assert res.exit_code == 0, res.output
    assert json.loads(res.stdout)["actions"]["hold"]["outcome"] == "permitted"


def test_law_as_of_2015_03_01_doc(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli.console, "width", 400)  # one table row per line
    res = runner.invoke(app, ["law", "--as-of", "2015-03-01", "--agency", "doc"])
    assert res.exit_code == 0, res.output
    assert "§ 9-131(b)(1)" in res.output and "§ 9-131(h)(1)" in res.output and "§ 9-131(h)(2)" in res.output
    assert "LL 58/2014" in res.output
    assert "§ 14-154" not in res.output


def test_law_json_lists_rules_in_force() -> None:
    res = runner.invoke(app, ["law", "--as-of", "2015-03-01", "--agency", "doc", "--json"])
    assert res.exit_code == 0, res.output
    rows = json.loads(res.stdout)
    assert {r["agency"] for r in rows} == {"doc"}
    assert all(r["start"] <= "2015-03-01" and (r["end"] is None or r["end"] > "2015-03-01") for r in rows)
    assert any(r["citation"].endswith("§ 9-131(h)(1)") for r in rows)


@pytest.mark.parametrize("args,field", [(["--as-of", "2015-02-30"], "--as-of"), (["--agency", "fbi"], "--agency")])
def test_law_bad_options(args: list[str], field: str) -> None:
    res = runner.invoke(app, ["law", *args])
    assert res.exit_code == 2
    assert field in res.output and "Traceback" not in res.output


@pytest.mark.parametrize("name,title_field", [("case", "agency"), ("decision", "actions")])
def test_schema(name: str, title_field: str) -> None:
    res = runner.invoke(app, ["schema", name])
    assert res.exit_code == 0, res.output
    schema = json.loads(res.stdout)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert title_field in schema["properties"]


def test_schema_case_validates_example() -> None:
    schema = json.loads(runner.invoke(app, ["schema", "case"]).stdout)
    jsonschema.validate(EX17, schema)


def _bad_cases() -> list:
    no_agency = {k: v for k, v in BASE.items() if k != "agency"}
    return [
        pytest.param(no_agency, None, "agency", id="missing-agency"),
        pytest.param({**BASE, "request": {"kind": "subpoena"}}, None, "request.kind", id="unknown-request-kind"),
        pytest.param({**BASE, "decided_at": "2019-02-30"}, None, "decided_at", id="2019-02-30"),
        pytest.param({**BASE, "person": {"convictions": [{**CONVICTION, "judgment_date": "2014-12-01"}]}}, None,
                     "judgment_date", id="judgment-before-conviction"),
        pytest.param({**BASE, "person": {"convictions": [{**CONVICTION, "statute": "PL abc"}]}}, None,
                     "statute", id="unparsable-statute"),
        pytest.param(None, '{"agency": "doc",', "not valid JSON", id="invalid-json"),
        pytest.param({k: v for k, v in BASE.items() if k != "instant_arrest_date"} | {
            "person": {"convictions": [CONVICTION]}}, None, "instant_arrest_date", id="missing-instant-arrest-date"),
    ]


@pytest.mark.parametrize("obj,raw,field", _bad_cases())
def test_bad_input_exit_2_one_message_naming_the_field(tmp_path: Path, obj, raw, field: str) -> None:
    res = runner.invoke(app, ["decide", write(tmp_path, obj, raw)])
    assert res.exit_code == 2, res.output
    assert isinstance(res.exception, SystemExit)
    assert "Traceback" not in res.output
    text = flat(res.output)
    assert text.count("error:") == 1, text
    assert field in text, text


def test_missing_file(tmp_path: Path) -> None:
    res = runner.invoke(app, ["decide", str(tmp_path / "nowhere.json")])
    assert res.exit_code == 2
    assert "no such file" in flat(res.output) and "Traceback" not in res.output
    assert flat(res.output).count("error:") == 1


def test_verify_ends_with_a_summary_and_fails_on_an_unexpected_verdict(tmp_path: Path) -> None:
    claim = ("claims:\n  - id: doc-2016-may-hold\n    kind: exists\n    as_of: 2016-01-01\n"
             "    given: {agency: doc, request: {kind: detainer}}\n    then: {hold: permitted}\n    expect: {expect}\n")
    good, bad = tmp_path / "good.yaml", tmp_path / "bad.yaml"
    good.write_text(claim.replace("{expect}", "holds"))
    bad.write_text(claim.replace("{expect}", "fails"))
    res = runner.invoke(app, ["verify", str(good)])
    assert res.exit_code == 0, res.output
    assert "1 claim: 1 holds; 1 of 1 as expected" in flat(res.output)
    res = runner.invoke(app, ["verify", str(bad)])
    assert res.exit_code == 1
    assert "1 claim: 1 holds; 0 of 1 as expected" in flat(res.output)


def test_an_empty_case_file_is_said_to_be_empty(tmp_path: Path) -> None:
    empty = tmp_path / "case.json"
    empty.write_text("  \n")
    res = runner.invoke(app, ["decide", str(empty)])
    assert res.exit_code == 2 and "case.json: empty: a Case is a JSON object" in flat(res.output)

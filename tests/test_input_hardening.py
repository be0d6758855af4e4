"""Bad or ambiguous input never gives a silent wrong answer or a traceback: times with an
offset are converted to New York time, citations are normalized or warned about, dates are
strict and bounded, and every bad input to ``detainerlaw decide`` (a file, standard input,
a batch in either format with either backend) is one message naming the field, exit code 2."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from pydantic import ValidationError
from typer.testing import CliRunner

from detainerlaw.decide import decide
from detainerlaw.errors import describe_validation
from detainerlaw.frame import facts_frame, write_frame
from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.case import DATE_RANGE, Case

runner = CliRunner()
# DOC, on the day LL 58/2014 took effect: notification needs a judicial warrant from 2014-12-14.
GANG = {"agency": "doc", "request": {"kind": "detainer"}, "person": {"gang_database_match": True}}
BASE = {"agency": "doc", "decided_at": "2016-01-05", "instant_arrest_date": "2016-01-01",
        "request": {"kind": "detainer", "judicial_warrant": True}}


def conviction(statute: str = "PL 160.10", **kw: object) -> dict:
    return {"statute": statute, "level": "felony", "conviction_date": "2015-01-01", "judgment_date": "2015-02-01",
            **kw}


def with_person(**person: object) -> dict:
    return {**BASE, "person": person}


def errors_of(data: object) -> list[str]:
    with pytest.raises(ValidationError) as e:
        Case.model_validate(data)
    return describe_validation(e.value)


def outcomes(data: dict) -> dict[str, str]:
    return {k: v.outcome.value for k, v in decide(Case.model_validate(data)).actions.items()}


# -- time zones ---------------------------------------------------------------------------


def test_one_instant_gives_one_answer_however_written() -> None:
    utc = decide(Case.model_validate({**GANG, "decided_at": "2014-12-14T02:00:00Z"}))
    local = decide(Case.model_validate({**GANG, "decided_at": "2014-12-13T21:00"}))
    offset = decide(Case.model_validate_json(json.dumps({**GANG, "decided_at": "2014-12-13T22:00-04:00"})))
    assert utc.actions["notify_release"].outcome.value == "permitted"
    assert local.actions == utc.actions == offset.actions
    assert utc.decided_at == dt.datetime(2014, 12, 13, 21, 0)  # the local time used is echoed
    assert [(w.field, "2014-12-13T21:00" in w.text) for w in utc.warnings] == [("decided_at", True)]
    assert local.warnings == []


def test_judicial_warrant_time_converted_to_new_york_time() -> None:
    c = Case.model_validate({"agency": "nypd", "decided_at": "2016-07-01T12:00",
                             "request": {"kind": "detainer", "judicial_warrant": True,
                                         "judicial_warrant_at": "2016-07-01T18:00:00+00:00"}})
    assert c.request.judicial_warrant_at == dt.datetime(2016, 7, 1, 14, 0)
    assert [w.field for w in decide(c).warnings] == ["request.judicial_warrant_at"]


# -- citations ----------------------------------------------------------------------------


def test_full_width_citation_reads_as_plain() -> None:
    plain = outcomes(with_person(convictions=[conviction("PL 160.10")]))
    wide = outcomes(with_person(convictions=[conviction("PL １６０.１０", subdivision="１")]))
    unlisted = outcomes(with_person(convictions=[conviction("PL 155.30")]))
    assert plain == wide == {"hold": "permitted", "notify_release": "permitted"}
    assert unlisted != plain


def test_citation_of_no_penal_law_article_is_warned_about() -> None:
    d = decide(Case.model_validate(with_person(
        convictions=[conviction("PL 160.10"), conviction("PL 999.99"),
                     conviction("18 USC 1326", jurisdiction="federal", equivalent_statute="PL 888.10")],
        pending_cases=[{"charges": [{"statute": "PL 110/777.05", "level": "felony"}]}])))
    assert [w.field for w in d.warnings] == ["person.convictions[1].statute",
                                             "person.convictions[2].equivalent_statute",
                                             "person.pending_cases[0].charges[0].statute"]
    assert "999" in d.warnings[0].text and "Penal Law" in d.warnings[0].text
    assert decide(Case.model_validate(with_person(convictions=[conviction("PL 160.10")]))).warnings == []


# -- strict types and dates ---------------------------------------------------------------


@pytest.mark.parametrize(("patch", "field"), [
    ({"request": {"kind": "detainer", "judicial_warrant": "yes"}}, "request.judicial_warrant"),
    ({"request": {"kind": "detainer", "judicial_warrant": 1}}, "request.judicial_warrant"),
    ({"person": {"gang_database_match": "true"}}, "person.gang_database_match"),
    ({"instant_arrest_date": 1451606400}, "instant_arrest_date"),  # seconds at midnight 2016-01-01 UTC
    ({"decided_at": 1452000000}, "decided_at"),
    ({"person": {"convictions": [conviction(conviction_date=1420070400)]}}, "person.convictions[0].conviction_date"),
    ({"person": {"incarcerations": [{"start": "2015-01-01", "end": 1430438400}]}}, "person.incarcerations[0].end"),
])
def test_loose_values_are_rejected(patch: dict, field: str) -> None:
    errs = errors_of({**BASE, **patch})
    assert len(errs) == 1 and errs[0].startswith(f"{field}: ")


def test_strict_types_still_read_json_strings_and_python_values() -> None:
    from_json = Case.model_validate_json(json.dumps(with_person(convictions=[conviction()])))
    from_python = Case.model_validate({**BASE, "decided_at": dt.date(2016, 1, 5),
                                       "instant_arrest_date": dt.date(2016, 1, 1),
                                       "person": {"convictions": [conviction(conviction_date=dt.date(2015, 1, 1))]}})
    assert from_json.person.convictions[0].conviction_date == from_python.person.convictions[0].conviction_date
    assert from_python.request.judicial_warrant is True
    aware = Case.model_validate({**GANG, "decided_at": dt.datetime(2014, 12, 14, 2, tzinfo=dt.UTC)})
    assert aware.decided_at == dt.datetime(2014, 12, 13, 21, 0) and aware.decided_at.tzinfo is None


@pytest.mark.parametrize(("patch", "field"), [
    ({"decided_at": "9999-12-31"}, "decided_at"),
    ({"decided_at": "9999-12-31T23:59"}, "decided_at"),
    ({"decided_at": "2099-12-31T23:00-10:00"}, "decided_at"),  # 2100 in New York
    ({"person": {"convictions": [conviction(conviction_date="1850-01-01", judgment_date=None)]}},
     "person.convictions[0].conviction_date"),
    ({"request": {"kind": "detainer", "judicial_warrant": True, "judicial_warrant_at": "9999-12-31T00:00"}},
     "request.judicial_warrant_at"),
])
def test_dates_outside_the_documented_range_are_rejected(patch: dict, field: str) -> None:
    errs = errors_of({**BASE, **patch})
    assert len(errs) == 1 and errs[0].startswith(f"{field}: ") and "1900-01-01 to 2099-12-31" in errs[0]
    assert DATE_RANGE == (dt.date(1900, 1, 1), dt.date(2099, 12, 31))


@pytest.mark.parametrize(("person", "field"), [
    ({"convictions": [conviction(conviction_date="2015-01-01", judgment_date="2016-03-01")]},
     "person.convictions[0].judgment_date"),
    ({"incarcerations": [{"start": "2016-02-01", "end": "2016-03-01"}]}, "person.incarcerations[0].start"),
])
def test_facts_dated_after_the_decision_are_rejected(person: dict, field: str) -> None:
    errs = errors_of(with_person(**person))
    assert len(errs) == 1 and errs[0].startswith(f"{field}: ") and "after decided_at" in errs[0]


# -- the command line ---------------------------------------------------------------------


def run(*args: str, stdin: bytes | None = None) -> tuple[int, str]:
    r = runner.invoke(app, list(args), input=stdin)
    out = r.output + (r.stderr if r.stderr_bytes is not None else "")
    assert "Traceback" not in out, out
    return r.exit_code, " ".join(out.split())  # the console wraps long messages


def test_decide_reads_only_utf8(tmp_path: Path) -> None:
    p = tmp_path / "case.json"
    p.write_bytes(json.dumps(BASE).encode("utf-16"))
    code, out = run("decide", str(p))
    assert code == 2 and "not UTF-8" in out


def test_decide_rejects_deep_nesting_from_a_file_and_stdin(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000
    p = tmp_path / "case.json"
    p.write_text(deep)
    for args, stdin in (((str(p),), None), (("-",), deep.encode())):
        code, out = run("decide", *args, stdin=stdin)
        assert code == 2 and "nested" in out


@pytest.mark.parametrize(("stdin", "needle"), [
    (b"{not json", "standard input: not valid JSON"),
    (b"\xff\xfe\x00", "standard input: not UTF-8"),
    (json.dumps({**BASE, "decided_at": "9999-12-31"}).encode(), "decided_at"),
    (json.dumps({**BASE, "request": {"kind": "detainer", "judicial_warrant": "yes"}}).encode(),
     "request.judicial_warrant"),
])
def test_decide_stdin_bad_input(stdin: bytes, needle: str) -> None:
    code, out = run("decide", "-", stdin=stdin)
    assert code == 2 and needle in out


def test_decide_stdin_good_input_shows_warnings() -> None:
    case = with_person(convictions=[conviction("PL 999.99")])
    code, out = run("decide", "-", "--json", stdin=json.dumps(case).encode())
    assert code == 0
    assert json.loads(out)["warnings"][0]["field"] == "person.convictions[0].statute"


BACKENDS = ("interpreter", "columnar")


def batch(tmp_path: Path, name: str, content: bytes, backend: str, out: str = "out.jsonl") -> tuple[int, str]:
    p = tmp_path / name
    p.write_bytes(content)
    return run("decide", "--batch", str(p), "--out", str(tmp_path / out), "--backend", backend)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("lines", "needle"), [
    ([json.dumps(BASE).encode(), b"\xff\xfe"], "line 2: not UTF-8"),
    ([b"[" * 50_000 + b"]" * 50_000], "line 1:"),
    ([b"[1, 2]"], "line 1: expected a Case"),
    ([json.dumps(BASE).encode(), json.dumps({**BASE, "decided_at": "9999-12-31"}).encode()], "line 2: decided_at"),
    ([json.dumps({**BASE, "person": {"gang_database_match": "yes"}}).encode()], "line 1: person.gang_database_match"),
])
def test_batch_jsonl_bad_lines(tmp_path: Path, backend: str, lines: list[bytes], needle: str) -> None:
    code, out = batch(tmp_path, "in.jsonl", b"\n".join(lines) + b"\n", backend)
    assert code == 2 and needle in out


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize("content", [b"", b"PAR1 this is not parquet", b'{"agency": "doc"}'])
def test_batch_parquet_unreadable(tmp_path: Path, backend: str, content: bytes) -> None:
    code, out = batch(tmp_path, "in.parquet", content, backend)
    assert code == 2 and "not a readable Parquet file" in out


def good_frame(n: int = 3) -> pl.DataFrame:
    cases = [Case.model_validate(with_person(convictions=[conviction()])) for _ in range(n)]
    return facts_frame(cases)


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("change", "needle"), [
    (pl.col("decided_day").cast(pl.String), "column decided_day"),
    (pl.col("judicial_warrant").cast(pl.Int8), "column judicial_warrant"),
    (pl.col("agency").cast(pl.String).str.replace("doc", "dept"), "row 1: column agency"),
    (pl.col("convictions").list.eval(pl.element().struct.with_fields(pl.field("conviction_day").cast(pl.String))),
     "column convictions.conviction_day"),
])
def test_batch_parquet_wrongly_typed_column(tmp_path: Path, backend: str, change: pl.Expr, needle: str) -> None:
    good_frame().with_columns(change).write_parquet(tmp_path / "in.parquet")
    code, out = run("decide", "--batch", str(tmp_path / "in.parquet"), "--out", str(tmp_path / "o.jsonl"),
                    "--backend", backend)
    assert code == 2 and needle in out


@pytest.mark.parametrize("backend", BACKENDS)
@pytest.mark.parametrize(("change", "needle"), [
    (pl.col("decided_day") + 3_000_000, "decided_at"),
    (pl.col("decided_minute") + 3_000_000 * 1440, "decided_at"),
    (pl.col("convictions").list.eval(pl.element().struct.with_fields(pl.field("judgment_day") + 2000)),
     "judgment_date"),
])
def test_batch_parquet_dates_out_of_range(tmp_path: Path, backend: str, change: pl.Expr, needle: str) -> None:
    frame = good_frame()
    frame = pl.concat([frame.head(1), frame.tail(2).with_columns(change)])
    write_frame(frame, tmp_path / "in.parquet")
    code, out = run("decide", "--batch", str(tmp_path / "in.parquet"), "--out", str(tmp_path / "o.jsonl"),
                    "--backend", backend)
    assert code == 2 and "row 2" in out and needle in out


@pytest.mark.parametrize("backend", BACKENDS)
def test_batch_warnings_agree_across_backends(tmp_path: Path, backend: str) -> None:
    lines = [json.dumps(with_person(convictions=[conviction("PL 999.99")])),
             json.dumps({**GANG, "decided_at": "2014-12-14T02:00:00Z"})]
    code, _ = batch(tmp_path, "in.jsonl", "\n".join(lines).encode(), backend)
    assert code == 0
    got = [json.loads(x) for x in (tmp_path / "out.jsonl").read_text().splitlines()]
    assert [[w["field"] for w in d["warnings"]] for d in got] == [["person.convictions[0].statute"], ["decided_at"]]
    assert got[1]["actions"]["notify_release"]["outcome"] == "permitted"


def test_simulate_population_wrongly_typed(tmp_path: Path) -> None:
    good_frame().with_columns(pl.col("decided_day").cast(pl.String)).write_parquet(tmp_path / "pop.parquet")
    code, out = run("simulate", "--population", str(tmp_path / "pop.parquet"), "--json")
    assert code == 2 and "decided_day" in out
    (tmp_path / "empty.parquet").write_bytes(b"")
    code, out = run("simulate", "--population", str(tmp_path / "empty.parquet"), "--json")
    assert code == 2 and "--population" in out


def test_population_import_of_garbage_is_one_message(tmp_path: Path) -> None:
    p = tmp_path / "ddp.parquet"
    p.write_bytes(b"not parquet at all")
    code, out = run("population", "import-ddp", str(p), "--out", str(tmp_path / "o.parquet"))
    assert code == 2 and str(p.name) in out
    q = tmp_path / "ddp.csv"
    q.write_bytes(b"\xff\xfe\x00\x01garbage")
    code, out = run("population", "import-ddp", str(q), "--out", str(tmp_path / "o.parquet"))
    assert code == 2

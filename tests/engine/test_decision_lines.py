"""``decide --batch`` to JSON Lines from the columnar backend: the lines assembled from each distinct
Decision's text (``detainerlaw.decision_lines``) are, byte for byte, the lines the row-by-row path
writes (a Decision object per case, ``batch.FAST_LINES = False``), on the bundled sample, on
synthesized cases with time limits, under a scenario, with warnings, with every form of
``decided_at``, and on a second place; and the assembled path is the one that ran."""

from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from detainerlaw import batch, decision_lines
from detainerlaw.batch import run_batch
from detainerlaw.frame import facts_frame, frame_cases, write_frame


@pytest.fixture
def assembled(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Whether each chunk's lines were assembled (True) or left to the row-by-row path (False)."""
    seen: list[bool] = []
    prepare = decision_lines.prepare

    def spy(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        got = prepare(*args, **kw)
        seen.append(got is not None)
        return got

    monkeypatch.setattr(decision_lines, "prepare", spy)
    monkeypatch.setattr(decision_lines, "LINES_AT_ONCE", 333)  # several pieces a chunk
    return seen


def both(tmp_path: Path, inp: Path, monkeypatch: pytest.MonkeyPatch, **kw: object) -> tuple[bytes, bytes]:
    """(the assembled JSON Lines, the row-by-row ones) of one input."""
    fast, rows = tmp_path / "fast.jsonl", tmp_path / "rows.jsonl"
    n = run_batch(inp, fast, backend="columnar", **kw)  # type: ignore[arg-type]
    with monkeypatch.context() as m:
        m.setattr(batch, "FAST_LINES", False)
        assert run_batch(inp, rows, backend="columnar", **kw) == n  # type: ignore[arg-type]
    return fast.read_bytes(), rows.read_bytes()


def _same(got: tuple[bytes, bytes], assembled: list[bool], lines: int) -> list[dict]:
    fast, rows = got
    assert assembled and all(assembled), assembled
    assert fast.count(b"\n") == lines
    assert fast == rows
    return [json.loads(x) for x in fast.splitlines()]


def _limits(decisions: list[dict]) -> tuple[int, int]:
    """(combined time limits, conditions that write one) in the decisions."""
    combined = worded = 0
    for d in decisions:
        for r in d["actions"].values():
            if r["until"]:
                combined += 1
                worded += any(r["until"][:16] in c for c in r["conditions"])
    return combined, worded


@pytest.fixture(scope="module")
def sample() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population().head(2500)


@pytest.fixture(scope="module")
def synthesized() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.synth import synthesize

    return synthesize(3000, seed=11)


def test_the_bundled_sample(tmp_path: Path, sample: pl.DataFrame, assembled: list[bool],
                            monkeypatch: pytest.MonkeyPatch) -> None:
    inp = tmp_path / "in.parquet"
    sample.write_parquet(inp)
    _same(both(tmp_path, inp, monkeypatch, chunk_rows=900), assembled, sample.height)
    assert len(assembled) == 3


def test_synthesized_cases_with_time_limits(tmp_path: Path, synthesized: pl.DataFrame, assembled: list[bool],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The federal hold cap (each layer's own limit) and holds permitted until a time (the combined
    limit, written in the conditions too) differ from case to case."""
    inp = tmp_path / "in.parquet"
    synthesized.write_parquet(inp)
    got = _same(both(tmp_path, inp, monkeypatch, chunk_rows=1000), assembled, synthesized.height)
    layer_limits = {r["until"] for d in got for a in d["actions"].values() for r in a["by_layer"].values()} - {None}
    assert len(layer_limits) > 100
    combined, worded = _limits(got)
    assert combined and worded


def test_a_scenario(tmp_path: Path, synthesized: pl.DataFrame, assembled: list[bool],
                    monkeypatch: pytest.MonkeyPatch) -> None:
    from detainerlaw import facade

    inp = tmp_path / "in.parquet"
    synthesized.write_parquet(inp)
    reform = facade.scenario("ice-request")
    got = _same(both(tmp_path, inp, monkeypatch, reform=reform), assembled, synthesized.height)
    base = tmp_path / "base.jsonl"
    run_batch(inp, base, backend="columnar")
    assert base.read_bytes() != tmp_path.joinpath("fast.jsonl").read_bytes()  # the scenario changes answers
    combined, worded = _limits(got)
    assert combined and worded


@pytest.mark.parametrize("hours", [24, 72])
def test_layers_with_different_time_limits(tmp_path: Path, synthesized: pl.DataFrame, assembled: list[bool],
                                           monkeypatch: pytest.MonkeyPatch, hours: int) -> None:
    """A city hold limit shorter or longer than the federal one: the combined limit is the earlier of the
    two, and the conditions write it, whichever layer gives it."""
    from detainerlaw.engine.pack import Reform

    inp = tmp_path / "in.parquet"
    synthesized.write_parquet(inp)
    reform = Reform(name=f"hold-{hours}", params={"detainer_hold_hours": hours, "nypd_hold_hours": hours,
                                                   "detainer_hold_limit_as_until": True})
    got = _same(both(tmp_path, inp, monkeypatch, reform=reform), assembled, synthesized.height)
    differ = [r for d in got for r in d["actions"].values()
              if r["until"] and len({x["until"] for x in r["by_layer"].values()} - {None}) > 1]
    assert differ
    assert _limits(got)[1]


# decided_at as a day, a time without seconds, with seconds, with fractions, and with offsets
# (a time with an offset is converted to New York local time, with a warning)
DECIDED = ["2016-01-05", "2019-03-04T09:30", "2021-06-24T22:49:13", "2021-06-24T22:49:13.250000",
           "2014-12-14T02:00:00Z", "2022-07-01T08:15:00+05:00", "2020-02-29T23:59"]
PERSONS = [{}, {"convictions": [{"statute": "PL 999.99", "level": "felony", "conviction_date": "2011-05-01",
                                 "judgment_date": "2011-06-01"}]},
           {"gang_database_match": True},
           {"convictions": [{"statute": "PL 160.10", "level": "felony", "conviction_date": "2012-01-01",
                             "judgment_date": "2012-02-01"}]}]
REQUESTS = [{"kind": "detainer", "judicial_warrant": True}, {"kind": "detainer", "administrative_warrant": "I-200"},
            {"kind": "detainer"}, {"kind": "information", "information": "release_date"}]


def cases() -> list[dict]:
    out = []
    for i, at in enumerate(DECIDED):
        for j, person in enumerate(PERSONS):
            for k, request in enumerate(REQUESTS):
                agency = ("nypd", "doc", "dop")[(i + j + k) % 3]
                out.append({"agency": agency, "decided_at": at, "instant_arrest_date": "2013-01-01",
                            "request": request, "person": person})
    return out


def test_json_lines_of_cases_with_every_form_of_decided_at_and_warnings(
        tmp_path: Path, assembled: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    data = cases()
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(json.dumps(c) + "\n" for c in data))
    got = _same(both(tmp_path, inp, monkeypatch, chunk_rows=40), assembled, len(data))
    assert {d["decided_at"][:19] for d in got} >= {"2016-01-05", "2019-03-04T09:30:00", "2021-06-24T22:49:13"}
    assert any(d["decided_at"].endswith(".250000") for d in got)
    assert any(w["field"] == "person.convictions[0].statute" for d in got for w in d["warnings"])
    assert any(w["field"] == "decided_at" for d in got for w in d["warnings"])
    holds = [d["actions"]["hold"] for d in got if d["agency"] == "nypd" and "hold" in d["actions"]]
    assert any(h["by_layer"]["us"]["until"] for h in holds)  # the federal hold cap
    # a hold permitted until a time (a judicial warrant), the time written in its conditions
    assert any(h["outcome"] == "permitted" and h["until"] and any(h["until"][:16] in c for c in h["conditions"])
               for h in holds)


def test_a_facts_frame_that_keeps_the_decided_at_text(tmp_path: Path, assembled: list[bool],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """A frame written from cases keeps each case's ``decided_at`` text (a day, a time, with seconds)."""
    from detainerlaw import facade

    parsed = [facade.parse_case(c) for c in cases()]
    frame = facts_frame(parsed)
    assert "decided_at" in frame.columns
    inp = tmp_path / "in.parquet"
    write_frame(frame, inp)
    assert "decided_at" in pl.read_parquet_schema(inp)
    got = _same(both(tmp_path, inp, monkeypatch), assembled, len(parsed))
    assert {len(d["decided_at"]) for d in got} >= {10, 19, 26}


def test_a_frame_without_the_text_and_its_cases_agree(tmp_path: Path, sample: pl.DataFrame, assembled: list[bool],
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    """The same cases as a facts frame with no ``decided_at`` text and as JSON Lines of cases."""
    inp = tmp_path / "in.jsonl"
    inp.write_text("".join(c.model_dump_json() + "\n" for c in frame_cases(sample.head(300))))
    _same(both(tmp_path, inp, monkeypatch, chunk_rows=128), assembled, 300)


@pytest.mark.parametrize("suffix", [".parquet", ".jsonl"])
def test_the_toy_place(tmp_path: Path, suffix: str, assembled: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    from tests.engine.test_toy_batch import CASES, PLACE

    inp = tmp_path / f"in{suffix}"
    if suffix == ".parquet":
        write_frame(facts_frame(CASES, place=PLACE), inp, place=PLACE)
    else:
        inp.write_text("".join(json.dumps(c.model_dump(mode="json")) + "\n" for c in CASES))
    got = _same(both(tmp_path, inp, monkeypatch, chunk_rows=30, place=PLACE), assembled, len(CASES))
    assert {d["jurisdiction"] for d in got} == {"toy"}


def test_an_empty_input(tmp_path: Path, sample: pl.DataFrame, monkeypatch: pytest.MonkeyPatch) -> None:
    inp = tmp_path / "in.parquet"
    sample.head(0).write_parquet(inp)
    assert both(tmp_path, inp, monkeypatch) == (b"", b"")


def test_a_chunk_the_templates_cannot_read_is_written_row_by_row(
        tmp_path: Path, sample: pl.DataFrame, assembled: list[bool], monkeypatch: pytest.MonkeyPatch) -> None:
    """Where a key's own row, decided the usual way, is not its assembled line, the chunk falls back."""
    inp = tmp_path / "in.parquet"
    sample.head(200).write_parquet(inp)
    real = decision_lines._minute_text
    monkeypatch.setattr(decision_lines, "_minute_text",
                        lambda m: None if (t := real(m)) is None else t.str.replace(r"^\d{4}", "1999"))
    fast, rows = both(tmp_path, inp, monkeypatch)
    assert assembled == [False]
    assert fast == rows and b'"decided_at":"1999' not in fast


def test_chunks_written_either_way_keep_their_order(tmp_path: Path, sample: pl.DataFrame,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """Assembled chunks and chunks written row by row, alternately, give the lines in input order."""
    inp = tmp_path / "in.parquet"
    sample.head(1000).write_parquet(inp)
    prepare, calls = decision_lines.prepare, []

    def every_other(*args, **kw):  # noqa: ANN002, ANN003, ANN202
        calls.append(len(calls) % 2 == 1)
        return prepare(*args, **kw) if calls[-1] else None

    monkeypatch.setattr(decision_lines, "prepare", every_other)
    fast, rows = both(tmp_path, inp, monkeypatch, chunk_rows=150)
    assert calls == [False, True] * 3 + [False]
    assert fast == rows and fast.count(b"\n") == 1000

"""A second place decides in batches with no code of its own beyond its law package: the toy
place's cases through ``decide --batch`` (both backends, JSON Lines and Parquet), each decision
the one ``decide`` gives (tests/engine/toy)."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import polars as pl
import pytest
from tests.engine.toy import ToyCase, install

from detainerlaw.batch import run_batch
from detainerlaw.decide import decide
from detainerlaw.frame import facts_frame, frame_cases, write_frame

PLACE = install()


def cases(n: int = 80, seed: int = 7) -> list[ToyCase]:
    rnd = random.Random(seed)
    out = []
    for _ in range(n):
        decided = dt.date(rnd.randint(2001, 2020), rnd.randint(1, 12), rnd.randint(1, 28))
        priors = [{"day": decided - dt.timedelta(days=rnd.randint(1, 4000)), "serious": rnd.random() < 0.6}
                  for _ in range(rnd.randint(0, 3))]
        out.append(ToyCase(agency=rnd.choice(["clerk", "sheriff"]), decided_at=decided,
                           kind=rnd.choice(["hold", "records"]), warrant=rnd.random() < 0.5,
                           court_order=rnd.random() < 0.3, status_question=rnd.random() < 0.5, priors=priors))
    return out


CASES = cases()


def expected(case: ToyCase) -> dict:
    d = decide(case, explain=False)
    return {a: (r.outcome.value, {k: v.outcome.value for k, v in r.by_layer.items()}, r.citations)
            for a, r in d.actions.items()}


def test_a_facts_frame_of_the_place_gives_back_its_cases() -> None:
    frame = facts_frame(CASES, place=PLACE)
    assert frame_cases(frame, place=PLACE) == CASES


@pytest.mark.parametrize("backend", ["interpreter", "columnar"])
def test_batch_from_json_lines_decides_as_decide(tmp_path: Path, backend: str) -> None:
    inp, out = tmp_path / "cases.jsonl", tmp_path / "out.jsonl"
    inp.write_text("".join(json.dumps({"case_id": f"c{i}", "case": c.model_dump(mode="json")}) + "\n"
                           for i, c in enumerate(CASES)))
    assert run_batch(inp, out, backend=backend, place=PLACE) == len(CASES)
    got = [json.loads(line) for line in out.read_text().splitlines()]
    for c, d in zip(CASES, got, strict=True):
        assert d["jurisdiction"] == "toy"
        assert {a: (r["outcome"], {k: v["outcome"] for k, v in r["by_layer"].items()}, r["citations"])
                for a, r in d["actions"].items()} == expected(c), c


@pytest.mark.parametrize("backend", ["interpreter", "columnar"])
def test_batch_from_a_facts_frame_decides_as_decide(tmp_path: Path, backend: str) -> None:
    inp, out = tmp_path / "cases.parquet", tmp_path / "out.parquet"
    write_frame(facts_frame(CASES, place=PLACE), inp, place=PLACE)
    run_batch(inp, out, backend=backend, place=PLACE)
    rows = pl.read_parquet(out).sort("case_id", maintain_order=True)
    by_case = {cid: {r["action"]: (r["outcome"], r["citations"]) for r in grp.iter_rows(named=True)}
               for (cid,), grp in rows.group_by("case_id", maintain_order=True)}
    for i, c in enumerate(CASES):
        want = {a: (o, cites) for a, (o, _, cites) in expected(c).items()}
        assert by_case[str(i + 1)] == want, c


def _jsonl(path: Path, cases: list) -> Path:
    path.write_text("".join(json.dumps(c.model_dump(mode="json")) + "\n" for c in cases))
    return path


def test_a_batch_of_json_lines_is_of_the_place_its_cases_name(tmp_path: Path) -> None:
    """``decide --batch`` names no place: the cases do (``"jurisdiction": "toy"``)."""
    out = tmp_path / "out.jsonl"
    run_batch(_jsonl(tmp_path / "in.jsonl", CASES[:5]), out, backend="columnar")
    assert [json.loads(line)["jurisdiction"] for line in out.read_text().splitlines()] == ["toy"] * 5


def test_a_batch_of_two_places_is_refused_at_the_line(tmp_path: Path) -> None:
    from detainerlaw import facade

    nyc = facade.parse_case(facade.examples()[0][1]["case"])
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps(CASES[0].model_dump(mode="json")) + "\n" + nyc.model_dump_json() + "\n")
    with pytest.raises(ValueError, match="line 2: jurisdiction: 'nyc' is not the batch's place 'toy'"):
        run_batch(inp, tmp_path / "out.jsonl")
    assert not (tmp_path / "out.jsonl").exists()


def test_a_scenario_of_another_place_is_refused() -> None:
    """The scenario library is the default place's: applying one to a toy case is an error, not a silent no-op."""
    from detainerlaw import facade
    from detainerlaw.errors import InputError
    from detainerlaw.scenarios import list_scenarios

    name = next(s["name"] for s in list_scenarios() if s["name"] != "baseline")
    with pytest.raises(InputError, match="scenario: .* is a scenario of New York City's law; this case is of Toy"):
        facade.decide(CASES[0], scenario_name=name)


def test_the_command_decides_a_facts_frame_of_the_place_named(tmp_path: Path) -> None:
    """``decide --batch frame.parquet --place toy``: a facts frame names no place, the option does."""
    from typer.testing import CliRunner

    from detainerlaw.interfaces.cli import app

    inp, out = tmp_path / "cases.parquet", tmp_path / "out.jsonl"
    write_frame(facts_frame(CASES[:10], place=PLACE), inp, place=PLACE)
    r = CliRunner().invoke(app, ["decide", "--batch", str(inp), "--out", str(out), "--backend", "columnar",
                                 "--place", "toy"])
    assert r.exit_code == 0, r.output
    assert [json.loads(line)["jurisdiction"] for line in out.read_text().splitlines()] == ["toy"] * 10
    r = CliRunner().invoke(app, ["decide", "--batch", str(inp), "--out", str(out), "--place", "atlantis"])
    assert r.exit_code == 2 and "--place: unknown place 'atlantis'" in r.output


def test_a_batch_line_naming_an_unknown_place_says_so(tmp_path: Path) -> None:
    inp = tmp_path / "in.jsonl"
    inp.write_text(json.dumps(CASES[0].model_dump(mode="json")) + "\n"
                   + json.dumps({**CASES[1].model_dump(mode="json"), "jurisdiction": "atlantis"}) + "\n")
    with pytest.raises(ValueError, match="line 2: jurisdiction: unknown place 'atlantis'"):
        run_batch(inp, tmp_path / "out.jsonl")

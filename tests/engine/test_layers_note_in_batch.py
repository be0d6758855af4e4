"""Where the layers disagree on an action, a columnar batch's Decision carries the ``LAYERS`` note, in
the words ``decide`` gives it (the columnar backend reports no register note: the interpreter's
other notes are left aside)."""

from __future__ import annotations

import json
from pathlib import Path

from detainerlaw import jurisdictions
from detainerlaw.batch import run_batch
from detainerlaw.decide import decide
from detainerlaw.laws.nyc.casegen import random_cases
from detainerlaw.results import LAYER_CONFLICT


def test_the_layers_note_of_a_columnar_batch_is_decides(tmp_path: Path) -> None:
    cases = random_cases(600, seed=17)
    inp = tmp_path / "cases.jsonl"
    inp.write_text("".join(c.model_dump_json() + "\n" for c in cases))
    out = tmp_path / "out.jsonl"
    run_batch(inp, out, backend="columnar", place=jurisdictions.get("nyc"))
    lines = [json.loads(line) for line in out.read_text().splitlines()]
    said = 0
    for case, got in zip(cases, lines, strict=True):
        want = [n for n in json.loads(decide(case, explain=False).model_dump_json())["notes"]
                if n["code"] == LAYER_CONFLICT]
        assert got["notes"] == want
        said += bool(want)
    assert said > 50  # the federal layer permits holds the city's prohibits

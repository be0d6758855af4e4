"""``population validate`` reads a dataset directory (``population synth --partitions``) as the one file
of the same rows: the same figures."""

from __future__ import annotations

import json
from pathlib import Path

from typer.testing import CliRunner

from detainerlaw.interfaces.cli import app

runner = CliRunner()


def test_a_dataset_validates_as_the_file_of_its_rows(tmp_path: Path) -> None:
    one, parts = tmp_path / "pop.parquet", tmp_path / "pop"
    for out, more in ((one, []), (parts, ["--partitions", "3"])):
        r = runner.invoke(app, ["population", "synth", "--n", "3000", "--seed", "4", "--out", str(out), *more])
        assert r.exit_code == 0, r.output
    got = []
    for population in (one, parts):
        r = runner.invoke(app, ["population", "validate", "--population", str(population), "--json"])
        assert r.exit_code == 0, r.output
        doc = json.loads(r.output)
        got.append((doc["rows"], [(f["id"], f["population"]) for f in doc["figures"]]))
    assert got[0] == got[1] and got[0][0] == 3000

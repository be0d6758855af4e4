"""simulate(): tallies, as-of dates, JSON, suppression; the CLI end to end."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import polars as pl
import pytest
from typer.testing import CliRunner

from detainerlaw.interfaces.cli import app
from detainerlaw.laws.nyc.population.synth import synthesize
from detainerlaw.simulation import COUNTED, interpret_frame, simulate, suppress, with_as_of


@pytest.fixture(scope="module")
def pop() -> pl.DataFrame:
    return synthesize(1500, 8)


def test_weights_are_conserved(pop: pl.DataFrame) -> None:
    r = simulate(pop, None, ["baseline", "int-395-2024"])
    det = pop.filter(pl.col("kind") == "detainer")
    for name in r.names:
        s = r.summary().filter(pl.col("scenario") == name)
        hold = s.filter(pl.col("action") == "hold").row(0, named=True)
        assert hold["engaged"] == pytest.approx(det["weight"].sum())
        assert hold["permitted"] + hold["prohibited"] + hold["not_governed"] == pytest.approx(hold["engaged"])
    t = r.table
    assert set(t["breakdown"]) == {"all", "agency", "rule"}
    for name in r.names:
        for br in ("all", "agency", "rule"):
            total = t.filter((pl.col("breakdown") == br) & (pl.col("action") == "hold"))[name].sum()
            assert total == pytest.approx(det["weight"].sum())


def test_as_of_moves_decision_only(pop: pl.DataFrame) -> None:
    day = dt.date(2015, 6, 1)
    moved = with_as_of(pop, day)
    assert (moved["decided_day"] == day.toordinal()).all()
    assert ((moved["decided_minute"] - pop["decided_minute"]) % 1440 == 0).all()
    assert moved["arrest_day"].equals(pop["arrest_day"])


def test_matches_interpreter(pop: pl.DataFrame) -> None:
    """Whatever backend simulate picks, its tallies equal the interpreter's."""
    from detainerlaw.decide import default_pack

    r = simulate(pop, None, ["baseline"])
    out = interpret_frame(pop, default_pack())
    for a in COUNTED:
        mine = out.filter(pl.col(a) == "permitted")["weight"].sum()
        theirs = r.long.filter((pl.col("action") == a) & (pl.col("outcome") == "permitted"))["weight"].sum()
        assert mine == pytest.approx(theirs), a


def test_suppression() -> None:
    df = pl.DataFrame({"x": [0.0, 3.0, 9.99, 10.0, 250.0]})
    assert suppress(df, ["x"])["x"].to_list() == [0.0, None, None, 10.0, 250.0]


def test_json(pop: pl.DataFrame) -> None:
    r = simulate(pop.head(300), dt.date(2020, 1, 1), ["baseline", "ice-request"])
    doc = json.loads(r.to_json())
    assert doc["suppression"]["applied"] and doc["suppression"]["threshold"] == 10
    assert [s["name"] for s in doc["scenarios"]] == ["baseline", "ice-request"]
    cells = [row[n] for row in doc["table"] for n in ("baseline", "ice-request")]
    assert all(c is None or c == 0 or c >= 10 for c in cells)


def test_cli_end_to_end(tmp_path: Path) -> None:
    runner = CliRunner()
    popf = tmp_path / "pop.parquet"
    r = runner.invoke(app, ["population", "synth", "--n", "800", "--seed", "3", "--out", str(popf)])
    assert r.exit_code == 0, r.output
    rep = tmp_path / "rep"
    r = runner.invoke(app, ["simulate", "--population", str(popf), "--as-of", "2025-03-01", "--scenario", "baseline",
                            "--scenario", "int-395-2024", "--scenario", "ice-request", "--report", str(rep)])
    assert r.exit_code == 0, r.output
    assert "int-395-2024" in r.output and "hold" in r.output
    for f in ("report.html", "report.json", "report.csv", "summary.csv"):
        assert (rep / f).stat().st_size > 0
    html = (rep / "report.html").read_text()
    assert "vegaEmbed" in html and "suppressed" in html and "What changes, and for whom" in html
    assert json.loads((rep / "report.json").read_text())["population"]["rows"] == 800
    r = runner.invoke(app, ["simulate", "--population", str(popf), "--scenario", "nope"])
    assert r.exit_code == 2 and "no scenario" in r.output
    r = runner.invoke(app, ["simulate", "--population", str(popf), "--as-of", "2025-13-01"])
    assert r.exit_code == 2
    r = runner.invoke(app, ["simulate", "--population", str(popf), "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["population"]["rows"] == 800


def test_a_repeal_report_says_what_state_law_still_prohibits(pop: pl.DataFrame) -> None:
    """Int 945 repeals the city's sections: the report's words say holds stay prohibited by the law in force
    (Wells v. DeMarco), not that they became unregulated."""
    import datetime as dt

    from detainerlaw.simulation.report import changes

    text = " ".join(changes(simulate(pop, dt.date(2025, 1, 15), ["baseline", "int-945-2024"])))
    assert "every law in force" in text
    assert "holds past release for ICE" in text and "still prohibited by the law in force" in text


def test_no_suppressed_cell_comes_back_by_subtraction(pop: pl.DataFrame) -> None:
    """Wherever a breakdown holds one suppressed cell, the total minus the cells beside it would give it
    back: a second cell of that breakdown is withheld too, and counts are whole numbers."""
    import datetime as dt

    r = simulate(pop.head(3000), dt.date(2025, 1, 15), ["baseline", "int-945-2024"])
    table = r.public_table()
    for name in r.names:
        for (breakdown, action, outcome), part in table.filter(pl.col("breakdown") != "all").group_by(
                ["breakdown", "action", "outcome"]):
            shown = part[name]
            assert shown.null_count() != 1 or part.height == 1, (breakdown, action, outcome, name)
            assert all(v == round(v) for v in shown.drop_nulls()), (breakdown, action, outcome)
    summary = r.public_summary()
    for row in summary.iter_rows(named=True):
        hidden = [c for c in ("permitted", "prohibited", "not_governed") if row[c] is None]
        assert len(hidden) != 1, row


def test_every_published_count_is_rounded_so_subtraction_recovers_no_small_cell() -> None:
    """Suppression alone is undone by subtraction (a rule's row against the agencies', the summary against
    the table, one scenario against another); every count that leaves is a multiple of ``ROUND_TO``."""
    import json

    from detainerlaw import facade
    from detainerlaw.simulation import simulate
    from detainerlaw.simulation.simulate import ROUND_TO

    pop = facade.place().population.sample().head(3_000)
    res = simulate(pop, None, ["baseline", "int-945-2024"])
    table, summary = res.public_table(), res.public_summary()
    counts = [v for name in res.names for v in table[name].to_list() if v is not None]
    counts += [v for c in ("engaged", "permitted", "prohibited", "not_governed") if c in summary.columns
               for v in summary[c].to_list() if v is not None]
    assert counts and all(v % ROUND_TO == 0 for v in counts)
    assert any(v % ROUND_TO for name in res.names for v in res.table[name].to_list())  # the raw ones are not
    doc = json.loads(res.to_json())
    assert doc["population"]["weight"] % ROUND_TO == 0


def test_the_change_sentences_publish_counts_as_the_tables_do() -> None:
    """The lab's and the report's sentences show each count withheld or rounded, never the raw sum."""
    import re

    from detainerlaw import facade
    from detainerlaw.simulation import simulate
    from detainerlaw.simulation.report import changes
    from detainerlaw.simulation.simulate import ROUND_TO

    res = simulate(facade.place().population.sample().head(4_000), None, ["baseline", "int-945-2024"])
    moved = re.findall(r"([\d,]+|fewer than 10) → ([\d,]+|fewer than 10)", " ".join(changes(res)))
    assert moved
    for pair in moved:
        for x in pair:
            assert x == "fewer than 10" or int(x.replace(",", "")) % ROUND_TO == 0, pair


def test_shares_charts_and_sentences_show_only_what_the_table_publishes() -> None:
    """A raw share gives exact counts back when cases carry equal weights, and a chart or sentence built
    from raw sums can show a cell the table withholds: each is built from the published counts."""
    import re

    from detainerlaw import facade
    from detainerlaw.simulation import simulate
    from detainerlaw.simulation.report import _by_agency, changes

    res = simulate(facade.place().population.sample().head(300), None, ["baseline", "int-945-2024"])
    summary = res.public_summary()
    for r in summary.iter_rows(named=True):
        if r["share_permitted"] is not None:
            assert r["share_permitted"] == round(r["permitted"] / r["engaged"], 3)
    table = res.public_table().filter(pl.col("breakdown") == "agency")
    published = {(r["key"], r["action"], r["outcome"], n): r[n] for r in table.iter_rows(named=True)
                 for n in res.names}
    for r in _by_agency(res).iter_rows(named=True):
        cells = [published.get((r["agency"], r["action"], o, r["scenario"])) for o in ("permitted", "required")]
        assert r["permitted"] == sum(c for c in cells if c is not None) and any(c is not None for c in cells)
    shown = {v for v in published.values() if v is not None}
    for x in re.findall(r"([\d,]+) → ([\d,]+)", " ".join(changes(res))):
        assert {float(v.replace(",", "")) for v in x} <= shown

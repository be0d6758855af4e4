"""``detainerlaw population``: synthesize a calibrated population, or import the
Deportation Data Project's detainer file, as a facts frame in Parquet; check a population
against published figures. Each is the place's (``Jurisdiction.population``)."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path
from typing import Any

import polars as pl
import pyarrow as pa
import typer
from rich.console import Console

err = Console(stderr=True)


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _population(need: str) -> Any:
    """The default place's population hooks, failing with one message if it lacks ``need``."""
    from detainerlaw import facade

    place = facade.place()
    pop = place.population
    if pop is None or getattr(pop, need) is None:
        _fail(f"{place.title}: its law package provides no population {need.replace('_', ' ')}")
    return pop


def _date(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        _fail(f"{option}: {value!r} is not a valid date (YYYY-MM-DD)")
        raise


def register(app: typer.Typer) -> None:
    pop = typer.Typer(no_args_is_help=True, help="Build populations for `detainerlaw simulate`.")

    @pop.command("synth")
    def synth_cmd(
        n: int = typer.Option(20_000, "--n", help="Number of cases (rows)."),
        seed: int = typer.Option(0, "--seed", help="Random seed (same n and seed give the same population)."),
        out: Path = typer.Option(..., "--out", help="Output .parquet file, or with --partitions a directory."),
        start: str = typer.Option(None, "--start", help="First decision date (default: calibrated period)."),
        end: str = typer.Option(None, "--end", help="Last decision date."),
        calibration: Path = typer.Option(None, "--calibration", help="Another calibration YAML file."),
        partitions: int = typer.Option(None, "--partitions", help="Write a partitioned dataset: --out is a directory "
                                                                  "that receives this many files part-00000.parquet, "
                                                                  "... (the same rows, in order), for `simulate` and "
                                                                  "`decide --batch` with --engine dask."),
    ) -> None:
        """Synthesize a population calibrated from the place's calibration file."""
        synthesize_to_parquet = _population("synthesize").synthesize

        if n <= 0:
            _fail("--n: must be positive")
        if partitions is None and out.suffix != ".parquet":
            _fail(f"--out: {out} must end in .parquet (or give --partitions K to write a directory of K files)")
        if partitions is not None:
            if out.suffix == ".parquet":
                _fail(f"--out: {out}: with --partitions, --out is a directory (a name without .parquet)")
            if not 1 <= partitions <= n:
                _fail(f"--partitions: {partitions} must be between 1 and --n ({n})")
            if out.exists() and not out.is_dir():
                _fail(f"--out: {out} is a file; with --partitions, --out is a directory")
            if out.is_dir() and any(p.suffix == ".parquet" for p in out.iterdir()):
                _fail(f"--out: {out} already holds .parquet files; choose an empty or new directory")
        if calibration is not None and not calibration.exists():
            _fail(f"--calibration: {calibration}: no such file")
        out.parent.mkdir(parents=True, exist_ok=True)
        extra = {"partitions": partitions} if partitions is not None else {}
        try:
            rows, weight = synthesize_to_parquet(out, n, seed, start=_date(start, "--start"),
                                                 end=_date(end, "--end"), calibration=calibration, **extra)
        except (ValueError, KeyError) as e:
            _fail(str(e))
        where = f"{out}/ ({partitions} partitions)" if partitions is not None else str(out)
        err.print(f"synthesized {rows:,} cases (weight {weight:,.0f}) → {where}")

    @pop.command("import-ddp")
    def import_ddp_cmd(
        file: Path = typer.Argument(..., help="Detainer file: .xlsx, .csv, .tsv, .txt, .parquet or .feather."),
        out: Path = typer.Option(..., "--out", help="Output .parquet file."),
        episodes: bool = typer.Option(True, "--episodes/--no-episodes",
                                      help="Import only the first row of each person's episode (DDP: a gap of "
                                           "more than 24 hours starts a new one)."),
        report: Path = typer.Option(None, "--report", help="Write the rows not imported (in New York State) "
                                                           "with their reasons to this .csv."),
        as_json: bool = typer.Option(False, "--json", help="Print the import report as JSON."),
    ) -> None:
        """Import ICE detainer records (raw ICE release, DDP cleaned or historical, NPR), layout detected."""
        import json

        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from detainerlaw.frame import write_frame

        import_ddp = _population("import_published").import_published

        if not file.exists():
            _fail(f"{file}: no such file")
        if out.suffix != ".parquet":
            _fail(f"--out: {out} must end in .parquet")
        if report is not None and report.suffix != ".csv":
            _fail(f"--report: {report} must end in .csv")
        bar = Progress(TextColumn("importing"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                       console=err, transient=True, disable=as_json or not err.is_terminal)
        task = bar.add_task("rows", total=None)
        try:
            with bar:
                frame, rep = import_ddp(file, episodes=episodes,
                                        progress=lambda done, total: bar.update(task, completed=done, total=total))
        except (pl.exceptions.PolarsError, pa.ArrowException, UnicodeDecodeError, OSError, ValueError,
                KeyError, zipfile.BadZipFile) as e:
            # the readers' own errors for a file that is not what its suffix says
            first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
            _fail(f"{file}: not a readable detainer file ({first})")
        out.parent.mkdir(parents=True, exist_ok=True)
        write_frame(frame, out)
        if report is not None:
            report.parent.mkdir(parents=True, exist_ok=True)
            rep.rejected.write_csv(report)
        if as_json:
            typer.echo(json.dumps(rep.to_dict(), indent=2))
            return
        err.print(f"{rep.to_dict()['layout_title']}: "
                  f"read {rep.rows_read:,} rows, imported {frame.height:,} cases → {out}")
        for reason, n in rep.not_imported.most_common():
            err.print(f"  {n:>9,}  not imported: {reason}", highlight=False)
        if not episodes and rep.episode_duplicates:
            err.print(f"  {rep.episode_duplicates:>9,}  imported although a later row of the same person's episode")

    @pop.command("validate")
    def validate_cmd(
        population: Path = typer.Option(None, "--population", help="A facts frame (.parquet) or a dataset "
                                                                  "directory of them; default: the bundled sample."),
        as_json: bool = typer.Option(False, "--json", help="Print JSON."),
    ) -> None:
        """Every published figure beside the population's, under the same conditions, with the gap
        and a 95 % sampling interval; which figures the calibration was fitted to and which are checks."""
        import json
        from dataclasses import asdict

        from rich.table import Table

        pop = _population("validate")
        if population is None:
            frame = pop.sample()
        else:
            if not population.exists():
                _fail(f"--population: {population}: no such file")
            try:
                frame = pop.read(population)
            except (pl.exceptions.PolarsError, pa.ArrowException, OSError, ValueError) as e:
                first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
                _fail(f"--population: {population}: not a readable facts frame ({first})")
            missing = [c for c in ("agency", "decided_day", "kind", "convictions") if c not in frame.columns]
            if missing:
                _fail(f"--population: {population}: missing column(s) {', '.join(missing)}")
        rows = pop.validate(frame)
        if as_json:
            typer.echo(json.dumps({"population": str(population or "bundled sample"), "rows": frame.height,
                                   "interval": "95 % Wilson, on the effective number of weighted rows",
                                   "figures": [asdict(r) for r in rows]}, indent=2, default=str))
            return

        def fmt(x: float | None, share: bool) -> str:
            if x is None:
                return "-"
            return f"{x:.1%}" if share else f"{x:,.0f}"

        t = Table(title="Published figures and the population's (each case on its own date)")
        for c in ("figure", "role", "period", "published", "population", "95 % interval", "gap", "note"):
            t.add_column(c, overflow="fold")
        for r in rows:
            share = r.published is not None and r.published <= 1 and "received" not in r.id
            interval = "-" if r.low is None else f"{fmt(r.low, share)} - {fmt(r.high, share)}"
            gap = "-" if r.gap is None else (f"{r.gap * 100:+.1f} pt" if share else f"{r.gap:+,.0f}")
            note = r.note or (f"fitted: {', '.join(r.fitted_by)}" if r.fitted_by else "")
            t.add_row(r.id, r.role, r.period.split(" (")[0], fmt(r.published, share), fmt(r.population, share),
                      interval, gap, note)
        Console(width=max(err.width, 160)).print(t)

    app.add_typer(pop, name="population")

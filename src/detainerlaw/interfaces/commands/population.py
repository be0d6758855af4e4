"""``detainerlaw population``: synthesize a calibrated population, or import the
Deportation Data Project's detainer file, as a facts frame in Parquet."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import pyarrow as pa
import typer
from rich.console import Console

err = Console(stderr=True)


def _fail(message: str) -> None:
    err.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


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
        out: Path = typer.Option(..., "--out", help="Output .parquet file."),
        start: str = typer.Option(None, "--start", help="First decision date (default: calibrated period)."),
        end: str = typer.Option(None, "--end", help="Last decision date."),
        calibration: Path = typer.Option(None, "--calibration", help="Another calibration YAML file."),
    ) -> None:
        """Synthesize a population calibrated from population/calibration.yaml."""
        from detainerlaw.population.synth import synthesize_to_parquet

        if n <= 0:
            _fail("--n: must be positive")
        if out.suffix != ".parquet":
            _fail(f"--out: {out} must end in .parquet")
        if calibration is not None and not calibration.exists():
            _fail(f"--calibration: {calibration}: no such file")
        out.parent.mkdir(parents=True, exist_ok=True)
        try:
            rows, weight = synthesize_to_parquet(out, n, seed, start=_date(start, "--start"),
                                                 end=_date(end, "--end"), calibration=calibration)
        except (ValueError, KeyError) as e:
            _fail(str(e))
        err.print(f"synthesized {rows:,} cases (weight {weight:,.0f}) → {out}")

    @pop.command("import-ddp")
    def import_ddp_cmd(
        file: Path = typer.Argument(..., help="DDP detainer file: .csv, .tsv, .parquet or .feather."),
        out: Path = typer.Option(..., "--out", help="Output .parquet file."),
        all_states: bool = typer.Option(False, "--all-states", help="Keep facilities outside New York City."),
    ) -> None:
        """Import the Deportation Data Project detainer file (data.md § 3.2 layout)."""
        from detainerlaw.frame import write_frame
        from detainerlaw.population.ddp import DDPError, import_ddp

        if not file.exists():
            _fail(f"{file}: no such file")
        if out.suffix != ".parquet":
            _fail(f"--out: {out} must end in .parquet")
        try:
            frame, report = import_ddp(file, nyc_only=not all_states)
        except DDPError as e:
            _fail(str(e))
        except (pl.exceptions.PolarsError, pa.ArrowException, UnicodeDecodeError, OSError, ValueError) as e:
            # the readers' own errors for a file that is not what its suffix says
            first = (str(e).strip().splitlines() or [type(e).__name__])[0][:200]
            _fail(f"{file}: not a readable DDP detainer file ({first})")
        out.parent.mkdir(parents=True, exist_ok=True)
        write_frame(frame, out)
        err.print(f"imported {frame.height:,} cases → {out}; {report.height:,} rows not mapped")
        if report.height:
            for row in report.group_by("reason").len().sort("len", descending=True).iter_rows():
                err.print(f"  {row[1]:>7,}  {row[0]}")

    app.add_typer(pop, name="population")

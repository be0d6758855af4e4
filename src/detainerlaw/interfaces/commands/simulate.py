"""``detainerlaw simulate``: decide a population under several scenarios and compare."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import polars as pl
import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from detainerlaw.interfaces.commands.engines import Engine, Scheduler, Workers, engine_problem

console = Console()
err = Console(stderr=True)


def _fail(message: str) -> None:
    from rich.markup import escape

    err.print(f"[bold red]error:[/] {escape(message)}", highlight=False)  # brackets in it are text
    raise typer.Exit(2)


def _fmt(v: float | None) -> str:
    return "<10" if v is None else f"{v:,.0f}"


def comparison_table(result, title: str) -> Table:
    """Weighted counts per scenario: every agency, then each agency (small cells shown as <10)."""
    from detainerlaw.simulation import COUNTED

    pub = result.public_table()
    t = Table(title=title)
    t.add_column("agency")
    t.add_column("action")
    t.add_column("outcome")
    for name in result.names:
        t.add_column(name, justify="right")
    rows = pub.filter(pl.col("breakdown").is_in(["all", "agency"]))
    for key in ["all", *sorted(k for k in rows["key"].unique().to_list() if k != "all")]:
        for action in COUNTED:
            sub = rows.filter((pl.col("key") == key) & (pl.col("action") == action))
            for r in sub.iter_rows(named=True):
                t.add_row(key, action, r["outcome"], *(_fmt(r[n]) for n in result.names))
        t.add_section()
    return t


def _simulate_dataset(population: str, day: dt.date | None, scenarios: list, engine: str, scheduler: str | None,
                      workers: int | None, layer: str | None, quiet: bool):
    """A dataset directory, a URL, or any population with --engine dask: each partition simulated on its
    own (here, or on a Dask worker) and the tallies combined (``simulation.distributed``)."""
    from detainerlaw.simulation.distributed import check_parts, connect, parts, simulate_dataset, timeout_from_env

    if "://" not in population and not Path(population).exists():
        _fail(f"--population: {population}: no such file or directory")
    try:  # bad input refused before a cluster is started or reached
        check_parts(parts(population, "--population"), "--population")
    except ValueError as e:
        _fail(str(e))
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=err, transient=True, disable=quiet,
    ) as bar:
        task = bar.add_task("simulating", total=None)

        def progress(done: int, total: int, name: str) -> None:
            bar.update(task, completed=done, total=total, description=f"simulating ({name})")

        try:
            if engine == "local":
                return simulate_dataset(population, day, scenarios, layer=layer, where="--population",
                                        progress=progress)
            with connect(scheduler, workers, timeout=timeout_from_env()) as client:
                return simulate_dataset(population, day, scenarios, engine="dask", client=client, layer=layer,
                                        where="--population", progress=progress)
        except (ValueError, KeyError) as e:
            _fail(str(e))


def register(app: typer.Typer) -> None:
    @app.command("simulate")
    def simulate_cmd(
        population_arg: str = typer.Option(None, "--population", help="Facts frame (.parquet), or a directory of "
                                                                       "them (a dataset), or an fsspec URL of one "
                                                                       "(s3://...); default: the bundled sample.",
                                           show_default=False),
        as_of: str = typer.Option(None, "--as-of", help="Decide every case on this date (default: its own date)."),
        scenario: list[str] = typer.Option(None, "--scenario", help="Scenario name or YAML file; repeatable."),
        report: Path = typer.Option(None, "--report", help="Write report.html, report.json and CSV here."),
        as_json: bool = typer.Option(False, "--json", help="Print the result as JSON (small cells suppressed)."),
        list_only: bool = typer.Option(False, "--list", help="List the scenario library and exit."),
        layer: str = typer.Option(None, "--layer", help="Count one layer's own answers (us, ny, nyc) instead of the "
                                                        "combined answer under every law."),
        backend: str = typer.Option(None, "--backend", help="interpreter or columnar (default: columnar if it works).",
                                   show_default=False),
        engine: Engine = "local",
        scheduler: Scheduler = None,
        workers: Workers = None,
    ) -> None:
        """Decide a population under scenarios (reforms, enacted versions) and compare the outcomes."""
        url = population_arg is not None and "://" in population_arg  # kept as given: a Path would fold the //
        population = Path(population_arg) if population_arg is not None and not url else None
        from detainerlaw.scenarios import ScenarioError, list_scenarios, load_scenario
        from detainerlaw.simulation import simulate

        if list_only:
            t = Table(title="Scenarios")
            for c in ("name", "title", "source"):
                t.add_column(c)
            for s in list_scenarios():
                t.add_row(s["name"], s["title"], s["source"])
            console.print(t)
            return
        if backend not in (None, "interpreter", "columnar"):
            _fail(f"--backend: {backend!r} is not interpreter or columnar")
        problem = engine_problem(engine, scheduler, workers)
        if problem:
            _fail(problem)
        if engine == "dask" and backend == "interpreter":
            _fail("--backend: --engine dask decides with the columnar backend (leave out --backend interpreter)")
        if engine == "dask" and population_arg is None:
            _fail("--population: --engine dask reads a population file or dataset directory that every worker can "
                  "read (the bundled sample is not one)")
        day = None
        if as_of:
            try:
                day = dt.date.fromisoformat(as_of)
            except ValueError:
                _fail(f"--as-of: {as_of!r} is not a valid date (YYYY-MM-DD)")
        try:
            scenarios = [load_scenario(s) for s in (scenario or ["baseline"])]
        except ScenarioError as e:
            _fail(f"--scenario: {e}")
        from detainerlaw.frame import FrameFile, open_frame

        frame: pl.DataFrame | FrameFile
        where = f"--population: {population}" if population is not None else ""
        dataset = url or (population is not None and (engine == "dask" or population.is_dir()))
        if dataset:  # a directory of partitions, a URL, or any population for Dask
            result = _simulate_dataset(population_arg, day, scenarios, engine, scheduler, workers, layer, as_json)
            source = population_arg
        elif population is None:
            from detainerlaw import facade

            pop = facade.place().population
            if pop is None:
                _fail(f"{facade.place().title}: its law package has no bundled population; give --population")
            frame = pop.sample()
            cases, source = frame.height, "bundled sample"
        else:
            if not population.exists():
                _fail(f"--population: {population}: no such file")
            try:  # read chunk by chunk by simulate; a file that is not a facts frame is refused here
                frame = open_frame(population, "--population")
            except ValueError as e:
                _fail(str(e))
            cases, source = frame.rows, str(population)
        if not dataset:
            with Progress(
                TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                console=err, transient=True, disable=as_json,
            ) as bar:
                task = bar.add_task("simulating", total=cases * len(scenarios))

                def progress(done: int, total: int, name: str) -> None:
                    bar.update(task, completed=done, description=f"simulating {name}")

                try:
                    result = simulate(frame, day, scenarios, progress, backend=backend, layer=layer, where=where)
                except (ValueError, KeyError) as e:
                    _fail(str(e))
        result.meta["population"] = source
        if as_json:
            print(result.to_json())
        else:
            when = f"as of {day}" if day else "each case on its own date"
            console.print(comparison_table(result, f"Weighted outcomes ({source}, {when})"))
            how = result.backend
            if "partitions" in result.meta:
                how += f", {result.meta['partitions']} partitions, engine {result.meta.get('engine', engine)}"
            err.print(f"{result.population_rows:,} cases × {len(scenarios)} scenarios in {result.seconds:.1f} s "
                      f"({how}); cells under 10 weighted cases shown as <10")
        if report is not None:
            from detainerlaw.simulation.report import write_report

            paths = write_report(result, report)
            err.print("report: " + ", ".join(str(p) for p in paths))

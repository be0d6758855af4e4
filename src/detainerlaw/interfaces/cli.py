"""The ``detainerlaw`` command line (Typer + Rich).

Commands defined here: ``decide``, ``law``, ``schema``, ``demo``. Other features add
their commands from modules in ``detainerlaw.interfaces.commands`` (each has ``register(app)``),
so they plug in without editing this file.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
import pkgutil
import sys
from enum import Enum
from pathlib import Path
from typing import Any

import typer
from pydantic import ValidationError
from rich.console import Console
from rich.table import Table

from detainerlaw import facade
from detainerlaw.errors import InputError, describe_validation
from detainerlaw.interfaces.commands.engines import Engine, Scheduler, Workers, engine_problem
from detainerlaw.models.decision import Decision
from detainerlaw.render import decision_renderable

app = typer.Typer(
    add_completion=False, no_args_is_help=True, help="Immigration-detainer law: decide, explain, simulate, prove."
)
console = Console()
err_console = Console(stderr=True)


def fail(message: str, code: int = 2) -> None:
    """Exit with one clear message, never a traceback."""
    err_console.print(f"[bold red]error:[/] {message}", highlight=False)
    raise typer.Exit(code)


def load_case(data: object, where: str = "") -> Any:
    try:
        return facade.parse_case(data)
    except InputError as e:
        fail(f"{where}{e}")
        raise
    except ValidationError as e:
        fail("; ".join(describe_validation(e, where)))
        raise  # unreachable


MAX_JSON_DEPTH = 64  # a Case nests five levels deep; anything far deeper is not a Case


def _too_deep(text: str, limit: int = MAX_JSON_DEPTH) -> bool:
    """Whether brackets nest deeper than ``limit`` (outside strings): checked before
    parsing, so that 100000 nested arrays are one message, not a recursion error."""
    depth, in_str, esc = 0, False, False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return True
        elif ch in "]}":
            depth -= 1
    return False


def parse_json(raw: bytes, where: str) -> object:
    """JSON from the bytes of a file or standard input: exactly one clear message for bytes
    that are not UTF-8, text that is not JSON, or nesting no Case has."""
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        fail(f"{where}: not UTF-8 text (byte {e.start + 1}: {e.reason})")
        raise
    if not text.strip():
        fail(f"{where}: empty: a Case is a JSON object")
    if _too_deep(text):
        fail(f"{where}: JSON nested more than {MAX_JSON_DEPTH} levels deep: not a Case")
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        fail(f"{where}: not valid JSON (line {e.lineno}, column {e.colno}: {e.msg})")
    except RecursionError:
        fail(f"{where}: JSON nested too deeply: not a Case")
    raise AssertionError  # unreachable: fail() exits


def read_json(path: Path) -> object:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        fail(f"{path}: no such file")
        raise
    except IsADirectoryError:
        fail(f"{path}: is a directory, not a case file")
        raise
    except OSError as e:
        fail(f"{path}: cannot read ({e.strerror})")
        raise
    return parse_json(raw, str(path))


def decide_or_fail(case: Any, *, explain: bool = True, where: str = "", scenario: str | None = None) -> Decision:
    try:
        return facade.decide(case, explain=explain, scenario_name=scenario)
    except InputError as e:
        fail(f"{where}{e}")
        raise


class Backend(str, Enum):
    interpreter = "interpreter"
    columnar = "columnar"


def _named_place(pid: str) -> Any:
    """The place ``--place`` names; one message if it is not registered."""
    try:
        return facade.place(pid)
    except InputError as e:
        fail(f"--place: {e.problem}")


@app.command("decide")
def decide_cmd(
    case_file: Path = typer.Argument(None, help="A Case as JSON (spec § Case); '-' reads standard input."),
    as_json: bool = typer.Option(False, "--json", help="Print the Decision as JSON."),
    batch: Path = typer.Option(None, "--batch", help="Decide many cases: a .jsonl or .parquet file."),
    out: Path = typer.Option(None, "--out", help="Where --batch writes Decisions (.jsonl: one Decision a line, in "
                                                  "input order; .parquet: one row per case and action, with case_id)."),
    backend: Backend = typer.Option(None, "--backend", help="Evaluator for --batch (default: interpreter; columnar "
                                                           "with --engine dask).", show_default=False),
    scenario: str = typer.Option(None, "--scenario", help="Decide under a named scenario (see `simulate --list`)."),
    engine: Engine = "local",
    scheduler: Scheduler = None,
    workers: Workers = None,
    place: str = typer.Option(None, "--place", help="For --batch: the place the cases are of (default: the place "
                                                    "JSON Lines cases name; a facts frame names none: nyc)."),
) -> None:
    """Decide one case and explain it, or a batch of cases (a file, or a directory of Parquet partitions)."""
    if batch is not None:
        if case_file is not None:
            fail(f"CASE_FILE: give a case file or --batch IN --out OUT, not both (got {case_file} and --batch {batch})")
        if out is None:
            fail("--out: required with --batch")
        problem = engine_problem(engine, scheduler, workers)
        if problem:
            fail(problem)
        chosen = (backend.value if backend is not None else "columnar" if engine == "dask" else "interpreter")
        from rich.markup import escape
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        from detainerlaw.batch import run_batch

        with Progress(TextColumn("[bold]deciding"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                      console=err_console, transient=True) as bar:
            task = bar.add_task("deciding", total=None)

            def progress(done: int, total: int | None) -> None:
                bar.update(task, completed=done, total=total)

            try:
                reform = facade.scenario(scenario)
                as_of = facade.scenario_as_of(scenario)
                if as_of is not None:  # decide moves one case to that date; a batch decides each on its own
                    fail(f"--scenario: {scenario} decides every case as of {as_of}, and --batch decides each case on "
                         "its own date: use a scenario without a date, or simulate --as-of")
                where = None if place is None else _named_place(place)
                named = scenario if reform is not facade.scenario(None) else None  # what each Decision names
                if engine == "local" and not batch.is_dir():
                    n = run_batch(batch, out, backend=chosen, reform=reform, progress=progress, place=where,
                                  scenario=named)
                else:  # a dataset directory, or Dask: one task per partition (simulation.distributed)
                    from detainerlaw.simulation.distributed import (
                        connect,
                        decide_dataset,
                        decide_jobs,
                        timeout_from_env,
                    )

                    if engine == "local":
                        n = decide_dataset(batch, out, backend=chosen, reform=reform, progress=progress,
                                           scenario=named)
                    else:
                        decide_jobs(batch, out)  # bad input refused before a cluster is started or reached
                        with connect(scheduler, workers, timeout=timeout_from_env()) as client:
                            n = decide_dataset(batch, out, backend=chosen, reform=reform, engine="dask",
                                               client=client, progress=progress, scenario=named)
            except (ValueError, OSError) as e:  # BatchError and every reader's error are ValueErrors
                fail(escape(str(e)))  # a message may hold brackets (detainerlaw[dask]): text, not markup
        err_console.print(f"decided {n} cases → {out}")
        return
    if out is not None:
        fail("--out: only with --batch (a single case is printed)")
    if place is not None:
        fail("--place: only with --batch (a case names its place: jurisdiction)")
    if engine != "local" or scheduler is not None or workers is not None:
        fail("--engine: only with --batch (a single case is decided here)")
    if case_file is None:
        fail("CASE_FILE: give a case file, or --batch IN --out OUT")
    data = parse_json(sys.stdin.buffer.read(), "standard input") if str(case_file) == "-" else read_json(case_file)
    if isinstance(data, dict) and "case" in data and "agency" not in data:
        data = data["case"]  # an example file: {"case": ..., "expect": ...}
    d = decide_or_fail(load_case(data), scenario=scenario)
    if as_json:
        print(d.model_dump_json(indent=2, exclude_none=False))
    else:
        console.print(decision_renderable(d))


@app.command("law")
def law_cmd(
    as_of: str = typer.Option(None, "--as-of", help="Date (YYYY-MM-DD); default today."),
    agency: str = typer.Option(None, "--agency", help="doc, nypd or dop; default all."),
    as_json: bool = typer.Option(False, "--json"),
) -> None:
    """List the rules in force on a date, with citations and sources."""
    known = tuple(facade.labels().agencies)
    try:
        day = dt.date.fromisoformat(as_of) if as_of else dt.date.today()
    except ValueError:
        fail(f"--as-of: {as_of!r} is not a valid date (YYYY-MM-DD)")
    if agency is not None and agency not in known:
        fail(f"--agency: {agency!r} is not one of {', '.join(known)}")
    try:
        rows = facade.law_in_force(day, None if agency is None else (agency,))
    except InputError as e:
        fail(f"--as-of: {e.problem}")
        return
    if as_json:
        print(json.dumps(rows, indent=2, default=str))
        return
    t = Table(title=f"Law in force on {day}")
    for col in ("layer", "agency", "actions", "rule", "citation", "source", "in force"):
        t.add_column(col)
    for r in rows:
        t.add_row(r["layer"], r["agency"], ", ".join(r["actions"]), r["title"], r["citation"], r["source"],
                  f"{r['start']} – {r['end'] or ''}")
    console.print(t)


class SchemaName(str, Enum):
    case = "case"
    decision = "decision"


@app.command("schema")
def schema_cmd(name: SchemaName) -> None:
    """Print the JSON Schema of a Case or a Decision (generated from the models)."""
    model = facade.place().case_model if name == SchemaName.case else Decision
    print(json.dumps(model.model_json_schema(), indent=2))


@app.command("demo")
def demo_cmd(serve: bool = typer.Option(True, "--serve/--no-serve", help="Start the web app afterwards.")) -> None:
    """Decide the bundled example cases and print their explanations (then serve the app)."""
    for name, ex in facade.examples():
        d = decide_or_fail(load_case(ex["case"]))
        console.print(decision_renderable(d, title=name))
        console.print()
    if serve and "serve" in {c.name for c in app.registered_commands}:
        from detainerlaw.interfaces.commands.serve import serve_cmd  # type: ignore[import-not-found]

        serve_cmd()


def _register_plugins() -> None:
    import detainerlaw.interfaces.commands as pkg

    for m in pkgutil.iter_modules(pkg.__path__):
        mod = importlib.import_module(f"detainerlaw.interfaces.commands.{m.name}")
        if hasattr(mod, "register"):
            mod.register(app)


_register_plugins()


def main() -> None:
    app()


if __name__ == "__main__":
    main()

"""The options that choose where a population is decided (this process or a Dask cluster), shared by
``decide --batch`` and ``simulate``, and their one check."""

from __future__ import annotations

from typing import Annotated

import typer

ENGINES = ("local", "dask")

Engine = Annotated[str, typer.Option("--engine", help="local (this process) or dask (each partition of a dataset "
                                                      "on a Dask worker; needs the dask extra).")]
Scheduler = Annotated[str | None, typer.Option("--scheduler", help="With --engine dask: the scheduler's address "
                                                                   "(tcp://host:8786); default: a cluster here.")]
Workers = Annotated[int | None, typer.Option("--workers", help="With --engine dask and no --scheduler: the workers "
                                                               "to start on this machine (default: one a core).")]


def engine_problem(engine: str, scheduler: str | None, workers: int | None) -> str | None:
    """What is wrong with the engine options, as the message to fail with (None: nothing)."""
    if engine not in ENGINES:
        return f"--engine: {engine!r} is not local or dask"
    if engine != "dask" and (scheduler is not None or workers is not None):
        return f"{'--scheduler' if scheduler is not None else '--workers'}: only with --engine dask"
    return None

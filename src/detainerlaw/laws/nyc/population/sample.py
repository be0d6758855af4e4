"""The bundled sample population: 20,000 synthetic cases (``synthesize(20_000, seed=2024)``)
shipped as Parquet, so that ``detainerlaw simulate`` runs with no input. Facts the calibration
does not model (courthouse attendance, DMV records, hand-over delays) are columns at their
defaults; regenerating after the schema grows adds them and changes no other column."""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

import polars as pl

SAMPLE_N = 20_000
SAMPLE_SEED = 2024


def sample_path() -> Path:
    return Path(str(files("detainerlaw").joinpath("data/sample_population.parquet")))


def sample_population() -> pl.DataFrame:
    """The bundled sample (a facts frame with ``case_id`` and ``weight``)."""
    from detainerlaw.laws.nyc.population.synth import complete, typed

    return typed(complete(pl.read_parquet(sample_path())))


def write_sample(path: Path | None = None) -> Path:
    """Regenerate the bundled sample from the calibration (deterministic)."""
    from detainerlaw.frame import write_frame
    from detainerlaw.laws.nyc.population.synth import synthesize

    path = path or sample_path()
    # zstd at its highest level: the file ships inside the package
    write_frame(synthesize(SAMPLE_N, SAMPLE_SEED), path, compression="zstd", compression_level=19)
    return path

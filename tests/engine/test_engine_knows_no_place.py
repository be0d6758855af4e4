"""The engine knows no place: every module under ``detainerlaw.engine`` imports with the law
packages (``detainerlaw.laws``) and the interfaces (``detainerlaw.interfaces``) out of reach.

All modules are imported in one fresh interpreter whose first import finder refuses those
packages and records every attempt, so an import caught by a ``try`` still counts."""

from __future__ import annotations

import json
import pkgutil
import subprocess
import sys

import pytest

import detainerlaw.engine

BLOCKED = ("detainerlaw.laws", "detainerlaw.interfaces")

MODULES = sorted(m.name for m in pkgutil.walk_packages(detainerlaw.engine.__path__, "detainerlaw.engine."))

PROBE = """
import importlib, importlib.abc, json, sys, traceback

BLOCKED = tuple(sys.argv[1].split(","))
attempts = []


class Refuse(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if any(name == b or name.startswith(b + ".") for b in BLOCKED):
            attempts.append(name)
            raise ImportError(f"{name} is out of the engine's reach")
        return None


sys.meta_path.insert(0, Refuse())
out = {}
for name in sys.argv[2:]:
    del attempts[:]
    try:
        importlib.import_module(name)
        error = None
    except Exception:
        error = traceback.format_exc(limit=-3)
    out[name] = {"blocked": sorted(set(attempts)), "error": error}
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def imports() -> dict[str, dict]:
    """Per module: the blocked packages its import asked for, and the error if it failed."""
    run = subprocess.run([sys.executable, "-c", PROBE, ",".join(BLOCKED), *MODULES],
                         capture_output=True, text=True, timeout=300, check=True)
    return json.loads(run.stdout.strip().splitlines()[-1])


def test_modules_found() -> None:
    assert "detainerlaw.engine.columnar" in MODULES
    assert {"detainerlaw.engine.columnar.plans", "detainerlaw.engine.columnar.parquet"} <= set(MODULES)


@pytest.mark.parametrize("module", MODULES)
def test_imports_without_a_place(imports: dict[str, dict], module: str) -> None:
    got = imports[module]
    assert got["blocked"] == [], f"{module} imports {', '.join(got['blocked'])}"
    assert got["error"] is None, got["error"]

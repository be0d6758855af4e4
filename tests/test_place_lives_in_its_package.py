"""A place lives in its law package: no module outside ``detainerlaw/laws/`` imports one (the
engine, decide, batch, frames, claims, simulation, the decision log and the interfaces take a
place from the registry, ``detainerlaw.jurisdictions``). Imports inside functions count: they
are read from the source, not from what a test run happens to load."""

from __future__ import annotations

import ast
from pathlib import Path

import detainerlaw

ROOT = Path(detainerlaw.__file__).parent
LAWS = "detainerlaw.laws"


def _imports(path: Path) -> list[tuple[int, str]]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            out += [(node.lineno, a.name) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append((node.lineno, node.module))
            out += [(node.lineno, f"{node.module}.{a.name}") for a in node.names]
    return out


def _outside_laws() -> list[Path]:
    return [p for p in sorted(ROOT.rglob("*.py")) if "laws" not in p.relative_to(ROOT).parts]


def test_the_walk_sees_the_modules() -> None:
    names = {p.relative_to(ROOT).as_posix() for p in _outside_laws()}
    assert {"batch.py", "frame.py", "decide.py", "claims/problem.py", "interfaces/commands/simulate.py"} <= names


def test_no_module_outside_the_law_packages_imports_one() -> None:
    found = [f"{p.relative_to(ROOT)}:{line}: {name}" for p in _outside_laws() for line, name in _imports(p)
             if name == LAWS or name.startswith(LAWS + ".")]
    assert found == []


def test_the_check_would_see_an_import_inside_a_function(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from detainerlaw.laws.nyc.case import Case\n    return Case\n")
    assert (2, "detainerlaw.laws.nyc.case") in _imports(probe)

"""Plans on disk between processes (``plan_cache``): a process that finds them compiles nothing and
answers as one that compiled them; a file that is torn, not private, or of another version of the
law or the engine is never used."""

from __future__ import annotations

import importlib
import logging
import os
from pathlib import Path

import polars as pl
import pytest

from detainerlaw import jurisdictions
from detainerlaw.engine.columnar import plan_cache
from detainerlaw.engine.columnar.layers import evaluate_stack
from detainerlaw.engine.pack import BASELINE, LawPack, Reform

partitions = importlib.import_module("detainerlaw.engine.columnar.partitions")


@pytest.fixture(scope="module")
def frame() -> pl.DataFrame:
    from detainerlaw.laws.nyc.population.sample import sample_population

    return sample_population()[:3000]


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A plan cache in a folder of the test's own; what this process holds in memory is forgotten
    before and after, as if each evaluation ran in a fresh process."""
    folder = tmp_path / "plans"
    monkeypatch.setenv(plan_cache.ENV, str(folder))
    _fresh_process(monkeypatch)
    yield folder
    _fresh_process(monkeypatch)


def _fresh_process(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plan_cache, "_STORES", type(plan_cache._STORES)())
    monkeypatch.setattr(partitions, "_SHARED", type(partitions._SHARED)())
    for _, pack, _ in jurisdictions.get("nyc").layered():
        monkeypatch.setattr(pack, "_baseline", type(pack._baseline)())
        monkeypatch.setattr(pack, "_reforms", type(pack._reforms)())


def _counted(build, built: list[str]):  # noqa: ANN001, ANN202
    def counted(p):  # noqa: ANN001, ANN202
        built.append(getattr(build, "__name__", "?"))
        return build(p)

    return counted


@pytest.mark.parametrize("reform", [BASELINE, Reform("shorter lookback", params={"lookback_years": 2}),
                                    Reform("no NYPD exception", params={"nypd_hold_exception": False})])
def test_plans_found_on_disk_are_not_compiled_again(frame: pl.DataFrame, cache: Path,
                                                    monkeypatch: pytest.MonkeyPatch, compilations: list[str],
                                                    reform: Reform) -> None:
    stack = jurisdictions.get("nyc").layered(reform=reform)
    compiled = compilations
    compiled.clear()
    first = evaluate_stack(frame, stack)
    assert compiled
    plan_cache.flush()
    files = sorted(p.name for p in cache.glob("*.pickle"))  # beside vocabulary.json
    assert files and all(len(f.split("-")[0]) == 20 for f in files)
    assert oct(cache.stat().st_mode & 0o777) == "0o700"
    assert all(oct(f.stat().st_mode & 0o777) == "0o600" for f in cache.iterdir())
    _fresh_process(monkeypatch)
    compiled.clear()
    built: list[str] = []  # rules built by the law packages' sections
    for _, pack, _ in stack:
        monkeypatch.setattr(pack, "sections", [_counted(b, built) for b in pack.sections])
    again = evaluate_stack(frame, stack)
    assert compiled == [] and built == []
    assert again.equals(first)
    plan_cache.flush()  # nothing new: the files are left as they were
    assert sorted(p.name for p in cache.glob("*.pickle")) == files


def test_a_torn_file_is_rebuilt(frame: pl.DataFrame, cache: Path, monkeypatch: pytest.MonkeyPatch,
                                caplog: pytest.LogCaptureFixture, compilations: list[str]) -> None:
    stack = jurisdictions.get("nyc").layered()
    want = evaluate_stack(frame, stack)
    plan_cache.flush()
    for f in cache.iterdir():
        f.write_bytes(f.read_bytes()[: f.stat().st_size // 2])
    _fresh_process(monkeypatch)
    compiled = compilations
    compiled.clear()
    with caplog.at_level(logging.WARNING):
        got = evaluate_stack(frame, stack)
    assert compiled and got.equals(want)
    assert "could not be read" in caplog.text


def test_a_folder_others_may_write_is_not_used(frame: pl.DataFrame, cache: Path, monkeypatch: pytest.MonkeyPatch,
                                               caplog: pytest.LogCaptureFixture, compilations: list[str]) -> None:
    stack = jurisdictions.get("nyc").layered()
    evaluate_stack(frame, stack)
    plan_cache.flush()
    os.chmod(cache, 0o777)
    _fresh_process(monkeypatch)
    compiled = compilations
    compiled.clear()
    with caplog.at_level(logging.WARNING):
        evaluate_stack(frame, stack)
    assert compiled
    assert "not private" in caplog.text
    os.chmod(cache, 0o700)  # and a file others may write is not read
    for f in cache.iterdir():
        os.chmod(f, 0o666)
    _fresh_process(monkeypatch)
    compiled.clear()
    evaluate_stack(frame, stack)
    assert compiled


def test_off_writes_nothing(frame: pl.DataFrame, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(plan_cache.ENV, "off")
    _fresh_process(monkeypatch)
    evaluate_stack(frame, jurisdictions.get("nyc").layered())
    plan_cache.flush()
    assert plan_cache.directory() is None
    assert not plan_cache._STORES


def test_a_change_to_the_law_is_another_fingerprint(tmp_path: Path) -> None:
    law = tmp_path / "laws"
    (law / "town").mkdir(parents=True)
    (law / "town" / "rules.py").write_text("HOURS = 48\n")
    (law / "town" / "params.yaml").write_text("hours: 48\n")
    before = plan_cache.fingerprint(law)
    (law / "town" / "params.yaml").write_text("hours: 24\n")
    plan_cache.fingerprint.cache_clear()
    assert plan_cache.fingerprint(law) != before


def test_reforms_of_python_functions_are_not_cached() -> None:
    pack = jurisdictions.get("nyc").pack()
    assert plan_cache.cacheable(pack, Reform(params={"lookback_years": 3}))
    assert not plan_cache.cacheable(pack, Reform(add=(lambda p: [],)))
    own = LawPack(pack.jurisdiction, pack.params, pack.sections, pack.engaged, pack.register, pack.agencies,
                  schema=pack.schema)
    assert not plan_cache.cacheable(own, BASELINE)  # a pack built outside ``jurisdictions``: its law may be any


def test_what_a_process_built_before_the_law_changed_on_disk_is_not_written(tmp_path: Path) -> None:
    """A process runs the code it imported: if the law's files change while it runs, what it built
    would be filed under the new files' fingerprint, so it is not written at all."""
    law = tmp_path / "laws"
    law.mkdir()
    (law / "rules.py").write_text("HOURS = 48\n")
    plan_cache.fingerprint.cache_clear()
    path = tmp_path / f"{plan_cache.fingerprint(law)}-town-0.pickle"
    store = plan_cache.Store(path, law)
    store.put(("plan", 1), "compiled under 48 hours")
    (law / "rules.py").write_text("HOURS = 24\n")
    store.flush()
    assert not path.exists()
    kept = plan_cache.Store(tmp_path / f"{plan_cache.fingerprint(law)}-town-0.pickle", law)
    kept.put(("plan", 1), "compiled under 24 hours")
    kept.flush()
    assert plan_cache.Store(kept.path, law).get(("plan", 1)) == "compiled under 24 hours"


def test_the_folder_keeps_the_most_recently_used_files_within_its_size(tmp_path: Path,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    """A server writing a file for each reform it is sent keeps the folder within ``MAX_BYTES``,
    dropping the files least recently read or written, never the one just written."""
    import time

    law = tmp_path / "laws"
    law.mkdir()
    (law / "rules.py").write_text("HOURS = 48\n")
    folder = tmp_path / "plans"
    folder.mkdir(mode=0o700)
    monkeypatch.setattr(plan_cache, "MAX_BYTES", 3 * 10_000)
    fp = plan_cache.fingerprint(law)
    names = []
    for i in range(4):
        s = plan_cache.Store(folder / f"{fp}-town-{i:016d}.pickle", law)
        s.put(("plan", i), "x" * 9_000)
        s.flush()
        names.append(s.path.name)
        time.sleep(0.02)
        if i == 2:  # the first file read again: used more recently than the second and third
            plan_cache.Store(folder / names[0], law)
    kept = sorted(p.name for p in folder.glob("*.pickle"))
    assert kept == sorted([names[0], names[2], names[3]])
    assert sum(p.stat().st_size for p in folder.glob("*.pickle")) <= 3 * 10_000


def test_a_process_keeps_a_bounded_number_of_stores(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reforms sent to a long-lived server each get a store; past ``MAX_STORES`` the least recently
    used is written and forgotten, so memory stays bounded."""
    monkeypatch.setenv(plan_cache.ENV, str(tmp_path / "plans"))
    monkeypatch.setattr(plan_cache, "_STORES", type(plan_cache._STORES)())
    monkeypatch.setattr(plan_cache, "MAX_STORES", 3)
    pack = jurisdictions.get("nyc").pack()
    for years in range(1, 7):
        assert plan_cache.store(pack, Reform(params={"lookback_years": years})) is not None
    assert len(plan_cache._STORES) == 3


# -- across processes: the vocabulary codes the plans hold ---------------------------------------------


def _batch(inp: Path, out: Path, cache: str, first_words: int = 0) -> pl.DataFrame:
    """``decide --batch`` in a fresh process with the plan cache ``cache``, after coding ``first_words``
    strings of its own (a process that met other strings first gives other codes)."""
    import subprocess
    import sys

    code = ("import sys; from detainerlaw.engine.columnar.vocabulary import code; "
            f"[code(f'other-{{i}}') for i in range({first_words})]; "
            "from detainerlaw.interfaces.cli import main; sys.argv[0] = 'detainerlaw'; main()")
    env = {**os.environ, plan_cache.ENV: cache}
    done = subprocess.run([sys.executable, "-c", code, "decide", "--batch", str(inp), "--out", str(out),
                           "--backend", "columnar"], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    return pl.read_parquet(out)


@pytest.mark.slow
def test_plans_from_another_process_answer_as_plans_compiled_here(tmp_path: Path) -> None:
    """Codes of strings differ from process to process: a plan read from another process's file is
    used only where the codes of the words it compares with agree, and every answer is the one of a
    process that compiled its own (the plans seeded with the same vocabulary, or compiled again)."""
    from detainerlaw.frame import facts_frame
    from detainerlaw.laws.nyc.casegen import random_cases

    cases = random_cases(1500, seed=9)
    inp = tmp_path / "cases.parquet"
    facts_frame(cases, [f"c{i}" for i in range(len(cases))]).write_parquet(inp)
    want = _batch(inp, tmp_path / "off.parquet", "off", first_words=7)
    cache = str(tmp_path / "plans")
    assert _batch(inp, tmp_path / "cold.parquet", cache).equals(want)
    assert (tmp_path / "plans" / plan_cache.VOCABULARY).exists()
    assert _batch(inp, tmp_path / "warm.parquet", cache, first_words=5).equals(want)  # seeded: the same codes
    (tmp_path / "plans" / plan_cache.VOCABULARY).unlink()
    assert _batch(inp, tmp_path / "unseeded.parquet", cache, first_words=5).equals(want)  # other codes: compiled again

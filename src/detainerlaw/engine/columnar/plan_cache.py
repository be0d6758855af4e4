"""Lowered actions and compiled plans kept on disk between processes, so that a fresh process (a
command, a Dask worker, the lab's first simulation) reads what an earlier one built instead of
lowering and compiling the law again.

A file holds what processes built for one packaged law package under one reform (a pack built
otherwise is not cached). Its name carries a fingerprint of everything that is built from: the
engine's files, the source and data files of the law packages (``LawPack.built_from``, set by
``jurisdictions``: the folder holding the package and those it may import, ``laws``), and the
versions of Python, Polars and the project; any change to the law or the engine
reads none of the old files (they are removed when a newer fingerprint writes beside them). The
files are pickles, so they are read only from a directory that belongs to the user running the
process and that no one else may write (else the cache is left unused, and said so once in the
log). The directory is ``$DETAINERLAW_PLAN_CACHE``, by default ``$XDG_CACHE_HOME/detainerlaw/plans``
(``~/.cache/detainerlaw/plans``); ``DETAINERLAW_PLAN_CACHE=off`` turns the cache off. A reform that
adds rules written as Python functions without a stable name is never cached (its key is a
number of this process).
"""

from __future__ import annotations

import atexit
import hashlib
import json
import logging
import os
import pickle
import stat
import sys
import tempfile
import threading
from collections import OrderedDict
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import polars as pl

from detainerlaw.engine.columnar import vocabulary
from detainerlaw.engine.pack import LawPack, Reform

ENV = "DETAINERLAW_PLAN_CACHE"
_ENGINE = Path(__file__).resolve().parents[1]  # what lowers rules and compiles plans
_SUFFIXES = {".py", ".yaml", ".yml", ".csv", ".json"}
_FINGERPRINT = 20  # hex digits of the fingerprint that begins a file's name
MAX_BYTES = 256 * 2**20  # the folder's size, beyond which the least recently used files are removed
MAX_STORES = 64  # stores (a layer under a reform) a process keeps in memory
log = logging.getLogger(__name__)


@lru_cache(maxsize=16)
def fingerprint(law: Path) -> str:
    """A hash of the engine's files, the law packages' (folder ``law``; populations aside) and the
    versions that shape a plan."""
    h = hashlib.sha256()
    try:
        own = version("detainerlaw")
    except PackageNotFoundError:
        own = "?"
    h.update(f"{sys.version}|{pl.__version__}|{own}".encode())
    for root in (_ENGINE, law):
        for p in sorted(p for p in root.rglob("*") if p.suffix in _SUFFIXES
                        and not {"population", "__pycache__"} & set(p.relative_to(root).parts)):
            h.update(str(p.relative_to(root)).encode())
            h.update(p.read_bytes())
    return h.hexdigest()[:_FINGERPRINT]


def directory() -> Path | None:
    """The cache's directory (created private to the user), or None when it is off or not safe."""
    setting = os.environ.get(ENV, "")
    if setting.lower() in ("off", "0", "no", "false"):
        return None
    base = Path(setting) if setting else Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") \
        / "detainerlaw" / "plans"
    try:
        base.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = base.stat()
    except OSError as e:
        _once(f"plan cache {base} is not usable ({e.strerror}): plans are compiled in this process only")
        return None
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        _once(f"plan cache {base} is not private to this user (owner or permissions): it is not used")
        return None
    return base


_SAID: set[str] = set()


def _once(message: str) -> None:
    if message not in _SAID:
        _SAID.add(message)
        log.warning(message)


def cacheable(pack: LawPack, reform: Reform) -> bool:
    """Whether a pack's law under a reform can be found again by its key in another process."""
    return pack.built_from is not None and not reform.add and type(reform).disables is Reform.disables


class Store:
    """What processes built for one pack under one reform: entries by key, read from the file on
    first use, written back (``flush``) when this process added any."""

    def __init__(self, path: Path | None, law: Path | None = None) -> None:
        self.path = path
        self.law = law  # the law packages' folder the fingerprint in the name was read from
        self.entries: dict[tuple, Any] = {}
        self.added = 0
        self.lock = threading.Lock()
        self.law_cache: Any = None  # the pack's ``ReformCache``: its epochs and snapshots are kept too
        if path is not None and path.exists():
            self.entries = _read(path)

    def seed(self, law_cache: Any) -> None:
        """Give the pack's cache of this reform's law the epochs and snapshots found on disk (the
        rules built once, by an earlier process), and keep it to write back what this one builds."""
        self.law_cache = law_cache
        bounds = self.entries.get(("bounds",))
        if law_cache.bounds is None and bounds is not None:
            law_cache.bounds = bounds
        for k, snap in self.entries.get(("snapshots",), {}).items():
            law_cache.snapshots.setdefault(k, snap)

    def get(self, key: tuple) -> Any:
        return self.entries.get(key)

    def put(self, key: tuple, value: Any, replace: bool = False) -> None:
        with self.lock:
            if replace or key not in self.entries:
                self.entries[key] = value
                self.added += 1

    def flush(self) -> None:
        """Write the entries if this process added any: to a private temporary file, renamed over
        the old one (a reader sees the old file or the new, whole)."""
        with self.lock:
            law = self.law_cache
            if law is not None and law.bounds is not None and ("bounds",) not in self.entries:
                self.entries[("bounds",)] = law.bounds
                self.added += 1
            if law is not None and len(law.snapshots) > len(self.entries.get(("snapshots",), ())):
                self.entries[("snapshots",)] = dict(law.snapshots)
                self.added += 1
            if self.path is None or not self.added:
                return
            entries, self.added = dict(self.entries), 0
        if self.law is not None and _read_again(self.law) != self.path.name[:_FINGERPRINT]:
            _once(f"plan cache: the law or the engine changed on disk while this process ran: {self.path} not written")
            return
        try:
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".plans-", suffix=".part")
            with os.fdopen(fd, "wb") as fh:
                pickle.dump(entries, fh, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, self.path)
        except OSError as e:
            _once(f"plan cache: could not write {self.path} ({e.strerror})")
            Path(tmp).unlink(missing_ok=True)
            return
        same = self.path.name[_FINGERPRINT:]
        for old in self.path.parent.glob(f"*{same}"):
            if old != self.path and old.name[_FINGERPRINT:] == same:  # the same law under an older fingerprint
                old.unlink(missing_ok=True)
        _prune(self.path.parent, keep=self.path)


def _prune(folder: Path, keep: Path) -> None:
    """The least recently used files removed until the folder holds at most ``MAX_BYTES`` (a server
    taking reforms with its requests writes a file for each)."""
    files = []
    for f in folder.glob("*.pickle"):
        try:
            st = f.stat()
        except OSError:
            continue
        files.append((st.st_mtime, st.st_size, f))
    total = sum(size for _, size, _ in files)
    for _, size, f in sorted(files, key=lambda x: x[0]):
        if total <= MAX_BYTES:
            break
        if f != keep:
            f.unlink(missing_ok=True)
            total -= size

def _read_again(law: Path) -> str:
    """The fingerprint of the files as they are now (not the one this process read first)."""
    fingerprint.cache_clear()
    return fingerprint(law)


def _read(path: Path) -> dict:
    st = path.stat()
    if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        _once(f"plan cache file {path} is not private to this user: it is not read")
        return {}
    try:
        with path.open("rb") as fh:
            data = pickle.load(fh)  # noqa: S301  (a private directory this user owns, checked above)
        os.utime(path)  # used: the last to be pruned
    except Exception as e:  # a torn or foreign file: rebuilt, never trusted
        _once(f"plan cache file {path} could not be read ({type(e).__name__}): it is rebuilt")
        return {}
    return data if isinstance(data, dict) else {}


_STORES: OrderedDict[tuple[int, str], Store] = OrderedDict()  # least recently used first
_LOCK = threading.Lock()


def store(pack: LawPack, reform: Reform) -> Store | None:
    """The store of a pack's law under a reform (None when the cache is off or the reform not cacheable)."""
    if not cacheable(pack, reform):
        return None
    key = (id(pack), reform.key)
    hit = _STORES.get(key)
    if hit is not None:
        with _LOCK:
            if key in _STORES:
                _STORES.move_to_end(key)
    else:
        base = directory()
        if base is None:
            return None
        law = hashlib.sha256(f"{pack.built_from}|{reform.key}".encode()).hexdigest()[:16]
        name = f"{fingerprint(pack.built_from)}-{pack.jurisdiction}-{law}.pickle"  # type: ignore[arg-type]
        with _LOCK:
            hit = _STORES.get(key)
            if hit is None:
                hit = _STORES[key] = Store(base / name, pack.built_from)
                hit.seed(pack.cache(reform))
                if len(_STORES) == 1:
                    atexit.register(flush)
                while len(_STORES) > MAX_STORES:  # a long-lived server: written, then forgotten
                    _STORES.popitem(last=False)[1].flush()
    return hit


def flush() -> None:
    """Write every store this process added to (at exit, and after a command or a lab job), and the
    vocabulary its plans were compiled with."""
    stores = list(_STORES.values())
    for s in stores:
        s.flush()
    if stores:
        _write_words()


# -- the vocabulary the plans were compiled with ------------------------------------------------------
#
# A plan holds the codes of the words it compares with (``vocabulary``); another process uses it only
# where its own codes agree. Every process that uses the cache codes first the words listed in
# ``vocabulary.json`` (seeded before its first code), in their order, so their codes agree; a process
# whose words begin with the file's writes its longer list back.

VOCABULARY = "vocabulary.json"
MAX_WORDS = 200_000


def _seed_words() -> list[str]:
    base = directory()
    path = base / VOCABULARY if base is not None else None
    if path is None or not path.exists():
        return []
    try:
        st = path.stat()
        if st.st_uid != os.getuid() or st.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
            return []
        data = json.loads(path.read_text())
    except (OSError, ValueError):
        return []
    if not isinstance(data, list) or not all(isinstance(w, str) for w in data):
        return []
    _SEEDED[:] = data
    return data


_SEEDED: list[str] = []  # the words this process was seeded with
_WRITTEN = [0]  # how many of its words this process last offered to the file


def _write_words() -> None:
    base = directory()
    if base is None:
        return
    coded = vocabulary.words()
    if len(coded) > MAX_WORDS or len(coded) <= max(len(_SEEDED), _WRITTEN[0]) or coded[:len(_SEEDED)] != _SEEDED:
        return  # nothing coded since the seed or the last write (a server flushes after every lab job)
    _WRITTEN[0] = len(coded)
    path = base / VOCABULARY
    try:
        current = json.loads(path.read_text()) if path.exists() else []
    except (OSError, ValueError):
        current = []
    if not isinstance(current, list) or coded[:len(current)] != current or len(current) >= len(coded):
        return  # another process wrote another order, or as much: theirs stays
    try:
        fd, tmp = tempfile.mkstemp(dir=base, prefix=".vocabulary-", suffix=".part")
        with os.fdopen(fd, "w") as fh:
            json.dump(coded, fh)
        os.replace(tmp, path)
    except OSError as e:
        _once(f"plan cache: could not write {path} ({e.strerror})")
        Path(tmp).unlink(missing_ok=True)


vocabulary.set_seed(_seed_words)

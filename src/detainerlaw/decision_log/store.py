"""A tamper-evident decision log: one row per decision, each row hashing the one before.

Stores the minimum: no names, no criminal history, the agency and the kind of request, a
keyed hash of the input, the law version, the outcomes and the citations (in the manner of
an OPA decision log). ``verify()`` recomputes the chain and reports the first broken row.

``input_hash`` is HMAC-SHA256(key, ``"input:"`` + the canonical JSON of the whole Case as
validated, history included: ``input_digest``). Two decisions share it exactly when their
inputs are the same, so an auditor can tell that two differing outcomes came from different
inputs (PL 160.10 against PL 120.05, another judgment date); without the log's key it reveals
nothing about the input, not even by trying likely histories. Rows written before this
(the plain SHA-256 of ``masked_input``: counts only) keep their value: ``input_hash`` is one
of the chained fields, so it is never recomputed, and ``verify`` checks it only as stored.

A plain hash chain only shows that rows agree with one another: anyone who can write the
database can edit a row and recompute every hash after it, cut off the tail, empty the table
or drop it. So the chain is anchored with a key the database does not hold:

* every row carries ``mac`` = HMAC-SHA256(key, its chained hash), so a row cannot be forged,
  nor the chain recomputed after an edit, without the key;
* after each committed batch the writer appends a signed checkpoint of the head (the number
  of entries and the last hash) to a JSON-lines file outside the database; each checkpoint
  also signs the one before it. ``verify`` checks every checkpoint against the rows, so a log
  shorter than its checkpoints (tail cut, rows deleted, table dropped) is reported.

The key comes from ``DETAINERLAW_LOG_KEY`` (the key itself) or ``DETAINERLAW_LOG_KEY_FILE``;
for an SQLite file with neither set it is ``<db>.key`` beside the database, created (mode 0600)
on first use. Checkpoints go to ``DETAINERLAW_LOG_CHECKPOINTS`` or ``<db>.checkpoints``.

Durability: a decision id is handed out only after its entry is committed (and checkpointed):
``record`` blocks until then and ``record_durable`` awaits it; one writer thread commits whatever
has queued as one transaction (group commit). By default SQLite runs in WAL mode with
``synchronous=NORMAL``: a committed entry survives the process being killed (the commit is in the
operating system's hands), but not a power cut or kernel crash, which can lose the last commits.
``DETAINERLAW_LOG_SYNC=full`` fsyncs the WAL and the checkpoint file at every commit, which
survives power loss too; group commit shares each fsync among the entries of a batch, but on a
shared 2-core machine it raised the API's p99 at 200 req/s from about 3 ms to 15-120 ms, mostly past
the 20 ms goal, so it is the choice for a dedicated disk rather than the default.

Each entry also keeps the case's decision date (``decided_on``, the New York date only, never the
time): an entry's ``timestamp`` says when it was written, but a report for a past period counts the
cases decided in it. Rows written before it was kept leave it empty, and their hash covers the
fields it covered then (``hashed_fields``), so old logs still verify; a new row's hash covers it.

Logs written before keyed hashing (no ``mac`` column): opening one for writing adds the
column (nullable; no other change) and signs a first checkpoint of the rows as they stand,
which anchors them from then on; their rows keep ``mac`` empty and ``verify`` counts them as
``unkeyed``.
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import logging
import os
import queue
import re
import secrets
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import BaseModel
from sqlalchemy import Integer, String, Text, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from detainerlaw import jurisdictions
from detainerlaw.models.decision import Decision

GENESIS = "0" * 64
log = logging.getLogger("detainerlaw.decision_log")
DEFAULT_URL = "sqlite:///detainerlaw.db"
KEY_ENV, KEY_FILE_ENV = "DETAINERLAW_LOG_KEY", "DETAINERLAW_LOG_KEY_FILE"
CHECKPOINTS_ENV, SYNC_ENV = "DETAINERLAW_LOG_CHECKPOINTS", "DETAINERLAW_LOG_SYNC"
MIN_KEY = 16  # characters (bytes) of key


DB_ENV = "DETAINERLAW_DB"


def default_url() -> str:
    return os.environ.get(DB_ENV, DEFAULT_URL)


def shown_url(url: str) -> str:
    """A database URL as messages show it: the password masked, wherever it is (``user:password@``, a
    password holding ``@``, or a query parameter such as ``?password=``)."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        return url
    head, q, query = rest.partition("?")
    at = head.rfind("@")  # a host holds no "@": the last one ends the user information
    if at >= 0 and ":" in head[:at]:
        head = f"{head[:at].split(':', 1)[0]}:***{head[at:]}"
    if q:
        query = _SECRET_PARAM.sub(lambda m: f"{m.group(1)}=***", query)
    return f"{scheme}://{head}{q}{query}"


_SECRET_PARAM = re.compile(r"(?i)\b([\w.-]*(?:pass|pwd|secret|token|key)[\w.-]*)=[^&]*")


class Base(DeclarativeBase):
    pass


class LogEntry(Base):
    __tablename__ = "decision_log"

    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    decision_id: Mapped[str] = mapped_column(String(36), unique=True, index=True)
    timestamp: Mapped[str] = mapped_column(String(40))
    agency: Mapped[str] = mapped_column(String(8))
    request_kind: Mapped[str] = mapped_column(String(32))
    law_version: Mapped[str] = mapped_column(String(64))
    outcomes: Mapped[str] = mapped_column(Text)  # JSON {action: outcome}
    citations: Mapped[str] = mapped_column(Text)  # JSON [citation]
    input_hash: Mapped[str] = mapped_column(String(64))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))
    mac: Mapped[str | None] = mapped_column(String(64), nullable=True)  # HMAC-SHA256(key, hash); empty before keying
    # The case's decision date (New York), the date only: a past period's report is rebuilt from the cases
    # decided in it. Empty in rows written before it was kept, and then left out of their hash.
    decided_on: Mapped[str | None] = mapped_column(String(10), nullable=True)

    def as_dict(self) -> dict:
        return _entry({c: getattr(self, c) for c in _READ})


def _canon(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def masked_input(case: BaseModel) -> dict:
    """The case with the criminal history reduced to counts and the flags to their names (what rows
    written before ``input_digest`` hashed, unkeyed, as their ``input_hash``)."""
    data = case.model_dump(mode="json")
    person = data.pop("person")
    data["person"] = {
        "convictions": len(person["convictions"]),
        "incarcerations": len(person["incarcerations"]),
        "pending_cases": len(person["pending_cases"]),
        "flags": sorted(k for k, v in person.items() if v is True),
    }
    return data


def input_digest(key: bytes, case: BaseModel) -> str:
    """The keyed hash of a whole input: equal exactly for equal Cases, opaque without ``key``."""
    return hmac.new(key, b"input:" + _canon(case.model_dump(mode="json")).encode(), hashlib.sha256).hexdigest()


def row_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + _canon(fields)).encode()).hexdigest()


def row_mac(key: bytes, row_hash_: str) -> str:
    """The keyed seal of one row; its hash already covers the row and everything before it."""
    return hmac.new(key, b"row:" + row_hash_.encode(), hashlib.sha256).hexdigest()


def checkpoint_sig(key: bytes, cp: dict) -> str:
    body = {k: cp.get(k) for k in ("n", "head", "time", "prev")}
    return hmac.new(key, b"checkpoint:" + _canon(body).encode(), hashlib.sha256).hexdigest()


_HASHED = ("decision_id", "timestamp", "agency", "request_kind", "law_version", "outcomes", "citations", "input_hash")
# Chained only when present: rows written before the decision date was kept hash as they were written.
_HASHED_WHEN_SET = ("decided_on",)
_READ = ("seq", *_HASHED, "prev_hash", "hash", "mac", *_HASHED_WHEN_SET)
_ADDED = {"mac": "VARCHAR(64)", "decided_on": "VARCHAR(10)"}  # columns a log from older code may lack


def hashed_fields(row: dict) -> dict:
    """The fields of a row its chained hash covers: every field of ``_HASHED``, and each of
    ``_HASHED_WHEN_SET`` that the row holds (so rows written before a field existed still verify)."""
    fields = {k: row[k] for k in _HASHED}
    fields.update({k: row[k] for k in _HASHED_WHEN_SET if row.get(k) is not None})
    return fields


def _entry(r: dict) -> dict:
    return {**r, "outcomes": json.loads(r["outcomes"]), "citations": json.loads(r["citations"])}


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_bad: int | None = None
    problem: str | None = None
    head: str = GENESIS
    checkpointed: int = 0  # entries covered by the latest signed checkpoint
    unkeyed: int = 0  # entries from before keyed hashing (anchored by the first checkpoint)

    def as_dict(self) -> dict:
        return {"ok": self.ok, "entries": self.entries, "first_bad": self.first_bad, "problem": self.problem,
                "head": self.head, "checkpointed": self.checkpointed, "unkeyed": self.unkeyed}


class Recorded:
    """A decision stored in the log: its id and time."""

    __slots__ = ("decision_id", "timestamp")

    def __init__(self, decision_id: str, timestamp: str):
        self.decision_id, self.timestamp = decision_id, timestamp


class LogUnavailable(RuntimeError):
    """The writer could not store queued entries in time (the database is unreachable or locked)."""


class LogKeyError(ValueError):
    """The log's key or checkpoints file is missing, unreadable or unsuitable."""


_STOP = object()
_COLUMNS = (*_HASHED, "prev_hash", "hash", "mac", *_HASHED_WHEN_SET)
_INSERT = (f"INSERT INTO decision_log ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join(':' + c for c in _COLUMNS)})")
_Waiter = tuple[asyncio.AbstractEventLoop, asyncio.Future] | None


def _sqlite_file(url: str) -> Path | None:
    u = make_url(url)
    if u.get_backend_name() != "sqlite" or u.database in (None, "", ":memory:"):
        return None
    return Path(u.database)


def _read_key(value: bytes, where: str) -> bytes:
    key = value.strip()
    if len(key) < MIN_KEY:
        raise LogKeyError(f"{where}: the decision-log key must be at least {MIN_KEY} characters")
    return key


def resolve_key(url: str, create: bool) -> tuple[bytes | None, str]:
    """The log's HMAC key and where it came from; ``None`` for an in-memory log (a fresh key each run).

    ``create``: make ``<db>.key`` (random, mode 0600) when the SQLite file has no key yet."""
    if os.environ.get(KEY_ENV):
        return _read_key(os.environ[KEY_ENV].encode(), KEY_ENV), KEY_ENV
    path_s = os.environ.get(KEY_FILE_ENV)
    db = _sqlite_file(url)
    if not path_s and db is None:
        if make_url(url).get_backend_name() == "sqlite":
            return None, "in memory"
        raise LogKeyError(f"a decision log outside SQLite needs a key: set {KEY_ENV} or {KEY_FILE_ENV}")
    path = Path(path_s) if path_s else db.with_name(db.name + ".key")  # type: ignore[union-attr]
    where = f"{KEY_FILE_ENV}={path}" if path_s else str(path)
    try:
        return _read_key(path.read_bytes(), where), where
    except FileNotFoundError:
        if path_s or not create:
            raise LogKeyError(f"{where}: no such key file (the log's key: set {KEY_FILE_ENV} or {KEY_ENV})") \
                from None
    except OSError as e:
        raise LogKeyError(f"{where}: cannot read the key file ({e.strerror})") from None
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:  # another process made it first
        return _read_key(path.read_bytes(), where), where
    except OSError as e:
        raise LogKeyError(f"{where}: cannot create the key file ({e.strerror})") from None
    with os.fdopen(fd, "wb") as f:
        f.write(secrets.token_hex(32).encode() + b"\n")
        f.flush()
        os.fsync(f.fileno())
    log.warning("decision log: created a new HMAC key in %s (mode 0600); keep it apart from copies of the "
                "database, and back it up: without it the log cannot be verified", path)
    return _read_key(path.read_bytes(), where), where


def resolve_checkpoints(url: str) -> Path | None:
    """Where signed checkpoints of the head go; ``None`` keeps them in memory (in-memory log)."""
    if os.environ.get(CHECKPOINTS_ENV):
        return Path(os.environ[CHECKPOINTS_ENV])
    db = _sqlite_file(url)
    if db is not None:
        return db.with_name(db.name + ".checkpoints")
    if make_url(url).get_backend_name() == "sqlite":
        return None
    raise LogKeyError(f"a decision log outside SQLite needs a checkpoints file: set {CHECKPOINTS_ENV}")


class DecisionLog:
    """Append-only, keyed hash-chained log in any SQLAlchemy database (SQLite by default).

    ``record`` (threads) and ``record_durable`` (async handlers) queue an entry and return once it is
    committed. One background thread takes the queue in order, chains and seals each entry, commits
    everything queued as one transaction, appends a signed checkpoint and then releases the callers.
    ``readonly=True`` opens an existing log to read and verify it: nothing is created or changed.
    """

    def __init__(self, url: str | None = None, batch: int = 256, linger: float = 0.0, *,
                 key: bytes | None = None, checkpoints: str | Path | None = None, readonly: bool = False,
                 sync: str | None = None, timeout: float = 10.0):
        url = url or default_url()
        self.url, self.readonly, self._timeout = url, readonly, timeout
        sync = (sync or os.environ.get(SYNC_ENV) or "normal").lower()
        if sync not in ("full", "normal"):
            raise LogKeyError(f"{SYNC_ENV}: {sync!r} is not 'full' or 'normal'")
        self._fsync = sync == "full"  # checkpoint file fsync goes with the database's choice
        kwargs: dict = {}
        self._memory = url in ("sqlite://", "sqlite:///:memory:")
        self._sqlite = url.startswith("sqlite")
        if self._sqlite:
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if self._memory:
                kwargs["poolclass"] = StaticPool
        try:
            self.engine = create_engine(url, **kwargs)
        except (ArgumentError, ImportError) as e:  # not a URL, or a database kind with no driver installed
            raise LogKeyError(f"{DB_ENV}: {shown_url(url)!r} is not a database URL this installation can open ({e}); "
                              f"for example {DEFAULT_URL}") from None
        if self._sqlite:
            event.listen(self.engine, "connect", _sqlite_pragmas(sync, readonly))
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._batch, self._linger = batch, linger
        self._raw: Any = None  # the writer's own DBAPI connection (SQLite)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._cond = threading.Condition()
        self._db_lock = threading.Lock() if self._memory else contextlib.nullcontext()
        self._submitted = 0  # entries queued so far
        self._written = 0  # entries committed so far (always a prefix of the queue's order)
        self._thread: threading.Thread | None = None
        self._closed = readonly
        self._error: str | None = None
        self._abandon = False  # set by close() when the writer must stop retrying
        self._lost: list[tuple[int, int]] = []  # queue places abandoned at close
        self._cp_path = Path(checkpoints) if checkpoints else resolve_checkpoints(url)
        self._cp_memory: list[str] = []
        self._count, self._head = 0, GENESIS  # the writer's view of the stored chain
        self._cp_prev = ""  # signature of the last checkpoint written
        try:
            self._table = self.has_table()
        except OperationalError as e:  # unreachable server, missing directory, no permission
            raise LogKeyError(f"{DB_ENV}: cannot open the database at {shown_url(url)!r} "
                              f"({str(e.orig).strip() or type(e.orig).__name__})") from None
        cps = self._checkpoint_lines()
        self._prepare(key, cps)

    def _prepare(self, key: bytes | None, cps: list[str]) -> None:
        """Key, table, column and first checkpoint; in read-only mode only the key."""
        keyed = self._table and "mac" in self._columns() and self._scalar(
            "SELECT 1 FROM decision_log WHERE mac IS NOT NULL LIMIT 1") is not None
        if key is None and self.readonly and not self._table and not cps:
            key = secrets.token_bytes(32)  # nothing to check: no key needed to say so
        if key is None:
            key, _ = resolve_key(self.url, create=not self.readonly and not cps and not keyed)
        self._key = key if key is not None else secrets.token_bytes(32)
        if self.readonly:
            return
        if not self._table:
            if cps:
                log.error("decision log: the decision_log table is missing from %s but %s holds %d signed "
                          "checkpoints: the table was dropped; it is not re-created and nothing is recorded "
                          "until it is restored", self.url, self._cp_path, len(cps))
                return
            Base.metadata.create_all(self.engine)
            self._table = True
        else:
            for column in sorted(set(_ADDED) - self._columns()):
                with self._db_lock, self.engine.begin() as conn:
                    conn.execute(text(f"ALTER TABLE decision_log ADD COLUMN {column} {_ADDED[column]}"))
                log.warning("decision log: added the %s column to %s (a log written by older code; its rows "
                            "keep it empty)", column, self.url)
        with self._db_lock, self.engine.connect() as conn:
            self._count = conn.execute(text("SELECT COUNT(*) FROM decision_log")).scalar() or 0
            self._head = conn.execute(text("SELECT hash FROM decision_log ORDER BY seq DESC LIMIT 1")).scalar() \
                or GENESIS
        if cps:
            with contextlib.suppress(ValueError, KeyError, TypeError):
                self._cp_prev = json.loads(cps[-1])["sig"]
            if not self._cp_prev:
                self._cp_prev = "unreadable"
        elif keyed:
            self._cp_prev = "missing"  # keyed rows but no checkpoints: verify keeps reporting it
            log.error("decision log: %s holds keyed entries but there are no checkpoints in %s (deleted?)",
                      self.url, self._cp_path)
        if not cps or (self._count and self._head_sealed()):
            self._checkpoint()  # the first one (also anchors rows from before keying), or the head at start

    # -- small helpers ------------------------------------------------------------------------

    def has_table(self) -> bool:
        """Whether the database holds the log's table (it may have been dropped)."""
        with self._db_lock:
            return "decision_log" in inspect(self.engine).get_table_names()

    def _columns(self) -> set[str]:
        with self._db_lock:
            return {c["name"] for c in inspect(self.engine).get_columns("decision_log")}

    def _head_sealed(self) -> bool:
        """Whether the last row carries this key's MAC (a head changed behind the log's back is not signed)."""
        with self._db_lock, self.engine.connect() as conn:
            mac = conn.execute(text("SELECT mac FROM decision_log ORDER BY seq DESC LIMIT 1")).scalar()
        if mac is None or not hmac.compare_digest(str(mac), row_mac(self._key, self._head)):
            log.error("decision log: the last entry of %s is not sealed with the log's key: run verify", self.url)
            return False
        return True

    def has_checkpoints(self) -> bool:
        """Whether any signed checkpoint has been written for this log."""
        return bool(self._checkpoint_lines())

    def _scalar(self, sql: str) -> Any:
        with self._db_lock, self.engine.connect() as conn:
            return conn.execute(text(sql)).scalar()

    def _checkpoint_lines(self) -> list[str]:
        if self._cp_path is None:
            return list(self._cp_memory)
        try:
            data = self._cp_path.read_text()
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as e:
            raise LogKeyError(f"{self._cp_path}: cannot read the checkpoints file ({e})") from None
        return [ln for ln in data.splitlines() if ln.strip()]

    def _checkpoint(self) -> None:
        """Append a signed checkpoint of the head (writer thread, or before it starts)."""
        cp = {"n": self._count, "head": self._head, "time": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
              "prev": self._cp_prev}
        cp["sig"] = checkpoint_sig(self._key, cp)
        line = _canon(cp)
        if self._cp_path is None:
            self._cp_memory.append(line)
        else:
            fd = os.open(self._cp_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, (line + "\n").encode())  # one write: a line is whole or absent
                if self._fsync:
                    os.fsync(fd)
            finally:
                os.close(fd)
        self._cp_prev = cp["sig"]

    # -- writing ------------------------------------------------------------------------------

    def _fields(self, case: BaseModel, decision: Decision) -> dict:
        outcomes = {a: r.outcome.value for a, r in decision.actions.items()}
        facts = jurisdictions.get(decision.jurisdiction).facts(case)  # every place's facts name these three
        cites: list[str] = []
        for r in decision.actions.values():
            cites += [c for c in r.citations if c not in cites]
        return {
            "decision_id": str(uuid.uuid4()),
            "timestamp": "",
            "agency": facts["agency"],
            "request_kind": facts["kind"],
            "law_version": decision.law.version,
            "outcomes": _canon(outcomes),
            "citations": _canon(cites),
            "input_hash": input_digest(self._key, case),
            "decided_on": dt.date.fromordinal(facts["decided_day"]).isoformat(),
        }

    def _enqueue(self, case: BaseModel, decision: Decision, waiter: _Waiter) -> tuple[Recorded, int]:
        """Queue one entry (chained in the order of the calls); returns it and its place in the queue.
        After ``close`` the entry is written at once (place 0: nothing to wait for)."""
        if self.readonly:
            raise LogUnavailable("the decision log was opened read-only")
        fields = self._fields(case, decision)
        with self._cond:
            fields["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
            rec = Recorded(fields["decision_id"], fields["timestamp"])
            if self._closed:
                self._write([fields])
                self._submitted += 1
                self._written += 1
                return rec, 0
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="detainerlaw-log-writer", daemon=True)
                self._thread.start()
                atexit.register(self.close)
            self._submitted += 1
            self._queue.put((fields, waiter))
            return rec, self._submitted

    def record(self, case: BaseModel, decision: Decision, wait: bool = True) -> Recorded:
        """Log one decision and return once it is committed (blocking; for threads).

        ``wait=False`` only queues it: the entry is not yet stored, so its id must not be handed out
        until ``flush`` (or a later waited record) returns."""
        rec, place = self._enqueue(case, decision, None)
        if wait and place:
            self._wait_for(place, self._timeout)
            if any(a <= place <= b for a, b in self._lost):
                raise LogUnavailable(f"the decision log could not store the entry ({self._error})")
        return rec

    async def record_durable(self, case: BaseModel, decision: Decision) -> Recorded:
        """Log one decision and return once it is committed, without blocking the event loop."""
        loop = asyncio.get_running_loop()
        fut: asyncio.Future = loop.create_future()
        rec, place = self._enqueue(case, decision, (loop, fut))
        if place:
            try:
                await asyncio.wait_for(fut, self._timeout)
            except TimeoutError:
                raise LogUnavailable(f"the decision log could not store the entry within {self._timeout:g} s "
                                     f"({self._error or 'writer busy'})") from None
        return rec

    def _run(self) -> None:
        stop = False
        while not stop:
            item = self._queue.get()
            batch: list[tuple[dict, _Waiter]] = []
            if item is _STOP:
                stop = True
            else:
                batch.append(item)
                if self._linger and self._queue.empty():
                    time.sleep(self._linger)  # let a few more arrive: one commit for several entries
            while len(batch) < self._batch:
                try:
                    item = self._queue.get_nowait()
                except queue.Empty:
                    break
                if item is _STOP:
                    stop = True
                else:
                    batch.append(item)
            if batch:
                stored = self._write_retrying([f for f, _ in batch])
                with self._cond:
                    if not stored:  # closing and the database is gone: these callers get LogUnavailable
                        self._lost.append((self._written + 1, self._written + len(batch)))
                    self._written += len(batch)
                    self._cond.notify_all()
                if stored:
                    self._release([w for _, w in batch if w is not None])

    @staticmethod
    def _release(waiters: list[tuple[asyncio.AbstractEventLoop, asyncio.Future]]) -> None:
        """Wake the async callers of a committed batch: one call per event loop."""
        by_loop: dict[asyncio.AbstractEventLoop, list[asyncio.Future]] = {}
        for loop, fut in waiters:
            by_loop.setdefault(loop, []).append(fut)
        for loop, futs in by_loop.items():
            with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
                loop.call_soon_threadsafe(_resolve, futs)

    def _write_retrying(self, batch: list[dict]) -> bool:
        """Write, retrying until it works; gives up only when ``close`` has run out of time."""
        delay = 0.01
        while True:
            try:
                self._write(batch)
                self._error = None
                return True
            except Exception as e:  # noqa: BLE001 - keep the entries and try again; nothing is dropped
                if self._abandon:
                    log.error("decision log: %d entries not stored at close (%s); their ids were never "
                              "returned", len(batch), e)
                    return False
                self._error = f"{type(e).__name__}: {e}"
                log.warning("decision log: write failed (%s); retrying in %.2f s", self._error, delay)
                time.sleep(delay)
                delay = min(1.0, delay * 2)

    def _write(self, batch: list[dict]) -> None:
        if not self._table:
            raise LogUnavailable("the decision_log table is missing (dropped?) and is not re-created")
        try:
            if self._sqlite:
                self._write_sqlite(batch)
            else:
                with self._db_lock, self.engine.begin() as conn:
                    rows = self._chain(self._stored_head(lambda q: conn.execute(text(q)).scalar()), batch)
                    conn.execute(text(_INSERT), rows)
        except Exception:
            self._head = "?"  # re-read (and recount) on the next try
            raise
        self._count += len(batch)
        self._head = rows[-1]["hash"] if not self._sqlite else self._head
        try:
            self._checkpoint()
        except OSError as e:  # the entries are committed; the next checkpoint covers them
            self._error = f"checkpoint not written: {e}"
            log.error("decision log: %s", self._error)

    def _stored_head(self, scalar: Callable[[str], Any]) -> str:
        """The head read inside the write transaction; recount the entries if it is not the one last written
        (after a failed write, or another writer)."""
        head = scalar("SELECT hash FROM decision_log ORDER BY seq DESC LIMIT 1") or GENESIS
        if head != self._head:
            self._count = scalar("SELECT COUNT(*) FROM decision_log") or 0
        self._head = head
        return head

    def _chain(self, head: str, batch: list[dict]) -> list[dict]:
        rows = []
        for f in batch:
            h = row_hash(head, hashed_fields(f))
            rows.append({**f, "prev_hash": head, "hash": h, "mac": row_mac(self._key, h)})
            head = h
        return rows

    def _write_sqlite(self, batch: list[dict]) -> None:
        """SQLite: one kept connection, BEGIN IMMEDIATE (so the head read and the inserts are one write
        transaction even if another process shares the file), one executemany, one commit."""
        with self._db_lock:
            if self._raw is None:
                self._raw = self.engine.raw_connection()
            conn = self._raw.driver_connection
            try:
                conn.execute("BEGIN IMMEDIATE")
                rows = self._chain(self._stored_head(lambda q: (conn.execute(q).fetchone() or (None,))[0]), batch)
                conn.executemany(_INSERT, rows)
                conn.commit()
            except Exception:
                with contextlib.suppress(Exception):
                    conn.rollback()
                with contextlib.suppress(Exception):
                    self._raw.invalidate()
                self._raw = None
                raise
            self._head = rows[-1]["hash"]

    def _wait_for(self, target: int, timeout: float) -> None:
        with self._cond:
            if not self._cond.wait_for(lambda: self._written >= target, timeout):
                raise LogUnavailable(f"the decision log could not store {target - self._written} queued "
                                     f"entries within {timeout:g} s ({self._error or 'writer busy'})")

    def flush(self, timeout: float = 30.0) -> None:
        """Return once every entry recorded before this call is committed."""
        with self._cond:
            target = self._submitted
        self._wait_for(target, timeout)

    def close(self, timeout: float = 60.0) -> None:
        """Store everything queued and stop the writer; later records are written at once. Entries that
        still cannot be stored after ``timeout`` seconds (database gone) are abandoned with an error."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(_STOP)
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive():
                self._abandon = True
                thread.join()
            atexit.unregister(self.close)
        with self._db_lock:
            if self._raw is not None:
                self._raw.close()
                self._raw = None

    # -- reading ------------------------------------------------------------------------------

    def _select(self, conn: Any, present: set[str], where: str = "", params: dict | None = None,
                tail: str = "") -> Iterator[dict]:
        """Rows as dicts, oldest first; a column a log from older code lacks (``present``) reads as NULL."""
        cols = [c if c not in _ADDED or c in present else f"NULL AS {c}" for c in _READ]
        q = f"SELECT {', '.join(cols)} FROM decision_log {where} ORDER BY seq {tail}"
        for r in conn.execute(text(q), params or {}).mappings():
            yield dict(r)

    @property
    def _present(self) -> set[str]:
        return self._columns() & set(_ADDED)

    def entries(self, limit: int = 100, offset: int = 0) -> list[dict]:
        self.flush()
        present = self._present
        with self._db_lock, self.engine.connect() as conn:
            return [_entry(r) for r in self._select(conn, present, tail="LIMIT :limit OFFSET :offset",
                                                        params={"limit": limit, "offset": offset})]

    def all_entries(self, agency: str | None = None) -> list[dict]:
        """Every entry (optionally one agency's), oldest first."""
        self.flush()
        if not self.has_table():
            return []
        present = self._present
        with self._db_lock, self.engine.connect() as conn:
            if agency is None:
                return [_entry(r) for r in self._select(conn, present)]
            return [_entry(r) for r in self._select(conn, present, "WHERE agency = :agency", {"agency": agency})]

    def get(self, decision_id: str) -> dict | None:
        self.flush()
        present = self._present
        with self._db_lock, self.engine.connect() as conn:
            rows = list(self._select(conn, present, "WHERE decision_id = :d", {"d": decision_id}))
            return _entry(rows[0]) if rows else None

    def _checkpoints(self) -> tuple[dict[int, set[str]], int, str | None]:
        """Signed checkpoints: {entries: heads}, the highest count, and the first problem with the file."""
        heads: dict[int, set[str]] = {}
        top, prev = 0, ""
        for i, line in enumerate(self._checkpoint_lines(), 1):
            try:
                cp = json.loads(line)
                n, head, sig = int(cp["n"]), str(cp["head"]), str(cp["sig"])
            except (ValueError, KeyError, TypeError):
                return heads, top, f"checkpoint {i} is malformed (the checkpoints file was altered)"
            if not hmac.compare_digest(sig, checkpoint_sig(self._key, cp)):
                return heads, top, (f"checkpoint {i} does not carry a valid signature (forged or altered, or the "
                                    f"key is not the log's)")
            if cp.get("prev") != prev:
                return heads, top, (f"checkpoint {i} does not follow the one before it (checkpoints removed "
                                    f"or the file replaced)")
            heads.setdefault(n, set()).add(head)
            top, prev = max(top, n), sig
        return heads, top, None

    def verify(self) -> ChainReport:
        """Check the checkpoints, then every row in order (chained hash, then keyed MAC); the first problem
        is reported. A log holding fewer entries than a signed checkpoint records has lost its tail."""
        self.flush()
        heads, top, problem = self._checkpoints()  # read before the rows: rows only grow meanwhile
        if problem:
            return ChainReport(False, 0, None, problem, checkpointed=top)
        if not self.has_table():
            why = f"signed checkpoints record {top} entries" if heads else "no checkpoint was written yet"
            return ChainReport(False, 0, 1, f"the decision_log table is missing ({why}): it was dropped",
                               checkpointed=top)
        prev, n, unkeyed, keyed = GENESIS, 0, 0, False
        report = None
        present = self._present
        with self._db_lock, self.engine.connect() as conn:
            for row in self._select(conn, present):
                n += 1
                seq = row["seq"]
                if row["prev_hash"] != prev:
                    report = ChainReport(False, n, seq, "previous hash does not match (a row removed or reordered)")
                elif row_hash(prev, hashed_fields(row)) != row["hash"]:
                    report = ChainReport(False, n, seq, "row hash does not match its contents (the row was altered)")
                elif row["mac"] is None:
                    if keyed or n > top:
                        report = ChainReport(False, n, seq, "row has no MAC (added without the key)")
                    unkeyed += 1
                elif not hmac.compare_digest(str(row["mac"]), row_mac(self._key, row["hash"])):
                    report = ChainReport(False, n, seq, "row MAC does not match (the row was altered or forged and "
                                                        "the chain recomputed without the key, or the key is not "
                                                        "the log's)")
                else:
                    keyed = True
                if report is None and n in heads and heads[n] != {row["hash"]}:
                    report = ChainReport(False, n, seq, f"the signed checkpoint of {n} entries names another head "
                                                        f"(rows replaced or rewritten)")
                if report is not None:
                    report.checkpointed, report.unkeyed = top, unkeyed
                    return report
                prev = row["hash"]
        if top > n:
            return ChainReport(False, n, n + 1, f"the log holds {n} entries but a signed checkpoint records {top} "
                                                f"(entries removed from the end, or all of them)",
                               head=prev, checkpointed=top, unkeyed=unkeyed)
        if not heads and n:
            return ChainReport(False, n, None, "no signed checkpoint: the checkpoints file is missing or empty",
                               head=prev, unkeyed=unkeyed)
        return ChainReport(True, n, head=prev, checkpointed=top, unkeyed=unkeyed)

    def session(self) -> Session:
        self.flush()
        return self._session()


def _resolve(futs: list[asyncio.Future]) -> None:
    for f in futs:
        if not f.done():  # a caller that gave up (timeout, disconnect) has cancelled its future
            f.set_result(None)


def _sqlite_pragmas(sync: str, readonly: bool):  # noqa: ANN202
    """WAL lets readers run beside the writer; ``synchronous`` is the durability choice (see module doc)."""

    def on_connect(dbapi_conn: object, _record: object) -> None:
        cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
        if not readonly:
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute(f"PRAGMA synchronous={'FULL' if sync == 'full' else 'NORMAL'}")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.close()

    return on_connect

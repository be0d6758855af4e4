"""A tamper-evident decision log: one row per decision, each row hashing the one before.

Stores the minimum: no names, no criminal history, only counts of the record and a hash
of the masked input, the law version, the outcomes and the citations (in the manner of
an OPA decision log). ``verify()`` recomputes the chain and reports the first broken row.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import json
import logging
import os
import queue
import threading
import time
import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Integer, String, Text, create_engine, event, insert, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from detainerlaw.models.case import Case
from detainerlaw.models.decision import Decision

GENESIS = "0" * 64
log = logging.getLogger("detainerlaw.decision_log")
DEFAULT_URL = "sqlite:///detainerlaw.db"


def default_url() -> str:
    return os.environ.get("DETAINERLAW_DB", DEFAULT_URL)


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

    def as_dict(self) -> dict:
        return {
            "seq": self.seq,
            "decision_id": self.decision_id,
            "timestamp": self.timestamp,
            "agency": self.agency,
            "request_kind": self.request_kind,
            "law_version": self.law_version,
            "outcomes": json.loads(self.outcomes),
            "citations": json.loads(self.citations),
            "input_hash": self.input_hash,
            "prev_hash": self.prev_hash,
            "hash": self.hash,
        }


def _canon(obj: object) -> str:
    return json.dumps(obj, sort_keys=True, separators=(",", ":"), default=str)


def masked_input(case: Case) -> dict:
    """The case with the criminal history reduced to counts and the flags to their names."""
    data = case.model_dump(mode="json")
    person = data.pop("person")
    data["person"] = {
        "convictions": len(person["convictions"]),
        "incarcerations": len(person["incarcerations"]),
        "pending_cases": len(person["pending_cases"]),
        "flags": sorted(k for k, v in person.items() if v is True),
    }
    return data


def row_hash(prev_hash: str, fields: dict) -> str:
    return hashlib.sha256((prev_hash + _canon(fields)).encode()).hexdigest()


_HASHED = ("decision_id", "timestamp", "agency", "request_kind", "law_version", "outcomes", "citations", "input_hash")


@dataclass
class ChainReport:
    ok: bool
    entries: int
    first_bad: int | None = None
    problem: str | None = None
    head: str = GENESIS

    def as_dict(self) -> dict:
        return {"ok": self.ok, "entries": self.entries, "first_bad": self.first_bad, "problem": self.problem,
                "head": self.head}


class Recorded:
    """What ``record`` hands back at once: the id and time of a decision queued for the log."""

    __slots__ = ("decision_id", "timestamp")

    def __init__(self, decision_id: str, timestamp: str):
        self.decision_id, self.timestamp = decision_id, timestamp


class LogUnavailable(RuntimeError):
    """The writer could not store queued entries in time (the database is unreachable or locked)."""


_STOP = object()
_COLUMNS = (*_HASHED, "prev_hash", "hash")
_INSERT = (f"INSERT INTO decision_log ({', '.join(_COLUMNS)}) "
           f"VALUES ({', '.join(':' + c for c in _COLUMNS)})")


class DecisionLog:
    """Append-only hash-chained log in any SQLAlchemy database (SQLite by default).

    ``record`` is cheap: it fixes the entry's id, time and input hash and queues it. One background
    thread takes the queue in order, chains each entry to the one before (reading the head inside the
    same transaction) and commits in small batches. Readers (``entries``, ``get``, ``verify``) first
    wait until everything recorded before the call is stored, and ``close`` stores the rest.
    """

    def __init__(self, url: str | None = None, batch: int = 128, linger: float = 0.004):
        url = url or default_url()
        kwargs: dict = {}
        self._memory = url in ("sqlite://", "sqlite:///:memory:")
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
            if self._memory:
                kwargs["poolclass"] = StaticPool
        self.engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._batch, self._linger = batch, linger
        self._sqlite = url.startswith("sqlite")
        self._raw: Any = None  # the writer's own DBAPI connection (SQLite)
        self._queue: queue.SimpleQueue = queue.SimpleQueue()
        self._cond = threading.Condition()
        self._db_lock = threading.Lock() if self._memory else contextlib.nullcontext()
        self._submitted = 0  # entries queued so far
        self._written = 0  # entries committed so far (always a prefix of the queue's order)
        self._thread: threading.Thread | None = None
        self._closed = False
        self._error: str | None = None

    # -- writing ------------------------------------------------------------------------------

    def record(self, case: Case, decision: Decision) -> Recorded:
        """Queue one decision; its hash is chained in the order of the calls."""
        outcomes = {a: r.outcome.value for a, r in decision.actions.items()}
        cites: list[str] = []
        for r in decision.actions.values():
            cites += [c for c in r.citations if c not in cites]
        fields = {
            "decision_id": str(uuid.uuid4()),
            "timestamp": "",
            "agency": case.agency.value,
            "request_kind": case.request.kind.value,
            "law_version": decision.law.version,
            "outcomes": _canon(outcomes),
            "citations": _canon(cites),
            "input_hash": hashlib.sha256(_canon(masked_input(case)).encode()).hexdigest(),
        }
        with self._cond:
            fields["timestamp"] = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
            if self._closed:
                self._write([fields])
                self._submitted += 1
                self._written += 1
                return Recorded(fields["decision_id"], fields["timestamp"])
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="detainerlaw-log-writer", daemon=True)
                self._thread.start()
                atexit.register(self.close)
            self._submitted += 1
            self._queue.put(fields)
        return Recorded(fields["decision_id"], fields["timestamp"])

    def _run(self) -> None:
        stop = False
        while not stop:
            item = self._queue.get()
            batch: list[dict] = []
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
                self._write_retrying(batch)
                with self._cond:
                    self._written += len(batch)
                    self._cond.notify_all()

    def _write_retrying(self, batch: list[dict]) -> None:
        delay = 0.01
        while True:
            try:
                self._write(batch)
                self._error = None
                return
            except Exception as e:  # noqa: BLE001 - keep the entries and try again; nothing is dropped
                self._error = f"{type(e).__name__}: {e}"
                log.warning("decision log: write failed (%s); retrying in %.2f s", self._error, delay)
                time.sleep(delay)
                delay = min(1.0, delay * 2)

    def _write(self, batch: list[dict]) -> None:
        if self._sqlite:
            self._write_sqlite(batch)
            return
        with self._db_lock, self.engine.begin() as conn:
            head = conn.execute(select(LogEntry.hash).order_by(LogEntry.seq.desc()).limit(1)).scalar() or GENESIS
            conn.execute(insert(LogEntry), self._chain(head, batch))

    @staticmethod
    def _chain(head: str, batch: list[dict]) -> list[dict]:
        rows = []
        for f in batch:
            h = row_hash(head, f)
            rows.append({**f, "prev_hash": head, "hash": h})
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
                row = conn.execute("SELECT hash FROM decision_log ORDER BY seq DESC LIMIT 1").fetchone()
                conn.executemany(_INSERT, self._chain(row[0] if row else GENESIS, batch))
                conn.commit()
            except Exception:
                with contextlib.suppress(Exception):
                    conn.rollback()
                with contextlib.suppress(Exception):
                    self._raw.invalidate()
                self._raw = None
                raise

    def flush(self, timeout: float = 30.0) -> None:
        """Return once every entry recorded before this call is committed."""
        with self._cond:
            target = self._submitted
            if not self._cond.wait_for(lambda: self._written >= target, timeout):
                raise LogUnavailable(f"the decision log could not store {target - self._written} queued "
                                     f"entries within {timeout:g} s ({self._error or 'writer busy'})")

    def close(self) -> None:
        """Store everything queued and stop the writer; later records are written at once."""
        with self._cond:
            if self._closed:
                return
            self._closed = True
            thread = self._thread
            if thread is not None:
                self._queue.put(_STOP)
        if thread is not None:
            thread.join()
            atexit.unregister(self.close)
        with self._db_lock:
            if self._raw is not None:
                self._raw.close()
                self._raw = None

    # -- reading ------------------------------------------------------------------------------

    def entries(self, limit: int = 100, offset: int = 0) -> list[dict]:
        self.flush()
        with self._db_lock, self._session() as s:
            rows = s.scalars(select(LogEntry).order_by(LogEntry.seq).offset(offset).limit(limit)).all()
            return [r.as_dict() for r in rows]

    def get(self, decision_id: str) -> dict | None:
        self.flush()
        with self._db_lock, self._session() as s:
            row = s.scalars(select(LogEntry).where(LogEntry.decision_id == decision_id)).first()
            return row.as_dict() if row else None

    def verify(self) -> ChainReport:
        """Recompute every hash in order; the first row that does not chain is reported."""
        self.flush()
        prev = GENESIS
        n = 0
        with self._db_lock, self._session() as s:
            for row in s.scalars(select(LogEntry).order_by(LogEntry.seq)).yield_per(1000):
                n += 1
                if row.prev_hash != prev:
                    return ChainReport(False, n, row.seq, "previous hash does not match (a row removed or reordered)")
                fields = {k: getattr(row, k) for k in _HASHED}
                if row_hash(prev, fields) != row.hash:
                    return ChainReport(False, n, row.seq, "row hash does not match its contents (the row was altered)")
                prev = row.hash
        return ChainReport(True, n, head=prev)

    def session(self) -> Session:
        self.flush()
        return self._session()


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.close()

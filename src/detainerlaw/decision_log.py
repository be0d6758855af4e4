"""A tamper-evident decision log: one row per decision, each row hashing the one before.

Stores the minimum: no names, no criminal history, only counts of the record and a hash
of the masked input, the law version, the outcomes and the citations (in the manner of
an OPA decision log). ``verify()`` recomputes the chain and reports the first broken row.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
import uuid
from dataclasses import dataclass

from sqlalchemy import Integer, String, Text, create_engine, event, select
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, sessionmaker
from sqlalchemy.pool import StaticPool

from detainerlaw.models.case import Case
from detainerlaw.models.decision import Decision

GENESIS = "0" * 64
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


class DecisionLog:
    """Append-only hash-chained log in any SQLAlchemy database (SQLite by default)."""

    def __init__(self, url: str | None = None):
        url = url or default_url()
        kwargs: dict = {}
        if url.startswith("sqlite"):
            kwargs["connect_args"] = {"check_same_thread": False}
            if url in ("sqlite://", "sqlite:///:memory:"):
                kwargs["poolclass"] = StaticPool
        self.engine = create_engine(url, **kwargs)
        if url.startswith("sqlite"):
            event.listen(self.engine, "connect", _sqlite_pragmas)
        Base.metadata.create_all(self.engine)
        self._session = sessionmaker(self.engine, expire_on_commit=False)
        self._lock = threading.Lock()

    def record(self, case: Case, decision: Decision) -> LogEntry:
        outcomes = {a: r.outcome.value for a, r in decision.actions.items()}
        cites: list[str] = []
        for r in decision.actions.values():
            cites += [c for c in r.citations if c not in cites]
        fields = {
            "decision_id": str(uuid.uuid4()),
            "timestamp": dt.datetime.now(dt.UTC).isoformat(timespec="microseconds"),
            "agency": case.agency.value,
            "request_kind": case.request.kind.value,
            "law_version": decision.law.version,
            "outcomes": _canon(outcomes),
            "citations": _canon(cites),
            "input_hash": hashlib.sha256(_canon(masked_input(case)).encode()).hexdigest(),
        }
        with self._lock, self._session() as s, s.begin():
            last = s.scalars(select(LogEntry).order_by(LogEntry.seq.desc()).limit(1)).first()
            prev = last.hash if last else GENESIS
            entry = LogEntry(**fields, prev_hash=prev, hash=row_hash(prev, fields))
            s.add(entry)
        return entry

    def entries(self, limit: int = 100, offset: int = 0) -> list[dict]:
        with self._session() as s:
            rows = s.scalars(select(LogEntry).order_by(LogEntry.seq).offset(offset).limit(limit)).all()
            return [r.as_dict() for r in rows]

    def get(self, decision_id: str) -> dict | None:
        with self._session() as s:
            row = s.scalars(select(LogEntry).where(LogEntry.decision_id == decision_id)).first()
            return row.as_dict() if row else None

    def verify(self) -> ChainReport:
        """Recompute every hash in order; the first row that does not chain is reported."""
        prev = GENESIS
        n = 0
        with self._session() as s:
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
        return self._session()


def _sqlite_pragmas(dbapi_conn: object, _record: object) -> None:
    cur = dbapi_conn.cursor()  # type: ignore[attr-defined]
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()

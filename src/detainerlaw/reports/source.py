"""Reading decision-log entries for a report, without changing the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session

from detainerlaw.decision_log import DecisionLog, LogEntry


class LogSourceError(ValueError):
    """The database is missing, unreadable or holds no decision log."""


def read_log(url: str, agency: str | None = None) -> tuple[list[dict], dict]:
    """The log's entries (oldest first, optionally one agency's) and its chain check (``ChainReport.as_dict``)."""
    try:
        u = make_url(url)
    except ArgumentError as e:
        raise LogSourceError(f"{url!r} is not a database URL ({e})") from None
    if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:"):
        if not Path(u.database).is_file():
            raise LogSourceError(f"{u.database}: no such database file")
    try:
        engine = create_engine(u)
        try:
            if "decision_log" not in inspect(engine).get_table_names():
                raise LogSourceError(f"{url}: holds no decision log")
            with Session(engine) as s:
                q = select(LogEntry).order_by(LogEntry.seq)
                if agency is not None:
                    q = q.where(LogEntry.agency == agency)
                entries = [r.as_dict() for r in s.scalars(q)]
        finally:
            engine.dispose()
        log = DecisionLog(url)
        try:
            chain = log.verify().as_dict()
        finally:
            log.close()
            log.engine.dispose()
    except (SQLAlchemyError, ImportError) as e:
        raise LogSourceError(f"{url}: cannot read the decision log ({type(e).__name__})") from None
    return entries, chain

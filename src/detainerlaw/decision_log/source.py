"""Reading decision-log entries for a report, without changing the database."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError

from detainerlaw.decision_log import DecisionLog, LogKeyError


class LogSourceError(ValueError):
    """The database is missing, unreadable or holds no decision log, or the log's key cannot be found."""


def read_log(url: str, agency: str | None = None) -> tuple[list[dict], dict]:
    """The log's entries (oldest first, optionally one agency's) and its chain check (``ChainReport.as_dict``).

    The log is opened read-only: no table, key or checkpoint is created, so a dropped table is reported
    by the check (its signed checkpoints remain), not silently replaced by an empty one."""
    try:
        u = make_url(url)
    except ArgumentError as e:
        raise LogSourceError(f"{url!r} is not a database URL ({e})") from None
    if u.get_backend_name() == "sqlite" and u.database not in (None, "", ":memory:"):
        if not Path(u.database).is_file():
            raise LogSourceError(f"{u.database}: no such database file")
    log = None
    try:
        log = DecisionLog(url, readonly=True)
        if not log.has_table() and not log.has_checkpoints():
            raise LogSourceError(f"{url}: holds no decision log")
        chain = log.verify().as_dict()
        entries = log.all_entries(agency) if log.has_table() else []
    except LogKeyError as e:
        raise LogSourceError(f"{url}: {e}") from None
    except (SQLAlchemyError, ImportError) as e:
        raise LogSourceError(f"{url}: cannot read the decision log ({type(e).__name__})") from None
    finally:
        if log is not None:
            log.engine.dispose()
    return entries, chain

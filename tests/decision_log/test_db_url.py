"""A database URL the log cannot open is one message naming DETAINERLAW_DB (the password masked),
never a traceback: ``serve`` exits 2 with it."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from detainerlaw.decision_log import DecisionLog, LogKeyError
from detainerlaw.interfaces.cli import app


@pytest.mark.parametrize(("url", "says"), [
    ("/tmp/not-a-url.db", "is not a database URL"),
    ("postgresql+nosuchdriver://u:secret@db.example/log", "is not a database URL"),
    ("sqlite:////nonexistent-dir/sub/log.db", "cannot open the database"),
])
def test_an_unusable_url_is_named(url: str, says: str) -> None:
    with pytest.raises(LogKeyError) as e:
        DecisionLog(url)
    assert str(e.value).startswith("DETAINERLAW_DB: ") and says in str(e.value)
    assert "secret" not in str(e.value)


def test_serve_refuses_it_with_exit_2(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DETAINERLAW_DB", "postgresql+nosuchdriver://u:secret@db.example/log")
    r = CliRunner().invoke(app, ["serve", "--port", "8799"])
    assert r.exit_code == 2
    assert "DETAINERLAW_DB" in r.output and "secret" not in r.output and "Traceback" not in r.output


@pytest.mark.parametrize(("url", "shown"), [
    ("postgresql://alice:p@ssW0rd@db.example:5432/log", "postgresql://alice:***@db.example:5432/log"),
    ("sqlite:///x.db?mode=ro&password=QueryPass", "sqlite:///x.db?mode=ro&password=***"),
    ("postgresql://u:pw@h/db?sslkey=/k/key.pem&application_name=x", "postgresql://u:***@h/db?sslkey=***&application_name=x"),
    ("postgresql://bob@h/db", "postgresql://bob@h/db"),
])
def test_a_password_is_masked_wherever_the_url_holds_it(url: str, shown: str) -> None:
    from detainerlaw.decision_log.store import shown_url

    assert shown_url(url) == shown

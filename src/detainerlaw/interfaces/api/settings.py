"""Settings of the web app, from arguments or the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

from detainerlaw.decision_log import default_url

ROLES = ("staff", "auditor")
LOOPBACK = frozenset({"127.0.0.1", "::1", "localhost", "testclient"})


def _tokens_from_env() -> dict[str, str]:
    """``DETAINERLAW_TOKENS="tok1:staff,tok2:auditor"``."""
    out: dict[str, str] = {}
    for item in os.environ.get("DETAINERLAW_TOKENS", "").split(","):
        tok, _, role = item.strip().partition(":")
        if tok and role in ROLES:
            out[tok] = role
    return out


DEFAULT_HOSTS = ("localhost", "127.0.0.1", "::1", "testserver", "testclient")


def _hosts_from_env() -> tuple[str, ...]:
    """``DETAINERLAW_ALLOWED_HOSTS="laws.example.org,localhost"`` (``*`` allows any Host header)."""
    raw = os.environ.get("DETAINERLAW_ALLOWED_HOSTS", "")
    hosts = tuple(h.strip().lower() for h in raw.split(",") if h.strip())
    return hosts or DEFAULT_HOSTS


@dataclass
class Settings:
    db_url: str = field(default_factory=default_url)
    tokens: dict[str, str] = field(default_factory=_tokens_from_env)  # token -> "staff" | "auditor"
    max_body_bytes: int = 1_000_000
    max_upload_bytes: int = 20_000_000  # population files for the reform lab
    max_batch: int = 500
    max_population: int = 200_000
    # "localhost": /decide is open to loopback clients and needs a token otherwise; "open"; "token".
    decide_access: str = field(default_factory=lambda: os.environ.get("DETAINERLAW_DECIDE_ACCESS", "localhost"))
    log_decisions: bool = True
    # Host headers answered (DNS rebinding); "*" answers any. Others get 400.
    allowed_hosts: tuple[str, ...] = field(default_factory=_hosts_from_env)
    # Uploaded populations: decoded size, records in one case's list, columns, populations held at once.
    max_decoded_bytes: int = 256_000_000
    max_list_length: int = 1000
    max_upload_columns: int = 200
    upload_jobs: int = 2

"""Ctrl-C stops ``detainerlaw serve`` quietly: the signal reaches the server and its solver workers (the
terminal's process group), the server stores what it queued and exits 0, and nothing prints a traceback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

CLAIM = {"claims": [{"id": "a", "kind": "exists", "as_of": "2016-01-01",
                     "given": {"agency": "doc", "request": {"kind": "detainer"}}, "then": {"hold": "permitted"}}]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_ctrl_c_stops_the_server_and_its_workers_quietly(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "DETAINERLAW_DB": f"sqlite:///{tmp_path / 'log.db'}"}
    err = open(tmp_path / "err.txt", "wb")  # noqa: SIM115 - closed below
    proc = subprocess.Popen([sys.executable, "-m", "detainerlaw.interfaces.cli", "serve", "--port", str(port)],
                            env=env, stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(120):
            try:
                if httpx.get(f"{url}/healthz").status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.25)
        assert httpx.post(f"{url}/api/v1/verify", json=CLAIM, timeout=60).status_code == 200  # workers started
        os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C in a terminal does
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        err.close()
    assert "Traceback" not in (tmp_path / "err.txt").read_text()

"""A decision id the server hands out is a decision the log keeps, even if the server is killed (kill -9)
in the middle of a burst: the id is sent only after its entry is committed."""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from importlib.resources import files
from pathlib import Path

import pytest

from detainerlaw.decision_log import DecisionLog

SERVER = ("import sys; from detainerlaw.interfaces.commands.serve import serve_cmd; "
          "serve_cmd('127.0.0.1', int(sys.argv[1]))")
WORKERS = 48
MAX_REQUESTS = 6000  # per trial: bounded traffic
BURST_SECONDS = 4.0


def _port() -> int:
    """A free port in the range kept for this project's local servers."""
    ports = list(range(18110, 18120))
    random.shuffle(ports)
    for p in ports:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", p))
            except OSError:
                continue
            return p
    pytest.skip("no free port in 18110-18119")


def _request() -> bytes:
    case = json.loads(files("detainerlaw").joinpath("data/examples/ex01-doc-2012-any-conviction.json").read_text())
    body = json.dumps(case["case"]).encode()
    return (b"POST /api/v1/decide?explain=false HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            b"Content-Length: %d\r\n\r\n" % len(body)) + body


def _wait_up(port: int, proc: subprocess.Popen, deadline: float) -> None:
    while time.time() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), timeout=0.5) as s:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            if s.recv(64).startswith(b"HTTP/1.1 200"):
                return
        time.sleep(0.1)
    raise AssertionError("server did not start")


async def _burst(port: int, pid: int, kill_after: int) -> list[str]:
    """WORKERS keep-alive connections posting decisions; the server is killed once ``kill_after`` ids are in."""
    raw = _request()
    acked: list[str] = []
    sent = 0
    killed = asyncio.Event()

    async def worker() -> None:
        nonlocal sent
        try:
            reader, writer = await asyncio.open_connection("127.0.0.1", port)
        except OSError:
            return
        try:
            while not killed.is_set() and sent < MAX_REQUESTS:
                sent += 1
                writer.write(raw)
                head = await reader.readuntil(b"\r\n\r\n")
                length, did = 0, None
                for line in head.split(b"\r\n")[1:]:
                    k, _, v = line.partition(b":")
                    k = k.strip().lower()
                    if k == b"content-length":
                        length = int(v)
                    elif k == b"x-decision-id":
                        did = v.strip().decode()
                await reader.readexactly(length)
                if head.startswith(b"HTTP/1.1 200") and did:
                    acked.append(did)  # the whole response arrived: the client holds this id
                    if len(acked) >= kill_after and not killed.is_set():
                        os.kill(pid, signal.SIGKILL)
                        killed.set()
        except (OSError, asyncio.IncompleteReadError, ValueError):
            pass
        finally:
            writer.close()

    async def deadline() -> None:
        await asyncio.sleep(BURST_SECONDS)
        if not killed.is_set():
            os.kill(pid, signal.SIGKILL)
            killed.set()

    timer = asyncio.create_task(deadline())
    await asyncio.gather(*(worker() for _ in range(WORKERS)))
    timer.cancel()
    return acked


@pytest.mark.slow
@pytest.mark.parametrize("trial", range(3))
def test_acknowledged_decisions_survive_kill_9(tmp_path: Path, trial: int) -> None:
    db = tmp_path / "crash.db"
    url = f"sqlite:///{db}"
    port = _port()
    env = {**os.environ, "DETAINERLAW_DB": url, "DETAINERLAW_DECIDE_ACCESS": "localhost"}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.PIPE)
    try:
        _wait_up(port, proc, time.time() + 30)
        burst = _burst(port, proc.pid, kill_after=random.Random(trial).randint(300, 1500))
        with ThreadPoolExecutor(1) as own_loop:  # a loop of its own: another test's loop may run on this thread
            acked = own_loop.submit(asyncio.run, burst).result()
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(10)
    assert proc.returncode == -signal.SIGKILL, "the server was to be killed mid-burst"
    assert len(acked) >= 100, f"only {len(acked)} decisions acknowledged before the kill"
    with contextlib.closing(sqlite3.connect(db)) as conn:
        stored = {r[0] for r in conn.execute("SELECT decision_id FROM decision_log")}
    lost = [d for d in acked if d not in stored]
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged decisions are missing from the log"
    log = DecisionLog(url)
    try:
        rep = log.verify()
    finally:
        log.close()
        log.engine.dispose()
    assert rep.ok, rep.as_dict()
    assert rep.entries >= len(acked) and rep.checkpointed >= len(acked)  # signed before acknowledged

"""A real server under concurrent solver traffic: Z3 work must never take the process down.

Z3's global context is not thread-safe; solver jobs therefore run in a worker process pool. This fires
concurrent claim checks and law diffs at a uvicorn subprocess and requires that every answer is a result
(200) or a clear "busy" (503 with Retry-After), and that the server still answers afterwards. A client told
to retry does so once, after the time Retry-After names."""

from __future__ import annotations

import datetime as dt
import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx
import pytest

pytest.importorskip("detainerlaw.claims")
pytestmark = pytest.mark.slow

PORTS = range(18102, 18110)
N_VERIFY = 16
N_DIFF = 16


def _free_port() -> int:
    for port in PORTS:
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    pytest.skip("no free port in 18102-18109")


@pytest.fixture
def server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen]]:
    port = _free_port()
    env = {**os.environ, "DETAINERLAW_DB": f"sqlite:///{tmp_path / 'log.db'}"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--factory", "detainerlaw.interfaces.server:create_app",
         "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning", "--no-access-log"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(tmp_path / "server.err", "wb"),  # noqa: SIM115
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            if proc.poll() is not None:
                pytest.fail(f"the server exited at start: {(tmp_path / 'server.err').read_text()[-2000:]}")
            try:
                if httpx.get(f"{base}/healthz", timeout=2).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("the server did not start within 30 s")
        yield base, proc
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)


def _claim() -> dict:
    from detainerlaw.claims import bundled_claims

    c = dict(bundled_claims()["claims"][0])
    return {k: (v.isoformat() if isinstance(v, dt.date) else v) for k, v in c.items()}


def test_concurrent_verify_and_diff_keep_the_server_alive(server: tuple[str, subprocess.Popen]) -> None:
    base, proc = server
    claim = _claim()
    day0 = dt.date(2014, 12, 13)

    def call(kind: str, send: Callable[[], httpx.Response]) -> list[tuple[str, int | str, str | None]]:
        """Send; on a 503, wait as told by Retry-After and send once more. Every answer is recorded."""
        out: list[tuple[str, int | str, str | None]] = []
        for _ in range(2):
            try:
                r = send()
            except httpx.TransportError as e:
                out.append((kind, type(e).__name__, None))
                break
            out.append((kind, r.status_code, r.headers.get("Retry-After")))
            if r.status_code != 503 or not (r.headers.get("Retry-After") or "").isdigit():
                break
            time.sleep(int(r.headers["Retry-After"]))
        return out

    def verify(_: int) -> list[tuple[str, int | str, str | None]]:
        return call("verify", lambda: httpx.post(f"{base}/api/v1/verify", json={"claims": [claim]}, timeout=90))

    def diff(i: int) -> list[tuple[str, int | str, str | None]]:
        d1 = day0 + dt.timedelta(days=i)
        d2 = d1 + dt.timedelta(days=1 + i)
        return call("diff", lambda: httpx.get(f"{base}/api/v1/law/diff", timeout=90,
                                              params={"date1": d1.isoformat(), "date2": d2.isoformat()}))

    # Warm up first (imports, the law pack, one worker): the burst then measures the queue, not start-up.
    assert verify(0)[-1][1] == 200 and diff(N_DIFF)[-1][1] == 200
    t0 = time.monotonic()
    with ThreadPoolExecutor(N_VERIFY + N_DIFF) as ex:
        futures = [ex.submit(job, i) for i in range(max(N_VERIFY, N_DIFF)) for job, n in ((verify, N_VERIFY),
                   (diff, N_DIFF)) if i < n]  # interleaved, so both kinds reach the queue
        answers = [a for f in futures for a in f.result()]
    seconds = time.monotonic() - t0
    counts: dict[tuple[str, int | str], int] = {}
    for kind, status, _ in answers:
        counts[kind, status] = counts.get((kind, status), 0) + 1
    print(f"\n{seconds:.1f} s; answers: {sorted(counts.items(), key=str)}")

    assert proc.poll() is None, f"the server died (exit code {proc.returncode}); answers: {counts}"
    assert httpx.get(f"{base}/healthz", timeout=10).status_code == 200
    assert all(status in (200, 503) for _, status, _ in answers), counts
    assert all(retry for _, status, retry in answers if status == 503), "a 503 without Retry-After"
    assert counts.get(("verify", 200)) and counts.get(("diff", 200)), f"no request was served: {counts}"
    assert seconds < 60


def _workers_of(pid: int) -> list[int]:
    """Processes started for the solver of the server ``pid`` (they carry its pid in their environment)."""
    mark = f"DETAINERLAW_SOLVER_SERVER_PID={pid}".encode()
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit() and int(entry.name) != pid:
            try:
                if mark in (entry / "environ").read_bytes().split(b"\0"):
                    found.append(int(entry.name))
            except OSError:
                continue
    return found


@pytest.mark.skipif(not Path("/proc/self/environ").exists(), reason="needs /proc")
@pytest.mark.parametrize("how", ["terminate", "kill"])
def test_no_solver_worker_outlives_the_server(server: tuple[str, subprocess.Popen], how: str) -> None:
    """A server stopped by SIGTERM or killed by SIGKILL leaves no solver process behind."""
    base, proc = server
    r = httpx.post(f"{base}/api/v1/verify", json={"claims": [_claim()]}, timeout=60)
    assert r.status_code == 200, r.text
    assert _workers_of(proc.pid), "the claim ran in a worker process"
    getattr(proc, how)()
    proc.wait(15)
    deadline = time.time() + 10
    while _workers_of(proc.pid) and time.time() < deadline:
        time.sleep(0.5)
    assert not _workers_of(proc.pid)

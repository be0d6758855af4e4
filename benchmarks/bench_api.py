"""/api/v1/decide under fixed request rates: throughput and latency percentiles.

Starts the app with uvicorn in a second process on 127.0.0.1 (decision log on a temporary
SQLite file), then sends requests open-loop at each rate (requests start on schedule whether
or not earlier ones have finished) for a bounded count and time.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from importlib.resources import files

import httpx

RATES = (50, 100, 200)
SECONDS = 4.0  # per rate
MAX_REQUESTS = 800
GOAL_RATE, GOAL_P99_MS = 200, 20.0
SERVER = """
import sys
from detainerlaw.interfaces.server import Settings, create_app
from detainerlaw.interfaces.commands.serve import run
run(create_app(Settings(db_url=sys.argv[1])), "127.0.0.1", int(sys.argv[2]))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cases() -> list[dict]:
    root = files("detainerlaw").joinpath("data/examples")
    return [json.loads(p.read_text())["case"] for p in sorted(root.iterdir(), key=lambda p: p.name)
            if p.name.endswith(".json")]


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(q * len(xs)))] if xs else float("nan")


class Pool:
    """Keep-alive HTTP/1.1 connections on raw asyncio streams: a client light enough that the figures
    are the server's (an httpx AsyncClient spends a few milliseconds of CPU per request itself)."""

    def __init__(self, port: int, size: int):
        self.port, self.size, self.idle, self.open = port, size, [], 0
        self.freed = asyncio.Condition()

    async def get(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        async with self.freed:
            while not self.idle and self.open >= self.size:
                await self.freed.wait()
            if self.idle:
                return self.idle.pop()
            self.open += 1
        return await asyncio.open_connection("127.0.0.1", self.port)

    async def put(self, conn: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
        async with self.freed:
            if conn is None:
                self.open -= 1
            else:
                self.idle.append(conn)
            self.freed.notify()

    async def close(self) -> None:
        for _, w in self.idle:
            w.close()

    async def post(self, raw: bytes) -> int:
        conn = await self.get()
        try:
            reader, writer = conn
            writer.write(raw)
            head = await reader.readuntil(b"\r\n\r\n")
            status = int(head[9:12])
            length = 0
            for line in head.split(b"\r\n")[1:]:
                k, _, v = line.partition(b":")
                if k.strip().lower() == b"content-length":
                    length = int(v)
            await reader.readexactly(length)
        except BaseException:
            conn[1].close()
            await self.put(None)
            raise
        await self.put(conn)
        return status


def request_bytes(payload: dict, path: str) -> bytes:
    body = json.dumps(payload).encode()
    return (f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


async def run_rate(port: int, rate: int, payloads: list[dict], seconds: float = SECONDS,
                   max_requests: int = MAX_REQUESTS) -> dict:
    """Open loop: request i is due at t0 + i/rate; its latency runs from when it was due to the last byte
    of the response, so a client or server falling behind shows in the figures."""
    n = min(max_requests, int(rate * seconds))
    raws = [request_bytes(p, "/api/v1/decide?explain=false") for p in payloads]
    lat: list[float] = []
    errors = 0
    pool = Pool(port, 256)

    async def one(i: int, at: float) -> None:
        nonlocal errors
        await asyncio.sleep(max(0.0, at - time.perf_counter()))
        try:
            status = await asyncio.wait_for(pool.post(raws[i % len(raws)]), 30)
        except (TimeoutError, OSError, asyncio.IncompleteReadError, ValueError):
            status = 0
        lat.append(time.perf_counter() - at)
        errors += status != 200

    t0 = time.perf_counter() + 0.05
    await asyncio.gather(*(one(i, t0 + i / rate) for i in range(n)))
    wall = time.perf_counter() - t0
    await pool.close()
    return {"rate": rate, "requests": n, "errors": errors, "throughput": n / wall,
            "p50": pct(lat, 0.50) * 1000, "p95": pct(lat, 0.95) * 1000, "p99": pct(lat, 0.99) * 1000,
            "mean": statistics.fmean(lat) * 1000}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                 epilog="The server's decision log follows DETAINERLAW_LOG_SYNC (normal, the default, "
                                        "or full).")
    ap.add_argument("--rates", default=",".join(map(str, RATES)),
                    help="Comma-separated request rates per second (default %(default)s).")
    ap.add_argument("--seconds", type=float, default=SECONDS, help="Seconds per rate (default %(default)s).")
    ap.add_argument("--max-requests", type=int, default=MAX_REQUESTS,
                    help="At most this many requests per rate (default %(default)s).")
    a = ap.parse_args(argv)
    try:
        a.rates = [int(r) for r in a.rates.split(",") if r.strip()]
    except ValueError:
        ap.error(f"--rates: {a.rates!r} is not a list of whole numbers (e.g. 50,100,200)")
    if not a.rates or min(a.rates) < 1 or a.seconds <= 0 or a.max_requests < 1:
        ap.error("--rates, --seconds and --max-requests must be positive")
    return a


def main() -> None:
    args = parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        db = f"sqlite:///{os.path.join(tmp, 'bench.db')}"
        proc = subprocess.Popen([sys.executable, "-c", SERVER, db, str(port)])
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.time() + 30
            while True:
                try:
                    if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                if time.time() > deadline:
                    raise SystemExit("server did not start")
                time.sleep(0.1)
            payloads = cases()
            goal = ""
            asyncio.run(run_rate(port, 20, payloads))  # warm-up
            sync = os.environ.get("DETAINERLAW_LOG_SYNC", "normal")
            print(f"POST /api/v1/decide (explain=false, decision log on SQLite, synchronous={sync}), "
                  f"{len(payloads)} public cases in turn")
            print(f"{'rate/s':>7} {'sent':>5} {'errors':>6} {'done/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for rate in args.rates:
                r = asyncio.run(run_rate(port, rate, payloads, args.seconds, args.max_requests))
                print(f"{r['rate']:>7} {r['requests']:>5} {r['errors']:>6} {r['throughput']:>8.1f} "
                      f"{r['p50']:>8.2f} {r['p95']:>8.2f} {r['p99']:>8.2f}")
                if rate == GOAL_RATE:
                    met = r["p99"] <= GOAL_P99_MS and r["errors"] == 0
                    goal = (f"goal: p99 <= {GOAL_P99_MS:g} ms at {GOAL_RATE} req/s, no errors: "
                            f"{'met' if met else 'NOT met'}")
            print(goal)
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()

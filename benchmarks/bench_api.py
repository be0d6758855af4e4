"""/api/v1/decide under fixed request rates: throughput and latency percentiles.

Starts the app with uvicorn in a second process on 127.0.0.1 (decision log on a temporary
SQLite file), then sends requests open-loop at each rate (requests start on schedule whether
or not earlier ones have finished) for a bounded count and time.
"""

from __future__ import annotations

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
SERVER = """
import sys, uvicorn
from detainerlaw.api import Settings, create_app
uvicorn.run(create_app(Settings(db_url=sys.argv[1])), host="127.0.0.1", port=int(sys.argv[2]), log_level="warning")
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


async def run_rate(url: str, rate: int, payloads: list[dict]) -> dict:
    n = min(MAX_REQUESTS, int(rate * SECONDS))
    lat: list[float] = []
    errors = 0
    limits = httpx.Limits(max_connections=256, max_keepalive_connections=256)
    async with httpx.AsyncClient(base_url=url, limits=limits, timeout=30) as client:

        async def one(i: int, at: float) -> None:
            nonlocal errors
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            t = time.perf_counter()
            r = await client.post("/api/v1/decide?explain=false", json=payloads[i % len(payloads)])
            lat.append(time.perf_counter() - t)
            errors += r.status_code != 200

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i, t0 + i / rate) for i in range(n)))
        wall = time.perf_counter() - t0
    return {"rate": rate, "requests": n, "errors": errors, "throughput": n / wall,
            "p50": pct(lat, 0.50) * 1000, "p95": pct(lat, 0.95) * 1000, "p99": pct(lat, 0.99) * 1000,
            "mean": statistics.fmean(lat) * 1000}


def main() -> None:
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
            asyncio.run(run_rate(url, 20, payloads))  # warm-up
            print(f"POST /api/v1/decide (explain=false, decision log on SQLite), {len(payloads)} public cases in turn")
            print(f"{'rate/s':>7} {'sent':>5} {'errors':>6} {'done/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
            for rate in RATES:
                r = asyncio.run(run_rate(url, rate, payloads))
                print(f"{r['rate']:>7} {r['requests']:>5} {r['errors']:>6} {r['throughput']:>8.1f} "
                      f"{r['p50']:>8.2f} {r['p95']:>8.2f} {r['p99']:>8.2f}")
        finally:
            proc.terminate()
            proc.wait(10)


if __name__ == "__main__":
    main()

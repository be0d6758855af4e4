"""Solver work (claim checks, law diffs) in worker processes, admitted through a bounded queue.

Z3 keeps one global context per process and it is not thread-safe: two requests solving at once in the
server's threads corrupt it ("invalid substitution", "sort mismatch") and then a native assertion aborts
the whole server. So every Z3 job runs in a worker process, one job per worker at a time. Each worker
is its own single-process executor, so a worker that dies (a native abort) takes down only the job it
was running: that request gets a 503, the worker is replaced on next use, and the server keeps serving.

Admission: at most ``workers`` jobs run and ``waiting`` more wait for a worker; past that, or after
waiting ``wait_s`` without a worker coming free, the answer is 503 with ``Retry-After``. A job that
outlives its hard limit (its own time budget plus a grace period) has its worker killed.
"""

from __future__ import annotations

import concurrent.futures as cf
import logging
import multiprocessing
import os
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures.process import BrokenProcessPool
from typing import Any, NoReturn

from fastapi import HTTPException

log = logging.getLogger("detainerlaw.interfaces.api")

SOLVER_WORKERS = 2  # processes solving at once (the machine this targets has two cores)
SOLVER_WAITING = 6  # admitted jobs waiting for a worker; more are refused at once
RETRY_AFTER_S = 5
GRACE_S = 15.0  # past its own budget, how long a job may run before its worker is killed


def busy(detail: str) -> HTTPException:
    """The 503 every refusal uses: the client should come back after ``Retry-After`` seconds."""
    return HTTPException(503, detail, headers={"Retry-After": str(RETRY_AFTER_S)})


# The server's pid, inherited by the fork server and its workers through the environment.
SERVER_PID = "DETAINERLAW_SOLVER_SERVER_PID"

# --- in the worker process --------------------------------------------------------------------------------

def _warm() -> None:
    """Worker start: load the solver once, and exit when our parent is gone (the server, or the fork
    server that exits with it): an executor's workers otherwise outlive a server that was killed."""
    import signal

    import detainerlaw.claims.engine  # noqa: F401 - the import is the warm-up

    # Ctrl-C reaches every process of the terminal's group: the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    parent = os.getppid()
    server = int(os.environ.get(SERVER_PID, "0") or 0)

    def alive(pid: int) -> bool:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return False
        except PermissionError:
            return True
        return True

    def watch() -> None:
        # the fork server outlives a server killed by a signal: watch the server itself as well
        while os.getppid() == parent and (not server or alive(server)):
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, name="detainerlaw-parent-watch", daemon=True).start()


def verify_job(data: dict, k: int, timeout_ms: int, budget_s: float) -> tuple:
    """Check every claim of ``data`` within ``budget_s`` (from when the worker starts), each within
    ``timeout_ms``: ``("ok", results)``, or ``("claim_error", index, claim_id, message)`` for a claim the
    checker rejects (the server turns it into a 422 naming the field)."""
    from detainerlaw.claims import parse_claims
    from detainerlaw.claims.engine import check_claim

    try:
        claims = parse_claims(data)
    except (ValueError, KeyError, TypeError) as e:
        return ("claim_error", None, None, str(e))
    deadline = time.monotonic() + budget_s
    results = []
    for i, c in enumerate(claims):
        left_ms = int((deadline - time.monotonic()) * 1000)
        if left_ms < 200:
            results.append({"id": c.id, "text": c.text, "kind": c.kind, "verdict": "unknown",
                            "expected": c.expect, "counterexample": None, "cases": [],
                            "expected_matched": None if c.expect is None else c.expect == "unknown",
                            "seconds": 0.0, "bounds": {},
                            "error": f"not checked: the request's time budget ({budget_s:g} s) ran out"})
            continue
        try:
            results.append(check_claim(c, k=k, timeout_ms=min(timeout_ms, left_ms)))
        except (ValueError, KeyError, TypeError) as e:
            return ("claim_error", i, c.id, str(e))
    return ("ok", results)


def diff_job(date1: Any, date2: Any, agency: str, action: str, limit: int, timeout_ms: int) -> tuple:
    """Distinguishing cases between two dates' law: ``("ok", cases)``, ``("no_cases", message)`` (the
    diff is not defined, e.g. an unknown action) or ``("solver", message)`` (the solver gave up)."""
    from detainerlaw.claims import diff_laws

    try:
        return ("ok", diff_laws(date1, date2, agency, action, limit, timeout_ms=timeout_ms))
    except (ValueError, KeyError) as e:
        return ("no_cases", str(e))
    except RuntimeError as e:
        return ("solver", str(e))


def abort_job(*_: Any) -> NoReturn:
    """Test hook: die the way a failed native assertion in Z3 does."""
    os.abort()


def slow_job(seconds: float, job: Callable[..., Any], *args: Any) -> Any:
    """Test hook: hold the worker for ``seconds``, then run ``job``."""
    time.sleep(seconds)
    return job(*args)


# The functions ``run`` sends to a worker, by name; tests replace entries (with module-level functions,
# which pickle by reference) to inject faults.
JOBS: dict[str, Callable[..., Any]] = {"verify": verify_job, "diff": diff_job}


# --- in the server process --------------------------------------------------------------------------------

def _context() -> multiprocessing.context.BaseContext:
    """A fresh interpreter per worker: forking the threaded server could copy a held lock or Z3's state."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


class _Worker:
    """One worker process (started on first use, replaced after a crash or a kill)."""

    def __init__(self) -> None:
        self._ex: cf.ProcessPoolExecutor | None = None

    def submit(self, fn: Callable[..., Any], *args: Any) -> cf.Future:
        for _ in range(2):  # a worker that died while idle shows up here: replace it once
            if self._ex is None:
                os.environ[SERVER_PID] = str(os.getpid())
                self._ex = cf.ProcessPoolExecutor(1, mp_context=_context(), initializer=_warm)
            try:
                return self._ex.submit(fn, *args)
            except BrokenProcessPool:
                self.discard()
        raise BrokenProcessPool("the solver worker could not be started")

    def discard(self, kill: bool = False) -> None:
        ex, self._ex = self._ex, None
        if ex is None:
            return
        if kill:
            for p in list((getattr(ex, "_processes", None) or {}).values()):
                p.kill()
        ex.shutdown(wait=False, cancel_futures=True)


class SolverPool:
    """``workers`` worker processes behind an admission bound of ``workers + waiting`` jobs."""

    def __init__(self, workers: int = SOLVER_WORKERS, waiting: int = SOLVER_WAITING) -> None:
        if workers < 1 or waiting < 0:
            raise ValueError("workers: at least one; waiting: zero or more")
        self.workers, self.waiting = workers, waiting
        self._admit = threading.BoundedSemaphore(workers + waiting)
        self._lock = threading.Lock()
        self._admitted = 0
        self._idle: queue.LifoQueue[_Worker] = queue.LifoQueue()  # the most recently used (warm) one first
        self._all = [_Worker() for _ in range(workers)]
        self._stopping = False  # set by shutdown: a job broken by it is not a crash
        for w in self._all:
            self._idle.put(w)

    def run(self, name: str, *args: Any, wait_s: float, limit_s: float) -> Any:
        """Run ``JOBS[name](*args)`` in a worker and return its result; raise a 503 ``HTTPException`` when
        the queue is full, no worker frees up within ``wait_s``, the worker dies, or the job outlives
        ``limit_s``. An exception the job raises is raised here."""
        what = "claim checker" if name == "verify" else "solver"
        if not self._admit.acquire(blocking=False):
            raise busy(f"the {what} is busy (at most {self.workers} jobs run and {self.waiting} wait); "
                       f"try again in {RETRY_AFTER_S} s")
        with self._lock:
            self._admitted += 1
        try:
            try:
                w = self._idle.get(timeout=max(0.0, wait_s))
            except queue.Empty:
                raise busy(f"the {what} is busy: no solver worker came free within {wait_s:g} s; "
                           f"try again in {RETRY_AFTER_S} s") from None
            try:
                return self._run_on(w, name, what, args, limit_s)
            finally:
                self._idle.put(w)
        finally:
            with self._lock:
                self._admitted -= 1
            self._admit.release()

    @property
    def admitted(self) -> int:
        """Jobs running or waiting now (for health checks and tests)."""
        return self._admitted

    def _run_on(self, w: _Worker, name: str, what: str, args: tuple, limit_s: float) -> Any:
        try:
            fut = w.submit(JOBS[name], *args)
            cf.wait([fut], timeout=limit_s)
            if not fut.done():
                log.error("%s job ran past its %.0f s limit; its worker was stopped", name, limit_s)
                w.discard(kill=True)
                raise busy(f"the {what} ran past its time limit ({limit_s:g} s) and was stopped; "
                           f"try again in {RETRY_AFTER_S} s")
            return fut.result()
        except BrokenProcessPool:
            if self._stopping:  # the server is stopping: its workers were stopped on purpose
                raise busy(f"the server is stopping; try again in {RETRY_AFTER_S} s") from None
            log.error("the %s worker process stopped unexpectedly during a %s job; it will be replaced", what, name)
            w.discard()
            raise busy(f"the {what}'s worker process stopped unexpectedly and has been replaced; "
                       f"try again in {RETRY_AFTER_S} s") from None

    def shutdown(self) -> None:
        self._stopping = True
        for w in self._all:
            w.discard(kill=True)


_pool: SolverPool | None = None
_pool_lock = threading.Lock()


def pool() -> SolverPool:
    """The process-wide pool, made on first use (its workers start when a job first needs them)."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = SolverPool()
        return _pool


def configure(workers: int = SOLVER_WORKERS, waiting: int = SOLVER_WAITING) -> SolverPool:
    """Replace the pool with one of other bounds (stopping the old pool's workers)."""
    global _pool
    with _pool_lock:
        old, _pool = _pool, SolverPool(workers, waiting)
    if old is not None:
        old.shutdown()
    return _pool


def shutdown() -> None:
    """Stop the workers (an app's shutdown); a later job starts new ones."""
    global _pool
    with _pool_lock:
        old, _pool = _pool, None
    if old is not None:
        old.shutdown()


def run(name: str, *args: Any, wait_s: float, limit_s: float) -> Any:
    """``pool().run(...)``: see ``SolverPool.run``."""
    return pool().run(name, *args, wait_s=wait_s, limit_s=limit_s)

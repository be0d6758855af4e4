"""Background jobs (simulations) run in a small thread pool, polled by id."""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

log = logging.getLogger("detainerlaw.interfaces.api.jobs")


@dataclass
class Job:
    id: str
    kind: str
    status: str = "queued"  # queued | running | done | failed
    progress: float = 0.0
    message: str = ""
    result: Any = None
    error: str | None = None
    created: float = field(default_factory=time.time)
    artifacts: dict[str, bytes] = field(default_factory=dict)
    owner: str = "anonymous"  # who started it: only they (see api.access) may read it
    started_by: str = ""  # the route that started it: its access rule also governs reading it

    def as_dict(self) -> dict:
        return {"id": self.id, "kind": self.kind, "status": self.status, "progress": round(self.progress, 4),
                "message": self.message, "result": self.result if self.status == "done" else None,
                "error": self.error}


class JobRunner:
    """Keeps the last ``keep`` jobs in memory."""

    def __init__(self, workers: int = 2, keep: int = 50):
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="detainerlaw-job")
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._keep = keep

    def submit(self, kind: str, fn: Callable[[Job], Any], owner: str = "anonymous", started_by: str = "",
               on_done: Callable[[], None] | None = None) -> Job:
        """Queue ``fn``; ``on_done`` runs when the job ends (done, failed or cancelled at shutdown)."""
        job = Job(id=uuid.uuid4().hex, kind=kind, owner=owner, started_by=started_by)
        with self._lock:
            self._jobs[job.id] = job
            for old in sorted(self._jobs.values(), key=lambda j: j.created)[: max(0, len(self._jobs) - self._keep)]:
                self._jobs.pop(old.id, None)
        future = self._pool.submit(self._run, job, fn)
        if on_done is not None:
            future.add_done_callback(lambda _: on_done())
        return job

    def _run(self, job: Job, fn: Callable[[Job], Any]) -> None:
        job.status = "running"
        try:
            job.result = fn(job)
            job.progress = 1.0
            job.status = "done"
        except ValueError as e:  # bad data: the client is told why (never a traceback), the server logs it
            job.status = "failed"
            job.error = str(e) or type(e).__name__
            log.warning("%s job %s failed: %s", job.kind, job.id, job.error)
        except Exception:  # noqa: BLE001 - a fault: logged with its traceback, the client learns only that it failed
            job.status = "failed"
            job.error = "the job failed; the problem has been logged"
            log.exception("%s job %s failed", job.kind, job.id)

    def get(self, job_id: str) -> Job | None:
        return self._jobs.get(job_id)

    def shutdown(self) -> None:
        self._pool.shutdown(wait=False, cancel_futures=True)

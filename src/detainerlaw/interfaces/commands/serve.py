"""``detainerlaw serve``: the web app and HTTP API on a local address."""

from __future__ import annotations

from typing import Any

import typer

# One process: the decision log's writer thread keeps the hash chain in order, and on a small machine
# a second worker would only compete with it for the same cores. No access log on the hot path;
# uvicorn picks uvloop and httptools when they are installed.
UVICORN_OPTIONS: dict[str, Any] = {
    "log_level": "warning",
    "access_log": False,
    "loop": "auto",
    "http": "auto",
    "backlog": 2048,
    "timeout_keep_alive": 30,
    "timeout_graceful_shutdown": 10,
}


def run(app: Any, host: str, port: int) -> None:
    """Serve ``app`` with the project's uvicorn settings (also used by benchmarks/bench_api.py). Ctrl-C or
    SIGTERM shuts it down gracefully (queued log entries stored, the solver's workers stopped) and quietly:
    uvicorn would raise the signal again once stopped, which prints a traceback for an ordinary stop."""
    import contextlib
    import signal

    import uvicorn

    class Server(uvicorn.Server):
        @contextlib.contextmanager
        def capture_signals(self):  # noqa: ANN202 - uvicorn's context manager, without the re-raise
            old = {sig: signal.signal(sig, self.handle_exit) for sig in (signal.SIGINT, signal.SIGTERM)}
            try:
                yield
            finally:
                for sig, handler in old.items():
                    signal.signal(sig, handler)

    Server(uvicorn.Config(app, host=host, port=port, **UVICORN_OPTIONS)).run()


def serve_cmd(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app with uvicorn; prints the address first."""
    from detainerlaw.decision_log import LogKeyError
    from detainerlaw.decision_log.store import shown_url
    from detainerlaw.interfaces.cli import fail
    from detainerlaw.interfaces.server import Settings, create_app

    settings = Settings()
    try:
        app = create_app(settings)
    except LogKeyError as e:  # the log's key or checkpoints cannot be read: refuse to serve an unanchored log
        fail(f"decision log: {e}")
        return
    print(f"detainerlaw serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
          f"decision log: {shown_url(settings.db_url)})", flush=True)
    run(app, host, port)


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
    ) -> None:
        """Serve the web app and the HTTP API (screener, law timeline, reform lab, claim checker)."""
        serve_cmd(host, port)

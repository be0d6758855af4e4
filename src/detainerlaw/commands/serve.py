"""``detainerlaw serve``: the web app and HTTP API on a local address."""

from __future__ import annotations

import typer


def serve_cmd(host: str = "127.0.0.1", port: int = 8000) -> None:
    """Serve the app with uvicorn; prints the address first."""
    import uvicorn

    from detainerlaw.api import Settings, create_app

    settings = Settings()
    app = create_app(settings)
    print(f"detainerlaw serving on http://{host}:{port}/  (API docs: http://{host}:{port}/docs; "
          f"decision log: {settings.db_url})", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def register(app: typer.Typer) -> None:
    @app.command("serve")
    def serve(
        host: str = typer.Option("127.0.0.1", "--host", help="Address to listen on."),
        port: int = typer.Option(8000, "--port", help="Port to listen on."),
    ) -> None:
        """Serve the web app and the HTTP API (screener, law timeline, reform lab, claim checker)."""
        serve_cmd(host, port)

"""The server: the HTTP API and the web pages in one app, under one access policy. The API and the
pages do not import each other; this module puts them together (``detainerlaw serve`` runs it)."""

from __future__ import annotations

from fastapi import FastAPI

from detainerlaw.interfaces.api import Settings, create_api
from detainerlaw.interfaces.api.access import check_covered
from detainerlaw.interfaces.web.routes import install as install_pages

__all__ = ["Settings", "create_app"]


def create_app(settings: Settings | None = None) -> FastAPI:
    """The API with the pages; refuses to start with a route the access policy does not cover."""
    app = create_api(settings)
    install_pages(app)
    check_covered(app)
    return app

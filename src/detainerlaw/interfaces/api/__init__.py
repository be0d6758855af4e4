"""The HTTP API: ``create_api(settings)`` (the server, ``interfaces.server``, adds the pages)."""

from detainerlaw.interfaces.api.app import create_api
from detainerlaw.interfaces.api.settings import Settings

__all__ = ["Settings", "create_api"]

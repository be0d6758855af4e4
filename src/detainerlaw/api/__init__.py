"""The web app and HTTP API: ``create_app(settings)``."""

from detainerlaw.api.app import create_app
from detainerlaw.api.settings import Settings

__all__ = ["Settings", "create_app"]

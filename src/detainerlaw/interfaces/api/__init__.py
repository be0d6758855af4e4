"""The web app and HTTP API: ``create_app(settings)``."""

from detainerlaw.interfaces.api.app import create_app
from detainerlaw.interfaces.api.settings import Settings

__all__ = ["Settings", "create_app"]

"""The languages the server speaks and how a request chooses one: ``?lang=`` (remembered in a cookie),
else the cookie, else the browser's Accept-Language, else English. Shared by the pages (their catalogs,
``web/i18n``) and the API (the language of a simulation job's report)."""

from __future__ import annotations

from babel import negotiate_locale
from fastapi import Request

LANGUAGES = {"en": "English", "es": "Español"}  # a language is its catalog in web/locale and a line here
DEFAULT = "en"
COOKIE = "lang"


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return asked
    header = request.headers.get("accept-language", "")
    wanted = [part.split(";")[0].strip().split("-")[0].lower() for part in header.split(",")]
    return negotiate_locale([w for w in wanted if w], list(LANGUAGES)) or DEFAULT

"""The pages' languages: gettext catalogs (``locale/<lang>/LC_MESSAGES/messages.po``, read with Babel), chosen
by ``?lang=`` (remembered in a cookie), else the cookie, else the browser's Accept-Language, else English.
A language is added by adding its catalog and a line to ``LANGUAGES``."""

from __future__ import annotations

import gettext
from functools import lru_cache
from io import BytesIO
from pathlib import Path
from typing import Any

from babel import Locale, negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations
from fastapi import FastAPI, Request

LOCALE = Path(__file__).parent / "locale"
LANGUAGES = {"en": "English", "es": "Español"}
DEFAULT = "en"
COOKIE = "lang"


def N_(message: str) -> str:  # noqa: N802 - the gettext convention: marks a message for extraction only
    return message


# The plain-language outcomes, translated where they are shown.
OUTCOMES = {
    "permitted": N_("Permitted: the agency may do this"),
    "prohibited": N_("Prohibited: the agency may not do this"),
    "not_governed": N_("Not governed: no restriction or duty in this law"),
    "required": N_("Required: the agency must do this"),
}


@lru_cache(maxsize=len(LANGUAGES))
def translations(lang: str) -> gettext.NullTranslations:
    """The catalog of ``lang`` (English, the source language, needs none)."""
    po = LOCALE / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as f:
        catalog = read_po(f, locale=Locale.parse(lang))
    buf = BytesIO()
    write_mo(buf, catalog)
    buf.seek(0)
    return Translations(buf)


def language(request: Request) -> str:
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return asked
    header = request.headers.get("accept-language", "")
    wanted = [part.split(";")[0].strip().split("-")[0].lower() for part in header.split(",")]
    return negotiate_locale([w for w in wanted if w], list(LANGUAGES)) or DEFAULT


def context(request: Request) -> dict[str, Any]:
    """What every template gets: ``_`` (gettext), ``lang``, the languages and the outcomes in the page's language."""
    lang = language(request)
    t = translations(lang)
    return {"_": t.gettext, "lang": lang, "LANGUAGES": LANGUAGES,
            "OUTCOMES": {k: t.gettext(v) for k, v in OUTCOMES.items()}}


def install(app: FastAPI) -> None:
    """Remember a language chosen with ``?lang=`` in a cookie."""

    @app.middleware("http")
    async def remember(request: Request, call_next: Any) -> Any:
        response = await call_next(request)
        lang = request.query_params.get("lang")
        if lang in LANGUAGES and request.cookies.get(COOKIE) != lang:
            response.set_cookie(COOKIE, lang, max_age=365 * 86400, samesite="lax")
        return response

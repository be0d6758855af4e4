"""Screenshots of every page in every language, with results shown, into docs/screenshots/ (PNG).

Runs the app on a free local port and drives headless Chromium (Playwright, /usr/bin/chromium by default):

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots] [--chromium /usr/bin/chromium]
"""

from __future__ import annotations

import argparse
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _screener(page) -> None:  # noqa: ANN001
    page.locator("#example").select_option("ex19-nypd-2019-admin-warrant-vsc")
    page.locator("#fill-example").click()
    page.locator("#decide").click()
    page.locator("#decision").wait_for()


def _law(page) -> None:  # noqa: ANN001
    page.locator("#diff").wait_for()


def _lab(page) -> None:  # noqa: ANN001
    page.locator("#output").wait_for(state="visible", timeout=120_000)


def _claims(page) -> None:  # noqa: ANN001
    page.locator("#claim_id").select_option("doc-judicial-warrant-suffices-2024")
    page.locator("#check").click()
    page.locator("[data-verdict]").first.wait_for(timeout=120_000)


PAGES: list[tuple[str, str, Callable | None]] = [
    ("home", "/", None),
    ("screener", "/screener", _screener),
    ("law", "/law?date1=2014-12-13&date2=2014-12-14&agency=doc&action=hold", _law),
    ("lab", "/lab?scenario=baseline&scenario=int-945-2024", _lab),
    ("claims", "/claims", _claims),
    ("api-docs", "/docs", lambda page: page.locator(".opblock").first.wait_for()),
]


def _serve() -> tuple[str, Callable[[], None]]:
    import uvicorn

    from detainerlaw.interfaces.server import Settings, create_app

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    db = Path(tempfile.mkdtemp()) / "log.db"
    server = uvicorn.Server(uvicorn.Config(create_app(Settings(db_url=f"sqlite:///{db}")), host="127.0.0.1",
                                           port=port, log_level="warning"))
    t = threading.Thread(target=server.run, daemon=True)
    t.start()
    while not server.started:
        time.sleep(0.05)

    def stop() -> None:
        server.should_exit = True
        t.join(10)

    return f"http://127.0.0.1:{port}", stop


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots")
    ap.add_argument("--chromium", default="/usr/bin/chromium")
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    from detainerlaw.interfaces.web.i18n import LANGUAGES

    args.out.mkdir(parents=True, exist_ok=True)
    base, stop = _serve()
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=args.chromium, headless=True, args=["--no-sandbox"])
            for lang in LANGUAGES:
                ctx = browser.new_context(viewport={"width": 1280, "height": 900}, locale=lang)
                page = ctx.new_page()
                page.set_default_timeout(30_000)
                for name, path, then in PAGES:
                    page.goto(f"{base}{path}{'&' if '?' in path else '?'}lang={lang}")
                    if then is not None:
                        then(page)
                    target = args.out / f"{name}-{lang}.png"
                    page.screenshot(path=str(target), full_page=True)
                    print(target.relative_to(ROOT) if target.is_relative_to(ROOT) else target)
                ctx.close()
            browser.close()
    finally:
        stop()


if __name__ == "__main__":
    main()

"""English and Spanish pages from gettext catalogs: every message translated, the switch remembered, ``lang`` set."""

from __future__ import annotations

from io import BytesIO
from pathlib import Path

import pytest

from detainerlaw.interfaces.web import i18n

WEB = Path(i18n.__file__).parent


def _extracted() -> set[str]:
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (WEB / "babel.cfg").open() as f:
        method_map, options_map = parse_mapping_cfg(f)
    return {m[2] if isinstance(m[2], str) else m[2][0]
            for m in extract_from_dir(str(WEB), method_map, options_map, keywords={"_": None, "N_": None})}


@pytest.mark.parametrize("lang", [code for code in i18n.LANGUAGES if code != i18n.DEFAULT])
def test_every_message_is_translated(lang: str) -> None:
    from babel.messages.pofile import read_po

    po = (WEB / "locale" / lang / "LC_MESSAGES" / "messages.po").read_bytes()
    catalog = {m.id: m.string for m in read_po(BytesIO(po)) if m.id}
    untranslated = sorted(m for m in _extracted() if not catalog.get(m))
    assert untranslated == [], f"{lang}: run pybabel extract/update (see i18n.py) and translate"


@pytest.mark.browser
def test_language_switch_is_remembered(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/lab")
    assert page.locator("html").get_attribute("lang") == "en"
    page.get_by_role("navigation", name="Language").get_by_role("link", name="Español").click()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("heading", level=1).inner_text() == "Laboratorio de reformas"
    page.get_by_role("link", name="Cronología de la ley").click()  # another page, same language
    assert page.locator("html").get_attribute("lang") == "es"
    page.get_by_role("navigation", name="Idioma").get_by_role("link", name="English").click()
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("link", name="Law timeline").is_visible()


@pytest.mark.browser
def test_outcomes_in_spanish(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/claims?lang=es")
    assert "Prohibido: la agencia no puede hacerlo" in page.locator("#builder").inner_text()


@pytest.mark.browser
def test_lab_results_in_spanish(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/lab?lang=es&scenario=baseline&scenario=int-945-2024&as_of=2024-01-01")
    page.locator("#output").wait_for(state="visible", timeout=90_000)
    assert page.locator("#status-text").inner_text() == "Hecho."
    assert "Aún no vigente el 2024-01-01" in page.locator("#notices").inner_text()
    assert page.locator("#summary thead").inner_text().startswith("Escenario")
    assert "sobre 20,000 casos" in page.locator("#counting").inner_text()

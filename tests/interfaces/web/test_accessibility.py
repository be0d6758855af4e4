"""axe-core in headless Chromium: no serious or critical violation on any page, as first loaded and with results."""

from __future__ import annotations

import importlib.util

import pytest

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(importlib.util.find_spec("axe_playwright_python") is None,
                                 reason="axe-playwright-python (axe-core) is not installed")]


def serious(page) -> list[str]:  # noqa: ANN001
    from axe_playwright_python.sync_playwright import Axe

    found = Axe().run(page).response["violations"]
    return [f"{v['id']} ({v['impact']}): {v['help']} — {[n['target'] for n in v['nodes']][:3]}"
            for v in found if v["impact"] in ("serious", "critical")]


@pytest.mark.parametrize("path", ["/", "/screener", "/law", "/lab", "/claims", "/law?date1=2014-12-13&date2=2014-12-14"
                                  "&agency=doc&action=hold"])
def test_page_has_no_serious_violation(page, base_url: str, path: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}{path}")
    assert serious(page) == []


def test_lab_results_have_no_serious_violation(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/lab?scenario=baseline&scenario=int-945-2024")
    page.locator("#output").wait_for(state="visible", timeout=90_000)
    page.get_by_text("Every count, by agency and by deciding rule").click()
    assert serious(page) == []


def test_claim_results_have_no_serious_violation(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/claims")
    page.get_by_label("A bundled claim").select_option(index=1)
    page.get_by_role("button", name="Check", exact=True).click()
    page.locator("[data-verdict]").first.wait_for(timeout=60_000)
    assert serious(page) == []


@pytest.mark.parametrize("lang", ["en", "es"])
def test_api_docs_have_no_serious_violation(page, base_url: str, lang: str) -> None:  # noqa: ANN001
    """/docs (Swagger UI from the package): as loaded, with an operation open and its "Try it out" form.
    Swagger UI's low-contrast colours are overridden (static/docs.css) and its unnamed controls named
    (static/docs.js); nothing is excluded from the check."""
    page.goto(f"{base_url}/docs?lang={lang}")
    if importlib.util.find_spec("swagger_ui_bundle") is None:  # the page then links the OpenAPI document
        assert serious(page) == []
        return
    page.locator(".opblock").first.wait_for()
    assert serious(page) == []
    page.locator(".opblock-summary-control").first.click()
    page.get_by_role("button", name="Try it out").first.click()
    page.locator(".opblock-body textarea").first.wait_for()
    assert serious(page) == []

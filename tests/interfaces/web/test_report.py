"""The simulation report draws its charts with no network: Vega is embedded when vl-convert is installed."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = pytest.mark.browser


def test_report_charts_render_offline(browser, tmp_path: Path) -> None:  # noqa: ANN001
    pytest.importorskip("vl_convert")
    from detainerlaw.laws.nyc.population.sample import sample_population
    from detainerlaw.simulation import simulate
    from detainerlaw.simulation.report import write_report

    pop = sample_population().sample(300, seed=1)
    write_report(simulate(pop, None, ["baseline", "int-945-2024"]), tmp_path)
    html = (tmp_path / "report.html").read_text()
    assert "cdn.jsdelivr" not in html and "vegaEmbed" in html
    ctx = browser.new_context()
    external: list[str] = []
    ctx.route("**/*", lambda route: (external.append(route.request.url), route.abort())
              if not route.request.url.startswith("file:") else route.continue_())
    page = ctx.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto((tmp_path / "report.html").as_uri())
    page.locator("#chart-share svg, #chart-share canvas").first.wait_for(timeout=20_000)
    assert page.locator("#chart-outcomes svg, #chart-outcomes canvas").count() >= 1
    assert errors == [] and external == []
    ctx.close()

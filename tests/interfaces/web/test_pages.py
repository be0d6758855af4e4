"""End to end in headless Chromium: screener, reform lab, claim checker."""

from __future__ import annotations

import importlib.util
import re

import pytest

pytestmark = pytest.mark.browser


def _have(name: str) -> bool:
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError:
        return False


def test_screener_from_public_example(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/screener")
    page.get_by_label("Public example").select_option("ex19-nypd-2019-admin-warrant-vsc")
    page.get_by_role("button", name="Fill the form").click()
    assert page.locator("select[data-key=agency]").input_value() == "nypd"
    assert page.locator("[data-list='person.convictions'] [data-row]").count() == 1
    page.get_by_role("button", name="Decide").click()
    hold = page.locator("#decision [data-action=hold] .outcome")
    hold.wait_for()
    assert hold.get_attribute("data-outcome") == "prohibited"
    assert "Prohibited" in hold.inner_text()
    assert "§ 14-154" in page.locator("#decision [data-action=hold]").inner_text()
    # what each law says: the state layer's row (Wells v. DeMarco) beside the city's
    layers = page.locator("#decision [data-action=hold] table.layers")
    assert layers.locator("tr[data-layer=ny]").count() == 1 and "Wells" in layers.inner_text()
    page.locator("#decision [data-action=hold] details summary").first.click()
    assert page.locator("#decision [data-action=hold] .tree li").first.is_visible()


def test_screener_fields_have_labels(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/screener")
    page.get_by_label("Public example").select_option("ex19-nypd-2019-admin-warrant-vsc")
    page.get_by_role("button", name="Fill the form").click()
    page.get_by_role("button", name="Add a pending case").click()
    unlabelled = page.evaluate("""() => Array.from(document.querySelectorAll(
        '#screener input, #screener select, #screener textarea')).filter((el) => {
          const label = el.id && document.querySelector(`label[for="${el.id}"]`);
          return !label || !label.contains(el) && !label.textContent.trim();
        }).map((el) => el.outerHTML)""")
    assert unlabelled == []
    ids = page.evaluate("() => Array.from(document.querySelectorAll('#screener [id]')).map((el) => el.id)")
    assert len(ids) == len(set(ids))
    page.locator("label[for=f-decided_at]").click()  # a label click focuses its control
    assert page.evaluate("() => document.activeElement.id") == "f-decided_at"
    page.keyboard.press("Shift+Tab")
    assert page.evaluate("() => document.activeElement.id") == "f-agency"
    row = page.locator("[data-list='person.convictions'] [data-row]").first
    assert row.get_by_label("Statute", exact=True).input_value()


def test_screener_names_the_bad_field(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/screener")
    page.locator("select[data-key=agency]").select_option("doc")
    page.get_by_label("Kind of request").select_option("detainer")
    page.get_by_role("button", name="Decide").click()
    alert = page.get_by_role("alert")
    alert.wait_for()
    assert "decided_at" in alert.inner_text()


def test_law_timeline_diff(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/law")
    page.get_by_label("From", exact=True).fill("2014-12-13")
    page.get_by_label("To", exact=True).fill("2014-12-14")
    page.get_by_role("button", name="Compare").click()
    assert "LL 58/2014" in page.locator("#diff").inner_text()
    first = page.locator("#diff .diff-case").first
    assert "Department of Correction" in first.locator(".facts").inner_text()
    before = first.locator("[data-side=before] .outcome").get_attribute("data-outcome")
    after = first.locator("[data-side=after] .outcome").get_attribute("data-outcome")
    assert before != after


def test_law_events_open_a_diff_in_words(page, base_url: str) -> None:  # noqa: ANN001
    """The events list every layer's dated sources; one click shows what changed, a re-enactment as such."""
    page.goto(f"{base_url}/law")
    events = page.locator("ol.events > li")
    assert events.count() >= 8
    text = page.locator("ol.events").inner_text()
    assert "Wells" in text and "LL 58/2014" in text and "(United States law (statutes and regulations))" in text
    event = page.locator("ol.events > li[data-source='LL 63/2026']").first
    event.get_by_role("link", name="What changed on 2026-01-29").click()
    assert page.locator("#busy").inner_text() != "" or page.url.endswith("#diff")
    page.locator("#diff").wait_for()
    changes = page.locator("#diff ul.changes")
    assert changes.locator("[data-change='re-enacted']").count() >= 1
    assert "re-enacted unchanged by LL 63/2026" in changes.inner_text()
    assert "no longer in force" not in changes.locator("[data-change='re-enacted']").first.inner_text()


@pytest.mark.skipif(not (_have("detainerlaw.simulation") and _have("detainerlaw.scenarios")),
                    reason="detainerlaw.simulation / detainerlaw.scenarios are not installed yet")
def _run_lab(page, base_url: str, query: str = "") -> None:  # noqa: ANN001
    page.goto(f"{base_url}/lab{query}")
    if not query:
        for n in ("baseline", "int-945-2024"):
            page.locator(f"input[name=scenario][value='{n}']").check()
        page.get_by_role("button", name="Run the comparison").click()
    page.locator("#output").wait_for(state="visible", timeout=90_000)


def test_reform_lab_totals_equal_the_cli(page, base_url: str) -> None:  # noqa: ANN001
    """The lab runs the whole bundled population: its totals are simulate()'s, in words and whole numbers."""
    from detainerlaw.laws.nyc.population.sample import sample_population
    from detainerlaw.simulation import simulate

    _run_lab(page, base_url)
    expected = simulate(sample_population(), None, ["baseline", "int-945-2024"]).public_summary()
    shown = page.locator("#summary tbody tr").evaluate_all(
        "rows => rows.map(r => Array.from(r.cells, c => c.textContent))")
    assert len(shown) == expected.height
    for row, want in zip(shown, expected.iter_rows(named=True), strict=True):
        assert row[0] == want["scenario"]
        assert row[2] == f"{want['engaged']:,.0f}"
        assert row[4] == ("fewer than 10" if want["prohibited"] is None else f"{want['prohibited']:,.0f}")
    text = page.locator("#output").inner_text()
    assert not re.search(r"\d\.\d{3,}", text), "no long decimals"
    assert "not_governed" not in text and "no restriction in this law" in text.lower()
    assert "int-945-2024 compared with baseline" in page.locator("#changes").inner_text()
    assert page.locator("#charts img").count() == 3
    assert all(page.locator("#charts img").evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth > 0)"))
    page.get_by_text("Every count, by agency and by deciding rule").click()
    rules = page.locator("#table tbody tr", has_text="By deciding rule").all_inner_texts()
    assert any("§" in r for r in rules)
    assert not [r for r in rules if re.search(r"\bnyc?\.|#\d", r)]  # citations, not internal ids
    # no count below the suppression threshold is shown as a figure
    cells = page.locator("#table tbody td, #summary tbody td").all_text_contents()
    small = [c for c in cells if re.fullmatch(r"[1-9]", c)]
    assert small == []
    # downloads: the CSV and the report
    with page.expect_download() as dl:
        page.get_by_role("link", name="Download the report (HTML with charts)").click()
    assert dl.value.suggested_filename.endswith("-report.html")
    assert page.get_by_role("link", name="Download the table as CSV").get_attribute("href").endswith("table.csv")
    # the page's width holds its content
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_reform_lab_link_reruns_and_says_when_not_in_force(page, base_url: str) -> None:  # noqa: ANN001
    _run_lab(page, base_url, "?scenario=baseline&scenario=int-945-2024&as_of=2024-01-01&layer=nyc")
    assert page.locator("input[value='int-945-2024']").is_checked()
    assert page.locator("#layer").input_value() == "nyc"
    assert "not yet in force on 2024-01-01" in page.locator("#notices").inner_text().lower()
    assert "New York City Administrative Code" in page.locator("#counting").inner_text()
    link = page.get_by_label("Link to this comparison").input_value()
    assert "scenario=int-945-2024" in link and "layer=nyc" in link and "as_of=2024-01-01" in link


def test_reform_lab_bad_link_says_so(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/lab?scenario=no-such-reform")
    assert "unknown scenario(s): no-such-reform" in page.locator("#status-text").inner_text()
    assert page.locator("#output").is_hidden()


FAILING_CLAIM = """\
claims:
  - id: doc-judicial-warrant-suffices-2024
    text: With a judicial warrant, DOC may always honor a detainer.
    kind: forall
    as_of: 2024-02-05
    given:
      agency: doc
      request:
        kind: detainer
        judicial_warrant: true
    then: {hold: permitted}
    expect: fails
"""


def test_failing_claim_shows_counterexample(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/claims")
    page.get_by_label("Or claims as YAML").fill(FAILING_CLAIM)
    page.get_by_role("button", name="Check", exact=True).click()
    verdict = page.locator("[data-claim='doc-judicial-warrant-suffices-2024'] [data-verdict]")
    verdict.wait_for(timeout=60_000)
    assert verdict.get_attribute("data-verdict") == "fails"
    ce = page.locator(".counterexample")
    assert "Counterexample" in ce.inner_text()
    assert "Department of Correction" in ce.locator(".facts").inner_text()
    assert "judicial warrant" in ce.locator(".facts").inner_text()
    hold = ce.locator("[data-action=hold]")
    assert hold.locator(".outcome").get_attribute("data-outcome") in ("prohibited", "not_governed")  # not permitted
    said = hold.locator(".outcome").inner_text()
    assert said.count("Prohibited") + said.count("Not governed") == 1
    why = ce.locator(".why").inner_text()
    assert "the claim says “Permitted" in why and "the law's answer is" in why  # why the case refutes it
    ce.locator("details summary").first.click()
    assert ce.locator(".tree li").first.is_visible()


def test_claim_checker_lists_bundled_claims_on_first_load(page, base_url: str) -> None:  # noqa: ANN001
    """A fresh page load offers the bundled claims and says nothing is unavailable."""
    page.goto(f"{base_url}/claims")
    options = page.locator("select[name=claim_id] option")
    assert options.count() >= 5
    assert "not available" not in page.content()


def test_claim_built_from_the_form(page, base_url: str) -> None:  # noqa: ANN001
    """Who, when, what request, which facts, the outcome claimed: the verdict, the case and why it fails."""
    page.goto(f"{base_url}/claims")
    page.get_by_label("The claim in your words").fill("With a judicial warrant, DOC may always hold")
    page.get_by_label("Under the law of (date)").fill("2024-02-05")
    page.get_by_label("Who acts").select_option("doc")
    page.get_by_label("What request").select_option("detainer")
    assert page.locator("label[for=b_flag_judicial_warrant]").inner_text().startswith("A judicial warrant came")
    page.locator("#b_flag_judicial_warrant").select_option("yes")
    page.get_by_label("For the action").select_option("hold")
    page.get_by_label("Permitted: the agency may do this").check()
    page.get_by_role("button", name="Check this claim").click()
    verdict = page.locator("[data-claim='my-claim'] [data-verdict]")
    verdict.wait_for(timeout=60_000)
    assert verdict.get_attribute("data-verdict") == "fails"
    assert "judicial warrant" in page.locator(".counterexample .facts").inner_text()
    assert "the claim says" in page.locator(".counterexample .why").inner_text()
    assert "judicial_warrant: true" in page.get_by_label("Or claims as YAML").input_value()  # the claim as YAML
    assert page.locator("#b_flag_judicial_warrant").input_value() == "yes"  # the form keeps what was chosen


def test_claim_form_without_outcome_says_so(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/claims")
    page.get_by_label("Under the law of (date)").fill("2024-02-05")
    page.get_by_role("button", name="Check this claim").click()
    assert "outcome: tick at least one" in page.locator(".problems").inner_text()


def test_api_docs_work_offline(page, base_url: str) -> None:  # noqa: ANN001
    """/docs loads Swagger UI from the server itself, under a CSP with no inline script, and lists the API."""
    if not _have("swagger_ui_bundle"):
        pytest.skip("swagger-ui-bundle is not installed")
    elsewhere: list[str] = []
    blocked: list[str] = []
    page.on("request", lambda r: elsewhere.append(r.url) if not r.url.startswith((base_url, "data:")) else None)
    page.on("console", lambda m: blocked.append(m.text) if "Content Security Policy" in m.text else None)
    page.goto(f"{base_url}/docs")
    page.locator(".opblock").first.wait_for()
    assert page.locator(".opblock").count() >= 10
    assert "/api/v1/decide" in page.locator("#swagger-ui").inner_text()
    assert elsewhere == [] and blocked == []


VACUOUS_CLAIM = """\
claims:
  - id: arrest-after-decision
    kind: forall
    as_of: 2024-02-05
    given: {agency: doc, instant_arrest_date: 2025-01-01, request: {kind: detainer}}
    then: {hold: permitted}
"""


def test_vacuous_claim_says_so(page, base_url: str) -> None:  # noqa: ANN001
    page.goto(f"{base_url}/claims")
    page.get_by_label("Or claims as YAML").fill(VACUOUS_CLAIM)
    page.get_by_role("button", name="Check", exact=True).click()
    claim = page.locator("[data-claim='arrest-after-decision']")
    claim.locator("[data-verdict]").wait_for(timeout=60_000)
    assert "Vacuous:" in claim.locator(".vacuous").inner_text()
    assert "says nothing about the law" in claim.inner_text()

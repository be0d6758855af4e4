"""End to end in headless Chromium: screener, reform lab, claim checker."""

from __future__ import annotations

import importlib.util

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


@pytest.mark.skipif(not (_have("detainerlaw.simulation") and _have("detainerlaw.scenarios")),
                    reason="detainerlaw.simulation / detainerlaw.scenarios are not installed yet")
def test_reform_lab_two_scenarios(page, base_url: str) -> None:  # noqa: ANN001
    from detainerlaw.scenarios import list_scenarios

    names = [s["name"] if isinstance(s, dict) else getattr(s, "name", s) for s in list_scenarios()][:2]
    page.goto(f"{base_url}/lab")
    for n in names:
        page.locator(f"input[name=scenario][value='{n}']").check()
    page.get_by_label("Cases drawn from the sample").fill("200")
    page.get_by_role("button", name="Run the comparison").click()
    page.locator("#output").wait_for(state="visible", timeout=90_000)
    assert page.locator("#table tbody tr").count() >= 1
    assert page.get_by_role("link", name="Download the table as CSV").get_attribute("href").endswith("table.csv")
    # No count below the suppression threshold is shown: small cells read "<10".
    cells = page.locator("#table tbody td").all_text_contents()
    shown = [float(c) for c in cells if c.replace(".", "", 1).isdigit()]
    assert not [v for v in shown if 0 < v < 10], shown


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
    page.get_by_role("button", name="Check").click()
    verdict = page.locator("[data-claim='doc-judicial-warrant-suffices-2024'] [data-verdict]")
    verdict.wait_for(timeout=60_000)
    assert verdict.get_attribute("data-verdict") == "fails"
    ce = page.locator(".counterexample")
    assert "Counterexample" in ce.inner_text()
    assert "Department of Correction" in ce.locator(".facts").inner_text()
    assert "judicial warrant" in ce.locator(".facts").inner_text()
    hold = ce.locator("[data-action=hold]")
    assert hold.get_attribute("data-outcome") in ("prohibited", "not_governed")  # anything but permitted refutes it
    said = hold.locator(".outcome").inner_text()
    assert said.count("Prohibited") + said.count("Not governed") == 1
    ce.locator("details summary").first.click()
    assert ce.locator(".tree li").first.is_visible()


def test_claim_checker_lists_bundled_claims_on_first_load(page, base_url: str) -> None:  # noqa: ANN001
    """A fresh page load offers the bundled claims and says nothing is unavailable."""
    page.goto(f"{base_url}/claims")
    options = page.locator("select[name=claim_id] option")
    assert options.count() >= 5
    assert "not available" not in page.content()

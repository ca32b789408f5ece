"""End to end: the Frictions page on the sample data, opening a finding's evidence in the browser."""

from cx.demo import load_demo
from cx.workspace import Workspace
from tests.e2e.conftest import screenshot, wait_idle


def test_open_the_evidence_of_the_incident(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 2200})
    page.goto(f"{base}/friction?lang=en", timeout=60000)
    page.get_by_text("Where do customers struggle, and what does it cost?").wait_for(timeout=60000)
    wait_idle(page)
    page.get_by_text("Conversion from add_payment_info to purchase collapsed").wait_for(timeout=60000)
    # the bordered block of that finding: the innermost vertical block holding its sentence and its evidence
    incident = (
        page.locator('[data-testid="stVerticalBlock"]')
        .filter(has_text="Conversion from add_payment_info to purchase collapsed")
        .filter(has_text="Evidence: chart and table")
        .last
    )
    assert "On mobile" in incident.inner_text()
    incident.get_by_text("Evidence: chart and table").click()
    wait_idle(page)
    # the chart is drawn after the script run ends (Vega renders in the browser): wait for it
    incident.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=30000)
    assert incident.locator('[data-testid="stVegaLiteChart"]').count() == 1
    assert incident.locator('[data-testid="stDataFrame"]').count() >= 1
    screenshot(page, "friction.png")

    page.set_viewport_size({"width": 1280, "height": 720})  # a laptop, the sidebar open: no figure cut with "…"
    page.goto(f"{base}/friction?lang=fr", timeout=60000)
    page.locator('[data-testid="stMetricValue"]').first.wait_for(timeout=60000)
    wait_idle(page)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetricValue"], [data-testid="stMetricValue"] *')]
          .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent.trim())"""
    )
    assert page.get_by_text("Quasi certain").count() and cut == [], cut  # "Quasi cert…" before (tester 7)
    screenshot(page, "friction_1280x720.png")
    stop()

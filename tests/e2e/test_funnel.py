"""End to end: build a funnel in the real Funnel page on the sample data: pick the steps, read the
conversion, break it down by device, and screenshot it (docs/screenshots/funnel.png)."""

import re

from cx import funnel
from cx.demo import load_demo
from cx.models import Filters
from cx.workspace import Workspace
from tests.e2e.conftest import screenshot, wait_idle

STEPS = ["view_item", "add_to_cart", "purchase"]


def test_build_a_funnel_in_the_browser(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    expected = funnel.find_funnel(ws, Filters(), STEPS).steps
    dropped = funnel.find_dropped_users(ws, Filters(), STEPS, 1)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/funnel?lang=en", timeout=60000)
    page.get_by_text("Funnel: where do visitors drop off?").wait_for(timeout=60000)
    wait_idle(page)
    steps = page.locator('[data-testid="stMultiSelect"]').first
    assert "view_item" in steps.inner_text() and "purchase" in steps.inner_text()  # the proposed funnel

    steps.get_by_role("button", name=re.compile("clear all", re.IGNORECASE)).first.click()
    wait_idle(page)
    box = steps.locator("input")
    for step in STEPS:  # pick the steps, in order, by typing their names
        box.click()
        box.fill(step)
        page.get_by_role("option", name=re.compile(rf"^{step} \(")).first.click()
        wait_idle(page)
    page.keyboard.press("Escape")
    wait_idle(page)
    metrics = page.locator('[data-testid="stMetric"]')
    texts = [metrics.nth(i).inner_text() for i in range(metrics.count())]
    entered, converted = int(expected["users"].iloc[0]), int(expected["users"].iloc[-1])
    overall = f"{100 * converted / entered:.1f}%"
    assert any("Visitors at step 1" in t and f"{entered:,}" in t for t in texts), texts
    assert any("Overall conversion" in t and overall in t for t in texts), (texts, overall)

    page.locator('[data-testid="stSelectbox"]').filter(has_text="Break down by").click()
    page.get_by_role("option", name="Device").click()
    page.get_by_text("Who converts differently? By device").wait_for(timeout=60000)
    wait_idle(page)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60000)
    page.set_viewport_size({"width": 1400, "height": 3300})  # the app scrolls inside: show the whole page
    wait_idle(page)
    page.wait_for_timeout(1500)  # let the charts draw before the screenshot
    screenshot(page, "funnel.png")
    assert not page.locator('[data-testid="stException"]').count()

    # the visitors who dropped after step 1: the list is made when the button is clicked
    button = page.get_by_role("button", name=re.compile(r"Download these .* visitors"))
    assert f"{len(dropped):,}" in button.inner_text()
    with page.expect_download(timeout=60000) as download:
        button.click()
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == len(dropped) + 1 and rows[0].startswith('"visitor_id"')
    stop()

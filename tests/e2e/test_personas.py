"""End to end: the Personas page on the sample data — cards, then a persona picked for the funnel view, then the
members download (made on the click)."""

import re

from cx.demo import load_demo
from cx.workspace import Workspace
from tests.e2e.conftest import screenshot, wait_idle


def test_persona_cards_and_the_funnel_of_a_chosen_persona(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1500, "height": 2200})
    page.goto(f"{base}/personas?lang=en", timeout=60000)
    page.get_by_text("How does each persona move through the funnel?").wait_for(timeout=90000)
    wait_idle(page)
    cards = [c for c in page.locator("h3").all_inner_texts() if ", " in c]  # "First name, label"
    assert 3 <= len(cards) <= 7, cards
    assert any("Loyal customer" in c for c in cards), cards  # the planted loyal, high-value group
    screenshot(page, "personas.png")

    def converted() -> str:
        metric = page.locator('[data-testid="stMetric"]').filter(has_text="Converted")
        return metric.inner_text() if metric.count() else ""

    before = converted()
    # in the page, after the two compare boxes (the sidebar has a Persona filter of its own)
    box = (
        page.locator('[data-testid="stMainBlockContainer"] [data-testid="stSelectbox"]')
        .filter(has_text="Persona")
        .nth(2)
    )
    box.scroll_into_view_if_needed()
    box.locator("input").click()  # open the list, type to narrow it, pick the loyal persona as a person would
    loyal = next(c for c in cards if "Loyal customer" in c)
    box.locator("input").fill("Loyal customer")
    page.get_by_role("option", name=loyal).wait_for(timeout=10000)
    page.keyboard.press("Enter")
    page.locator('[data-testid="stMetric"]').filter(has_text=loyal).wait_for(timeout=60000)
    wait_idle(page)
    after = converted()
    assert loyal in after and after != before, (before, after)
    screenshot(page, "personas_funnel.png")

    # the members file is made on the click (the stored result holds the cards only): every customer of the demo
    button = page.get_by_role("button", name=re.compile(r"Download the members \("))
    assert "3,000 customers" in button.inner_text()
    with page.expect_download(timeout=60000) as download:
        button.click()
    rows = download.value.path().read_text(encoding="utf-8-sig").splitlines()
    assert len(rows) == 3001 and rows[0].startswith('"customer_id","n_orders"'), rows[:2]
    assert sum(any(f'"{title}"' in row for title in cards) for row in rows[1:]) == 3000  # each one's persona
    assert not page.locator('[data-testid="stException"]').count()
    stop()

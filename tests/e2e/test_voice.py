"""End to end: the Voice of the customer page on the sample survey, switching the breakdown in the browser."""

import re

from playwright.sync_api import expect

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.e2e.conftest import screenshot, wait_idle


def open_voice(browser, start_app, tmp_path, sample_files: tuple[str, ...]):
    """The Voice page in English on a workspace of `sample_files` (sample_data): (page, stop)."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    for name in sample_files:
        import_file(ws, ROOT / "sample_data" / name)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 2000})
    page.goto(f"{base}/voice?lang=en", timeout=60000)
    page.get_by_text("Which NPS by touchpoint?").wait_for(timeout=60000)
    wait_idle(page)
    return page, stop


def test_switch_the_breakdown_and_search_the_quotes(browser, start_app, tmp_path):
    # the sample files but the 11 MB web events: enough for this page, and faster
    files = ("clients_crm.csv", "commandes.xlsx", "tickets_support.csv", "enquete_satisfaction.xlsx")
    page, stop = open_voice(browser, start_app, tmp_path, files)
    metrics = page.locator('[data-testid="stMetric"]')
    texts = [metrics.nth(i).inner_text() for i in range(metrics.count())]
    assert any("NPS" in t and "+21.3" in t for t in texts), texts
    assert any("CSAT" in t and "73.0%" in t for t in texts), texts

    # the breakdown, switched as a person would: open the select, pick the attribute
    page.locator('[data-testid="stSelectbox"]').filter(has_text="Break down by").click()
    page.get_by_role("option", name="Latest order late").click()
    page.get_by_text("Which NPS by latest order late?").wait_for(timeout=60000)
    wait_idle(page)
    assert page.get_by_text("Which NPS by touchpoint?").count() == 0
    page.locator('[data-testid="stVegaLiteChart"]').nth(1).wait_for(timeout=30000)  # drawn after the run ends
    assert page.locator('[data-testid="stVegaLiteChart"]').count() >= 2
    screenshot(page, "voice.png")

    # quotes: accents and case ignored
    page.get_by_role("tab", name="What customers say").click()
    search = page.get_by_role("textbox", name="Search the comments")
    search.fill("CARTE REFUSEE")
    search.press("Enter")
    # 50 before the search: wait for the rerun's caption rather than read the one still on screen
    searched = page.get_by_text(re.compile(r"^([1-9]|[1-4][0-9]) comments \(newest first, at most 50\)"))
    expect(searched).to_be_visible(timeout=60000)
    wait_idle(page)
    screenshot(page, "voice_quotes.png")
    stop()


def test_adding_a_word_in_the_second_tab_stays_on_that_tab(browser, start_app, tmp_path):
    # the keyword form reruns the page (st.rerun) and its new theme keywords change the settings: an unkeyed
    # st.tabs came back on "Scores and segments" then (as Maturity's did after saving a workshop)
    page, stop = open_voice(browser, start_app, tmp_path, ("clients_crm.csv", "enquete_satisfaction.xlsx"))
    tab = page.get_by_role("tab", name="What customers say")
    tab.click()
    expect(tab).to_have_attribute("aria-selected", "true")
    page.get_by_role("textbox", name="Word or phrase").fill("colis abîmé")
    page.get_by_role("button", name="Add the word").click()
    page.get_by_text(re.compile(r"^Words you added: .*colis abîmé")).wait_for(timeout=60000)
    wait_idle(page)
    expect(page.get_by_role("tab", name="What customers say")).to_have_attribute("aria-selected", "true")
    expect(page.get_by_role("textbox", name="Word or phrase")).to_be_visible()
    stop()

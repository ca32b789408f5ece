"""End to end: an address that names no page (/home, a typo) opens the Overview, without Streamlit's English
"Page not found" dialog (cx/ui/routing.py); the pages' own addresses still open their page."""

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import write
from tests.e2e.conftest import screenshot, wait_idle


def test_an_unknown_address_opens_the_overview_quietly(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)  # one order: the app does not load the sample data
    import_file(ws, write(tmp_path, "seed.csv", "order_id,customer_id,order_date,total\nA1,C001,2024-01-03,10\n"))
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    for path in ("/home?lang=fr", "/nimporte-quoi?lang=fr", "/home?lang=en"):
        page.goto(base + path, timeout=60000)
        title = "Aperçu" if "lang=fr" in path else "Overview"
        page.get_by_role("heading", name=title, exact=True).wait_for(timeout=60000)
        wait_idle(page)
        body = page.inner_text("body")
        assert "Page not found" not in body and not page.get_by_role("dialog").count(), path
        assert page.url == f"{base}/?lang={path.rsplit('=', 1)[-1]}", page.url  # the address becomes the Overview's
    screenshot(page, "routing_unknown_address.png")
    page.goto(f"{base}/data?lang=fr", timeout=60000)
    page.get_by_role("heading", name="Données", exact=True).wait_for(timeout=60000)
    page.close()
    stop()

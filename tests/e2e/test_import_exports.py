"""End to end: three outside-shaped exports dropped at once (a clickstream, marketplace reviews, a generic
orders export), a mapping corrected with the dropdowns, loaded, and a chart drawn from the loaded data."""

from cx.format import escape_markdown
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.e2e.conftest import open_data_page_with_files, screenshot, wait_idle

EXPORTS = ROOT / "tests" / "exports"
FILES = ["clickstream_events.csv", "olist_order_reviews_dataset.csv", "ecommerce_orders_generic.csv"]


def _choose(page, source_header: str, option: str) -> None:
    """Open the dropdown of one source column and pick an option by its label."""
    # the dropdown's label is the header, markdown-escaped (a label renders markdown)
    page.get_by_role("combobox", name=escape_markdown(source_header), exact=True).click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_three_exports_mapped_loaded_and_charted(browser, start_app, tmp_path):
    page, base, stop, db = open_data_page_with_files(browser, start_app, tmp_path, [EXPORTS / name for name in FILES])
    page.get_by_role("button", name="Load 3 files").wait_for(timeout=60000)
    wait_idle(page)
    text = page.inner_text("body")
    for kind in ("looks like Events", "looks like Survey responses", "looks like Orders"):
        assert kind in text, kind
    # a second column fed to "Device": the load waits and says why, until the user settles it
    # device_model matched nothing: it sits with the other kept columns of the first file
    page.locator('[data-testid="stExpander"]').filter(has_text="The other columns").first.locator("summary").click()
    wait_idle(page)
    _choose(page, "device_model", "Device")
    assert page.get_by_role("button", name="Load 3 files").is_disabled()
    assert "“Device” is fed by several columns" in page.inner_text("body")
    screenshot(page, "import_mapping_conflict.png")
    _choose(page, "platform", "Ignore (do not load)")
    assert page.get_by_role("button", name="Load 3 files").is_enabled()
    screenshot(page, "import_three_exports_mapped.png")
    page.get_by_role("button", name="Load 3 files").click()
    page.get_by_text("Import report").wait_for(timeout=60000)
    wait_idle(page)
    body = page.inner_text("body")
    assert "Every row was loaded" in body
    screenshot(page, "import_three_exports_report.png")
    # the loaded data drives the analyses: the funnel of the clickstream's own events draws a chart
    page.goto(f"{base}/funnel?lang=en", timeout=60000)
    wait_idle(page)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60000)
    screenshot(page, "import_then_funnel.png")
    stop()
    ws = Workspace(db)
    with ws.cursor() as cur:
        # device now holds the device model the user chose (4 models), the platform was ignored
        assert cur.execute(
            "select count(*), count(distinct device), count(distinct visitor_id) from events"
        ).fetchall() == [(32, 4, 8)]
        assert cur.execute("select count(*), round(avg(csat), 2) from responses").fetchall()[0][0] > 0
        assert cur.execute("select count(*) from orders where import_id > 1").fetchall()[0][0] > 0
    ws.close()

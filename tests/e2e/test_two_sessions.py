"""Two people load the same export at the same moment from two browser sessions of one app: the file is
imported once, and the second session says it was already loaded instead of loading it twice."""

import re

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import write
from tests.e2e.conftest import wait_idle

EXPORT = "order_id,customer_id,order_date,total\n" + "".join(
    f"B{i},C{i % 40},2024-02-{1 + i % 28:02d},{10 + i % 7}\n" for i in range(300)
)


def _ready(browser, base, path):
    """A fresh session (its own browser context) on the Data page with the file dropped, Load enabled."""
    context = browser.new_context(viewport={"width": 1300, "height": 1000})
    page = context.new_page()
    page.goto(f"{base}/data?lang=en", timeout=60000)
    page.get_by_text("Drop one or more export files").wait_for(timeout=60000)
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(path))
    page.get_by_role("button", name="Load 1 file").wait_for(timeout=60000)
    wait_idle(page)
    return context, page


def test_the_same_file_loaded_from_two_sessions_at_once_lands_once(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)  # not empty, so the app does not load the sample data
    import_file(ws, write(tmp_path, "seed.csv", "order_id,customer_id,order_date,total\nA1,C001,2024-01-03,10\n"))
    ws.close()
    path = write(tmp_path, "orders_export.csv", EXPORT)
    base, stop = start_app(db)
    (first_context, first), (second_context, second) = _ready(browser, base, path), _ready(browser, base, path)
    # both clicks leave before either script run has ended: the two imports race on the server
    first.get_by_role("button", name="Load 1 file").click(no_wait_after=True)
    second.get_by_role("button", name="Load 1 file").click(no_wait_after=True)
    for page in (first, second):
        page.get_by_text(re.compile("Import report|already imported")).first.wait_for(timeout=60000)
        wait_idle(page)
    bodies = [first.inner_text("body"), second.inner_text("body")]
    first_context.close()
    second_context.close()
    stop()

    ws = Workspace(db)
    with ws.cursor() as cur:
        assert cur.execute("select count(*) from imports where file_name = 'orders_export.csv'").fetchone()[0] == 1
        assert cur.execute("select count(*), count(distinct order_id) from orders").fetchone() == (301, 301)
    ws.close()
    assert sum("Every row was loaded" in body for body in bodies) == 1, bodies
    assert sum("already imported" in body for body in bodies) == 1, bodies

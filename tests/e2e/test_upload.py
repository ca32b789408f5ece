"""End to end: upload a French Excel CSV through the real Data page and read the report on screen."""

from pathlib import Path

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import write
from tests.e2e.conftest import screenshot, wait_idle

CSV = (
    "N° client;Prénom;E-mail;Date d'inscription;Ville;CA total\r\n"
    "C001;Françoise;f@example.fr;31/12/2024;L’Haÿ-les-Roses;1 234,56 €\r\n"
    "C002;Cœur;c@example.fr;01/02/2025;Lyon;12,5\r\n"
    ";Zoé;z@example.fr;01/02/2025;Paris;3\r\n"
    "C004;Noé;n@example.fr;45/02/2025;Nice;8\r\n"
)


def test_upload_a_file_and_read_the_report(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)  # a workspace with something in it, so the app does not load the sample data
    import_file(ws, write(tmp_path, "seed.csv", "order_id,customer_id,order_date,total\nA1,C001,2025-01-03,10\n"))
    ws.close()
    upload = tmp_path / "clients export.csv"
    upload.write_bytes(CSV.encode("cp1252"))
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    page.goto(f"{base}/data?lang=en", timeout=60000)
    page.get_by_text("Drop one or more export files").wait_for(timeout=60000)
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("looks like").wait_for(timeout=60000)
    wait_idle(page)
    assert page.get_by_text("encoding cp1252").count() == 1
    page.get_by_role("button", name="Load 1 file").click()
    page.get_by_text("Import report").wait_for(timeout=60000)
    wait_idle(page)
    metrics = page.locator('[data-testid="stMetric"]')
    texts = [metrics.nth(i).inner_text() for i in range(metrics.count())]
    assert any("Rows read" in t and "4" in t for t in texts), texts
    assert any("Rows loaded" in t and "2" in t for t in texts), texts
    assert any("Rows rejected" in t and "2" in t for t in texts), texts
    assert page.get_by_text("2 rows rejected").count() == 1
    screenshot(page, "data_import_report.png")
    stop()
    ws = Workspace(db)
    with ws.cursor() as cur:
        assert cur.execute("select city from customers order by customer_id").fetchall() == [
            ("L’Haÿ-les-Roses",),
            ("Lyon",),
        ]
    ws.close()


def test_a_file_already_imported_is_said_so_on_the_first_screen(browser, start_app, tmp_path):
    """The tester's survey export (tests/data/tester6), loaded the day before, dropped again in a 1440×900 window in
    French: the warning is on screen without scrolling, above the column mapping (it sat below the fold)."""
    source = Path(__file__).parents[1] / "data" / "tester6" / "typeform_nps.csv"
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    first = import_file(ws, source)
    ws.close()
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    page.goto(f"{base}/data", timeout=60000)
    page.get_by_text("Déposez un ou plusieurs fichiers").wait_for(timeout=60000)
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(source))
    said = page.locator('[data-testid="stAlert"]').filter(has_text="Déjà importé")
    said.wait_for(timeout=60000)
    wait_idle(page)
    text = said.inner_text()
    loaded = f"{first.rows_loaded} lignes chargées"
    assert f"(import n° {first.import_id}, « typeform_nps.csv », {loaded})" in text, text
    box = said.bounding_box()
    assert box["y"] + box["height"] <= 900, box  # on the first screen
    mapping = page.get_by_text("Correspondance des colonnes").bounding_box()
    assert box["y"] < mapping["y"]
    assert page.get_by_text("L’ignorer : rien n’est chargé").count() == 1
    screenshot(page, "data_already_imported.png")
    stop()

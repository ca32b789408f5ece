"""End to end, in French at 1280×720 (a laptop, a projector): Streamlit's own words in French (its drop zone, its
help buttons' names, the sizes of the dropped files), every dropped file listed, no metric label cut."""

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import write
from tests.e2e.conftest import screenshot, wait_idle

ANSWERS = "Horodateur,N° client,NPS,Pourquoi cette note ?\n" + "".join(
    f"01/03/2025 10:0{i}:00,C00{i},{i + 3},Livraison rapide\n" for i in range(5)
)


def test_the_french_data_page_speaks_french_and_lists_every_file(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)  # answers, so the app does not load the sample data and the Overview has five figures
    import_file(ws, write(tmp_path, "seed.csv", "order_id,customer_id,order_date,total\nA1,C001,2025-01-03,10\n"))
    import_file(ws, write(tmp_path, "enquete.csv", ANSWERS))
    ws.close()
    files = [write(tmp_path, f"commandes_{i:02}.csv", "order_id,total\n" + "A1,10\n" * 200 * i) for i in range(1, 12)]
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1280, "height": 720})

    # the Overview at 1280 px: "Réponses aux enquêtes" was cut to "Réponses aux enqu…"
    page.goto(f"{base}/?lang=fr", timeout=60000)
    page.get_by_text("Réponses aux enquêtes").wait_for(timeout=60000)
    wait_idle(page)
    cut = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] *')]
             .filter(e => e.scrollWidth > e.clientWidth + 1).map(e => e.textContent)"""
    )
    assert cut == []

    page.goto(f"{base}/data?lang=fr", timeout=60000)
    page.get_by_text("Déposez un ou plusieurs fichiers d’export").wait_for(timeout=60000)
    wait_idle(page)
    zone = page.locator('[data-testid="stFileUploaderDropzone"]')
    assert zone.locator("button").inner_text().split()[-1] == "Parcourir"  # after its icon; Streamlit: "Upload"
    assert zone.get_by_text("2 Go par fichier").count() == 1  # "2GB per file"
    assert page.get_by_role("button", name="Aide : Déposez un ou plusieurs fichiers d’export").count() == 1

    page.locator('input[type="file"]').set_input_files([str(f) for f in files])
    page.get_by_text("11 fichiers déposés").wait_for(timeout=60000)
    wait_idle(page)
    screenshot(page, "data_eleven_files_fr.png")
    listed = page.locator('[data-testid="stDataFrame"]').first
    # the 11th file of 11 was behind Streamlit's scroll; its size "3.1KB": here 200 · 11 = 2 200 lines of 6
    # bytes + the header's 15 = 13 215 bytes, written "13,2 Ko" by us and by Streamlit's chip
    assert listed.get_by_text("commandes_11.csv").count() == 1 and listed.get_by_text("13,2 Ko").count() == 1
    assert page.locator('[data-testid="stFileUploader"]').get_by_text("13,2 Ko").count() >= 1
    english = page.evaluate(
        """() => [...document.querySelectorAll('[aria-label], [placeholder]')]
             .map(e => (e.getAttribute('aria-label') || '') + (e.getAttribute('placeholder') || ''))
             .filter(t => /^(Help|Choose|Upload|Add files|Clear all|Collapse sidebar|file upload)\\b/.test(t))"""
    )
    assert english == []
    stop()

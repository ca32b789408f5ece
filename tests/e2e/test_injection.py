"""End to end: markup and remote images hidden in a file name, a CSV header, a verbatim and a persona name
are shown as text, and the browser never requests the URL they carry."""

from cx.demo import load_demo
from cx.ingest import import_file
from cx.personas import find_personas, rename_persona
from cx.workspace import Workspace
from tests.e2e.conftest import screenshot, wait_idle

TRAP = "http://127.0.0.1:9/trap.png"  # a closed port: nothing may even try it
PAYLOAD = f"**gras** $x^2$ ![i]({TRAP})"  # at most 60 characters: a persona name's limit


def test_payloads_are_text_and_fetch_nothing(browser, start_app, tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_demo(ws)
    rename_persona(ws, find_personas(ws).personas[0].persona_id, PAYLOAD)
    survey = tmp_path / "survey.csv"
    survey.write_text(
        f"Horodateur,Note (0-10),Pourquoi ?\n2025-11-20 10:00,2,{PAYLOAD.replace(',', ' ')}\n", encoding="utf-8"
    )
    import_file(ws, survey)
    ws.close()
    upload = tmp_path / f"**export** ![x]({TRAP.replace('/', '_')}).csv"
    upload.write_text(f'customer_id,"{PAYLOAD}"\nC1,1\n', encoding="utf-8")
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 1400})
    requests = []
    page.on("request", lambda r: requests.append(f"{r.url} (from {page.url})"))
    page.goto(f"{base}/data?lang=en", timeout=60000)
    page.get_by_text("Drop one or more export files").wait_for(timeout=60000)
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(str(upload))
    page.get_by_text("looks like").wait_for(timeout=60000)
    wait_idle(page)
    body = page.inner_text("body")
    assert "**export**" in body  # the file name as typed, not bold
    screenshot(page, "injection_data.png")
    page.goto(f"{base}/personas?lang=en", timeout=60000)
    page.get_by_text("**gras**").first.wait_for(timeout=60000)  # the persona name as typed, not bold
    wait_idle(page)
    assert page.locator(f'img[src="{TRAP}"]').count() == 0
    screenshot(page, "injection_personas.png")
    page.goto(f"{base}/voice?lang=en", timeout=60000)  # the verbatim is among the detractors' comments
    wait_idle(page)
    page.wait_for_timeout(1500)
    assert page.locator(f'img[src="{TRAP}"]').count() == 0
    stop()
    assert not [u for u in requests if "trap" in u], requests

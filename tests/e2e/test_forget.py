"""The Data page's "Erase one person" in a real browser: find, read the counts, confirm, erased."""

from cx.workspace import Workspace
from tests.e2e.conftest import screenshot, wait_idle
from tests.test_forget import BOB, LEFT, bytes_of_bob, counts, three_customers


def test_erase_one_person_from_the_data_page(browser, start_app, tmp_path):
    ws = three_customers(tmp_path / "ws")
    ws.close()
    base, stop = start_app(ws.path)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{base}/data?lang=en", timeout=60000)
    page.get_by_text("Erase one person (right to erasure)").wait_for(timeout=60000)
    wait_idle(page)
    field = page.get_by_label("E-mail address, as written in your files", exact=True).and_(page.locator("input"))
    field.fill(BOB)
    field.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Find their data").click()
    page.get_by_text("13 rows").wait_for(timeout=60000)
    wait_idle(page)
    assert "K-BOB-2002" not in page.content()
    page.get_by_role("button", name="Erase this person").click()
    page.get_by_text("Erase this person for good?").wait_for(timeout=60000)
    screenshot(page, "data_erase_one_person.png")
    page.get_by_role("button", name="Yes, erase for good").click()
    page.get_by_text("Person erased: 13 rows removed").wait_for(timeout=60000)
    wait_idle(page)
    page.close()
    stop()
    ws = Workspace(ws.path)
    assert counts(ws) == LEFT
    ws.close()
    assert bytes_of_bob(ws) == []

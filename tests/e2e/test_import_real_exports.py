"""End to end with real exports (tests/exports/real): a Shopify export re-saved by Excel in a semicolon
locale, a Stripe payments export and a Typeform booking form dropped at once; the form is one Parcours is
not sure about, so it asks; the user picks the kind, loads, and a chart is drawn from the loaded data."""

import pytest

from cx.workspace import Workspace
from tests.conftest import REAL_EXPORTS
from tests.e2e.conftest import open_data_page_with_files, screenshot, wait_idle

# third-party files, not committed: see tests/exports/real/README.md
REAL = REAL_EXPORTS
FILES = [
    "shopify_orders_export_clp_excel_resaved.csv",
    "stripe_unified_payments_export.csv",
    "typeform_booking_responses.csv",
]


def test_real_exports_asked_chosen_loaded_and_charted(browser, start_app, tmp_path):
    missing = [name for name in FILES if not (REAL / name).is_file()]
    if missing:
        pytest.skip(f"third-party exports not in the repository ({', '.join(missing)}); set CX_REAL_EXPORTS")
    page, base, stop, db = open_data_page_with_files(browser, start_app, tmp_path, [REAL / name for name in FILES])
    # two files are sure (orders), the form is not: Load counts only the two
    page.get_by_role("button", name="Load 2 files").wait_for(timeout=60000)
    wait_idle(page)
    body = page.inner_text("body")
    assert "(a comma CSV saved again by Excel): 101 lines unwrapped" in body
    assert "recognised export: Stripe payments" in body
    assert "not sure what it holds: choose below" in body
    assert "Survey responses or Customers? Choose below." in body
    screenshot(page, "import_real_exports_dropped.png")
    kinds = page.get_by_role("combobox", name="What this file holds")
    assert kinds.count() == 3
    kinds.nth(2).scroll_into_view_if_needed()
    kinds.nth(2).click()
    page.keyboard.type("Customers")  # the dropdown filters as one types
    page.get_by_role("option", name="Customers", exact=True).wait_for(timeout=30000)
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_role("button", name="Load 3 files").wait_for(timeout=60000)
    # the kind chosen by hand shows why each column was proposed, not "no column matches"
    email = page.get_by_role("combobox", name="Email", exact=True).last
    assert email.is_visible()
    assert (
        "no Parcours column matches: kept as it is"
        not in page.locator("body")
        .inner_text()
        .split("typeform_booking_responses.csv")[-1]
        .split("The other columns")[0]
    )
    screenshot(page, "import_real_exports_kind_chosen.png")
    page.get_by_role("button", name="Load 3 files").click()
    page.get_by_text("Import report").wait_for(timeout=90000)
    wait_idle(page)
    body = page.inner_text("body")
    assert body.count("Every row was loaded") == 3
    screenshot(page, "import_real_exports_report.png")
    page.goto(f"{base}/retention?lang=en", timeout=60000)
    wait_idle(page)
    page.locator('[data-testid="stVegaLiteChart"]').first.wait_for(timeout=60000)
    screenshot(page, "import_real_exports_retention.png")
    stop()
    ws = Workspace(db)
    with ws.cursor() as cur:
        # 17 Chilean orders (597,712 CLP) + 12 Stripe payments + the seed; 6 form rows as customers
        assert cur.execute(
            "select count(*), round(sum(amount) filter (where currency = 'CLP'), 2) from orders"
        ).fetchall() == [(30, 597712.0)]
        assert cur.execute("select count(*) from customers").fetchall() == [(6,)]
    ws.close()

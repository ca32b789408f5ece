"""Money in its real currency on the pages, the report and the CLI: an all-USD workspace shows $ (US$ style:
'$US' in French) and never €; a workspace whose orders are in EUR and USD says so and never adds them up."""

import json

import pytest
from streamlit.testing.v1 import AppTest

from cx.demo import load_demo
from cx.models import Filters
from cx.report import gather_report, render_html, render_pdf
from cx.ui import background
from cx.ui.report_button import STATE
from cx.workspace import Workspace
from tests.conftest import ROOT, copy_workspace, run_view
from tests.test_cli import cx
from tests.test_journey_data import load_all

NB = "\u202f"
PAGES = ("overview", "journey", "retention", "personas", "friction")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    ws = Workspace(path)
    load_demo(ws)
    ws.close()
    return path


def copy_with(demo_db, tmp_path, *sql) -> str:
    db = tmp_path / "w.duckdb"
    copy_workspace(demo_db, db)  # with its key (the pseudonyms)
    ws = Workspace(db)
    with ws.cursor() as cur:
        for statement in sql:
            cur.execute(statement)
    ws.close()
    return db


USD = (
    "update orders set currency = 'USD'",
    "update events set currency = 'USD' where revenue is not null",
    "update imports set currency = 'USD' where currency is not null",
)


def open_page(page, db, monkeypatch, lang="en"):
    """One page run on `db`; the Overview through app.py (its links need the navigation app.py defines)."""
    if page != "overview":
        return run_view(page, db, monkeypatch, lang=lang)
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["demo_checked"] = True
    at.run()
    # its top findings (revenue at risk, in the workspace's currency) come when the background run stored them:
    # the page is drawn again then, as its progress fragment does
    assert background.wait_all(300)
    return at.run()


def page_text(at) -> str:
    """Every piece of text a page shows: markdown, captions, alerts, metrics (value and delta), tables."""
    parts = [
        e.value
        for kind in ("markdown", "caption", "info", "warning", "success", "error", "title", "subheader")
        for e in getattr(at, kind)
    ]
    parts += [f"{m.label} {m.value} {m.delta or ''}" for m in at.metric]
    parts += [df.value.to_string() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("page", PAGES)
def test_usd_workspace_shows_dollars_never_euros(demo_db, tmp_path, monkeypatch, page):
    db = copy_with(demo_db, tmp_path, *USD)
    at = open_page(page, db, monkeypatch)
    assert not at.exception
    text = page_text(at)
    assert "€" not in text and "EUR" not in text
    assert "$" in text  # revenue at risk, AOV, CLV, persona spend…


def test_usd_in_french_is_dollar_us(demo_db, tmp_path, monkeypatch):
    db = copy_with(demo_db, tmp_path, *USD)
    at = run_view("retention", db, monkeypatch, lang="fr")
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Panier moyen"].endswith(f"{NB}$US") and "€" not in page_text(at)


def test_usd_journey_and_retention_figures(demo_db, tmp_path, monkeypatch):
    db = copy_with(demo_db, tmp_path, *USD)
    journey = {m.label: m.value for m in run_view("journey", db, monkeypatch).metric}
    assert journey["Average order value"].startswith("$")
    retention = run_view("retention", db, monkeypatch)
    metrics = {m.label: m.value for m in retention.metric}
    assert metrics["Average order value"].startswith("$")
    assert metrics["Customer lifetime value (simple)"].startswith("$")
    overview = page_text(open_page("overview", db, monkeypatch))
    assert "Amounts are in USD." in overview and "$" in overview


def test_usd_report_page_and_files(demo_db, tmp_path, monkeypatch):
    db = copy_with(demo_db, tmp_path, *USD)
    at = run_view("report", db, monkeypatch)
    at.button(key="report_build").click().run()
    assert not at.exception
    files = at.session_state[STATE]
    assert "€" not in files["html"] and "$" in files["html"]
    assert "€" not in page_text(at)


def test_usd_report_pdf_and_french(demo_db, tmp_path):
    db = copy_with(demo_db, tmp_path, *USD)
    ws = Workspace(db)
    try:
        report = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    assert report.currency.code == "USD" and report.friction_currency.code == "USD"
    html = render_html(report)
    assert "€" not in html and "$US" in html
    assert render_pdf(report)[:4] == b"%PDF"


# ------------------------------------------------------------------------------------------ mixed currencies


def test_mixed_retention_states_each_currency(tmp_path, monkeypatch):
    """Hand-worked: orders (cancelled left out) EUR 100 + 30 + 70 = 200, USD 50 + 50 = 100."""
    from tests.test_page_retention import seed

    db = tmp_path / "w.duckdb"
    seed(db)
    ws = Workspace(db)
    with ws.cursor() as cur:
        cur.execute("update orders set currency = case when amount in (50, 999) then 'USD' else 'EUR' end")
    ws.close()
    at = run_view("retention", db, monkeypatch)
    # 52 days of orders: a 30-day activity window, so that a CLV would be annualised (under 180 days it is not)
    at.number_input(key="retention_active_days").set_value(30).run()
    assert [w.value for w in at.warning] == [
        "Not available: the orders in scope are in several currencies (EUR 200, USD 100) and amounts in different "
        "currencies are not added together. Filter a period or segment whose orders are in one currency."
    ]
    metrics = {m.label: m.value for m in at.metric}
    # the order value sits in a quarter of the width: "n/a" alone (was cut to "n/a (sever…"), the reason in its
    # help and in the caption under it
    assert metrics["Average order value"] == "n/a"
    [aov] = [m for m in at.metric if m.label == "Average order value"]
    assert "several currencies" in aov.help
    assert "the orders in scope are in several currencies (see above)" in [c.value for c in at.caption]
    assert metrics["Customer lifetime value (simple)"] == "n/a (several currencies)"
    assert "€" not in page_text(at) and "$" not in page_text(at)
    # the repeat rate is no money: still shown
    assert metrics["Repeat purchase rate"] != "n/a (several currencies)"


def test_no_currency_anywhere_is_assumed_and_said(tmp_path, monkeypatch):
    from tests.test_page_retention import seed

    db = tmp_path / "w.duckdb"
    seed(db)
    at = run_view("retention", db, monkeypatch)
    assert {m.label: m.value for m in at.metric}["Average order value"] == "€60.00"  # 300 / 5, EUR by default
    # said in words, with where to give the currency (no setting's name: a manager reads it)
    assert (
        "No file gave a currency: amounts are assumed to be in EUR. To give it, add a “Currency” column"
        in page_text(at)
    )
    assert "CX_CURRENCY" not in page_text(at)
    monkeypatch.setenv("CX_CURRENCY", "GBP")
    at = run_view("retention", db, monkeypatch)
    assert {m.label: m.value for m in at.metric}["Average order value"] == "£60.00"


MIXED = (
    "update orders set currency = case when customer_id < (select median(customer_id) from orders) "
    "then 'EUR' else 'USD' end",
)


@pytest.mark.parametrize("page", ("journey", "personas", "overview", "friction"))
def test_mixed_pages_say_it_and_sum_nothing(demo_db, tmp_path, monkeypatch, page):
    db = copy_with(demo_db, tmp_path, *MIXED)
    at = open_page(page, db, monkeypatch)
    assert not at.exception
    text = page_text(at)
    warning = " ".join(w.value for w in at.warning)
    assert "several currencies (" in warning and "EUR " in warning and "USD " in warning
    assert "unknown currency" not in warning  # web revenue without a currency is not listed beside the orders
    assert "€" not in text and "$" not in text  # no amount shown as if it were in one currency


def test_mixed_friction_estimates_no_revenue(demo_db, tmp_path):
    from cx.commands.findings import findings_doc

    db = copy_with(demo_db, tmp_path, *MIXED)
    ws = Workspace(db)
    try:
        doc = findings_doc(ws)
    finally:
        ws.close()
    assert doc["currency"] is None and {c["code"] for c in doc["currencies"]} == {"EUR", "USD"}
    assert doc["findings"] and all(f["revenue_at_risk"] is None for f in doc["findings"])


# ------------------------------------------------------------------------------------------ command line


def small_db(tmp_path, *sql):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_all(ws)
    with ws.cursor() as cur:
        for statement in sql:
            cur.execute(statement)
    ws.close()
    return db


def test_cli_kpis_json_carries_the_currency(tmp_path):
    db = small_db(tmp_path, "update orders set currency = 'USD'")
    doc = json.loads(cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--json", "--lang", "en", db=db).stdout)
    assert (doc["currency"], doc["currencies"], doc["currency_assumed"]) == ("USD", None, False)
    aov = {k["key"]: k for s in doc["stages"] for k in s["kpis"]}["aov"]
    assert (aov["value"], aov["previous"]) == (62.5, 50.0)
    out = cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--lang", "en", db=db).stdout
    assert "$62.50" in out and "$50.00" in out and "€" not in out


def test_cli_kpis_json_mixed(tmp_path):
    """By hand, both periods (1–14 March), cancelled O3 left out: USD O1 100 + O2 50 = 150; EUR O4 30 + O5 70 +
    O6 40 + O7 60 = 200. The AOV is not available (null) and says why."""
    db = small_db(
        tmp_path, "update orders set currency = case when order_id in ('O1', 'O2', 'O3') then 'USD' else 'EUR' end"
    )
    doc = json.loads(cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--json", "--lang", "en", db=db).stdout)
    assert doc["currency"] is None
    assert doc["currencies"] == [{"code": "EUR", "amount": 200.0}, {"code": "USD", "amount": 150.0}]
    aov = {k["key"]: k for s in doc["stages"] for k in s["kpis"]}["aov"]
    assert (aov["value"], aov["previous"]) == (None, None)
    assert "several currencies (EUR 200, USD 150)" in aov["reason"]
    visits = {k["key"]: k for s in doc["stages"] for k in s["kpis"]}["visits"]
    assert visits["value"] == 6.0  # no money: untouched


def test_cli_kpis_previous_period_in_another_currency_is_mixed(tmp_path):
    """The current week all USD, the previous one EUR: "vs the previous period" would compare $ with €."""
    db = small_db(
        tmp_path, "update orders set currency = case when order_time >= '2025-03-08' then 'USD' else 'EUR' end"
    )
    doc = json.loads(cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--json", db=db).stdout)
    assert doc["currency"] is None and [c["code"] for c in doc["currencies"]] == ["USD", "EUR"]  # 250 vs 100

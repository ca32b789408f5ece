"""AppTest of the Retention page: empty state, cohorts by first purchase / first visit, repeat purchase,
returns, churn without enough history, CLV with its inputs and a lifespan set by hand."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT

# customer, order date, amount, status, delivered
ORDERS = [
    ("C1", "2025-01-10", 100, "completed", "2025-01-13"),
    ("C1", "2025-02-15", 50, "completed", "2025-02-18"),
    ("C2", "2025-01-20", 30, "completed", "2025-01-22"),
    ("C2", "2025-01-25", 999, "cancelled", None),
    ("C2", "2025-03-02", 70, "completed", None),
    ("C3", "2025-02-05", 50, "returned", "2025-02-08"),
]


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    return tmp_path / "w.duckdb"


def seed(db, events=()):
    ws = Workspace(db)
    with ws.cursor() as cur:
        for c, day, amount, status, delivered in ORDERS:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status, delivered_date) "
                "values (1, $c, $d::timestamp, $a, $s, $v::date)",
                {"c": c, "d": day, "a": amount, "s": status, "v": delivered},
            )
        for visitor, day in events:
            cur.execute(
                "insert into events (import_id, visitor_id, event_time, event_name) "
                "values (2, $v, $d::timestamp, 'page_view')",
                {"v": visitor, "d": day},
            )
    ws.close()


def run_page(**state):
    at = AppTest.from_file(str(ROOT / "views" / "retention.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_empty_workspace_says_what_to_upload(db):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/retention.py").run()
    assert not at.exception
    assert any("load web analytics events" in i.value and "orders export" in i.value for i in at.info)


def test_orders_only_cohorts_repeat_returns_and_clv(db):
    seed(db)
    at = run_page()
    assert not at.exception and not at.error
    assert at.radio(key="retention_by_first").value == "purchase"  # no web events: by first purchase
    assert any("active in that very month" in m.value for m in at.markdown)
    assert at.get("vega_lite_chart")  # the heatmap
    metrics = {m.label: m.value for m in at.metric}
    # purchases (cancelled left out): C1 ×2, C2 ×2, C3 ×1 → 2 of 3 customers bought again
    assert metrics["Repeat purchase rate"] == "66.7%"
    # delivered: C1 ×2, C2 (20 Jan), C3 (returned) = 4; returned 1 → 25 %
    assert metrics["Return rate"] == "25.0%"
    assert metrics["Average order value"] == "€60.00"  # 300 / 5
    assert metrics["Churn"] == "—"  # no 180 days of purchases before 10 Jan
    captions = " ".join(c.value for c in at.caption)
    assert "needs 180 days of purchases" in captions and "3 years by default" in captions
    # 52 days of purchases (10 Jan – 2 Mar), under the 180-day activity window: no yearly frequency, no CLV
    assert metrics["Customer lifetime value (simple)"] == "—"
    assert "the period covers only 52 days of purchases" in captions and "180 days of purchases at least" in captions
    assert not any("per customer per year" in m.value for m in at.markdown)

    at.number_input(key="retention_active_days").set_value(30).run()
    # CLV = 60.00 × (5 purchases / 3 customers / (52 days / 365.25) = 11.7067 → 11.71) × 3.00 years = 2107.80
    assert {m.label: m.value for m in at.metric}["Customer lifetime value (simple)"] == "€2,108"
    assert any(
        "€60.00 (average order) × 11.71 purchases per customer per year × 3.00 years = **€2,108**" in m.value
        for m in at.markdown
    )  # the shown factors multiply out to the shown result
    at.toggle(key="retention_own_lifespan").set_value(True).run()
    at.number_input(key="retention_lifespan").set_value(2.0).run()
    # 60.00 × 11.71 × 2.00 = 1405.20
    assert {m.label: m.value for m in at.metric}["Customer lifetime value (simple)"] == "€1,405"
    assert any("the value you set" in c.value for c in at.caption)


def test_cohorts_by_first_visit(db):
    seed(
        db,
        events=[
            ("v1", "2025-01-05"),
            ("v1", "2025-02-07"),
            ("v2", "2025-01-20"),
            ("v3", "2025-02-02"),
            ("v3", "2025-03-15"),
        ],
    )
    at = run_page(retention_mode="unbounded")
    assert not at.exception
    assert at.radio(key="retention_by_first").value == "activity"
    assert any("seen again in that month or any later one" in m.value for m in at.markdown)


def test_french_labels(db):
    seed(db)
    at = run_page(lang="fr")
    assert not at.exception
    labels = [m.label for m in at.metric]
    assert "Taux de réachat" in labels and "Valeur vie client (CLV simple)" in labels
    assert {m.label: m.value for m in at.metric}["Taux de réachat"] == "66,7\u202f%"


def test_return_rate_without_any_status_is_not_available(db):
    ws = Workspace(db)
    with ws.cursor() as cur:  # the same orders, exported without their status column
        for c, day, amount, _, delivered in ORDERS:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, delivered_date) "
                "values (1, $c, $d::timestamp, $a, $v::date)",
                {"c": c, "d": day, "a": amount, "v": delivered},
            )
    ws.close()
    at = run_page()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Return rate"] == "—"  # not "0.0%": nothing says which orders came back
    assert any("Not available: the orders have no status" in c.value for c in at.caption)
    # no status, so nothing is cancelled: C1 ×2, C2 ×3, C3 ×1 → 2 of 3 customers bought again
    assert metrics["Repeat purchase rate"] == "66.7%"


def test_orders_hidden_by_the_filters_are_not_called_missing(db):
    seed(db)
    at = AppTest.from_file(str(ROOT / "views" / "retention.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters(dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any("6 orders are loaded, but none is a purchase" in i for i in infos), infos
    assert not any("load an orders export" in i for i in infos)


def test_a_churn_on_a_small_base_is_shown_and_flagged(db):
    # Z bought on 5 January (history); A and B on 15 February, A again on 10 March. March, 30-day window:
    # at the start A, B = 2, at the end A → retention 1/2, churn 50 %: shown, flagged "small base"
    ws = Workspace(db)
    with ws.cursor() as cur:
        for c, day in (("Z", "2025-01-05"), ("A", "2025-02-15"), ("B", "2025-02-15"), ("A", "2025-03-10")):
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount) values (1, $c, $d::timestamp, 10)",
                {"c": c, "d": day},
            )
    ws.close()
    march = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    for lang, churn, note in (
        ("en", "50.0%", "Small base: 2 customers at the start (under 30)"),
        ("fr", "50,0\u202f%", "Petit effectif : 2 clients au départ (moins de 30)"),
    ):
        at = run_page(lang=lang, filters=march, retention_active_days=30)
        assert not at.exception
        assert {m.label: m.value for m in at.metric}[{"en": "Churn", "fr": "Attrition (churn)"}[lang]] == churn
        assert any(note in c.value for c in at.caption), [c.value for c in at.caption]


@pytest.mark.parametrize(
    "lang, aov, inputs, apart, clv",
    [
        (
            "en",
            "CA$75.00",
            "CA$150 over 2 purchases",
            "1 purchase of no currency left out (10.00, unknown currency)",
            "CA$2,650",
        ),
        (
            "fr",
            "75,00\u202f$CA",
            "150\u202f$CA sur 2 achats",
            "1 achat sans devise laissé à part (10,00, devise inconnue)",
            "2\u202f650\u202f$CA",
        ),
    ],
)
def test_an_order_of_no_currency_is_not_added_to_the_cad_average(db, lang, aov, inputs, apart, clv):
    """The tester's case: CAD orders and one order of a file without a currency over the period filtered."""
    ws = Workspace(db)
    with ws.cursor() as cur:
        for c, day, amount, currency in [
            ("C1", "2025-03-05", 100, "CAD"),
            ("C2", "2025-03-10", 50, "CAD"),
            ("C3", "2025-03-12", 10, None),
        ]:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status, currency) "
                "values (1, $c, $d::timestamp, $a, 'completed', $cur)",
                {"c": c, "d": day, "a": amount, "cur": currency},
            )
    ws.close()
    march = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))
    at = run_page(lang=lang, filters=march, retention_active_days=30)  # 31 days: a CLV over a 30-day window
    assert not at.exception and not at.error
    metrics = list(at.metric)
    assert metrics[3].value == aov  # 150 / 2 CAD purchases, not 160 / 3
    captions = " ".join(c.value for c in at.caption)
    assert inputs in captions and apart in captions
    # CLV = 75.00 × (3 purchases / 3 customers / (31 / 365.25) → 11.78) × 3.00 years = 2650.50, to the unit 2650 (half to even)
    assert metrics[-1].value == clv

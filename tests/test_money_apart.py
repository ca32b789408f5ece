"""Orders without a currency beside orders with one (cx.money): an amount of no currency is never added to a known
one — the journey's AOV, the friction value of an order, the personas' spend and the page notes, as Retention does.

Hand-worked case: C1 bought for 10.00 EUR (the order says EUR), C2 for 5.00 from a file that said no currency.
Every money figure is 10.00 € (it was (10 + 5) / 2 = 7.50 "€"), and the pages say "1 purchase of no currency
left out (5.00, unknown currency)".
"""

import datetime as dt

import pytest

from cx.friction.context import Context
from cx.journey import find_stage_kpis
from cx.models import Filters
from cx.money import currency_in_scope, set_apart_message
from cx.personas.cards import _kpis as persona_kpis
from cx.personas.features import customer_features
from cx.workspace import Workspace
from tests.conftest import run_view

MARCH = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))


def seed(db, orders):
    ws = Workspace(db)
    with ws.cursor() as cur:
        for customer, day, amount, currency in orders:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status, currency) "
                "values (1, $c, $d::timestamp, $a, 'completed', $cur)",
                {"c": customer, "d": day, "a": amount, "cur": currency},
            )
    ws.close()


EUR_AND_NONE = [("C1", "2025-03-05", 10.0, "EUR"), ("C2", "2025-03-12", 5.0, None)]


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    seed(tmp_path / "w.duckdb", EUR_AND_NONE)
    return tmp_path / "w.duckdb"


def test_the_scope_sets_the_order_of_no_currency_apart(db):
    ws = Workspace(db)
    with ws.cursor() as cur:
        scope = currency_in_scope(cur, MARCH)
    ws.close()
    assert (scope.code, scope.mixed, scope.assumed) == ("EUR", False, False)
    assert (scope.unknown_orders, scope.unknown_amount) == (1, 5.0)
    assert set_apart_message(scope, "fr").startswith("1 achat sans devise laissé à part (5,00, devise inconnue)")
    assert set_apart_message(scope, "en").startswith("1 purchase of no currency left out (5.00, unknown currency)")


def test_the_money_figures_leave_it_out(db):
    ws = Workspace(db)
    try:
        kpis = {k.key: k for s in find_stage_kpis(ws, MARCH) for k in s.kpis}
        with ws.cursor() as cur:
            ctx = Context(ws, cur, MARCH)
            value, source = ctx.value, ctx.value_source
        features = customer_features(ws).set_index("customer_id")
    finally:
        ws.close()
    assert kpis["aov"].value == pytest.approx(10.0)  # 10 / 1 (was 15 / 2 = 7.50)
    assert (value, source) == (pytest.approx(10.0), "orders")  # a conversion's value for the revenue at risk
    # personas: C2 still bought once (frequency), but spent nothing in a known currency
    assert features.loc["C1", ["n_orders", "monetary", "aov"]].tolist() == [1, 10.0, 10.0]
    assert features.loc["C2", ["n_orders", "monetary"]].tolist() == [1, 0.0] and features["aov"].isna()["C2"]
    members = features.assign(tenure_days=30, recency_days=1, status="active", sessions=0, tickets=0, returned=0)
    assert persona_kpis(members)["aov"] == pytest.approx(10.0)  # the persona card's average order (was 7.50)


def test_the_previous_period_of_no_currency_is_not_compared_with_a_priced_one(tmp_path):
    # March: 10 EUR + 5 (none); February: 500 (none). The previous period's 500 is not euros: its AOV is not
    # known in the page's currency (was 500.0, compared with March's 10.0 as if both were euros)
    seed(tmp_path / "w.duckdb", EUR_AND_NONE + [("C3", "2025-02-05", 500.0, None)])
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        aov = {
            k.key: k
            for s in find_stage_kpis(ws, Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 28)))
            for k in s.kpis
        }["aov"]
    finally:
        ws.close()
    assert aov.value == pytest.approx(10.0) and aov.previous is None


def test_a_period_of_guest_orders_only_keeps_its_order_figures(tmp_path):
    # three orders without a customer id (10, 20, 30 returned): no buyer, but the orders are there —
    # AOV (10 + 20 + 30) / 3 = 20, return rate 1 / 3, repeat rate 0 buyers → not available
    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:
        for day, amount, status in [
            ("2025-03-03", 10.0, "completed"),
            ("2025-03-10", 20.0, "completed"),
            ("2025-03-12", 30.0, "returned"),
        ]:
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status) "
                "values (1, null, $d::timestamp, $a, $s)",
                {"d": day, "a": amount, "s": status},
            )
    try:
        kpis = {k.key: k for s in find_stage_kpis(ws, MARCH) for k in s.kpis}
    finally:
        ws.close()
    assert kpis["aov"].value == pytest.approx(20.0)
    assert kpis["return_rate"].value == pytest.approx(100 / 3)
    assert kpis["repeat_purchase_rate"].value is None


def test_orders_all_without_a_currency_all_count(tmp_path):
    # nothing to set apart: no order says a currency, so they are all in the one assumed (the setting, EUR)
    seed(tmp_path / "w.duckdb", [("C1", "2025-03-05", 10.0, None), ("C2", "2025-03-12", 5.0, None)])
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        kpis = {k.key: k for s in find_stage_kpis(ws, MARCH) for k in s.kpis}
        with ws.cursor() as cur:
            scope = currency_in_scope(cur, MARCH)
        features = customer_features(ws).set_index("customer_id")
    finally:
        ws.close()
    assert kpis["aov"].value == pytest.approx(7.5) and scope.unknown_orders == 0 and scope.assumed
    assert features["aov"].tolist() == [10.0, 5.0]


@pytest.mark.parametrize(
    "lang, aov, note",
    [
        ("en", "€10.00", "1 purchase of no currency left out (5.00, unknown currency)"),
        ("fr", "10,00\u202f€", "1 achat sans devise laissé à part (5,00, devise inconnue)"),
    ],
)
def test_the_journey_shows_the_known_currency_and_says_what_it_left_out(db, monkeypatch, lang, aov, note):
    at = run_view("journey", db, monkeypatch, filters=MARCH, lang=lang)
    assert not at.exception
    label = {"en": "Average order value", "fr": "Panier moyen"}[lang]
    assert {m.label: m.value for m in at.metric}[label] == aov
    assert any(c.value.startswith(note) for c in at.caption), [c.value for c in at.caption]


def test_the_report_says_it_too(db):
    from cx.report import gather_report, render_html

    ws = Workspace(db)
    try:
        html = render_html(gather_report(ws, MARCH, "fr"))
    finally:
        ws.close()
    assert "1 achat sans devise laissé à part (5,00, devise inconnue)" in html


def test_checkout_trouble_values_a_cancelled_order_at_the_known_currency_basket(tmp_path):
    """CHECKOUT_TROUBLE's revenue at risk = (observed − expected) × orders of the method × the average kept order.
    paypal: 20 of 40 cancelled (0.5); card: 2 of 40 (0.05). The kept orders are 10.00 EUR, except 8 card orders of
    1,000.00 from a file without a currency: the basket is 10.00 (it was (50 × 10 + 8 × 1000) / 58 = 146.55)."""
    from cx.friction.customers import detect_checkout_trouble

    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:
        for i in range(80):
            method = "paypal" if i < 40 else "card"
            cancelled = i < 20 or 40 <= i < 42
            unknown = 42 <= i < 50  # card, kept, no currency
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount, status, payment_method, currency) "
                "values (1, $c, $d::timestamp, $a, $s, $m, $cur)",
                {
                    "c": f"C{i}",
                    "d": f"2025-03-{1 + i % 28:02d}",
                    "a": 1000.0 if unknown else 10.0,
                    "s": "cancelled" if cancelled else "completed",
                    "m": method,
                    "cur": None if unknown else "EUR",
                },
            )
        ctx = Context(ws, cur, MARCH)
        findings, _ = detect_checkout_trouble(ctx)
    ws.close()
    [paypal] = [f for f in findings if f.step == "paypal"]
    assert paypal.inputs["value_per_conversion"] == pytest.approx(10.0)
    # (0.5 − the other methods' 2 / 40 = 0.05) × 40 orders × 10.00 = 180.00 (it was 2,637.93)
    assert paypal.revenue_at_risk == pytest.approx((0.5 - 0.05) * 40 * 10.0)


def test_the_overview_says_it_too(db):
    # (Frictions and Personas show the same note through cx.ui.money.currency_notes; on two orders and no web events
    # they show no money at all)
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # its links need app.py's navigation
    at.session_state["lang"] = "fr"
    at.session_state["demo_checked"] = True
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("1 achat sans devise laissé à part (5,00, devise inconnue)") for c in captions), captions


def _purchases(db, sessions):
    ws = Workspace(db)
    with ws.cursor() as cur:
        for i, (amount, currency) in enumerate(sessions):
            cur.execute(
                "insert into events (import_id, event_time, visitor_id, session_id, event_name, revenue, currency) "
                "values (1, $t::timestamp, $v, 's1', 'purchase', $a, $cur)",
                {"t": f"2025-03-{1 + i:02d} 10:00", "v": f"v{i}", "a": amount, "cur": currency},
            )
    return ws


@pytest.mark.parametrize(
    "unpriced_currency, value, source",
    [
        # 10 sessions of 10.00 EUR and 2 of 100.00 of no currency: the value is 100 / 10 = 10.00, the two set apart
        # (it was (10 × 10 + 2 × 100) / 12 = 25.00 "€")
        ("EUR", 10.0, "web_priced"),
        # no revenue says a currency: they all count, in the one assumed: 300 / 12 = 25.00
        (None, 25.0, "web"),
    ],
)
def test_web_revenue_of_no_currency_is_left_out_of_a_conversions_value(tmp_path, unpriced_currency, value, source):
    ws = _purchases(tmp_path / "w.duckdb", [(10.0, unpriced_currency)] * 10 + [(100.0, None)] * 2)
    try:
        with ws.cursor() as cur:
            ctx = Context(ws, cur, MARCH)
            assert (ctx.value, ctx.value_source) == (pytest.approx(value), source)
    finally:
        ws.close()


def test_the_value_source_says_revenue_of_no_currency_was_left_out():
    from cx.i18n import t

    assert t("friction.value_source.web_priced", "en").endswith("revenue of no currency left out")
    assert "sans devise" in t("friction.value_source.web_priced", "fr")

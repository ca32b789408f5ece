"""Money in its real currency: the formatter (worked by hand) and the currency of the orders in scope."""

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cx.format import money
from cx.models import Filters
from cx.money import CurrencyScope, amount, amounts_text, assumed_message, currency_in_scope, mixed_message

NB = "\u202f"  # narrow no-break space: French thousands and before the symbol


@pytest.mark.parametrize(
    "value, currency, lang, expected",
    [
        (1234.56, "EUR", "fr", f"1{NB}234,56{NB}€"),
        (1234.56, "EUR", "en", "€1,234.56"),
        (1234.56, "USD", "fr", f"1{NB}234,56{NB}$US"),
        (1234.56, "USD", "en", "$1,234.56"),
        (1234.56, "GBP", "fr", f"1{NB}234,56{NB}£GB"),
        (1234.56, "GBP", "en", "£1,234.56"),
        (-1234.5, "EUR", "fr", f"-1{NB}234,50{NB}€"),
        (-1234.5, "USD", "en", "-$1,234.50"),
        (-5, "GBP", "en", "-£5.00"),
        (0, "EUR", "fr", f"0,00{NB}€"),
        (0, "USD", "en", "$0.00"),
        (-0.001, "USD", "en", "$0.00"),  # rounds to zero: no minus sign
        (1234567.891, "usd", "en", "$1,234,567.89"),  # lower-case code accepted
        (1234.5, "SEK", "en", "SEK\u00a01,234.50"),  # no usual symbol: the ISO code
        (1234.5, "SEK", "fr", f"1{NB}234,50{NB}SEK"),
        (1234.6, "JPY", "en", "¥1,235"),  # no minor unit
        (1234.5, None, "en", "1,234.50"),  # currency unknown: the bare number
        (None, "EUR", "fr", "—"),
        (float("nan"), "USD", "en", "—"),
    ],
)
def test_money_by_hand(value, currency, lang, expected):
    assert money(value, currency, lang) == expected


def test_money_decimals():
    assert money(12340.4, "EUR", "fr", 0) == f"12{NB}340{NB}€"
    assert money(12340.5, "USD", "en", 0) == "$12,340"  # Python rounds half to even, like the other figures
    assert money(99.999, "GBP", "en", 2) == "£100.00"


def insert_order(cur, oid, amount, currency, day="2025-03-01", status="completed", customer="C1", import_id=1):
    cur.execute(
        "insert into orders (import_id, order_id, customer_id, order_time, amount, status, currency) "
        "values ($i, $o, $c, $d::timestamp, $a, $s, $cur)",
        {"i": import_id, "o": oid, "c": customer, "d": day, "a": amount, "s": status, "cur": currency},
    )


def test_single_currency(ws):
    with ws.cursor() as cur:
        insert_order(cur, "O1", 100, "USD")
        insert_order(cur, "O2", 50.5, "USD")
        insert_order(cur, "O3", 999, "EUR", status="cancelled")  # cancelled: not money the analysis covers
        scope = currency_in_scope(cur, Filters())
    assert scope == CurrencyScope("USD", (("USD", 150.5),))
    assert not scope.mixed and scope.as_dict() == {"currency": "USD", "currencies": None, "currency_assumed": False}


def test_payments_that_failed_are_no_money_and_no_currency(ws):
    # a Stripe export (a new-user tester's): 6 "Paid" USD payments, 4 "Failed" and 1 "requires_payment_method" in
    # USD, 1 "Failed" in AUD — the money in scope is the paid 142.90 USD only, not 270.80 USD beside 8.99 AUD
    paid = [77.94, 5.00, 14.99, 14.99, 14.99, 14.99]
    with ws.cursor() as cur:
        for i, value in enumerate(paid):
            insert_order(cur, f"P{i}", value, "USD", status="Paid")
        for i, value in enumerate([9.99, 14.99, 9.99, 77.94]):
            insert_order(cur, f"F{i}", value, "USD", status="Failed")
        insert_order(cur, "R", 14.99, "USD", status="requires_payment_method")
        insert_order(cur, "A", 8.99, "AUD", status="Failed")
        scope = currency_in_scope(cur, Filters())
    assert scope == CurrencyScope("USD", (("USD", 142.9),))


def test_mixed_currencies_listed_largest_first(ws):
    with ws.cursor() as cur:
        insert_order(cur, "O1", 12000, "EUR")
        insert_order(cur, "O2", 340, "EUR")
        insert_order(cur, "O3", 5600, "USD")
        scope = currency_in_scope(cur, Filters())
    assert scope.mixed and scope.code is None
    assert scope.amounts == (("EUR", 12340.0), ("USD", 5600.0))
    assert scope.as_dict() == {
        "currency": None,
        "currencies": [{"code": "EUR", "amount": 12340.0}, {"code": "USD", "amount": 5600.0}],
        "currency_assumed": False,
    }
    assert amounts_text(scope, "en") == "EUR 12,340, USD 5,600"
    assert amounts_text(scope, "fr") == f"EUR 12{NB}340, USD 5{NB}600"
    assert mixed_message(scope, "en").startswith(
        "Not available: the orders in scope are in several currencies (EUR 12,340, USD 5,600)"
    )
    assert amount(10, scope, "en") == "n/a (several currencies)"


def test_filters_narrow_the_currency(ws):
    with ws.cursor() as cur:
        insert_order(cur, "O1", 100, "EUR", day="2025-01-10")
        insert_order(cur, "O2", 80, "USD", day="2025-03-10")
        march = currency_in_scope(cur, Filters(start=dt.date(2025, 3, 1)))
    assert march.code == "USD" and not march.mixed


def test_order_without_currency_takes_its_import(ws):
    with ws.cursor() as cur:
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, status, currency) "
            "values (7, 'shop.csv', 'x', 'orders', 'loaded', 'GBP')"
        )
        insert_order(cur, "O1", 100, None, import_id=7)
        scope = currency_in_scope(cur, Filters())
    assert (scope.code, scope.assumed) == ("GBP", False)


def test_no_currency_ever_found_is_assumed(ws, monkeypatch):
    monkeypatch.delenv("CX_CURRENCY", raising=False)
    with ws.cursor() as cur:
        insert_order(cur, "O1", 100, None)
        assert currency_in_scope(cur, Filters()) == CurrencyScope("EUR", (("EUR", 100.0),), assumed=True)
        monkeypatch.setenv("CX_CURRENCY", "chf")
        assert currency_in_scope(cur, Filters()).code == "CHF"


def test_none_in_scope_uses_the_workspace_currency(ws):
    with ws.cursor() as cur:
        insert_order(cur, "O1", 100, "USD", day="2025-01-10")
        scope = currency_in_scope(cur, Filters(start=dt.date(2025, 6, 1)))  # no order in June
    assert (scope.code, scope.assumed, scope.amounts) == ("USD", False, ())


def test_web_revenue_counts(ws):
    with ws.cursor() as cur:
        cur.execute(
            "insert into events (import_id, event_time, visitor_id, event_name, revenue, currency) "
            "values (2, '2025-03-01 10:00', 'V1', 'purchase', 40, 'GBP')"
        )
        only_web = currency_in_scope(cur, Filters())
        insert_order(cur, "O1", 100, "EUR")
        both = currency_in_scope(cur, Filters())
    assert only_web == CurrencyScope("GBP", (("GBP", 40.0),))
    assert both.mixed and both.amounts == (("EUR", 100.0), ("GBP", 40.0))  # the orders, then web revenue


def test_web_revenue_without_currency_is_not_listed_beside_orders(ws):
    with ws.cursor() as cur:
        cur.execute(
            "insert into events (import_id, event_time, visitor_id, event_name, revenue) "
            "values (2, '2025-03-01 10:00', 'V1', 'purchase', 40)"
        )
        insert_order(cur, "O1", 100, "EUR")
        insert_order(cur, "O2", 60, "USD")
        scope = currency_in_scope(cur, Filters())
    assert scope.amounts == (("EUR", 100.0), ("USD", 60.0))


def test_none_in_scope_among_several_known_is_assumed_not_bare(ws, monkeypatch):
    # the tester's October: only web revenue without a currency, while the workspace's orders are in USD and CAD
    monkeypatch.delenv("CX_CURRENCY", raising=False)
    with ws.cursor() as cur:
        insert_order(cur, "O1", 100, "USD", day="2025-01-10")
        insert_order(cur, "O2", 80, "CAD", day="2025-02-10")
        cur.execute(
            "insert into events (import_id, event_time, visitor_id, event_name, revenue) "
            "values (2, '2025-10-05 10:00', 'V1', 'purchase', 9463)"
        )
        scope = currency_in_scope(cur, Filters(start=dt.date(2025, 10, 1), end=dt.date(2025, 10, 31)))
    assert (scope.code, scope.assumed, scope.known_elsewhere) == ("EUR", True, ("CAD", "USD"))
    assert scope.amounts == (("EUR", 9463.0),) and not scope.mixed
    assert scope.as_dict() == {"currency": "EUR", "currencies": None, "currency_assumed": True}
    # 9 463 and 183 per conversion were shown bare; now with the (assumed) currency, and the page says why
    assert amount(9463, scope, "fr", 0) == f"9{NB}463\u202f€"
    assert amount(183, scope, "en", 0) == "€183"
    assert assumed_message(scope, "fr").startswith("Les montants de ce périmètre n’ont pas de devise connue")
    assert "CAD, USD" in assumed_message(scope, "en") and "EUR" in assumed_message(scope, "en")


# Amounts whose double sum depends on the order of addition: 0.1 + 0.2 + 0.3 = 0.6000000000000001 but
# 0.3 + 0.2 + 0.1 = 0.6; with the large ones the last digits of 4525163.42-like totals moved between runs (DuckDB
# adds doubles in parallel, in no fixed order). Exact sum by hand: 0.1 + 0.2 + 0.3 + 19.99 + 1000000.07 + 3525143.36
# + 0.01 = 0.6 + 19.99 + 4525143.43 + 0.01 = 4525164.03 (a left-to-right double sum reads 4525164.029999999).
SHUFFLED_AMOUNTS = (0.1, 0.2, 0.3, 19.99, 1_000_000.07, 3_525_143.36, 0.01)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(SHUFFLED_AMOUNTS))
def test_the_amount_in_scope_does_not_depend_on_the_order_of_the_rows(ws, order):
    with ws.cursor() as cur:
        cur.execute("delete from orders")
        for i, value in enumerate(order):
            insert_order(cur, f"O{i}", value, "EUR")
        scope = currency_in_scope(cur, Filters())
    assert scope.amounts == (("EUR", 4525164.03),)

"""The staging layer (cx/sql/staging/): each concept written once, worked out by hand on rows written here."""

import datetime as dt
import re

from hypothesis import HealthCheck, given, settings, strategies as st

from cx.models import Filters
from cx.workspace import bind_params, sql_file
from tests.conftest import ROOT


def run(ws, name, filters=Filters()):
    sql = sql_file(name)
    with ws.cursor() as cur:
        return cur.execute(sql, bind_params(sql, filters.params())).fetchall()


def crm(ws, rows):
    """rows: (import_id, customer, segment)."""
    with ws.cursor() as cur:
        for i, c, s in rows:
            cur.execute(
                "insert into customers (import_id, customer_id, segment) values ($i, $c, $s)", {"i": i, "c": c, "s": s}
            )


def web(ws, rows):
    """rows: (visitor, customer or None, 'YYYY-MM-DD', device, channel)."""
    with ws.cursor() as cur:
        for v, c, t, d, ch in rows:
            cur.execute(
                "insert into events (import_id, visitor_id, customer_id, event_time, event_name, device, channel) "
                "values (9, $v, $c, $t::timestamp, 'page_view', $d, $ch)",
                {"v": v, "c": c, "t": t, "d": d, "ch": ch},
            )


# A was Particulier in import 1 and VIP in import 3 (the latest wins); B is VIP then Particulier; C only VIP.
CRM = [(1, "A", "Particulier"), (3, "A", "VIP"), (1, "B", "VIP"), (2, "B", "Particulier"), (2, "C", "VIP")]
# v1 is linked to A on one event only (its other events carry no customer id); v2 to B; v3 to nobody; v4 to C.
WEB = [
    ("v1", None, "2025-01-02", "mobile", "seo"),
    ("v1", "A", "2025-02-03", "desktop", "seo"),
    ("v2", "B", "2025-01-05", "mobile", "ads"),
    ("v3", None, "2025-02-10", "mobile", "seo"),
    ("v4", "C", "2025-03-01", "mobile", "ads"),
]


def run_segments(ws):
    with ws.cursor() as cur:
        return cur.execute(
            "select import_id, customer_id, segment from (" + sql_file("staging/latest_customers.sql") + ")"
        ).fetchall()


def test_the_latest_crm_row_of_each_customer(ws):
    crm(ws, CRM)
    assert sorted((r[1], r[2]) for r in run_segments(ws)) == [("A", "VIP"), ("B", "Particulier"), ("C", "VIP")]


def test_latest_rows_keep_their_import(ws):
    crm(ws, CRM)
    assert sorted(r[0] for r in run_segments(ws)) == [2, 2, 3]  # A from import 3, B and C from import 2


def test_visitors_in_scope_follow_the_latest_segment(ws):
    crm(ws, CRM)
    web(ws, WEB)
    # VIP today: A (import 3) and C; B is no longer VIP. Their visitors: v1 (through its one linked event), v4.
    assert sorted(r[0] for r in run(ws, "staging/scope_visitors.sql", Filters(segment="VIP"))) == ["v1", "v4"]
    assert run(ws, "staging/scope_visitors.sql") == []  # no customer filter: nobody needs linking


def test_events_in_scope(ws):
    crm(ws, CRM)
    web(ws, WEB)

    def visitors_days(filters, name="staging/scope_events.sql"):
        sql = "select visitor_id, event_time::date::varchar from (" + sql_file(name) + ") order by all"
        with ws.cursor() as cur:
            return cur.execute(sql, bind_params(sql, filters.params())).fetchall()

    assert len(visitors_days(Filters())) == 5
    # VIP: every event of v1 (the one without a customer id too) and v4's.
    assert visitors_days(Filters(segment="VIP")) == [("v1", "2025-01-02"), ("v1", "2025-02-03"), ("v4", "2025-03-01")]
    # VIP on mobile in February or later: v1's mobile event is in January, its February one on desktop → v4 only.
    assert visitors_days(Filters(segment="VIP", device="mobile", start=dt.date(2025, 2, 1))) == [("v4", "2025-03-01")]
    # the period ends on the day given, included: up to 3 Feb → v1 ×2, v2, not v3 (10 Feb) nor v4
    assert [v for v, _ in visitors_days(Filters(end=dt.date(2025, 2, 3)))] == ["v1", "v1", "v2"]
    # all time: the period is not applied, the other filters are
    assert visitors_days(Filters(channel="ads", start=dt.date(2025, 3, 1)), "staging/scope_events_all_time.sql") == [
        ("v2", "2025-01-05"),
        ("v4", "2025-03-01"),
    ]


def test_seen_customers(ws):
    web(ws, WEB)
    # events with a customer id on mobile: B (5 Jan), C (1 Mar); A's is on desktop
    assert sorted(r[0] for r in run(ws, "staging/seen_customers.sql", Filters(device="mobile"))) == ["B", "C"]
    assert sorted(r[0] for r in run(ws, "staging/seen_customers.sql", Filters(end=dt.date(2025, 2, 3)))) == ["A", "B"]


def test_the_segment_macro_uses_the_latest_crm_row(ws):
    crm(ws, CRM)
    with ws.cursor() as cur:
        got = cur.execute(
            "select customer_id from (values ('A'), ('B'), ('C'), ('Z')) t(customer_id) "
            "where cx_customer_in_scope(customer_id, 'Particulier', null) order by all"
        ).fetchall()
    assert got == [("B",)]


def test_an_include_marker_names_a_file_of_the_layer():
    text = sql_file("funnel_events.sql")
    assert "/*@" not in text and "cx_customer_in_scope(c.customer_id" in text  # staging/scope_visitors.sql, nested
    for path in (ROOT / "cx" / "sql").rglob("*.sql"):
        for name in re.findall(r"/\*@([^*]+)\*/", path.read_text(encoding="utf-8")):
            assert (ROOT / "cx" / "sql" / name).is_file(), f"{path.name}: /*@{name}*/ names no file"


def test_orders_tickets_and_answers_in_scope(ws):
    crm(ws, CRM)
    with ws.cursor() as cur:  # G is in no CRM import
        for c, t in [("A", "2025-01-31 23:59:59"), ("A", "2025-02-01"), ("B", "2025-02-15"), ("G", "2025-02-20")]:
            values = {"c": c, "t": t}
            cur.execute(
                "insert into orders (import_id, customer_id, order_time, amount) values (4, $c, $t::timestamp, 10)",
                values,
            )
            cur.execute(
                "insert into tickets (import_id, ticket_id, channel, customer_id, created_at) "
                "values (5, $c || $t, 'email', $c, $t::timestamp)",
                values,
            )
            cur.execute(
                "insert into responses (import_id, customer_id, responded_at) values (6, $c, $t::timestamp)", values
            )
    for table, column in (("orders", "order_time"), ("tickets", "created_at"), ("responses", "responded_at")):

        def who(filters, table=table, column=column):
            sql = f"select customer_id from ({sql_file(f'staging/scope_{table}.sql')}) order by {column}"
            with ws.cursor() as cur:
                return [r[0] for r in cur.execute(sql, bind_params(sql, filters.params())).fetchall()]

        # February: A's second, B's, G's (no customer filter: a customer outside the CRM stays)
        assert who(Filters(start=dt.date(2025, 2, 1), end=dt.date(2025, 2, 28))) == ["A", "B", "G"], table
        # VIP (A's latest row) from February: A's second only; G drops out once a segment is chosen
        assert who(Filters(start=dt.date(2025, 2, 1), segment="VIP")) == ["A"], table
        # up to 31 January included: A's first (23:59:59 is still that day)
        assert who(Filters(end=dt.date(2025, 1, 31))) == ["A"], table


def test_order_status_reads_a_status_one_way(ws):
    # the fragment adds `cancelled` and `returned` to the rows of the including query's `status_of`
    statuses = [
        ("completed", False, False),
        (None, False, False),
        ("Cancelled by customer", True, False),  # on its beginning, any case (the Journey's list missed it)
        ("  annulée", True, False),
        ("Abandoned checkout", True, False),
        ("voided", True, False),
        ("avoided", False, False),
        ("Refund pending", False, True),
        ("Remboursée", False, True),
        ("retour", False, True),
        ("partially_refunded", False, False),  # a partial refund: the order was kept
        ("Remboursement partiel", False, False),  # the same in French
        # asked, refused, failed or itself cancelled: not the final word, the order stands
        ("Return requested", False, False),
        ("Return cancelled", False, False),
        ("Return rejected", False, False),
        ("Retour refusé", False, False),
        ("Retour annulé", False, False),
        ("Refund declined", False, False),
        ("Refund failed", False, False),
        ("Cancellation requested", False, False),
        ("Cancellation rejected", False, False),
        ("Cancel request denied", False, False),
        ("Annulation demandée", False, False),
        # a payment that did not go through is never a purchase (Stripe, WooCommerce, PrestaShop)
        ("Failed", True, False),
        ("requires_payment_method", True, False),
        ("Incomplete", True, False),
        ("Payment failed", True, False),
        ("Paiement refusé", True, False),
        ("Erreur de paiement", True, False),
        ("échoué", True, False),
        ("Declined", True, False),
        ("Expired", True, False),
        ("Paid", False, False),
        ("pending", False, False),  # awaiting payment: Shopify counts it
        ("Refunded", False, True),
        ("Paiement échoué", True, False),
        ("declined payment", True, False),
        # not a failed payment: a paid order whose delivery failed, an authorised or pending payment, a bare word
        ("Failed delivery", False, False),
        ("Échec de livraison", False, False),
        ("Echec de livraison", False, False),
        ("requires_capture", False, False),
        ("requires_action", False, False),
        ("requires_confirmation", False, False),
        ("Payment pending", False, False),
        ("Error", False, False),
        ("Refused", False, False),  # a parcel refused at the door, as much as a payment: the order stands
        ("Refusé", False, False),
        ("Rejected", False, False),
        # WooCommerce: plugin and database exports write its statuses with `wc-` (they were all sales), its
        # Analytics CSV "Completed", "Pending payment", its REST API the bare slug
        ("wc-completed", False, False),
        ("wc-processing", False, False),
        ("wc-on-hold", False, False),
        ("wc-pending", True, False),  # pending payment: WooCommerce Analytics leaves it out (the importer writes it so)
        ("WC-Pending", True, False),
        ("wc-cancelled", True, False),
        ("wc-refunded", False, True),
        ("wc-failed", True, False),
        ("wc-checkout-draft", True, False),  # a checkout left before ordering
        ("WC-Cancelled", True, False),
        ("checkout-draft", True, False),
        ("Pending payment", False, False),
        ("On hold", False, False),
    ]
    assert _statuses(ws, [(s, None, None) for s, _, _ in statuses]) == [(c, r) for _, c, r in statuses]


def test_prestashop_default_states_in_french_and_english(ws):
    # PrestaShop's default order states (back office, French and English): those that wait for the money are no
    # purchase (its statistics leave them out, as WooCommerce Analytics leaves pending payment out)
    states = [
        ("En attente du paiement par chèque", True, False),
        ("En attente de paiement par chèque", True, False),  # as the tester's shop spells it
        ("Awaiting check payment", True, False),
        ("En attente de virement bancaire", True, False),
        ("Awaiting bank wire payment", True, False),
        ("En attente de paiement à la livraison", True, False),
        ("Awaiting Cash On Delivery validation", True, False),
        ("En attente de réapprovisionnement (non payé)", True, False),
        ("On backorder (not paid)", True, False),
        ("En attente de paiement PayPal", True, False),  # a payment module's state
        ("Awaiting PayPal payment", True, False),
        # paid: a purchase
        ("Paiement accepté", False, False),
        ("Payment accepted", False, False),
        ("Paiement à distance accepté", False, False),
        ("Remote payment accepted", False, False),
        ("En cours de préparation", False, False),
        ("Processing in progress", False, False),
        ("Expédié", False, False),
        ("Shipped", False, False),
        ("Livré", False, False),
        ("Delivered", False, False),
        ("En attente de réapprovisionnement (payé)", False, False),
        ("On backorder (paid)", False, False),
        ("Paiement partiel accepté", False, False),
        # no sale, or sent back
        ("Annulé", True, False),
        ("Canceled", True, False),
        ("Erreur de paiement", True, False),
        ("Payment error", True, False),
        ("Remboursé", False, True),
        ("Refunded", False, True),
        ("Remboursement partiel", False, False),
        ("Partial refund", False, False),
    ]
    assert _statuses(ws, [(s, None, None) for s, _, _ in states]) == [(c, r) for _, c, r in states]
    # awaiting the money is no failure either (a reviewer: 20 cheques awaiting gave a false checkout-trouble finding)
    waiting = [("En attente de virement bancaire", True), ("Awaiting check payment", True), ("Annulé", False)]
    waiting += [("Erreur de paiement", False), ("Paiement accepté", False)]
    assert _statuses(ws, [(s, None, None) for s, _ in waiting], "waiting") == [(w,) for _, w in waiting]


def _statuses(ws, rows: list[tuple], read: str = "cancelled, returned") -> list[tuple[bool, ...]]:
    """(cancelled, returned), or the columns `read`, of each (status, amount, refunded) as
    staging/order_status.sql reads them."""
    values = ", ".join(
        f"({i}, {'null' if s is None else repr(s)}, {'null' if a is None else a}::double, "
        f"{'null' if r is None else r}::double)"
        for i, (s, a, r) in enumerate(rows)
    )
    sql = (
        f"with status_of as (select * from (values {values}) t(i, status, amount, refunded)), "
        f"final as (/*@staging/order_status.sql*/) select {read} from final order by i"
    )
    sql = re.sub(r"/\*@(staging/[\w.]+)\*/", lambda m: sql_file(m.group(1)), sql)
    with ws.cursor() as cur:
        return cur.execute(sql).fetchall()


_POOL = ("completed", "Cancelled", "cancelled", None, "wc-refunded", "Return requested", "Failed", "", " Paid ")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.tuples(
            st.sampled_from(_POOL),
            st.one_of(st.none(), st.sampled_from([-20.0, 0.0, 45.0, 99.99])),
            st.one_of(st.none(), st.sampled_from([0.0, 45.0, 99.99])),
        ),
        min_size=1,
        max_size=8,
    )
)
def test_order_status_reads_each_order_as_alone(ws, rows):
    # the fragment reads each distinct status once and joins it back to the orders: every order keeps its row (a
    # missing status too) and is read as it would be alone, whatever other orders share its status
    assert _statuses(ws, rows) == [_statuses(ws, [row])[0] for row in rows]


def test_an_order_refunded_in_full_is_a_returned_one(ws):
    rows = [
        (("completed", 150.0, 150.0), (False, True)),  # all the money given back: returned, whatever the status
        (("wc-completed", 99.99, 99.99), (False, True)),
        (("completed", 150.0, 30.0), (False, False)),  # a partial refund: the order was kept
        (("completed", 150.0, 0.0), (False, False)),
        (("completed", 150.0, None), (False, False)),  # the export says nothing of refunds
        (("wc-cancelled", 45.0, 45.0), (True, False)),  # cancelled, then its payment given back: never bought
        (("completed", 0.0, 0.0), (False, False)),  # a free order refunded of nothing
        (("wc-refunded", 99.99, None), (False, True)),  # the status alone says it
    ]
    assert _statuses(ws, [r for r, _ in rows]) == [e for _, e in rows]

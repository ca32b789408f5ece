"""Tiny hand-made tables for the journey oracle tests (tests/test_journey*.py; no test in this file): every
expected value in those tests is worked out by hand from these rows."""

import datetime as dt

from cx.models import Filters

PERIOD = Filters(dt.date(2025, 3, 8), dt.date(2025, 3, 14))  # previous period: 1–7 March

# (time, visitor, event, page, device, channel) — no session id: 30-minute sessions
EVENTS = [
    # visitor A (mobile, seo): session A1 = 10:00 → 10:35 (the last event exactly 30 min after the one before)
    ("2025-03-10 10:00:00", "A", "session_start", "https://shop.fr/", "mobile", "seo"),
    ("2025-03-10 10:00:05", "A", "page_view", "https://shop.fr/", "mobile", "seo"),
    ("2025-03-10 10:01:00", "A", "page_view", "https://shop.fr/produit/lampe", "mobile", "seo"),
    ("2025-03-10 10:01:10", "A", "view_item", "https://shop.fr/produit/lampe", "mobile", "seo"),
    ("2025-03-10 10:02:00", "A", "add_to_cart", "https://shop.fr/produit/lampe", "mobile", "seo"),
    ("2025-03-10 10:03:00", "A", "begin_checkout", "https://shop.fr/panier", "mobile", "seo"),
    ("2025-03-10 10:04:00", "A", "add_payment_info", "https://shop.fr/commande/paiement", "mobile", "seo"),
    ("2025-03-10 10:05:00", "A", "purchase", "https://shop.fr/commande/confirmation", "mobile", "seo"),
    ("2025-03-10 10:35:00", "A", "page_view", "https://shop.fr/aide/faq", "mobile", "seo"),
    # session A2: 30 min + 1 s later
    ("2025-03-10 11:05:01", "A", "page_view", "https://shop.fr/blog/idees", "mobile", "seo"),
    # visitor B (desktop, email): B1 (60 s, one page view, a payment error), B2 (3 s, a share)
    ("2025-03-12 09:00:00", "B", "page_view", "https://shop.fr/categorie/luminaires", "desktop", "email"),
    ("2025-03-12 09:00:20", "B", "view_item", "https://shop.fr/produit/x", "desktop", "email"),
    ("2025-03-12 09:00:40", "B", "add_to_cart", "https://shop.fr/produit/x", "desktop", "email"),
    ("2025-03-12 09:01:00", "B", "payment_error", "https://shop.fr/commande/paiement", "desktop", "email"),
    ("2025-03-13 20:00:00", "B", "page_view", "https://shop.fr/", "desktop", "email"),
    ("2025-03-13 20:00:03", "B", "share", "https://shop.fr/produit/x", "desktop", "email"),
    # visitor C (mobile, seo): seen on desktop in the previous period, so not new; today on a page no rule knows
    ("2025-03-03 12:00:00", "C", "page_view", "https://shop.fr/", "desktop", "seo"),
    ("2025-03-14 23:59:59", "C", "page_view", "https://shop.fr/inconnu", "mobile", "seo"),
    # visitor D: the day after the period (end is inclusive, so 15 March 00:00 is out)
    ("2025-03-15 00:00:00", "D", "page_view", "https://shop.fr/", "tablet", "seo"),
    # visitor E (desktop, email): one product seen, no cart, 30 s
    ("2025-03-11 15:00:00", "E", "view_item", "https://shop.fr/produit/y", "desktop", "email"),
    ("2025-03-11 15:00:30", "E", "page_view", "https://shop.fr/produit/y", "desktop", "email"),
    # visitor F (mobile, seo), previous period only: a purchase without any page_view, 40 s
    ("2025-03-05 08:00:00", "F", "view_item", "https://shop.fr/produit/z", "mobile", "seo"),
    ("2025-03-05 08:00:20", "F", "add_to_cart", "https://shop.fr/produit/z", "mobile", "seo"),
    ("2025-03-05 08:00:40", "F", "purchase", "https://shop.fr/commande/confirmation", "mobile", "seo"),
]

CUSTOMERS = [("C1", "VIP"), ("C2", "Pro"), ("C3", "VIP"), ("C4", "Pro")]

# (order_id, customer, time, amount, status, delivered)
ORDERS = [
    ("O1", "C1", "2025-03-09 10:00:00", 100.0, "completed", "2025-03-11"),
    ("O2", "C1", "2025-03-12 10:00:00", 50.0, "returned", "2025-03-13"),
    ("O3", "C2", "2025-03-10 10:00:00", 80.0, "cancelled", None),
    ("O4", "C3", "2025-03-13 10:00:00", 30.0, "completed", None),  # still in transit
    ("O5", "C2", "2025-03-14 12:00:00", 70.0, "completed", "2025-03-14"),
    ("O6", "C1", "2025-03-02 10:00:00", 40.0, "completed", "2025-03-04"),
    ("O7", "C4", "2025-03-06 10:00:00", 60.0, "completed", "2025-03-07"),
]

# (ticket, customer, created, resolved, complaint, csat, category, channel)
TICKETS = [
    ("T1", "C1", "2025-03-09 09:00:00", "2025-03-09 21:00:00", True, 5, "paiement", "chat"),
    ("T2", "C2", "2025-03-10 08:00:00", "2025-03-11 08:00:00", False, 3, "livraison", "email"),
    ("T3", None, "2025-03-12 10:00:00", None, True, None, "produit", "social"),
    ("T4", "C3", "2025-03-13 10:00:00", "2025-03-13 16:00:00", False, 4, "livraison", "email"),
    ("T5", "C4", "2025-03-04 10:00:00", "2025-03-06 10:00:00", True, 2, "livraison", "email"),
]

# (time, customer, nps, csat, touchpoint, stage)
RESPONSES = [
    ("2025-03-09 12:00:00", "C1", 10, 5, "après achat", None),
    ("2025-03-10 12:00:00", "C2", 9, 4, "après livraison", None),
    ("2025-03-11 12:00:00", "C3", 6, 2, "après livraison", None),
    ("2025-03-12 12:00:00", None, 0, None, None, None),
    ("2025-03-13 12:00:00", "C1", 9, 3, "site web", "Évaluation"),
    ("2025-03-05 12:00:00", "C4", 3, None, None, None),
]


def insert(ws, table: str, columns: list[str], rows: list[tuple]) -> None:
    with ws.cursor() as cur:
        names = ", ".join(["import_id", *columns])
        marks = ", ".join(["1"] + ["?"] * len(columns))
        cur.executemany(f"insert into {table} ({names}) values ({marks})", rows)


def load_events(ws, rows=EVENTS, with_sessions=False) -> None:
    if with_sessions:
        insert(
            ws, "events", ["event_time", "visitor_id", "event_name", "page", "device", "channel", "session_id"], rows
        )
    else:
        insert(ws, "events", ["event_time", "visitor_id", "event_name", "page", "device", "channel"], rows)


def load_all(ws) -> None:
    load_events(ws)
    insert(ws, "customers", ["customer_id", "segment"], CUSTOMERS)
    insert(ws, "orders", ["order_id", "customer_id", "order_time", "amount", "status", "delivered_date"], ORDERS)
    insert(
        ws,
        "tickets",
        ["ticket_id", "customer_id", "created_at", "resolved_at", "is_complaint", "csat", "category", "channel"],
        TICKETS,
    )
    insert(
        ws,
        "responses",
        ["responded_at", "customer_id", "nps", "csat", "touchpoint", "stage"],
        [(*r,) for r in RESPONSES],
    )
    with ws.cursor() as cur:  # csat on 1–5, as the importer records it
        cur.execute("update responses set csat_scale = 5")

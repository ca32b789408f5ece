"""Rows repeated in one file (same values in every column) are loaded once, listed among the rejected rows at
their line with the line they repeat, and said in the report; web events are left alone."""

from __future__ import annotations

from pathlib import Path

from cx.ingest import import_file
from tests.conftest import write

DATA = Path(__file__).parent / "data" / "tester3"


def test_a_person_listed_twice_is_loaded_once_and_the_repeat_is_said(ws):
    # the tester's customers (UTF-8 with BOM): 6 people, then lines 2 and 3 again as lines 8 and 9
    report = import_file(ws, DATA / "clients_bom.csv")
    assert (report.kind, report.rows_read, report.rows_loaded, report.rows_rejected) == ("customers", 8, 6, 2)
    assert [(r.line, r.code, r.reason.rsplit(" ", 1)[-1]) for r in report.rejects] == [
        (8, "duplicate_row", "2"),
        (9, "duplicate_row", "3"),
    ]
    assert [(n.key, n.values) for n in report.notes] == [("duplicates", {"n": 2})]
    # the repeated line is stored pseudonymised, as any rejected line
    assert "@" not in report.rejects[0].value and report.rejects[0].value.startswith("px_")
    with ws.cursor() as cur:
        assert cur.execute("select count(*), count(distinct customer_id) from customers").fetchall() == [(6, 6)]


ORDERS = (
    "Commande;Client;Date;Montant;Articles\n"
    "A1;c1@example.fr;31/12/2025;10,00 €;2\n"  # line 2
    "A2;c2@example.fr;01/02/2025;20,00 €;1\n"  # line 3: two line items of A2 …
    "A2;;;;3\n"  # line 4
    "A1;c1@example.fr;31/12/2025;10,00 €;2\n"  # line 5: a repeat of line 2
    "A3;c3@example.fr;02/02/2025;douze;1\n"  # line 6: not a number
    "A2;;;;3\n"  # line 7: a repeat of line 4 (not a third item)
    "A1;c1@example.fr;31/12/2025;10,00 €;2\n"  # line 8: line 2 again
)


def test_repeated_order_lines_are_not_absorbed_by_the_roll_up(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "commandes.csv", ORDERS), pseudonymise=False)
    # 3 repeats set aside; the 4 rows left rolled up into 3 orders (rows read count orders, as for any roll-up:
    # 3 + 3 = 6); A3 rejected; A1 and A2 loaded
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 2, 4)
    assert [(r.line, r.code) for r in report.rejects] == [
        (5, "duplicate_row"),
        (6, "not_a_number"),
        (7, "duplicate_row"),
        (8, "duplicate_row"),
    ]
    assert [r.reason.rsplit(" ", 1)[-1] for r in report.rejects if r.code == "duplicate_row"] == ["2", "4", "2"]
    with ws.cursor() as cur:
        rows = cur.execute("select order_id, amount, items from orders order by order_id").fetchall()
    # A2's items: 1 + 3 = 4 (not 1 + 3 + 3); A1: 2 (not 6)
    assert rows == [("A1", 10.0, 2), ("A2", 20.0, 4)]


def test_identical_web_events_are_two_events(ws, tmp_path):
    text = "event_time,visitor_id,event_name\n2025-01-01 10:00:00,v1,page_view\n2025-01-01 10:00:00,v1,page_view\n"
    report = import_file(ws, write(tmp_path, "events.csv", text), kind="events")
    assert (report.rows_loaded, report.rows_rejected) == (2, 0)


def test_identical_orders_without_an_order_number_are_two_orders(ws, tmp_path):
    # the same customer may buy twice the same day for the same amount: nothing names the records, both stay
    report = import_file(ws, write(tmp_path, "o.csv", "client,date,montant\nC1,2025-01-01,10\nC1,2025-01-01,10\n"))
    assert (report.kind, report.rows_loaded, report.rows_rejected) == ("orders", 2, 0)


CUSTOMERS = (
    "customer_id,email,segment,country,signup_date\n"
    "C1,a@example.fr,VIP,France,2024-01-01\n"  # line 2: as complete as line 4, earlier: set aside
    "C2,b@example.fr,,France,2024-02-01\n"  # line 3: less complete than line 5: set aside
    "C1,a@example.fr,Particulier,France,2024-01-01\n"  # line 4: kept (the latest of two equally complete)
    "C2,b@example.fr,VIP,France,2024-02-01\n"  # line 5: kept (5 cells filled against 4)
    "C2,b@example.fr,,France,2024-02-01\n"  # line 6: line 3 again (an exact repeat)
    "C3,c@example.fr,,,\n"  # line 7: alone
)


def test_a_customer_id_listed_twice_with_other_values_is_one_customer(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "crm.csv", CUSTOMERS), kind="customers")
    # 6 rows read; 3 set aside (lines 2 and 3 for another row of their customer, line 6 a repeat of line 3); 3 loaded
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 3, 3)
    assert [(r.line, r.code, r.reason.rsplit(" ", 1)[-1]) for r in report.rejects] == [
        (2, "duplicate_customer", "4"),
        (3, "duplicate_customer", "5"),
        (6, "duplicate_row", "3"),
    ]
    assert [(n.key, n.values) for n in report.notes] == [("duplicates", {"n": 1}), ("duplicate_customers", {"n": 2})]
    with ws.cursor() as cur:
        rows = cur.execute("select customer_id, segment from customers order by customer_id").fetchall()
    assert rows == [("C1", "Particulier"), ("C2", "VIP"), ("C3", None)]


def test_an_e_mail_customer_id_is_the_same_customer_whatever_its_case_and_spaces(ws, tmp_path):
    # the tester's CRM shape: the e-mail is the customer id, written once in capitals with spaces around
    text = "Email,Segment,Pays\n  A@EXAMPLE.FR ,VIP,France\nb@example.fr,,Belgique\na@example.fr,Particulier,\n"
    report = import_file(ws, write(tmp_path, "clients.csv", text), kind="customers")
    # lines 2 and 4 are one customer (3 cells filled against 2: line 2 kept)
    assert [(r.line, r.code, r.reason.rsplit(" ", 1)[-1]) for r in report.rejects] == [(4, "duplicate_customer", "2")]
    with ws.cursor() as cur:
        assert cur.execute("select count(*), count(distinct customer_id) from customers").fetchall() == [(2, 2)]
        assert cur.execute("select segment from customers where country = 'France'").fetchall() == [("VIP",)]

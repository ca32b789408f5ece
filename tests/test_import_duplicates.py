"""Rows repeated in one file (same values in every column) are loaded once, listed among the rejected rows at
their line with the line they repeat, and said in the report; web events are left alone. A customer id listed on
several rows is one customer, loaded from a row that converts (never lost to a row that fails)."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings, strategies as st

from cx.ingest import import_file
from cx.workspace import Workspace
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


def test_a_customer_is_loaded_from_a_row_that_converts_not_lost_with_a_rejected_one(ws, tmp_path):
    # the most complete row (line 2) has a date that is none: it was kept before conversion, then rejected, and
    # the customer was nowhere (line 3 "kept at line 2"); now the choice is among the rows that convert
    text = "customer_id,first_order_date,city,segment\nC1,2024-13-45,Paris,VIP\nC1,2024-01-10,,\n"
    mapping = {"customer_id": "customer_id", "first_order_date": "signup_date", "city": "city", "segment": "segment"}
    report = import_file(ws, write(tmp_path, "crm.csv", text), kind="customers", mapping=mapping)
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    # line 2 is rejected for its own fault, not as a repeat
    assert [(r.line, r.column, r.value, r.code) for r in report.rejects] == [
        (2, "first_order_date", "2024-13-45", "not_a_date")
    ]
    assert report.notes == ()
    with ws.cursor() as cur:
        rows = cur.execute("select customer_id, signup_date, city, segment from customers").fetchall()
    assert rows == [("C1", dt.date(2024, 1, 10), None, None)]


def test_a_customer_none_of_whose_rows_converts_is_rejected_row_by_row(ws, tmp_path):
    text = (
        "customer_id,signup_date,city,segment,age\n"
        "C1,2024-13-45,Paris,VIP,40\n"  # line 2: not a date
        "C1,2024-01-10,,,200\n"  # line 3: an age beyond 120
        "C2,2024-02-01,Lyon,,30\n"  # line 4: alone, loaded
    )
    report = import_file(ws, write(tmp_path, "crm.csv", text), kind="customers")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 1, 2)
    assert [(r.line, r.column, r.code) for r in report.rejects] == [
        (2, "signup_date", "not_a_date"),
        (3, "age", "out_of_range"),
    ]
    with ws.cursor() as cur:
        assert cur.execute("select customer_id from customers").fetchall() == [("C2",)]


NEWEST_FIRST = (
    "customer_id,created_at,segment,country\n"
    "C1,2024-06-01,VIP,France\n"  # line 2: C1 as now (the export lists the newest first): kept
    "C2,2024-03-01,Particulier,France\n"  # line 3: same date as line 5, earlier in the file: set aside
    "C1,2023-01-15,Particulier,France\n"  # line 4: equally filled, older: set aside, kept at line 2
    "C2,2024-03-01,VIP,France\n"  # line 5: kept (dates equal: the latest in the file)
    "C3,2024-09-01,,France\n"  # line 6: the latest date, but 3 cells filled against 4: set aside
    "C3,2024-01-01,VIP,France\n"  # line 7: kept (the most complete comes before the date)
)


def test_a_newest_first_export_keeps_each_customer_s_latest_row_by_its_date(ws, tmp_path):
    report = import_file(ws, write(tmp_path, "hubspot.csv", NEWEST_FIRST), kind="customers")
    assert report.mapping["created_at"] == "signup_date"
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (6, 3, 3)
    assert [(r.line, r.code, r.reason.rsplit(" ", 1)[-1]) for r in report.rejects] == [
        (3, "duplicate_customer", "5"),
        (4, "duplicate_customer", "2"),
        (6, "duplicate_customer", "7"),
    ]
    with ws.cursor() as cur:
        rows = cur.execute("select customer_id, segment, signup_date from customers order by customer_id").fetchall()
    assert rows == [
        ("C1", "VIP", dt.date(2024, 6, 1)),
        ("C2", "VIP", dt.date(2024, 3, 1)),
        ("C3", "VIP", dt.date(2024, 1, 1)),
    ]


# one customers row: its id, whether its date and its age convert, whether its segment is filled, its day
ROWS = st.lists(
    st.tuples(
        st.sampled_from(["C1", "C2", "c3@example.fr", "C3@Example.fr "]),
        st.booleans(),
        st.booleans(),
        st.booleans(),
        st.integers(1, 3),
    ),
    min_size=1,
    max_size=9,
)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=ROWS)
def test_every_customer_with_a_row_that_converts_is_loaded_once_from_the_best_such_row(rows):
    # each row's city names it (r0, r1…), so the loaded row is known (and no row repeats another in every column)
    lines = ["customer_id,signup_date,age,segment,city"]
    for i, (cid, good_date, good_age, segment, day) in enumerate(rows):
        date = f"2024-01-0{day}" if good_date else "2024-13-45"
        lines.append(f"{cid},{date},{30 if good_age else 'trente'},{'VIP' if segment else ''},r{i}")
    with tempfile.TemporaryDirectory(prefix="cx-dup-") as tmp:
        ws = Workspace(Path(tmp) / "w.duckdb")
        try:
            path = Path(tmp) / "crm.csv"
            path.write_text("\n".join(lines) + "\n")
            mapping = {h: h for h in lines[0].split(",")}
            report = import_file(ws, path, kind="customers", mapping=mapping)
            with ws.cursor() as cur:
                loaded = cur.execute("select customer_id, city from customers").fetchall()
                stored = cur.execute("select rows_read, rows_loaded, rows_rejected from imports").fetchall()
        finally:
            ws.close()
    assert report.rows_read == len(rows) == report.rows_loaded + report.rows_rejected
    assert stored == [(report.rows_read, report.rows_loaded, report.rows_rejected)]
    # the expected choice, by hand: among the rows that convert, the most filled, then the latest day, then the
    # latest in the file; an id holding an @ is one customer whatever its case and spaces
    by_id: dict[str, list[int]] = {}
    for i, (cid, *_rest) in enumerate(rows):
        by_id.setdefault(cid.strip().lower() if "@" in cid else cid, []).append(i)
    expected, duplicates = {}, {}
    for key, members in by_id.items():
        converting = [i for i in members if rows[i][1] and rows[i][2]]
        if converting:
            kept = max(converting, key=lambda i: (rows[i][3], rows[i][4], i))
            expected[key] = f"r{kept}"
            duplicates.update({i: kept for i in converting if i != kept})
    assert sorted(city for _id, city in loaded) == sorted(expected.values())
    assert len(loaded) == len({cid for cid, _city in loaded})  # each customer once
    # every row not loaded is listed: a row that converts as a repeat of the kept one (its line), the others for
    # their own faults (line 1 is the header)
    listed = {}
    for r in report.rejects:
        listed.setdefault(r.line, set()).add(r.code)
    assert set(listed) == {i + 2 for i in range(len(rows)) if f"r{i}" not in expected.values()}
    for i, kept in duplicates.items():
        assert listed[i + 2] == {"duplicate_customer"}
        reason = next(r.reason for r in report.rejects if r.line == i + 2)
        assert reason.rsplit(" ", 1)[-1] == str(kept + 2)
    for i, (_cid, good_date, good_age, *_rest) in enumerate(rows):
        if not (good_date and good_age):
            faults = {"not_a_date": not good_date, "not_a_number": not good_age}
            assert listed[i + 2] == {code for code, bad in faults.items() if bad}


def test_the_rejected_lines_of_repeated_customers_are_masked_as_loaded_rows(ws, tmp_path):
    # the personal fields and any e-mail of a rejected line are pseudonymised (all of them in one query): the same
    # pseudonyms as the loaded rows; the non-personal id and city stay as written. Of two equally filled rows the
    # later one is kept: the first ones (Paris) are rejected
    text = "customer_id,email,last_name,city\n" + "".join(
        f"C{i},a{i}@example.com,Nom{i},Paris\nC{i},b{i}@example.org,Autre{i},Lyon\n" for i in range(3)
    )
    report = import_file(ws, write(tmp_path, "clients.csv", text))
    assert (report.rows_loaded, report.rows_rejected) == (3, 3)
    p = ws.pseudonymise
    assert sorted(r.value for r in report.rejects) == sorted(
        f"C{i},{p(f'a{i}@example.com')},{p(f'Nom{i}')},Paris" for i in range(3)
    )

"""An erased person stays erased: the workspace keeps the keyed hash of each key that named them (`erased_keys`,
never the key), and an import of the same file later leaves their rows out, counted in its report, not kept among the
rejected rows."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cx.ingest import import_file
from cx.ingest.erase import erase_imports, removal_counts
from cx.ingest.forget import forget_person
from cx.workspace import Workspace
from tests.conftest import write
from tests.test_forget import BOB, FILES, bytes_of_bob, three_customers

# Bob's tickets keyed by his e-mail and his CRM id; T4 has a cell too many (a whole line rejected, naming him); T5 is
# Ana's line of too many cells
TICKETS = (
    "ticket_id,customer_id,channel,created_at,text\n"
    f"T1,{BOB},email,2025-02-07 10:00,Where is my order\n"
    "T2,K-ANA-1001,chat,2025-02-07 11:00,Wrong size\n"
    "T3,K-BOB-2002,chat,2025-02-08 11:00,Refund please\n"
    f"T4,{BOB},chat,2025-02-09 11:00,Hello,oops\n"
    "T5,K-ANA-1001,chat,2025-02-09 12:00,Thanks,oops\n"
)


def test_the_same_file_loaded_again_leaves_the_erased_person_out(tmp_path):
    ws = three_customers(tmp_path / "ws")
    path = write(tmp_path, "tickets_again.csv", TICKETS)
    first = import_file(ws, path, kind="tickets")
    assert (first.rows_read, first.rows_loaded, first.rows_rejected) == (5, 3, 2)
    forget_person(ws, BOB, "email")
    erase_imports(ws, [first.import_id])

    again = import_file(ws, path, kind="tickets")
    # 5 read: T2 loaded, T5 rejected (Ana's), T1 T3 T4 Bob's: not loaded, not rejected, counted
    assert (again.rows_read, again.rows_loaded, again.rows_rejected) == (5, 1, 1)
    note = next(n for n in again.notes if getattr(n, "key", "") == "erased_person")
    assert note.values["n"] == 3
    with ws.cursor() as cur:
        assert cur.execute(
            "select customer_id from tickets where import_id = $i", {"i": again.import_id}
        ).fetchall() == [("K-ANA-1001",)]
        rejected = cur.execute("select value from rejects where import_id = $i", {"i": again.import_id}).fetchall()
        assert len(rejected) == 1 and "K-ANA-1001" in rejected[0][0]
        cur.execute("checkpoint")
    assert bytes_of_bob(ws) == []
    ws.close()


def test_the_list_keeps_keyed_hashes_never_the_keys(tmp_path):
    ws = three_customers(tmp_path / "ws")
    forget_person(ws, BOB, "email")
    with ws.cursor() as cur:
        hashes = {r[0] for r in cur.execute("select key_hash from erased_keys").fetchall()}
    key = ws.signing_key("erased_keys")
    # his e-mail, its pseudonym and his CRM id, each hashed with the key derived for this purpose alone
    for value in (BOB, ws.pseudonymise(BOB), "K-BOB-2002"):
        assert hmac.new(key, value.lower().encode(), hashlib.sha256).hexdigest() in hashes
        assert value not in hashes
    assert hashlib.sha256(BOB.encode()).hexdigest() not in hashes  # not a plain hash anyone could test a guess on
    assert bytes_of_bob(ws) == []
    ws.close()


@pytest.mark.parametrize("pseudonymise", [True, False])
def test_a_crm_loaded_again_leaves_the_erased_customer_out(tmp_path, pseudonymise):
    ws = three_customers(tmp_path / "ws", pseudonymise=pseudonymise)
    forget_person(ws, "K-BOB-2002", "customer_id")
    erase_imports(ws, [1])  # the CRM's import (three_customers loads it first)
    again = import_file(ws, write(tmp_path, "customers2.csv", FILES["customers.csv"]), kind="customers")
    assert (again.rows_read, again.rows_loaded, again.rows_rejected) == (3, 2, 0)
    ws.close()


def test_the_delete_confirmation_counts_what_is_there_now_and_tells_rows_from_cells(ws, tmp_path):
    tickets = (
        "ticket_id,customer_id,channel,created_at,satisfaction\n"
        "T1,a@x.fr,email,2025-02-07 10:00,Good\n"
        "T2,b@x.fr,email,2025-02-07 10:00,Bof bof\n"  # an unreadable rating: left empty, the ticket loaded
        "T3,c@x.fr,email,2025-02-07 10:00,Bad,oops\n"  # a cell too many: rejected
        "T4,c@x.fr,email,not a date,Good\n"  # rejected
    )
    report = import_file(ws, write(tmp_path, "tickets.csv", tickets), kind="tickets")
    assert (report.rows_loaded, report.rows_rejected) == (2, 2)
    # 3 entries in its list of rejects: 2 rows rejected whole, 1 value left empty in a loaded row (not a rejected row)
    assert removal_counts(ws, report.import_id) == {"rows": 2, "rejected": 2, "cells": 1}
    forget_person(ws, "a@x.fr", "email")
    # T1 went with a@x.fr: 1 loaded row left, though the import loaded 2
    assert removal_counts(ws, report.import_id) == {"rows": 1, "rejected": 2, "cells": 1}


PEOPLE = [f"p{i}@exemple.fr" for i in range(6)] + ["C-7", "C-8"]
TICKET_MAPPING = {c: c for c in ("ticket_id", "customer_id", "channel", "created_at")}


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(st.tuples(st.sampled_from(PEOPLE), st.booleans(), st.booleans()), min_size=1, max_size=12),
    st.sampled_from(PEOPLE),
)
def test_a_file_loaded_again_keeps_every_row_but_the_erased_persons(tmp_path_factory, rows, erased):
    """Rows (customer, a bad date, a cell too many): after `erased` is erased and the file loaded again, rows read =
    loaded + rejected + left out, the left out are exactly `erased`'s rows, and no row nor rejected line naming them
    is kept."""
    folder = tmp_path_factory.mktemp("w")
    text = "ticket_id,customer_id,channel,created_at\n" + "".join(
        f"T{i},{who},email,{'not a date' if bad else '2025-02-07 10:00'}{',oops' if extra else ''}\n"
        for i, (who, bad, extra) in enumerate(rows)
    )
    path = write(folder, "tickets.csv", text)
    ws = Workspace(folder / "w.duckdb")
    try:
        first = import_file(ws, path, kind="tickets", mapping=TICKET_MAPPING, pseudonymise=False)
        done = forget_person(ws, erased, "email" if "@" in erased else "customer_id")
        erase_imports(ws, [first.import_id], missing_ok=True)
        again = import_file(ws, path, kind="tickets", mapping=TICKET_MAPPING, pseudonymise=False)
        # nothing of theirs found (only rows rejected for a bad date, which keep the date alone): nothing erased
        theirs = sum(who == erased for who, _, _ in rows) if done.erased else 0
        left_out = sum(n.values["n"] for n in again.notes if getattr(n, "key", "") == "erased_person")
        assert again.rows_read == len(rows) == again.rows_loaded + again.rows_rejected + left_out
        assert left_out == theirs
        with ws.cursor() as cur:
            assert (
                cur.execute("select count(*) from tickets where customer_id = $e", {"e": erased}).fetchall()[0][0] == 0
            )
            assert (
                cur.execute("select count(*) from rejects where contains(value, $e)", {"e": erased}).fetchall()[0][0]
                == 0
            )
    finally:
        ws.close()


def test_the_events_loaded_again_leave_out_the_erased_persons_anonymous_visits(tmp_path):
    """v-bob's anonymous page view is erased with Bob (his device): the same events loaded again leave it out too, and
    keep v-shared's anonymous event (Cy's device too) and every other visitor's."""
    ws = three_customers(tmp_path / "ws")
    forget_person(ws, BOB, "email")
    erase_imports(ws, [5])  # the events' import (three_customers loads them last)
    again = import_file(ws, write(tmp_path, "events2.csv", FILES["events.csv"]), kind="events")
    # 6 read: v-bob's 2 and v-shared's signed-in one are Bob's (3 left out), v-ana's and v-shared's 2 others loaded
    assert (again.rows_read, again.rows_loaded, again.rows_rejected) == (6, 3, 0)
    with ws.cursor() as cur:
        assert sorted(r[0] for r in cur.execute("select visitor_id from events").fetchall()) == [
            "v-ana",
            "v-shared",
            "v-shared",
        ]
    ws.close()


def test_a_rejected_line_is_left_out_only_by_its_key_not_by_another_cell_equal_to_a_key(ws, tmp_path):
    """Ana is customer "7": once she is erased, Bob's line of a cell too many, whose quantity is 7, is still Bob's, kept
    among the rejected rows when the orders are loaded again; Ana's own line is left out."""
    import_file(ws, write(tmp_path, "crm.csv", "customer_id,email\n7,ana@ex.fr\n8,bob@ex.fr\n"), kind="customers")
    orders = (
        "order_id,customer_id,order_date,amount,qty\n"
        "O1,7,2025-02-01,10,1\n"
        "O2,8,2025-02-02,20,7,extra\n"
        "O3,8,2025-02-03,30,2\n"
        "O4,7,2025-02-04,40,1,extra\n"
    )
    first = import_file(ws, write(tmp_path, "orders.csv", orders), kind="orders")
    forget_person(ws, "ana@ex.fr", "email")
    erase_imports(ws, [first.import_id])
    again = import_file(ws, write(tmp_path, "orders2.csv", orders), kind="orders")
    # 4 read: O3 loaded, O2 rejected (Bob's), O1 and O4 left out (Ana's)
    assert (again.rows_read, again.rows_loaded, again.rows_rejected) == (4, 1, 1)
    with ws.cursor() as cur:
        assert cur.execute("select value from rejects where import_id = $i", {"i": again.import_id}).fetchall() == [
            ("O2,8,2025-02-02,20,7,extra",)
        ]

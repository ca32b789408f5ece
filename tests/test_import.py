"""Import flows: what lands where, atomicity, duplicates, deletion, saved mappings, pseudonymisation."""

import datetime as dt
import hashlib
import threading

import pytest

from cx.errors import FileRefused, MappingError, WorkspaceError
from cx.ingest import delete_import, detect_file, earlier_import, import_file, list_imports, load, rejects_of
from cx.workspace import Workspace
from tests.conftest import clients_and_orders_workbook, write

ORDERS = (
    "Commande;Client;Date;Montant\r\nA1;C1;31/12/2025;1 234,56 €\r\nA2;C2;01/02/2025;12,5\r\nA3;;01/02/2025;3\r\n"
    "A4;C4;01/02/2025;douze\r\n"
)


def snapshot(ws):
    with ws.cursor() as cur:
        return {
            t: cur.execute(f'select * from "{t}" order by all').fetchall()
            for t in ("imports", "rejects", "mappings", "events", "customers", "orders", "tickets", "responses")
        }


def test_french_orders_load_with_values_worked_by_hand(ws, tmp_path):
    path = write(tmp_path, "commandes.csv", ORDERS, "cp1252")
    report = import_file(ws, path)
    # A3 has no customer: a guest order, kept
    assert (report.kind, report.rows_read, report.rows_loaded, report.rows_rejected) == ("orders", 4, 3, 1)
    assert [(r.line, r.column, r.reason) for r in report.rejects] == [(5, "Montant", "not a number")]
    with ws.cursor() as cur:
        rows = cur.execute(
            "select order_id, customer_id, order_time::date::varchar, amount, currency from orders order by order_id"
        ).fetchall()
    assert rows == [
        ("A1", "C1", "2025-12-31", 1234.56, "EUR"),
        ("A2", "C2", "2025-02-01", 12.5, None),
        ("A3", None, "2025-02-01", 3.0, None),
    ]


def test_failure_inside_the_load_leaves_the_workspace_unchanged(ws, tmp_path, monkeypatch):
    import_file(ws, write(tmp_path, "a.csv", ORDERS, "cp1252"))
    before = snapshot(ws)

    def boom(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(load, "_lines_of", boom)  # fails after the rows were inserted
    with pytest.raises(RuntimeError):
        import_file(ws, write(tmp_path, "b.csv", ORDERS.replace("A1", "B1"), "cp1252"))
    assert snapshot(ws) == before


def test_duplicate_file_is_skipped_or_replaced(ws, tmp_path):
    path = write(tmp_path, "o.csv", ORDERS)
    first = import_file(ws, path)
    assert earlier_import(ws, detect_file(ws, path).sha256).import_id == first.import_id
    skipped = import_file(ws, path)
    assert skipped.status == "skipped" and skipped.rows_loaded == 0
    replaced = import_file(ws, path, on_duplicate="replace")
    assert replaced.import_id != first.import_id
    assert ws.table_counts()["orders"] == 3
    assert list_imports(ws)["import_id"].tolist() == [replaced.import_id]


def test_a_workbooks_second_sheet_is_no_duplicate_of_its_first(ws, tmp_path):
    """The same bytes read at another sheet are another import: the second sheet was skipped as "already imported",
    and replacing it erased the first sheet's import (0 customers left)."""
    path = clients_and_orders_workbook(tmp_path / "book.xlsx")
    clients = import_file(ws, path, sheet="Clients", kind="customers")
    sha = detect_file(ws, path).sha256
    assert earlier_import(ws, sha, "Clients").import_id == clients.import_id
    assert earlier_import(ws, sha, "Commandes") is None and earlier_import(ws, sha) is None  # None: a CSV's
    orders = import_file(ws, path, sheet="Commandes", kind="orders")
    assert (orders.status, orders.rows_loaded) == ("loaded", 2)
    again = import_file(ws, path, sheet="Commandes", kind="orders")
    assert (again.status, again.import_id) == ("skipped", orders.import_id)
    replaced = import_file(ws, path, sheet="Commandes", kind="orders", on_duplicate="replace")
    assert replaced.status == "loaded"
    assert sorted(list_imports(ws)["import_id"]) == [clients.import_id, replaced.import_id]
    assert (ws.table_counts()["customers"], ws.table_counts()["orders"]) == (2, 2)
    with ws.cursor() as cur:  # each sheet claims its own data: two sessions loading both sheets never clash
        claims = cur.execute("select sha256 from import_claims order by import_id").fetchall()
    assert claims == [(f"{sha}/Clients",), (f"{sha}/Commandes",)]


def test_a_required_column_the_file_lacks_takes_one_value_for_every_row(ws, tmp_path):
    # 3 tickets, no channel column; one has no ticket id: 2 loaded with channel 'phone', 1 rejected (honest counts)
    f = write(
        tmp_path, "t.csv", "id,created,subject\nT1,2025-01-01 10:00,a\n,2025-01-02 11:00,b\nT3,2025-01-03 09:00,c\n"
    )
    with pytest.raises(MappingError, match="channel"):
        import_file(ws, f, kind="tickets")
    report = import_file(ws, f, kind="tickets", constants={"channel": "phone"})
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 2, 1)
    assert report.constants == {"channel": "phone"}
    with ws.cursor() as cur:
        assert cur.execute("select ticket_id, channel from tickets order by 1").fetchall() == [
            ("T1", "phone"),
            ("T3", "phone"),
        ]
    assert list_imports(ws)["constants"].tolist() == ['{"channel":"phone"}']
    # only a required column with choices, with one of them, and not beside a source column feeding it
    for constants, message in (
        ({"channel": "fax"}, "'fax' is not a channel"),
        ({"created_at": "2025-01-01"}, "'created_at' cannot be given a fixed value"),
    ):
        with pytest.raises(MappingError, match=message):
            import_file(ws, f, kind="tickets", constants=constants, on_duplicate="replace")
    g = write(tmp_path, "u.csv", "id,created,via\nT1,2025-01-01 10:00,chat\n")
    with pytest.raises(MappingError, match="fed by a column of the file and by a fixed value"):
        import_file(ws, g, kind="tickets", constants={"channel": "email"})


def test_delete_import_removes_its_rows_and_rejects(ws, tmp_path):
    a = import_file(ws, write(tmp_path, "a.csv", ORDERS))
    b = import_file(ws, write(tmp_path, "b.csv", ORDERS.replace("A", "B")))
    assert delete_import(ws, a.import_id) == 3
    assert ws.table_counts()["orders"] == 3
    assert rejects_of(ws, a.import_id).empty and len(rejects_of(ws, b.import_id)) == 1


def test_a_corrected_mapping_is_reused_for_the_next_file_of_the_same_shape(ws, tmp_path):
    text = "quand,qui,quoi\n2025-01-01 10:00,v1,vue\n"
    mapping = {"quand": "event_time", "qui": "visitor_id", "quoi": "event_name"}
    import_file(ws, write(tmp_path, "a.csv", text), kind="events", mapping=mapping)
    detection = detect_file(ws, write(tmp_path, "b.csv", text + "2025-01-02 10:00,v2,achat\n"))
    assert (detection.kind, detection.mapping, detection.mapping_source) == ("events", mapping, "saved")
    assert import_file(ws, tmp_path / "b.csv").rows_loaded == 2


def test_emails_and_names_are_pseudonymised_consistently_across_files(ws, tmp_path):
    import_file(ws, write(tmp_path, "c.csv", "customer_id,email,first_name\nC1,Ana@Example.fr ,Ana\n"))
    import_file(
        ws,
        write(tmp_path, "o.csv", "email,order_date,total\nana@example.fr,2025-01-01,10\n"),
        kind="orders",
        mapping={"email": "customer_id", "order_date": "order_time", "total": "amount"},
    )
    with ws.cursor() as cur:
        email, first = cur.execute("select email, first_name from customers").fetchone()
        (order_customer,) = cur.execute("select customer_id from orders").fetchone()
    assert email == order_customer == ws.pseudonymise("ana@example.fr")
    assert email.startswith("px_") and "ana" not in email.lower() and first != "Ana"
    # the key lives outside the DB file, so another key gives other pseudonyms
    assert ws.key_path.exists() and ws.key_path != ws.path


def test_personal_data_can_be_kept_when_asked(ws, tmp_path):
    import_file(ws, write(tmp_path, "c.csv", "customer_id,email\nC1,ana@example.fr\n"), pseudonymise=False)
    with ws.cursor() as cur:
        assert cur.execute("select email from customers").fetchone()[0] == "ana@example.fr"


def test_survey_scales_and_effort_direction_are_recorded(ws, tmp_path):
    text = (
        "Horodateur,Recommanderiez-vous ? (0-10),Satisfait ? (1-5),Il a été facile de commander (1-7),Pourquoi ?\n"
        "31/12/2025 10:00:00,9,5,6,Livraison rapide\n"
        "31/12/2025 11:00:00,11,4,,Trop cher\n"
        "01/01/2026 09:00:00,,,,\n"
    )
    report = import_file(ws, write(tmp_path, "s.csv", text))
    assert report.kind == "responses" and report.rows_loaded == 1 and report.rows_rejected == 2
    assert {(r.line, r.reason) for r in report.rejects} == {
        (3, "outside the accepted range 0–10"),
        (4, "no score and no comment"),
    }
    with ws.cursor() as cur:
        row = cur.execute(
            "select nps, csat, ces, csat_scale, ces_scale, ces_higher_is_better, comment from responses"
        ).fetchone()
    assert row == (9.0, 5.0, 6.0, 5, 7, True, "Livraison rapide")


def test_unmapped_event_columns_are_kept_as_properties(ws, tmp_path):
    text = "event_time,visitor_id,event_name,campaign\n2025-01-01 10:00,v1,page_view,soldes\n"
    import_file(ws, write(tmp_path, "e.csv", text))
    with ws.cursor() as cur:
        assert cur.execute("select properties->>'campaign' from events").fetchone()[0] == "soldes"


def test_orders_without_ids_get_generated_ones(ws, tmp_path):
    import_file(ws, write(tmp_path, "o.csv", "client,date,montant\nC1,2025-01-01,10\nC1,2025-01-01,10\n"))
    with ws.cursor() as cur:
        ids = [r[0] for r in cur.execute("select order_id from orders").fetchall()]
    assert len(set(ids)) == 2 and all(i.startswith("gen-") for i in ids)


def test_two_imports_at_once_from_two_sessions(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    paths = [
        write(
            tmp_path,
            f"e{i}.csv",
            "event_time,visitor_id,event_name\n"
            + "".join(f"2025-01-01 10:00,v{j},page_view\n" for j in range(2000))
            + f"2025-01-02,x{i},end\n",
        )
        for i in range(4)
    ]
    errors = []

    def run(p):
        try:
            import_file(ws, p)
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=run, args=(p,)) for p in paths]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert ws.table_counts()["events"] == 4 * 2001
    assert sorted(list_imports(ws)["rows_loaded"].tolist()) == [2001] * 4
    ws.close()


@pytest.mark.parametrize("ending", ["\r", "\n", "\r\n"])
def test_a_rejected_row_is_counted_whatever_the_line_endings(ws, tmp_path, ending):
    # the row count may skip a second read of a clean file; a bad row must never be lost by that shortcut
    text = ending.join(["order_id,customer_id,order_date,total", "A1,C1,2025-01-01,abc", "A2,C2,2025-01-02,5", ""])
    report = import_file(ws, write(tmp_path, "o.csv", text))
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (2, 1, 1)
    assert [(r.line, r.column) for r in report.rejects] == [(2, "total")]


def test_mixed_line_endings_are_refused_cleanly(ws, tmp_path):
    before = snapshot(ws)
    with pytest.raises(FileRefused, match="lines ending in different ways"):
        import_file(
            ws,
            write(
                tmp_path, "o.csv", "order_id,customer_id,order_date,total\rA1,C1,2025-01-01,abc\rA2,C2,2025-01-02,5\n"
            ),
        )
    assert snapshot(ws) == before


def test_yes_no_satisfaction_is_read_as_one_and_zero(ws, tmp_path):
    text = "Horodateur,Êtes-vous satisfait ?\n2025-01-01 10:00,Oui\n2025-01-01 11:00,non\n2025-01-01 12:00,bof\n"
    report = import_file(ws, write(tmp_path, "s.csv", text))
    assert (report.kind, report.rows_loaded, report.rows_rejected) == ("responses", 2, 1)
    assert [(r.line, r.reason) for r in report.rejects] == [(4, "not a yes/no answer (yes/no, oui/non)")]
    with ws.cursor() as cur:
        assert cur.execute("select csat, csat_scale from responses order by responded_at").fetchall() == [
            (1.0, 2),
            (0.0, 2),
        ]


def test_line_items_of_an_xlsx_roll_up_into_orders_with_the_first_line_for_rejects(ws, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in (
        ["Name", "Email", "Created at", "Total", "Lineitem quantity", "Lineitem name"],
        ["#1001", "a@example.fr", "2025-05-11 09:55:16 -0400", "30.00", 2, "Vase"],
        ["#1001", None, None, None, 1, "Bougie"],
        ["#1002", None, "2025-05-12 10:00:00 -0400", "12.50", 1, "Plaid"],  # a guest order
        ["#1003", "b@example.fr", "2025-05-12 11:00:00 -0400", "douze", 3, "Lampe"],
        ["#1003", None, None, None, 1, "Ampoule"],
    ):
        sheet.append(row)
    path = tmp_path / "orders.xlsx"
    book.save(path)
    report = import_file(ws, path)
    # 5 line rows → 3 orders; #1003's bad total is rejected at its first line (row 5 of the sheet)
    assert (report.kind, report.rows_read, report.rows_loaded, report.rows_rejected) == ("orders", 3, 2, 1)
    assert [(r.line, r.column) for r in report.rejects] == [(5, "Total")]
    assert "5 line-item rows rolled up into 3 orders" in report.notes
    with ws.cursor() as cur:
        rows = cur.execute(
            "select order_id, customer_id is null, items, amount, strftime(order_time, '%H:%M') "
            "from orders order by order_id"
        ).fetchall()
    # -0400 in a Paris workspace (UTC+2 in May): 09:55 → 15:55
    assert rows == [("#1001", False, 3, 30.0, "15:55"), ("#1002", True, 1, 12.5, "16:00")]


def test_the_same_file_loaded_by_two_sessions_at_once_is_imported_once(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    path = write(
        tmp_path,
        "e.csv",
        "event_time,visitor_id,event_name\n" + "".join(f"2025-01-01 10:00,v{j},page_view\n" for j in range(20000)),
    )
    reports, errors = [], []
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        try:
            reports.append(import_file(ws, path))
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.status for r in reports) == ["loaded", "skipped"]
    assert ws.table_counts()["events"] == 20000
    assert list_imports(ws)["rows_loaded"].tolist() == [20000]
    ws.close()


@pytest.mark.file_only("the claims' primary key (a lake has none: its writers retry on a commit conflict)")
def test_an_import_whose_claim_conflicts_waits_until_the_other_import_is_visible(tmp_path, monkeypatch):
    """DuckDB sees another session's claim of the same bytes (`import_claims`) while that session's commit is
    under way, before its import is visible to a new transaction (CI met this window once): the import waits
    for it and reports the file skipped, rather than failing on the duplicate key."""
    ws = Workspace(tmp_path / "w.duckdb")
    path = write(tmp_path, "e.csv", "event_time,visitor_id,event_name\n2025-01-01 10:00,v1,page_view\n")
    first = import_file(ws, path)
    real, hidden = load._duplicate_of, [3]  # the duplicate check before the load, then two look-ups in the wait

    def not_visible_yet(cur, sha, sheet):
        if hidden[0]:
            hidden[0] -= 1
            return None
        return real(cur, sha, sheet)

    monkeypatch.setattr(load, "_duplicate_of", not_visible_yet)
    monkeypatch.setattr(load, "CLAIM_POLL_SECONDS", 0.01)
    report = import_file(ws, path)
    assert hidden == [0]
    assert (report.status, report.import_id) == ("skipped", first.import_id)
    assert ws.table_counts()["events"] == 1
    ws.close()


@pytest.mark.file_only("the claims' primary key (a lake has none: its writers retry on a commit conflict)")
def test_an_import_whose_claim_stays_held_without_an_import_says_so(tmp_path, monkeypatch):
    """A claim that never becomes a visible import: after the wait, a message naming the file, not a hang nor
    a duplicate-key error."""
    ws = Workspace(tmp_path / "w.duckdb")
    path = write(tmp_path, "e.csv", "event_time,visitor_id,event_name\n2025-01-01 10:00,v1,page_view\n")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with ws.transaction() as cur:
        cur.execute("insert into import_claims values ($sha, 99)", {"sha": sha})
    monkeypatch.setattr(load, "CLAIM_POLL_SECONDS", 0.01)
    monkeypatch.setattr(load, "CLAIM_WAIT_SECONDS", 0.3)
    with pytest.raises(WorkspaceError) as raised:
        import_file(ws, path)
    assert raised.value.file == "e.csv" and "another session is importing" in str(raised.value)
    assert ws.table_counts()["events"] == 0
    ws.close()


@pytest.mark.file_only("the claims' primary key (a lake has none: its writers retry on a commit conflict)")
def test_an_import_runs_again_when_the_claim_it_met_was_undone(tmp_path, monkeypatch):
    """The claim met at the conflict is gone when the import looks again (the other session's import was undone):
    the file is loaded by this one."""
    ws = Workspace(tmp_path / "w.duckdb")
    path = write(tmp_path, "e.csv", "event_time,visitor_id,event_name\n2025-01-01 10:00,v1,page_view\n")
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    with ws.transaction() as cur:  # a claim without its import, as the conflict saw it
        cur.execute("insert into import_claims values ($sha, 99)", {"sha": sha})
    real, calls = load._claimed_elsewhere, []

    def undone_meanwhile(w, s, sheet, name):
        calls.append(s)
        with w.transaction() as cur:
            cur.execute("delete from import_claims where sha256 = $s", {"s": s})
        return real(w, s, sheet, name)

    monkeypatch.setattr(load, "_claimed_elsewhere", undone_meanwhile)
    report = import_file(ws, path)
    assert calls == [sha]
    assert report.status == "loaded"
    assert ws.table_counts()["events"] == 1
    ws.close()


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_and_unusable_numbers(ws, tmp_path, encoding):
    # pure ASCII text in UTF-16 without a byte-order mark (NULs between the letters) is still read;
    # NaN, infinity and absurd magnitudes are rejected with a reason, never summed into revenue
    text = (
        "order_id,customer_id,order_date,total\nA1,C1,2025-01-01,10\nA2,C2,2025-01-02,NaN\n"
        "A3,C3,2025-01-02,inf\nA4,C4,2025-01-02,2500000000000\nA5,C5,2025-01-03,12.5\nA6,C6,2025-01-03,7\n"
    )
    path = tmp_path / "o.csv"
    path.write_bytes(text.encode(encoding))
    report = import_file(ws, path)
    assert (report.kind, report.encoding, report.rows_loaded, report.rows_rejected) == ("orders", encoding, 3, 3)
    assert [(r.line, r.column) for r in report.rejects] == [(3, "total"), (4, "total"), (5, "total")]
    assert {r.reason for r in report.rejects} == {"not a usable number (NaN, infinite or beyond a trillion)"}
    with ws.cursor() as cur:
        assert cur.execute("select sum(amount) from orders").fetchall()[0][0] == 29.5


def test_a_workbook_slower_to_parse_than_the_budget_is_refused_and_changes_nothing(ws, tmp_path, monkeypatch):
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.append(["customer_id", "email"])
    for i in range(3000):
        sheet.append([f"C{i}", f"c{i}@example.fr"])
    path = tmp_path / "big.xlsx"
    book.save(path)
    before = snapshot(ws)
    monkeypatch.setenv("CX_XLSX_SECONDS", "0")
    with pytest.raises(FileRefused, match="takes too long to read") as e:
        import_file(ws, path)
    assert "CSV" in e.value.fix
    assert snapshot(ws) == before
    monkeypatch.setenv("CX_XLSX_SECONDS", "120")
    assert import_file(ws, path).rows_loaded == 3000


def test_review_findings_currency_codes_visitor_emails_and_short_wide_rows(ws, tmp_path):
    # amounts written with the signs and codes the currency detection knows are numbers, in their currency
    orders = (
        "order_id,customer_id,order_date,amount\nA1,C1,2025-01-01,€12.50\nA2,C2,2025-01-01,€10.00\n"
        "A3,C3,2025-01-02,CA$15.00\nA4,C4,2025-01-02,15.00 AUD\nA5,C5,2025-01-03,€2.50\n"
    )
    report = import_file(ws, write(tmp_path, "o.csv", orders))
    assert (report.rows_loaded, report.rows_rejected) == (5, 0)
    with ws.cursor() as cur:
        assert cur.execute("select currency, sum(amount) from orders group by 1 order by 1").fetchall() == [
            ("AUD", 15.0),
            ("CAD", 15.0),
            ("EUR", 25.0),
        ]
    # an e-mail as the visitor id is pseudonymised like a customer's
    events = "time,distinct_id,event\n2025-01-01 10:00,jean.dupont@example.com,view\n2025-01-01 10:05,v2,view\n"
    import_file(ws, write(tmp_path, "e.csv", events))
    with ws.cursor() as cur:
        assert sorted(r[0] for r in cur.execute("select visitor_id from events").fetchall()) == [
            ws.pseudonymise("jean.dupont@example.com"),
            "v2",
        ]
    # a flattened Matomo log with a short row: that row is rejected with its column, the rest loads
    head = "idVisit,visitorId," + ",".join(
        f"actionDetails_{n}_{f}" for n in range(3) for f in ("type", "url", "timestamp")
    )
    full = "1,v1," + ",".join(f"action,https://x.test/{n},173581200{n}" for n in range(3))
    short = "2,v2,action,https://x.test/a,1735812000,action"
    report = import_file(ws, write(tmp_path, "m.csv", f"{head},deviceType\n{full},mobile\n{short}\n"))
    assert (report.kind, report.rows_loaded, report.rows_rejected) == ("events", 3, 1)
    assert [(r.line, r.reason) for r in report.rejects] == [(3, "the row has fewer fields than the header")]


def test_a_single_record_with_a_list_inside_is_not_taken_for_a_page_of_records(ws, tmp_path):
    ticket = (
        '{"id": 7, "created_at": "2025-05-19T15:55:07Z", "via": {"channel": "web"}, "subject": "Retard",'
        ' "custom_fields": [{"id": 1, "value": "a"}, {"id": 2, "value": "b"}, {"id": 3, "value": null}]}'
    )
    report = import_file(ws, write(tmp_path, "t.json", ticket))
    assert (report.kind, report.rows_loaded) == ("tickets", 1)


def test_a_currency_named_in_the_amount_header_is_the_orders_currency(ws, tmp_path):
    text = "N° commande;Client;Date;Total (€)\nA1;C1;01/02/2025;12,50\nA2;C2;02/02/2025;7\n"
    report = import_file(ws, write(tmp_path, "o.csv", text))
    assert report.currency == "EUR"
    with ws.cursor() as cur:
        assert cur.execute("select distinct currency from orders").fetchall() == [("EUR",)]


def test_switching_kind_keeps_the_reasons_of_that_kinds_mapping(ws, tmp_path):
    """A file Parcours is unsure about: the page shows, for the kind the user picks, why each column was
    proposed (not "no column matches" beside a proposed column)."""
    text = (
        "#,First name,Last name,Email,City/Town,Response Type,Start Date (UTC),Submit Date (UTC),Network ID\n"
        "a1,Ana,Lima,ana@example.com,Porto,completed,2026-02-10 07:51:02,2026-02-10 07:54:20,n1\n"
        "a2,Ben,Ott,ben@example.com,Graz,completed,2026-02-10 07:46:01,2026-02-10 07:48:44,n2\n"
    )
    d = detect_file(ws, write(tmp_path, "form.csv", text))
    assert d.kind is None and set(d.likeliest) == {"responses", "customers"}
    customers = d.mappings["customers"]
    assert customers["Email"] == "customer_id" and customers["First name"] == "first_name"
    # every proposed pair of the other kind has its reason (a header alias here)
    assert set(d.kind_reasons["customers"]) == set(customers)
    assert d.kind_reasons["customers"]["First name"].code in ("header", "header_part")


@pytest.mark.parametrize(
    "dates, order",
    [
        (["2025-04-01 17:18:52 -0700", "2025-03-20 05:20:57 -0700"], None),  # ISO: no day/month order to tell
        (["1736154000", "1751371200"], None),  # unix seconds
        (["31/12/2025", "01/02/2025"], "dmy"),
        (["5/9/2025 7:41:03 PM", "12/31/2025 1:00:00 AM"], "mdy"),
    ],
)
def test_the_date_order_is_only_a_fact_for_dates_written_with_day_and_month(ws, tmp_path, dates, order):
    rows = "".join(f"A{i},C{i},{d},10\n" for i, d in enumerate(dates))
    d = detect_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\n" + rows))
    assert d.kind == "orders"
    assert d.options["date_order"].get("order_time") == order


def test_the_users_month_first_order_wins_over_the_formats_read_from_the_sample(ws, tmp_path):
    # "01/02/2000" alone cannot say its order: the sample reads it day-first, the user says month-first (a property
    # test found the sample's formats tried first, so the user's order was ignored: 1 February instead of 2 January)
    path = write(tmp_path, "o.csv", "client,date,montant,livraison\na,01/01/2000,10,01/02/2000\n")
    mapping = {"client": "customer_id", "date": "order_time", "montant": "amount", "livraison": "promised_date"}
    report = import_file(ws, path, kind="orders", mapping=mapping, options={"date_order": {"promised_date": "mdy"}})
    with ws.cursor() as cur:
        promised = cur.execute("select promised_date from orders where import_id = $i", {"i": report.import_id})
        assert promised.fetchall() == [(dt.date(2000, 1, 2),)]

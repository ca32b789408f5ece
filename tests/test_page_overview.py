"""AppTest of the Overview page: empty state, what is loaded, the demo banner and "use my own data"."""

import pytest
from streamlit.testing.v1 import AppTest

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import ROOT, write


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    return tmp_path / "w.duckdb"


def run_page():
    # through app.py: Overview is the default page, and its links need the navigation app.py defines;
    # demo_checked stops app.py from loading the sample data into the empty test workspace
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    return at.run()


def test_empty_workspace_says_what_to_upload(db):
    at = run_page()
    assert not at.exception
    assert any("workspace is empty" in i.value for i in at.info)


def test_loaded_tables_and_quality(db, tmp_path):
    ws = Workspace(db)
    import_file(
        ws,
        write(
            tmp_path,
            "o.csv",
            "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\nA2,C1,2025-02-01,20\nA3,,2025-02-02,cinq\n",
        ),
    )  # A3: a guest order with a bad amount
    # customers carry a date, orders a timestamp: the summary must show both side by side
    import_file(ws, write(tmp_path, "c.csv", "customer_id,signup_date\nC1,2024-06-30\n"))
    ws.close()
    at = run_page()
    assert not at.exception
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Orders"] == "2" and metrics["Events"] == "0"
    tables = at.dataframe[0].value.set_index("table")
    assert tables.loc["Orders", "rows"] == "2"  # counts are written in the UI's language ("1 200" in French)
    assert str(tables.loc["Orders", "first"])[:10] == "2025-01-03"
    assert str(tables.loc["Customers", "last"])[:10] == "2024-06-30"
    assert tables.loc["Events", "first"] == tables.loc["Events", "last"] == "—"  # no rows: no date, not "None"
    quality = at.dataframe[1].value
    assert quality[["rows_read", "rows_loaded", "rows_rejected"]].values.tolist() == [["3", "2", "1"], ["1", "1", "0"]]
    assert quality["rejected_share"].tolist() == ["33.33%", "0.00%"]  # 1 / 3, 0 / 1
    assert not any("demo data" in m.value for m in at.markdown)


def test_demo_banner_and_use_my_own_data(db, tmp_path):
    ws = Workspace(db)
    import_file(
        ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"), is_demo=True
    )
    ws.close()
    at = run_page()
    assert any("demo data" in m.value for m in at.markdown)
    at.button(key="use_my_data").click().run()  # asks first: nothing removed yet
    ws = Workspace(db)
    assert ws.table_counts()["orders"] == 1
    ws.close()
    [asked] = [w.value for w in at.warning if "Remove the demo?" in w.value]
    assert "the demo data (1 row) and what was entered on it (nothing was entered)" in asked
    at.button(key="use_my_data_confirm").click().run()
    ws = Workspace(db)
    assert ws.table_counts()["orders"] == 0
    ws.close()


def test_a_failed_removal_of_the_demo_says_so_and_keeps_it(db, tmp_path, monkeypatch):
    ws = Workspace(db)
    import_file(
        ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"), is_demo=True
    )
    ws.close()

    def disk_full(ws):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("cx.demo.remove_demo", disk_full)
    at = run_page()
    at.button(key="use_my_data").click().run()
    at.button(key="use_my_data_confirm").click().run()
    assert not at.exception  # a message, not a traceback
    assert [e for e in at.error if "is full" in e.value]
    ws = Workspace(db)
    assert ws.table_counts()["orders"] == 1
    ws.close()


def test_the_overview_shows_the_workspace_unfiltered(db, tmp_path):
    ws = Workspace(db)
    import_file(ws, write(tmp_path, "e.csv", "event_time,visitor_id,event_name,device\n2025-01-03 10:00,v1,a,mobile\n"))
    ws.close()
    at = run_page()
    assert not at.exception
    assert "filter_device" not in [s.key for s in at.sidebar.selectbox]


@pytest.mark.parametrize(
    "lang, caption",
    [
        ("fr", "Données au 12/03/2008 (dernière date des données chargées)"),
        ("en", "Data as of 2008-03-12 (latest date in the loaded data)"),
    ],
)
def test_the_overview_says_as_of_which_day_the_data_are(db, tmp_path, lang, caption):
    # an export from 2008: the figures are measured from its last order, 12 March 2008, not from today
    ws = Workspace(db)
    import_file(
        ws,
        write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2007-06-15,10\nA2,C2,2008-03-12,20\n"),
    )
    ws.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["demo_checked"] = True
    at.run()
    assert not at.exception
    assert caption in [c.value for c in at.caption]


def test_the_overview_counts_each_crm_customer_once_and_says_from_how_many_rows(db, tmp_path):
    # two CRM exports: C2 in both (two rows of one customer), and C1 twice in the first with other values (one
    # kept at import, the other rejected): 4 rows loaded, 3 customers — the Overview said 4 (it counted rows)
    ws = Workspace(db)
    first = write(tmp_path, "c1.csv", "customer_id,segment\nC1,VIP\nC2,\nC1,Particulier\n")
    report = import_file(ws, first, kind="customers")
    assert (report.rows_loaded, report.rows_rejected) == (2, 1)
    import_file(ws, write(tmp_path, "c2.csv", "customer_id,segment\nC2,VIP\nC3,\n"), kind="customers")
    ws.close()
    at = run_page()
    assert not at.exception
    [customers] = [m for m in at.metric if m.label == "Customers (CRM)"]
    assert customers.value == "3"
    assert "distinct ids, from 4 rows loaded" in [c.value for c in at.caption]
    assert "counts once, with their latest row" in customers.help


def test_what_is_loaded_shows_its_table_before_the_top_findings(db, tmp_path):
    # a tester read the per-table list under "Top frictions" as part of it: the table belongs to what is loaded
    ws = Workspace(db)
    import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"))
    ws.close()
    at = run_page()
    assert not at.exception

    def walk(node):
        for child in getattr(node, "children", {}).values():
            yield child
            yield from walk(child)

    order = [
        "table" if e.type == "dataframe" else e.value
        for e in walk(at.main)
        if e.type == "dataframe" or getattr(e, "tag", None) == "h3"
    ]
    loaded, findings, quality = (order.index(x) for x in ("What is loaded", "Top frictions", "Data quality per import"))
    assert loaded < order.index("table") < findings < quality


def test_what_is_loaded_is_scanned_once_per_data_version(db, tmp_path, monkeypatch):
    # issue 14: every run of the Overview scanned every table (5M events: ~0.1 s) for what is loaded; it is cached
    # per data version, so a rerun (the findings landing, a click) reads it, and an import shows at once
    from cx import inventory
    from cx.ui import background

    ws = Workspace(db)
    import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"))
    assert background.ensure(ws).wait(300)  # its default stage rules, seeded meanwhile, would be a settings change
    ws.close()
    real, calls = inventory.summarise_tables, []

    def summarise_tables(ws):
        calls.append(1)
        return real(ws)

    summarise_tables.__module__ = "cx.inventory"  # the page's cache finds an analysis by its module and name
    monkeypatch.setattr(inventory, "summarise_tables", summarise_tables)
    at = run_page()
    at.run()
    assert not at.exception and len(calls) == 1
    assert "1" in [m.value for m in at.metric if m.label == "Orders"]
    ws = Workspace(db)
    import_file(ws, write(tmp_path, "p.csv", "order_id,customer_id,order_date,total\nB1,C2,2025-01-04,10\n"))
    ws.close()
    at.run()
    background.stop_all()
    assert len(calls) == 2 and "2" in [m.value for m in at.metric if m.label == "Orders"]

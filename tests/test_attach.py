"""Events attached in place from a folder of GA4 BigQuery export Parquet files (cx/attach.py, issue 16): the same
rows, and the same analyses, as an import of the same files; a day that lands later is read; a clear sentence
for a folder without Parquet or a file of another schema; detaching deletes nothing on disk."""

import datetime as dt
import json
import os
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from cx import attach, cohorts, funnel, lake
from cx.errors import CxError
from cx.friction import find_friction
from cx.ingest import erase_import, import_file
from cx.journey import find_stage_kpis
from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT, write

VALUE = pa.struct(
    [
        ("string_value", pa.string()),
        ("int_value", pa.int64()),
        ("float_value", pa.float64()),
        ("double_value", pa.float64()),
    ]
)
SCHEMA = pa.schema(
    [
        ("event_date", pa.string()),
        ("event_timestamp", pa.int64()),
        ("event_name", pa.string()),
        ("event_params", pa.list_(pa.struct([("key", pa.string()), ("value", VALUE)]))),
        ("user_id", pa.string()),
        ("user_pseudo_id", pa.string()),
        ("device", pa.struct([("category", pa.string()), ("operating_system", pa.string())])),
        ("geo", pa.struct([("country", pa.string()), ("city", pa.string())])),
        ("traffic_source", pa.struct([("name", pa.string()), ("medium", pa.string()), ("source", pa.string())])),
        ("ecommerce", pa.struct([("purchase_revenue", pa.float64()), ("transaction_id", pa.string())])),
    ]
)
UTC = dt.UTC


def param(key, value):
    typed = {"string_value": None, "int_value": None, "float_value": None, "double_value": None}
    typed["int_value" if isinstance(value, int) else "double_value" if isinstance(value, float) else "string_value"] = (
        value
    )
    return {"key": key, "value": typed}


def event(day, hhmm, name, visitor, session, page, device="mobile", user_id=None, extra=(), revenue=None):
    h, m = hhmm
    t = dt.datetime(2025, 5, day, h, m, tzinfo=UTC)
    return {
        "event_date": t.strftime("%Y%m%d"),
        "event_timestamp": int(t.timestamp()) * 1_000_000 + 123_456,
        "event_name": name,
        "event_params": [
            param("ga_session_id", session),
            param("page_location", f"https://shop.example{page}"),
            *(param(k, v) for k, v in extra),
        ],
        "user_id": user_id,
        "user_pseudo_id": visitor,
        "device": {"category": device, "operating_system": "iOS"},
        "geo": {"country": "France", "city": "Lyon"},
        "traffic_source": {"name": "(direct)", "medium": "(none)", "source": "(direct)"},
        "ecommerce": None if revenue is None else {"purchase_revenue": revenue, "transaction_id": "T1"},
    }


def days():
    """Two days of a small shop. Visitor v1 (session 11) comes from a cpc ad: only its session_start carries the
    source / medium params, so each of its events takes the session's 'google / cpc'; v1 logs in with an e-mail
    (pseudonymised) and buys for 59.5. v2 buys on day 2 for 30.0 given only as the purchase's `value` param. One
    row has no event name: an import rejects it, so the attached folder leaves it out."""
    day1 = [
        event(12, (8, 0), "session_start", "v1", 11, "/", extra=[("source", "google"), ("medium", "cpc")]),
        event(12, (8, 1), "page_view", "v1", 11, "/"),
        event(12, (8, 2), "view_item", "v1", 11, "/products/lamp"),
        event(12, (8, 3), "add_to_cart", "v1", 11, "/cart", user_id="Ana@Example.com"),
        event(12, (8, 4), "purchase", "v1", 11, "/checkout/thanks", user_id="Ana@Example.com", revenue=59.5),
        event(12, (9, 0), "session_start", "v2", 21, "/", device="desktop"),
        event(12, (9, 1), "page_view", "v2", 21, "/", device="desktop"),
        event(12, (9, 2), "view_item", "v2", 21, "/products/vase", device="desktop"),
        event(12, (9, 3), None, "v2", 21, "/", device="desktop"),
    ]
    day2 = [
        event(13, (10, 0), "session_start", "v2", 22, "/", device="desktop"),
        event(13, (10, 1), "view_item", "v2", 22, "/products/vase", device="desktop"),
        event(13, (10, 2), "add_to_cart", "v2", 22, "/cart", device="desktop"),
        event(13, (10, 3), "purchase", "v2", 22, "/checkout/thanks", device="desktop", extra=[("value", 30.0)]),
        event(13, (11, 0), "session_start", "v3", 31, "/"),
        event(13, (11, 1), "page_view", "v3", 31, "/"),
    ]
    return {"20250512": day1, "20250513": day2}


def write_day(folder: Path, date: str, rows: list[dict]) -> Path:
    path = folder / f"event_date={date}" / "events_000.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    pq.write_table(pa.Table.from_pylist(rows, schema=SCHEMA), path)
    return path


@pytest.fixture
def export(tmp_path):
    folder = tmp_path / "ga4_export"
    files = [write_day(folder, date, rows) for date, rows in days().items()]
    return folder, files


@pytest.fixture(params=["in memory", "read at each query"])
def pair(tmp_path, export, monkeypatch, request):
    """Workspace a: the folder attached; workspace b: the same files imported (one key: the same pseudonyms).
    Both ways of reading an attached folder: its mapped rows kept in memory, or the files mapped at each query."""
    folder, files = export
    monkeypatch.setenv("CX_ATTACHED_IN_MEMORY", "1" if request.param == "in memory" else "0")
    monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "shared.key"))
    a, b = Workspace(tmp_path / "a.duckdb"), Workspace(tmp_path / "b.duckdb")
    attach.attach_events(a, folder)
    for f in files:
        import_file(b, f)
    yield a, b
    a.close()
    b.close()


ROWS = "select * exclude (import_id, properties) from events order by event_time, visitor_id, event_name"


def rows(ws):
    with ws.cursor() as cur:
        return cur.execute(ROWS).df()


def test_attached_rows_are_the_imported_rows(pair):
    a, b = pair
    attached, imported = rows(a), rows(b)
    assert len(attached) == 14  # 15 rows, the one without an event name left out
    assert attached.equals(imported)


def test_attached_values_hand_worked(pair, export):
    a, _ = pair
    df = rows(a)
    v1 = df[df.visitor_id == "v1"]
    assert set(v1.channel) == {"google / cpc"}  # the session's source, from its session_start only
    assert set(df[df.visitor_id == "v2"].channel) == {"(direct) / (none)"}
    assert v1.customer_id.dropna().tolist() == [a.pseudonymise("ana@example.com")] * 2
    assert df.revenue.sum() == pytest.approx(89.5)  # 59.5 (ecommerce) + 30.0 (the purchase's value param)
    # µs UTC → Europe/Paris wall-clock time (UTC+2 in May)
    assert df.event_time.min() == dt.datetime(2025, 5, 12, 10, 0, 0, 123456)
    [row] = [r for r in attach.list_attached(a)]
    assert row["folder"] == str(export[0].resolve()) and row["present"]
    with a.cursor() as cur:
        read, loaded, rejected, status = cur.execute(
            "select rows_read, rows_loaded, rows_rejected, status from imports"
        ).fetchall()[0]
    assert (read, loaded, rejected, status) == (15, 14, 1, "attached")


def test_analyses_give_the_same_numbers(pair):
    a, b = pair
    f = Filters()
    assert find_stage_kpis(a, f) == find_stage_kpis(b, f)
    steps = ["session_start", "view_item", "add_to_cart", "purchase"]
    fa = funnel.find_funnel(a, f, steps, window="7d", mode="ordered", by="device")
    fb = funnel.find_funnel(b, f, steps, window="7d", mode="ordered", by="device")
    assert fa.steps.equals(fb.steps)
    assert fa.steps["users"].tolist() == [3, 2, 2, 2]  # v1, v2 (over two days), v3 stops at session_start
    ca = cohorts.find_cohorts(a, f, period="month", mode="on", by_first="activity")
    cb = cohorts.find_cohorts(b, f, period="month", mode="on", by_first="activity")
    assert ca.equals(cb)
    assert [x.code for x in find_friction(a, f).findings] == [x.code for x in find_friction(b, f).findings]


def test_a_day_that_lands_later_is_read(pair, export):
    a, _ = pair
    before = a.data_version()
    write_day(export[0], "20250514", [event(14, (7, 0), "session_start", "v4", 41, "/")])
    assert a.table_counts()["events"] == 15
    assert a.data_version() != before  # cached analyses are not reused


def test_a_day_that_lands_later_makes_stored_results_stale(pair, export):
    """The stored results' key (cx/results.py) holds what the folder holds: a stored answer is not served
    once a day lands (nor, after a person is erased at the source and the days re-exported, their rows)."""
    from cx import results

    a, _ = pair
    steps = ["session_start", "view_item", "add_to_cart", "purchase"]
    args = (Filters(), steps)
    kwargs = {"window": "7d", "mode": "ordered"}
    first = results.stored_call(a, funnel.find_funnel, *args, **kwargs)
    assert first.steps["users"].tolist()[0] == 3
    write_day(export[0], "20250514", [event(14, (7, 0), "session_start", "v4", 41, "/")])
    again = results.stored_call(a, funnel.find_funnel, *args, **kwargs)
    assert again.steps["users"].tolist()[0] == 4  # v4 starts a session: computed again, not the stored 3


def test_a_cursor_opened_before_a_day_lands_keeps_working(pair, export):
    """The kept rows are replaced under the same name: a long analysis (one cursor for all its queries) or the
    background run, whose view was made before the day landed, reads on instead of failing on a dropped table."""
    a, _ = pair
    with a.cursor() as old:
        assert old.execute("select count(*) from events").fetchall() == [(14,)]
        write_day(export[0], "20250514", [event(14, (7, 0), "session_start", "v4", 41, "/")])
        assert a.table_counts()["events"] == 15  # a new cursor maps the folder again
        assert old.execute("select count(*) from events").fetchall()[0][0] in (14, 15)


def test_a_folder_detached_elsewhere_frees_its_kept_rows(pair):
    """On a lake another process detaches (here: the attachment list no longer names it): the next cursor drops
    the rows this process kept in memory for it. (A lake keeps nothing in memory: test_attached_on_a_lake_is_
    mapped_once_into_the_lake.)"""
    a, _ = pair
    kept = "select count(*) from duckdb_tables() where database_name = 'cx_attached_rows' and table_name <> 'kept'"
    with a.cursor() as cur:
        if not attach.in_memory():
            pytest.skip("read at each query: nothing is kept")
        if lake.is_lake(cur):
            assert cur.execute(kept).fetchall() == [(0,)]  # mapped into the lake's own table instead
            return
        assert cur.execute(kept).fetchall() == [(1,)]
        attach.forget_detached(cur, set())
        assert cur.execute(kept).fetchall() == [(0,)]


def test_a_folder_whose_name_holds_a_placeholder_or_a_wildcard(ws, tmp_path):
    folder = tmp_path / "x{timezone}y"
    write_day(folder, "20250512", days()["20250512"])
    named = [r for r in days()["20250512"] if r["event_name"]]  # the nameless row is left out, as always
    assert attach.attach_events(ws, folder).rows_loaded == len(named) > 0  # the path stays one literal
    starred = tmp_path / "ga4*"
    write_day(starred, "20250512", days()["20250512"])
    with pytest.raises(CxError, match=r"has \* in its path"):
        attach.attach_events(ws, starred)


def test_importing_beside_an_attachment_and_detaching(pair, export, tmp_path):
    a, _ = pair
    csv = write(tmp_path, "web.csv", "timestamp,visitor_id,event\n2025-05-14 10:00:00,w1,page_view\n")
    assert import_file(a, csv).rows_loaded == 1  # the import writes the stored table, past the view
    assert a.table_counts()["events"] == 15
    with a.cursor() as cur:
        attached_id = cur.execute("select import_id from imports where status = 'attached'").fetchall()[0][0]
    erase_import(a, attached_id)  # detaching: the folder's files are left as they are
    assert a.table_counts()["events"] == 1
    assert all(f.exists() for f in export[1])
    assert attach.list_attached(a) == []


def test_attaching_again_counts_again(pair, export):
    a, _ = pair
    write_day(export[0], "20250514", [event(14, (7, 0), "session_start", "v4", 41, "/")])
    again = attach.attach_events(a, export[0])
    assert again.refreshed and (again.files, again.rows_read, again.rows_loaded) == (3, 16, 15)
    with a.cursor() as cur:
        assert cur.execute("select count(*), sum(rows_loaded) from imports").fetchall() == [(1, 15)]


def test_a_folder_without_parquet(ws, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(CxError, match="holds no Parquet file") as e:
        attach.attach_events(ws, empty)
    assert e.value.file == str(empty.resolve())
    with pytest.raises(CxError, match="does not exist"):
        attach.attach_events(ws, tmp_path / "nowhere")


def test_a_file_of_another_schema_is_named_with_its_column(ws, export):
    folder, _ = export
    other = folder / "event_date=20250514" / "orders.parquet"
    other.parent.mkdir()
    pq.write_table(pa.table({"event_timestamp": [1], "event_params": [[]], "user_pseudo_id": ["x"]}), other)
    with pytest.raises(CxError) as e:
        attach.attach_events(ws, folder)
    assert (e.value.file, e.value.column) == (str(other.resolve()), "event_name")
    assert ws.table_counts()["events"] == 0  # nothing attached


def test_a_folder_gone_missing_says_so(pair, export, tmp_path):
    a, _ = pair
    export[0].rename(tmp_path / "moved")
    with a.cursor() as cur, pytest.raises(Exception, match="attached events folder .* cannot be read"):
        cur.execute("select count(*) from events").fetchall()
    assert attach.list_attached(a)[0]["present"] is False
    from cx.errors import unexpected

    with a.cursor() as cur:
        try:
            cur.execute("select count(*) from events").fetchall()
        except Exception as e:  # what the pages and the command line show
            said = unexpected(e, log=False)
    assert "cannot be read" in said.message and "python -m cx delete" in said.fix


def test_attached_on_a_lake(tmp_path, export, monkeypatch):
    folder, files = export
    monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "shared.key"))
    the_lake = lake.Lake(f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}", f"{tmp_path / 'data'}/")
    w, other = Workspace(lake=the_lake), Workspace(lake=the_lake)
    try:
        assert other.table_counts()["events"] == 0  # its attachments are read (none) and kept for this snapshot
        done = attach.attach_events(w, folder)
        assert (done.rows_loaded, w.table_counts()["events"]) == (14, 14)
        assert other.table_counts()["events"] == 14  # a new snapshot: read again
        b = Workspace(tmp_path / "b.duckdb")
        for f in files:
            import_file(b, f)
        assert rows(w).equals(rows(b))
        b.close()
    finally:
        w.close()
        other.close()


def lake_files(ws, table: str) -> list[str]:
    """The Parquet files of a lake table at the current snapshot."""
    with ws.cursor() as cur:
        try:
            return [
                r[0]
                for r in cur.execute(f"select data_file from ducklake_list_files('{lake.ALIAS}', '{table}')").fetchall()
            ]
        except Exception:  # no such table yet
            return []


def test_attached_on_a_lake_is_mapped_once_into_the_lake(tmp_path, export, monkeypatch):
    """On a lake the folder is mapped once into the lake's table `attached_events` (every replica reads its
    Parquet files, nothing is kept in memory); a day that lands is mapped again once, the replaced files leave the
    disk; detaching deletes the mapped rows and their files; the file workspace never gets that table."""
    folder, files = export
    monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "shared.key"))
    monkeypatch.setenv("CX_ATTACHED_IN_MEMORY", "1")
    the_lake = lake.Lake(f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}", f"{tmp_path / 'data'}/")
    w, other = Workspace(lake=the_lake), Workspace(lake=the_lake)
    kept = "select count(*) from duckdb_tables() where database_name = 'cx_attached_rows'"
    try:
        done = attach.attach_events(w, folder)
        assert w.table_counts()["events"] == 14  # the first cursor after attaching maps the folder into the lake
        with w.cursor() as cur:
            assert cur.execute(f"select count(*) from {attach.LAKE_ROWS}").fetchall() == [(14,)]
            assert cur.execute(f"select import_id, digest from {attach.LAKE_DIGESTS}").fetchall() == [
                (
                    done.import_id,
                    attach.digest_of(json.loads(cur.execute("select options from imports").fetchall()[0][0])),
                )
            ]
            snapshot = cur.execute(f"select * from {lake.ALIAS}.current_snapshot()").fetchall()[0][0]
        first = lake_files(w, attach.LAKE_ROWS)
        assert len(first) == 1 and all(Path(f).exists() for f in first)
        assert other.table_counts()["events"] == 14  # the other replica reads the lake's rows: no new mapping
        with other.cursor() as cur:
            assert cur.execute(f"select * from {lake.ALIAS}.current_snapshot()").fetchall()[0][0] == snapshot
            assert cur.execute(kept).fetchall() == [(0,)]  # nothing in memory
        b = Workspace(tmp_path / "b.duckdb")
        for f in files:
            import_file(b, f)
        assert rows(other).equals(rows(b))  # the same rows as an import
        with b.cursor() as cur:
            assert not cur.execute(
                f"select count(*) from duckdb_tables() where table_name = '{attach.LAKE_ROWS}'"
            ).fetchall()[0][0]
        b.close()
        view = "select sql from duckdb_views() where view_name = 'events' and temporary"
        with other.cursor() as cur:  # no event imported: the view leaves the empty stored table out
            assert "union all" not in cur.execute(view).fetchall()[0][0].lower()
        csv = write(tmp_path, "web.csv", "timestamp,visitor_id,event\n2025-05-14 10:00:00,w1,page_view\n")
        assert import_file(w, csv).rows_loaded == 1
        assert other.table_counts()["events"] == 15  # 14 attached + 1 imported
        with other.cursor() as cur:
            assert "union all" in cur.execute(view).fetchall()[0][0].lower()  # the stored events, and the folder's
        write_day(folder, "20250514", [event(14, (7, 0), "session_start", "v4", 41, "/")])
        assert other.table_counts()["events"] == 16  # mapped again, once, by the replica that saw the day first
        assert w.table_counts()["events"] == 16
        again = lake_files(w, attach.LAKE_ROWS)
        assert len(again) == 1 and again != first and not any(Path(f).exists() for f in first)  # old rows erased
        erase_import(other, done.import_id)  # detaching: the mapped rows and their files go, the folder stays
        assert w.table_counts()["events"] == 1
        with w.cursor() as cur:
            assert cur.execute(f"select count(*) from {attach.LAKE_ROWS}").fetchall() == [(0,)]
            assert cur.execute(f"select count(*) from {attach.LAKE_DIGESTS}").fetchall() == [(0,)]
        assert lake_files(w, attach.LAKE_ROWS) == [] and not any(Path(f).exists() for f in again)
        assert all(f.exists() for f in files)
    finally:
        w.close()
        other.close()


def test_cli_attach_events(tmp_path, export):
    folder, _ = export
    env = {**os.environ, "CX_DB": str(tmp_path / "c.duckdb")}

    def cx(*args):
        return subprocess.run(
            [sys.executable, "-m", "cx", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
        )

    out = cx("attach-events", str(folder), "--json")
    assert out.returncode == 0, out.stderr
    assert json.loads(out.stdout) == {
        "import_id": 1,
        "folder": str(folder.resolve()),
        "files": 2,
        "rows_read": 15,
        "rows_loaded": 14,
        "rows_rejected": 1,
        "refreshed": False,
    }
    listed = json.loads(cx("attach-events", "--list", "--json").stdout)
    assert listed == {"attached": [{"import_id": 1, "folder": str(folder.resolve()), "present": True}]}
    assert json.loads(cx("tables", "--json").stdout)["tables"]["events"] == 14
    (tmp_path / "empty").mkdir()
    bad = cx("attach-events", str(tmp_path / "empty"))
    assert bad.returncode == 2 and "holds no Parquet file" in bad.stderr


def test_the_data_page_lists_the_attachment_and_detaches_it(tmp_path, export, monkeypatch):
    from streamlit.testing.v1 import AppTest

    folder, files = export
    db = tmp_path / "page.duckdb"
    w = Workspace(db)
    attach.attach_events(w, folder)
    w.close()
    monkeypatch.setenv("CX_DB", str(db))
    app = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    app.session_state["lang"] = "en"
    app.run()
    assert not app.exception
    history = app.dataframe[-1].value
    assert history["file_name"].tolist() == [str(folder.resolve())]
    assert history.astype(str).apply(lambda c: c.str.contains("attached \\(read in place\\)")).any().any()
    app.button(key="delete").click().run()
    assert not app.exception
    assert [x.value for x in app.warning if x.value.startswith("**Detach #1")]  # its files are not erased
    app.button(key="delete_confirm").click().run()
    assert not app.exception
    w = Workspace(db)
    assert w.table_counts()["events"] == 0 and all(f.exists() for f in files)
    w.close()


def test_a_page_says_which_folder_cannot_be_read(tmp_path, export, monkeypatch):
    """The Overview on a workspace whose attached folder was moved away: a sentence naming the folder and how to
    detach it, not Streamlit's bare error (app.py runs each page through `run_page`)."""
    from streamlit.testing.v1 import AppTest

    folder, _ = export
    db = tmp_path / "page.duckdb"
    w = Workspace(db)
    attach.attach_events(w, folder)
    w.close()
    folder.rename(tmp_path / "moved")
    monkeypatch.setenv("CX_DB", str(db))
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    app.session_state["lang"] = "en"
    app.session_state["demo_checked"] = True
    app.run()
    assert not app.exception
    from cx.format import escape_markdown

    said = " ".join(e.value for e in app.error)  # shown as text: markdown characters escaped
    assert escape_markdown(str(folder.resolve())) in said and escape_markdown("python -m cx delete 1") in said


def test_a_folder_detached_by_another_replica_is_not_mapped_back(tmp_path, export, monkeypatch):
    """A replica that read the attachments before another one detached the folder maps nothing once the detach
    has committed: no rows of it are left in the lake, where no erasure would reach them any more."""
    folder, _ = export
    monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "shared.key"))
    monkeypatch.setenv("CX_ATTACHED_IN_MEMORY", "1")
    the_lake = lake.Lake(f"ducklake:sqlite:{tmp_path / 'lake' / 'catalog.sqlite'}", f"{tmp_path / 'data'}/")
    w = Workspace(lake=the_lake)
    try:
        done = attach.attach_events(w, folder)
        with w.cursor() as cur:
            options = json.loads(cur.execute("select options from imports").fetchall()[0][0])
            assert cur.execute(f"select count(*) from {attach.LAKE_ROWS}").fetchall() == [(14,)]
        assert erase_import(w, done.import_id)["rows"]["events"] == 14  # the mapped rows, counted
        with w.cursor() as cur:  # the late replica: the attachment and no digest, as it read them before
            attach.lake_rows(cur, done.import_id, options, the_lake, {})
            assert cur.execute(f"select count(*) from {attach.LAKE_ROWS}").fetchall() == [(0,)]
            assert cur.execute(f"select count(*) from {attach.LAKE_DIGESTS}").fetchall() == [(0,)]
    finally:
        w.close()

"""The workspace on a DuckLake (issue 16, docs/SCALING.md): the same workspace, import, erasure and command-line
behaviour on the embedded file and on a lake (SQLite catalog in a temporary folder); what only a lake has (no
keys, no sequence, commit races run again, `lake init` / `lake maintain`); two writer processes and a reader
on a PostgreSQL catalog when `$CX_TEST_POSTGRES` names a server (`.ci/run` starts one)."""

import json
import os
import shutil
import subprocess
import sys
import threading
import uuid
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import duckdb
import pytest

from cx import keys, lake
from cx.__main__ import run
from cx.friction import set_finding_status
from cx.ingest import erase_import, import_file
from cx.journey import default_stage_rules, save_journey_note, save_stage_rules
from cx.maturity import save_threshold, save_workshop
from cx.personas.names import rename_persona
from cx.text import add_theme_keyword
from cx.workspace import SCHEMA_VERSION, Workspace
from tests.conftest import ROOT, run_view
from tests.test_erasure import canary, canary_files, found_in, other_files  # noqa: F401 (canary: a fixture)

PG = os.environ.get("CX_TEST_POSTGRES")  # e.g. "host=127.0.0.1 port=54329 user=postgres"


class Backend:
    """One kind of workspace in `folder`: the embedded file, a lake with a SQLite catalog, or (`postgres`) a lake
    whose catalog is a new database of the server `$CX_TEST_POSTGRES`."""

    def __init__(self, kind: str, folder: Path):
        self.kind, self.folder = kind, folder
        self.lake, self.database = None, None
        if kind == "lake":
            self.lake = lake.Lake(f"ducklake:sqlite:{folder / 'catalog.sqlite'}", f"{folder / 'data'}/")
        elif kind == "postgres":
            self.database = f"cx_test_{uuid.uuid4().hex[:10]}"
            _postgres(f"create database {self.database}")
            self.lake = lake.Lake(f"ducklake:postgres:{PG} dbname={self.database}", f"{folder / 'data'}/")

    def drop(self) -> None:
        if self.database:
            _postgres(f"drop database if exists {self.database} with (force)")

    def open(self) -> Workspace:
        return Workspace(lake=self.lake) if self.lake else Workspace(self.folder / "w.duckdb")

    def use_for_cli(self, monkeypatch) -> list[str]:
        """Point the command line at this workspace; returns the arguments to add."""
        if self.lake:
            monkeypatch.setenv("CX_LAKE", self.lake.catalog)
            monkeypatch.setenv("CX_LAKE_DATA", self.lake.data)
            return []
        monkeypatch.delenv("CX_LAKE", raising=False)
        return ["--db", str(self.folder / "w.duckdb")]


def _postgres(statement: str) -> None:
    """Run `statement` on the server `$CX_TEST_POSTGRES` (outside a transaction: create/drop database)."""
    con = duckdb.connect(config=lake.OFFLINE)
    try:
        lake.load_extensions(con, ("postgres_scanner",))
        con.execute(f"attach '{PG} dbname=postgres' as pg (type postgres)")
        con.execute("call postgres_execute('pg', $s, use_transaction => false)", {"s": statement})
    finally:
        con.close()


NO_PG = pytest.mark.skipif(
    not PG,
    reason="no PostgreSQL server: set CX_TEST_POSTGRES='host=… port=… user=…' (bash .ci/run starts one on 127.0.0.1)",
)


@pytest.fixture(params=["file", "lake", pytest.param("postgres", marks=NO_PG)])
def backend(request, tmp_path, monkeypatch):
    monkeypatch.delenv("CX_LAKE", raising=False)
    if request.param == "postgres":  # a PostgreSQL catalog needs the key file named
        monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "lake.key"))
    else:
        monkeypatch.delenv("CX_KEY_FILE", raising=False)
    b = Backend(request.param, tmp_path / "workspace")
    yield b
    b.drop()


def csv(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def events_file(folder: Path, name: str, visitors: int) -> Path:
    rows = "".join(f"2025-03-0{1 + i % 5} 10:0{i % 10},v{i},page_view\n" for i in range(visitors))
    return csv(folder, name, "event_time,visitor_id,event_name\n" + rows)


# --- the same on both backends ---------------------------------------------------------------------------


def test_a_new_workspace_has_the_schema_and_reopens_with_its_key(backend):
    ws = backend.open()
    with ws.cursor() as cur:
        assert cur.execute("select value from cx_meta where key = 'schema_version'").fetchall() == [
            (str(SCHEMA_VERSION),)
        ]
    assert ws.table_counts() == dict.fromkeys(("events", "customers", "orders", "tickets", "responses"), 0)
    code = ws.pseudonymise("ana@example.fr")
    ws.close()
    again = backend.open()  # a second opening migrates nothing and writes nothing more
    assert again.pseudonymise(" ANA@example.fr") == code
    with again.cursor() as cur:
        assert cur.execute("select count(*) from cx_meta where key = 'schema_version'").fetchall() == [(1,)]
    again.close()


def test_imports_get_new_ids_and_the_same_bytes_are_skipped(backend, tmp_path):
    ws = backend.open()
    a = import_file(ws, events_file(tmp_path / "src", "a.csv", 3))
    b = import_file(ws, events_file(tmp_path / "src", "b.csv", 4))
    again = import_file(ws, tmp_path / "src" / "a.csv")
    assert (a.import_id, b.import_id) == (1, 2)  # the first two ids, in order
    assert (again.status, again.import_id) == ("skipped", 1)
    assert ws.table_counts()["events"] == 3 + 4
    replaced = import_file(ws, tmp_path / "src" / "a.csv", on_duplicate="replace")
    assert replaced.import_id == 3 and ws.table_counts()["events"] == 7
    ws.close()


def test_keyed_writes_replace_or_keep(backend):
    ws = backend.open()
    with ws.transaction() as cur:
        keys.upsert(cur, "cx_meta", {"key": "k", "value": "1"}, ("key",))
        keys.upsert(cur, "cx_meta", {"key": "k", "value": "2"}, ("key",))  # replaced
        keys.upsert(
            cur,
            "theme_keywords",
            {"theme": "delivery", "keyword": "colis", "language": "fr"},
            ("theme", "keyword"),
            sql={"added_at": "now()::timestamp"},
            replace=False,
        )
        keys.upsert(
            cur,
            "theme_keywords",
            {"theme": "delivery", "keyword": "colis", "language": "en"},
            ("theme", "keyword"),
            sql={"added_at": "now()::timestamp"},
            replace=False,
        )  # kept: first wins
    with ws.cursor() as cur:
        assert cur.execute("select value from cx_meta where key = 'k'").fetchall() == [("2",)]
        assert cur.execute("select language from theme_keywords where keyword = 'colis'").fetchall() == [("fr",)]
    ws.close()


def test_a_deleted_import_leaves_no_byte_in_the_workspace_folder(backend, tmp_path, canary):  # noqa: F811
    ws = backend.open()
    for f in other_files(tmp_path / "src"):
        import_file(ws, f)
    files = canary_files(tmp_path / "src", canary)
    crm = import_file(ws, files["crm"], pseudonymise=False)
    events = import_file(ws, files["events"], pseudonymise=False)
    assert found_in(backend.folder, canary), "the canary should be in the workspace before the delete"
    if backend.lake:
        with ws.cursor() as cur:
            before = cur.execute("select max(snapshot_id) from ducklake_snapshots('cx_lake')").fetchall()[0][0]
    erase_import(ws, crm.import_id)
    erase_import(ws, events.import_id)
    assert ws.table_counts()["customers"] == 2 and ws.table_counts()["events"] == 0
    assert found_in(backend.folder, canary) == []
    if backend.lake:  # time travel to before the delete no longer reaches the rows: their snapshot is expired
        with ws.cursor() as cur, pytest.raises(duckdb.Error):
            cur.execute(f"select count(*) from customers at (version => {before})").fetchall()
    ws.close()
    assert found_in(backend.folder, canary) == []


def test_cli_import_tables_delete(backend, tmp_path, monkeypatch, capsys):
    extra = backend.use_for_cli(monkeypatch)
    paths = [str(events_file(tmp_path / "src", "a.csv", 5)), str(events_file(tmp_path / "src", "b.csv", 2))]
    assert run(["import", *paths, "--json", *extra]) == 0, capsys.readouterr().err
    imported = json.loads(capsys.readouterr().out)
    assert [i["rows_loaded"] for i in imported["imports"]] == [5, 2]
    assert run(["tables", "--json", *extra]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["events"] == 7
    assert run(["delete", "1", "--json", *extra]) == 0
    assert json.loads(capsys.readouterr().out)["rows"]["events"] == 5
    assert run(["tables", "--json", *extra]) == 0
    assert json.loads(capsys.readouterr().out)["tables"]["events"] == 2


def test_cli_kpis_are_the_same_on_both_backends(tmp_path, monkeypatch, capsys):
    monkeypatch.delenv("CX_KEY_FILE", raising=False)
    docs = []
    for kind in ("file", "lake"):
        b = Backend(kind, tmp_path / kind)
        extra = b.use_for_cli(monkeypatch)
        assert run(["import", str(ROOT / "sample_data" / "events_ga4.csv"), "--json", *extra]) == 0
        capsys.readouterr()
        assert run(["kpis", "--json", *extra]) == 0, capsys.readouterr().err
        docs.append(json.loads(capsys.readouterr().out, parse_float=lambda x: round(float(x), 9)))
    assert docs[0] == docs[1]  # (sums in another order: equal to 9 decimals)


def test_cli_lake_init_is_idempotent_and_maintain_reports(backend, monkeypatch, capsys):
    extra = backend.use_for_cli(monkeypatch)
    code = run(["lake", "init", "--json", *extra])
    if not backend.lake:  # a workspace file is not a lake: one sentence saying what to set
        assert code == 2 and "CX_LAKE is not set" in capsys.readouterr().err
        return
    first = json.loads(capsys.readouterr().out)
    assert run(["lake", "init", "--json"]) == 0
    assert (
        json.loads(capsys.readouterr().out)
        == first
        == {"lake": backend.lake.catalog, "catalog": backend.lake.kind, "schema_version": SCHEMA_VERSION, "imports": 0}
    )
    assert run(["lake", "maintain", "--keep-days", "0", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert set(doc) >= {"files_merged", "snapshots_expired", "files_deleted"}
    assert run(["lake", "maintain", "--keep-days", "-1", "--json"]) == 2


def test_the_pages_open_on_either_backend(backend, tmp_path, monkeypatch):
    ws = backend.open()
    import_file(ws, ROOT / "sample_data" / "events_ga4.csv")
    ws.close()
    backend.use_for_cli(monkeypatch)  # the app reads the same settings as the command line
    for view in ("journey", "funnel"):
        at = run_view(view, backend.folder / "w.duckdb", monkeypatch)
        assert not at.exception, (view, [e.message for e in at.exception])
    assert not (backend.lake and (backend.folder / "w.duckdb").exists())  # the app used the lake, not a file


# --- a lake only --------------------------------------------------------------------------------------------


def test_the_lake_schema_has_no_keys_and_no_sequence(tmp_path):
    sql = (
        "create sequence if not exists import_ids start 1;\n"
        "create table if not exists a (id integer primary key, name varchar not null);\n"
        "create table if not exists b (x varchar, y varchar, primary key (x, y));\n"
        "insert or ignore into b select 'p', 'q';"
    )
    assert lake.lake_ddl(sql).strip() == (
        "create table if not exists a (id integer, name varchar not null);\n"
        "create table if not exists b (x varchar, y varchar);\n"
        "insert into b select 'p', 'q';"
    )
    ws = Backend("lake", tmp_path).open()
    with ws.cursor() as cur:
        assert cur.execute(
            "select count(*) from duckdb_constraints() where database_name = 'cx_lake' "
            "and constraint_type in ('PRIMARY KEY', 'UNIQUE')"
        ).fetchall() == [(0,)]
        assert cur.execute("select count(*) from duckdb_sequences() where database_name = 'cx_lake'").fetchall() == [
            (0,)
        ]
        assert cur.execute("select last_id from cx_import_ids").fetchall() == [(0,)]
    ws.close()


def test_after_an_erasure_the_table_statistics_still_find_every_row(tmp_path):
    """The catalog's per-table minimum and maximum are recomputed without the deleted rows; a filter pruned
    by wrong statistics would miss rows."""
    ws = Backend("lake", tmp_path).open()
    with ws.cursor() as cur:
        cur.execute("create table t (s varchar, n integer, seen timestamp)")
        cur.execute("insert into t values ('m', 5, '2025-01-05'), ('zz-secret', 90, '2025-12-31')")
        cur.execute("insert into t values ('q', 7, '2025-02-01')")
        cur.execute("delete from t where s = 'zz-secret'")
        lake.erase(cur, ws.lake.sqlite_file)
        stats = cur.execute(f"""select min_value, max_value from {lake.METADATA}.ducklake_table_column_stats
            where table_id = (select table_id from {lake.METADATA}.ducklake_table
                              where table_name = 't' and end_snapshot is null) order by column_id""").fetchall()
        # the deleted row's 'zz-secret', 90 and 2025-12-31 are gone
        assert [s[:2] for s in stats] == [("m", "q"), ("5", "7"), ("2025-01-05 00:00:00", "2025-02-01 00:00:00")]
        cur.execute("insert into t values ('a', 1, '2024-06-01')")
        assert cur.execute("select s from t where s > 'b' order by s").fetchall() == [("m",), ("q",)]
        assert cur.execute("select n from t where n > 6").fetchall() == [(7,)]
        assert cur.execute("select count(*) from t where seen >= '2025-01-01'").fetchall() == [(2,)]
    ws.close()


def test_a_write_that_lost_a_commit_race_runs_again_and_others_fail_at_once():
    calls = []

    def racing():
        calls.append(1)
        if len(calls) < 3:
            raise duckdb.TransactionException("Failed to commit DuckLake transaction: Transaction conflict")
        return "done"

    assert lake.retrying(racing) == "done" and len(calls) == 3
    calls.clear()

    def broken():
        calls.append(1)
        raise duckdb.CatalogException("Table with name nope does not exist")

    with pytest.raises(duckdb.CatalogException):
        lake.retrying(broken)
    assert len(calls) == 1


def test_two_imports_at_once_on_one_lake_both_commit_with_different_ids(tmp_path):
    ws = Backend("lake", tmp_path / "lake").open()
    files = [events_file(tmp_path / "src", f"{n}.csv", 10 + n) for n in range(2)]
    reports, errors = [], []

    def load(path):
        try:
            reports.append(import_file(ws, path))
        except Exception as e:
            errors.append(e)

    threads = [threading.Thread(target=load, args=(f,)) for f in files]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(r.import_id for r in reports) == [1, 2]
    assert ws.table_counts()["events"] == 10 + 11
    ws.close()


def _cx(env: dict, *argv: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "cx", *argv],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_two_concurrent_inits_leave_one_lake(tmp_path):
    env = {
        **os.environ,
        "CX_LAKE": f"ducklake:sqlite:{tmp_path / 'catalog.sqlite'}",
        "CX_LAKE_DATA": str(tmp_path / "data"),
    }
    env.pop("CX_KEY_FILE", None)
    procs = [_cx(env, "lake", "init", "--json") for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in procs]
    assert [p.returncode for p in procs] == [0, 0], [o[1] for o in outs]
    ws = Workspace(lake=lake.Lake(env["CX_LAKE"]))
    with ws.cursor() as cur:
        assert cur.execute("select count(*) from cx_meta where key = 'schema_version'").fetchall() == [(1,)]
        assert cur.execute("select count(*) from cx_import_ids").fetchall() == [(1,)]
        assert cur.execute(
            "select count(*) from duckdb_tables() where database_name = 'cx_lake' and table_name = 'events'"
        ).fetchall() == [(1,)]
    ws.close()


@NO_PG
def test_two_writer_processes_and_a_reader_on_a_postgres_catalog(tmp_path):
    name = f"cx_test_{uuid.uuid4().hex[:10]}"
    _postgres(f"create database {name}")
    env = {
        **os.environ,
        "CX_LAKE": f"ducklake:postgres:{PG} dbname={name}",
        "CX_LAKE_DATA": str(tmp_path / "data"),
        "CX_KEY_FILE": str(tmp_path / "lake.key"),
    }
    try:
        init = _cx(env, "lake", "init", "--json")
        assert init.wait(timeout=180) == 0, init.stderr.read()
        per_writer = 3
        writers = [
            _cx(
                env,
                "import",
                *[str(events_file(tmp_path / f"w{w}", f"w{w}_{i}.csv", 20 + 10 * w + i)) for i in range(per_writer)],
                "--json",
            )
            for w in range(2)
        ]
        seen = set()
        while any(p.poll() is None for p in writers):  # a third process reads while both write
            reader = _cx(env, "tables", "--json")
            out, err = reader.communicate(timeout=180)
            assert reader.returncode == 0, err
            seen.add(json.loads(out)["tables"]["events"])
        outs = [p.communicate(timeout=300) for p in writers]
        assert [p.returncode for p in writers] == [0, 0], [o[1] for o in outs]
        ids = [i["import_id"] for o in outs for i in json.loads(o[0])["imports"]]
        assert sorted(ids) == list(range(1, 2 * per_writer + 1))  # every id once
        reader = _cx(env, "tables", "--json")
        out, _ = reader.communicate(timeout=180)
        total = sum(20 + 10 * w + i for w in range(2) for i in range(per_writer))  # 20+21+22 + 30+31+32 = 156
        assert json.loads(out)["tables"]["events"] == total == 156
        assert all(0 <= n <= total for n in seen)
    finally:
        _postgres(f"drop database if exists {name} with (force)")
        shutil.rmtree(tmp_path / "data", ignore_errors=True)


# --- settings edits that lose a commit race run again ----------------------------------------------------------

FINDING = SimpleNamespace(key="slow_step|checkout|all", code="slow_step", window_start=None, window_end=None)

#: one edit of each kind users make: (edit(ws, who) made by "A" and by "B", what the workspace holds after B's
#: edit committed first and A's ran again: one row per key, and A's value, as a file's keys would have it)
EDITS = {
    "keyword": (
        lambda ws, who: add_theme_keyword(ws, "delivery", "colis", "fr" if who == "A" else "en"),
        "select keyword, language from theme_keywords",
        [("colis", "en")],  # B added it first; A's second run finds it there and keeps it
    ),
    "journey note": (
        lambda ws, who: save_journey_note(ws, "purchase", f"note {who}"),
        "select stage, note from journey_notes",
        [("purchase", "note A")],
    ),
    "finding status": (
        lambda ws, who: set_finding_status(ws, FINDING, "dismissed" if who == "A" else "in_progress"),
        "select key, status from friction_status",
        [(FINDING.key, "dismissed")],
    ),
    "persona name": (
        lambda ws, who: rename_persona(ws, 3, f"Ana {who}"),
        "select persona_id, name from persona_names",
        [(3, "Ana A")],
    ),
    "maturity threshold": (
        lambda ws, who: save_threshold(ws, "no_bounce", 70.0 if who == "A" else 80.0),
        "select criterion, threshold from maturity_thresholds",
        [("no_bounce", 70.0)],
    ),
    "workshop": (  # ids from max + 1: A runs again after B took 1, so A gets 2 (never two workshops with one id)
        lambda ws, who: save_workshop(ws, f"atelier {who}", date(2025, 3, 1), {}),
        "select workshop_id, name from maturity_workshops order by workshop_id",
        [(1, "atelier B"), (2, "atelier A")],
    ),
    "stage rules": (
        lambda ws, who: save_stage_rules(ws, default_stage_rules().head(3 if who == "A" else 5)),
        "select count(*) from journey_stage_rules",
        [(3,)],
    ),
}


@pytest.fixture(params=["lake", pytest.param("postgres", marks=NO_PG)])
def lake_backend(request, tmp_path, monkeypatch):
    monkeypatch.delenv("CX_LAKE", raising=False)
    monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "lake.key"))
    b = Backend(request.param, tmp_path / "workspace")
    yield b
    b.drop()


def race(a: Workspace, b: Workspace, edit) -> list[int]:
    """`edit(a, "A")` while another connection to the same lake (`b`) commits `edit(b, "B")` inside A's
    transaction, just before A commits. Returns one entry per transaction A committed or tried to."""
    real, tries = a.transaction, []

    @contextmanager
    def transaction(finish_erasure=True):
        with real(finish_erasure) as cur:
            yield cur
            tries.append(1)
            if len(tries) == 1:
                edit(b, "B")

    a.transaction = transaction
    try:
        edit(a, "A")
    finally:
        del a.transaction
    return tries


@pytest.mark.parametrize("kind", EDITS)
def test_a_settings_edit_that_lost_a_commit_race_runs_again(lake_backend, kind):
    edit, query, expected = EDITS[kind]
    a, b = lake_backend.open(), lake_backend.open()  # two connections, as two replicas have
    try:
        assert race(a, b, edit) == [1, 1]  # A's first transaction lost to B's commit; the edit ran again whole
        with a.cursor() as cur:
            assert cur.execute(query).fetchall() == expected
    finally:
        a.close()
        b.close()


def test_an_edit_that_neither_takes_its_turn_nor_runs_again_is_refused_or_doubled(lake_backend):
    """What `workspace.edit` is for: the same race with the bare edit. A SQLite catalog refuses A's commit
    ("database is locked"); a PostgreSQL catalog commits both inserts, and the keyword is there twice."""
    a, b = lake_backend.open(), lake_backend.open()
    try:
        bare = add_theme_keyword.__wrapped__
        try:
            race(a, b, lambda ws, who: (bare if who == "A" else add_theme_keyword)(ws, "delivery", "colis"))
            outcome = "committed"
        except duckdb.Error as e:
            assert lake.is_conflict(e), e
            outcome = "refused"
        with a.cursor() as cur:
            rows = cur.execute("select count(*) from theme_keywords").fetchall()[0][0]
        assert (outcome, rows) == {"lake": ("refused", 1), "postgres": ("committed", 2)}[lake_backend.kind]
    finally:
        a.close()
        b.close()


EDITOR = """
import sys
from cx.journey import save_journey_note
from cx.text import add_theme_keyword
from cx.workspace import Workspace

ws = Workspace()  # the lake of $CX_LAKE
for i in range(6):
    add_theme_keyword(ws, "delivery", f"colis {i}")
    save_journey_note(ws, "purchase", f"{sys.argv[1]} {i}")
ws.close()
"""


def test_two_processes_editing_the_same_settings_at_once(lake_backend, tmp_path):
    """Two processes add the same six keywords and rewrite the same note at the same time: both finish, and
    each keyword and the note are there once."""
    lake_backend.open().close()  # the lake is made before they start
    env = {
        **os.environ,
        "CX_LAKE": lake_backend.lake.catalog,
        "CX_LAKE_DATA": lake_backend.lake.data,
        "CX_KEY_FILE": os.environ["CX_KEY_FILE"],
    }
    procs = [
        subprocess.Popen([sys.executable, "-c", EDITOR, who], cwd=ROOT, env=env, stderr=subprocess.PIPE, text=True)
        for who in ("A", "B")
    ]
    errors = [p.communicate(timeout=300)[1] for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    ws = lake_backend.open()
    with ws.cursor() as cur:
        assert cur.execute("select keyword, count(*) from theme_keywords group by all order by 1").fetchall() == [
            (f"colis {i}", 1) for i in range(6)
        ]
        assert cur.execute("select stage, count(*) from journey_notes group by all").fetchall() == [("purchase", 1)]
    ws.close()

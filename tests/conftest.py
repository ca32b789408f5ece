import hashlib
import os
import shutil
import sys
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

# Real exports found in public repositories (tests/exports/real/README.md): not committed (third-party data).
# Read from $CX_REAL_EXPORTS, else ../shared/real_exports beside the checkout (where sessions keep them), else
# tests/exports/real/; a test whose file is absent skips, saying so.
REAL_EXPORTS = Path(
    os.environ.get("CX_REAL_EXPORTS")
    or next((p for p in (ROOT.parent / "shared" / "real_exports",) if p.is_dir()), ROOT / "tests" / "exports" / "real")
)
sys.path.insert(0, str(ROOT))

import duckdb

import cx.workspace as workspace_mod
from cx import lake as lake_mod
from cx.models import Filters
from cx.workspace import Workspace

# --- the backend every test workspace is on ------------------------------------------------------------------
# CX_TEST_BACKEND=lake: every workspace a test opens by its path (the `ws` fixture, `Workspace(path)`, `--db`, the
# pages' CX_DB) is a fresh DuckLake standing for that path instead of a DuckDB file: its catalog is a schema of its
# own in one PostgreSQL database of this run when CX_TEST_POSTGRES names a server (.ci/run starts one), else a
# SQLite file at the path itself; its Parquet files go to `<path>.lake/`; its key file is `<path minus suffix>.key`,
# as for the file; `ws.path` is that path. A test about the file itself is marked `file_only` and skipped there,
# with its reason. A child process (`python -m cx`) opens the same lake when started with `workspace_env(db)`.
BACKEND = os.environ.get("CX_TEST_BACKEND", "file")
if BACKEND not in ("file", "lake"):
    raise pytest.UsageError(f"CX_TEST_BACKEND={BACKEND!r}: use file (the default) or lake")
PG = os.environ.get("CX_TEST_POSTGRES")  # e.g. "host=127.0.0.1 port=54329 user=postgres"
ON_LAKE = BACKEND == "lake"


def postgres(statement: str, database: str = "postgres") -> None:
    """Run `statement` on the server `$CX_TEST_POSTGRES` (outside a transaction: create/drop database)."""
    con = duckdb.connect(config=lake_mod.OFFLINE)
    try:
        lake_mod.load_extensions(con, ("postgres_scanner",))
        con.execute(f"attach '{PG} dbname={database}' as pg (type postgres)")
        con.execute("call postgres_execute('pg', $s, use_transaction => false)", {"s": statement})
    finally:
        con.close()


# the PostgreSQL database of this run, made on first use, dropped at the end (named in the environment: this module
# is imported twice, as `conftest` and as `tests.conftest`)
SUITE_DATABASE = os.environ.setdefault("CX_TEST_LAKE_DATABASE", f"cx_suite_{os.getpid()}_{uuid.uuid4().hex[:8]}")
_made: list[str] = []


def lake_for(path: Path) -> lake_mod.Lake:
    """The lake standing for the workspace file `path` on the lake backend (the same path, the same lake)."""
    path = Path(os.path.abspath(path))
    data = f"{path}.lake/"
    if not PG:
        return lake_mod.Lake(f"ducklake:sqlite:{path}", data)
    if not _made:
        try:
            postgres(f"create database {SUITE_DATABASE}")
        except duckdb.Error as e:
            if "already exists" not in str(e):
                raise
        _made.append(SUITE_DATABASE)
    schema = "w_" + hashlib.sha256(str(path).encode()).hexdigest()[:24]
    return lake_mod.Lake(f"ducklake:postgres:{PG} dbname={SUITE_DATABASE}", data, schema)


def pytest_sessionfinish(session):
    if _SUITE_CATALOG:
        _SUITE_CATALOG.pop().close()
    if ON_LAKE and PG:
        postgres(f"drop database if exists {SUITE_DATABASE} with (force)")


_SUITE_CATALOG: list = []  # one connection to the run's PostgreSQL database, for the schemas of the tests' lakes
LAKE_SCHEMAS = "select nspname::text from pg_namespace where nspname like 'w\\_%'"


def lake_schemas() -> set[str]:
    """The schemas of the tests' lakes in the run's PostgreSQL database."""
    if not _SUITE_CATALOG:
        lake_for(Path("/"))  # the database exists
        con = duckdb.connect(config=lake_mod.OFFLINE)
        lake_mod.load_extensions(con, ("postgres_scanner",))
        con.execute(f"attach '{PG} dbname={SUITE_DATABASE}' as suite (type postgres)")
        _SUITE_CATALOG.append(con)
    return {
        r[0]
        for r in _SUITE_CATALOG[0].execute("select * from postgres_query('suite', $q)", {"q": LAKE_SCHEMAS}).fetchall()
    }


@pytest.fixture(autouse=True)
def _drop_test_lakes():
    """On the PostgreSQL lake backend, the schemas of the lakes a test made are dropped after it (those of module
    and session fixtures, made before, stay), so the catalog database does not grow with the suite."""
    if not (ON_LAKE and PG):
        yield
        return
    before = lake_schemas()
    yield
    for schema in sorted(lake_schemas() - before):
        try:  # a workspace a test left open may still hold a lock: then the schema stays until the end
            _SUITE_CATALOG[0].execute(
                "call postgres_execute('suite', $s)", {"s": f"set lock_timeout = '3s'; drop schema {schema} cascade"}
            )
        except duckdb.Error:
            pass


# CI's lake pass (`.ci/run`, `-m lake_pass`): the whole suite on a lake takes 3–7× its time on the file (every
# workspace a test opens is a lake made in PostgreSQL), too long for CI. These modules are marked `lake_pass`: what
# differs between the two backends — opening and migrating (workspace), keyed writes and import ids (import,
# demo_choice), erasure, the data and settings versions and edits (cache, journey_rules, text), stored results,
# the command line in child processes, the shared SQL fragments' oracles (staging) and a few analyses end to end
# (cohorts, friction). The rest runs on a lake with `CX_TEST_BACKEND=lake` alone (docs/SCALING.md has the counts).
LAKE_PASS = {
    "test_workspace",
    "test_import",
    "test_demo_choice",
    "test_erasure",
    "test_forget",
    "test_cache",
    "test_journey_rules",
    "test_text",
    "test_results",
    "test_cli",
    "test_cli_findings",
    "test_cli_kpis",
    "test_staging",
    "test_cohorts",
    "test_friction",
}


def pytest_collection_modifyitems(config, items):
    for item in items:
        if item.path.stem in LAKE_PASS:
            item.add_marker(pytest.mark.lake_pass)
    if not ON_LAKE:
        return
    for item in items:
        marker = item.get_closest_marker("file_only")
        if marker:
            reason = marker.args[0] if marker.args else "about the workspace file itself"
            item.add_marker(pytest.mark.skip(reason=f"file backend only: {reason}"))
        elif item.path.stem == "test_lake":
            item.add_marker(pytest.mark.skip(reason="tests/test_lake.py chooses its backends itself (file pass)"))


def open_on_lakes() -> None:
    """On the lake backend, from here on `Workspace(path)` opens the lake standing for `path` (above): for the whole
    session, module- and session-scoped fixtures included."""
    opened, key_path = Workspace.__init__, Workspace.key_path
    if getattr(opened, "on_lakes", False):  # (this module is imported twice)
        return

    def on_lake(self, path=None, lake=None):
        if lake is None and lake_mod.setting() is None:
            path = path or workspace_mod.default_path()
            if str(path) != ":memory:":
                self.stands_for, lake = Path(path), lake_for(Path(path))
        opened(self, None if lake else path, lake)
        if getattr(self, "stands_for", None):
            self.path = self.stands_for  # what the test named (messages, `ws.path`)

    def key_of(self):
        stands_for = getattr(self, "stands_for", None)
        if stands_for is None or os.environ.get("CX_KEY_FILE"):
            return key_path.fget(self)
        return stands_for.with_suffix(".key")

    on_lake.on_lakes = True
    Workspace.__init__ = on_lake
    Workspace.key_path = property(key_of)


if ON_LAKE:
    open_on_lakes()
    # the same extension files, loaded without DuckDB's signature check (about 0.4 s of every opening of a lake;
    # tests/test_lake.py checks the product's loading in the file pass)
    lake_mod.OFFLINE["allow_unsigned_extensions"] = True


def workspace_env(db: Path) -> dict[str, str]:
    """The environment that points a child process (`python -m cx`, the app) at the workspace `db`: `CX_DB`, or
    on the lake backend the lake standing for it (`CX_LAKE`, `CX_LAKE_DATA`, `CX_LAKE_SCHEMA`, `CX_KEY_FILE`)."""
    if not ON_LAKE:
        return {"CX_DB": str(db)}
    lake = lake_for(Path(db))
    env = {"CX_DB": str(db), "CX_LAKE": lake.catalog, "CX_LAKE_DATA": lake.data, "CX_LAKE_SCHEMA": lake.schema or ""}
    return {**env, "CX_KEY_FILE": os.environ.get("CX_KEY_FILE") or str(Path(db).with_suffix(".key"))}


def copy_workspace(source: Path, target: Path) -> Path:
    """A copy of the workspace `source` (closed) at `target`, with its key: the file copied, or on the lake
    backend every table's rows copied into the lake standing for `target`."""
    shutil.copy(source.with_suffix(".key"), target.with_suffix(".key"))
    if not ON_LAKE:
        shutil.copy(source, target)
        return target
    Workspace(target).close()  # the lake, its schema, macros and counter
    con = duckdb.connect(config=lake_mod.OFFLINE)
    try:
        for alias, path in (("source", source), ("target", target)):
            lake = lake_for(path)
            lake_mod.load_extensions(con, ("ducklake", "postgres_scanner" if PG else "sqlite_scanner"))
            options = f"data_path '{lake.data}'" + (f", metadata_schema '{lake.schema}'" if lake.schema else "")
            con.execute(f"attach '{lake.catalog}' as {alias} ({options}, data_inlining_row_limit 0)")
        tables = [
            r[0]
            for r in con.execute(
                "select table_name from duckdb_tables() where database_name = 'source' and schema_name = 'main'"
            ).fetchall()
        ]
        con.begin()
        for table in tables:
            con.execute(f'delete from target."{table}"')
            con.execute(f'insert into target."{table}" select * from source."{table}"')
        con.commit()
    finally:
        con.close()
    return target


@pytest.fixture
def ws(tmp_path):
    w = Workspace(tmp_path / "w.duckdb")
    yield w
    w.close()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def clients_and_orders_workbook(path: Path) -> Path:
    """A workbook of two sheets, 'Clients' (2 customers) then 'Commandes' (2 orders): two imports of one file."""
    from openpyxl import Workbook

    book = Workbook()
    clients = book.active
    clients.title = "Clients"
    for row in (
        ("customer_id", "email", "signup_date"),
        ("C1", "a@x.fr", "2025-01-01"),
        ("C2", "b@x.fr", "2025-01-02"),
    ):
        clients.append(row)
    orders = book.create_sheet("Commandes")
    for row in (
        ("order_id", "customer_id", "order_date", "amount"),
        ("O1", "C1", "2025-02-01", 10),
        ("O2", "C2", "2025-02-02", 20),
    ):
        orders.append(row)
    book.save(path)
    return path


def run_view(view: str, db, monkeypatch, filters=Filters(), lang="en") -> AppTest:
    """Run one page of `views/` on its own (AppTest), on the workspace `db`, with the filters app.py would set."""
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / f"{view}.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["filters"] = filters
    return at.run()

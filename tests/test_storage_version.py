"""The DuckDB pin (issue 16, docs/SCALING.md "Which DuckDB and why"): Parcours runs on DuckDB 1.5.5, whose
DuckLake, SQLite and PostgreSQL extensions come from pinned packages (no download at run time). A workspace
written by DuckDB 2.0 is refused with the exact commands that copy it into the 1.5 format."""

import gzip
import importlib.util

import duckdb
import pytest

from cx import lake
from cx.__main__ import run
from cx.errors import StorageTooNew, WorkspaceError
from cx.storage_copy import BACKUP_SUFFIX, copy_to_storage
from cx.workspace import ROOT, Workspace

WRITTEN_BY_2_0 = ROOT / "tests" / "data" / "workspaces" / "written_by_duckdb_2_0.duckdb.gz"


@pytest.fixture
def newer(tmp_path):
    db = tmp_path / "old.duckdb"
    db.write_bytes(gzip.decompress(WRITTEN_BY_2_0.read_bytes()))
    return db


def test_the_pin_is_the_one_the_extensions_are_built_for():
    assert duckdb.__version__ == "1.5.5"
    for name in lake.EXTENSIONS:
        assert lake.extension_path(name).is_file()
        assert f"v{duckdb.__version__}" in str(lake.extension_path(name))


@pytest.mark.file_only("a file written by DuckDB 2.0")
def test_a_workspace_written_by_duckdb_2_is_refused_with_the_copy_command(newer):
    before = newer.read_bytes()
    with pytest.raises(StorageTooNew) as caught:
        Workspace(newer)
    message = str(caught.value)
    assert str(newer) in message and "duckdb==2.0.0" in message
    assert f"-m cx.storage_copy {newer}" in message
    assert "1.5.5" in message
    assert newer.read_bytes() == before  # nothing was changed
    assert "cx.storage_copy" in caught.value.text("fr") and "plus récente" in caught.value.text("fr")


@pytest.mark.file_only("a file written by DuckDB 2.0")
def test_the_command_line_says_it_in_one_sentence(newer, capsys):
    assert run(["tables", "--db", str(newer), "--json"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the workspace") and "cx.storage_copy" in err and "Traceback" not in err


@pytest.mark.file_only("the copy of a file into another storage version")
def test_the_copy_keeps_every_row_and_the_sequence_and_the_old_file(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    with ws.transaction() as cur:
        for _ in range(3):  # the sequence moves on: the copy must not hand out 1 again
            cur.execute(
                "insert into imports (import_id, file_name, sha256, kind, file_type, status) "
                "values (nextval('import_ids'), 'f.csv', gen_random_uuid()::varchar, 'events', 'csv', 'loaded')"
            )
    ws.close()
    original = db.read_bytes()
    backup = copy_to_storage(db, "v1.5.0")  # the same code path as from DuckDB 2.0, with the format 1.5 writes
    assert backup == tmp_path / f"w.duckdb{BACKUP_SUFFIX}" and backup.read_bytes() == original
    again = Workspace(db)
    with again.cursor() as cur:
        assert cur.execute("select count(*) from imports").fetchall()[0][0] == 3
        assert cur.execute("select nextval('import_ids')").fetchall()[0][0] == 4
    again.close()
    with pytest.raises(FileExistsError):  # a second copy never overwrites the kept file
        copy_to_storage(db, "v1.5.0")


def test_extensions_load_offline_and_a_lake_answers(tmp_path):
    con = duckdb.connect(config=lake.OFFLINE)
    lake.load_extensions(con)
    lake.load_extensions(con)  # a second call is a no-op
    loaded = {r[0] for r in con.execute("select extension_name from duckdb_extensions() where loaded").fetchall()}
    assert set(lake.EXTENSIONS) <= loaded
    con.execute(f"attach 'ducklake:sqlite:{tmp_path / 'cat.sqlite'}' as l (data_path '{tmp_path / 'data'}/')")
    con.execute("create table l.t (i integer)")
    con.execute("insert into l.t values (41), (1)")
    assert con.execute("select sum(i) from l.t").fetchall() == [(42,)]


def test_a_missing_extension_package_is_named(monkeypatch):
    real = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *a: None if name == "duckdb_extension_ducklake" else real(name, *a)
    )
    with pytest.raises(WorkspaceError, match="duckdb-extension-ducklake"):
        lake.extension_path("ducklake")

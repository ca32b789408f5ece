import pytest

from cx.errors import WorkspaceError
from cx.workspace import SCHEMA_VERSION, Workspace


def test_new_workspace_has_the_current_schema(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:
        assert cur.execute("select value from cx_meta where key = 'schema_version'").fetchone()[0] == str(
            SCHEMA_VERSION
        )
    assert ws.table_counts() == {t: 0 for t in ("events", "customers", "orders", "tickets", "responses")}
    ws.close()


def test_reopening_keeps_data_and_key(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    code = ws.pseudonymise("ana@example.fr")
    ws.close()
    again = Workspace(tmp_path / "w.duckdb")
    assert again.pseudonymise(" ANA@example.fr") == code
    assert (tmp_path / "w.key").stat().st_mode & 0o077 == 0  # key readable by its owner only
    again.close()


def test_a_newer_schema_is_refused(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:
        cur.execute("update cx_meta set value = '999' where key = 'schema_version'")
    ws.close()
    with pytest.raises(WorkspaceError, match="newer Parcours"):
        Workspace(tmp_path / "w.duckdb")


def test_cx_db_sets_the_default_path(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "x.duckdb"))
    ws = Workspace()
    assert ws.path == tmp_path / "x.duckdb"
    ws.close()

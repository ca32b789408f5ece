"""A specific message for each failure of the machine (issue 12): disk full, workspace locked by another
process, damaged workspace, read-only folder, missing pseudonymisation key — in the UI's language on the
pages, in English on the command line, never "check that it is a CSV" and never a traceback."""

import errno
import os
import subprocess
import sys

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

import cx.commands.import_ as import_command
from cx.__main__ import run
from cx.errors import (
    CxError,
    DiskFull,
    KeyMissing,
    ReadOnly,
    WorkspaceDamaged,
    WorkspaceLocked,
    system_error,
    unexpected,
)
from cx.workspace import Workspace
from tests.conftest import ROOT, write

CSV_HINT = "check that it is a CSV"


def _with_an_import(db):
    ws = Workspace(db)
    with ws.cursor() as cur:
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, status) values "
            "(1, 'e.csv', 'x', 'events', 'loaded')"
        )
    ws.close()


def run_app(db, monkeypatch, lang="fr") -> AppTest:
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.delenv("CX_PASSWORD", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["demo_checked"] = True
    return at.run()


def app_error(at) -> str:
    assert not at.exception, at.exception
    assert len(at.error) == 1, [e.value for e in at.error]
    return at.error[0].value


# ---- disk full
@pytest.mark.parametrize(
    "error",
    [
        OSError(errno.ENOSPC, "No space left on device"),
        duckdb.IOException('IO Error: Could not write file "w.duckdb.wal": No space left on device'),
    ],
)
def test_disk_full_is_named(error, tmp_path):
    e = unexpected(error, "orders.csv", log=False, path=tmp_path / "w.duckdb")
    assert isinstance(e, DiskFull) and "full" in str(e) and CSV_HINT not in str(e)
    assert "plein" in e.text("fr") and "full" in e.text("en")


def test_disk_full_during_an_import_on_the_command_line(tmp_path, capsys, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(import_command, "import_file", full)
    f = write(tmp_path, "orders.csv", "order_id,amount\n1,10\n")
    assert run(["import", str(f), "--db", str(tmp_path / "w.duckdb")]) == 2
    err = capsys.readouterr().err
    assert "is full" in err and CSV_HINT not in err and "Traceback" not in err


def test_disk_full_when_the_app_opens_the_workspace(tmp_path, monkeypatch):
    def full(self):
        raise duckdb.IOException("IO Error: No space left on device")

    monkeypatch.setattr(Workspace, "migrate", full)
    message = app_error(run_app(tmp_path / "full.duckdb", monkeypatch))
    assert message.startswith("Le disque qui contient l’espace de travail") and "plein" in message


# ---- locked by another process
@pytest.fixture
def locked(tmp_path):
    db = tmp_path / "locked.duckdb"
    Workspace(db).close()
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            f"import duckdb, time; c = duckdb.connect({str(db)!r}); print('ready', flush=True); time.sleep(60)",
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert holder.stdout.readline().strip() == "ready"
    yield db
    holder.kill()
    holder.wait()


@pytest.mark.file_only("the file's lock held by another process")
def test_a_workspace_locked_by_another_process(locked, capsys, monkeypatch):
    with pytest.raises(WorkspaceLocked, match="open in another program"):
        Workspace(locked)
    assert run(["tables", "--db", str(locked)]) == 2
    assert "open in another program" in capsys.readouterr().err
    message = app_error(run_app(locked, monkeypatch))
    assert "est ouvert par un autre programme" in message


# ---- damaged workspace
@pytest.mark.file_only("a damaged file")
@pytest.mark.parametrize("content", [b"this is not a database\n" * 200, b"DUCK" + bytes(range(256)) * 40])
def test_a_damaged_workspace_file(content, tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    db.write_bytes(content)
    with pytest.raises(WorkspaceDamaged, match="damaged or is not a Parcours workspace"):
        Workspace(db)
    assert run(["kpis", "--db", str(db)]) == 2
    err = capsys.readouterr().err
    assert "damaged" in err and CSV_HINT not in err
    assert db.read_bytes() == content  # left as it was, for a backup or a look


@pytest.mark.file_only("an empty file")
def test_an_empty_workspace_file_is_said_empty_not_damaged(tmp_path, capsys, monkeypatch):
    db = tmp_path / "w.duckdb"
    db.touch()  # a tester's first try: `touch w.duckdb`, then CX_DB at it
    with pytest.raises(WorkspaceDamaged, match=r"is an empty file \(0 bytes\): it holds no data"):
        Workspace(db)
    assert run(["kpis", "--db", str(db)]) == 2
    assert "empty file (0 bytes)" in capsys.readouterr().err
    assert "est un fichier vide \\(0 octet\\)" in app_error(run_app(db, monkeypatch))  # markdown-escaped
    assert db.read_bytes() == b""  # left as it was: whatever it was meant to hold, Parcours does not decide


@pytest.mark.file_only("a truncated file")
def test_a_truncated_workspace_file(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    with ws.cursor() as cur:
        cur.execute("create table filler as select range as i, repeat('x', 100) as s from range(50000)")
        cur.execute("checkpoint")
    ws.close()
    data = db.read_bytes()
    db.write_bytes(data[: len(data) // 3])
    with pytest.raises(WorkspaceDamaged):
        w = Workspace(db)
        with w.cursor() as cur:  # if opening worked, reading must fail clearly
            cur.execute("select count(*) from filler").fetchall()


@pytest.mark.file_only("a damaged file")
def test_a_damaged_workspace_in_the_app_in_english(tmp_path, monkeypatch):
    db = tmp_path / "bad.duckdb"
    db.write_bytes(b"garbage" * 100)
    assert "is damaged or is not a Parcours workspace" in app_error(run_app(db, monkeypatch, lang="en"))


# ---- read-only folder
@pytest.mark.file_only("the file's folder read-only")
def test_a_read_only_folder_simulated(tmp_path, monkeypatch, capsys):
    def refuse(path, *args, **kwargs):
        raise duckdb.IOException(f'IO Error: Cannot open file "{path}": Permission denied')

    monkeypatch.setattr(duckdb, "connect", refuse)
    with pytest.raises(ReadOnly, match="cannot write"):
        Workspace(tmp_path / "w.duckdb")
    assert run(["tables", "--db", str(tmp_path / "w.duckdb")]) == 2
    assert "read-only" in capsys.readouterr().err
    assert "lecture seule" in app_error(run_app(tmp_path / "ro.duckdb", monkeypatch))


def test_a_folder_that_cannot_be_created(tmp_path, monkeypatch):
    def refuse(self, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied", str(self))

    monkeypatch.setattr("pathlib.Path.mkdir", refuse)
    with pytest.raises(ReadOnly):
        Workspace(tmp_path / "new" / "w.duckdb")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes everywhere: chmod cannot make a folder read-only")
def test_a_read_only_folder_for_real(tmp_path):
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(ReadOnly):
            Workspace(folder / "w.duckdb")
    finally:
        folder.chmod(0o700)


def test_permission_errors_are_named():
    assert isinstance(system_error(PermissionError(errno.EACCES, "Permission denied", "/x/w.duckdb")), ReadOnly)
    assert isinstance(system_error(OSError(errno.EROFS, "Read-only file system", "/x")), ReadOnly)
    assert system_error(ValueError("bad value")) is None


# ---- the pseudonymisation key
def test_a_missing_key_with_pseudonymised_data_is_refused(tmp_path, capsys, monkeypatch):
    db = tmp_path / "w.duckdb"
    _with_an_import(db)
    key = tmp_path / "w.key"
    before = key.read_text()
    key.unlink()
    with pytest.raises(KeyMissing, match="key .* is missing"):
        Workspace(db)
    assert not key.exists()  # never silently regenerated
    assert run(["tables", "--db", str(db)]) == 2 and "CX_KEY_FILE" in capsys.readouterr().err
    assert "clé de pseudonymisation" in app_error(run_app(db, monkeypatch))
    key.write_text(before)  # put back: everything works again, with the same pseudonyms
    ws = Workspace(db)
    assert ws.table_counts()["events"] == 0
    ws.close()


def test_a_fresh_or_empty_workspace_may_create_its_key(tmp_path):
    db = tmp_path / "w.duckdb"
    Workspace(db).close()
    (tmp_path / "w.key").unlink()
    Workspace(db).close()  # no import yet: nothing pseudonymised, a new key is fine
    assert (tmp_path / "w.key").exists()


def test_a_damaged_key_is_refused(tmp_path):
    db = tmp_path / "w.duckdb"
    _with_an_import(db)
    (tmp_path / "w.key").write_text("not hex at all")
    with pytest.raises(WorkspaceDamaged, match="key .* is damaged"):
        Workspace(db)


def test_every_error_label_exists_in_both_languages():
    from cx.i18n import catalogue

    for cls in (DiskFull, WorkspaceLocked, WorkspaceDamaged, ReadOnly, KeyMissing):
        for lang in ("fr", "en"):
            assert f"errors.{cls.key}" in catalogue(lang)
    for key in ("unexpected", "unexpected_no_file", "key_damaged", "cannot_open"):
        assert f"errors.{key}" in catalogue("fr") and f"errors.{key}" in catalogue("en")
    assert CxError("x", key="unexpected", file="a.csv", values={"kind": "E"}).text("fr").startswith("Fichier « a.csv »")

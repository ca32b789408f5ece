"""Orphan Parquet files on a lake (issue 16, docs/SCALING.md "Known limits"). Measured on DuckLake 1.5.5: an import
that fails and is rolled back (a file rejected late, a lost commit race run again) leaves no file, DuckLake deletes
what its transaction wrote; an import whose process is killed leaves the files it had written, which no snapshot
refers to. `python -m cx lake maintain` deletes those once they are old enough (a running import's files belong to no
snapshot yet either), counts them in a dry run, and never deletes a Parquet file that is not the lake's. Backends: a
SQLite catalog, and PostgreSQL when `$CX_TEST_POSTGRES` names a server."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from cx import lake, lake_presence
from cx.__main__ import run
from cx.errors import CxError
from cx.ingest import import_file, load
from tests.conftest import ROOT
from tests.test_lake import NO_PG, PG, events_file, lake_backend  # noqa: F401 (a fixture)

KILLED_IMPORT = """
import os, sys
from pathlib import Path
from cx.ingest import import_file, load
from cx.workspace import Workspace

real = load._load

def load_then_die(*args, **kwargs):  # the rows are written to the lake's files, the transaction never ends
    real(*args, **kwargs)
    os._exit(9)

load._load = load_then_die
import_file(Workspace(), Path(sys.argv[1]))
"""


def parquet_files(folder: Path) -> set[Path]:
    return set(folder.rglob("*.parquet"))


def age(paths, days: float = 2) -> None:
    then = time.time() - days * 86400
    for path in paths:
        os.utime(path, (then, then))


def test_a_failed_import_rolled_back_leaves_no_file(lake_backend, tmp_path, monkeypatch):  # noqa: F811
    """A file rejected after its rows were written (the lake's files too): DuckLake deletes the files of the
    rolled-back transaction, so nothing is left for `maintain`."""
    ws = lake_backend.open()
    try:
        import_file(ws, events_file(tmp_path / "src", "one.csv", 3))
        data = Path(lake_backend.lake.data)
        before, real = parquet_files(data), load._load

        def rejected_late(*args, **kwargs):
            real(*args, **kwargs)
            assert len(parquet_files(data)) > len(before)  # its rows are in files already
            raise CxError("rejected after the load", fix="(a test)")

        monkeypatch.setattr(load, "_load", rejected_late)
        with pytest.raises(CxError):
            import_file(ws, events_file(tmp_path / "src", "two.csv", 4))
        assert parquet_files(data) == before
        with ws.cursor() as cur:
            assert lake.orphans(cur, 0) == lake.Orphans((), ())
    finally:
        ws.close()


def test_maintain_deletes_a_killed_imports_orphan_files_and_leaves_live_and_foreign_ones(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
    capsys,
):
    lake_backend.use_for_cli(monkeypatch)
    ws = lake_backend.open()
    data = Path(lake_backend.lake.data)
    try:
        for name, n in (("one.csv", 3), ("two.csv", 4)):
            import_file(ws, events_file(tmp_path / "src", name, n))
        live = parquet_files(data)
        killed = subprocess.run(
            [sys.executable, "-c", KILLED_IMPORT, str(events_file(tmp_path / "src", "killed.csv", 5))],
            check=False,
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert killed.returncode == 9, killed.stderr
        orphans = parquet_files(data) - live
        assert any(p.parent.name == "events" for p in orphans)  # the killed import's rows, in no snapshot
        assert all(lake.OWN_FILE.fullmatch(p.name) for p in orphans)
        foreign = data / "export" / "events.parquet"  # not the lake's: never deleted
        foreign.parent.mkdir()
        duckdb.sql(f"copy (select 1 as a) to '{foreign}'")
        age([foreign])

        def maintained(*options: str) -> dict:
            assert run(["lake", "maintain", "--json", *options]) == 0
            return json.loads(capsys.readouterr().out)

        # fresh orphans may be the files of an import running now: left
        assert maintained()["orphan_files"] == 0 and orphans <= parquet_files(data)
        age(orphans)
        dry = maintained("--dry-run")
        assert (dry["dry_run"], dry["orphan_files"], dry["foreign_files"]) == (True, len(orphans), 1)
        assert orphans <= parquet_files(data)  # a dry run deletes nothing
        assert run(["lake", "maintain", "--dry-run"]) == 0  # French by default, as every command
        assert f"{len(orphans)} fichiers orphelins seraient supprimés" in capsys.readouterr().out
        assert run(["lake", "maintain", "--dry-run", "--lang", "en"]) == 0
        assert f"{len(orphans)} orphan files would be deleted" in capsys.readouterr().out
        done = maintained()
        assert (done["orphan_files"], done["foreign_files"]) == (len(orphans), 1)
        assert not orphans & parquet_files(data)  # gone
        assert live <= parquet_files(data) and foreign.exists()  # the lake's files in use, and the foreign one, stay
        assert ws.table_counts()["events"] == 3 + 4
        reopened = lake_backend.open()
        try:
            assert reopened.table_counts()["events"] == 3 + 4
        finally:
            reopened.close()
        assert maintained()["orphan_files"] == 0
        assert run(["lake", "maintain", "--orphan-hours", "-1"]) == 2
    finally:
        ws.close()


def test_maintain_deletes_no_orphan_in_a_data_folder_another_lake_shares(tmp_path):
    """Two lakes given one data folder (two clients' catalogs, one CX_LAKE_DATA): to DuckLake each sees the other's
    live files as orphans. Each lake leaves its mark in its folder at its first opening; `maintain` finds two marks
    and deletes nothing, saying why — the other lake's events stay readable."""
    from cx.workspace import Workspace

    data = f"{tmp_path / 'shared'}/"
    a = Workspace(lake=lake.Lake(f"ducklake:sqlite:{tmp_path / 'a.sqlite'}", data))
    b = Workspace(lake=lake.Lake(f"ducklake:sqlite:{tmp_path / 'b.sqlite'}", data))
    try:
        import_file(b, events_file(tmp_path / "src", "b.csv", 4))
        marks = sorted(p.name for p in Path(data).glob(lake.MARK + "*"))
        assert len(marks) == 2
        with a.cursor() as cur:
            assert len(lake.orphans(cur, 0).own) > 0  # b's live files, to a's catalog
            done = lake.maintain(cur, orphan_hours=0)
        assert done["orphan_files"] == 0 and done["orphan_files_kept"] > 0
        assert "shared with another lake" in done["orphan_files_kept_because"]
        assert b.table_counts()["events"] == 4
        with b.cursor() as cur:  # b's own maintain refuses too
            assert lake.maintain(cur, orphan_hours=0)["orphan_files"] == 0
        assert b.table_counts()["events"] == 4
    finally:
        a.close()
        b.close()


@pytest.mark.parametrize(
    "path, scheme",
    [
        ("s3://bucket/lake/", "s3"),
        ("gs://bucket/lake/", "gs"),
        ("az://container/lake/", "az"),
        ("abfss://c@account.dfs.core.windows.net/lake/", "abfss"),
        ("file:///srv/lake/", None),
        ("/srv/lake/", None),
        ("C:\\lake\\", None),
        (None, None),
    ],
)
def test_object_storage_is_recognised_from_the_path_alone(path, scheme):
    assert lake.object_storage(path) == scheme


def test_a_lake_in_object_storage_is_refused_before_any_connection(tmp_path, monkeypatch, capsys):
    """`lake maintain` (or any command) on a lake whose data path is in object storage, without DuckDB's httpfs
    extension (Parcours does not install it): one clear sentence before connecting to anything — no catalog
    created, no merge or expiry run first, no traceback. No network: the URL is never contacted."""
    catalog = tmp_path / "catalog.sqlite"
    monkeypatch.setenv("CX_LAKE", f"ducklake:sqlite:{catalog}")
    monkeypatch.setenv("CX_LAKE_DATA", "s3://cx-test-bucket/lake/")
    monkeypatch.setenv("CX_KEY_FILE", str(tmp_path / "lake.key"))
    monkeypatch.setattr(duckdb, "connect", lambda *a, **k: pytest.fail("connected"))
    for argv in (["lake", "maintain", "--json"], ["lake", "maintain", "--dry-run"], ["tables"]):
        assert run(argv) == 2
        err = capsys.readouterr().err
        assert "s3://cx-test-bucket/lake/ is in object storage" in err and "httpfs" in err, err
        assert "nothing was read or changed" in err and "Traceback" not in err
    assert not catalog.exists()


def test_maintain_skips_the_orphans_of_a_data_path_in_object_storage_before_any_work(
    lake_backend,  # noqa: F811
    monkeypatch,
):
    """When the lake's data path is in object storage (its extension loaded), `maintain` knows first that it will
    not delete orphans there (it cannot check the prefix is the lake's alone), says so, and does the rest; it never
    lists them (before: it merged and expired, then failed on the orphans)."""
    ws = lake_backend.open()
    try:
        with ws.cursor() as cur:
            recorded = lake.data_path(cur, lake_backend.lake.schema)
            assert recorded and lake.object_storage(recorded) is None  # the test's lake is local
        monkeypatch.setattr(lake, "data_path", lambda cur, schema=None: "s3://cx-test-bucket/lake/")
        monkeypatch.setattr(lake, "orphans", lambda *a, **k: pytest.fail("orphans listed in object storage"))
        with ws.cursor() as cur:
            dry = lake.maintain(cur, dry_run=True, schema=lake_backend.lake.schema)
            done = lake.maintain(cur, orphan_hours=0, schema=lake_backend.lake.schema)
        for doc in (dry, done):
            assert (
                doc["orphan_files"] == 0
                and "s3://cx-test-bucket/lake/ is in object storage" in (doc["orphan_files_skipped_because"])
            )
        assert "files_merged" in done and "snapshots_expired" in done
    finally:
        ws.close()


HELD_IMPORT = """
import sys, time
from pathlib import Path
from cx.ingest import import_file, load
from cx.workspace import Workspace

real, ready, go = load._load, Path(sys.argv[2]), Path(sys.argv[3])

def load_then_wait(*args, **kwargs):  # the rows are in the lake's files, the transaction is still open
    report = real(*args, **kwargs)
    ready.touch()
    for _ in range(2400):
        if go.exists():
            return report
        time.sleep(0.1)
    raise SystemExit("never told to go on")

load._load = load_then_wait
print(import_file(Workspace(), Path(sys.argv[1])).import_id)
"""


def child(script: str, *args) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-c", script, *map(str, args)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_an_erasure_also_deletes_a_killed_imports_orphan_files(lake_backend, tmp_path, monkeypatch):  # noqa: F811
    """A killed import leaves Parquet files holding its rows (pseudonymised ids) that no snapshot refers to. The next
    erasure deletes them too (its process is dead: no live writer can own them), not only `maintain` a day later."""
    from cx.ingest import erase_import

    lake_backend.use_for_cli(monkeypatch)
    ws = lake_backend.open()
    data = Path(lake_backend.lake.data)
    try:
        first, _ = (import_file(ws, events_file(tmp_path / "src", f"{n}.csv", n)).import_id for n in (3, 4))
        live = parquet_files(data)
        killed = child(KILLED_IMPORT, events_file(tmp_path / "src", "killed.csv", 5))
        assert killed.wait(timeout=300) == 9, killed.stderr.read()
        orphans = parquet_files(data) - live
        assert any(p.parent.name == "events" for p in orphans)
        # written more than the clocks' margin ago (a file server's clock may differ from the machines')
        age(orphans, (lake_presence.MARGIN_SECONDS + 5) / 86400)
        erase_import(ws, first)
        assert not orphans & parquet_files(data)  # before: all of them left until `maintain`, 24 hours later
        assert ws.table_counts()["events"] == 4
        with ws.cursor() as cur:
            assert lake.orphans(cur, 0).own == ()
    finally:
        ws.close()


def test_an_erasure_whose_orphan_step_fails_still_erases(lake_backend, tmp_path, monkeypatch, caplog):  # noqa: F811
    """The orphan step runs on its own: a file it cannot unlink does not undo nor stop the erasure (the SQLite
    catalog is still vacuumed); it is logged and left to the next erasure or `maintain`."""
    from cx.ingest import erase_import

    def fails(*args):
        raise OSError("permission denied: ducklake-x.parquet")

    monkeypatch.setattr(lake_presence, "erase_orphans", fails)
    ws = lake_backend.open()
    try:
        first, _ = (import_file(ws, events_file(tmp_path / "src", f"{n}.csv", n)).import_id for n in (3, 4))
        erase_import(ws, first)
        assert ws.table_counts()["events"] == 4
    finally:
        ws.close()
    assert "orphan files of a killed import were not deleted" in caplog.text


def test_an_import_under_way_while_an_erasure_runs_keeps_its_files_and_commits(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """An import whose rows are in files no snapshot names yet (its transaction open) while another process erases:
    the erasure leaves its files, whatever their age beyond its start (no margin here), and the import commits."""
    from cx.ingest import erase_import

    monkeypatch.setattr(lake_presence, "MARGIN_SECONDS", 0.0)  # the horizon is the import's start itself
    lake_backend.use_for_cli(monkeypatch)
    ws = lake_backend.open()
    data = Path(lake_backend.lake.data)
    ready, go = tmp_path / "ready", tmp_path / "go"
    held = None
    try:
        first, _ = (import_file(ws, events_file(tmp_path / "src", f"{n}.csv", n)).import_id for n in (3, 4))
        live = parquet_files(data)
        held = child(HELD_IMPORT, events_file(tmp_path / "src", "held.csv", 5), ready, go)
        deadline = time.time() + 240
        while not ready.exists():
            assert held.poll() is None, held.stderr.read()
            assert time.time() < deadline, "the import never got to its files"
            time.sleep(0.1)
        with ws.cursor() as cur:  # its files no snapshot names yet (its claim and id, committed apart, are named)
            written = {Path(p) for p in lake.orphans(cur, 0).own}
        assert any(p.parent.name == "events" for p in written) and not written & live
        time.sleep(0.05)  # the files are older than the erasure's start: only the import's presence keeps them
        erase_import(ws, first)
        assert written <= parquet_files(data)  # the live import's files were not taken for orphans
        go.touch()
        _out, err = held.communicate(timeout=300)
        assert held.returncode == 0, err
        assert ws.table_counts()["events"] == 4 + 5
        reopened = lake_backend.open()
        try:
            assert reopened.table_counts()["events"] == 4 + 5
        finally:
            reopened.close()
    finally:
        go.touch()
        if held is not None and held.poll() is None:
            held.kill()
        ws.close()

"""Orphan Parquet files on a lake (issue 16, docs/SCALING.md "Known limits"). Measured on DuckLake 1.5.5: an import
that fails and is rolled back (a file rejected late, a lost commit race run again) leaves no file, DuckLake deletes
what its transaction wrote; an import whose process is killed leaves the files it had written, which no snapshot
refers to. `python -m cx lake maintain` deletes those once they are old enough (a running import's files belong to no
snapshot yet either), counts them in a dry run, and never deletes a Parquet file that is not the lake's. Backends: a
SQLite catalog, and PostgreSQL when `$CX_TEST_POSTGRES` names a server."""

import json
import math
import os
import sqlite3
import subprocess
import sys
import time
import uuid
from pathlib import Path

import duckdb
import pytest
from hypothesis import given, settings, strategies as st

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
            assert lake.orphans(cur) == lake.Orphans((), ())
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

        # fresh orphans (younger than the margin for clocks) may be the files of an import running now: left
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
        age(parquet_files(Path(data)))  # older than any horizon
        with a.cursor() as cur:
            assert len(lake.orphans(cur).own) > 0  # b's live files, to a's catalog
            done = lake.maintain(cur, 7, time.time())
        assert done["orphan_files"] == 0 and done["orphan_files_kept"] > 0
        assert "shared with another lake" in done["orphan_files_kept_because"]
        assert b.table_counts()["events"] == 4
        with b.cursor() as cur:  # b's own maintain refuses too
            assert lake.maintain(cur, 7, time.time())["orphan_files"] == 0
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
            dry = lake.maintain(cur, 7, time.time(), dry_run=True, schema=lake_backend.lake.schema)
            done = lake.maintain(cur, 7, time.time(), schema=lake_backend.lake.schema)
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
            assert lake.orphans(cur).own == ()
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
            written = {Path(p) for p in lake.orphans(cur).own}
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


# --- the horizon's second: DuckDB reads modification times in whole seconds ------------------------------------


def own_orphan(data: Path, when: float) -> Path:
    """A Parquet file named as DuckLake names its own, which no snapshot refers to, last modified at `when`."""
    path = data / "main" / "events" / f"ducklake-{uuid.uuid4()}.parquet"
    path.parent.mkdir(parents=True, exist_ok=True)
    duckdb.sql(f"copy (select 1 as a) to '{path}'")
    os.utime(path, (when, when))
    return path


def test_an_erasure_keeps_a_live_writers_file_written_in_the_second_it_became_busy(lake_backend, monkeypatch):  # noqa: F811
    """DuckDB reads a file's modification time truncated to the second: a file written at 12.8 s is listed as of
    12 s, "older" than a writer busy since 12.5 s. The erasure took such a live import's files for orphans
    (test_an_import_under_way… failed 2 runs in 2 with the orphan step after the SQLite catalog's vacuum: waiting 60 s
    on the catalog's checkpoint, the eraser's own row was refreshed to a later `busy_since`, so the horizon became the
    import's own start, in the second of its first files). Now a file goes only when written a whole second before."""
    monkeypatch.setattr(lake_presence, "MARGIN_SECONDS", 0.0)
    ws = lake_backend.open()
    data = Path(lake_backend.lake.data)
    try:
        busy_since = math.floor(time.time()) - 100 + 0.5
        live = own_orphan(data, busy_since + 0.3)  # its first file, in the second it became busy
        killed = own_orphan(data, busy_since - 2)
        with ws.cursor() as cur:
            store = lake_presence.Store(cur, lake_backend.lake.sqlite_file, lake_backend.lake.schema)
            store.put(f"{lake_presence.this_process()}:a-writer", busy_since)  # this process: alive
            lake_presence.erase_orphans(cur, lake_backend.lake.sqlite_file, lake_backend.lake.schema)
        assert live.exists()  # before: deleted
        assert not killed.exists()
    finally:
        ws.close()


def test_no_file_written_after_the_horizon_is_listed_whatever_its_second(lake_backend):  # noqa: F811
    """The rule as a property: a file last modified at or after `before` (or within the second before it: a file
    system's clock lags) is never listed; one written two seconds before always is."""
    ws = lake_backend.open()
    data = Path(lake_backend.lake.data)
    path = own_orphan(data, 0)
    base = math.floor(time.time()) - 1000

    @settings(max_examples=40, deadline=None)
    @given(st.floats(0, 10), st.floats(-1, 5), st.floats(2, 50))
    def check(before, after, earlier):
        with ws.cursor() as cur:
            os.utime(path, (base + before + after,) * 2)
            assert str(path) not in lake.orphans(cur, base + before).own
            os.utime(path, (base + before - earlier,) * 2)
            assert str(path) in lake.orphans(cur, base + before).own

    try:
        check()
    finally:
        ws.close()


# --- maintain: the presence rows, the 24-hour rule only without them -------------------------------------------


def test_maintain_waits_a_day_by_default_and_on_presence_alone_keeps_a_live_imports(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
    capsys,
):
    """`lake maintain` deletes a killed import's files once a day old and older than the live processes' presence
    horizon; with `--orphan-hours 0` on the presence rows alone, as an erasure does: a killed import's files an hour
    old go, an import under way keeps its files, older than the margin (none here) and than a second. When the rows
    cannot be read, the 24-hour rule, and the output says why."""
    monkeypatch.setattr(lake_presence, "MARGIN_SECONDS", 0.0)
    lake_backend.use_for_cli(monkeypatch)
    ws = lake_backend.open()
    data = Path(lake_backend.lake.data)
    ready, go = tmp_path / "ready", tmp_path / "go"
    held = None
    try:
        import_file(ws, events_file(tmp_path / "src", "one.csv", 3))
        live = parquet_files(data)
        killed = child(KILLED_IMPORT, events_file(tmp_path / "src", "killed.csv", 5))
        assert killed.wait(timeout=300) == 9, killed.stderr.read()
        dead = parquet_files(data) - live
        age(dead, 1 / 24)  # an hour old
        held = child(HELD_IMPORT, events_file(tmp_path / "src", "held.csv", 4), ready, go)
        deadline = time.time() + 240
        while not ready.exists():
            assert held.poll() is None, held.stderr.read()
            assert time.time() < deadline, "the import never got to its files"
            time.sleep(0.1)
        written = parquet_files(data) - live - dead
        assert any(p.parent.name == "events" for p in written)
        time.sleep(2.1)  # its files are more than a second old: only its presence keeps them

        def maintained(*options: str) -> dict:
            assert run(["lake", "maintain", "--json", *options]) == 0
            return json.loads(capsys.readouterr().out)

        real = lake_presence.horizon

        def locked(store):
            raise sqlite3.OperationalError("database is locked")

        monkeypatch.setattr(lake_presence, "horizon", locked)
        unread = maintained("--lang", "en")
        assert (unread["orphan_rule"], unread["orphan_files"]) == ("24 hours", 0)
        assert "presence rows of the lake's processes cannot be read" in unread["orphan_rule_because"]
        assert run(["lake", "maintain"]) == 0
        assert "non modifiés depuis 24 h sont supprimés" in capsys.readouterr().out
        monkeypatch.setattr(lake_presence, "horizon", real)
        routine = maintained()  # a client keeping no presence row may own an hour-old file: a day's wait by default
        assert (routine["orphan_rule"], routine["orphan_files"]) == ("24 hours and presence", 0)
        assert dead <= parquet_files(data)
        done = maintained("--orphan-hours", "0")  # the presence rows alone, as an erasure
        assert (done["orphan_rule"], done["orphan_files"]) == ("presence", len(dead))
        assert not dead & parquet_files(data)
        assert written <= parquet_files(data) and live <= parquet_files(data)
        go.touch()
        _out, err = held.communicate(timeout=300)
        assert held.returncode == 0, err
        assert ws.table_counts()["events"] == 3 + 4
    finally:
        go.touch()
        if held is not None and held.poll() is None:
            held.kill()
        ws.close()


# --- a row per workspace ------------------------------------------------------------------------------------------


def test_two_workspaces_of_one_process_keep_a_presence_row_each(lake_backend):  # noqa: F811
    """Two workspaces on one lake in one process (the app's and a command's): closing one left the other, busy, with
    no row (they shared the process's), so a later erasure would not have waited for its writes."""
    first, second = lake_backend.open(), lake_backend.open()
    try:
        started = time.time()
        with second.cursor() as cur:
            first.close()
            store = lake_presence.Store(cur, lake_backend.lake.sqlite_file, lake_backend.lake.schema)
            assert lake_presence.horizon(store) <= started - lake_presence.MARGIN_SECONDS  # before: now less the margin
    finally:
        second.close()


def test_the_rows_of_dead_processes_go_idle_ones_too(lake_backend):  # noqa: F811
    """A row per workspace: those of a killed process go at the next erasure whether it was busy or idle (before: only
    busy ones, so idle rows of dead processes piled up); a live process's idle row stays."""
    ws = lake_backend.open()
    dead = f"{lake_presence.machine()}:{2**22 + 1}:0:w"  # above Linux's largest process id: no such process
    try:
        with ws.cursor() as cur:
            store = lake_presence.Store(cur, lake_backend.lake.sqlite_file, lake_backend.lake.schema)
            store.put(dead + "-idle", None)
            store.put(dead + "-busy", time.time() - 1000)
            store.put(f"{lake_presence.this_process()}:idle", None)
            assert lake_presence.horizon(store) > time.time() - 1000  # the dead one's start is not waited for
            rows = {r[0] for r in store.run("select process from {table}")}
        assert not {dead + "-idle", dead + "-busy"} & rows
        assert f"{lake_presence.this_process()}:idle" in rows
    finally:
        ws.close()


def test_a_row_of_this_host_before_a_reboot_is_judged_by_its_beat():
    """A reboot starts process ids and start times again: the machine's identity holds its boot, so a row written
    before is another machine's, dead once it has not beaten for `DEAD_SECONDS` — never taken for a live process
    that happens to have the same id and start time now."""
    me = lake_presence.this_process()
    now = time.time()
    assert lake_presence.alive(me + ":w", now, now)
    if not lake_presence.BOOT_ID.exists():
        pytest.skip("no boot id on this system")
    assert lake_presence.BOOT_ID.read_text().strip() in lake_presence.machine()
    before_reboot = me.replace(lake_presence.BOOT_ID.read_text().strip(), "an-earlier-boot")
    assert not lake_presence.alive(before_reboot, now - lake_presence.DEAD_SECONDS - 1, now)
    assert lake_presence.alive(before_reboot, now - 1, now)


def test_maintain_says_its_orphan_rule_in_the_language_asked(lake_backend, monkeypatch, capsys):  # noqa: F811
    """Without presence rows, `lake maintain` says why it falls back to --orphan-hours in --lang (French by default),
    the JSON's `orphan_rule` staying a value a script compares. Before: "orphan files: those unmodified for 24 hours,
    as the presence rows of the lake's processes cannot be read (…)" under the French default."""
    lake_backend.use_for_cli(monkeypatch)
    lake_backend.open().close()

    def locked(store):
        raise sqlite3.OperationalError("database is locked")

    monkeypatch.setattr(lake_presence, "horizon", locked)
    printed = {}
    for lang in ("fr", "en"):
        assert run(["lake", "maintain", "--orphan-hours", "1.5", "--lang", lang]) == 0
        printed[lang] = capsys.readouterr().out.splitlines()[-1]
    assert printed == {
        "fr": "fichiers orphelins : les lignes de présence des processus du lake ne peuvent pas être lues (database is "
        "locked), donc seuls les fichiers orphelins non modifiés depuis 1,5 h sont supprimés (--orphan-hours)",
        "en": "orphan files: the presence rows of the lake's processes cannot be read (database is locked), so only "
        "the orphan files unmodified for 1.5 hours are deleted (--orphan-hours)",
    }
    assert run(["lake", "maintain", "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["orphan_rule"] == "24 hours" and "(database is locked)" in doc["orphan_rule_because"]


def test_maintain_on_presence_alone_waits_the_default_when_the_rows_cannot_be_read(tmp_path):
    """`--orphan-hours 0` trusts the presence rows: when they cannot be read, it must not take every file a second
    old for an orphan (a running import's would go, review 9): the default 24 hours instead."""
    import duckdb

    now = time.time()
    unreadable = tmp_path / "no-such-folder" / "catalog.presence"
    before, unread = lake_presence.maintenance_horizon(duckdb.connect().cursor(), unreadable, None, 0)
    assert unread and before <= now - lake.ORPHAN_HOURS * 3600 + 1
    before, unread = lake_presence.maintenance_horizon(duckdb.connect().cursor(), unreadable, None, 2)
    assert unread and abs(before - (now - 2 * 3600)) < 60  # hours given: the fallback as asked

"""DuckLake: the DuckDB extensions it needs, loaded from the installed Python packages (never downloaded at run
time), and the setting that points a workspace at a lake (docs/SCALING.md).

The extensions ship as the pinned packages `duckdb-extension-ducklake`, `duckdb-extension-sqlite-scanner` and
`duckdb-extension-postgres-scanner` (requirements.txt), one file per DuckDB version inside each package.
"""

from __future__ import annotations

import importlib.util
import logging
import math
import os
import random
import re
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import duckdb

from cx.sql import literal

from .errors import WorkspaceError

log = logging.getLogger(__name__)

#: the extensions a lake may need: DuckLake itself and the two catalog databases
EXTENSIONS = ("ducklake", "sqlite_scanner", "postgres_scanner")
#: connection settings that keep DuckDB from fetching an extension from the network
OFFLINE = {"autoinstall_known_extensions": False, "autoload_known_extensions": False}
T = TypeVar("T")


def extension_path(name: str) -> Path:
    """The extension file `name` inside its installed package, for the DuckDB version running."""
    spec = importlib.util.find_spec(f"duckdb_extension_{name}")
    if spec is None or not spec.submodule_search_locations:
        raise WorkspaceError(
            f"the DuckDB extension {name} is not installed",
            fix=f"pip install -r requirements.txt (it pins duckdb-extension-{name.replace('_', '-')})",
        )
    folder = Path(next(iter(spec.submodule_search_locations)))
    path = folder / "extensions" / f"v{duckdb.__version__}" / f"{name}.duckdb_extension"
    if not path.is_file():
        found = sorted(p.name for p in (folder / "extensions").glob("v*"))
        raise WorkspaceError(
            f"the installed DuckDB extension {name} is built for DuckDB {', '.join(found)}, not {duckdb.__version__}",
            fix="pip install -r requirements.txt (duckdb and its extension packages share one release)",
        )
    return path


def load_extensions(con, names=EXTENSIONS) -> None:
    """Load each extension of `names` into `con` from its installed package (a no-op when already loaded)."""
    loaded = {r[0] for r in con.execute("select extension_name from duckdb_extensions() where loaded").fetchall()}
    for name in names:
        if name not in loaded:
            con.execute(f"load '{extension_path(name)}'")


# --- the setting --------------------------------------------------------------------------------------------

#: the name the lake is attached under in every connection
ALIAS = "cx_lake"
#: how many times a write that lost a commit race to another writer is run again
ATTEMPTS = 8


@dataclass(frozen=True)
class Lake:
    """Where a DuckLake workspace lives: `catalog` is `ducklake:sqlite:/path/catalog.sqlite` (one machine) or
    `ducklake:postgres:dbname=… host=…` (a team); `data` the folder (or object-storage prefix) of its Parquet
    files, needed when the lake is created (the catalog remembers it); `schema` the PostgreSQL schema holding
    the catalog's tables (`$CX_LAKE_SCHEMA`: several lakes in one database; default: DuckLake's own)."""

    catalog: str
    data: str | None = None
    schema: str | None = None

    @property
    def kind(self) -> str:
        return self.catalog.split(":", 2)[1]

    @property
    def sqlite_file(self) -> Path | None:
        return Path(self.catalog.split(":", 2)[2]) if self.kind == "sqlite" else None

    @property
    def label(self) -> str:
        """The catalog without a password, for messages."""
        return re.sub(r"(password\s*=\s*)\S+", r"\1***", self.catalog, flags=re.IGNORECASE)


def setting(env=None) -> Lake | None:
    """The lake `$CX_LAKE` (+ `$CX_LAKE_DATA`) names, or None: the embedded workspace file."""
    env = os.environ if env is None else env
    catalog = (env.get("CX_LAKE") or "").strip()
    if not catalog:
        return None
    m = re.fullmatch(r"ducklake:(sqlite|postgres):(.+)", catalog)
    if not m:
        raise WorkspaceError(
            f"CX_LAKE={catalog!r} is not a DuckLake catalog Parcours knows",
            fix="set CX_LAKE to ducklake:sqlite:/path/catalog.sqlite or "
            "ducklake:postgres:dbname=… host=…, or unset it to use the workspace file",
        )
    data = (env.get("CX_LAKE_DATA") or "").strip() or None
    if data and "://" not in data and not data.endswith("/"):
        data += "/"
    return Lake(catalog, data, (env.get("CX_LAKE_SCHEMA") or "").strip() or None)


# --- connecting ---------------------------------------------------------------------------------------------


def attach(con, lake: Lake) -> None:
    """Attach `lake` to `con` as `cx_lake` (created on first use) and make it the default database. Data are
    always written to Parquet files (no inlining in the catalog), so an erased row can be erased from disk."""
    load_extensions(con, ("ducklake", "sqlite_scanner" if lake.kind == "sqlite" else "postgres_scanner"))
    if lake.sqlite_file is not None:
        lake.sqlite_file.parent.mkdir(parents=True, exist_ok=True)
        _sqlite_wal(lake.sqlite_file)
    options = ["data_inlining_row_limit 0"]
    scheme = object_storage(lake.data)
    if scheme in STORAGE_EXTENSIONS:  # installed as a package (else `storage_unsupported` refused the lake)
        load_extensions(con, (STORAGE_EXTENSIONS[scheme],))
    if lake.data:
        if not object_storage(lake.data):
            Path(lake.data).mkdir(parents=True, exist_ok=True)
        options.insert(0, f"data_path {literal(lake.data)}")
    if lake.schema:
        options.append(f"metadata_schema {literal(lake.schema)}")
    # DuckDB 1.5 binds no parameter in ATTACH: the setting is written as a quoted literal
    retrying(
        lambda: con.execute(f"attach if not exists {literal(lake.catalog)} as {ALIAS} ({', '.join(options)})"),
        race=_creating_race,
    )
    con.execute(f"use {ALIAS}")


def _sqlite_wal(path: Path) -> None:
    """A SQLite catalog in WAL mode: readers do not block the writer (set once, kept in the file)."""
    con = sqlite3.connect(path, timeout=30)
    try:
        con.execute("pragma journal_mode=wal")
    finally:
        con.close()


def is_lake(cur) -> bool:
    """Is `cur` working on a lake (its default database is the attached DuckLake)?"""
    return cur.execute("select current_database()").fetchall()[0][0] == ALIAS


# --- commit races -------------------------------------------------------------------------------------------


def is_conflict(error: BaseException) -> bool:
    """Did a write lose a commit race to another writer (to be run again from the start)? Also when it read, at
    its snapshot, a Parquet file of the lake that another replica's erasure has deleted since (`erase` rewrites
    the files holding deleted rows and deletes the old ones): run again, it reads the files in use now."""
    low = str(error).lower()
    return isinstance(error, duckdb.Error) and (
        "transaction conflict" in low
        or "database is locked" in low
        or "could not serialize" in low
        or "conflict" in low
        and "ducklake" in low
        or file_gone(error)
    )


def file_gone(error: BaseException) -> bool:
    """Is `error` a read of one of the lake's own Parquet files (`ducklake-<uuid>.parquet`) that is no longer on
    disk: deleted by another replica's erasure after this transaction's snapshot was taken?"""
    low = str(error).lower()
    return isinstance(error, duckdb.IOException) and "ducklake-" in low and "no such file" in low


def _creating_race(error: BaseException) -> bool:
    """Two processes creating the same fresh lake: the one that loses finds the catalog half there."""
    low = str(error).lower()
    return is_conflict(error) or "constraint" in low or "already exists" in low or "unique" in low


def retrying(work: Callable[[], T], attempts: int = ATTEMPTS, race: Callable = is_conflict) -> T:
    """`work()`, run again (after a short random pause) when it lost a commit race (`race(error)`), up to
    `attempts` times."""
    for attempt in range(attempts):
        try:
            return work()
        except duckdb.Error as e:
            if not race(e) or attempt == attempts - 1:
                raise
            time.sleep(random.uniform(0.05, 0.2) * (attempt + 1))
    raise AssertionError("unreachable")


# --- schema -------------------------------------------------------------------------------------------------


def lake_ddl(sql: str) -> str:
    """A schema file's statements as DuckLake accepts them: without primary keys and sequences (the writes that
    relied on keys go through cx/keys.py)."""
    sql = re.sub(r"(?im)^\s*create sequence[^;]*;\s*$", "", sql)
    sql = re.sub(r",\s*primary key\s*\([^)]*\)", "", sql, flags=re.IGNORECASE)
    sql = re.sub(r"\s+primary key\b", "", sql, flags=re.IGNORECASE)
    sql = re.sub(r"\binsert\s+or\s+(ignore|replace)\s+into\b", "insert into", sql, flags=re.IGNORECASE)  # empty tables
    return re.sub(r"\s+default\s+nextval\([^)]*\)", "", sql, flags=re.IGNORECASE)


# --- erasure and maintenance --------------------------------------------------------------------------------


def erase(cur, sqlite_file: Path | None = None, schema: str | None = None) -> None:
    """After rows were deleted: no byte of them is left readable. The data files holding deleted rows are
    rewritten without them, every snapshot but the latest is expired (time travel to before the delete goes),
    the files nobody refers to any more are deleted, and a SQLite catalog (which held the rows' column
    statistics) is vacuumed with secure delete. `schema`: the catalog's PostgreSQL schema (`Lake.schema`)."""
    cur.execute(f"call ducklake_rewrite_data_files('{ALIAS}', delete_threshold => 0)")
    cur.execute(f"call ducklake_expire_snapshots('{ALIAS}', older_than => now())")
    cur.execute(f"call ducklake_cleanup_old_files('{ALIAS}', cleanup_all => true)")
    refresh_table_stats(cur, schema)
    from .lake_presence import erase_orphans  # (it imports this module)

    # a killed import's files too, when no live writer can own them. The erased rows are gone whatever happens here:
    # a failure (a file that cannot be unlinked, the presence file locked) is logged and left to the next erasure or
    # `lake maintain`, and the catalog is still vacuumed below.
    try:
        erase_orphans(cur, sqlite_file, schema)
    except (OSError, sqlite3.Error, duckdb.Error) as e:
        log.warning("the orphan files of a killed import were not deleted this time: %s", e)
    if sqlite_file is not None:
        con = sqlite3.connect(sqlite_file, timeout=60)
        try:
            con.execute("pragma secure_delete = on")
            con.execute("vacuum")
            con.execute("pragma wal_checkpoint(truncate)")
        finally:
            con.close()


METADATA = f"__ducklake_metadata_{ALIAS}"  # the catalog database DuckLake attaches beside the lake


def metadata(schema: str | None = None) -> str:
    """The catalog's tables: in `METADATA`, in `schema` when the lake was attached with one (`Lake.schema`)."""
    if not schema:
        return METADATA
    return METADATA + '."' + schema.replace('"', '""') + '"'


def _order_key(column_type: str, text: str) -> str:
    """How `text`, the text of a statistic of a column of `column_type`, sorts."""
    t = column_type.lower()
    if t.startswith(("int", "uint", "float", "double", "decimal", "hugeint")):
        return f"try_cast({text} as double)"
    if t.startswith(("timestamp", "date")):
        return f"try_cast({text} as timestamp)"
    if t == "boolean":
        return f"try_cast({text} as boolean)"
    return text


def refresh_table_stats(cur, schema: str | None = None) -> int:
    """DuckLake keeps each table's column minimum and maximum in the catalog and does not lower them when rows
    are deleted: a deleted e-mail can stay there as a maximum. Recompute them from the files still in use (the
    same statistics, without the deleted rows). Returns how many were changed."""
    catalog = metadata(schema)
    changed = 0
    columns = cur.execute(f"""select s.table_id, s.column_id, c.column_type, s.min_value, s.max_value
        from {catalog}.ducklake_table_column_stats s join {catalog}.ducklake_column c
          on c.table_id = s.table_id and c.column_id = s.column_id and c.end_snapshot is null""").fetchall()
    for table_id, column_id, column_type, old_min, old_max in columns:
        low, high = _order_key(column_type, "f.min_value"), _order_key(column_type, "f.max_value")
        new_min, new_max = cur.execute(
            f"""select arg_min(f.min_value, {low}), arg_max(f.max_value, {high})
            from {catalog}.ducklake_file_column_stats f join {catalog}.ducklake_data_file d
              on d.data_file_id = f.data_file_id
            where d.end_snapshot is null and f.table_id = $t and f.column_id = $c""",
            {"t": table_id, "c": column_id},
        ).fetchall()[0]
        if (new_min, new_max) != (old_min, old_max):
            cur.execute(
                f"update {catalog}.ducklake_table_column_stats set min_value = $lo, max_value = $hi "
                "where table_id = $t and column_id = $c",
                {"lo": new_min, "hi": new_max, "t": table_id, "c": column_id},
            )
            changed += 1
    return changed


#: a lake's own Parquet file (a data file, or the deletions of one): DuckLake names them `ducklake-<uuid7>`
OWN_FILE = re.compile(r"ducklake-[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}(-delete)?\.parquet")
#: hours an orphan file must have gone unmodified before `maintain` deletes it when the lake's presence rows cannot be
#: read (`lake_presence.maintenance_horizon`): a file another replica's import is writing right now belongs to no
#: snapshot yet either, until that import commits (an import takes minutes)
ORPHAN_HOURS = 24


#: a lake's mark in its data folder, `.parcours-lake-<its id>` (cx_meta 'lake_id', written at its first opening):
#: every Parquet file under the folder that this lake's catalog does not know is an orphan to DuckLake — another
#: lake's live files too, when two lakes share a folder or one's lies inside the other's; `maintain` deletes
#: orphans only where it finds its own mark and no other lake's, above or below the folder
MARK = ".parcours-lake-"


@dataclass(frozen=True)
class Orphans:
    """The Parquet files under the lake's data path that no snapshot refers to, unmodified since a given time: `own`
    DuckLake's (left by a transaction that never ended: a killed process); `foreign` the other Parquet files found
    there (not the lake's, e.g. an export put in the folder), which Parcours never deletes. `kept`: why the own
    ones were not deleted (`shared_folder`), None when they were or nothing was asked."""

    own: tuple[str, ...]
    foreign: tuple[str, ...]
    kept: str | None = None


#: the DuckDB extension that reads each object-storage scheme (DuckDB's own list: httpfs for S3-like and web
#: stores, azure for Azure); Parcours installs neither yet (docs/SCALING.md)
STORAGE_EXTENSIONS = {
    **dict.fromkeys(("s3", "s3a", "s3n", "gs", "gcs", "r2", "http", "https", "hf"), "httpfs"),
    **dict.fromkeys(("az", "azure", "abfs", "abfss"), "azure"),
}


def object_storage(path: str | None) -> str | None:
    """The scheme of `path` when it is in object storage (`s3://bucket/lake/` → "s3"), else None (a local folder,
    `file://` included). Decided from the text alone: no connection."""
    m = re.match(r"([A-Za-z][A-Za-z0-9+.-]*)://", path or "")
    return m.group(1).lower() if m and m.group(1).lower() != "file" else None


def storage_unsupported(path: str | None) -> str | None:
    """Why Parcours cannot work on a lake whose data path is `path` (object storage whose DuckDB extension is not
    installed as a package), or None. From the text and the installed packages alone: no connection."""
    scheme = object_storage(path)
    if scheme is None:
        return None
    extension = STORAGE_EXTENSIONS.get(scheme)
    if extension is None:
        return f"the data path {path} is in a storage DuckDB does not know ({scheme}://)"
    if importlib.util.find_spec(f"duckdb_extension_{extension}") is None:
        return (
            f"the data path {path} is in object storage ({scheme}://), which needs DuckDB's {extension} extension: "
            f"Parcours does not install it (package duckdb-extension-{extension})"
        )
    return None


def lake_id(cur) -> str | None:
    row = cur.execute("select max(value) from cx_meta where key = 'lake_id'").fetchall()
    return row[0][0] if row else None


def data_path(cur, schema: str | None = None) -> str | None:
    """The lake's data path as its catalog records it (a folder, or an object-storage prefix): read from the
    catalog only, nothing in the data path is touched."""
    row = cur.execute(f"select value from {metadata(schema)}.ducklake_metadata where key = 'data_path'").fetchall()
    return row[0][0] if row else None


def data_folder(cur, schema: str | None = None) -> Path | None:
    """The lake's data folder as its catalog records it; None in object storage."""
    path = data_path(cur, schema)
    return Path(path) if path and not object_storage(path) else None


def mark_data_folder(cur, schema: str | None = None) -> None:
    """Leave the lake's mark (`MARK`) in its local data folder, if not there yet."""
    ident, folder = lake_id(cur), data_folder(cur, schema)
    if ident and folder is not None and not (folder / (MARK + ident)).exists():
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (MARK + ident)).touch()


def shared_folder(cur, schema: str | None = None) -> str | None:
    """Why the lake's orphan files must not be deleted: its data folder lacks its mark, or holds (or lies inside a
    folder holding) another lake's. None when the folder is the lake's alone."""
    ident, folder = lake_id(cur), data_folder(cur, schema)
    if folder is None or ident is None or not (folder / (MARK + ident)).exists():
        return f"the data folder {folder} does not carry this lake's mark ({MARK}{ident})"
    marks = {p.name for p in folder.rglob(MARK + "*")}
    marks |= {p.name for parent in folder.parents for p in parent.glob(MARK + "*")}
    others = sorted(marks - {MARK + ident})
    if others:
        return f"the data folder {folder} is shared with another lake ({', '.join(others)})"
    return None


def orphans(cur, before: float | None = None) -> Orphans:
    """The orphan files of the lake (`Orphans`), found by DuckLake (`ducklake_delete_orphaned_files` in a dry run, which
    lists every Parquet file the catalog does not know, whoever wrote it) and sorted by their name: those last modified
    a whole second or more before `before` (epoch seconds), every one when None.

    DuckDB reads a file's modification time in whole seconds, truncated (a file written at 10.8 s is listed as of
    10 s), and a file system stamps files from a clock that lags the one `time.time()` reads by up to a tick: asked
    for files older than 10.5 s, DuckLake would list one written at 10.8 s. Asked for those of DuckDB's seconds before
    `floor(before) - 1`, it lists only files written before `before - 1` (docs/ERASURE.md)."""
    when = "cleanup_all => true" if before is None else f"older_than => to_timestamp({math.floor(before) - 1})"
    found = cur.execute(
        f"select path from ducklake_delete_orphaned_files('{ALIAS}', dry_run => true, {when})"
    ).fetchall()
    paths = sorted(str(row[0]) for row in found)
    own = tuple(path for path in paths if OWN_FILE.fullmatch(re.split(r"[/\\]", path)[-1]))
    return Orphans(own, tuple(path for path in paths if path not in own))


def delete_orphans(cur, before: float, schema: str | None = None) -> Orphans:
    """Delete the lake's own orphan files (`orphans` older than `before`), those of a local data folder (object
    storage is not supported yet: docs/SCALING.md), unless the folder is not the lake's alone (`shared_folder`: then
    none, `kept` says why). Returns what was found (and deleted, but `foreign`)."""
    found = orphans(cur, before)
    if found.own:
        reason = shared_folder(cur, schema)
        if reason:
            return Orphans(found.own, found.foreign, reason)
    for path in found.own:
        Path(path).unlink(missing_ok=True)  # a local folder: `maintain` skips the step in object storage
    return found


def orphans_skipped(cur, schema: str | None = None) -> str | None:
    """Why `maintain` leaves the orphan files alone without even listing them (a data path in object storage), or
    None. Asked of the catalog before any work."""
    path = data_path(cur, schema)
    if object_storage(path):
        return (
            f"the data path {path} is in object storage: Parcours deletes orphan files only in a local folder, where "
            "it can check that the folder is this lake's alone (its mark) — list them with DuckLake's "
            "ducklake_delete_orphaned_files(dry_run => true) and delete them with the storage's own tools"
        )
    return None


def maintain(cur, keep_days: int, orphans_before: float, dry_run: bool = False, schema: str | None = None) -> dict:
    """Merge small Parquet files, expire snapshots older than `keep_days` days (time travel reaches that far),
    delete the files they alone referred to, and the lake's orphan files older than `orphans_before` (epoch seconds:
    `lake_presence.maintenance_horizon`; `delete_orphans`). Returns what was done; `dry_run`: what would be (nothing
    merged, expired nor deleted)."""

    def count(call: str) -> int:  # counted in SQL: the rows hold time stamps with a zone, which need pytz
        return cur.execute(f"select count(*) from {call}", {"d": keep_days} if "$d" in call else {}).fetchall()[0][0]

    skipped = orphans_skipped(cur, schema)  # first: never fail on the last step after the others ran
    if dry_run:
        found = Orphans((), ()) if skipped else orphans(cur, orphans_before)
        plan = {
            "dry_run": True,
            "snapshots_expired": count(
                f"ducklake_expire_snapshots('{ALIAS}', dry_run => true, older_than => now() - to_days($d))"
            ),
            "orphan_files": len(found.own),
            "foreign_files": len(found.foreign),
        }
        return {**plan, "orphan_files_skipped_because": skipped} if skipped else plan
    merged = count(f"ducklake_merge_adjacent_files('{ALIAS}')")
    expired = count(f"ducklake_expire_snapshots('{ALIAS}', older_than => now() - to_days($d))")
    cleaned = count(f"ducklake_cleanup_old_files('{ALIAS}', older_than => now() - to_days($d))")
    found = Orphans((), ()) if skipped else delete_orphans(cur, orphans_before, schema)
    done = {
        "files_merged": merged,
        "snapshots_expired": expired,
        "files_deleted": cleaned,
        "orphan_files": 0 if found.kept else len(found.own),
        "foreign_files": len(found.foreign),
    }
    if found.kept:
        done.update(orphan_files_kept=len(found.own), orphan_files_kept_because=found.kept)
    if skipped:
        done["orphan_files_skipped_because"] = skipped
    return done

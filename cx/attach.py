"""Events attached in place: a folder of Parquet files (a GA4 BigQuery export, one folder per day) read by every
analysis as rows of `events`, without copying them into the workspace (issue 16, docs/SCALING.md).

An attachment is a row of `imports` (kind `events`, status `attached`, the folder as its file name, what was
found in `options`), so it shows in the import history, counts in the data version and is removed like an
import (`python -m cx delete ID` detaches it: nothing is deleted from the folder). Every cursor of a workspace
with attachments gets a temporary view `events` (`shadow`): the imported rows plus the attached folders mapped
by `cx/sql/attach_ga4_events.sql`, so the analyses' SQL is unchanged. The files are mapped once per process and state of
the folder (`kept_rows`; at each query with CX_ATTACHED_IN_MEMORY=0): a day folder that lands later is read by
the next analysis (and changes `fingerprint`, part of every data version, so cached and stored results are not
reused). Attached events are read-only: erasing a person there is done in the source (see docs/SCALING.md).

Writers of the stored table name it through `stored_table`, past the view.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import threading
from dataclasses import dataclass
from pathlib import Path

import duckdb

from cx.sql import literal

from .errors import UNREADABLE_ATTACHMENT, CxError

STATUS = "attached"
FORMAT = "ga4"
# the GA4 export fields the mapping reads, in one fixed shape: DuckDB casts a struct by field name (a field the
# export lacks is NULL, an extra one dropped), as the import does (cx/ingest/vendors.py)
_V = "VARCHAR"
_VALUE = f"STRUCT(string_value {_V}, int_value {_V}, float_value {_V}, double_value {_V})"
SHAPE = {
    "event_timestamp": _V,
    "event_name": _V,
    "user_id": _V,
    "user_pseudo_id": _V,
    "event_params": f"STRUCT(key {_V}, value {_VALUE})[]",
    "device": f"STRUCT(category {_V})",
    "geo": f"STRUCT(country {_V})",
    "traffic_source": f"STRUCT(name {_V}, medium {_V}, source {_V})",
    "collected_traffic_source": f"STRUCT(manual_source {_V}, manual_medium {_V})",
    "session_traffic_source_last_click": f"STRUCT(manual_campaign STRUCT(source {_V}, medium {_V}))",
    "ecommerce": f"STRUCT(purchase_revenue {_V}, transaction_id {_V})",
}
#: the columns every file of a GA4 export has (the same signature the import recognises)
REQUIRED = ("event_timestamp", "event_name", "event_params", "user_pseudo_id")
#: the GA4 columns behind each events column (shown as the attachment's mapping)
MAPPING = {
    "event_timestamp": "event_time",
    "user_pseudo_id": "visitor_id",
    "event_name": "event_name",
    "event_params.ga_session_id": "session_id",
    "user_id": "customer_id",
    "event_params.page_location": "page",
    "device.category": "device",
    "session source / medium": "channel",
    "geo.country": "country",
    "ecommerce.purchase_revenue": "revenue",
    "event_params.currency": "currency",
}
EVENTS_COLUMNS = (
    "import_id",
    "event_time",
    "visitor_id",
    "event_name",
    "session_id",
    "customer_id",
    "page",
    "channel",
    "device",
    "country",
    "load_time_ms",
    "revenue",
    "properties",
    "currency",
)


def pattern(folder: str | Path) -> str:
    """The glob of every Parquet file under `folder`, at any depth (`event_date=20250511/part-0.parquet`)."""
    return str(Path(folder) / "**" / "*.parquet")


@dataclass(frozen=True)
class Folder:
    """What `inspect_folder` found: the folder (absolute), its Parquet files, the GA4 columns present in all of
    them, and its rows."""

    path: str
    files: tuple[str, ...]
    columns: tuple[str, ...]
    rows: int


def inspect_folder(cur, folder: str | Path) -> Folder:
    """Check that `folder` holds Parquet files of a GA4 BigQuery export; raise CxError naming the folder, or the
    file and the column, otherwise."""
    path = Path(folder).expanduser().resolve()
    wildcard = next((c for c in "*?[]" if c in str(path)), None)
    if wildcard is not None:  # the folder is read through a glob (`pattern`): its own name must match only itself
        raise CxError(
            f"the folder {path} has {wildcard} in its path, which the Parquet reader takes for a wildcard",
            file=str(path),
            fix="rename the folder (or link it under a name without * ? [ ]) and attach that",
        )
    if not path.is_dir():
        raise CxError(
            f"the folder {path} does not exist or is not a folder",
            file=str(path),
            fix="give the folder the GA4 BigQuery export lands in (one sub-folder or file per day)",
        )
    files = sorted(str(p) for p in path.rglob("*.parquet") if p.is_file())
    if not files:
        raise CxError(
            f"the folder {path} holds no Parquet file (*.parquet, in it or its sub-folders)",
            file=str(path),
            fix="export the GA4 events table to Parquet (BigQuery: EXPORT DATA … format = 'PARQUET'), "
            "or import CSV / JSON files with `python -m cx import`",
        )
    try:
        rows = cur.execute(
            "select file_name, name, type from parquet_schema($files) order by file_name", {"files": files}
        ).fetchall()
        counts = cur.execute("select sum(num_rows) from parquet_file_metadata($files)", {"files": files}).fetchall()[0][
            0
        ]
    except duckdb.Error as e:
        raise CxError(
            f"a file of {path} is not a readable Parquet file ({str(e).splitlines()[0][:200]})",
            file=str(path),
            fix="remove the damaged file or export that day again",
        ) from None
    names: dict[str, dict[str, str | None]] = {f: {} for f in files}
    for file_name, name, type_ in rows:
        names.setdefault(file_name, {})[name] = type_
    common = None
    for file_name in files:
        present = names.get(file_name, {})
        missing = [c for c in REQUIRED if c not in present]
        if missing:
            raise CxError(
                f"this file is not a GA4 BigQuery export: it has no column {missing[0]} "
                f"(a GA4 export has {', '.join(REQUIRED)})",
                file=file_name,
                column=missing[0],
                fix="attach only the folder of the GA4 events_ export, or import this file with `python -m cx "
                "import` and map its columns",
            )
        if present.get("event_timestamp") not in ("INT64", "INT32", "BYTE_ARRAY"):
            raise CxError(
                f"its column event_timestamp holds {present.get('event_timestamp')}, not GA4's microseconds (INT64)",
                file=file_name,
                column="event_timestamp",
                fix="export the events table as it is in BigQuery (event_timestamp as INT64)",
            )
        common = set(present) if common is None else common & set(present)
    columns = tuple(c for c in SHAPE if c in (common or ()))
    return Folder(str(path), tuple(files), columns, int(counts or 0))


def source_sql(folder: str, columns: tuple[str, ...]) -> str:
    """The export's rows in one fixed shape (`SHAPE`; a column the files lack is NULL), with their place in the
    export, `cx_row` (the file's place in name order, then the row's in the file: the order an import reads them
    in)."""
    cast = ", ".join((f'"{c}"::{t}' if c in columns else f"null::{t}") + f' as "{c}"' for c, t in SHAPE.items())
    return (
        f"select {cast}, file_index::bigint * 4294967296 + file_row_number as cx_row from read_parquet("
        f"{literal(pattern(folder))}, hive_partitioning = true, union_by_name = true, file_row_number = true)"
    )


def events_sql(import_id: int, options: dict) -> str:
    """The attached rows of one attachment, as rows of `events` (a query ending `select * from final`)."""
    from .workspace import sql_file  # (the workspace imports this module)

    text = sql_file("attach_ga4_events.sql")
    text = text.replace("{import_id}", str(int(import_id))).replace("{timezone}", literal(options["timezone"]))
    # the folder last: its literal may hold `{timezone}` or `/*source*/`, which must stay as they are
    return text.replace("/*source*/", source_sql(options["folder"], tuple(options["columns"])))


def _attachments(cur) -> list[tuple[int, dict]]:
    try:
        # written in, not bound: DuckDB 1.5's client imports pandas (0.3 s) at the first bound value, and every
        # cursor of every command runs this
        rows = cur.execute(
            f"select import_id, options from imports where status = '{STATUS}' order by import_id"
        ).fetchall()
    except duckdb.CatalogException:  # a workspace being created: no imports table yet
        return []
    return [(int(i), json.loads(o)) for i, o in rows]


# what a lake held at a snapshot, per lake (`cache_key`): its attachments, the folder state each was mapped from
# (`lake_rows`) and whether its stored `events` has rows. Reading them on a lake reads Parquet files (tens of ms, at
# every cursor); the current snapshot id is one catalog query
_LAKE_CACHE: dict[str, tuple[int, dict]] = {}


def cache_key(lake) -> str | None:
    """Whose cached reads these are: a lake's catalog and schema (several lakes share one PostgreSQL database, one
    schema each, and their snapshot ids run alike), or None for a workspace file. `lake` may be a `cx.lake.Lake`
    or its catalog."""
    if lake is None or isinstance(lake, str):
        return lake
    return f"{lake.catalog} {lake.schema or ''}"


def lake_state(cur, key: str) -> dict:
    """{"attached": attachments, "digests": {import id: digest mapped}, "stored_rows": stored events not empty}
    of the lake of `cur` at its current snapshot, read again only when something was written since."""
    from .lake import ALIAS

    snapshot = cur.execute(f"select * from {ALIAS}.current_snapshot()").fetchall()[0][0]
    cached = _LAKE_CACHE.get(key)
    if cached is not None and cached[0] == snapshot:
        return cached[1]
    state = {"attached": _attachments(cur), "digests": {}, "stored_rows": True}
    if state["attached"]:
        try:
            state["digests"] = {
                int(i): d
                for i, d in cur.execute(f"select import_id, digest from {ALIAS}.main.{LAKE_DIGESTS}").fetchall()
            }
        except duckdb.CatalogException:  # nothing mapped yet
            pass
        # a table DuckLake never wrote costs a catalog look-up per column at every statement (docs/SCALING.md):
        # the view leaves the stored events out while they are empty
        stored = stored_table(cur, "events")
        state["stored_rows"] = bool(cur.execute(f"select exists (select 1 from {stored})").fetchall()[0][0])
    _LAKE_CACHE[key] = (snapshot, state)
    return state


def attachments(cur, lake=None) -> list[tuple[int, dict]]:
    """The attachments (import id, options) of the workspace of `cur`; on a lake (`lake`, a `cx.lake.Lake`), read
    again only when the lake has a new snapshot (something was written since)."""
    key = cache_key(lake)
    return _attachments(cur) if key is None else lake_state(cur, key)["attached"]


def stored_table(cur, table: str) -> str:
    """`table` as stored in the workspace, named past the temporary view `events` of attached events (a write
    into the view would fail): `"<database>".main."<table>"`."""
    db = cur.execute("select current_database()").fetchall()[0][0]
    return '"' + db.replace('"', '""') + '".main."' + table.replace('"', '""') + '"'


#: the in-memory database of a process that keeps each attached folder's rows, mapped, for its current files
MEMORY = "cx_attached_rows"
_BUILDING = threading.Lock()
_KEPT = {"any": False}  # whether this process ever kept a folder's rows (else nothing to forget, no query)


def in_memory() -> bool:
    """Keep each attached folder's mapped rows (the default): in memory on a workspace file, in the lake's table
    `attached_events` on a lake (`lake_rows`); unless `$CX_ATTACHED_IN_MEMORY` is 0: then every query reads and
    maps the files again (nothing kept, several times the CPU)."""
    return os.environ.get("CX_ATTACHED_IN_MEMORY", "1").strip() != "0"


def folder_state(folder: str) -> tuple[int, int, int]:
    """(Parquet files, bytes, latest change in ns) of `folder`: changes when a day lands or a file is rewritten."""
    files = []
    for p in Path(folder).rglob("*.parquet"):
        try:
            files.append(p.stat())
        except OSError:  # replaced or removed while the export rewrites it: the next cursor sees it again
            continue
    return len(files), sum(s.st_size for s in files), max((s.st_mtime_ns for s in files), default=0)


def kept_rows(cur, import_id: int, options: dict) -> str:
    """The in-memory table holding the mapped rows of an attached folder as its files are now, built on first use
    (one mapping pass per process and per state of the folder, instead of one per query; nothing is written to
    disk). When the folder changes the table is replaced under the same name, so the views of cursors opened
    before (a long analysis, the background run) read the new rows instead of failing on a dropped table."""
    digest = digest_of(options)
    name = f"{MEMORY}.main.events_{int(import_id)}"
    cur.execute(f"attach if not exists ':memory:' as {MEMORY}")
    if _kept_digest(cur, import_id) == digest:
        return name
    with _BUILDING:
        if _kept_digest(cur, import_id) != digest:
            _KEPT["any"] = True
            cur.execute(f"create table if not exists {MEMORY}.main.kept (import_id integer, digest varchar)")
            cur.execute(f"create or replace table {name} as select * from ({events_sql(import_id, options)})")
            cur.execute(f"delete from {MEMORY}.main.kept where import_id = {int(import_id)}")
            cur.execute(f"insert into {MEMORY}.main.kept values ({int(import_id)}, '{digest}')")
    return name


def _kept_digest(cur, import_id: int) -> str | None:
    """The folder state the kept table of `import_id` was mapped from (None: not kept yet). Values are written in,
    not bound: DuckDB 1.5's client imports pandas at its first bound value."""
    try:
        rows = cur.execute(f"select digest from {MEMORY}.main.kept where import_id = {int(import_id)}").fetchall()
    except duckdb.CatalogException:
        return None
    return rows[0][0] if rows else None


def forget_detached(cur, attached_ids: set[int]) -> None:
    """Drop the kept rows of folders no longer attached (detached by another process of a lake, or here): their
    memory is freed without a restart."""
    if not _KEPT["any"]:
        return
    kept = cur.execute(
        f"select table_name from duckdb_tables() where database_name = '{MEMORY}' and table_name like 'events_%'"
    ).fetchall()
    for (table,) in kept:
        if int(table.removeprefix("events_")) not in attached_ids:
            cur.execute(f"drop table if exists {MEMORY}.main.{table}")
            cur.execute(f"delete from {MEMORY}.main.kept where import_id = {int(table.removeprefix('events_'))}")


def shadow(cur, lake=None) -> None:
    """When the workspace has attachments: the temporary view `events` of this cursor, the imported rows and
    every attached folder's rows (a view per cursor: DuckDB's temporary objects belong to one connection). On a
    workspace file they are read from the folder's mapped rows kept in memory (`kept_rows`); on a lake (`lake`, a
    `cx.lake.Lake`) from the lake's own table of mapped rows (`lake_rows`), which every replica shares. A folder
    that cannot be read (moved away, a file of another schema landed) makes every query of `events` fail with a
    sentence naming it, while the rest of the workspace (detaching it included) still works."""
    key = cache_key(lake)
    state = lake_state(cur, key) if key is not None else {"attached": _attachments(cur), "stored_rows": True}
    attached = state["attached"]
    forget_detached(cur, {import_id for import_id, _ in attached})
    if not attached:
        return
    columns = ", ".join(EVENTS_COLUMNS)
    parts = [f"select {columns} from {stored_table(cur, 'events')}"]
    for import_id, options in attached:
        try:
            if in_memory() and key is not None:
                mapped = lake_rows(cur, import_id, options, lake, state["digests"])
                if mapped is not None:  # else detached by another replica since the attachments were read
                    parts.append(f"select {columns} from {mapped}")
            elif in_memory():
                parts.append(f"select {columns} from {kept_rows(cur, import_id, options)}")
            else:  # every query maps the files again
                mapped = events_sql(import_id, options)
                cur.execute(f"select * from ({mapped}) limit 0").fetchall()
                parts.append(f"select {columns} from ({mapped})")
        except duckdb.Error as e:
            if isinstance(e, duckdb.CatalogException) and "cx_pseudonymise" in str(e):
                return  # a cursor of a workspace being opened, before its key is read: no analysis runs there
            parts.append(unreadable_sql(import_id, options["folder"], e))
    if not state["stored_rows"] and len(parts) > 1:
        parts = parts[1:]
    cur.execute("create or replace temp view events as " + " union all ".join(parts))


# --- on a lake: the mapped rows in the lake's own Parquet files ------------------------------------------------

#: the lake's table of attached folders' mapped rows (the columns of `events`), and the folder state each was
#: mapped from; created by the first mapping (a workspace file never has them)
LAKE_ROWS = "attached_events"
LAKE_DIGESTS = "attached_digests"


def digest_of(options: dict) -> str:
    """The folder as it is now (files, bytes, latest change) and how it is read: a new one when a day lands."""
    return hashlib.sha256(repr((folder_state(options["folder"]), options)).encode()).hexdigest()[:16]


def lake_rows(cur, import_id: int, options: dict, lake, digests: dict) -> str | None:
    """The rows of an attached folder in the lake's table `attached_events`, mapped when the folder is new or has
    changed since (a day landed, a file was re-exported): the first cursor of any replica that sees the change
    maps the whole folder once, in one transaction (a replica doing it at the same moment loses the commit race,
    runs again and finds it done), and every replica then reads the lake's Parquet files: no copy in memory.
    When the mapping replaces older rows (a day re-exported after a person was erased at the source) the lake's
    files are rewritten and old snapshots expired (`cx.lake.erase`), so the replaced rows leave the disk.
    Returns the rows' query, or None when another replica detached the folder since this cursor read the
    attachments (nothing mapped: the view leaves it out; on a lake where nothing was ever mapped the table does
    not even exist)."""
    from . import keys, lake as lake_mod, rewrite as rewrite_mod

    digest = digest_of(options)
    table = f"{lake_mod.ALIAS}.main.{LAKE_ROWS}"
    if digests.get(int(import_id)) != digest:

        def once() -> tuple[str, str | None]:
            """("mapped", the erasure mark's token when it replaced rows), ("done": another replica mapped it) or
            ("detached": by another replica)."""
            cur.begin()
            try:
                # two replicas mapping at once (or one detaching) both update this turn, so the second conflicts and
                # runs again (a lake commits two transactions that only insert: the folder's rows would be there
                # twice); settings edits take another turn, so they never make a mapping run again
                keys.take_turn(cur, "attached")
                still = f"select count(*) from imports where import_id = {int(import_id)} and status = 'attached'"
                if not cur.execute(still).fetchall()[0][0]:  # detached meanwhile by another replica: map nothing
                    cur.rollback()
                    return "detached", None
                cur.execute(
                    f"create table if not exists {table} as select {', '.join(EVENTS_COLUMNS)} from "
                    f"{stored_table(cur, 'events')} limit 0"
                )
                cur.execute(
                    f"create table if not exists {lake_mod.ALIAS}.main.{LAKE_DIGESTS} (import_id integer, digest varchar)"
                )
                had = cur.execute(
                    f"select digest from {lake_mod.ALIAS}.main.{LAKE_DIGESTS} where import_id = {int(import_id)}"
                ).fetchall()
                if had and had[0][0] == digest:  # another replica mapped it meanwhile
                    cur.rollback()
                    return "done", None
                cur.execute(f"delete from {table} where import_id = {int(import_id)}")
                cur.execute(
                    f"insert into {table} select {', '.join(EVENTS_COLUMNS)} from ({events_sql(import_id, options)})"
                )
                cur.execute(f"delete from {lake_mod.ALIAS}.main.{LAKE_DIGESTS} where import_id = {int(import_id)}")
                cur.execute(f"insert into {lake_mod.ALIAS}.main.{LAKE_DIGESTS} values ({int(import_id)}, '{digest}')")
                # replaced rows: erased below, or by the next opening of the workspace if that fails
                token = rewrite_mod.mark_pending(cur) if had else None
            except BaseException:
                cur.rollback()
                raise
            # outside the `try`: a commit that loses the race ends the transaction and raises the conflict, which
            # `retrying` runs again (a rollback after it would raise "no transaction is active" instead)
            cur.commit()
            return "mapped", token

        outcome, token = lake_mod.retrying(once)
        _LAKE_CACHE.pop(cache_key(lake), None)
        if outcome == "detached":
            return None
        if token is not None and hasattr(lake, "sqlite_file"):
            lake_mod.erase(cur, lake.sqlite_file, lake.schema)
            rewrite_mod.clear_pending(cur, [token])  # only its own mark: another replica's set since stays
    return f"(select * from {table} where import_id = {int(import_id)})"


def forget_mapped(cur, import_ids: list[int]) -> int:
    """Delete the lake's mapped rows of the attachments `import_ids` (detached: `cx/ingest/erase.py`, in its
    transaction; the rewrite that follows takes them off the disk). Returns the rows deleted (0 on a file)."""
    from .lake import ALIAS, is_lake

    if not is_lake(cur):
        return 0
    ids = ", ".join(str(int(i)) for i in import_ids) or "null"
    # also the rows of an attachment no longer in the history (mapped by a replica that raced its detach)
    gone = f"import_id in ({ids}) or import_id not in (select import_id from imports where status = 'attached')"
    try:
        deleted = cur.execute(f"select count(*) from {ALIAS}.main.{LAKE_ROWS} where import_id in ({ids})").fetchall()
        cur.execute(f"delete from {ALIAS}.main.{LAKE_ROWS} where {gone}")
        cur.execute(f"delete from {ALIAS}.main.{LAKE_DIGESTS} where {gone}")
    except duckdb.CatalogException:  # nothing was ever mapped in this lake
        return 0
    return int(deleted[0][0])  # those of `import_ids` (orphans of other imports are not this erasure's)


def unreadable_sql(import_id: int, folder: str, error: Exception) -> str:
    """Rows of `events` whose reading raises a sentence naming the folder, the reason and what to do."""
    reason = str(error).splitlines()[0][:300]
    message = (
        f"{UNREADABLE_ATTACHMENT} {folder} (import #{import_id}) cannot be read ({reason}) — put the folder "
        f"back or remove the file of another schema, or detach it: python -m cx delete {import_id}"
    )
    nulls = ", ".join(f"null as {c}" for c in EVENTS_COLUMNS)
    return f"select {nulls} where error({literal(message)}) is null"  # kept by every plan: a filter


def fingerprint(cur, lake=None) -> tuple:
    """What the attached folders hold now (files, bytes, latest change): part of the data version, so a day
    that lands (or a file re-exported) makes cached analyses be computed again."""
    return tuple((import_id, *folder_state(options["folder"])) for import_id, options in attachments(cur, lake))


@dataclass(frozen=True)
class Attached:
    """The result of `attach_events`: the import row's id, the folder, its files and rows, and how many rows
    are events (the others lack a time, a name or a visitor, as an import would reject them)."""

    import_id: int
    folder: str
    files: int
    rows_read: int
    rows_loaded: int
    refreshed: bool

    def as_dict(self) -> dict:
        return {
            "import_id": self.import_id,
            "folder": self.folder,
            "files": self.files,
            "rows_read": self.rows_read,
            "rows_loaded": self.rows_loaded,
            "rows_rejected": self.rows_read - self.rows_loaded,
            "refreshed": self.refreshed,
        }


def attach_events(ws, folder: str | Path) -> Attached:
    """Attach the GA4 export in `folder` as events (nothing is copied), or, when it is attached already, count
    its rows again. Raises CxError for a folder without Parquet files or a file of another schema."""
    from . import keys
    from .ingest.convert import workspace_timezone

    def once() -> Attached:
        with ws.transaction() as cur:
            found = inspect_folder(cur, folder)
            known = [i for i, o in _attachments(cur) if o.get("folder") == found.path]
            import_id = known[0] if known else keys.next_import_id(cur)
            options = {"folder": found.path, "format": FORMAT, "columns": list(found.columns)}
            options["timezone"] = workspace_timezone()
            try:
                loaded = cur.execute(f"select count(*) from ({events_sql(import_id, options)})").fetchall()[0][0]
            except duckdb.Error as e:  # files that do not read together (a column of another type, mixed layouts)
                raise CxError(
                    f"the files of {found.path} cannot be read together ({str(e).splitlines()[0][:300]})",
                    file=found.path,
                    fix="attach a folder holding only the GA4 export's files, all laid out the same way "
                    "(one event_date=YYYYMMDD sub-folder per day, or all files side by side)",
                ) from None
            now = dt.datetime.now()
            row = {
                "import_id": import_id,
                "file_name": found.path,
                "sha256": hashlib.sha256(f"attached:{found.path}".encode()).hexdigest(),
                "kind": "events",
                "file_type": "parquet",
                "mapping": json.dumps(MAPPING),
                "options": json.dumps(options),
                "rows_read": found.rows,
                "rows_loaded": loaded,
                "rows_rejected": found.rows - loaded,
                "status": STATUS,
                "is_demo": False,
                "started_at": now,
                "finished_at": now,
                "notes": json.dumps(
                    [{"text": f"{len(found.files)} Parquet files attached in place", "code": "attached"}]
                ),
            }
            keys.upsert(cur, "imports", row, ("import_id",))
            return Attached(import_id, found.path, len(found.files), found.rows, loaded, bool(known))

    return ws.retrying(once)


def list_attached(ws) -> list[dict]:
    """The attached folders: import id, folder, and whether it is still there."""
    with ws.cursor() as cur:
        return [
            {"import_id": i, "folder": o["folder"], "present": os.path.isdir(o["folder"])} for i, o in _attachments(cur)
        ]

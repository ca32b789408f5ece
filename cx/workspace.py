"""The workspace: one DuckDB file holding every import, with a schema version and its migrations.

One root connection per process (the app holds it in `st.cache_resource`); every operation takes its own
cursor, so several browser sessions can read while one imports. Writes go through `transaction`.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import os
import re
import secrets
import threading
import time
import uuid
import weakref
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from . import keys, lake as lake_mod, lake_presence, privacy, rewrite as rewrite_mod
from .errors import KeyMissing, WorkspaceDamaged, WorkspaceError, system_error

SCHEMA_VERSION = 12
REPLAYED = range(2, 8)  # schema files edited after their first release (see Workspace._replay_edited)
DATA_TABLES = ("events", "customers", "orders", "tickets", "responses")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "parcours.duckdb"


def default_path() -> Path:
    """`$CX_DB` when set, else `data/parcours.duckdb` beside the app."""
    return Path(os.environ.get("CX_DB") or DEFAULT_PATH)


@functools.cache
def _expanded(name: str) -> str:
    """The text of `cx/sql/<name>`, every `/*@other.sql*/` marker replaced by that file's expanded text."""
    text = resources.files("cx.sql").joinpath(*name.split("/")).read_text(encoding="utf-8")
    return re.sub(r"/\*@((?:\w+/)?[\w.]+\.sql)\*/", lambda m: _expanded(m.group(1)), text)


ALIAS_USE = re.compile(r"\bcx_alias\b(?!_)")
FIRST_WITH = re.compile(r"\A((?:\s*--[^\n]*\n)*\s*)with\b", re.IGNORECASE)


@functools.cache
def sql_file(name: str) -> str:
    """The one SQL loader: the text of `cx/sql/<name>` (`staging/x.sql` for a file of the staging layer), every
    `/*@other.sql*/` marker (`/*@staging/x.sql*/`) replaced by that file's text (a CTE chain ending in
    `select * from final`, nested as a CTE). The identity link's table (staging/customer_alias.sql), which the
    fragments that resolve a customer read as `cx_alias`, is defined once, as the query's first CTE: pasted into each
    fragment it was built up to 7 times a query (Support: 0.3 → 2 CPU s at 200k customers)."""
    text = _expanded(name)
    if not ALIAS_USE.search(text) or name == "staging/customer_alias.sql":
        return text
    alias = f"with cx_alias as materialized (\n{_expanded('staging/customer_alias.sql')}\n),"
    hoisted, found = FIRST_WITH.subn(lambda m: m.group(1) + alias, text, count=1)
    if not found:  # a query without CTEs (`select …`): the alias becomes its only one
        hoisted = f"{alias[:-1]}\n{text}"
    return hoisted


def quote_ident(name: str) -> str:
    """A table or column name as a DuckDB identifier, whatever it holds (`"a""b"` for `a"b`)."""
    return '"' + name.replace('"', '""') + '"'


def bind_params(sql: str, params: dict) -> dict:
    """Only the parameters `sql` uses (DuckDB refuses extra ones): `cur.execute(sql, bind_params(sql, p))`."""
    used = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in params.items() if k in used}


def run_sql(cur, name: str, params: dict, prefix: str = ""):
    """Execute `cx/sql/<name>` (after `prefix`) with the parameters it uses."""
    sql = sql_file(name)
    return cur.execute(prefix + sql, bind_params(sql, params))


_EDITING = threading.local()  # how many settings edits (`edit`) this thread is inside


def edit(function):
    """A settings edit `function(ws, …)` (a stage rule, a keyword, a finding's status, a note…). On a DuckLake
    its transactions take their turn (`keys.take_turn`), so two writers editing at once (replicas, the CLI, the
    background run) conflict instead of both committing, and the one that loses the commit race runs the whole
    edit again, reads included (`Workspace.retrying`). On a file it runs once (its keys refuse a duplicate)."""

    @functools.wraps(function)
    def edited(ws, *args, **kwargs):
        def once():
            _EDITING.depth = getattr(_EDITING, "depth", 0) + 1
            try:
                return function(ws, *args, **kwargs)
            finally:
                _EDITING.depth -= 1

        return ws.retrying(once)

    return edited


class Workspace:
    """A DuckDB workspace file, or a DuckLake (`$CX_LAKE`, docs/SCALING.md) when no path is given.
    `Workspace(path)` creates or migrates it."""

    lake: lake_mod.Lake | None = None
    _presence: lake_presence.Presence | None = None  # on a lake: this process's busy cursors (cx/lake_presence.py)

    def __init__(self, path: str | Path | None = None, lake: lake_mod.Lake | None = None):
        self.lake = lake or (None if path else lake_mod.setting())
        self.path = Path(self.lake.label) if self.lake else Path(path) if path else default_path()
        unsupported = self.lake and lake_mod.storage_unsupported(self.lake.data)
        if unsupported:  # said before connecting to anything (the catalog is not created, nothing is read)
            raise WorkspaceError(
                f"the lake {self.path} cannot be opened: {unsupported}; nothing was read or changed",
                fix="give CX_LAKE_DATA a local folder (or a network file system mounted as one), see docs/SCALING.md",
            )
        try:
            if self.lake:
                self._connect_lake()
            elif str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._connect_root()
            else:
                self._connect_root()
        except (duckdb.Error, OSError) as e:
            if self.lake and not isinstance(e, OSError):
                raise WorkspaceError(
                    f"the lake {self.path} cannot be opened ({str(e).splitlines()[0][:300]})",
                    fix="check CX_LAKE (and that its catalog database is running and reachable) "
                    "and CX_LAKE_DATA, see docs/SCALING.md",
                ) from None
            raise (
                system_error(e, self.path)
                or WorkspaceError(
                    f"the workspace {self.path} cannot be opened",
                    key="cannot_open",
                    values={"path": str(self.path)},
                    fix="check the path and its permissions, or set CX_DB to another file",
                )
            ) from None
        try:
            # a workspace that already holds imports holds pseudonyms: its key must exist, never be remade
            self._key = load_key(self.key_path, create=not self._has_imports(), workspace=self.path)
            self._open()
        except BaseException as e:
            self._root.close()
            if isinstance(e, (duckdb.Error, OSError)) and system_error(e, self.path):
                raise system_error(e, self.path) from None
            raise

    def _has_imports(self) -> bool:
        with self.cursor() as cur:
            exists = run_sql(cur, "workspace_imports_table.sql", {}).fetchall()[0][0]
            return bool(exists) and bool(cur.execute("select count(*) from imports").fetchall()[0][0])

    def _open(self) -> None:
        # registered once per database instance, visible to all its cursors (DuckDB shares one instance
        # between connections to the same file in a process; the key file is the same, so is the function)
        _register_pseudonymise(self._root, self._key)
        self.migrate()
        self._finish_erasure()

    def _connect_root(self) -> None:
        """Open the root connection while no rewrite of the file runs (in this process or another:
        `rewrite.swap_lock`), and drop what a rewrite killed half-way left beside the file."""
        self._memory = str(self.path) == ":memory:"
        self._gate = _gate_of(self.path)
        with rewrite_mod.swap_lock(self.path, shared=True):
            self._root = duckdb.connect(str(self.path))
            if not self._memory:
                rewrite_mod.remove_leftovers(self.path)
                with _GATES_LOCK:  # registered before the lock is released: a rewrite reopens every connection
                    _OPEN.setdefault(self._gate, weakref.WeakSet()).add(self)

    def _connect_lake(self) -> None:
        """Attach the lake to an in-memory root connection, with every extension from its package."""
        self._memory, self._gate = False, _Gate()
        self._root = duckdb.connect(config=lake_mod.OFFLINE)
        try:
            lake_mod.attach(self._root, self.lake)
            # which processes may be writing now: an erasure deletes the orphan files none of them can own
            self._presence = lake_presence.Presence(self._root, self.lake.sqlite_file, self.lake.schema)
        except BaseException:
            self._root.close()
            raise

    def retrying(self, work):
        """`work()`; on a DuckLake, run again from the start when another writer committed first."""
        return lake_mod.retrying(work) if self.lake else work()

    def _finish_erasure(self) -> None:
        """A delete whose rewrite was interrupted (killed, disk full) is erased now."""
        if not self._memory and not self._gate.held_here():
            self._rewrite_if_pending()

    @property
    def key_path(self) -> Path:
        """The pseudonymisation key lives outside the DB file: `$CX_KEY_FILE`, else `<db>.key` beside it."""
        if os.environ.get("CX_KEY_FILE"):
            return Path(os.environ["CX_KEY_FILE"])
        if self.lake:
            if self.lake.sqlite_file is None:
                raise WorkspaceError(
                    f"the lake {self.lake.label} needs a pseudonymisation key file",
                    fix="set CX_KEY_FILE to a key file every replica reads (the same one)",
                )
            return self.lake.sqlite_file.with_suffix(".key")
        if str(self.path) == ":memory:":
            return Path(":memory:")
        return self.path.with_suffix(".key")

    @contextmanager
    def cursor(self):
        """A cursor of its own for one operation (a rewrite waits until every open cursor is closed)."""
        with self._gate.shared():
            token = self._presence.enter() if self._presence else None  # said before the cursor writes anything
            cur = self._root.cursor()
            try:
                if self.lake:  # a cursor starts on the in-memory database
                    cur.execute(f"use {lake_mod.ALIAS}")
                from .attach import shadow  # (it imports this module)

                shadow(cur, self.lake)  # attached Parquet events (cx/attach.py): in `events` too
                yield cur
            finally:
                cur.close()
                if token is not None:
                    self._presence.leave(token)

    @contextmanager
    def transaction(self, finish_erasure: bool = True):
        """One transaction on a cursor of its own. When it deleted personal data (`mark_rewrite_pending`,
        e.g. an import replaced by a new load of the same file), the file is rewritten once it commits,
        unless `finish_erasure` is False (the caller rewrites) or this thread still holds another cursor
        (then the next delete or the next opening does it)."""
        with self.cursor() as cur:
            cur.begin()
            try:
                if self.lake and getattr(_EDITING, "depth", 0):
                    keys.take_turn(cur)
                yield cur
            except BaseException:
                cur.rollback()
                raise
            cur.commit()
        if finish_erasure:
            self._finish_erasure()

    def pseudonymise(self, value: str | None) -> str | None:
        return pseudonymise(self._key, value)

    def signing_key(self, purpose: str) -> bytes:
        """A key derived from the workspace key for one purpose (e.g. signing the stored analysis results,
        cx.results): whoever can write the DB file but lacks the key file cannot forge what it signs."""
        return derived_key(self._key, purpose)

    def migrate(self) -> None:
        if self.lake:
            lake_mod.retrying(self._migrate_lake)
            return
        with self.cursor() as cur:
            cur.execute("create table if not exists cx_meta (key varchar primary key, value varchar)")
            row = (cur.execute("select value from cx_meta where key = 'schema_version'").fetchall() or [None])[0]
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise WorkspaceError(
                    f"the workspace {self.path} was written by a newer Parcours (schema {version})",
                    fix="update Parcours, or set CX_DB to another file",
                )
            for v in range(version + 1, SCHEMA_VERSION + 1):
                cur.begin()
                cur.execute(sql_file(f"schema_v{v}.sql"))
                keys.upsert(cur, "cx_meta", {"key": "schema_version", "value": str(v)}, ("key",))
                cur.commit()
            self._replay_edited(cur, version)
            cur.execute(sql_file("macros.sql"))

    def _migrate_lake(self) -> None:
        """The schema files without keys or sequences (`lake.lake_ddl`), the import-id counter and the macros,
        in one transaction: two processes creating the lake at once leave one (the second runs again and finds
        it made). An open that changes nothing writes nothing."""
        with self.cursor() as cur:
            cur.begin()
            try:
                cur.execute(
                    lake_mod.lake_ddl("create table if not exists cx_meta (key varchar primary key, value varchar)")
                )
                row = cur.execute("select max(value::integer) from cx_meta where key = 'schema_version'").fetchall()
                version = row[0][0] or 0
                if version > SCHEMA_VERSION:
                    raise WorkspaceError(
                        f"the lake {self.path} was written by a newer Parcours (schema {version})",
                        fix="update Parcours, or unset CX_LAKE",
                    )
                for v in range(version + 1, SCHEMA_VERSION + 1):
                    cur.execute(lake_mod.lake_ddl(sql_file(f"schema_v{v}.sql")))
                    keys.upsert(cur, "cx_meta", {"key": "schema_version", "value": str(v)}, ("key",))
                if version < SCHEMA_VERSION:
                    keys.upsert(cur, "cx_meta", {"key": "replayed_edited", "value": "1"}, ("key",))
                    cur.execute(sql_file("lake_ids.sql"))
                turns = run_sql(cur, "lake_turns_count.sql", {}).fetchall()[0][0]
                if turns < len(keys.TURNS):  # a new lake, or one made before them (its cx_meta row is not used now)
                    cur.execute(sql_file("lake_turns.sql"))
                if lake_mod.lake_id(cur) is None:  # its mark in the data folder (lake.MARK), written below
                    keys.upsert(cur, "cx_meta", {"key": "lake_id", "value": uuid.uuid4().hex}, ("key",))
                macros = hashlib.sha256(sql_file("macros.sql").encode()).hexdigest()
                if not cur.execute(
                    "select count(*) from cx_meta where key = 'macros' and value = $h", {"h": macros}
                ).fetchall()[0][0]:
                    cur.execute(sql_file("macros.sql"))
                    keys.upsert(cur, "cx_meta", {"key": "macros", "value": macros}, ("key",))
            except BaseException:
                cur.rollback()
                raise
            cur.commit()  # a commit that loses the race raises here: `retrying` runs the whole migration again
            lake_mod.mark_data_folder(cur, self.lake.schema)

    def _replay_edited(self, cur, version: int) -> None:
        """Schema files 2–6 were first released as placeholders (`select 1`) and filled afterwards, and
        schema_v7 gained a statement after its first release: a workspace that went through those versions
        early lacks their tables or changes. Their statements are all idempotent, so a workspace that was
        already at one of those versions when opened runs the files it had gone through again, once
        (cx_meta 'replayed_edited'). Released files never change any more (tests/test_upgrades.py)."""
        if cur.execute("select count(*) from cx_meta where key = 'replayed_edited'").fetchall()[0][0]:
            return
        cur.begin()
        for v in REPLAYED:
            if v <= version:  # the versions after `version` have just run as they are today
                cur.execute(sql_file(f"schema_v{v}.sql"))
        keys.upsert(cur, "cx_meta", {"key": "replayed_edited", "value": "1"}, ("key",))
        cur.commit()

    def data_version(self) -> tuple:
        """Changes whenever an import is added or deleted: the key for cached analyses."""
        from .attach import fingerprint  # (it imports this module)
        from .results import reading  # (it imports this module): every page's sidebar reads it, on a lake too

        def read():
            with self.cursor() as cur:
                return run_sql(cur, "data_version.sql", {}).fetchall()[0] + fingerprint(cur, self.lake)

        return reading(self, read)

    def settings_version(self) -> tuple:
        """Changes whenever a setting users edit is written (stage rules, theme keywords, thresholds…:
        `cx/sql/settings_version.sql`): with `data_version`, the key for cached analyses."""
        with self.cursor() as cur:
            return tuple(run_sql(cur, "settings_version.sql", {"tables": None}).fetchall())

    def table_counts(self) -> dict[str, int]:
        with self.cursor() as cur:
            counts = dict(run_sql(cur, "workspace_table_counts.sql", {}).fetchall())
        return {t: counts[t] for t in DATA_TABLES}

    def rewrite(self) -> rewrite_mod.Rewritten:
        """Copy the live database into a new file and put it in place of the old one, so that no byte of
        deleted rows is left (DuckDB reuses freed blocks but does not zero them). The swap is atomic: after
        a crash the folder holds either the old file or the new one, both whole. Every workspace of this
        process on the same file waits for its open cursors, is closed, and reopens on the new file."""
        if self._memory:
            return rewrite_mod.Rewritten(0.0, 0, 0)
        started = time.perf_counter()
        if self.lake:  # rewrite the data files holding deleted rows, expire snapshots, delete old files
            with self.cursor() as cur:
                marks = rewrite_mod.pending_marks(cur)  # read before erasing: a mark set after it stays
                self.retrying(self._purge_results)  # results of the erased data go with it, as in a file
                lake_mod.erase(cur, self.lake.sqlite_file, self.lake.schema)
                rewrite_mod.clear_pending(cur, marks)
            return rewrite_mod.Rewritten(time.perf_counter() - started, 0, 0)
        with self._gate.exclusive(), rewrite_mod.swap_lock(self.path, shared=False):
            peers = [w for w in _OPEN.get(self._gate, ()) if not w._closed]
            try:
                with self._root.cursor() as cur:
                    marks = rewrite_mod.pending_marks(cur)
                    # stored analysis results of data that is no longer there (an erasure) are not copied
                    cur.execute(sql_file("results_purge.sql"))
                    copy = rewrite_mod.copy_live(cur, self.path)
                for w in peers:
                    w._root.close()
                try:
                    before, after = rewrite_mod.swap(self.path, copy)
                finally:
                    for w in peers:
                        w._root = duckdb.connect(str(w.path))
                        if hasattr(w, "_key"):  # else its __init__ is about to register it
                            _register_pseudonymise(w._root, w._key)
            except (duckdb.Error, OSError) as e:
                raise WorkspaceError(
                    f"the deleted data could not be erased from {self.path.name} yet "
                    f"({type(e).__name__}: the file is copied, which needs as much free "
                    "space as it takes)",
                    fix="free some disk space; the erasure is finished "
                    "automatically at the next deletion or the next start",
                ) from e
            with self._root.cursor() as cur:  # the erasure is complete: an open after a crash has nothing to finish
                rewrite_mod.clear_pending(cur, marks)
                cur.execute("checkpoint")
        return rewrite_mod.Rewritten(time.perf_counter() - started, before, after)

    def _purge_results(self) -> None:
        """On a lake: delete every stored result, taking the `results` turn (`keys.take_turn`), so that a store which
        saw the erased data and commits after this purge fails instead of leaving its row (`results.store`)."""
        with self.transaction(finish_erasure=False) as cur:
            keys.take_turn(cur, "results")
            cur.execute(sql_file("results_purge.sql"))

    @staticmethod
    def mark_rewrite_pending(cur) -> str:
        """In a transaction that deletes personal data: the file is rewritten after it commits, and if the
        process dies before that ends, the next opening of the workspace rewrites it. Returns the mark's token."""
        return rewrite_mod.mark_pending(cur)

    def _rewrite_if_pending(self) -> None:
        with self.cursor() as cur:
            # written in, not bound: DuckDB 1.5's client imports pandas (0.3 s) at the first bound value
            pending = cur.execute("select count(*) from cx_meta where key = 'rewrite_pending'").fetchall()[0][0]
        if pending:
            self.rewrite()

    _closed = False

    def close(self) -> None:
        with self._gate.shared():
            self._closed = True
            if self._presence:
                self._presence.close()
            self._root.close()


class _Gate:
    """Shared for every operation on a workspace file, exclusive for its rewrite. A thread that already
    holds it shared may take it again (cursors nest) even while a rewrite waits; a rewrite waits for
    every holder to leave and keeps new ones out."""

    def __init__(self):
        self._cond = threading.Condition()
        self._holders: dict[int, int] = {}
        self._writer = False
        self._writer_waiting = 0

    @contextmanager
    def shared(self):
        me = threading.get_ident()
        with self._cond:
            if me not in self._holders:
                self._cond.wait_for(lambda: not self._writer and not self._writer_waiting)
            self._holders[me] = self._holders.get(me, 0) + 1
        try:
            yield
        finally:
            with self._cond:
                self._holders[me] -= 1
                if not self._holders[me]:
                    del self._holders[me]
                    self._cond.notify_all()

    def held_here(self) -> bool:
        with self._cond:
            return threading.get_ident() in self._holders

    @contextmanager
    def exclusive(self):
        me = threading.get_ident()
        with self._cond:
            if me in self._holders:
                raise RuntimeError("a workspace cannot be rewritten while this thread holds a cursor on it")
            self._writer_waiting += 1
            try:
                self._cond.wait_for(lambda: not self._writer and not self._holders)
            finally:
                self._writer_waiting -= 1
            self._writer = True
        try:
            yield
        finally:
            with self._cond:
                self._writer = False
                self._cond.notify_all()


_GATES: dict[str, _Gate] = {}
_GATES_LOCK = threading.Lock()
_OPEN: dict[_Gate, weakref.WeakSet] = {}  # workspaces of this process, per file: a rewrite reopens them all


def _register_pseudonymise(root, key: bytes) -> None:
    for name, function in (
        ("cx_pseudonymise", functools.partial(pseudonymise, key)),
        ("cx_erased_key", functools.partial(erased_key, derived_key(key, ERASED_KEYS))),
    ):
        try:
            root.create_function(name, function, ["VARCHAR"], "VARCHAR", null_handling="special", side_effects=False)
        except duckdb.CatalogException:
            pass
    try:
        root.create_function(
            "cx_mask_text", privacy.mask_text, ["VARCHAR"], "VARCHAR", null_handling="special", side_effects=False
        )
    except duckdb.CatalogException:
        pass


def _gate_of(path: Path) -> _Gate:
    if str(path) == ":memory:":
        return _Gate()
    with _GATES_LOCK:
        return _GATES.setdefault(os.path.realpath(path), _Gate())


def pseudonymise(key: bytes, value: str | None) -> str | None:
    """Keyed hash (HMAC-SHA256) of a trimmed, lower-cased value: the same person always gets the same
    pseudonym in this workspace, and without the key file nobody can recompute it."""
    if value is None:
        return None
    return "px_" + hmac.new(key, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:20]


ERASED_KEYS = "erased_keys"  # the purpose of the key that hashes the keys of erased people (schema_v12.sql)


def derived_key(key: bytes, purpose: str) -> bytes:
    """A key derived from the workspace key for one purpose (`Workspace.signing_key`)."""
    return hmac.new(key, b"parcours/" + purpose.encode("utf-8"), hashlib.sha256).digest()


def erased_key(key: bytes, value: str | None) -> str | None:
    """The keyed hash (HMAC-SHA256, `key` derived for `ERASED_KEYS`) of a trimmed, lower-cased key of an erased
    person, as `erased_keys` keeps it: the key itself is never stored, and nobody without the key file can test a
    guess against it."""
    if value is None or not value.strip():
        return None
    return hmac.new(key, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()


def load_key(path: Path, create: bool = True, workspace: Path | None = None) -> bytes:
    """Read the pseudonymisation key, creating it (readable by its owner only) on first use. With
    `create=False` (the workspace already holds pseudonymised data) a missing key is refused: a new key would
    silently give the same people new pseudonyms."""
    if str(path) == ":memory:":
        return secrets.token_bytes(32)
    values = {"key_file": str(path), "path": str(workspace or "")}
    if path.exists():
        try:
            key = bytes.fromhex(path.read_text().strip())
        except (ValueError, UnicodeDecodeError):
            key = b""
        if len(key) < 16:
            raise WorkspaceDamaged(
                f"the pseudonymisation key {path} is damaged",
                key="key_damaged",
                values=values,
                fix="restore the key file from a backup (or set CX_KEY_FILE to it)",
            )
        return key
    if not create:
        raise KeyMissing(
            f"the pseudonymisation key {path} is missing, but the workspace {workspace} already holds "
            "pseudonymised data (new pseudonyms would no longer match the old ones)",
            values=values,
            fix="put the key file back (from a backup) or set CX_KEY_FILE to it; to start afresh, use "
            "a new workspace (CX_DB)",
        )
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    # written whole beside it, then linked into place: two processes opening a new lake at once share one key
    draft = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    try:
        os.link(draft, path)
    except FileExistsError:
        return load_key(path, create=False, workspace=workspace)
    finally:
        draft.unlink()
    return key

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
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

import duckdb

from .errors import KeyMissing, WorkspaceError, WorkspaceDamaged, system_error

SCHEMA_VERSION = 7
REPLAYED = range(2, 8)  # schema files edited after their first release (see Workspace._replay_edited)
DATA_TABLES = ("events", "customers", "orders", "tickets", "responses")
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "data" / "parcours.duckdb"


def default_path() -> Path:
    """`$CX_DB` when set, else `data/parcours.duckdb` beside the app."""
    return Path(os.environ.get("CX_DB") or DEFAULT_PATH)


def sql_file(name: str) -> str:
    return resources.files("cx.sql").joinpath(name).read_text(encoding="utf-8")


def bind_params(sql: str, params: dict) -> dict:
    """Only the parameters `sql` uses (DuckDB refuses extra ones): `cur.execute(sql, bind_params(sql, p))`."""
    used = set(re.findall(r"\$(\w+)", sql))
    return {k: v for k, v in params.items() if k in used}


def run_sql(cur, name: str, params: dict, prefix: str = ""):
    """Execute `cx/sql/<name>` (after `prefix`) with the parameters it uses."""
    sql = sql_file(name)
    return cur.execute(prefix + sql, bind_params(sql, params))


class Workspace:
    """A DuckDB workspace file. `Workspace(path)` creates or migrates it."""

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path else default_path()
        try:
            if str(self.path) != ":memory:":
                self.path.parent.mkdir(parents=True, exist_ok=True)
            self._root = duckdb.connect(str(self.path))
        except (duckdb.Error, OSError) as e:
            raise (system_error(e, self.path) or WorkspaceError(
                f"the workspace {self.path} cannot be opened", key="cannot_open", values={"path": str(self.path)},
                fix="check the path and its permissions, or set CX_DB to another file")) from None
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
            exists = cur.execute("select count(*) from duckdb_tables() where table_name = 'imports' "
                                 "and schema_name = 'main'").fetchall()[0][0]
            return bool(exists) and bool(cur.execute("select count(*) from imports").fetchall()[0][0])

    def _open(self) -> None:
        # registered once per database instance, visible to all its cursors (DuckDB shares one instance
        # between connections to the same file in a process; the key file is the same, so is the function)
        try:
            self._root.create_function("cx_pseudonymise", functools.partial(pseudonymise, self._key),
                                       ["VARCHAR"], "VARCHAR", null_handling="special", side_effects=False)
        except duckdb.CatalogException:
            pass
        self.migrate()

    @property
    def key_path(self) -> Path:
        """The pseudonymisation key lives outside the DB file: `$CX_KEY_FILE`, else `<db>.key` beside it."""
        if os.environ.get("CX_KEY_FILE"):
            return Path(os.environ["CX_KEY_FILE"])
        if str(self.path) == ":memory:":
            return Path(":memory:")
        return self.path.with_suffix(".key")

    @contextmanager
    def cursor(self):
        """A cursor of its own for one operation."""
        cur = self._root.cursor()
        try:
            yield cur
        finally:
            cur.close()

    @contextmanager
    def transaction(self):
        with self.cursor() as cur:
            cur.begin()
            try:
                yield cur
            except BaseException:
                cur.rollback()
                raise
            cur.commit()

    def pseudonymise(self, value: str | None) -> str | None:
        return pseudonymise(self._key, value)

    def migrate(self) -> None:
        with self.cursor() as cur:
            cur.execute("create table if not exists cx_meta (key varchar primary key, value varchar)")
            row = (cur.execute("select value from cx_meta where key = 'schema_version'").fetchall() or [None])[0]
            version = int(row[0]) if row else 0
            if version > SCHEMA_VERSION:
                raise WorkspaceError(f"the workspace {self.path} was written by a newer Parcours "
                                     f"(schema {version})", fix="update Parcours, or set CX_DB to another file")
            for v in range(version + 1, SCHEMA_VERSION + 1):
                cur.begin()
                cur.execute(sql_file(f"schema_v{v}.sql"))
                cur.execute("insert or replace into cx_meta values ('schema_version', $v)", {"v": str(v)})
                cur.commit()
            self._replay_edited(cur, version)
            cur.execute(sql_file("macros.sql"))

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
        cur.execute("insert or replace into cx_meta values ('replayed_edited', '1')")
        cur.commit()

    def data_version(self) -> tuple:
        """Changes whenever an import is added or deleted: the key for cached analyses."""
        with self.cursor() as cur:
            return cur.execute("select count(*), coalesce(max(import_id), 0), "
                               "coalesce(sum(rows_loaded), 0) from imports").fetchall()[0]

    def table_counts(self) -> dict[str, int]:
        with self.cursor() as cur:
            return {t: cur.execute(f'select count(*) from "{t}"').fetchall()[0][0] for t in DATA_TABLES}

    def close(self) -> None:
        self._root.close()


def pseudonymise(key: bytes, value: str | None) -> str | None:
    """Keyed hash (HMAC-SHA256) of a trimmed, lower-cased value: the same person always gets the same
    pseudonym in this workspace, and without the key file nobody can recompute it."""
    if value is None:
        return None
    return "px_" + hmac.new(key, value.strip().lower().encode("utf-8"), hashlib.sha256).hexdigest()[:20]


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
            raise WorkspaceDamaged(f"the pseudonymisation key {path} is damaged", key="key_damaged", values=values,
                                   fix="restore the key file from a backup (or set CX_KEY_FILE to it)")
        return key
    if not create:
        raise KeyMissing(f"the pseudonymisation key {path} is missing, but the workspace {workspace} already holds "
                         "pseudonymised data (new pseudonyms would no longer match the old ones)", values=values,
                         fix="put the key file back (from a backup) or set CX_KEY_FILE to it; to start afresh, use "
                             "a new workspace (CX_DB)")
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_bytes(32)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(key.hex())
    return key

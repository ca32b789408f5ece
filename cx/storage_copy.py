"""Copy a workspace file written by a newer DuckDB into the storage format of the DuckDB Parcours runs on.

Parcours is pinned to DuckDB 1.5.5 (docs/SCALING.md, "Which DuckDB and why"); a workspace written by DuckDB 2.0
cannot be opened by 1.5. DuckDB 2.0 can still write the 1.5 format, so the copy runs once, with DuckDB 2.0, from
the Parcours folder:

    python3 -m venv /tmp/cx-copy && /tmp/cx-copy/bin/pip install duckdb==2.0.0
    /tmp/cx-copy/bin/python -m cx.storage_copy data/parcours.duckdb

Every table, sequence (with its current value), macro and constraint is copied (`COPY FROM DATABASE`); the old
file is kept beside it as `<file>.duckdb2` (delete it once Parcours opens the copy); the key file is unchanged.
This module imports only DuckDB and the standard library, so it runs in that bare environment.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import duckdb

from cx.sql import literal

TARGET_STORAGE = "v1.5.0"  # the storage format DuckDB 1.5.x reads and writes
BACKUP_SUFFIX = ".duckdb2"


def copy_to_storage(path: str | Path, storage: str = TARGET_STORAGE) -> Path:
    """Rewrite the workspace `path` in the storage format `storage`; returns where the old file was kept."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no workspace file at {path}")
    new = path.with_name(path.name + ".copying")
    backup = path.with_name(path.name + BACKUP_SUFFIX)
    if backup.exists():
        raise FileExistsError(f"{backup} already exists: move it aside first")
    new.unlink(missing_ok=True)
    con = duckdb.connect()
    try:
        con.execute(f"attach {literal(path)} as cx_source")  # DuckDB 1.5 binds no parameter in ATTACH
        con.execute("checkpoint cx_source")  # what its write-ahead log holds goes into the copy
        con.execute(f"attach {literal(new)} as cx_target (storage_version {literal(storage)})")
        con.execute("copy from database cx_source to cx_target")
        con.execute("checkpoint cx_target")
        con.execute("detach cx_target")
        con.execute("detach cx_source")
    except BaseException:
        con.close()
        new.unlink(missing_ok=True)
        raise
    con.close()
    os.replace(path, backup)
    wal = path.with_name(path.name + ".wal")
    if wal.exists():
        os.replace(wal, backup.with_name(backup.name + ".wal"))
    os.replace(new, path)
    return backup


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print("usage: python -m cx.storage_copy WORKSPACE.duckdb", file=sys.stderr)
        return 2
    try:
        backup = copy_to_storage(argv[0])
    except (duckdb.Error, OSError) as e:
        print(f"error: {argv[0]} was not copied ({type(e).__name__}: {e})", file=sys.stderr)
        return 2
    print(
        f"{argv[0]} now uses the storage format {TARGET_STORAGE} (DuckDB {duckdb.__version__} wrote it); "
        f"the old file is kept as {backup}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Rewrite a workspace file so that deleted rows leave no byte behind.

DuckDB reuses the blocks freed by a DELETE but never zeroes them: after `delete`, `CHECKPOINT` and `VACUUM`
the deleted values are still readable in the file. Erasing means copying the live database (every table,
sequence with its current value, macro, key and constraint: `COPY FROM DATABASE`) into a new file and
putting it in place of the old one, atomically:

1. `<db>.rewrite` is written and flushed to disk while the old file stays in use;
2. the old file is hard-linked as `<db>.old`, then `os.replace` puts the new file under the workspace's
   name (the one atomic step) and the folder is flushed;
3. `<db>.old`, the old file's last name, is overwritten with zeros and removed.

A crash before step 2 leaves the old file (with the delete already committed) and a partial
`<db>.rewrite`; after it, the new file and maybe `<db>.old`. `remove_leftovers` cleans either case when
the workspace opens next, and a `rewrite_pending` mark in `cx_meta` (written by the delete's transaction,
cleared once the new file is in place) makes that open finish the erasure.
"""

from __future__ import annotations

import os
import secrets
import stat
from contextlib import contextmanager, nullcontext
from dataclasses import dataclass
from pathlib import Path

from cx.sql import literal

from . import keys, lake
from .errors import WorkspaceError

try:
    import fcntl
except ImportError:  # Windows: no advisory lock; DuckDB's own file lock still keeps other programs out
    fcntl = None

PENDING = "rewrite_pending"


@dataclass(frozen=True)
class Rewritten:
    seconds: float
    bytes_before: int
    bytes_after: int


def mark_pending(cur) -> str:
    """Record, in the transaction of `cur`, that deleted rows still sit in freed blocks of the file (or in a lake's
    Parquet files). The mark holds a new random token, returned: whoever finishes an erasure clears only the marks
    it read before erasing (`pending_marks`, `clear_pending`), so on a lake the mark another replica set meanwhile
    (its deleted rows perhaps committed after the erasure began) stays for its own erasure or the next opening."""
    token = secrets.token_hex(8)
    keys.upsert(cur, "cx_meta", {"key": PENDING, "value": token}, ("key",))
    return token


def pending_marks(cur) -> list[str]:
    """The tokens of the erasure marks there now (read before erasing, cleared after: `clear_pending`)."""
    return [r[0] for r in cur.execute("select value from cx_meta where key = $k", {"k": PENDING}).fetchall()]


def clear_pending(cur, tokens: list[str]) -> None:
    """Clear the erasure marks whose tokens are `tokens` (those read before the erasure), not one set since. On a
    lake the delete runs again when it lost a commit race (another writer of `cx_meta` at the same moment)."""
    if tokens:
        lake.retrying(
            lambda: cur.execute(
                "delete from cx_meta where key = $k and list_contains($t, value)", {"k": PENDING, "t": tokens}
            )
        )


def step(name: str) -> None:
    """Called between the stages of a rewrite; tests replace it to kill the process at each stage."""


def wal_of(path: Path) -> Path:
    return path.with_name(path.name + ".wal")


def _new(path: Path) -> Path:
    return path.with_name(path.name + ".rewrite")


def _old(path: Path) -> Path:
    return path.with_name(path.name + ".old")


@contextmanager
def swap_lock(path: Path, shared: bool):
    """Between processes: opening a workspace (shared) waits while another process swaps its file
    (exclusive), so nobody opens the old file an instant before it is replaced."""
    if fcntl is None or str(path) == ":memory:":
        with nullcontext():
            yield
        return
    try:
        fd = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    except OSError:  # a read-only folder: nobody can rewrite the file there either
        yield
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_SH if shared else fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def copy_live(cur, path: Path) -> Path:
    """Write every live row of the database `cur` is on into `<db>.rewrite`, flushed to disk."""
    new = _new(path)
    for p in (new, wal_of(new)):
        p.unlink(missing_ok=True)
    cur.execute("force checkpoint")  # the old file alone (no WAL) holds everything committed
    db = cur.execute("select current_database()").fetchall()[0][0]
    cur.execute(f"attach {literal(str(new))} as cx_rewrite")  # DuckDB 1.5 binds no parameter in ATTACH
    try:
        step("copy")
        cur.execute(f'copy from database "{db.replace(chr(34), chr(34) * 2)}" to cx_rewrite')
        cur.execute("checkpoint cx_rewrite")
    except BaseException:
        cur.execute("detach cx_rewrite")
        for p in (new, wal_of(new)):
            p.unlink(missing_ok=True)
        raise
    cur.execute("detach cx_rewrite")
    if wal_of(new).exists() and wal_of(new).stat().st_size:
        raise WorkspaceError("the rewritten workspace was not fully written", fix="try again")
    wal_of(new).unlink(missing_ok=True)
    _fsync(new)
    step("copied")
    return new


def swap(path: Path, new: Path) -> tuple[int, int]:
    """Put `new` in place of `path` (closed by every connection of this process). Returns the sizes
    before and after."""
    wal = wal_of(path)
    if wal.exists() and wal.stat().st_size:  # written after our checkpoint: the copy would miss it
        new.unlink(missing_ok=True)
        raise WorkspaceError("the workspace changed while it was being rewritten", fix="try again")
    before, old = path.stat().st_size, _old(path)
    os.chmod(new, stat.S_IMODE(path.stat().st_mode))  # a workspace made private stays private
    old.unlink(missing_ok=True)
    try:
        os.link(path, old)
    except OSError:  # no hard links on this file system: the old file's blocks are freed, not zeroed
        old = None
    step("linked")
    os.replace(new, path)
    _fsync_dir(path.parent)
    step("replaced")
    wal.unlink(missing_ok=True)
    if old is not None:
        _shred(old)
    step("shredded")
    return before, path.stat().st_size


def remove_leftovers(path: Path) -> None:
    """Drop what a rewrite that died half-way left beside the workspace `path` (which is open)."""
    new, old = _new(path), _old(path)
    for p in (new, wal_of(new)):
        p.unlink(missing_ok=True)
    if old.exists():
        if path.exists() and os.path.samefile(old, path):  # died before the replace: same file, keep it
            old.unlink()
        else:
            _shred(old)


def _shred(path: Path) -> None:
    """Overwrite a file with zeros, flush, remove it (best effort below the file system: an SSD or a
    copy-on-write file system may keep old blocks; full-disk encryption covers that)."""
    size = path.stat().st_size
    with open(path, "r+b") as f:
        zeros = bytes(1024 * 1024)
        done = 0
        while done < size:
            done += f.write(zeros[: min(len(zeros), size - done)])
        f.flush()
        os.fsync(f.fileno())
    path.unlink()


def _fsync(path: Path) -> None:
    with open(path, "rb") as f:
        os.fsync(f.fileno())


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # Windows cannot open a folder; os.replace is durable there
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)

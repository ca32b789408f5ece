"""Which processes may be writing to a lake now, so that an erasure can delete a killed import's orphan files at once
without touching a live writer's (issue 16; docs/ERASURE.md, docs/SCALING.md "Known limits").

A write on a lake puts its rows in new Parquet files first and makes them the lake's at its commit; until then they
belong to no snapshot, exactly like the files a killed import leaves (its rows, personal ids pseudonymised). Every
workspace a process opens on a lake therefore keeps one row in `cx_lake_presence` (`Store`: a table of a PostgreSQL
catalog's database, or a SQLite file beside a SQLite catalog; never a lake table: no snapshot, no Parquet file, seen
at once by every replica): since when it has had a cursor open (`busy_since`, the start of its oldest open cursor;
null when it has none) and when it last said so (`beat`). Every read and write of Parcours on a lake goes through
`Workspace.cursor`, which tells its `Presence`:

- the first cursor a workspace opens while its row says idle writes `busy_since` before the cursor is used, so no
  file is written by a cursor that started before its row's `busy_since`;
- while it has cursors open, the workspace writes `beat` (and `busy_since`, the oldest cursor still open) every
  `BEAT_SECONDS`; once none is open it writes idle, once.

An erasure (`erase_orphans`, called by `lake.erase`) and `lake maintain` (`maintenance_horizon`) read the rows first,
drop those of dead processes (on this machine: no process with that id and start time; elsewhere: no beat for
`DEAD_SECONDS`), and take as their horizon the earliest `busy_since` of the live ones (now, when none is busy), less
`MARGIN_SECONDS` (clocks of other machines, a file server's). Then, with a newer snapshot, they list the lake's orphan
files last modified more than a second before the horizon (DuckDB reads modification times in whole seconds:
`lake.orphans`) and delete them. None can be a live writer's: a workspace busy now wrote nothing before its
`busy_since`; one that became busy after the rows were read writes after the horizon; and a writer that committed
before is in the snapshot of the listing. The lake's mark rule (`lake.shared_folder`) and object storage
(`lake.orphans_skipped`) still apply.
"""

from __future__ import annotations

import functools
import logging
import os
import socket
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import duckdb

from . import lake
from .sql import literal

log = logging.getLogger(__name__)
TABLE = "cx_lake_presence"
#: while a process has cursors open, it says so this often
BEAT_SECONDS = 5.0
#: a busy process of another machine that has not said so for this long is dead (killed, machine stopped)
DEAD_SECONDS = 300.0
#: files younger than the horizon by less than this are left: clocks of machines and of a file server may differ
MARGIN_SECONDS = 30.0


def _start_ticks(pid: int) -> str | None:
    """When process `pid` started (Linux: /proc), so a reused process id is not taken for the process; None when
    unknown."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    return stat.rsplit(")", 1)[1].split()[19]


BOOT_ID = Path("/proc/sys/kernel/random/boot_id")


@functools.cache
def machine() -> str:
    """This machine as far as process ids go: its host name, (Linux) its process-id namespace, so two containers
    sharing a host name but not their process ids count as two machines, and its boot (`boot_id`: a reboot starts
    the process ids and start times again; two hosts of one name are two machines)."""
    parts = [socket.gethostname()]
    for read in (lambda: str(os.stat("/proc/self/ns/pid").st_ino), lambda: BOOT_ID.read_text().strip()):
        try:
            parts.append(read())
        except OSError:
            pass
    return "#".join(parts)


def this_process() -> str:
    """`machine:pid:start` of this process."""
    return f"{machine()}:{os.getpid()}:{_start_ticks(os.getpid()) or uuid.uuid4().hex}"


def alive(process: str, beat: float, now: float) -> bool:
    """Is the writer `process` (`this_process()`, and which of its workspaces) alive: on this machine, a process of
    that id and start time exists; on another, it said it was busy less than `DEAD_SECONDS` ago."""
    host, pid, start = process.split(":")[:3]
    if host != machine():
        return now - beat < DEAD_SECONDS
    ticks = _start_ticks(int(pid))
    if ticks is not None or Path("/proc/self/stat").exists():
        return ticks == start
    try:  # no /proc: the process id alone
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True


class Store:
    """Where the rows live. A PostgreSQL catalog: the table `cx_lake_presence` in the catalog database (through
    `con`, a connection with the lake attached). A SQLite catalog (one machine): a SQLite file of its own beside the
    catalog (`<catalog>.presence`), written with a busy timeout — in the catalog file itself, every beat would take
    the catalog's one write lock, and a DuckLake statement that meets it fails at once ("database is locked")."""

    def __init__(self, con, sqlite_file: Path | None = None, schema: str | None = None):
        self.con, self.schema = con, schema
        self.file = None if sqlite_file is None else sqlite_file.with_name(sqlite_file.name + ".presence")
        self.table = TABLE if self.file else f"{lake.metadata(schema)}.{TABLE}"

    def run(self, sql: str, params: tuple = (), *more: tuple[str, tuple]) -> list:
        """`sql` (`{table}` standing for the table, `?` for the parameters), and the statements `more` ((sql,
        params) each) after it, in one transaction of their own; the rows of the last."""
        statements = [(sql, params), *more]
        if self.file is not None:
            con = sqlite3.connect(self.file, timeout=60)
            try:  # seen by the other processes without a flush to disk: a power cut ends every writer anyway
                con.execute("pragma synchronous = off")
                with con:
                    for text, values in statements:
                        rows = con.execute(text.replace("{table}", self.table), values).fetchall()
                    return rows
            finally:
                con.close()
        cur = self.con.cursor()
        try:
            if more:
                cur.begin()
            for text, values in statements:
                rows = cur.execute(self.inline(text, values)).fetchall()
            if more:
                cur.commit()
            return rows
        finally:
            cur.close()

    def inline(self, sql: str, params: tuple) -> str:
        """`sql` with its parameters written in as literals: a bound parameter makes DuckDB 1.5 import pandas, and
        the first row is written on the opening path."""
        sql = sql.replace("{table}", self.table)
        for value in params:
            sql = sql.replace(
                "?", "null" if value is None else literal(value) if isinstance(value, str) else repr(value), 1
            )
        return sql

    def put(self, process: str, busy: float | None) -> None:
        """The row of `process` (written whole: another process may have taken it for a dead one's and deleted it)."""
        self.run(
            "delete from {table} where process = ?",
            (process,),
            ("insert into {table} values (?, ?, ?)", (process, busy, time.time())),
        )

    def ensure_table(self) -> None:
        """Create the table if it is not there (two processes at once: one makes it)."""
        if self.file is not None:
            self.file.parent.mkdir(parents=True, exist_ok=True)
            self.run("pragma journal_mode=wal")
        try:
            self.run("create table if not exists {table} (process varchar, busy_since double, beat double)")
        except (duckdb.Error, sqlite3.Error):
            self.run("select count(*) from {table} where false")  # made by the other one, else raises


class Presence:
    """The row of one `Workspace` on a lake (a process may hold several, each with cursors of its own: closing one
    removes its row alone): `enter()` when a cursor opens, `leave(token)` when it closes; a thread writes the beats
    while cursors are open. `root`: the workspace's root connection (its catalog database attached by DuckLake)."""

    def __init__(self, root, sqlite_file: Path | None = None, schema: str | None = None):
        self.store = Store(root, sqlite_file, schema)
        self.process = f"{this_process()}:{uuid.uuid4().hex[:12]}"  # `alive` reads the process, the rest names the row
        self.lock = threading.Lock()
        self.open: dict[int, float] = {}
        self.said: float | None = None  # the busy_since the row holds (None: idle)
        self.beater: threading.Thread | None = None
        self.closed = False
        self.next = 0
        self.store.ensure_table()
        self.store.put(self.process, None)

    def _write(self, busy: float | None) -> None:
        self.store.put(self.process, busy)
        self.said = busy

    def enter(self) -> int:
        """A cursor opens: said busy (before the cursor is used) when the row says idle."""
        with self.lock:
            self.next += 1
            token, started = self.next, time.time()
            self.open[token] = started
            if self.said is None and not self.closed:
                lake.retrying(lambda: self._write(started), race=lambda e: "locked" in str(e).lower())
            if self.beater is None or not self.beater.is_alive():
                self.beater = threading.Thread(target=self._beat, name="cx-lake-presence", daemon=True)
                self.beater.start()
        return token

    def leave(self, token: int) -> None:
        with self.lock:
            self.open.pop(token, None)

    def _beat(self) -> None:
        """Every `BEAT_SECONDS`: the oldest cursor still open and the time (busy), or idle once; ends when idle."""
        while True:
            time.sleep(BEAT_SECONDS)
            with self.lock:
                if self.closed:
                    return
                busy = min(self.open.values()) if self.open else None
                try:
                    self._write(busy)
                except (duckdb.Error, sqlite3.Error) as e:  # a catalog busy a moment: said at the next beat
                    log.info("lake presence not written (%s)", e)
                    continue
                if busy is None:
                    self.beater = None
                    return

    def close(self) -> None:
        """The workspace closes: its row goes (a process killed leaves it, recognised as dead by `alive`)."""
        with self.lock:
            self.closed = True
            try:
                self.store.run("delete from {table} where process = ?", (self.process,))
            except (duckdb.Error, sqlite3.Error) as e:
                log.info("lake presence not removed (%s)", e)


def horizon(store: Store) -> float:
    """The time (epoch seconds) before which no live process of the lake wrote a file it has not committed: the
    earliest `busy_since` of the live processes (now when none is busy), less `MARGIN_SECONDS`. The rows of dead
    processes are deleted, idle ones too (a row per workspace: the workspaces a process never closed leave theirs; an
    idle process of another machine taken for dead writes its row again when it becomes busy)."""
    now = time.time()
    earliest = now
    for process, busy_since, beat in store.run("select process, busy_since, beat from {table}"):
        if not alive(process, beat, now):
            store.run("delete from {table} where process = ?", (process,))
        elif busy_since is not None:
            earliest = min(earliest, busy_since)
    return earliest - MARGIN_SECONDS


def erase_orphans(cur, sqlite_file: Path | None = None, schema: str | None = None) -> lake.Orphans:
    """An erasure's last step: delete the lake's orphan files that no live writer can own (those last modified before
    `horizon`), unless the data folder is not the lake's alone or lies in object storage (then none; `kept` says
    why). `cur` in autocommit: the listing's snapshot is taken after the rows are read."""
    skipped = lake.orphans_skipped(cur, schema)
    if skipped:
        return lake.Orphans((), (), skipped)
    store = Store(cur, sqlite_file, schema)
    store.ensure_table()  # a lake no process of this release has opened yet
    return lake.delete_orphans(cur, horizon(store), schema)


def maintenance_horizon(cur, sqlite_file: Path | None, schema: str | None, hours: float) -> tuple[float, str | None]:
    """The time before which `lake maintain` takes a file no snapshot names for a killed import's: `hours` ago (no
    import lasts that long) and, when the presence rows can be read, no later than the live processes' `horizon`
    (an import busy for longer keeps its files). Routine maintenance waits the hours even though the rows could tell
    sooner: a client that keeps no presence row (a replica of a release before them, a notebook) may be writing
    files now, and a day's orphans cost only disk. `hours` = 0: the rows alone, as an erasure (which cannot wait);
    `lake.ORPHAN_HOURS` when they cannot be read.
    The second value is the error that kept the rows from being read (None when they were)."""
    hours_ago = time.time() - hours * 3600
    try:
        return min(hours_ago, horizon(Store(cur, sqlite_file, schema))), None
    except (duckdb.Error, sqlite3.Error) as e:  # `hours` = 0 trusted the rows: without them, the default wait
        return time.time() - (hours or lake.ORPHAN_HOURS) * 3600, str(e)

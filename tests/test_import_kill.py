"""A process killed (kill -9) at any moment of an import leaves the workspace whole: the earlier data is
intact, the import is either complete or absent (never a history line without its rows, never rows
without their history line), and the same file can be imported again afterwards."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest

from cx.ingest import import_file
from cx.workspace import Workspace
from tests.conftest import ROOT, write

ROWS = 80_000


@pytest.fixture(scope="module")
def big_events(tmp_path_factory):
    """An events export big enough that the import takes a while (about a second here)."""
    folder = tmp_path_factory.mktemp("big")
    path = folder / "big_events.csv"
    with path.open("w") as f:
        f.write("event_time,visitor_id,event_name,page,email\n")
        for i in range(ROWS):
            f.write(
                f"2024-03-{1 + i % 28:02d} {i % 24:02d}:{i % 60:02d}:00,v{i % 5000},page_view,/p{i % 97},"
                f"person{i % 5000}@example.com\n"
            )
    return path


def _seeded(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    import_file(
        ws,
        write(
            tmp_path,
            "before.csv",
            "order_id,customer_id,order_date,total\nA1,C1,2024-01-03,10\nA2,C2,2024-01-04,20,5\n",
        ),
    )
    ws.close()
    return db


def _state(db):
    ws = Workspace(db)
    try:
        with ws.cursor() as cur:
            imports = cur.execute(
                "select import_id, kind, rows_loaded, rows_rejected from imports order by import_id"
            ).fetchall()
            orders = cur.execute("select order_id, customer_id, amount from orders order by 1").fetchall()
            events = cur.execute("select import_id, count(*) from events group by 1").fetchall()
            rejects = cur.execute("select import_id, count(*) from rejects group by 1 order by 1").fetchall()
            claims = cur.execute("select import_id from import_claims order by 1").fetchall()
    finally:
        ws.close()
    return imports, orders, dict(events), rejects, claims


@pytest.mark.file_only("kills a child process importing into the file")
@pytest.mark.parametrize("delay", [0.5, 1.5, 3.0])
def test_kill_9_at_any_moment_of_an_import_leaves_the_workspace_whole(tmp_path, big_events, delay):
    db = _seeded(tmp_path)
    before = _state(db)
    proc = subprocess.Popen(
        [sys.executable, "-m", "cx", "import", str(big_events), "--db", str(db), "--json"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    time.sleep(delay)
    finished = proc.poll() is not None
    if not finished:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)

    imports, orders, events, rejects, claims = _state(db)
    assert imports[0] == before[0][0] and orders == before[1] and rejects[:1] == before[3][:1]  # earlier data intact
    if len(imports) == 1:  # killed before the commit: nothing of it is left
        assert events == {} and claims == before[4]
    else:  # the import committed: all of it is there
        assert len(imports) == 2 and imports[1][1] == "events"
        assert imports[1][2] == ROWS and events == {imports[1][0]: ROWS}

    # the workspace works, and the file can be imported (again, if it had landed) afterwards
    ws = Workspace(db)
    try:
        report = import_file(ws, big_events, on_duplicate="replace" if len(imports) == 2 else "skip")
        with ws.cursor() as cur:
            assert cur.execute("select count(*) from events").fetchone()[0] == ROWS
        assert report.rows_loaded == ROWS
    finally:
        ws.close()
    assert not list(tmp_path.glob("*.rewrite")) and not list(tmp_path.glob("*.old"))

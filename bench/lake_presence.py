"""What the lake's presence rows and the erasure's orphan pass cost (cx/lake_presence.py, docs/SCALING.md).

    python bench/lake_presence.py [--imports 20] [--postgres "host=… port=… user=…"]

On a fresh SQLite lake (and a PostgreSQL one when given): the first cursor after an idle spell (it writes the
presence row), a burst of 200 cursors (one write at most), and an erasure of one import among `--imports` with and without the
orphan pass (alternated, 3 runs each). Wall and CPU (user + sys) seconds of this process; the machine may be shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cx import lake, lake_presence
from cx.ingest import erase_import, import_file
from cx.workspace import Workspace


def clock():
    t = os.times()
    return time.perf_counter(), t.user + t.system


def since(start):
    wall, cpu = clock()
    return wall - start[0], cpu - start[1]


def events_csv(folder: Path, n: int) -> Path:
    path = folder / f"e{n}.csv"
    rows = "".join(f"2025-03-0{1 + i % 5} 10:0{i % 10},v{n}_{i},page_view\n" for i in range(50))
    path.write_text("event_time,visitor_id,event_name\n" + rows)
    return path


def measure(name: str, the_lake: lake.Lake, imports: int, folder: Path) -> None:
    ws = Workspace(lake=the_lake)
    try:
        ids = [import_file(ws, events_csv(folder, n)).import_id for n in range(imports)]
        first = []  # the first cursor after an idle spell writes the presence row before it is used
        for _ in range(4):
            time.sleep(lake_presence.BEAT_SECONDS + 1.5)  # the row said idle meanwhile
            start = clock()
            with ws.cursor():
                pass
            first.append(since(start))
        start = clock()
        for _ in range(200):
            with ws.cursor():
                pass
        burst = since(start)
        with_pass, without = [], []
        real = lake_presence.erase_orphans
        for i, victim in enumerate(ids[:6]):
            skip = i % 2 == 1
            if skip:
                lake_presence.erase_orphans = lambda *a, **k: lake.Orphans((), ())
            start = clock()
            erase_import(ws, victim)
            (without if skip else with_pass).append(since(start))
            lake_presence.erase_orphans = real
        print(
            f"{name}: first cursor after idle (presence written) median {statistics.median(w for w, _ in first) * 1000:.1f}"
            f" ms wall ({statistics.median(c for _, c in first) * 1000:.1f} ms CPU); 200 cursors {burst[0]:.2f} s wall "
            f"{burst[1]:.2f} s CPU; erasure with the orphan pass {fmt(with_pass)}, without {fmt(without)}"
        )
    finally:
        ws.close()


def fmt(runs) -> str:
    return "wall " + "/".join(f"{w:.2f}" for w, _ in runs) + " s, CPU " + "/".join(f"{c:.2f}" for _, c in runs) + " s"


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("--imports", type=int, default=20)
    p.add_argument("--postgres", help="a PostgreSQL server (libpq words) for a lake with a PostgreSQL catalog")
    args = p.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["CX_KEY_FILE"] = str(folder / "lake.key")
        measure(
            "sqlite", lake.Lake(f"ducklake:sqlite:{folder / 'c.sqlite'}", f"{folder / 'data'}/"), args.imports, folder
        )
        if args.postgres:
            schema = f"bench_{uuid.uuid4().hex[:8]}"
            measure(
                "postgres",
                lake.Lake(f"ducklake:postgres:{args.postgres} dbname=postgres", f"{folder / 'pgdata'}/", schema),
                args.imports,
                folder,
            )


if __name__ == "__main__":
    main()

"""Erasing one person: how long looking them up (`find_person`, the Data page's "Find" and `forget --dry-run`) and
erasing them (`forget_person`: the deletes, then the file's rewrite) take, in CPU seconds of this process.

    python bench/forget.py                 # sample data, then + a GA4-like events CSV of 1M rows
    python bench/forget.py --rows 0        # the sample data only

The person is the sample customer with the most web events. Results go to stdout as JSON; docs/ERASURE.md quotes
them.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from cx.demo import load_demo
from cx.ingest import import_file
from cx.ingest.forget import find_person, forget_person
from cx.workspace import Workspace


def _cpu() -> float:
    return time.process_time()


def _measure(ws: Workspace) -> dict:
    with ws.cursor() as cur:
        busiest = (
            "select customer_id from events where customer_id is not null group by 1 order by count(*) desc limit 1"
        )
        person = cur.execute(busiest).fetchall()[0][0]
    started = _cpu()
    look = find_person(ws, person, "customer_id")
    find_s = _cpu() - started
    started = _cpu()
    done = forget_person(ws, person, "customer_id")
    return {
        "rows": done.total,
        "find_cpu_s": round(find_s, 2),
        "forget_cpu_s": round(_cpu() - started, 2),
        "rewrite_wall_s": round(done.seconds, 2),
        "mb_before": round(done.bytes_before / 1e6, 1),
        "mb_after": round(done.bytes_after / 1e6, 1),
        "same_counts": look.rows == done.rows,
    }


def run(rows: int) -> dict:
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="forget-", dir=out))
    results = {}
    try:
        ws = Workspace(folder / "demo" / "w.duckdb")
        load_demo(ws)
        results["sample data"] = _measure(ws)
        ws.close()
        if rows:
            from bench.ingest import generate_csv

            ws = Workspace(folder / "big" / "w.duckdb")
            load_demo(ws)
            import_file(ws, generate_csv(rows))
            results[f"sample data + {rows:,} events"] = _measure(ws)
            ws.close()
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="events in the big workspace (0: skip it)")
    print(json.dumps(run(ap.parse_args().rows), indent=1))


if __name__ == "__main__":
    main()

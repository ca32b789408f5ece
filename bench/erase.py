"""Erasure benchmark: how long deleting an import takes now that it rewrites the workspace file.

    python bench/erase.py                 # sample data, then + a GA4-like events CSV of 1M rows
    python bench/erase.py --rows 5000000

Builds workspaces in a temp folder under bench/out/: (1) the sample data (`cx demo`) plus a small canary
import; (2) the same plus `--rows` events (bench/ingest.py's generator). In each, it erases the small
import (the common case: the whole file is copied for a few rows) and then, in (2), the big one; it
reports the time of the delete and of the rewrite, the file sizes, and checks the canary's bytes are gone.
Results go to stdout as JSON; docs/ERASURE.md quotes them.
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
from cx.ingest import erase_import, import_file
from cx.workspace import Workspace

CANARY = "canary.zz91@example.com"


def _canary_file(folder: Path) -> Path:
    path = folder / "canary.csv"
    path.write_text(f"customer_id,email,name\nZ1,{CANARY},Zoltan Canaryson\n")
    return path


def _erase(ws: Workspace, import_id: int) -> dict:
    started = time.perf_counter()
    doc = erase_import(ws, import_id)
    return {
        "import_id": import_id,
        "total_s": round(time.perf_counter() - started, 3),
        "rewrite_s": doc["seconds"],
        "mb_before": round(doc["bytes_before"] / 1e6, 1),
        "mb_after": round(doc["bytes_after"] / 1e6, 1),
        "rows": sum(doc["rows"].values()),
    }


def _no_canary(db: Path) -> bool:
    return not any(CANARY.encode() in p.read_bytes() for p in db.parent.iterdir() if p.is_file())


def run(rows: int) -> dict:
    out = ROOT / "bench" / "out"
    out.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix="erase-", dir=out))
    results = {}
    try:
        ws = Workspace(folder / "demo" / "w.duckdb")
        load_demo(ws)
        canary = import_file(ws, _canary_file(folder), pseudonymise=False).import_id
        results["sample data, erase a 1-row import"] = _erase(ws, canary)
        ws.close()
        results["sample data, erase a 1-row import"]["canary_gone"] = _no_canary(folder / "demo" / "w.duckdb")
        if rows:
            from bench.ingest import generate_csv

            csv = generate_csv(rows)
            ws = Workspace(folder / "big" / "w.duckdb")
            load_demo(ws)
            started = time.perf_counter()
            big = import_file(ws, csv).import_id
            load_s = time.perf_counter() - started
            canary = import_file(ws, _canary_file(folder), pseudonymise=False).import_id
            key = f"sample data + {rows:,} events"
            results[f"{key}, erase a 1-row import"] = {**_erase(ws, canary), "import_of_big_s": round(load_s, 1)}
            results[f"{key}, erase the {rows:,}-row import"] = _erase(ws, big)
            ws.close()
            results[f"{key}, erase a 1-row import"]["canary_gone"] = _no_canary(folder / "big" / "w.duckdb")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return results


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=1_000_000, help="events in the big workspace (0: skip it)")
    args = ap.parse_args()
    print(json.dumps(run(args.rows), indent=1))


if __name__ == "__main__":
    main()

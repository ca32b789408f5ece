"""The built-in sample data: realistic exports written by `sample_data/generate.py`."""
from __future__ import annotations

from pathlib import Path

from .errors import CxError
from .ingest import import_file
from .models import ImportReport
from .workspace import ROOT, Workspace

SAMPLE_DIR = ROOT / "sample_data"
DEMO_FILES = ("events_ga4.csv", "clients_crm.csv", "commandes.xlsx", "tickets_support.csv",
              "enquete_satisfaction.xlsx")


def load_demo(ws: Workspace, folder: Path = SAMPLE_DIR, progress=None) -> list[ImportReport]:
    """Import every sample file (already imported ones are skipped); `progress(i, n, name)` is called
    before each file."""
    missing = [name for name in DEMO_FILES if not (folder / name).is_file()]
    if missing:
        raise CxError(f"the sample data is missing ({', '.join(missing)})",
                      fix="run `python sample_data/generate.py` to write it")
    reports = []
    for i, name in enumerate(DEMO_FILES):
        if progress:
            progress(i, len(DEMO_FILES), name)
        reports.append(import_file(ws, folder / name, is_demo=True))
    return reports


def has_demo_data(ws: Workspace) -> bool:
    with ws.cursor() as cur:
        return bool(cur.execute("select count(*) from imports where is_demo").fetchall()[0][0])


def remove_demo(ws: Workspace) -> int:
    """Delete every demo import (for "use my own data"); returns how many imports were deleted."""
    from .ingest import delete_import
    with ws.cursor() as cur:
        ids = [r[0] for r in cur.execute("select import_id from imports where is_demo").fetchall()]
    for import_id in ids:
        delete_import(ws, import_id)
    return len(ids)

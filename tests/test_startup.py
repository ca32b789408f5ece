"""`python -m cx tables` needs neither pandas nor the analyses: their imports are most of a command's start-up
(issue 14's target is under 0.4 s; docs/BENCHMARKS.md measures it). DuckDB 1.5's client imports pandas at the first
bound parameter, so the queries every opening runs are written without one."""

import os
import subprocess
import sys

from cx.workspace import Workspace
from tests.conftest import ROOT, workspace_env, write

PROBE = """
import runpy, sys
sys.argv = ["cx", "tables"]
try:
    runpy.run_module("cx", run_name="__main__")
except SystemExit:
    pass
print("heavy:", sorted(m for m in ("pandas", "sklearn", "scipy", "altair") if m in sys.modules))
"""


def test_tables_imports_no_pandas(tmp_path):
    from cx.ingest import import_file

    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-02,10\n"))
    ws.close()
    done = subprocess.run(
        [sys.executable, "-c", PROBE],
        cwd=ROOT,
        env={**os.environ, **workspace_env(db)},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert "Commandes" in done.stdout
    assert "heavy: []" in done.stdout, done.stdout + done.stderr

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


PAGES_PROBE = """
import ast, sys

def imports_of(script):  # run a script's top-level imports, as Streamlit does when it runs the page
    for node in ast.parse(open(script).read()).body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            exec(compile(ast.Module([node], []), script, "exec"), {})

imports_of("app.py")
print("app:", sorted(m for m in ("cx.ingest", "cx.report", "scipy", "fpdf") if m in sys.modules))
for page in sys.argv[1:]:
    imports_of(f"views/{page}.py")
print("pages:", sorted(m for m in ("scipy", "fpdf", "cx.report") if m in sys.modules))
"""


def _loaded(*pages: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PAGES_PROBE, *pages], cwd=ROOT, capture_output=True, text=True, timeout=120, check=True
    )
    return done.stdout


def test_a_page_on_stored_results_imports_no_statistics_nor_pdf_writer():
    # issue 14: the pages read the findings from the stored results; SciPy (the friction tests) and fpdf (the PDF
    # report) cost ~0.2 and ~0.3 s of CPU to import, the importers ~0.1 s: loaded when a computation, a PDF or an
    # import needs them, not on each app start nor on the first view of the Overview, Frictions or Maturity pages
    # (the Frictions page borrows cx.report.document's tables, not its PDF writer)
    assert _loaded("overview", "friction", "maturity").splitlines() == ["app: []", "pages: ['cx.report']"]
    # the Report page builds its report on a click: its first view imports none of the report's modules
    assert _loaded("report").splitlines() == ["app: []", "pages: []"]

"""issue 14: `streamlit run app.py` starts app.py's `st.App`, whose start imports what the pages import before any
visitor comes (cx/ui/startup.py), so the first visitor's script run does not pay ~1 CPU-s of imports."""

import logging
import os
import subprocess
import sys

from cx.ui.startup import import_pages, page_imports
from tests.conftest import ROOT, workspace_env

SERVER_START = """
import asyncio, gc, sys, threading
import streamlit as st
import app  # what `streamlit run app.py` imports to find its server: no script run, no page drawn
assert isinstance(app.app, st.App)
assert not any(m in sys.modules for m in ("pandas", "pyarrow", "cx.charts_funnel")), "imported before the start"

async def start():
    async with app.warm_up(app.app):
        pass

asyncio.run(start())
for thread in threading.enumerate():
    if thread.name.startswith("warm up"):
        thread.join(120)
print("warm:", sorted(m for m in ("pandas", "altair", "pyarrow", "cx.charts_funnel", "cx.ingest") if m in sys.modules))
print("heavy:", sorted(m for m in ("scipy", "fpdf", "sklearn") if m in sys.modules))
print("frozen:", gc.get_freeze_count() > 100_000)  # the modules' objects, out of the collections after each run
"""


def test_streamlit_run_app_py_starts_its_st_app():
    from streamlit.web.server.app_discovery import discover_asgi_app

    found = discover_asgi_app(ROOT / "app.py")
    assert found.is_asgi_app and found.import_string == "app:app"


def test_the_server_start_imports_what_the_pages_import(tmp_path):
    env = {**os.environ, **workspace_env(tmp_path / "w.duckdb")}  # should a script run by mistake, not in data/
    done = subprocess.run(
        [sys.executable, "-c", SERVER_START],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    # pandas, Altair and PyArrow for every page, the Funnel page's charts (`from cx import charts_funnel`: a
    # submodule), the Data page's importers; never what only a computation, a PDF or the personas need
    assert done.stdout.splitlines() == [
        "warm: ['altair', 'cx.charts_funnel', 'cx.ingest', 'pandas', 'pyarrow']",
        "heavy: []",
        "frozen: True",
    ], done.stdout + done.stderr


def test_page_imports_reads_the_top_level_imports_of_app_py_and_the_views(tmp_path):
    (tmp_path / "views").mkdir()
    (tmp_path / "app.py").write_text("import json\nprint('not run')\n")
    (tmp_path / "views" / "b.py").write_text("from os import path\n\ndef f():\n    import csv\n")
    (tmp_path / "views" / "a.py").write_text("import string as s, textwrap\nx = 1\n")
    found = [(script.name, type(node).__name__) for script, node in page_imports(tmp_path)]
    # app.py first, then the pages by name; an import inside a function is the page's own business
    assert found == [("app.py", "Import"), ("a.py", "Import"), ("b.py", "ImportFrom")]


def test_import_pages_imports_submodules_and_logs_what_fails(tmp_path, monkeypatch, caplog):
    (tmp_path / "views").mkdir()
    (tmp_path / "warmpkg").mkdir()
    (tmp_path / "warmpkg" / "__init__.py").write_text("")
    (tmp_path / "warmpkg" / "sub.py").write_text("VALUE = 1\n")
    (tmp_path / "app.py").write_text("import no_such_module_for_the_test\n")
    (tmp_path / "views" / "page.py").write_text("from warmpkg import sub\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.delitem(sys.modules, "warmpkg", raising=False)
    monkeypatch.delitem(sys.modules, "warmpkg.sub", raising=False)
    with caplog.at_level(logging.WARNING, logger="cx.ui.startup"):
        import_pages(tmp_path)  # the missing module does not stop the others
    assert "warmpkg.sub" in sys.modules
    assert "app.py: importing import no_such_module_for_the_test failed" in caplog.text
    sys.modules.pop("warmpkg.sub")
    sys.modules.pop("warmpkg")

"""Start the real app (`streamlit run app.py`) on a free port and drive it in headless Chromium."""

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
# the documentation's screenshots are refreshed only on request (CX_REFRESH_SCREENSHOTS=1); a test run writes
# its screenshots outside the tracked files
SCREENSHOTS = (
    ROOT / "docs" / "screenshots"
    if os.environ.get("CX_REFRESH_SCREENSHOTS")
    else Path(tempfile.gettempdir()) / "parcours-screenshots"
)
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        if os.environ.get("CX_REQUIRE_BROWSER"):
            pytest.fail("chromium is required here (CX_REQUIRE_BROWSER): apt-get install chromium")
        pytest.skip("no /usr/bin/chromium; .ci/run installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def start_app(tmp_path):
    """start_app(db_path) → (base URL of a running app on that workspace, stop()); stopped after the test
    anyway. Stop it before opening the workspace from the test: DuckDB lets one process hold the file."""
    procs = []

    def stop() -> None:
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
                proc.wait(timeout=20)

    def start(db: Path):
        port = _free_port()
        env = {**os.environ, "CX_DB": str(db)}
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                "app.py",
                "--server.headless",
                "true",
                "--server.port",
                str(port),
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.STDOUT,
        )
        procs.append(proc)
        for _ in range(240):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1)
                return f"http://127.0.0.1:{port}", stop
            except OSError:
                time.sleep(0.25)
        raise RuntimeError("the app did not start")

    yield start
    stop()


def wait_idle(page, timeout=60000):
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(300)
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=timeout)
    page.wait_for_timeout(300)


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / name
    page.screenshot(path=str(path), full_page=True)
    return path


def open_data_page_with_files(browser, start_app, tmp_path, sources: list[Path]):
    """A workspace with one order (so the app does not load the sample data), the app started on it, its Data page
    in English with `sources` dropped at once: (page, base URL, stop, workspace path)."""
    from cx.ingest import import_file
    from cx.workspace import Workspace
    from tests.conftest import write

    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    import_file(ws, write(tmp_path, "seed.csv", "order_id,customer_id,order_date,total\nA1,C001,2024-01-03,10\n"))
    ws.close()
    paths = []
    for source in sources:
        shutil.copy(source, tmp_path / source.name)
        paths.append(str(tmp_path / source.name))
    base, stop = start_app(db)
    page = browser.new_page(viewport={"width": 1400, "height": 1100})
    page.goto(f"{base}/data?lang=en", timeout=60000)
    page.get_by_text("Drop one or more export files").wait_for(timeout=60000)
    wait_idle(page)
    page.locator('input[type="file"]').set_input_files(paths)
    return page, base, stop, db

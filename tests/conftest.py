import os
import sys
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parent.parent

# Real exports found in public repositories (tests/exports/real/README.md): not committed (third-party data).
# Read from $CX_REAL_EXPORTS, else ../shared/real_exports beside the checkout (where sessions keep them), else
# tests/exports/real/; a test whose file is absent skips, saying so.
REAL_EXPORTS = Path(
    os.environ.get("CX_REAL_EXPORTS")
    or next((p for p in (ROOT.parent / "shared" / "real_exports",) if p.is_dir()), ROOT / "tests" / "exports" / "real")
)
sys.path.insert(0, str(ROOT))

from cx.models import Filters
from cx.workspace import Workspace


@pytest.fixture
def ws(tmp_path):
    w = Workspace(tmp_path / "w.duckdb")
    yield w
    w.close()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def run_view(view: str, db, monkeypatch, filters=Filters(), lang="en") -> AppTest:
    """Run one page of `views/` on its own (AppTest), on the workspace `db`, with the filters app.py would set."""
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / f"{view}.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["filters"] = filters
    return at.run()

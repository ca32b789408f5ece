"""The opt-in timing log of the app's runs (cx/timing.py, `CX_TIMING_LOG`): what bench/pages.py reads to tell the
script's seconds from the browser's. Off by default."""

from streamlit.testing.v1 import AppTest

from bench.pages import read_log
from cx.ingest import import_file
from cx.timing import RunTimer
from cx.workspace import Workspace
from tests.conftest import ROOT, write


def test_without_the_variable_nothing_is_written(tmp_path):
    timer = RunTimer(None)
    timer.mark("page_began")
    timer.end("home")
    assert list(tmp_path.iterdir()) == []


def test_a_timer_writes_one_line_per_run_with_its_phases(tmp_path):
    log = tmp_path / "runs.log"
    for page in ("home", "report"):
        timer = RunTimer(str(log))
        timer.mark("page_began")
        timer.end(page)
    lines = read_log(log)
    assert [line["page"] for line in lines] == ["home", "report"]
    assert all(0 <= line["page_began"] <= line["wall"] and line["cpu"] >= 0 and line["began"] > 0 for line in lines)


def test_the_app_logs_each_run_when_asked(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)  # one order: the app does not load the sample data
    import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C001,2024-01-03,10\n"))
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.setenv("CX_TIMING_LOG", str(tmp_path / "runs.log"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception
    (line,) = read_log(tmp_path / "runs.log")
    assert line["page"] == "home"  # the default page (the Overview)
    assert 0 < line["page_began"] <= line["wall"]
    assert read_log(tmp_path / "none.log") == []

"""AppTest of the Rapport / Report page: build for the filters in force, both downloads, the demo tour."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from cx.ingest import import_file
from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT, run_view, write
from tests.test_report import make


@pytest.fixture
def db(tmp_path):
    make(tmp_path).close()
    return tmp_path / "w.duckdb"


def run(db, monkeypatch, filters=Filters(), lang="en"):
    return run_view("report", db, monkeypatch, filters, lang)


def with_demo(db) -> None:
    """A demo import beside the data (the demo tour is offered only while the demo is loaded)."""
    ws = Workspace(db)
    import_file(
        ws,
        write(db.parent, "demo.csv", "order_id,customer_id,order_date,total\nD1,DEMO1,2025-01-03,10\n"),
        is_demo=True,
    )
    ws.close()


def test_the_demo_tour_is_offered_only_with_the_demo(db, monkeypatch):
    at = run(db, monkeypatch)
    assert not at.exception and not at.tabs and not any(s.value.startswith("Demo mode") for s in at.subheader)
    with_demo(db)
    at = run(db, monkeypatch)
    assert not at.exception and len(at.tabs) == 6  # the demo tour: six steps


def test_the_summary_says_the_report_holds_the_top_findings_of_all(db, monkeypatch):
    # 7 open findings (the one planted, seven times over): the report holds the top 5 and says of how many
    from cx.report import gather

    monkeypatch.setattr(gather, "apply_statuses", lambda findings, statuses: list(findings) * 7)
    at = run(db, monkeypatch)
    at.button(key="report_build").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("Top findings: 5 of 7 · 0 personas")
    assert "Top findings: 5 of 7; the Frictions page lists them all." in at.session_state["report_files"]["html"]
    at = run(db, monkeypatch, lang="fr")
    at.button(key="report_build").click().run()
    assert at.success[0].value.startswith("Principaux constats : 5 sur 7 · 0 persona ·")  # French: 0 in the singular


def test_build_then_download(db, monkeypatch):
    at = run(db, monkeypatch)
    assert not at.exception and not at.error
    assert not at.get("download_button")  # nothing to download before it is built
    at.button(key="report_build").click().run()
    assert not at.exception and not at.error
    assert "1 finding · 0 personas · NPS +40.0" in at.success[0].value  # English: 1 singular, 0 plural
    files = at.session_state["report_files"]
    assert files["html"].startswith("<!DOCTYPE html>") and files["pdf"].startswith(b"%PDF-")
    assert len(at.get("download_button")) == 2


def test_filters_and_french(db, monkeypatch):
    filters = Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 5), device="desktop")
    at = run(db, monkeypatch, filters, lang="fr")
    assert any("01/03/2025 → 05/03/2025" in c.value and "desktop" in c.value for c in at.caption)  # French dates
    at.button(key="report_build").click().run()
    assert not at.exception
    assert at.success[0].value.startswith("0 constat · 0 persona · NPS")  # French: 0 in the singular
    assert "Aucune réponse NPS" in at.session_state["report_files"]["html"]


def test_through_the_app_the_tour_links_to_the_pages(db, monkeypatch):
    with_demo(db)
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/report.py").run()
    assert not at.exception and not at.error
    links = [el for el in at.main.get("page_link")]  # the sidebar has a link of its own
    assert len(links) == 6, links


def _sidebar_script():
    from cx.ui.report_button import report_sidebar_entry

    report_sidebar_entry()


def test_sidebar_entry_offers_the_built_report(db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_function(_sidebar_script, default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    assert not at.exception and not at.get("download_button")  # not built yet: a link (a caption outside the app)
    at = run(db, monkeypatch)
    at.button(key="report_build").click().run()
    files = at.session_state["report_files"]
    side = AppTest.from_function(_sidebar_script, default_timeout=60)
    side.session_state["lang"] = "en"
    side.session_state["filters"] = Filters()
    side.session_state["report_files"] = files
    side.run()
    assert not side.exception
    [button] = side.get("download_button")
    assert button.proto.label == "Report for these filters"


@pytest.mark.parametrize(
    "browser, setting, written",
    [
        # the reader's browser says its zone: New York, UTC−5 in winter, UTC−4 in summer
        ("America/New_York", None, r"\(America/New_York, UTC-[45]\)"),
        # none (or no zone's name): the workspace's, $CX_TIMEZONE; Kolkata is UTC+5:30 all year
        (None, "Asia/Kolkata", r"\(Asia/Kolkata, UTC\+5:30\)"),
        ("Mars/Olympus", "Asia/Kolkata", r"\(Asia/Kolkata, UTC\+5:30\)"),
        # nothing set: Europe/Paris, the workspace's default (UTC+1 in winter, UTC+2 in summer)
        (None, None, r"\(Europe/Paris, UTC\+[12]\)"),
    ],
)
def test_generated_on_is_the_readers_time_with_its_zone(db, monkeypatch, browser, setting, written):
    """Tester 6: "Généré le 07/12/2026 17:15" was the server's clock (UTC) for a reader in Paris at 18:15."""
    import re
    import zoneinfo

    from streamlit.runtime.context import ContextProxy

    monkeypatch.setattr(ContextProxy, "timezone", property(lambda self: browser))
    if setting:
        monkeypatch.setenv("CX_TIMEZONE", setting)
    else:
        monkeypatch.delenv("CX_TIMEZONE", raising=False)
    at = run(db, monkeypatch, lang="fr")
    at.button(key="report_build").click().run()
    assert not at.exception
    files = at.session_state["report_files"]
    line = re.search(r"Généré le (\d\d/\d\d/\d{4} \d\d:\d\d) (\([^)]*\)) par Parcours", files["html"])
    assert line and re.fullmatch(written, line.group(2)), line
    zone = zoneinfo.ZoneInfo(re.match(r"\(([^,)]*)", line.group(2)).group(1))
    shown = dt.datetime.strptime(line.group(1), "%d/%m/%Y %H:%M").replace(tzinfo=zone)
    assert abs(dt.datetime.now(dt.UTC) - shown) < dt.timedelta(minutes=5)  # the reader's clock, not the server's

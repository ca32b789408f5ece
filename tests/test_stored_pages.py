"""The pages read the stored results (issue 14): with the background run done, the Overview shows the findings
without running the analysis again — even in a freshly started app (nothing in Streamlit's memory cache)."""

import time

import pytest
from streamlit.testing.v1 import AppTest

import cx.friction
import cx.friction.run
from cx import results
from cx.filters import full_period
from cx.friction import find_friction
from cx.ingest import import_file
from cx.journey import stage_rules
from cx.ui import background
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.test_results import incident_csv


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    yield tmp_path / "w.duckdb"
    background.stop_all()


def run_app(lang="en"):
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    at.session_state["demo_checked"] = True
    return at.run()


def never_called(*args, **kwargs):
    raise AssertionError("the Overview computed the findings instead of reading the stored ones")


never_called.__module__, never_called.__qualname__ = find_friction.__module__, find_friction.__qualname__
never_called.__name__ = find_friction.__name__


@pytest.mark.parametrize(
    "lang, label, risk",
    [("en", "Funnel incident", "€4,200 at risk"), ("fr", "Incident dans le tunnel", "4\u202f200\u202f€ en jeu")],
)
def test_the_overview_shows_the_stored_findings_without_computing_them(db, tmp_path, monkeypatch, lang, label, risk):
    ws = Workspace(db)
    import_file(ws, incident_csv(tmp_path))
    run = background.ensure(ws)  # what app.py starts after an import
    assert run.wait(300) and run.complete, run.errors
    assert results.is_stored(ws, results.result_key(ws, find_friction, (full_period(ws),), {"with_status": False}))
    ws.close()
    monkeypatch.setattr(cx.friction, "find_friction", never_called)
    monkeypatch.setattr(cx.friction.run, "find_friction", never_called)
    at = run_app(lang)
    assert not at.exception, at.exception
    shown = " ".join(m.value for m in at.markdown)
    # the hand-made incident (tests/test_friction.py): (0.8 − 0.2) × 70 sessions × 100 € = 4 200 € at risk
    assert label in shown and risk in shown, shown


def test_the_overview_opens_at_once_while_the_background_run_computes_its_findings(db, tmp_path, monkeypatch):
    ws = Workspace(db)
    import_file(ws, incident_csv(tmp_path))
    stage_rules(ws)  # seeded now, so the run's versions are those the page reads
    calls = []

    def slow_friction(ws, *args, **kwargs):
        calls.append(args)
        time.sleep(2)  # the page arrives while it computes
        return find_friction(ws, *args, **kwargs)

    slow_friction.__module__, slow_friction.__qualname__ = find_friction.__module__, find_friction.__qualname__
    slow_friction.__name__ = find_friction.__name__
    monkeypatch.setattr(cx.friction, "find_friction", slow_friction)
    monkeypatch.setattr(cx.friction.run, "find_friction", slow_friction)
    f = full_period(ws)
    run = background.ensure(
        ws, jobs=lambda ws: [background.Job("findings", slow_friction, lambda ws: ((f,), {"with_status": False}), f)]
    )
    at = run_app()
    assert not at.exception, at.exception
    # the page did not wait: the findings are still being computed, a progress bar says so
    assert not run.finished and "Funnel incident" not in " ".join(m.value for m in at.markdown)
    assert any("Preparing in the background: friction findings" in bar.proto.text for bar in at.get("progress"))
    assert run.wait(60) and not run.errors
    at.run()  # what the progress fragment does once the result is stored: the page again
    assert not at.exception, at.exception
    assert len(calls) == 1  # computed once, by the background run; the page read it
    assert "Funnel incident" in " ".join(m.value for m in at.markdown)
    ws.close()


def test_the_progress_line_says_what_is_prepared_and_no_count_before_the_jobs_are_known():
    from types import SimpleNamespace

    from cx.ui.cache import progress_text

    assert progress_text(SimpleNamespace(total=0, current=None, done=0), "results.sidebar") == (
        "Préparation des analyses…"
    )  # not "démarrage (0 sur 0)"
    running = SimpleNamespace(total=7, current="findings", done=1)
    assert progress_text(running, "results.sidebar") == "Analyses en préparation : frictions (2 sur 7)"

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


@pytest.fixture(scope="module")
def stored_demo(tmp_path_factory):
    """The demo workspace once the background run has stored its results (what a restarted app finds)."""
    from cx.demo import load_demo

    path = tmp_path_factory.mktemp("stored") / "demo.duckdb"
    ws = Workspace(path)
    load_demo(ws)
    run = background.ensure(ws)
    assert run.wait(600) and run.complete and not run.errors, run.errors
    ws.close()
    background.stop_all()
    return path


def _first_view_analyses():
    """(module, name) of every analysis the Overview, Journey, Retention and Voice first views call through the
    cache: where the views import them from and where the cache looks them up (`function.__module__`)."""
    import cx.cohorts
    import cx.filters
    import cx.journey
    import cx.journey.kpis
    import cx.journey.stages
    import cx.money
    import cx.satisfaction
    import cx.text

    names = {
        cx.journey: ("find_stage_kpis", "find_touchpoints", "assign_stages"),
        cx.journey.kpis: ("find_stage_kpis",),
        cx.journey.stages: ("find_touchpoints", "assign_stages"),
        cx.cohorts: ("find_cohorts", "find_retention"),
        cx.satisfaction: ("summarise", "count_answers", "group_stats", "breakdown", "nps_trend", "find_drivers"),
        cx.text: ("find_themes", "comment_languages", "find_quotes"),
        cx.money: ("scope_currency",),
        cx.friction: ("find_friction",),
        cx.friction.run: ("find_friction",),
        cx.filters: ("filter_options",),  # the sidebar's
    }
    return [(module, name) for module, each in names.items() for name in each]


def _computing(function, calls: list):
    def computed(*args, **kwargs):
        calls.append(function.__name__)
        return function(*args, **kwargs)

    computed.__module__, computed.__qualname__ = function.__module__, function.__qualname__
    computed.__name__ = function.__name__
    return computed


@pytest.mark.parametrize("page", ["overview", "journey", "retention", "voice"])
def test_the_first_views_read_what_the_background_run_stored_without_computing_it(
    stored_demo, tmp_path, monkeypatch, page
):
    # issue 14: the Journey, Retention and Voice first views (and every page's currency) are stored by the background
    # run too; the page asks for the very keys the run stored: the sidebar's untouched filters are the full period
    from tests.conftest import copy_workspace

    db = copy_workspace(stored_demo, tmp_path / "w.duckdb")
    monkeypatch.setenv("CX_DB", str(db))
    calls = []
    for module, name in _first_view_analyses():
        monkeypatch.setattr(module, name, _computing(getattr(module, name), calls))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    if page != "overview":
        at.switch_page(f"views/{page}.py")
    at.run()
    assert not at.exception, at.exception
    assert calls == []  # every analysis of the first view was read from the workspace
    if page == "overview":
        assert "Funnel incident" in " ".join(m.value for m in at.markdown)  # the stored findings, drawn
    else:  # the page's figures are drawn from them
        assert len(at.metric) >= 4, [m.label for m in at.metric]

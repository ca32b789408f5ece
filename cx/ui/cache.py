"""Cached analyses: `analysis(find_kpis, filters, …)` runs `find_kpis(ws, filters, …)` once per data version
(imports added or deleted), settings version (stage rules, theme keywords, thresholds… edited), filters and
arguments, and shares the result between sessions.

The heavy ones (`background.STORED`: findings, personas, maturity, the funnels) are also stored in the workspace
(cx/results.py), so a restarted app and the command line read them; when the background run (cx/ui/background.py)
is computing the very call a page makes, the page shows its progress and waits for it instead of computing it a
second time."""

from __future__ import annotations

import importlib

import streamlit as st

from .. import results
from . import background, tr, workspace

POLL = 0.25  # seconds between two looks at the background run's progress


@st.cache_data(show_spinner=False, max_entries=256)
def _cached_call(module: str, name: str, db_path: str, version: tuple, args: tuple, kwargs: tuple):
    function = getattr(importlib.import_module(module), name)
    if f"{module}.{name}" in background.STORED:
        return results.stored_call(workspace(), function, *args, **dict(kwargs))
    # on a lake, run again when another replica's erasure deleted a file under its reads (results.reading)
    return results.computed(workspace(), function, *args, **dict(kwargs))


def analysis(function, *args, **kwargs):
    """Call a pure `cx` function `function(ws, *args, **kwargs)` through the cache: computed again when the data
    or a setting users edit (`Workspace.settings_version`) changes."""
    ws = workspace()
    wait_for(function, *args, **kwargs)
    return _cached_call(
        function.__module__, function.__name__, str(ws.path), results.versions(ws), args, tuple(sorted(kwargs.items()))
    )


def uncached(function, *args, **kwargs):
    """`function(ws, *args, **kwargs)` now, not cached (the import history, an import's rejected rows: what must show
    the latest write at once), run again on a lake when another replica's erasure deleted a file under its reads
    (`results.computed`)."""
    return results.computed(workspace(), function, *args, **kwargs)


def pending(function, *args, **kwargs):
    """The background run that is computing this call (or will: same analysis, same first argument) when its result
    is not stored yet; None when the page may compute or read it now (`analysis`)."""
    name = results.analysis_name(function)
    if name not in background.STORED:
        return None
    ws = workspace()
    run = background.current(ws)
    first = args[0] if args else None
    if (
        run is None
        or not run.busy_with(name, first, kwargs, args)
        or results.is_stored(ws, results.result_key(ws, function, args, kwargs))
    ):
        return None
    return run


def draw_when_ready(draw, function, *args, **kwargs) -> None:
    """`draw(analysis(function, *args, **kwargs))` at once when the result is stored or nobody computes it; while
    the background run computes it, a progress bar instead, and the page is drawn again when it is stored: the
    rest of the page does not wait for it (the Overview opens at once, its findings come when ready)."""
    run = pending(function, *args, **kwargs)
    if run is None:
        draw(analysis(function, *args, **kwargs))
        return
    name = results.analysis_name(function)
    run.prioritise(name, args[0] if args else None, kwargs, args)
    _progress_until_ready(run, name, args[0] if args else None, kwargs, args)


@st.fragment(run_every=1.0)
def _progress_until_ready(run, name: str, first, kwargs: dict, args: tuple = ()) -> None:
    if run.busy_with(name, first, kwargs, args):
        st.progress(run.fraction(), text=progress_text(run, "results.waiting"))
        return
    st.rerun()  # stored (or the run stopped): the whole page again, which now draws it


def wait_for(function, *args, **kwargs) -> bool:
    """When the background run is computing this call and its result is not stored yet: wait for it, with a
    progress bar. True when it waited: arguments read from the workspace before (the personas' key) may have
    changed meanwhile. When the run has only queued it (same analysis, same first argument), the page takes it over
    (`Run.claim`) and computes it now, beside the job under way, rather than wait for that job to end first: on
    two cores the page's own work then ends sooner, and it is still computed once."""
    run = pending(function, *args, **kwargs)
    if run is None:
        return False
    name = results.analysis_name(function)
    first = args[0] if args else None
    if run.claim(name, first, kwargs, args):
        return False  # the page computes it (analysis() stores it), the run leaves it out
    wait_for_background(run, name, first, kwargs, args)
    return True


def wait_for_background(run, name: str, first=None, kwargs: dict | None = None, args: tuple | None = None) -> None:
    """While the background `run` computes `name` (first argument `first`, positional arguments `args` when given)
    or the jobs before it: a progress bar saying what it is computing, in the UI's language; returns when that
    job is done (or the run stopped)."""
    box = st.empty()
    while run.busy_with(name, first, kwargs, args):
        box.progress(run.fraction(), text=progress_text(run, "results.waiting"))
        run.wait(POLL)
    box.empty()


def progress_text(run, key: str) -> str:
    """`key` ("results.waiting", "results.sidebar") with the job being computed and its rank, in the UI's language;
    "Preparing the analyses…" while the run does not know its jobs yet."""
    if not run.total:
        return tr("results.starting")
    job = tr(f"results.job.{run.current}") if run.current else tr("results.job.start")
    return tr(key, job=job, done=min(run.done + 1, run.total), total=run.total)


def start_background():
    """Start the background computation of the first views' results when the workspace's data or settings
    changed since the last one (`background.ensure`); returns the run. Called by app.py on every run."""
    return background.ensure(workspace())


def background_progress() -> None:
    """A line in the sidebar while the background run computes (refreshed every second by a fragment)."""
    run = background.current(workspace())
    if run is None or run.finished:
        return
    _progress_line()


@st.fragment(run_every=1.0)
def _progress_line() -> None:
    run = background.current(workspace())
    if run is None or run.finished:
        return
    st.caption(progress_text(run, "results.sidebar"))

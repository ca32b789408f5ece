"""The heavy analyses of the pages' first views, computed in the background and stored (cx/results.py), so that
the Overview opens at once after an import or a restart (issue 14). No Streamlit here: `app.py` calls `ensure`
on every run, `cx.ui.cache.analysis` asks `current(ws)` whether what it needs is being computed and waits for it
with a progress bar instead of computing it a second time.

One run per workspace file and versions (data version, settings version): `ensure` starts one when the versions
changed (an import, an erasure, a setting edited) and none ran for them, never two at once on one workspace (a
new run waits for the run it replaces to end its current job). A run computes, for the filters of a first visit
(`full_period`): the friction findings first (the Overview, the first page a user sees; the Frictions and
Maturity pages), the Funnel page's default funnel (its step options, steps, and the funnel with the drop-off paths of
every step, a few seconds), the personas (storing their membership changes the persona settings, which only the personas' own
results read: `results.settings_read`), the maturity measures and the Personas page's funnel; then the
Journey's, the Retention's and (with survey answers) the Voice page's first views, the sidebar's filter options
and the pages' currency coming right after the findings. Each through
`results.stored_call`: a result stored already is read, not computed. A page that needs a job the run has not
started yet takes it over (`claim`) and computes it beside the job under way instead of waiting for that job; a
part of a page drawn when ready (the Overview's findings, `cx.ui.cache.draw_when_ready`) moves its job to the
front instead (`prioritise`) and shows progress meanwhile.

The thread takes its own cursors (`ws.cursor()`, so an erasure, which takes the workspace exclusively, waits for
the one it holds and keeps it from taking another), checks between jobs whether it was asked to stop (`stop`,
`stop_all` at exit, or replaced by a run of newer versions), and never raises: an error is logged and the job
is skipped, the page then computes that result itself.
"""

from __future__ import annotations

import atexit
import importlib
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass

from .. import results
from ..errors import CxError
from ..models import Filters
from ..workspace import Workspace

log = logging.getLogger(__name__)
PASSES = 2  # over the jobs, when a job changed a setting and made results stored before it stale
# the Funnel page's choices on a first visit; its drop-off paths come with the counts (`Funnel.paths`)
DEFAULT_FUNNEL = {"window": "7d", "mode": "ordered", "by": None, "paths": True}


@dataclass(frozen=True)
class Job:
    """One analysis call: `label` names it in the progress text (`results.job.<label>`); `arguments(ws)` gives its
    (args, kwargs) when it runs (they may depend on what the jobs before stored, e.g. the default funnel's steps
    or the personas' key); `first` is its first argument as known at the start, to tell a page whether it is
    the call the page is about to make."""

    label: str
    function: Callable
    arguments: Callable[[Workspace], tuple[tuple, dict]]
    first: object = None
    kwargs: dict | None = None  # its keyword arguments when known at the start (None: any)

    def is_call(self, analysis: str, first=None, kwargs: dict | None = None) -> bool:
        """Whether a page's call `analysis(ws, first, …, **kwargs)` is this job's (kwargs None: not compared)."""
        return (
            self.analysis == analysis
            and self.first == first
            and (self.kwargs is None or kwargs is None or self.kwargs == kwargs)
        )

    @property
    def analysis(self) -> str:
        return results.analysis_name(self.function)


class Lazy:
    """The analysis `module.name`, imported when first called: a run knows its jobs at once, so a page asking
    whether the run will compute its call does not wait for the imports (scikit-learn for the personas takes
    seconds). Named like the function itself (`results.analysis_name`), so its results are the function's."""

    def __init__(self, module: str, name: str):
        self.__module__, self.__qualname__, self.__name__ = module, name, name

    def __call__(self, *args, **kwargs):
        return getattr(importlib.import_module(self.__module__), self.__name__)(*args, **kwargs)


find_friction = Lazy("cx.friction.run", "find_friction")
list_step_options = Lazy("cx.funnel", "list_step_options")
propose_funnel = Lazy("cx.funnel", "propose_funnel")
find_funnel = Lazy("cx.funnel", "find_funnel")
find_personas = Lazy("cx.personas.cards", "find_personas")
measure_maturity = Lazy("cx.maturity", "measure_maturity")
persona_funnel = Lazy("cx.personas.conversion", "persona_funnel")
personas_key = Lazy("cx.personas.membership", "personas_key")
find_stage_kpis = Lazy("cx.journey.kpis", "find_stage_kpis")
find_touchpoints = Lazy("cx.journey.stages", "find_touchpoints")
assign_stages = Lazy("cx.journey.stages", "assign_stages")
find_cohorts = Lazy("cx.cohorts", "find_cohorts")
find_retention = Lazy("cx.cohorts", "find_retention")
summarise = Lazy("cx.satisfaction", "summarise")
count_answers = Lazy("cx.satisfaction", "count_answers")
group_stats = Lazy("cx.satisfaction", "group_stats")
breakdown = Lazy("cx.satisfaction", "breakdown")
nps_trend = Lazy("cx.satisfaction", "nps_trend")
trend_period = Lazy("cx.satisfaction", "trend_period")
find_drivers = Lazy("cx.satisfaction", "find_drivers")
find_themes = Lazy("cx.text", "find_themes")
comment_languages = Lazy("cx.text", "comment_languages")
find_quotes = Lazy("cx.text", "find_quotes")
scope_currency = Lazy("cx.money", "scope_currency")
filter_options = Lazy("cx.filters", "filter_options")
#: the first view's choices of the Retention page (views/retention.py: its widgets' defaults) and of the Voice page
COHORTS = {"period": "month", "mode": "on"}  # by_first: "activity" when there are events, else "purchase"
RETENTION = {"active_days": 180, "lifespan_years": None}  # cx.cohorts.DEFAULT_ACTIVE_DAYS, no lifespan set by hand
VOICE_BY = "touchpoint"  # the first breakdown of cx.satisfaction.DIMENSIONS; the trend's step: trend_period


def _rules(ws: Workspace) -> dict:
    """The Journey page's `rules=` argument: the stored stage rules' key (views/journey.py)."""
    from ..journey import rules_key, stage_rules

    return {"rules": rules_key(stage_rules(ws))}


def _keywords(ws: Workspace) -> tuple:
    """The Voice page's `extra_keywords=` argument: the theme keywords users added (views/voice.py)."""
    from ..text import user_keywords

    return user_keywords(ws)


def _cohorts(ws: Workspace) -> dict:
    return {**COHORTS, "by_first": "activity" if ws.table_counts()["events"] else "purchase"}


def _journey_scope(ws: Workspace, f: Filters) -> Filters:
    """The filters of the Journey page's currency: its period and the previous one (views/journey.py)."""
    from ..journey import journey_periods
    from ..money import with_previous_period

    return with_previous_period(f, journey_periods(ws, f))


def _currency(ws: Workspace) -> dict:
    from ..money import default_currency

    return {"default": default_currency()}


def default_jobs(ws: Workspace, filters: Filters | None = None) -> list[Job]:
    """What the pages compute on a first visit, in the order they are computed (see the module's docstring). The
    analyses are imported when their job runs, in the run's thread (`Lazy`), not when app.py imports this module
    nor when the run lists its jobs: a page's first view does not pay for them."""
    from ..filters import full_period

    def steps(ws: Workspace) -> tuple:
        return tuple(results.stored_call(ws, propose_funnel))

    f = filters or full_period(ws)
    if f.start is None:  # an empty workspace: nothing to compute
        return []
    everything = Filters()  # the Overview's currency: every row, whatever its day (views/overview.py)
    # without a survey answer the Voice page says so after four queries of milliseconds: storing its nine
    # analyses would only make the run longer (each stored result costs its versions' reads and a write)
    voice = ws is None or ws.table_counts()["responses"] > 0
    jobs = [
        Job("findings", find_friction, lambda ws: ((f,), {"with_status": False}), f, {"with_status": False}),
        Job("filters", filter_options, lambda ws: ((), {}), None, {}),  # the sidebar of every analysis page
        Job("overview", scope_currency, lambda ws: ((everything,), _currency(ws)), everything),
        # the heavy ones first, as before the first views of Journey, Retention and Voice were stored: a page opened
        # meanwhile computes its own (cheaper) analyses itself, rather than wait behind them
        Job("funnel", list_step_options, lambda ws: ((f,), {}), f, {}),
        Job("funnel", propose_funnel, lambda ws: ((), {}), None, {}),
        Job("funnel", find_funnel, lambda ws: ((f, steps(ws)), DEFAULT_FUNNEL), f, DEFAULT_FUNNEL),
        Job("personas", find_personas, lambda ws: ((f,), {"key": personas_key(ws)}), f),
        Job("maturity", measure_maturity, lambda ws: ((f,), {}), f),
        Job("personas", persona_funnel, lambda ws: ((f, steps(ws)), {"key": personas_key(ws)}), f),
        Job("journey", find_stage_kpis, lambda ws: ((f,), _rules(ws)), f),
        Job("journey", find_touchpoints, lambda ws: ((f,), _rules(ws)), f),
        Job("journey", assign_stages, lambda ws: ((f,), _rules(ws)), f),
        # its first argument is known once the periods are read: a page computes it rather than wait for it
        Job("journey", scope_currency, lambda ws: ((_journey_scope(ws, f),), _currency(ws))),
        Job("retention", find_cohorts, lambda ws: ((f,), _cohorts(ws)), f),
        Job("retention", find_retention, lambda ws: ((f,), RETENTION), f, RETENTION),
        Job("retention", scope_currency, lambda ws: ((f,), _currency(ws)), f),
    ]
    voice_jobs = [
        Job("voice", summarise, lambda ws: ((f,), {}), f, {}),
        Job("voice", find_themes, lambda ws: ((f,), {"extra_keywords": _keywords(ws)}), f),
        Job("voice", comment_languages, lambda ws: ((f,), {}), f, {}),
        Job("voice", count_answers, lambda ws: ((f,), {}), f, {}),
        Job("voice", group_stats, lambda ws: ((f, ("everyone",)), {}), f, {}),
        Job("voice", breakdown, lambda ws: ((f, VOICE_BY), {}), f, {}),
        Job("voice", trend_period, lambda ws: ((f,), {}), f, {}),  # the page's default step, read, not computed
        Job("voice", nps_trend, lambda ws: ((f, results.stored_call(ws, trend_period, f)), {}), f, {}),
        Job(
            "voice", find_quotes, lambda ws: ((f,), {"theme": None, "search": None, "extra_keywords": _keywords(ws)}), f
        ),
        Job("voice", find_drivers, lambda ws: ((f,), {}), f, {}),
    ]
    return [*jobs, *(voice_jobs if voice else [])]


STORED = frozenset(
    {
        "cx.personas.cards.find_personas",
        "cx.friction.run.find_friction",
        "cx.maturity.measure_maturity",
        "cx.funnel.list_step_options",
        "cx.funnel.propose_funnel",
        "cx.funnel.find_funnel",
        "cx.personas.conversion.persona_funnel",
        "cx.journey.kpis.find_stage_kpis",
        "cx.journey.stages.find_touchpoints",
        "cx.journey.stages.assign_stages",
        "cx.cohorts.find_cohorts",
        "cx.cohorts.find_retention",
        "cx.satisfaction.summarise",
        "cx.satisfaction.count_answers",
        "cx.satisfaction.group_stats",
        "cx.satisfaction.breakdown",
        "cx.satisfaction.nps_trend",
        "cx.satisfaction.trend_period",
        "cx.satisfaction.find_drivers",
        "cx.text.find_themes",
        "cx.text.comment_languages",
        "cx.text.find_quotes",
        "cx.money.scope_currency",
        "cx.filters.filter_options",
    }
)
"""The analyses (module.function) whose results `cx.ui.cache.analysis` keeps in the workspace (any arguments), not
only in memory: those of `default_jobs` (tests/test_results.py checks the names)."""


class Run:
    """One background computation for one workspace and its versions `now` (results.versions): the jobs
    `make_jobs(ws)` gives (built in the run's thread: importing the analyses is part of the run)."""

    def __init__(
        self,
        ws: Workspace,
        now: tuple[str, str],
        make_jobs: Callable[[Workspace], list[Job]],
        after: Run | None = None,
        attempt: int = 1,
    ):
        self.ws, self.versions, self.attempt = ws, now, attempt
        self.jobs: list[Job] = []
        self.done = 0  # jobs finished (stored, found stored, skipped or failed)
        self.current: str | None = None  # label of the job being computed
        self.errors: list[str] = []  # "label: error" of the jobs that failed
        self.stored = 0  # jobs whose result is stored for the run's versions at the end
        self._make_jobs, self._after = make_jobs, after
        self._pending: list[Job] = []  # the jobs of this pass not finished yet (the one computing included)
        # (analysis, first argument, keyword arguments, positional arguments) a page waits for: taken first
        self._urgent: list[tuple[str, object, dict | None, tuple | None]] = []
        self._queue: list[Job] = []  # the jobs of this pass not started yet
        self._claimed: list[Job] = []  # jobs a page took over (`claim`): it computes and stores them itself
        self._arguments: dict[int, tuple] = {}  # id(job) → its positional arguments, built once (`same_arguments`)
        self._lock = threading.Lock()  # the queue, between the run's thread and the pages' (`_take`, `claim`)
        self._ready = threading.Event()  # the jobs are known
        self._stop = threading.Event()
        self._finished = threading.Event()
        self.thread = threading.Thread(target=self._run, name="parcours-results", daemon=True)

    @property
    def total(self) -> int:
        return len(self.jobs)

    @property
    def finished(self) -> bool:
        return self._finished.is_set()

    @property
    def complete(self) -> bool:
        """Every job's result is stored (for the versions the run ended with)."""
        return self.finished and self.stored == self.total

    def start(self) -> Run:
        self.thread.start()
        return self

    def stop(self) -> None:
        """Ask the run to stop after the job it is computing (a DuckDB query is not cut short)."""
        self._stop.set()

    def wait(self, timeout: float | None = None) -> bool:
        """Wait until the run has ended (True) or `timeout` seconds have passed (False)."""
        return self._finished.wait(timeout)

    def fraction(self) -> float:
        return self.done / self.total if self.total else 1.0

    def busy_with(self, analysis: str, first=None, kwargs: dict | None = None, args: tuple | None = None) -> bool:
        """Whether `analysis` called with first argument `first` (and keyword arguments `kwargs`, when given and
        the job knows its own; and positional arguments `args`, when given: `same_arguments`) is among the jobs
        not finished yet."""
        self._ready.wait(READY_TIMEOUT)
        if self.finished or self._stop.is_set():
            return False
        return any(
            job.is_call(analysis, first, kwargs) and self.same_arguments(job, args) for job in list(self._pending)
        )

    def same_arguments(self, job: Job, args: tuple | None) -> bool:
        """Whether a page's positional arguments `args` are the job's (`job.arguments(ws)`, as the job would call
        its analysis now): a funnel of edited steps with the default window and mode is not the default funnel.
        True when `args` is None or holds only the first argument (`is_call` compares that one): the jobs' other
        arguments are then not built, so asking about the findings or the personas imports nothing."""
        if args is None or len(args) <= 1:
            return True
        own = self._arguments.get(id(job))
        if own is None:  # built once per run: they hold for the versions the run computes
            try:
                own = tuple(job.arguments(self.ws)[0])
            except Exception:  # its arguments cannot be built now (no default funnel): not this call
                return False
            self._arguments[id(job)] = own
        return own == tuple(args)

    def prioritise(self, analysis: str, first=None, kwargs: dict | None = None, args: tuple | None = None) -> None:
        """A page waits for `analysis` (first argument `first`): compute it next, before the jobs queued ahead of it
        (the job under way is finished first: a DuckDB query is not cut short)."""
        if (analysis, first, kwargs, args) not in self._urgent:
            self._urgent.append((analysis, first, kwargs, args))

    def claim(self, analysis: str, first=None, kwargs: dict | None = None, args: tuple | None = None) -> bool:
        """A page needs `analysis` (first argument `first`, positional arguments `args` when given) and the run has
        not started it: the page takes it over (True) and computes it now, beside the job under way, instead of
        waiting for that job to end; the run leaves it out. False when the run is computing it (the page waits for
        it) or does not have it: another call of the same analysis (other steps) leaves the run's job queued."""
        with self._lock:
            queued = [job for job in self._queue if job.is_call(analysis, first, kwargs)]
        for job in queued:
            if not self.same_arguments(job, args):  # outside the lock: it may read the stored default steps
                continue
            with self._lock:
                if job not in self._queue:  # the run started it meanwhile: the page waits for it
                    return False
                self._queue.remove(job)
                self._claimed.append(job)
                if job in self._pending:
                    self._pending.remove(job)
                self.done = min(self.done + 1, self.total)
                return True
        return False

    def _take(self) -> Job | None:
        """The next job of the queue (removed from it): the first one a page asked for (`prioritise`), else the
        first one in order; None when the queue is empty."""
        with self._lock:
            urgent, queued = list(self._urgent), list(self._queue)
        for analysis, first, kwargs, args in urgent:
            for job in queued:  # the arguments compared outside the lock: building them may read stored results
                if job.is_call(analysis, first, kwargs) and self.same_arguments(job, args):
                    with self._lock:
                        if job in self._queue:  # not claimed by a page meanwhile
                            self._queue.remove(job)
                            return job
        with self._lock:
            return self._queue.pop(0) if self._queue else None

    def _run(self) -> None:
        try:
            try:
                self.jobs = list(self._make_jobs(self.ws))
                self._pending = list(self.jobs)
                with self._lock:  # queued as soon as known: a page that needs one now takes it over (`claim`)
                    self._queue = list(self.jobs)  # rather than wait for the jobs before it (the run's start included)
            finally:
                self._ready.set()
            if self._after is not None:  # the run this one replaces ends its current job first
                self._after.stop()
                self._after.wait()
                self._after = None
            if self.jobs:
                from ..journey import stage_rules

                stage_rules(self.ws)  # seeds the default stage rules on first use: a settings change, made first
            todo, stored = list(self.jobs), set()
            for _ in range(PASSES):
                failed, began = [], self.versions
                with self._lock:  # without the jobs pages took over meanwhile (they compute and store them)
                    self._queue = [job for job in todo if job not in self._claimed]
                while (job := self._take()) is not None:
                    if self._stop.is_set():
                        break
                    self.current = job.label
                    try:
                        if self._compute(job):
                            stored.add(id(job))
                    except CxError as e:  # the data cannot give it (no funnel of two steps…): the page says why
                        log.info("background analysis %s skipped: %s", job.analysis, e)
                        self.errors.append(f"{job.label}: {e}")
                        failed.append(job)
                    except Exception as e:  # never crash the app: the page computes it itself
                        log.exception("background analysis %s failed", job.analysis)
                        self.errors.append(f"{job.label}: {type(e).__name__}: {e}")
                        failed.append(job)
                    with self._lock:  # `claim` counts too, from a page's thread
                        self._pending.remove(job)
                        self.done = min(self.done + 1, self.total)
                if self._stop.is_set():
                    break
                if self.versions != began:
                    # a job changed a setting (a default seeded, the personas' membership): the results stored
                    # before it are stale; a second pass computes them again for the settings that follow
                    stored = {id(job) for job in self.jobs if self._is_stored(job)}
                todo = [
                    job for job in self.jobs if job not in failed and id(job) not in stored and job not in self._claimed
                ]
                if not todo:
                    break
                self._pending, self.done = list(todo), self.total - len(todo)
            # a claimed job counts once the page has stored it
            claimed = sum(1 for job in self._claimed if id(job) not in stored and self._is_stored(job))
            self.stored = 0 if self._stop.is_set() else len(stored) + claimed
        except Exception:  # e.g. the workspace closed under it
            log.exception("background analyses stopped")
        finally:
            self.current = None
            self._finished.set()

    def _is_stored(self, job: Job) -> bool:
        try:
            args, kwargs = job.arguments(self.ws)
            return results.is_stored(self.ws, results.result_key(self.ws, job.function, args, kwargs))
        except Exception:  # its arguments cannot be built now (e.g. no default funnel): computed again, or skipped
            return False

    def _compute(self, job: Job) -> bool:
        """Read or compute and store the job's result; once more when the computation itself changed the
        versions (the personas store their membership): a result is stored only for versions that did not change
        while it was computed. True when it is stored for the versions the run follows now."""
        for _ in range(2):
            now = results.versions(self.ws)
            if now[0] != self.versions[0]:  # the data changed: a new run takes over
                self.stop()
                return False
            if now != self.versions:  # a setting changed (by a job of this run, or a user): the next jobs follow it
                self._arguments.clear()  # and a page's call is compared with the arguments they take now
            self.versions = now
            args, kwargs = job.arguments(self.ws)
            key = results.result_key(self.ws, job.function, args, kwargs)  # the settings this analysis reads
            if results.is_stored(self.ws, key):
                return True
            results.stored_call(self.ws, job.function, *args, **kwargs)
            if results.result_key(self.ws, job.function, args, kwargs) == key:
                return results.is_stored(self.ws, key)
        return False


_RUNS: dict[str, Run] = {}  # workspace path → its latest run
_LOCK = threading.Lock()
READY_TIMEOUT = 120.0  # seconds a page waits for a run to know its jobs (importing the analyses)
MAX_ATTEMPTS = 2  # runs per versions when a run ended without storing everything (a setting changed meanwhile)


def ensure(
    ws: Workspace, now: tuple[str, str] | None = None, jobs: Callable[[Workspace], list[Job]] | None = None
) -> Run | None:
    """The run computing (or having computed) the results of the workspace's versions `now`; one is started
    when there is none for these versions. Cheap when one exists: call it on every page run."""
    now = now or results.versions(ws)
    with _LOCK:
        run = _RUNS.get(str(ws.path))
        if run is not None and not run.finished and run.versions[0] == now[0]:
            return run  # a run under way follows a settings change itself (its personas job makes one)
        if (
            run is not None
            and run.versions == now
            and not (run.finished and not run.complete and not run.errors and run.attempt < MAX_ATTEMPTS)
        ):
            return run
        attempt = run.attempt + 1 if run is not None and run.versions == now else 1
        run = Run(
            ws, now, jobs or default_jobs, after=run if run is not None and not run.finished else None, attempt=attempt
        )
        _RUNS[str(ws.path)] = run
        return run.start()


def current(ws: Workspace) -> Run | None:
    """The latest run on this workspace, if any."""
    return _RUNS.get(str(ws.path))


def wait_all(timeout: float = 300.0) -> bool:
    """Wait until every current run has ended (tests and benchmarks that read a page once its results are
    stored); True when they all did within `timeout` seconds each."""
    with _LOCK:
        runs = list(_RUNS.values())
    return all(run.wait(timeout) for run in runs)


def stop_all(timeout: float = 5.0) -> None:
    """Ask every run to stop and wait for each (at most `timeout` seconds each): at exit, and in tests."""
    with _LOCK:
        runs = list(_RUNS.values())
        _RUNS.clear()
    for run in runs:
        run.stop()
        run.wait(timeout)


atexit.register(stop_all)

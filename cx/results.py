"""Stored results of the heavy analyses (issue 14): a page, a restarted app and the command line read the result
of `find_friction(ws, filters, with_status=False)`, `find_personas`, `measure_maturity`, the default funnel… from
the workspace instead of computing it again.

One row of `analysis_results` (cx/sql/schema_v9.sql) per analysis and arguments, valid for one data version
(`Workspace.data_version`) and one settings version: the fingerprint of the settings tables that analysis reads
(`settings_read`: a friction status click does not make the funnels stale; an analysis not listed there reads
them all). A result is served only when both are those of the workspace now; writing one deletes the rows of
every other data version and the rows of the same analysis stored for other settings, so a stale row is never
served and the table holds at most one settings version per analysis and scope. A rewrite of the file (an erasure) deletes them all
(cx/sql/results_purge.sql), so no result derived from deleted data survives in the file.

The payload is a pickle (the results are frozen dataclasses holding DataFrames) signed with an HMAC-SHA256 of
a key derived from the workspace key (`Workspace.signing_key`), over the row's key text and the payload: a row
whose signature does not match (written by someone without the key file, or moved to another key) is refused,
never unpickled; the caller computes the result again.

On a lake, an erasure by another replica deletes the Parquet files that held the erased rows at once: a query of
this replica that started before may then fail on a `ducklake-….parquet` file that is no longer there. Every read
here, and the analysis itself (`computed`, which the pages' cache calls too), runs again when that happens
(`reading`: at most `READ_ATTEMPTS` times, on a lake only); run again, it reads the files in use now.

`stored_call(ws, function, *args, **kwargs)` is the one way in: read the stored result, else compute it and store
it, unless the data or the settings changed while it was computed (then it is returned but not stored: it may
be out of date already). No primary key (a DuckLake catalog refuses them): a writer deletes then inserts, in one
transaction; two writers of the same row at once conflict and the second one simply does not store.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import logging
import os
import pickle
import sys
import threading
import time
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import duckdb

from . import keys, lake
from .workspace import Workspace, run_sql

log = logging.getLogger(__name__)
PURPOSE = "analysis_results"
MISSING = object()  # what `load` returns when there is no usable stored result
#: how many times in all a read on a lake runs when it met a lake file another replica's erasure deleted under it
READ_ATTEMPTS = 4


def reading(ws: Workspace, work):
    """`work()`; on a lake, run again (after a short pause, at most `READ_ATTEMPTS` times in all) when it read a
    lake Parquet file that another replica's erasure deleted since the statement began (`lake.file_gone`): run
    again, it reads the files in use now. Any other error is raised at once; on a workspace file, run once. Nested
    in another `reading` (a stored call's key inside the call), it runs once: the outer one runs again."""
    if ws.lake is None or getattr(_READING, "depth", 0):  # inside another `reading`: the outermost runs again
        return work()
    _READING.depth = 1
    try:
        return lake.retrying(work, attempts=READ_ATTEMPTS, race=lake.file_gone)
    finally:
        _READING.depth = 0


_READING = threading.local()  # whether this thread is inside `reading` already (a file gone for good: 4 runs, not 4×4)


def computed(ws: Workspace, function, *args, **kwargs):
    """`function(ws, *args, **kwargs)`, the analysis run again on a lake when an erasure deleted a file under its
    reads (`reading`): what the pages' cache (cx/ui/cache.py) and `stored_call` call."""
    return reading(ws, lambda: function(ws, *args, **kwargs))


#: The settings tables (cx/sql/settings_version.sql) each stored analysis reads, besides `persona_members` when
#: one of its filters names a persona (`cx_customer_in_scope`) and `friction_status` when the findings carry their
#: statuses. An analysis not listed reads every settings table (the safe default). Checked by reading the code: the
#: findings read the theme keywords (comments), never the stored stage rules (they use DEFAULT_RULES); the
#: maturity measures read the stage rules (stage KPIs) and the theme keywords (comments), not the statuses, the
#: thresholds nor the workshops (`place_maturity` reads those, uncached); the funnels read no setting.
#: A new settings table that one of these analyses reads must be added to its entry (docs/ARCHITECTURE.md).
SETTINGS_READ: dict[str, tuple[str, ...]] = {
    "cx.friction.run.find_friction": ("theme_keywords",),
    "cx.maturity.measure_maturity": ("journey_stage_rules", "theme_keywords"),
    "cx.personas.cards.find_personas": ("persona_members", "persona_names", "theme_keywords"),
    "cx.personas.conversion.persona_funnel": ("persona_members", "persona_names"),
    "cx.funnel.list_step_options": (),
    "cx.funnel.propose_funnel": (),
    "cx.funnel.find_funnel": (),
    # the first views of Journey, Retention, Voice and the pages' currency (cx/ui/background.py): the stage analyses
    # read the stored stage rules (when not given theirs), the themes and quotes the theme keywords (when not given
    # theirs); the cohorts, the satisfaction figures, the comments' languages and the currency read no setting
    "cx.journey.kpis.find_stage_kpis": ("journey_stage_rules",),
    "cx.journey.stages.find_touchpoints": ("journey_stage_rules",),
    "cx.journey.stages.assign_stages": ("journey_stage_rules",),
    "cx.cohorts.find_cohorts": (),
    "cx.cohorts.find_retention": (),
    "cx.satisfaction.summarise": (),
    "cx.satisfaction.count_answers": (),
    "cx.satisfaction.group_stats": (),
    "cx.satisfaction.breakdown": (),
    "cx.satisfaction.nps_trend": (),
    "cx.satisfaction.find_drivers": (),
    "cx.text.find_themes": ("theme_keywords",),
    "cx.text.comment_languages": (),
    "cx.text.find_quotes": ("theme_keywords",),
    "cx.money.scope_currency": (),
    "cx.filters.filter_options": ("persona_members", "persona_names"),  # the personas offered, with their sizes
}


def settings_read(analysis: str, args: tuple = (), kwargs: dict | None = None) -> frozenset[str] | None:
    """The settings tables the call `analysis(ws, *args, **kwargs)` reads (None: all of them)."""
    if analysis not in SETTINGS_READ:
        return None
    kwargs = kwargs or {}
    tables = set(SETTINGS_READ[analysis])
    if analysis == "cx.friction.run.find_friction" and kwargs.get("with_status", args[2] if len(args) > 2 else True):
        tables.add("friction_status")
    if any(getattr(a, "persona", None) is not None for a in (*args, *kwargs.values())):
        tables.add("persona_members")
    return frozenset(tables)


@dataclass(frozen=True)
class ResultKey:
    """What a stored result answers: `analysis` (module.function) called with `args` (canonical text) on the data
    version and settings version (both as text); `tables`: the settings tables the settings version covers
    (None: all)."""

    analysis: str
    args: str
    data_version: str
    settings_version: str
    tables: frozenset[str] | None = None

    @property
    def args_key(self) -> str:
        return hashlib.sha256(self.args.encode("utf-8")).hexdigest()

    def text(self) -> str:
        """The text the signature covers with the payload: a signed payload cannot be moved to another key."""
        return f"{self.analysis}\x1f{self.args}\x1f{self.data_version}\x1f{self.settings_version}"


def analysis_name(function) -> str:
    """`module.function`, e.g. `cx.friction.run.find_friction`."""
    return f"{function.__module__}.{function.__qualname__}"


def canonical_args(args: tuple = (), kwargs: dict | None = None) -> str:
    """The arguments as text (`repr` of the positional ones and of the keyword ones sorted by name): the same
    call gives the same text in every process (Filters and dates have a stable repr)."""
    return repr((tuple(args), tuple(sorted((kwargs or {}).items()))))


def versions(ws: Workspace) -> tuple[str, str]:
    """(data version, settings version) as the text stored with a result."""

    def read():
        with ws.cursor() as cur:
            return versions_in(cur)

    return reading(ws, read)


#: the libraries whose output enters a stored result (queries, frames, clusters, the pickle itself): a result stored
#: under other versions of them is computed again, as one stored by other code
LIBRARIES = ("duckdb", "pandas", "numpy", "scikit-learn", "scipy", "pyarrow")
#: the code's files are looked at again at most this often: a release installed under a running app (its pages
#: reload the changed modules) is seen within seconds, without a look at every file on each of the ~6 version
#: reads of a stored call (~10 ms each)
CODE_CHECK_SECONDS = 2.0
CODE_ROOT = Path(__file__).resolve().parent
_CODE = {"checked": None, "stamp": None, "version": None}
_CODE_LOCK = threading.Lock()


def code_version() -> str:
    """A fingerprint of the code that computes the results (every .py, .sql and .json file of `cx`: queries,
    wording, lexicons) and of the versions of `LIBRARIES` and Python: a result stored by another release of
    Parcours, or under other libraries, is never served (its analyses may compute or word it differently). Each
    file's modification time and size are looked at again every `CODE_CHECK_SECONDS`; the files are read again
    when one changed (an upgrade under a running app: it kept the former fingerprint until a restart)."""
    with _CODE_LOCK:
        now = time.monotonic()
        if _CODE["checked"] is None or now - _CODE["checked"] >= CODE_CHECK_SECONDS:
            files = _code_files(CODE_ROOT)
            stamp = tuple((path, (st := path.stat()).st_mtime_ns, st.st_size) for path in files)
            if stamp != _CODE["stamp"]:
                _CODE["version"], _CODE["stamp"] = _fingerprint(CODE_ROOT, files), stamp
            _CODE["checked"] = now
        return _CODE["version"]


def _code_files(root: Path) -> list[Path]:
    return sorted(p for p in root.rglob("*") if p.suffix in (".py", ".sql", ".json") and p.is_file())


def _fingerprint(root: Path, files: list[Path]) -> str:
    digest = hashlib.sha256(repr((sys.version_info[:3], [_library(name) for name in LIBRARIES])).encode("utf-8"))
    for path in files:
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\x00" + path.read_bytes())
    return digest.hexdigest()[:16]


def _library(name: str) -> str | None:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return None


def versions_in(cur, tables: frozenset[str] | None = None) -> tuple[str, str]:
    """`versions` read on an open cursor (inside a transaction: the versions that transaction sees); the settings
    version is the sha256 of `Workspace.settings_version()`'s rows (of `tables` only, when given), of the code's
    fingerprint and of the default currency (`CX_CURRENCY`, which the findings' money falls back to), after the
    scope it covers ("all:", or the tables read, e.g. "theme_keywords:")."""
    from .attach import fingerprint  # (it imports the workspace)

    # what attached folders hold is data too: a day that lands (or a person erased at the source) is a new version
    data = repr(tuple(run_sql(cur, "data_version.sql", {}).fetchall()[0]) + fingerprint(cur))
    rows = run_sql(cur, "settings_version.sql", {"tables": None if tables is None else sorted(tables)}).fetchall()
    if tables is not None:  # the tables not read say 0, 0: left out
        rows = [row for row in rows if row[0] in tables]
    settings = repr((tuple(rows), code_version(), os.environ.get("CX_CURRENCY", "")))
    scope = "all" if tables is None else "+".join(sorted(tables)) or "none"
    return data, f"{scope}:{hashlib.sha256(settings.encode('utf-8')).hexdigest()}"


def result_key(ws: Workspace, function, args: tuple = (), kwargs: dict | None = None) -> ResultKey:
    """The key of `function(ws, *args, **kwargs)` for the workspace's versions now (the settings it reads)."""
    name = analysis_name(function)
    tables = settings_read(name, args, kwargs)

    def read():
        with ws.cursor() as cur:
            return versions_in(cur, tables)

    data, settings = reading(ws, read)
    return ResultKey(name, canonical_args(args, kwargs), data, settings, tables)


def sign(ws: Workspace, key: ResultKey, payload: bytes) -> str:
    """Hex HMAC-SHA256 of the key text and the payload, with the workspace's results key."""
    mac = hmac.new(ws.signing_key(PURPOSE), key.text().encode("utf-8") + b"\x00", hashlib.sha256)
    mac.update(payload)
    return mac.hexdigest()


def _params(key: ResultKey) -> dict:
    return {
        "analysis": key.analysis,
        "args_key": key.args_key,
        "args": key.args,
        "data_version": key.data_version,
        "settings_version": key.settings_version,
    }


def load(ws: Workspace, key: ResultKey):
    """The stored result of `key`, or `MISSING` (none, or one whose signature does not match: refused and
    logged, never unpickled)."""
    with ws.cursor() as cur:
        rows = run_sql(cur, "results_find.sql", _params(key)).fetchall()
    for payload, signature in rows:
        payload = bytes(payload)
        if not hmac.compare_digest(sign(ws, key, payload), str(signature)):
            log.warning("stored result of %s refused: its signature does not match (computed again)", key.analysis)
            continue
        try:
            return pickle.loads(payload)  # signed with the workspace key: checked above
        except Exception:  # a class renamed or a library's format changed since it was stored: compute it again
            log.warning("stored result of %s unreadable (computed again)", key.analysis, exc_info=True)
    return MISSING


def store(ws: Workspace, key: ResultKey, value, seconds: float = 0.0) -> bool:
    """Store `value` under `key`, deleting the rows of other versions and the former row of this key, in one
    transaction, only if the workspace's versions are still those of `key` (else a result of data or settings no
    longer there would be written). On a lake it takes the `results` turn (`keys.take_turn`): a store that saw the
    data an erasure deleted cannot commit after that erasure's purge of the results (it would stay, computed on
    erased data). False when not stored (versions changed, a concurrent writer, an erasure, an error)."""
    payload = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    params = {
        **_params(key),
        "computed_at": dt.datetime.now(),
        "seconds": float(seconds),
        "payload": payload,
        "signature": sign(ws, key, payload),
    }
    try:
        with ws.cursor() as cur:
            cur.begin()
            try:
                if ws.lake:  # a lake erasure's purge of the results, committed meanwhile, makes this store fail
                    keys.take_turn(cur, "results")
                if versions_in(cur, key.tables) != (key.data_version, key.settings_version):
                    cur.rollback()
                    return False
                run_sql(cur, "results_evict.sql", params)
                run_sql(cur, "results_store.sql", params)
                cur.commit()
            except BaseException:
                cur.rollback()
                raise
    except duckdb.Error as e:  # a concurrent writer of the same rows (TransactionException), a full disk…
        log.warning("result of %s not stored (%s: %s)", key.analysis, type(e).__name__, e)
        return False
    return True


def stored_call(ws: Workspace, function, *args, **kwargs):
    """`function(ws, *args, **kwargs)`: the stored result when there is one for the workspace's versions now,
    else computed and stored (unless the versions changed meanwhile: see `store`). On a lake, the whole call runs
    again when an erasure deleted a file under one of its reads (`reading`)."""
    return reading(ws, lambda: _stored_call(ws, function, *args, **kwargs))


def _stored_call(ws: Workspace, function, *args, **kwargs):
    key = result_key(ws, function, args, kwargs)
    value = load(ws, key)
    if value is not MISSING:
        return value
    started = time.perf_counter()
    value = function(ws, *args, **kwargs)
    store(ws, key, value, time.perf_counter() - started)  # only if the versions are still those of `key`
    return value


def is_stored(ws: Workspace, key: ResultKey) -> bool:
    """Whether a row exists for `key` (its signature is checked only when it is read)."""

    def read():
        with ws.cursor() as cur:
            return bool(run_sql(cur, "results_exists.sql", _params(key)).fetchall()[0][0])

    return reading(ws, read)


def stored_results(ws: Workspace):
    """What is stored (no payload): analysis, args, data_version, settings_version, computed_at, seconds, bytes."""
    with ws.cursor() as cur:
        return run_sql(cur, "results_list.sql", {}).df()

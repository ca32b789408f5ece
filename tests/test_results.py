"""Stored analysis results (issue 14, cx/results.py): round trip, versions, stale results never served, tampered
payloads refused, erasure, and the background run (cx/ui/background.py) that fills them."""

import datetime as dt
import threading
from pathlib import Path

import pandas as pd
import pytest

from cx import results
from cx.commands.findings import findings_doc
from cx.filters import full_period, within_data
from cx.friction import find_friction
from cx.ingest import erase_import, import_file
from cx.models import Filters
from cx.ui import background
from cx.workspace import Workspace
from tests.conftest import ON_LAKE, write
from tests.test_friction import _sessions

MARKER = "SECRET-RESULT-MARKER-7f3a"


def incident_csv(tmp_path):
    """The hand-made incident of tests/test_friction.py as an export: 40 days, mobile buys 2 of 10 sessions from
    2025-03-16 to 2025-03-22 instead of 8 of 10."""
    rows, k, start = [], 0, dt.date(2025, 3, 1)
    for d in range(40):
        day = start + dt.timedelta(days=d)
        rows += _sessions(day, "mobile", 10, 2 if 15 <= d <= 21 else 8, k)
        rows += _sessions(day, "desktop", 10, 8, k + 10)
        k += 20
    path = tmp_path / "events.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    return path


def orders(tmp_path, name="o.csv", n=3):
    return write(
        tmp_path,
        name,
        "order_id,customer_id,order_date,total\n"
        + "".join(f"{name}{i},C{i},2025-01-0{i + 1},{10 * (i + 1)}\n" for i in range(n)),
    )


class Counted:
    """A pure analysis that counts its calls: `(ws, x) -> {"x": x, "marker": MARKER, "frame": …}`."""

    def __init__(self):
        self.calls = 0

    def __call__(self, ws, x, factor=1):
        self.calls += 1
        return {"x": x * factor, "marker": MARKER, "frame": pd.DataFrame({"a": [1, 2], "b": ["p", "q"]})}


@pytest.fixture
def counted(monkeypatch):
    c = Counted()
    c.__module__, c.__qualname__ = "tests.test_results", "counted"
    return c


def _key(ws, function, *args, **kwargs):
    return results.result_key(ws, function, args, kwargs)


def test_round_trip_and_the_same_call_is_read_not_computed(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    first = results.stored_call(ws, counted, 3, factor=2)
    again = results.stored_call(ws, counted, 3, factor=2)
    assert counted.calls == 1
    assert again["x"] == 6 and again["marker"] == MARKER
    pd.testing.assert_frame_equal(again["frame"], first["frame"])
    # other arguments are another result
    assert results.stored_call(ws, counted, 3, factor=3)["x"] == 9 and counted.calls == 2
    stored = results.stored_results(ws)
    assert stored["analysis"].tolist() == ["tests.test_results.counted"] * 2
    assert sorted(stored["args"]) == ["((3,), (('factor', 2),))", "((3,), (('factor', 3),))"]


def test_the_table_has_no_primary_key_nor_sequence(ws):
    # a shared DuckLake catalog refuses them: writers delete then insert in one transaction
    with ws.cursor() as cur:
        constraints = cur.execute(
            "select constraint_type from duckdb_constraints() where table_name = 'analysis_results'"
        ).fetchall()
        sequences = cur.execute("select sequence_name from duckdb_sequences()").fetchall()
    assert not any(c[0] in ("PRIMARY KEY", "UNIQUE") for c in constraints)
    assert not any("result" in s[0] for s in sequences)


def test_a_new_import_makes_the_stored_result_stale_and_it_is_never_served(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    old = _key(ws, counted, 1)
    results.stored_call(ws, counted, 1)
    import_file(ws, orders(tmp_path, "p.csv"))  # data version changes
    new = _key(ws, counted, 1)
    assert new.data_version != old.data_version
    assert results.load(ws, new) is results.MISSING
    results.stored_call(ws, counted, 1)
    assert counted.calls == 2
    # writing the new one deleted the rows of the old version
    assert results.stored_results(ws)["data_version"].tolist() == [new.data_version]
    assert results.load(ws, old) is results.MISSING


def test_rows_stored_by_the_release_before_settings_scopes_go_at_the_next_store(ws, tmp_path, counted):
    # that release wrote the settings version as a bare sha256 (no "scope:"): such a row is never served again
    import_file(ws, orders(tmp_path))
    results.stored_call(ws, counted, 1)
    with ws.cursor() as cur:
        cur.execute(
            "insert into analysis_results select * replace ('0123abcd' as settings_version, 'old' as args_key) "
            "from analysis_results"
        )
        assert cur.execute("select count(*) from analysis_results").fetchall() == [(2,)]
    results.stored_call(ws, counted, 2)
    assert sorted(results.stored_results(ws)["args"]) == ["((1,), ())", "((2,), ())"]
    assert all(":" in v for v in results.stored_results(ws)["settings_version"])


def test_an_edited_setting_makes_the_stored_result_stale(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    results.stored_call(ws, counted, 1)
    with ws.cursor() as cur:  # a theme keyword added: the settings version changes
        cur.execute("insert into theme_keywords by name select 'prix' as theme, 'cher' as keyword")
    results.stored_call(ws, counted, 1)
    assert counted.calls == 2


def test_a_result_whose_versions_changed_while_it_was_computed_is_not_stored(ws, tmp_path):
    import_file(ws, orders(tmp_path))

    def imports_meanwhile(ws, x):
        import_file(ws, orders(tmp_path, "q.csv"))
        return x

    imports_meanwhile.__module__, imports_meanwhile.__qualname__ = "tests.test_results", "imports_meanwhile"
    assert results.stored_call(ws, imports_meanwhile, 5) == 5  # returned to the caller…
    assert results.stored_results(ws).empty  # …but not stored: it may already be out of date
    # and `store` refuses a key whose versions are no longer the workspace's
    key = _key(ws, imports_meanwhile, 5)
    import_file(ws, orders(tmp_path, "r.csv"))
    assert results.store(ws, key, 5) is False and results.stored_results(ws).empty


def test_a_tampered_payload_is_refused_and_computed_again(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    results.stored_call(ws, counted, 1)
    with ws.cursor() as cur:  # someone with write access to the file but not the key swaps the payload
        evil = __import__("pickle").dumps({"x": "evil"})
        cur.execute("update analysis_results set payload = $p", {"p": evil})
    assert results.load(ws, _key(ws, counted, 1)) is results.MISSING
    assert results.stored_call(ws, counted, 1)["x"] == 1 and counted.calls == 2


def test_a_signed_payload_that_no_longer_unpickles_is_computed_again(ws, tmp_path, counted):
    # stored by another release (a class renamed since): signed with the right key, yet unreadable
    import_file(ws, orders(tmp_path))
    results.stored_call(ws, counted, 1)
    key = _key(ws, counted, 1)
    broken = b"\x80\x05\x95\x1a\x00\x00\x00\x00\x00\x00\x00\x8c\x0ecx.gone_module\x94\x8c\x04Gone\x94\x93\x94."
    with ws.cursor() as cur:
        cur.execute(
            "update analysis_results set payload = $p, signature = $s",
            {"p": broken, "s": results.sign(ws, key, broken)},
        )
    assert results.load(ws, key) is results.MISSING
    assert results.stored_call(ws, counted, 1)["x"] == 1 and counted.calls == 2


def test_another_release_of_the_code_or_default_currency_never_reads_a_stored_result(
    ws, tmp_path, counted, monkeypatch
):
    import_file(ws, orders(tmp_path))
    results.stored_call(ws, counted, 1)
    monkeypatch.setenv("CX_CURRENCY", "USD")
    results.stored_call(ws, counted, 1)
    assert counted.calls == 2
    monkeypatch.delenv("CX_CURRENCY")
    monkeypatch.setattr(results, "code_version", lambda: "another-release")
    results.stored_call(ws, counted, 1)
    assert counted.calls == 3


def test_an_upgrade_under_a_running_app_recomputes_what_was_stored(ws, tmp_path, counted, monkeypatch):
    # a release installed while the app runs (its pages reload the changed modules): the stored result of the former
    # code was served until the data changed — the fingerprint was read once per process
    code = tmp_path / "code"
    (code / "friction").mkdir(parents=True)
    wording = code / "friction" / "wording.py"
    wording.write_text("FORMULA = 'gap × sessions'\n")
    monkeypatch.setattr(results, "CODE_ROOT", code)
    monkeypatch.setattr(results, "CODE_CHECK_SECONDS", 0.0)
    monkeypatch.setattr(results, "_CODE", {"checked": None, "stamp": None, "version": None})
    import_file(ws, orders(tmp_path))
    results.stored_call(ws, counted, 1)
    results.stored_call(ws, counted, 1)
    assert counted.calls == 1  # the same code: read back
    wording.write_text("FORMULA = 'gap × (sessions hit − sessions expected)'\n")  # the new release's wording
    results.stored_call(ws, counted, 1)
    assert counted.calls == 2
    # the libraries' versions are part of it too: another pandas, another fingerprint
    before = results.code_version()
    monkeypatch.setattr(results, "_library", lambda name: "9.9" if name == "pandas" else None)
    monkeypatch.setitem(results._CODE, "stamp", None)  # read again, the files unchanged
    assert results.code_version() != before


def test_a_payload_signed_with_another_key_or_moved_to_another_key_is_refused(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    other = Workspace(tmp_path / "other.duckdb")
    key = _key(ws, counted, 1)
    payload = __import__("pickle").dumps({"x": "forged"})
    with ws.cursor() as cur:
        cur.execute(
            "insert into analysis_results values ($a, $k, $args, $d, $s, now(), 0, $p, $sig)",
            {
                "a": key.analysis,
                "k": key.args_key,
                "args": key.args,
                "d": key.data_version,
                "s": key.settings_version,
                "p": payload,
                "sig": results.sign(other, key, payload),
            },
        )
    assert results.load(ws, key) is results.MISSING
    other.close()
    # a genuine result of one call, moved to another call's key, is refused too (the key is signed with it)
    results.stored_call(ws, counted, 2)
    with ws.cursor() as cur:
        cur.execute("delete from analysis_results where args = $a", {"a": key.args})
        cur.execute("update analysis_results set args = $a, args_key = $k", {"a": key.args, "k": key.args_key})
    assert results.load(ws, key) is results.MISSING
    # and the genuine one, signed with this workspace's key, is accepted
    results.stored_call(ws, counted, 1)
    assert results.load(ws, key)["x"] == 1


def stored_bytes(db: Path) -> bytes:
    """Every byte the workspace `db` keeps on disk: the file, or on the lake backend its catalog file (SQLite) and
    its Parquet files (tests/conftest.py)."""
    lake_files = sorted(p for p in Path(f"{db}.lake").rglob("*") if p.is_file()) if ON_LAKE else []
    return b"".join(p.read_bytes() for p in [db, *lake_files] if p.is_file())


def test_erasing_an_import_leaves_no_result_derived_from_it_in_the_file(tmp_path, counted):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    import_file(ws, orders(tmp_path))
    [second] = [import_file(ws, orders(tmp_path, "p.csv")).import_id]
    results.stored_call(ws, counted, 1)
    with ws.cursor() as cur:
        cur.execute("checkpoint")
    assert MARKER.encode() in stored_bytes(db)  # the check below can fail: the payload is in the file
    erase_import(ws, second)
    assert results.stored_results(ws).empty
    ws.close()
    assert MARKER.encode() not in stored_bytes(db)
    assert not any(MARKER.encode() in p.read_bytes() for p in tmp_path.iterdir() if p.is_file())


def test_the_command_line_reads_the_result_the_pages_stored(ws, tmp_path, monkeypatch):
    import_file(ws, incident_csv(tmp_path))
    # what the Overview and the background store: the whole period of the data, no status
    report = results.stored_call(ws, find_friction, full_period(ws), with_status=False)
    assert [f.code for f in report.findings][:1] == ["FUNNEL_INCIDENT"]

    def boom(*args, **kwargs):
        raise AssertionError("computed again")

    boom.__module__, boom.__qualname__ = find_friction.__module__, find_friction.__qualname__
    monkeypatch.setattr("cx.commands.findings.find_friction", boom)
    doc = findings_doc(ws)  # no --from/--to: the data's first and last day, the same key
    incident = doc["findings"][0]
    # 0.8 − 0.2 of 70 sessions at 100 € (tests/test_friction.py): 4 200 € at risk
    assert incident["code"] == "FUNNEL_INCIDENT" and incident["revenue_at_risk"] == 4200.0
    assert within_data(ws, Filters()) == full_period(ws) == Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 4, 9))


# ------------------------------------------------------------------------------------------- background run


def _jobs(*functions, first=1):
    return lambda ws: [background.Job("findings", f, lambda ws: ((first,), {}), first) for f in functions]


def test_one_run_per_workspace_and_versions_and_each_result_computed_once(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    run = background.ensure(ws, jobs=_jobs(counted))
    assert background.ensure(ws, jobs=_jobs(counted)) is run  # same versions: the same run, not a second one
    assert run.wait(30) and run.complete and run.errors == []
    assert background.ensure(ws, jobs=_jobs(counted)) is run
    assert counted.calls == 1
    # the page asks for the same call: it is read from the workspace
    assert results.stored_call(ws, counted, 1)["marker"] == MARKER and counted.calls == 1
    # new data: a new run
    import_file(ws, orders(tmp_path, "p.csv"))
    newer = background.ensure(ws, jobs=_jobs(counted))
    assert newer is not run and newer.wait(30) and counted.calls == 2
    background.stop_all()


def test_a_failing_job_is_logged_and_the_others_still_run(ws, tmp_path, counted, caplog):
    import_file(ws, orders(tmp_path))

    def broken(ws, x):
        raise RuntimeError("detector bug")

    broken.__module__, broken.__qualname__ = "tests.test_results", "broken"
    run = background.ensure(ws, jobs=_jobs(broken, counted))
    assert run.wait(30)
    assert run.errors == ["findings: RuntimeError: detector bug"] and counted.calls == 1
    assert "background analysis tests.test_results" in caplog.text
    assert not run.busy_with("tests.test_results.broken", 1)  # a page no longer waits: it computes it itself
    background.stop_all()


def test_a_page_waits_for_the_job_it_needs_and_a_run_stops_between_jobs(ws, tmp_path, counted):
    import_file(ws, orders(tmp_path))
    release = threading.Event()

    def slow(ws, x):
        release.wait(30)
        return x

    slow.__module__, slow.__qualname__ = "tests.test_results", "slow"
    run = background.ensure(ws, jobs=_jobs(slow, counted))
    assert run.busy_with("tests.test_results.slow", 1) and run.busy_with("tests.test_results.counted", 1)
    assert not run.busy_with("tests.test_results.counted", first=Filters(device="mobile"))  # another call
    run.stop()
    release.set()
    assert run.wait(30)
    assert counted.calls == 0  # asked to stop during the first job: the second never ran
    assert not run.busy_with("tests.test_results.counted", 1)
    background.stop_all()


def test_the_default_jobs_fill_what_the_first_views_read(ws, tmp_path):
    import_file(ws, incident_csv(tmp_path))
    run = background.ensure(ws)
    assert run.wait(300) and run.errors == [] and run.complete
    stored = set(results.stored_results(ws)["analysis"])
    names = {job.analysis for job in background.default_jobs(ws)}
    # the names page calls check; without a survey answer the Voice page's analyses are left to the page
    voice = {name for name in background.STORED if name.startswith(("cx.satisfaction.", "cx.text."))}
    assert names == background.STORED - voice and len(voice) == 10  # trend_period: the trend's default step
    assert {
        "cx.friction.run.find_friction",
        "cx.maturity.measure_maturity",
        "cx.personas.cards.find_personas",
        "cx.funnel.find_funnel",
        "cx.funnel.propose_funnel",
    } <= stored
    # the Overview's call is among them, for the versions of the workspace now
    assert results.is_stored(ws, _key(ws, find_friction, full_period(ws), with_status=False))
    background.stop_all()


def _never(function):
    def boom(*args, **kwargs):
        raise AssertionError(f"{function.__name__} computed again")

    boom.__module__, boom.__qualname__, boom.__name__ = function.__module__, function.__qualname__, function.__name__
    return boom


def test_the_maturity_and_personas_commands_read_what_the_background_stored(ws, tmp_path, monkeypatch):
    from cx.commands import maturity as maturity_cmd, personas as personas_cmd
    from cx.maturity import measure_maturity
    from cx.personas import find_personas

    import_file(ws, incident_csv(tmp_path))
    expected = maturity_cmd.maturity_doc(ws)  # computed (and stored) once
    run = background.ensure(ws)
    assert run.wait(300) and run.complete
    for module, function in ((maturity_cmd, measure_maturity), (personas_cmd, find_personas)):
        monkeypatch.setattr(module, function.__name__, _never(function))
    assert maturity_cmd.maturity_doc(ws) == expected
    # no customer ids in these events: no personas, and the reason is read from the stored result
    assert personas_cmd.personas_doc(ws)["personas"] == []
    background.stop_all()


@pytest.mark.file_only(
    "the file's rewrite waits for a running query (a lake's erasure swaps no file): timing on a lake"
)
def test_an_erasure_during_a_background_job_waits_for_its_query_and_nothing_of_the_erased_data_is_stored(
    tmp_path, counted
):
    ws = Workspace(tmp_path / "w.duckdb")
    import_file(ws, orders(tmp_path))
    second = import_file(ws, orders(tmp_path, "p.csv")).import_id
    inside, release = threading.Event(), threading.Event()

    def reading(ws, x):
        with ws.cursor() as cur:  # a long query on the data about to be erased
            inside.set()
            release.wait(30)
            return cur.execute("select count(*) from orders").fetchall()[0][0]

    reading.__module__, reading.__qualname__ = "tests.test_results", "reading"
    run = background.ensure(ws, jobs=_jobs(reading, counted))
    assert inside.wait(30)
    threading.Timer(1.0, release.set).start()  # the erasure below waits for the query (the workspace's gate)
    erase_import(ws, second)
    assert release.is_set()
    assert run.wait(30)
    assert results.stored_results(ws).empty  # computed on the erased data: not stored
    assert counted.calls == 0 and not run.complete  # the data changed: the run stopped, a new one takes over
    background.stop_all()
    ws.close()


def _named(function, module, name):
    function.__module__, function.__qualname__ = module, name
    return function


def test_each_result_is_keyed_by_the_settings_its_analysis_reads(ws, tmp_path, monkeypatch):
    # a finding status click must not make the funnels nor the status-free findings stale (issue 14): each stored
    # analysis is keyed by the settings tables it reads (results.SETTINGS_READ), any other by all of them
    import_file(ws, orders(tmp_path))
    calls = []
    funnel = _named(lambda ws, f: calls.append("funnel") or 1, "cx.funnel", "find_funnel")
    findings = _named(
        lambda ws, f, with_status=True: calls.append(f"findings {with_status}") or 2, "cx.friction.run", "find_friction"
    )
    other = _named(lambda ws, f: calls.append("other") or 3, "tests.test_results", "other")
    everyone, persona = Filters(), Filters(persona=1)

    def all_calls():
        for function, args, kwargs in (
            (funnel, (everyone,), {}),
            (funnel, (persona,), {}),
            (findings, (everyone,), {"with_status": False}),
            (findings, (everyone,), {}),
            (other, (everyone,), {}),
        ):
            results.stored_call(ws, function, *args, **kwargs)

    all_calls()
    assert len(calls) == 5
    calls.clear()
    all_calls()
    assert calls == []  # nothing changed: all read
    with ws.cursor() as cur:  # a finding marked as dismissed
        cur.execute("insert into friction_status values ('k', 'c', null, null, 'dismissed', null)")
    all_calls()
    assert calls == ["findings True", "other"]
    calls.clear()
    with ws.cursor() as cur:  # the personas' membership changes: what a persona filter reads, and unknown analyses
        cur.execute("insert into persona_members by name select 'C1' as customer_id, 1 as persona_id")
    all_calls()
    assert calls == ["funnel", "other"]
    calls.clear()
    with ws.cursor() as cur:  # a theme keyword: the findings read the comments' themes
        cur.execute("insert into theme_keywords by name select 'prix' as theme, 'cher' as keyword")
    all_calls()
    assert calls == ["findings False", "findings True", "other"]
    # every call is served from one row, the rows of one analysis's former settings were deleted when it was stored
    stored = results.stored_results(ws)
    assert len(stored) == 5 and stored["data_version"].nunique() == 1
    assert results.settings_read("cx.funnel.find_funnel", (persona,)) == {"persona_members"}
    assert results.settings_read("cx.friction.run.find_friction", (everyone, None, False)) == {"theme_keywords"}
    assert results.settings_read("tests.test_results.other") is None


def test_a_settings_version_reads_only_the_tables_of_its_scope_and_fingerprints_them_as_the_whole_read_does(ws):
    # the findings' version covers theme_keywords (+ friction_status): the 2 persona members are not hashed for it
    # (at 200k members, ~15 ms per read, several reads per stored call), and its fingerprint is that of the
    # theme_keywords row of the read of every table
    import hashlib
    import os

    from cx.workspace import run_sql

    with ws.cursor() as cur:
        cur.execute(
            "insert into persona_members by name select 'C' || i as customer_id, 1 as persona_id from range(2) t(i)"
        )
        cur.execute("insert into theme_keywords by name select 'prix' as theme, 'cher' as keyword")
        scoped = {r[0]: r[1:] for r in run_sql(cur, "settings_version.sql", {"tables": ["theme_keywords"]}).fetchall()}
        whole = {r[0]: r[1:] for r in run_sql(cur, "settings_version.sql", {"tables": None}).fetchall()}
        _, version = results.versions_in(cur, frozenset({"theme_keywords"}))
    assert whole["persona_members"][0] == 2 and scoped["persona_members"] == (0, 0)  # not read
    assert scoped["theme_keywords"] == whole["theme_keywords"] and whole["theme_keywords"][0] == 1
    text = repr(
        ((("theme_keywords", *whole["theme_keywords"]),), results.code_version(), os.environ.get("CX_CURRENCY", ""))
    )
    assert version == "theme_keywords:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


def _job_maker(started: threading.Event, release: threading.Event, order: list):
    """job(name, wait=False) → a background Job appending its name to `order` when it runs; the waiting one sets
    `started`, then holds until `release` is set."""

    def job(name, wait=False):
        def function(ws, x):
            if wait:
                started.set()
                release.wait(30)
            order.append(name)
            return name

        return background.Job(name, _named(function, "tests.test_results", name), lambda ws: ((1,), {}), 1)

    return job


def test_a_page_waiting_for_a_queued_job_has_it_computed_before_the_jobs_ahead_of_it(ws, tmp_path):
    import_file(ws, orders(tmp_path))
    started, release, order = threading.Event(), threading.Event(), []
    job = _job_maker(started, release, order)
    jobs = [job("a", wait=True), job("b"), job("c"), job("d")]
    run = background.ensure(ws, jobs=lambda ws: jobs)
    assert started.wait(30) and run.busy_with("tests.test_results.d", 1)
    run.prioritise("tests.test_results.d", 1)  # what cx.ui.cache.wait_for does for a page that needs d
    release.set()
    assert run.wait(30) and run.complete
    assert order == ["a", "d", "b", "c"]  # the job under way ends first, then the page's, then the queue
    background.stop_all()


@pytest.mark.file_only(
    "a child process opens the workspace by its path (what it imports does not depend on the backend)"
)
def test_a_run_lists_its_jobs_without_importing_the_analyses_and_each_job_names_the_function_it_runs(ws, tmp_path):
    import importlib
    import subprocess
    import sys

    from tests.conftest import ROOT

    for lazy in (
        background.find_friction,
        background.find_personas,
        background.persona_funnel,
        background.personas_key,
    ):
        real = getattr(importlib.import_module(lazy.__module__), lazy.__name__)
        assert results.analysis_name(lazy) == results.analysis_name(real)
    import_file(ws, incident_csv(tmp_path))
    ws.close()
    # a page asks the run whether it will compute its call as soon as the run lists its jobs: no import to wait for
    code = (
        "import sys; from cx.workspace import Workspace; from cx.ui.background import default_jobs; "
        "jobs = default_jobs(Workspace(sys.argv[1])); "
        "print(len(jobs), 'sklearn' in sys.modules, 'cx.friction' in sys.modules, 'cx.maturity' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ws.path)], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.split() == ["16", "False", "False", "False"], out.stderr


def test_the_report_reads_the_results_the_background_stored(ws, tmp_path, monkeypatch):
    from cx.friction import set_finding_status
    from cx.maturity import measure_maturity
    from cx.report import gather
    from cx.report.gather import gather_report

    import_file(ws, incident_csv(tmp_path))
    f = full_period(ws)
    before = gather_report(ws, f, "en")  # computes each analysis (and stores it)
    run = background.ensure(ws)
    assert run.wait(300) and run.complete
    set_finding_status(ws, before.findings[0], "dismissed")  # read now, not from the stored findings
    for function in (find_friction, measure_maturity):
        monkeypatch.setattr(gather, function.__name__, _never(function))
    from cx import funnel, personas

    for module, name in ((funnel, "find_funnel"), (personas, "find_personas")):
        monkeypatch.setattr(gather, name, _never(getattr(module, name)))
    after = gather_report(ws, f, "en")
    assert after.funnel.steps.equals(before.funnel.steps) and after.placement.level == before.placement.level
    assert [x.code for x in after.findings] == [x.code for x in before.findings[1:]]  # the dismissed one left out
    assert after.personas.reason == before.personas.reason
    background.stop_all()


def test_a_page_takes_over_a_queued_job_and_the_run_leaves_it_out(ws, tmp_path):
    # the page computes it now beside the job under way (cx.ui.cache.wait_for), rather than wait for that job
    import_file(ws, orders(tmp_path))
    started, release, order = threading.Event(), threading.Event(), []
    job = _job_maker(started, release, order)
    jobs = [job("a", wait=True), job("b"), job("c")]
    run = background.ensure(ws, jobs=lambda ws: jobs)
    assert started.wait(30)
    assert not run.claim("tests.test_results.a", 1)  # under way: the page waits for it
    assert run.claim("tests.test_results.c", 1)  # queued: the page takes it
    assert not run.busy_with("tests.test_results.c", 1)
    results.stored_call(ws, jobs[2].function, 1)  # what the page's analysis() does
    release.set()
    assert run.wait(30)
    assert order == ["c", "a", "b"]  # c computed once, by the page; the run never did
    assert run.complete and run.errors == []
    background.stop_all()


def test_a_page_call_with_other_positional_arguments_neither_waits_for_nor_takes_over_the_job(ws, tmp_path):
    # the Funnel page with edited steps and the default window and mode: the same analysis, first argument and
    # keyword arguments as the run's default funnel, other steps. It must not take the default funnel's job over
    # (the run would leave it out and the default funnel would never be stored), nor wait for it
    import_file(ws, orders(tmp_path))
    started, release, order = threading.Event(), threading.Event(), []

    def blocker(ws, x):
        started.set()
        release.wait(30)
        order.append("blocker")
        return x

    def funnel(ws, f, steps, window="7d"):
        order.append(steps)
        return steps

    default = {"window": "7d"}
    jobs = [
        background.Job("a", _named(blocker, "tests.test_results", "blocker"), lambda ws: ((1,), {}), 1),
        background.Job(
            "funnel", _named(funnel, "tests.test_results", "funnel"), lambda ws: ((1, ("a", "b")), default), 1, default
        ),
    ]
    run = background.ensure(ws, jobs=lambda ws: jobs)
    assert started.wait(30)
    edited = (1, ("a", "c"))
    assert run.busy_with("tests.test_results.funnel", 1, default)  # without the arguments: the same call
    assert not run.busy_with("tests.test_results.funnel", 1, default, edited)  # the page does not wait
    assert not run.claim("tests.test_results.funnel", 1, default, edited)  # nor takes the default one over
    assert run.busy_with("tests.test_results.funnel", 1, default, (1, ("a", "b")))  # the default call does wait
    release.set()
    assert run.wait(30) and run.complete and run.errors == []
    assert order == ["blocker", ("a", "b")]  # the run computed the default funnel itself
    assert results.is_stored(ws, results.result_key(ws, jobs[1].function, (1, ("a", "b")), default))
    background.stop_all()


def test_a_page_takes_over_the_queued_job_of_its_very_arguments(ws, tmp_path):
    import_file(ws, orders(tmp_path))
    started, release, order = threading.Event(), threading.Event(), []

    def blocker(ws, x):
        started.set()
        release.wait(30)
        return x

    def funnel(ws, f, steps):
        order.append(steps)
        return steps

    jobs = [
        background.Job("a", _named(blocker, "tests.test_results", "blocker"), lambda ws: ((1,), {}), 1),
        background.Job(
            "funnel", _named(funnel, "tests.test_results", "funnel"), lambda ws: ((1, ("a", "b")), {}), 1, {}
        ),
    ]
    run = background.ensure(ws, jobs=lambda ws: jobs)
    assert started.wait(30)
    assert run.claim("tests.test_results.funnel", 1, {}, (1, ("a", "b")))  # the same steps: the page computes it
    release.set()
    assert run.wait(30) and order == []  # the run left it out
    background.stop_all()


def test_a_page_call_with_other_keyword_arguments_is_not_the_background_jobs_call():
    # the Funnel page broken down by device does not wait for (nor take over) the default funnel's job
    jobs = background.default_jobs(None, Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31)))
    funnel = next(job for job in jobs if job.analysis == "cx.funnel.find_funnel")
    first = Filters(start=dt.date(2025, 1, 1), end=dt.date(2025, 1, 31))
    page = {"window": "7d", "mode": "ordered", "by": None, "paths": True}  # views/funnel.py's call
    assert funnel.is_call("cx.funnel.find_funnel", first, page)
    assert not funnel.is_call("cx.funnel.find_funnel", first, {**page, "by": "device"})
    assert not funnel.is_call("cx.funnel.find_funnel", first, {**page, "window": "1d"})
    personas = next(job for job in jobs if job.analysis == "cx.personas.cards.find_personas")
    assert personas.is_call("cx.personas.cards.find_personas", first, {"key": (1, "2", "")})  # its key: any


def test_the_background_jobs_take_the_first_views_widget_defaults():
    # the Retention and Voice pages call their analyses with their widgets' defaults on a first view: the jobs
    # must store those very calls (else the page computes them anyway)
    from cx.cohorts import DEFAULT_ACTIVE_DAYS, MODES, PERIODS
    from cx.satisfaction import DIMENSIONS

    assert background.RETENTION == {"active_days": DEFAULT_ACTIVE_DAYS, "lifespan_years": None}
    assert background.COHORTS == {"period": PERIODS[1], "mode": MODES[0]}  # views/retention.py: index=1, first
    assert background.VOICE_BY == next(iter(DIMENSIONS))  # the trend's step: trend_period's, as views/voice.py


@pytest.mark.file_only(
    "a child process opens the workspace by its path (what it imports does not depend on the backend)"
)
def test_a_run_that_finds_every_result_stored_does_not_load_scikit_learn(ws, tmp_path):
    # an app restarted on stored results checks each job (the personas' key among them) beside the first page's
    # view: it must not pay for scikit-learn's imports (~1 s of CPU) to learn that nothing is left to compute
    import subprocess
    import sys

    from tests.conftest import ROOT

    import_file(ws, incident_csv(tmp_path))
    run = background.ensure(ws)
    assert run.wait(300) and run.complete
    background.stop_all()
    ws.close()
    code = (
        "import sys; from cx.workspace import Workspace; from cx.ui.background import ensure; "
        "run = ensure(Workspace(sys.argv[1])); run.wait(); "
        "print(run.complete, run.stored == run.total, 'sklearn' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code, str(ws.path)], check=False, cwd=ROOT, capture_output=True, text=True
    )
    assert out.stdout.split() == ["True", "True", "False"], out.stderr


def test_a_page_takes_over_a_job_as_soon_as_the_run_knows_it_even_before_the_run_starts_computing(ws, tmp_path):
    # issue 14: the first page of a fresh app asked the run about its call while the run was starting (waiting for
    # the run it replaces, seeding the stage rules): the job was not queued yet, so the page could not take it
    # over and waited for every job before it (the Overview's currency behind the findings: 5 s → 11 s at 5M)
    import_file(ws, orders(tmp_path))
    started, release, order = threading.Event(), threading.Event(), []

    def blocker(ws, x):
        started.set()
        release.wait(30)
        order.append("blocker")
        return x

    def page_job(ws, x):
        order.append("run")
        return x

    before = background.Run(
        ws,
        results.versions(ws),
        lambda ws: [background.Job("a", _named(blocker, "tests.test_results", "blocker"), lambda ws: ((1,), {}), 1)],
    ).start()
    assert started.wait(30)
    jobs = [background.Job("b", _named(page_job, "tests.test_results", "page_job"), lambda ws: ((1,), {}), 1)]
    run = background.Run(ws, results.versions(ws), lambda ws: jobs, after=before).start()
    assert run.busy_with("tests.test_results.page_job", 1)  # known: the page would wait for it…
    assert run.claim("tests.test_results.page_job", 1)  # …but takes it over, though the run has not started
    release.set()
    assert run.wait(30) and before.wait(30)
    assert order == ["blocker"]  # the run left it to the page
    background.stop_all()

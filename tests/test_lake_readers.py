"""Readers in one replica of a lake while another replica erases (issue 16, docs/SCALING.md "Known limits"): an
erasure rewrites the Parquet files holding the erased rows and deletes the old ones at once, so a query of another
replica that began before fails on a `ducklake-….parquet` file that is gone. The analyses of the pages, of the
background run and of the stored results run again then (`results.reading`), on a lake only and a bounded number of
times. The erasure is provoked inside the reader's statement, deterministically: a function of the reader's query,
called on its first row, erases (through the other replica) the import whose file the scan opens next. Backends: a
SQLite catalog, and PostgreSQL when `$CX_TEST_POSTGRES` names a server (as tests/test_lake_races.py)."""

import json

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from cx import inventory, lake, results
from cx.ingest import erase_import, import_file
from cx.workspace import Workspace
from tests.test_lake import NO_PG, PG, events_file, lake_backend  # noqa: F401 (a fixture)
from tests.test_lake_races import two_replicas

GONE = 'IO Error: Cannot open file "/srv/lake/main/events/ducklake-01a24ed1.parquet": No such file or directory'


def three_imports(ws: Workspace, folder) -> list[int]:
    """Imports of 3, 4 and 5 visitors (one event each): one data file each, scanned in that order."""
    return [import_file(ws, events_file(folder, f"f{n}.csv", n)).import_id for n in (3, 4, 5)]


def erase_during_first_scan(reader: Workspace, other: Workspace, import_id: int) -> list[int]:
    """The first query of `reader` calling `cx_test_hook` erases `import_id` through `other` on its first row, after
    the scan has listed the files (its snapshot) and before it opens the last one. Returns the erasures done."""
    done: list[int] = []

    def hook(value: str) -> bool:
        if not done:
            done.append(import_id)
            erase_import(other, import_id)
        return True

    try:
        reader._root.remove_function("cx_test_hook")  # the hook of an earlier provocation
    except duckdb.Error:
        pass
    reader._root.create_function("cx_test_hook", hook, ["VARCHAR"], "BOOLEAN", side_effects=True)
    reader._root.execute("set threads = 1")  # one scan thread: the files are opened one after the other
    return done


def count_events(ws: Workspace) -> int:
    """An analysis whose one statement reads every events file (`cx_test_hook` on each row)."""
    with ws.cursor() as cur:
        return cur.execute("select count(*) from events where cx_test_hook(visitor_id)").fetchall()[0][0]


def counting(calls: list, analysis=count_events):
    def counted(ws: Workspace) -> int:
        calls.append(1)
        return analysis(ws)

    counted.__module__, counted.__qualname__ = __name__, f"counted_{id(calls)}"  # its own stored results
    return counted


def test_the_erasure_provoked_here_fails_a_reader_that_does_not_run_again(lake_backend, tmp_path):  # noqa: F811
    """The provocation itself: without running again, the reader meets the deleted file (what a page showed)."""
    with two_replicas(lake_backend) as (a, b):
        ids = three_imports(a, tmp_path / "src")
        erase_during_first_scan(a, b, ids[2])
        with pytest.raises(duckdb.IOException) as e:
            count_events(a)
        assert lake.file_gone(e.value)
        assert count_events(a) == 7  # run again by hand, it works: 3 + 4, the 5 erased


def test_an_analysis_whose_read_meets_a_file_an_erasure_deleted_runs_again(lake_backend, tmp_path):  # noqa: F811
    """`results.computed` (the pages' cache) and `results.stored_call` (the background run, the command line):
    the first run meets the deleted file, the second reads the files in use now and gives the rows left."""
    with two_replicas(lake_backend) as (a, b):
        _, second, third = three_imports(a, tmp_path / "src")
        calls: list[int] = []
        assert erase_during_first_scan(a, b, third) == []
        assert results.computed(a, counting(calls)) == 3 + 4
        assert len(calls) == 2  # once failed, once run again

        stored_calls: list[int] = []
        erasures = erase_during_first_scan(a, b, second)
        analysis = counting(stored_calls)
        assert results.stored_call(a, analysis) == 3
        assert erasures == [second] and len(stored_calls) == 2
        assert results.stored_call(b, analysis) == 3 and len(stored_calls) == 2  # stored, read by the other replica


def test_other_errors_are_not_run_again_and_the_runs_are_bounded(lake_backend, monkeypatch):  # noqa: F811
    """Bounded: a read that keeps meeting a deleted file fails after `READ_ATTEMPTS` runs; another IO error fails at
    once."""
    monkeypatch.setattr(lake.time, "sleep", lambda seconds: None)
    calls: list[int] = []

    def gone(ws):
        calls.append(1)
        raise duckdb.IOException(GONE)

    def elsewhere(ws):
        calls.append(1)
        raise duckdb.IOException('IO Error: Cannot open file "/srv/ga4/day.parquet": No such file or directory')

    with two_replicas(lake_backend) as (a, _):
        with pytest.raises(duckdb.IOException):
            results.computed(a, gone)
        assert len(calls) == results.READ_ATTEMPTS
        calls.clear()
        with pytest.raises(duckdb.IOException):
            results.computed(a, elsewhere)
        assert len(calls) == 1
        calls.clear()  # nested (a stored call's key inside the call, the command line around it): the outer runs again
        with pytest.raises(duckdb.IOException):
            results.reading(a, lambda: results.computed(a, gone))
        assert len(calls) == results.READ_ATTEMPTS  # not READ_ATTEMPTS²


@pytest.mark.file_only("the workspace file's analyses run once: CX_TEST_BACKEND=lake opens a lake at this path")
def test_on_the_workspace_file_an_analysis_runs_once(tmp_path):
    """The file backend is unchanged: the same error (which a file never raises) is not run again there."""
    calls: list[int] = []

    def gone(ws):
        calls.append(1)
        raise duckdb.IOException(GONE)

    ws = Workspace(tmp_path / "w.duckdb")
    try:
        with pytest.raises(duckdb.IOException):
            results.computed(ws, gone)
        assert len(calls) == 1
    finally:
        ws.close()


def _page():
    import streamlit as st

    from cx.inventory import summarise_tables
    from cx.ui.cache import analysis

    st.session_state["rows"] = int(analysis(summarise_tables)["rows"].sum())


def test_a_page_whose_analysis_meets_a_file_an_erasure_deleted_shows_the_rows_left(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """A page of the app (`cx.ui.cache.analysis`) on a lake, while the CLI or another replica erases an import: the
    page's analysis meets the deleted file on its first run and shows the rows left, not an error."""
    monkeypatch.setenv("CX_LAKE", lake_backend.lake.catalog)
    monkeypatch.setenv("CX_LAKE_DATA", lake_backend.lake.data)
    other = lake_backend.open()
    try:
        ids = three_imports(other, tmp_path / "src")
        real, calls = inventory.summarise_tables, []

        def summarise_tables(ws):
            calls.append(1)
            if len(calls) == 1:  # the page's replica meets the erasure of import 3 inside its first statement
                erase_during_first_scan(ws, other, ids[2])
                count_events(ws)
            return real(ws)

        summarise_tables.__module__ = "cx.inventory"  # the page's cache finds an analysis by its module and name
        monkeypatch.setattr(inventory, "summarise_tables", summarise_tables)
        at = AppTest.from_function(_page, default_timeout=60).run()
        assert not at.exception, [e.message for e in at.exception]
        assert at.session_state["rows"] == 3 + 4 and len(calls) == 2
    finally:
        other.close()


def test_a_reading_command_meets_a_file_an_erasure_deleted_and_runs_again(lake_backend, tmp_path, monkeypatch, capsys):  # noqa: F811
    """`python -m cx tables` (a command that only reads, `READS`) on a lake while another replica erases: its first
    run meets the deleted file, it runs again and prints the rows left (before: "error: … No such file")."""
    from cx.__main__ import run
    from cx.commands import tables

    lake_backend.use_for_cli(monkeypatch)
    other = lake_backend.open()
    try:
        ids = three_imports(other, tmp_path / "src")
        real, calls = tables.tables_doc, []

        def tables_doc(ws):
            calls.append(1)
            if len(calls) == 1:
                erase_during_first_scan(ws, other, ids[2])
                count_events(ws)
            return real(ws)

        monkeypatch.setattr(tables, "tables_doc", tables_doc)
        assert run(["tables", "--json"]) == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out)["tables"]["events"] == 3 + 4 and len(calls) == 2
    finally:
        other.close()


def provoking_once(real, other: Workspace, import_id: int, calls: list):
    """`real(ws, …)`, but its first call first meets, inside a statement of its own replica `ws`, the erasure of
    `import_id` through `other` (the IO error of a file gone); later calls are `real`'s."""

    def provoked(ws, *args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            erase_during_first_scan(ws, other, import_id)
            count_events(ws)
        return real(ws, *args, **kwargs)

    return provoked


@pytest.mark.parametrize(
    "command, module, function",
    [
        (["personas", "--json"], "cx.commands.personas", "scope_currency"),
        (["maturity", "--json"], "cx.commands.maturity", "place_maturity"),
        (["report", "--json", "--out", "{tmp}/r.html"], "cx.commands.report", "gather_report"),
    ],
)
def test_the_commands_that_store_results_run_again_whole(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
    capsys,
    command,
    module,
    function,
):
    """`personas`, `maturity` and `report` (which store results and write a file, both safe to do again) on a lake
    while another replica erases: the first run meets the deleted file, the command runs again whole and succeeds
    (before: "error: … No such file", exit 2)."""
    import importlib

    from cx.__main__ import run

    lake_backend.use_for_cli(monkeypatch)
    other = lake_backend.open()
    try:
        ids = three_imports(other, tmp_path / "src")
        target, calls = importlib.import_module(module), []
        monkeypatch.setattr(target, function, provoking_once(getattr(target, function), other, ids[2], calls))
        assert run([a.replace("{tmp}", str(tmp_path)) for a in command]) == 0, capsys.readouterr().err
        assert json.loads(capsys.readouterr().out) and len(calls) == 2
        with other.cursor() as cur:
            assert cur.execute("select count(*) from events").fetchall()[0][0] == 3 + 4
    finally:
        other.close()


def test_the_data_page_history_meets_a_file_an_erasure_deleted_and_shows_the_imports_left(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """The Data page's import history on a lake while another replica erases an import: read again, it lists the
    two imports left (before: the page failed with the IO error)."""
    import cx.ingest

    monkeypatch.setenv("CX_LAKE", lake_backend.lake.catalog)
    monkeypatch.setenv("CX_LAKE_DATA", lake_backend.lake.data)
    other = lake_backend.open()
    try:
        ids = three_imports(other, tmp_path / "src")
        calls: list[int] = []
        monkeypatch.setattr(cx.ingest, "list_imports", provoking_once(cx.ingest.list_imports, other, ids[2], calls))
        at = AppTest.from_file("../views/data.py", default_timeout=60).run()
        assert not at.exception, [e.message for e in at.exception]
        assert len(calls) == 2
        assert sorted(at.dataframe[0].value["import_id"].tolist()) == ids[:2]
    finally:
        other.close()


class Buttons:
    """Stands for `st` in `download_table(where=…)`: keeps each button's data."""

    def __init__(self):
        self.data: dict[str, object] = {}

    def download_button(self, label, data, *, file_name, **options):
        self.data[file_name] = data


def test_a_download_made_on_the_click_meets_a_file_an_erasure_deleted_and_runs_again(
    lake_backend,  # noqa: F811
    tmp_path,
    monkeypatch,
):
    """A table made when its download button is clicked (the Funnel page's dropped visitors): on a lake, made again
    when another replica's erasure deleted a file under its reads; the file holds the rows left."""
    import pandas as pd

    from cx.ui import download

    with two_replicas(lake_backend) as (a, b):
        ids = three_imports(a, tmp_path / "src")
        calls: list[int] = []
        make = provoking_once(lambda ws: pd.DataFrame({"events": [count_events(ws)]}), b, ids[2], calls)
        monkeypatch.setattr(download, "workspace", lambda: a)
        buttons = Buttons()
        download.download_table(lambda: make(a), "CSV", "dropped", key="k", rows=1, where=buttons)
        assert buttons.data["dropped.csv"]().decode("utf-8-sig").splitlines()[1] == "7"
        assert len(calls) == 2


def test_the_data_version_every_page_reads_runs_again(lake_backend, tmp_path, monkeypatch):  # noqa: F811
    """`Workspace.data_version` (every page's sidebar, the report's key) on a lake while another replica erases."""
    from cx import attach

    with two_replicas(lake_backend) as (a, b):
        ids = three_imports(a, tmp_path / "src")
        calls: list[int] = []
        real = attach.fingerprint

        def fingerprint(cur, *rest):
            calls.append(1)
            if len(calls) == 1:
                erase_during_first_scan(a, b, ids[2])
                cur.execute("select count(*) from events where cx_test_hook(visitor_id)").fetchall()
            return real(cur, *rest)

        monkeypatch.setattr(attach, "fingerprint", fingerprint)
        version = a.data_version()
        assert len(calls) == 2 and version[0] == 2  # two imports left

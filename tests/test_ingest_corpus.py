"""Every awkward file of `tests/corpus.py` loads exactly or is refused with a clear message, and a refused
file leaves the workspace exactly as it was (checked against a workspace preloaded with every kind)."""

from __future__ import annotations

import resource
import tempfile
from pathlib import Path

import pytest
from corpus import CASES, Case

from cx.errors import CxError
from cx.ingest import detect_file, import_file
from cx.workspace import Workspace
from tests.conftest import ON_LAKE, copy_workspace

TABLES = ("imports", "rejects", "mappings", "events", "customers", "orders", "tickets", "responses", "cx_meta")
DATA = ("events", "customers", "orders", "tickets", "responses")

# Valid data of every kind, with headers of their own (so the mappings saved for them match no case).
PRELOAD = {
    "pre_events.csv": (
        "events",
        {"pre_t": "event_time", "pre_v": "visitor_id", "pre_e": "event_name"},
        "pre_t,pre_v,pre_e\n2024-01-01 08:00:00,pv1,page_view\n2024-01-01 08:01:00,pv2,click\npas une date,pv3,click\n",
    ),
    "pre_customers.csv": (
        "customers",
        {"pre_c": "customer_id", "pre_city": "city"},
        "pre_c,pre_city\nPC1,Lyon\nPC2,Nantes\n",
    ),
    "pre_orders.csv": (
        "orders",
        {"pre_c": "customer_id", "pre_d": "order_time", "pre_a": "amount"},
        "pre_c;pre_d;pre_a\nPC1;01/02/2024;12,50\nPC2;03/02/2024;8\n",
    ),
    "pre_tickets.csv": (
        "tickets",
        {"pre_id": "ticket_id", "pre_ch": "channel", "pre_at": "created_at"},
        "pre_id,pre_ch,pre_at\nT1,email,2024-02-01 09:00:00\n",
    ),
    "pre_responses.csv": (
        "responses",
        {"pre_at": "responded_at", "pre_nps": "nps"},
        "pre_at,pre_nps\n2024-02-02,9\n2024-02-03,3\n",
    ),
}


@pytest.fixture(scope="session")
def template_db(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("template")
    ws = Workspace(folder / "w.duckdb")
    for name, (kind, mapping, body) in PRELOAD.items():
        path = folder / name
        path.write_text(body, encoding="utf-8")
        report = import_file(ws, path, kind=kind, mapping=mapping)
        assert report.status == "loaded" and report.rows_loaded > 0
    ws.close()
    return folder / "w.duckdb"


@pytest.fixture
def workspace(template_db, tmp_path):
    db = tmp_path / "ws" / "w.duckdb"
    db.parent.mkdir()
    copy_workspace(template_db, db)  # with its key (the pseudonyms)
    ws = Workspace(db)
    yield ws
    ws.close()


def snapshot(ws: Workspace) -> dict[str, list]:
    """Every row of every table of the workspace (those of the brief, and any a later schema adds), and
    the next import id."""
    with ws.cursor() as cur:
        tables = [
            r[0]
            for r in cur.execute(
                "select table_name from duckdb_tables() where not temporary order by table_name"
            ).fetchall()
        ]
        assert set(TABLES) <= set(tables)
        out = {t: sorted(cur.execute(f'select * from "{t}"').fetchall(), key=repr) for t in tables}
        out["import_ids"] = cur.execute(
            "select last_value from duckdb_sequences() where sequence_name = 'import_ids'"
        ).fetchall()
        return out


def files_under(folder: Path) -> set[str]:
    """The files under `folder`, but a lake's Parquet files (the lake backend, tests/conftest.py): an import adds
    some, and a failed one leaves those its rolled-back transaction wrote until `lake maintain` (docs/SCALING.md)."""
    paths = (p.relative_to(folder) for p in folder.rglob("*"))
    return {str(p) for p in paths if not (ON_LAKE and any(part.endswith(".lake") for part in p.parts))}


def temp_import_dirs() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("cx-import-*")}


def write_case(case: Case, folder: Path) -> Path:
    path = folder / "in" / case.file_name
    path.parent.mkdir(exist_ok=True)
    path.write_bytes(case.build())
    return path


def params(cases, with_xfail=True):
    out = []
    for case in cases:
        marks = [pytest.mark.timeout(case.timeout)]
        if case.xfail and with_xfail:
            marks.append(pytest.mark.xfail(reason=case.xfail, strict=True))
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def test_corpus_is_big_enough():
    assert len(CASES) >= 50  # the trust issue asks for at least 50 hostile files
    assert len({c.name for c in CASES}) == len(CASES)
    assert sum(c.error is not None for c in CASES) >= 10
    assert sum(c.error is None for c in CASES) >= 20


@pytest.mark.parametrize("case", params(CASES))
def test_corpus_file(case: Case, workspace: Workspace, tmp_path: Path, monkeypatch):
    # a private temp root, so another process importing at the same time cannot look like a leak
    (tmp_path / "tmp").mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    path = write_case(case, tmp_path)
    if case.before:
        case.before(workspace, path, case)
    before = snapshot(workspace)
    files_before, temp_before = files_under(tmp_path), temp_import_dirs()

    if case.error is not None:
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KB on Linux
        with pytest.raises(case.error) as caught:
            import_file(workspace, path, case.name_given, **case.kwargs)
        if case.bomb:  # refused before anything was inflated: no jump in peak memory
            assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200 * 1024
        message = str(caught.value)
        assert repr(case.name_given) in message, message  # names the file
        assert caught.value.fix, message  # says what to do
        for word in case.words:
            assert word.casefold() in message.casefold(), (word, message)
        assert "Traceback" not in message and "duckdb" not in message.casefold(), message
        assert snapshot(workspace) == before
    else:
        report = import_file(workspace, path, case.name_given, **case.kwargs)
        check_loaded(case, report, workspace, before)

    assert files_under(tmp_path) - {"ws/w.duckdb.wal"} == files_before - {"ws/w.duckdb.wal"}
    assert temp_import_dirs() <= temp_before  # transcoded copies are removed


def check_loaded(case: Case, report, ws: Workspace, before: dict) -> None:
    assert report.status == case.status, report
    if case.status == "skipped":
        assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (0, 0, 0)
        assert "already imported" in report.message
        assert snapshot(ws) == before
        return
    assert report.kind == case.kind
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (case.read, case.loaded, case.rejected)
    assert report.rows_read == report.rows_loaded + report.rows_rejected
    for attr in ("encoding", "delimiter", "sheet", "mapping"):
        if getattr(case, attr) is not None:
            assert getattr(report, attr) == getattr(case, attr), attr
    with ws.cursor() as cur:
        row = cur.execute(
            "select file_name, kind, rows_read, rows_loaded, rows_rejected, status from imports where import_id = $id",
            {"id": report.import_id},
        ).fetchone()
        assert row == (case.name_given, case.kind, case.read, case.loaded, case.rejected, "loaded")
        assert (
            cur.execute(
                f'select count(*) from "{case.kind}" where import_id = $id', {"id": report.import_id}
            ).fetchone()[0]
            == case.loaded
        )
        rejects = cur.execute(
            'select line, "column", reason from rejects where import_id = $id order by line', {"id": report.import_id}
        ).fetchall()
        assert [(line, column) for line, column, _ in rejects] == [(r[0], r[1]) for r in case.rejects]
        for (line, column, reason), (_, _, words) in zip(rejects, case.rejects):
            assert words.casefold() in reason.casefold(), (line, column, reason)
        listed = [(r[0], r[1]) for r in case.rejects][:1000]  # a report lists the first 1,000
        assert [(r.line, r.column) for r in report.rejects] == listed
        if case.query:
            assert cur.execute(case.query, {"id": report.import_id}).fetchall() == case.expected_rows()
        if case.check:
            case.check(cur, report, case)
    # nothing but the new import changed (apart from what a replace removed, checked by the case)
    after = snapshot(ws)
    if case.kwargs.get("on_duplicate") != "replace":
        for table in ("imports", "rejects", *DATA):
            old = [r for r in after[table] if r[0] != report.import_id]
            assert old == before[table], table


@pytest.mark.parametrize("case", params([c for c in CASES if c.status != "skipped"], with_xfail=False))
def test_detection_agrees_with_import(case: Case, workspace: Workspace, tmp_path: Path):
    """Looking at a file refuses what importing refuses, and finds the kind, encoding, delimiter and sheet
    the import uses."""
    path = write_case(case, tmp_path)
    before = snapshot(workspace)
    sheet = case.kwargs.get("sheet")
    if case.error is not None and case.error.__name__ == "FileRefused":
        with pytest.raises(CxError) as caught:
            detect_file(workspace, path, case.name_given, sheet=sheet)
        assert repr(case.name_given) in str(caught.value)
    elif case.error is None:
        detection = detect_file(workspace, path, case.name_given, sheet=sheet)
        if "kind" not in case.kwargs:
            assert detection.kind == case.kind
        for attr in ("encoding", "delimiter", "sheet"):
            if getattr(case, attr) is not None:
                assert getattr(detection, attr) == getattr(case, attr), attr
    assert snapshot(workspace) == before

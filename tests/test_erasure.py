"""Deleted means erased: after deleting an import, no byte of its personal data is left in the workspace
folder (database, write-ahead log, key, lock) or in the temporary folder; a process killed during the
delete leaves the workspace whole."""

import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx.ingest import delete_import, erase_import, import_file, list_imports
from cx.workspace import Workspace
from tests.conftest import ON_LAKE, ROOT


@pytest.fixture
def canary():
    """Unique per test, so a run in another folder never matches ours."""
    tag = uuid.uuid4().hex[:8]
    return {"email": f"canary.zz91.{tag}@example.com", "name": f"Zoltan Canaryson{tag}", "header": f"note zz91{tag}"}


@pytest.fixture
def private_tmp(tmp_path, monkeypatch):
    """tempfile's folder for this test alone, so every temporary copy made can be searched."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    monkeypatch.setenv("TMPDIR", str(folder))
    return folder


def needles(canary) -> list[bytes]:
    values = [canary["email"], canary["email"].upper(), canary["name"], canary["name"].split()[1], canary["header"]]
    return [v.encode(enc) for v in values for enc in ("utf-8", "utf-16-le")]


def found_in(folder: Path, canary) -> list[str]:
    hits = []
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            data = path.read_bytes()
            hits += [f"{path.relative_to(folder)}: {n!r}" for n in needles(canary) if n in data]
    return hits


def canary_files(folder: Path, canary) -> dict[str, Path]:
    """A CRM export (an unreadable row and a bad date holding the canary: rejects keep raw values), and web
    events whose unmapped `email` column and canary-named column are kept in `properties`."""
    folder.mkdir(parents=True, exist_ok=True)
    e, n = canary["email"], canary["name"]
    crm = folder / "crm.csv"
    crm.write_text(
        "customer_id,email,name,signup_date\n"
        f"{e},{e},{n},2025-01-01\n"
        f"K2,{e},{n},2025-01-01,one field too many {e}\n"
        f"K3,{e.upper()},{n},{e}\n",
        encoding="utf-8",
    )
    events = folder / "events.csv"
    events.write_text(
        f"event_time,visitor_id,event_name,email,{canary['header']}\n"
        f"2025-01-01 10:00,v1,view,{e},{n}\n"
        f"2025-01-01 10:01,{e},purchase,{e},{n}\n",
        encoding="utf-8",
    )
    return {"crm": crm, "events": events}


def other_files(folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    a = folder / "others.csv"
    a.write_text("customer_id,email,name\nO1,other@example.org,Ann Other\nO2,second@example.org,Bo Second\n")
    b = folder / "orders.csv"
    b.write_text("order_id,customer_id,order_date,total\nA1,O1,2025-01-01,10\nA2,O2,2025-01-02,20\n")
    return [a, b]


def state(ws: Workspace) -> dict:
    with ws.cursor() as cur:
        return {
            "imports": sorted(r[0] for r in cur.execute("select import_id from imports").fetchall()),
            "rows": ws.table_counts(),
            "rejects": cur.execute("select count(*) from rejects").fetchall()[0][0],
        }


@pytest.mark.parametrize("pseudonymise", [True, False], ids=["pseudonymised", "clear"])
def test_a_deleted_import_leaves_no_byte_in_the_workspace_folder_or_the_temp_folder(
    tmp_path, private_tmp, canary, pseudonymise
):
    folder = tmp_path / "workspace"
    ws = Workspace(folder / "w.duckdb")
    for f in other_files(tmp_path / "src"):
        import_file(ws, f)
    before = state(ws)
    files = canary_files(tmp_path / "src", canary)
    crm = import_file(ws, files["crm"], pseudonymise=pseudonymise)
    assert (crm.rows_loaded, crm.rows_rejected) == (1, 2)
    events = import_file(ws, files["events"], pseudonymise=pseudonymise)
    with ws.cursor() as cur:
        properties = cur.execute("select properties from events").fetchall()
        cur.execute(
            "insert into persona_members select customer_id, 1 from customers where import_id = $id",
            {"id": crm.import_id},
        )
    assert "email" in properties[0][0]
    for f in files.values():
        f.unlink()  # the user's own copies, outside Parcours
    with ws.cursor() as cur:
        cur.execute("checkpoint")
    assert found_in(folder, canary), "the canary should be in the workspace before the delete"

    doc = erase_import(ws, crm.import_id)
    assert doc["deleted"] == crm.import_id
    assert doc["rows"]["customers"] == 1 and doc["rows"]["rejects"] == 2
    assert delete_import(ws, events.import_id) == 2
    assert state(ws) == before
    with ws.cursor() as cur:
        assert cur.execute("select count(*) from persona_members").fetchall()[0][0] == 0
        assert cur.execute("select count(*) from mappings").fetchall()[0][0] == 2  # the others' mappings
        cur.execute("checkpoint")
    assert found_in(folder, canary) == []
    ws.close()
    assert found_in(folder, canary) == []
    assert found_in(private_tmp, canary) == []
    assert list(private_tmp.iterdir()) == []
    assert not [p for p in Path(tempfile.gettempdir()).iterdir() if p.name.startswith("cx-")]


def test_the_rewrite_keeps_everything_else(tmp_path, canary):
    ws = Workspace(tmp_path / "w.duckdb")
    others = [import_file(ws, f) for f in other_files(tmp_path / "src")]
    files = canary_files(tmp_path / "src", canary)
    crm = import_file(ws, files["crm"])
    with ws.cursor() as cur:
        cur.execute("insert into journey_notes values ('achat', 'a note', now()::timestamp)")
        schema = cur.execute("select sql from duckdb_tables() order by table_name").fetchall()
        macros = cur.execute(
            "select count(*) from duckdb_functions() where function_name like 'cx_%' and function_type = 'macro'"
        ).fetchall()
    delete_import(ws, crm.import_id)
    with ws.cursor() as cur:
        assert cur.execute("select sql from duckdb_tables() order by table_name").fetchall() == schema
        assert (
            cur.execute(
                "select count(*) from duckdb_functions() where function_name like 'cx_%' and function_type = 'macro'"
            ).fetchall()
            == macros
        )
        assert cur.execute("select note from journey_notes").fetchall() == [("a note",)]
    # the import id sequence goes on (a new import never reuses a deleted one's number) and keys hold
    nxt = import_file(ws, canary_files(tmp_path / "again", canary)["events"])
    assert nxt.import_id == crm.import_id + 1
    if not ON_LAKE:  # (a lake has no keys: cx/keys.py)
        with pytest.raises(Exception, match="(?i)constraint|duplicate"), ws.transaction() as cur:
            cur.execute("insert into cx_meta values ('schema_version', '0')")
    assert [i.import_id for i in others] == sorted(list_imports(ws)["import_id"].tolist())[:2]
    ws.close()


def test_a_file_loaded_in_clear_then_replaced_pseudonymised_leaves_no_clear_text(tmp_path, private_tmp, canary):
    folder = tmp_path / "ws"
    ws = Workspace(folder / "w.duckdb")
    crm = canary_files(tmp_path / "src", canary)["crm"]
    crm.write_text("\n".join(crm.read_text().splitlines()[:2]) + "\n")  # no rejected row: they keep raw text
    first = import_file(ws, crm, pseudonymise=False)
    with ws.cursor() as cur:
        cur.execute("checkpoint")
    assert found_in(folder, canary)
    again = import_file(ws, crm, pseudonymise=True, on_duplicate="replace")
    assert again.import_id != first.import_id and again.rows_loaded == 1
    with ws.cursor() as cur:
        assert cur.execute("select email from customers").fetchall() == [(ws.pseudonymise(canary["email"]),)]
    crm.unlink()
    clear = [h for h in found_in(folder, canary) if repr(canary["email"].encode()) in h]
    ws.close()
    assert clear == []


def test_every_workspace_of_the_process_reopens_on_the_new_file(tmp_path):
    path = tmp_path / "w.duckdb"
    a, b = Workspace(path), Workspace(path)
    first, _ = (import_file(a, f) for f in other_files(tmp_path / "src"))
    held, release = threading.Event(), threading.Event()

    def reader():  # a session of the app in the middle of a query
        with b.cursor() as cur:
            held.set()
            release.wait(5)
            cur.execute("select count(*) from orders").fetchall()

    t = threading.Thread(target=reader)
    t.start()
    held.wait(5)
    done = threading.Event()
    eraser = threading.Thread(target=lambda: (delete_import(a, first.import_id), done.set()))
    eraser.start()
    time.sleep(0.3)
    assert not done.is_set(), "the rewrite must wait for open cursors"
    release.set()
    t.join(5)
    eraser.join(30)
    assert done.is_set()
    assert b.table_counts()["customers"] == 0 and b.table_counts()["orders"] == 2
    import_file(b, other_files(tmp_path / "more")[0], on_duplicate="keep")
    assert a.table_counts()["customers"] == 2
    a.close()
    b.close()
    c = Workspace(path)
    assert c.table_counts()["customers"] == 2
    c.close()


@pytest.mark.file_only("the rewritten file's permissions")
def test_the_rewritten_file_keeps_the_permissions_of_the_old_one(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    first, _ = (import_file(ws, f) for f in other_files(tmp_path / "src"))
    os.chmod(ws.path, 0o600)
    delete_import(ws, first.import_id)
    assert oct(ws.path.stat().st_mode & 0o777) == "0o600"
    ws.close()


def test_unknown_import_is_refused_and_nothing_changes(tmp_path):
    ws = Workspace(tmp_path / "w.duckdb")
    imports = [import_file(ws, f) for f in other_files(tmp_path / "src")]
    before = state(ws)
    with pytest.raises(Exception, match="no import #99"):
        erase_import(ws, 99)
    assert state(ws) == before and len(imports) == 2
    ws.close()


def cx(*args, db, env=None):
    return subprocess.run(
        [sys.executable, "-m", "cx", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, "CX_DB": str(db), **(env or {})},
        check=False,
    )


def test_cli_delete_json_and_unknown_id(tmp_path, private_tmp, canary):
    db = tmp_path / "ws" / "w.duckdb"
    files = canary_files(tmp_path / "src", canary)
    out = cx("import", str(files["crm"]), "--keep-personal-data", "--json", db=db)
    assert out.returncode == 0, out.stderr
    import_id = json.loads(out.stdout)["imports"][0]["import_id"]
    files["crm"].unlink()
    out = cx("delete", str(import_id), "--json", db=db, env={"TMPDIR": str(private_tmp)})
    assert out.returncode == 0, out.stderr
    doc = json.loads(out.stdout)
    assert doc["deleted"] == import_id
    assert doc["rows"] == {"events": 0, "customers": 1, "orders": 0, "tickets": 0, "responses": 0, "rejects": 2}
    assert found_in(db.parent, canary) == [] and found_in(private_tmp, canary) == []
    out = cx("delete", str(import_id), db=db)
    assert out.returncode == 2
    assert f"no import #{import_id}" in out.stderr and "Traceback" not in out.stderr
    out = cx("delete", "3", db=db)
    assert "no import #3" in out.stderr and out.returncode == 2
    out = cx("delete", "--help", db=db)
    assert "IMPORT_ID" in out.stdout


KILLER = """
import sys, time
sys.path.insert(0, {root!r})
from cx import rewrite
from cx.workspace import Workspace
from cx.ingest import erase_import
stop = sys.argv[1]

def pause(name):
    print(name, flush=True)
    if name == stop:
        time.sleep(60)

rewrite.step = pause
mark = rewrite.mark_pending
def marked(cur):
    mark(cur)
    pause("in-transaction")
rewrite.mark_pending = marked
ws = Workspace(sys.argv[2])
pause("opened")
erase_import(ws, int(sys.argv[3]))
print("erased", flush=True)
"""


def _prepared(tmp_path, canary, extra_events: int = 0) -> tuple[Path, int, dict, dict]:
    """A workspace with two other imports and the canary's CRM import (clear text); returns the states
    before and after its deletion."""
    db = tmp_path / "ws" / "w.duckdb"
    ws = Workspace(db)
    for f in other_files(tmp_path / "src"):
        import_file(ws, f)
    if extra_events:  # a bigger workspace, so that the rewrite takes a moment
        with ws.cursor() as cur:
            cur.execute(
                "insert into events (import_id, event_time, visitor_id, event_name) select 0, "
                "timestamp '2025-01-01' + to_seconds(i), 'v' || i, 'view' from range($n) t(i)",
                {"n": extra_events},
            )
    after = state(ws)
    crm = canary_files(tmp_path / "src", canary)["crm"]
    target = import_file(ws, crm, pseudonymise=False).import_id
    before = state(ws)
    ws.close()
    crm.unlink()
    return db, target, before, after


def _outcome(db: Path, canary, before: dict, after: dict) -> str:
    ws = Workspace(db)  # opens, and finishes an erasure a kill interrupted
    try:
        s = state(ws)
    finally:
        ws.close()
    if s == before:
        return "before"
    assert s == after
    assert not [p.name for p in db.parent.iterdir() if p.name.endswith((".rewrite", ".old", ".rewrite.wal"))]
    assert found_in(db.parent, canary) == []
    return "after"


@pytest.mark.file_only("kills a child process at each stage of the file's rewrite (copy, link, swap)")
@pytest.mark.parametrize("stop", ["opened", "in-transaction", "copy", "copied", "linked", "replaced", "shredded"])
def test_kill_9_during_delete_leaves_the_workspace_whole(tmp_path, canary, stop):
    db, target, before, after = _prepared(tmp_path, canary)
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(root=str(ROOT)))
    proc = subprocess.Popen(
        [sys.executable, str(script), stop, str(db), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        for line in proc.stdout:
            if line.strip() == stop:
                break
        else:
            pytest.fail(f"never reached {stop}: {proc.stderr.read()}")
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.wait(10)
    expected = "before" if stop in ("opened", "in-transaction") else "after"
    assert _outcome(db, canary, before, after) == expected


@pytest.mark.file_only("kills a child process during the file's rewrite")
@pytest.mark.parametrize("delay", [0.1, 0.5, 1.0])
def test_kill_9_at_any_moment_of_a_delete_leaves_the_workspace_whole(tmp_path, canary, delay):
    db, target, before, after = _prepared(tmp_path, canary, extra_events=300_000)
    script = tmp_path / "killer.py"
    script.write_text(KILLER.format(root=str(ROOT)))
    proc = subprocess.Popen(
        [sys.executable, str(script), "never", str(db), str(target)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    for line in proc.stdout:
        if line.strip() == "opened":
            break
    time.sleep(delay)
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    assert _outcome(db, canary, before, after) in ("before", "after")


def _history(at):
    """The Data page's import history: the table with an import_id column."""
    return next(d.value for d in at.dataframe if "import_id" in d.value.columns)


def test_delete_from_the_data_page_erases_the_upload(tmp_path, private_tmp, canary, monkeypatch):
    folder = tmp_path / "ws"
    monkeypatch.setenv("CX_DB", str(folder / "w.duckdb"))
    ws = Workspace(folder / "w.duckdb")
    others = [import_file(ws, f) for f in other_files(tmp_path / "src")]
    ws.close()
    crm = canary_files(tmp_path / "src", canary)["crm"]
    data = crm.read_bytes()
    crm.unlink()
    at = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.run()
    at.file_uploader[0].upload("zoltan.csv", data, "text/csv")
    at.toggle[0].set_value(False)  # keep clear text: the hardest case
    at.run()
    assert not at.exception
    assert list(private_tmp.iterdir()) == [], "the upload is on disk only while it is read"
    at.button(key="load").click().run()
    assert not at.exception
    assert list(private_tmp.iterdir()) == []
    assert found_in(folder, canary)
    history = _history(at)  # the rejected rows of an import may be drawn below it
    target = int(history["import_id"].max())
    assert target not in [i.import_id for i in others]
    at.selectbox(key="delete_pick").set_value(target).run()
    at.button(key="delete").click().run()
    at.button(key="delete_confirm").click().run()
    assert not at.exception
    assert _history(at)["import_id"].tolist() == sorted((i.import_id for i in others), reverse=True)
    assert found_in(folder, canary) == []
    assert found_in(private_tmp, canary) == []


def test_temporary_copies_go_whatever_the_outcome(tmp_path, private_tmp):
    from cx.errors import CxError
    from cx.ingest import detect_file

    ws = Workspace(tmp_path / "w.duckdb")
    good = tmp_path / "latin.csv"
    good.write_bytes("customer_id;nom;ville\nC1;Zoé;Besançon\n".encode("cp1252"))  # transcoded to a copy
    detect_file(ws, good)
    import_file(ws, good)
    bad = tmp_path / "bad.csv"
    bad.write_bytes("a;b\n".encode("cp1252") + b"\xe9;\xe8\n")  # headers that fit no kind: refused
    with pytest.raises(CxError):
        import_file(ws, bad)
    assert list(private_tmp.iterdir()) == []
    ws.close()


def test_sweep_removes_the_folders_of_killed_processes_only(tmp_path, private_tmp):
    from cx import tempfiles

    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True, check=True
    ).stdout.strip()
    left = private_tmp / f"cx-import-{dead}-abc"
    left.mkdir()
    (left / "transcoded.csv").write_text("raw bytes")
    mine = tempfiles.private_dir("upload")
    unrelated = private_tmp / "cx-notes"
    unrelated.mkdir()
    assert tempfiles.sweep() == 1
    assert not left.exists() and mine.exists() and unrelated.exists()
    with tempfiles.private_copy(b"bytes") as path:
        assert path.read_bytes() == b"bytes" and oct(path.stat().st_mode & 0o777) == "0o600"
    assert not path.exists() and not path.parent.exists()

""" "Use my own data" sticks (cx/demo.py): the demo never comes back into a workspace whose user chose their own
data, even an empty one; the work done on the demo (notes, renames, statuses, workshops, thresholds, keywords)
leaves with it, the user's own work stays; `python -m cx demo` still loads it on request."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from cx.__main__ import run as cx_main
from cx.demo import DemoRemoval, demo_dismissed, demo_removal, has_demo_data, remove_demo, should_load_demo
from cx.friction import Finding, load_statuses, set_finding_status
from cx.ingest import import_file
from cx.journey import journey_notes, save_journey_note
from cx.maturity import list_workshops, save_threshold, save_workshop
from cx.personas import persona_names, rename_persona
from cx.text import add_theme_keyword, user_keywords
from cx.workspace import Workspace
from tests.conftest import ROOT, write


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    return tmp_path / "w.duckdb"


def new_session(lang="en") -> AppTest:
    """A new browser session on app.py: nothing in its session state, so app.py decides about the demo."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = lang
    return at.run()


def banner(at) -> bool:
    return any("demo data" in m.value for m in at.markdown)


def finding(key="CHECKOUT_TROUBLE|payment|", start=dt.date(2025, 3, 1)):
    return Finding(
        "CHECKOUT_TROUBLE",
        key,
        {},
        "purchase",
        "payment",
        None,
        start,
        start + dt.timedelta(days=6),
        "high",
        0.2,
        0.1,
        "rate",
        0.001,
        3.0,
        1,
        10,
        None,
        {},
    )


def work_on(ws, tag):
    """Everything a workshop can save, each marked with `tag`."""
    save_journey_note(ws, "purchase" if tag == "demo" else "retention", f"{tag} note")
    rename_persona(ws, 1 if tag == "demo" else 2, f"{tag} persona")
    set_finding_status(ws, finding(key=f"CHECKOUT_TROUBLE|{tag}|"), "dismissed")
    save_workshop(ws, f"{tag} workshop", dt.date(2025, 3, 1), {})
    save_threshold(ws, "no_bounce" if tag == "demo" else "engagement", 42.5)
    add_theme_keyword(ws, "delivery", f"{tag}word")


def test_use_my_own_data_survives_a_rerun_and_a_new_session(db):
    # a brand-new workspace opens on the sample data…
    at = new_session()
    assert not at.exception
    assert banner(at)
    # …the user writes a workshop note on it, then chooses their own data
    ws = Workspace(db)
    save_journey_note(ws, "purchase", "Paiement : trop d'étapes (atelier sur la démo)")
    ws.close()
    # the first click only asks, saying what will go; nothing is removed until confirmed
    at.button(key="use_my_data").click().run()
    assert not at.exception
    [warning] = [w.value for w in at.warning if "Remove the demo?" in w.value]
    assert "the demo data (" in warning and "workshop notes: 1" in warning and "persona names" not in warning
    at.button(key="use_my_data_cancel").click().run()
    assert not at.exception and not [w for w in at.warning if "Remove the demo?" in w.value]
    assert banner(at)  # still the demo
    at.button(key="use_my_data").click().run()
    at.button(key="use_my_data_confirm").click().run()
    assert not at.exception
    # said once it is done, on the Data page the user is sent to
    assert any(s.value.startswith("Demo removed (") for s in at.success)
    ws = Workspace(db)
    assert not has_demo_data(ws) and demo_dismissed(ws)
    assert ws.table_counts() == {t: 0 for t in ws.table_counts()}
    assert journey_notes(ws)["purchase"] == ""  # the demo's note left with it
    ws.close()
    # a rerun of that session, then a brand-new session: the workspace stays empty, no demo banner
    at.run()
    assert not at.exception and not banner(at)
    again = new_session()
    assert not again.exception and not banner(again)
    assert any("workspace is empty" in i.value for i in again.info)
    ws = Workspace(db)
    assert ws.table_counts() == {t: 0 for t in ws.table_counts()}
    ws.close()


def test_the_demo_notes_leave_with_it_on_the_journey_page(db, monkeypatch):
    from tests.conftest import run_view

    ws = Workspace(db)
    import_file(
        ws, write(db.parent, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"), is_demo=True
    )
    save_journey_note(ws, "purchase", "Note written on the demo")
    ws.close()
    at = run_view("journey", db, monkeypatch)
    assert "Note written on the demo" in [a.value for a in at.text_area]
    remove_demo(Workspace(db))
    at = run_view("journey", db, monkeypatch)
    assert not at.exception
    assert "Note written on the demo" not in [a.value for a in at.text_area]


def test_removing_the_demo_keeps_the_users_own_work(ws, tmp_path):
    demo_file = write(tmp_path, "demo.csv", "order_id,customer_id,order_date,total\nD1,DEMO1,2025-01-03,10\n")
    import_file(ws, demo_file, is_demo=True)
    work_on(ws, "demo")
    # then the user brings their own data and works on it, before choosing to drop the demo
    import_file(ws, write(tmp_path, "mine.csv", "order_id,customer_id,order_date,total\nM1,ME1,2025-02-03,30\n"))
    work_on(ws, "mine")
    with ws.cursor() as cur:
        cur.execute("insert into persona_members values ('DEMO1', 1), ('ME1', 2)")
    # what the confirmation says will go: the demo's import and row, one of each kind of work done on it
    assert demo_removal(ws) == DemoRemoval(1, 1, 1, 1, 1, 1, 1, 1)
    assert remove_demo(ws) == 1
    assert demo_removal(ws) == DemoRemoval(0, 0, 0, 0, 0, 0, 0, 0)
    assert journey_notes(ws)["purchase"] == "" and journey_notes(ws)["retention"] == "mine note"
    assert persona_names(ws) == {2: "mine persona"}
    assert load_statuses(ws)["key"].tolist() == ["CHECKOUT_TROUBLE|mine|"]
    assert list_workshops(ws)["name"].tolist() == ["mine workshop"]
    assert ("delivery", "mineword") in user_keywords(ws) and ("delivery", "demoword") not in user_keywords(ws)
    with ws.cursor() as cur:
        assert cur.execute("select criterion from maturity_thresholds").fetchall() == [("engagement",)]
    with ws.cursor() as cur:
        assert cur.execute("select * from persona_members").fetchall() == [("ME1", 2)]
    assert ws.table_counts()["orders"] == 1 and not should_load_demo(ws)


def test_work_saved_before_the_demo_came_in_is_the_users(ws, tmp_path):
    # the user's data and notes were there first; the demo was loaded on top (`cx demo`), then removed
    import_file(ws, write(tmp_path, "mine.csv", "order_id,customer_id,order_date,total\nM1,ME1,2025-02-03,30\n"))
    save_journey_note(ws, "retention", "mine note")
    import_file(
        ws, write(tmp_path, "demo.csv", "order_id,customer_id,order_date,total\nD1,DEMO1,2025-01-03,10\n"), is_demo=True
    )
    save_journey_note(ws, "purchase", "written with both")  # not demo-only: the user's data was there
    remove_demo(ws)
    assert journey_notes(ws)["retention"] == "mine note" and journey_notes(ws)["purchase"] == "written with both"


def test_a_workspace_that_had_imports_never_gets_the_demo(ws, tmp_path):
    assert should_load_demo(ws)
    report = import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"))
    from cx.ingest import delete_import

    delete_import(ws, report.import_id)
    assert ws.table_counts()["orders"] == 0 and not demo_dismissed(ws)
    assert not should_load_demo(ws)  # empty, but the user brought data once


def test_cx_demo_still_loads_it_after_use_my_own_data(db, capsys):
    ws = Workspace(db)
    import_file(
        ws, write(db.parent, "o.csv", "order_id,customer_id,order_date,total\nA1,C1,2025-01-03,10\n"), is_demo=True
    )
    remove_demo(ws)
    assert demo_dismissed(ws)
    ws.close()
    assert cx_main(["demo", "--db", str(db), "--json"]) == 0
    capsys.readouterr()
    ws = Workspace(db)
    assert has_demo_data(ws) and not demo_dismissed(ws) and ws.table_counts()["orders"] > 1000
    ws.close()
    # and the app shows it, with its banner
    at = new_session()
    assert not at.exception and banner(at)


def test_a_demo_load_cut_short_is_finished_on_the_next_start(tmp_path):
    from cx.demo import DEMO_FILES, SAMPLE_DIR, load_demo
    from cx.ingest import list_imports

    ws = Workspace(tmp_path / "w.duckdb")
    import_file(ws, SAMPLE_DIR / DEMO_FILES[0], is_demo=True)  # the page was left after the first file
    assert should_load_demo(ws)
    load_demo(ws)
    assert not should_load_demo(ws)
    assert list_imports(ws)["is_demo"].tolist() == [True] * len(DEMO_FILES)
    ws.close()

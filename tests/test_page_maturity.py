"""AppTest of the Maturity page: pyramid placement and why it stops, criteria table, pillars with evidence,
the workshop questionnaire filled and compared, thresholds edited, filters, empty state."""

import pytest
from streamlit.testing.v1 import AppTest

from cx import maturity as m
from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT, run_view
from tests.test_maturity import fill


@pytest.fixture
def db(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    fill(ws)
    ws.close()
    return db


def run(db, monkeypatch, filters=Filters(), lang="en"):
    return run_view("maturity", db, monkeypatch, filters, lang)


def test_placement_why_criteria_and_pillars(db, monkeypatch):
    at = run(db, monkeypatch)
    assert not at.exception
    # no web events: level 1 (bounce, engagement) has no data, so nothing is reached and the page says why
    assert at.subheader[0].value == "Level reached: none (level 1 does not hold)"
    why = " ".join(x.value for x in at.markdown)
    assert "no data" in why and "web events" in why
    criteria = at.dataframe[0].value
    assert len(criteria) == 15
    row = criteria[criteria["criterion"] == "Deliveries on the promised date (%)"].iloc[0]
    assert (row["value"], row["met"]) == ("75.0", "✗ no")  # 3 of 4 on time < 90
    evidence = at.dataframe[1].value.set_index("pillar")
    assert evidence.at["Resolution", "score"] == "75"
    assert "tickets resolved 75.0%" in evidence.at["Resolution", "evidence"]
    assert evidence.at["Integrity", "evidence"] == "no data: no export measures it — score it in the workshop"
    assert len(at.radio) == 18


@pytest.mark.parametrize(
    "lang, engaged, missing, unavailable",
    [
        ("fr", "Visites engagées (%)", "? données manquantes", "Visites engagées (%) : non disponible"),
        ("en", "Engaged visits (%)", "? data missing", "Engaged visits (%): not available"),
    ],
)
def test_web_events_without_pages_or_durations_leave_engagement_unavailable_not_failed(
    db, monkeypatch, lang, engaged, missing, unavailable
):
    """Two Matomo "visit" events (one instant per visit, no page): engagement cannot be measured, so it is
    said unavailable like the bounce criterion above it, not "0.0 measured" failing level 1."""
    import datetime as dt

    from tests.test_satisfaction import insert

    ws = Workspace(db)
    insert(
        ws,
        "events",
        [
            {
                "event_time": dt.datetime(2025, 3, 1, 9, i),
                "visitor_id": f"v{i}",
                "session_id": f"s{i}",
                "event_name": "visit",
            }
            for i in range(2)
        ],
    )
    ws.close()
    at = run(db, monkeypatch, lang=lang)
    assert not at.exception
    criteria = at.dataframe[0].value.set_index("criterion")
    assert criteria.at[engaged, "value"] == "—"
    assert criteria.at[engaged, "met"] == missing
    why = " ".join(x.value for x in at.markdown).replace("\\", "")  # the page escapes Markdown signs
    assert unavailable in why


def test_french_is_the_default_language(db, monkeypatch):
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    assert at.title[0].value.startswith("Maturité")
    assert at.dataframe[1].value.set_index("pillar").at["Résolution", "score"] == "75"


def test_filling_the_questionnaire_saves_a_workshop_and_shows_disagreements(db, monkeypatch):
    at = run(db, monkeypatch)
    at.text_input(key="mat_name").input("Comité de juin")
    for q in m.QUESTIONS:
        at.radio(key=f"mat_{q.id}").set_value("Yes" if q.kind == "yesno" else 5)
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("Comité de juin" in s.value for s in at.success)
    ws = Workspace(db)
    shops = m.list_workshops(ws)
    ws.close()
    assert shops["name"].tolist() == ["Comité de juin"] and shops["answered"].tolist() == [18]
    assert shops["level"].tolist() == [6]  # every answer at the top: 100 everywhere
    # the workshop says level 1 holds; the data has none for it → the workshop answers stand in (level 1 reached)
    assert at.subheader[0].value == "Level reached: 1 / 6"
    compare = at.dataframe[2].value
    assert "⚠ disagree" in set(compare["disagree"])
    # resolution: data 75 vs workshop 100 → 25 points apart → disagree
    assert compare.set_index("item").at["Resolution", "disagree"] == "⚠ disagree"
    assert any("disagreement" in w.value for w in at.warning)


def test_an_edited_threshold_is_shown_and_judged(db, monkeypatch):
    ws = Workspace(db)
    m.save_threshold(ws, "on_time_delivery", 70)  # 75 % on time: fails at the default 90, holds at 70
    ws.close()
    at = run(db, monkeypatch)
    criteria = at.dataframe[0].value.set_index("criterion")
    assert criteria.at["Deliveries on the promised date (%)", "met"] == "✓ yes"
    assert criteria.at["Deliveries on the promised date (%)", "rule"] == "≥ 70.0"  # a sign, not code's ">="
    editor = at.dataframe[-1].value.set_index("criterion")  # the threshold editor
    assert editor.at["Deliveries on the promised date (%)", "threshold"] == 70.0
    assert editor.at["Deliveries on the promised date (%)", "default"] == 90.0
    assert editor.at["Deliveries on the promised date (%)", "comparison"] == "≥"
    reset = next(b for b in at.button if b.label == "Back to the default thresholds")
    reset.click().run()
    assert at.dataframe[0].value.set_index("criterion").at["Deliveries on the promised date (%)", "met"] == "✗ no"


def test_segment_filter_is_honoured(db, monkeypatch):
    at = run(db, monkeypatch, Filters(segment="Pro"))
    assert not at.exception
    criteria = at.dataframe[0].value
    assert criteria.set_index("criterion").at["Deliveries on the promised date (%)", "value"] == "100.0"


def test_empty_workspace_says_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "empty.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/maturity.py").run()
    assert not at.exception
    assert "Load web events" in at.info[0].value


def test_the_criteria_table_fits_at_1280_px_and_wraps_the_linked_findings(db, monkeypatch):
    """At 1280 px the table has about 818 px: its widths (990 px, the findings "large") needed a horizontal scroll
    and cut "Incident dans le tunnel, Événements d…". Now 95 + 245 + 55 + 65 + 80 + 235 = 775 px (a wider screen
    stretches them), rows tall enough for Streamlit to wrap a cell (over 64 px), every criterion shown; "Valeur"
    for "Valeur mesurée" (the full wording in its tooltip)."""
    import json

    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    frame = at.dataframe[0].proto
    columns = json.loads(frame.columns)
    assert sum(columns[c]["width"] for c in ("level", "criterion", "value", "rule", "met", "findings")) == 775
    assert frame.row_height > 64
    assert (columns["value"]["label"], columns["value"]["help"]) == ("Valeur", "Valeur mesurée")

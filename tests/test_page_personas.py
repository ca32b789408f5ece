"""AppTest of the Personas page: cards, comparison, the funnel per persona, rename (kept), escaped quotes, empty state."""

import pytest
from streamlit.testing.v1 import AppTest

from cx.models import Filters
from cx.personas import persona_names
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.test_personas import populate

RAW = "**Nul** <script>alert(1)</script> [lien](http://x)"


@pytest.fixture
def app(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    populate(ws)
    with ws.cursor() as cur:  # every regular customer says the same raw text: the quote must stay literal
        cur.execute("update responses set comment = $c where nps < 10", {"c": RAW}).fetchall()
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "personas.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    return at.run()


def _titles(at):
    return [m.value[4:] for m in at.markdown if m.value.startswith("### ")]


def test_cards_show_each_persona(app):
    assert not app.exception and not app.error
    titles = _titles(app)
    assert 3 <= len(titles) <= 7
    assert any(t.startswith("Élodie, ") for t in titles)
    metrics = {m.label: m.value for m in app.metric}
    assert metrics["Known customers"] == "90" and int(metrics["Personas"]) == len(titles)
    # the silhouette in words, its value after: three well-separated blobs of 30 customers are clearly distinct
    assert metrics["How distinct the groups are"].startswith("Clearly (0.")
    text = " ".join(m.value for m in app.markdown)
    assert "30 customers" in text and "NPS +100" in text and "> Livraison rapide, très contente \\! — NPS 10" in text


def test_free_text_quotes_are_escaped(app):
    quotes = [m.value for m in app.markdown if m.value.startswith("> ")]
    assert quotes and not any(RAW in q for q in quotes)
    assert any(r"\*\*Nul\*\* \<script\>" in q for q in quotes)


def test_the_funnel_view_changes_with_the_persona(app):
    box = app.selectbox(key="personas_funnel")
    values = {}
    for option in box.options:
        app.selectbox(key="personas_funnel").select(option).run()
        assert not app.exception
        shown = [m for m in app.metric if m.label.startswith("Converted")]
        values[option] = shown[0].value if shown else None
    # the loyal customers go to purchase (100 %); the regular ones only view; prospects never visit
    assert "100.0%" in values.values() and "0.0%" in values.values() and None in values.values()


def test_comparing_two_personas(app):
    table = next(df.value for df in app.dataframe if "measure" in df.value.columns)
    assert list(table["measure"][:2]) == ["Customers", "Share of customers"]
    app.selectbox(key="personas_b").select_index(2).run()
    assert not app.exception


def test_renaming_is_kept(app, tmp_path):
    app.selectbox(key="personas_rename_pick").select_index(0)
    app.text_input(key="personas_rename_name").input("Les **habitués**")
    next(b for b in app.button if b.label == "Rename").click().run()
    assert not app.exception
    assert "Les \\*\\*habitués\\*\\*" in _titles(app)
    ws = Workspace(tmp_path / "w.duckdb")
    assert list(persona_names(ws).values()) == ["Les **habitués**"]
    ws.close()


def test_french_labels_are_all_translated(app):
    app.session_state["lang"] = "fr"
    app.run()
    assert not app.exception
    texts = [e.value for e in [*app.caption, *app.subheader, *app.markdown, *app.info]] + [m.label for m in app.metric]
    assert not [t for t in texts if "personas." in t]
    assert any(t.startswith("Élodie, ") for t in _titles(app))


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_events_without_a_known_purchase_step_say_to_choose_the_steps_not_to_load_events(tmp_path, monkeypatch, lang):
    """Web events whose names are no known purchase step (a shop's own names): the page said "load web events"
    about a workspace that has them; it says no step was recognised and links to the Funnel page."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    populate(ws)
    with ws.cursor() as cur:
        cur.execute("update events set event_name = 'etape_' || event_name").fetchall()
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)  # through the app: its link needs the pages
    at.session_state["lang"], at.session_state["demo_checked"] = lang, True
    at.run()
    at.switch_page("views/personas.py").run()
    assert not at.exception
    said = " ".join(i.value for i in at.info)
    assert {"fr": "Aucune étape d’achat reconnue", "en": "No purchase step recognised"}[lang] in said
    assert {"fr": "chargez des événements web", "en": "load web events"}[lang] not in said
    links = [p.proto.page for p in at.get("page_link")]
    assert "funnel" in links


def test_empty_workspace_says_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "empty.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/personas.py").run()
    assert not at.exception
    assert any("Load orders, web events" in i.value for i in at.info)


def test_the_personas_page_says_as_of_which_day_recency_is_measured(tmp_path, monkeypatch):
    from cx.workspace import Workspace
    from tests.conftest import run_view
    from tests.test_personas import populate

    ws = Workspace(tmp_path / "p.duckdb")
    populate(ws)
    with ws.cursor() as cur:
        day = cur.execute("select cx_as_of()::date").fetchall()[0][0]
    ws.close()
    at = run_view("personas", tmp_path / "p.duckdb", monkeypatch)
    assert not at.exception
    assert f"Data as of {day.isoformat()} (latest date in the loaded data)" in [c.value for c in at.caption]

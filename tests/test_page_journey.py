"""AppTest of the Journey page: empty state, the five stages with KPIs and changes, reasons for missing
figures, touchpoints, satisfaction, workshop notes saved in the workspace, the stage rules."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from cx.journey import journey_notes
from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.test_journey_data import PERIOD, load_all


def run(db, monkeypatch, lang="en"):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "journey.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["filters"] = PERIOD
    return at.run()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "w.duckdb"
    ws = Workspace(path)
    load_all(ws)
    ws.close()
    return path


def test_empty_workspace_says_what_to_upload(tmp_path, monkeypatch):
    at = run(tmp_path / "empty.duckdb", monkeypatch)
    assert not at.exception
    assert any("upload web events (GA4, Matomo…)" in i.value for i in at.info)


def test_five_stages_with_kpis_and_changes(db, monkeypatch):
    at = run(db, monkeypatch)
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown if m.value.isupper()] == [
        "**AWARENESS**",
        "**CONSIDERATION**",
        "**PURCHASE**",
        "**RETENTION**",
        "**ADVOCACY**",
    ]
    metrics = {m.label: m for m in at.metric}
    assert metrics["Visits"].value == "6" and metrics["Visits"].delta == "+200.0%"  # 6 vs 2
    assert metrics["Bounce rate"].value == "83.3%" and metrics["Bounce rate"].delta == "-16.7 pts"  # vs 100 %
    assert metrics["Average order value"].value == "€62.50" and metrics["Average order value"].delta == "+25.0%"
    assert metrics["NPS"].value == "+20.0" and metrics["NPS"].delta == "+120.0 pts"
    assert metrics["Resolution time"].value == "12.0 h"
    assert metrics["Visit duration"].value == "6.1 min"  # 2193 / 6 = 365.5 s
    assert metrics["Purchase completion"].value == "100.0%" and not metrics["Purchase completion"].delta  # no previous
    captions = " ".join(c.value for c in at.caption)
    assert "Ad impressions" in captions and "No ad events (ad_impression, ad_click)" in captions
    assert "From 2025-03-08 to 2025-03-14" in captions and "2025-03-01 – 2025-03-07" in captions


def test_changes_are_coloured_by_what_is_good(db, monkeypatch):
    at = run(db, monkeypatch)
    colour = {m.label: type(m.proto).MetricColor.Name(m.proto.color) for m in at.metric}
    direction = {m.label: type(m.proto).MetricDirection.Name(m.proto.direction) for m in at.metric}
    assert (direction["Visits"], colour["Visits"]) == ("UP", "GREEN")
    assert (direction["Bounce rate"], colour["Bounce rate"]) == ("DOWN", "GREEN")  # a lower bounce rate is good
    assert (direction["Return rate"], colour["Return rate"]) == ("UP", "RED")  # 33.3 % vs 0 %
    assert colour["Share of new visitors"] == "GRAY"  # neither good nor bad


def test_touchpoints_satisfaction_and_unassigned_events(db, monkeypatch):
    at = run(db, monkeypatch)
    captions = " ".join(c.value for c in at.caption)
    assert "view\\_item (3)" in captions  # markdown-escaped event names
    assert "après achat (1)" in captions
    metrics = {m.label: m.value for m in at.metric}
    # one promoter, one detractor: NPS 0, written as the NPS KPI writes it (one decimal), not "0" beside "+20.0"
    assert metrics["CSAT (n = 2)"] == "50%" and metrics["NPS (n = 2)"] == "0.0"
    assert "Fewer than 30 answers" in captions
    unassigned = at.dataframe[-1].value
    assert unassigned["path"].tolist() == ["/inconnu"]


def test_french_labels(db, monkeypatch):
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    metrics = {m.label: m for m in at.metric}
    assert metrics["Panier moyen"].value == "62,50\u202f€"
    assert metrics["Taux de rebond"].value == "83,3\u202f%"
    assert [m.value.strip("*") for m in at.markdown if m.value.isupper()] == [
        "SENSIBILISATION",
        "ÉVALUATION",
        "ACHAT",
        "RETOUR",
        "RECOMMANDATION",
    ]


def test_workshop_notes_are_saved(db, monkeypatch):
    at = run(db, monkeypatch)
    at.text_area(key="note_purchase").input("Mobile payment: check the card form").run()
    assert not at.exception
    ws = Workspace(db)
    assert journey_notes(ws)["purchase"] == "Mobile payment: check the card form"
    ws.close()
    again = run(db, monkeypatch)
    assert again.text_area(key="note_purchase").value == "Mobile payment: check the card form"


def test_rules_table_save_and_reset(db, monkeypatch):
    at = run(db, monkeypatch)
    assert at.button(key="rules_save").label == "Save the rules"
    at.button(key="rules_save").click().run()
    assert not at.exception
    assert any("Rules saved" in s.value for s in at.success)
    at.button(key="rules_reset").click().run()
    assert any("Default rules restored" in s.value for s in at.success)


def test_customers_only_says_what_is_missing(tmp_path, monkeypatch):
    from tests.test_journey_data import CUSTOMERS, insert

    ws = Workspace(tmp_path / "c.duckdb")
    insert(ws, "customers", ["customer_id", "segment"], CUSTOMERS)
    ws.close()
    at = run(tmp_path / "c.duckdb", monkeypatch)
    assert not at.exception and not at.error
    captions = " ".join(c.value for c in at.caption)
    assert "No web events loaded" in captions and "No orders loaded" in captions


def test_figures_hidden_by_the_filters_say_so(db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "journey.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters(dt.date(2024, 1, 1), dt.date(2024, 1, 31))  # no data then, nor before
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "none of it matches the filters" in captions
    assert "Load" not in captions and "upload" not in captions  # everything is loaded


def test_workshop_mode_shows_every_stage_on_one_screen(db, monkeypatch):
    """The projector layout: each stage named whole (not upper-cased), its figures as lines of text that wrap
    (no metric to cut), the notes; no reach chart and no rules table. Switching it off brings them back."""
    at = run(db, monkeypatch)
    at.toggle(key="workshop").set_value(True).run()
    assert not at.exception and not at.error
    assert [m.value for m in at.markdown if m.value.startswith("#### ")] == [
        "#### Awareness",
        "#### Consideration",
        "#### Purchase",
        "#### Retention",
        "#### Advocacy",
    ]
    assert not at.metric and not at.get("vega_lite_chart") and not at.get("arrow_data_frame")
    text = " ".join(m.value for m in at.markdown)
    # the same figures as the metrics of the normal layout: 6 visits (+200 % on 2), NPS +20 (+120 pts)
    assert "**6** visits (+200.0%)" in text and "**+20.0** NPS (+120.0 pts)" in text
    assert at.text_area(key="note_purchase") is not None
    at.text_area(key="note_purchase").input("Card form on mobile").run()
    ws = Workspace(db)
    assert journey_notes(ws)["purchase"] == "Card form on mobile"
    ws.close()
    at.toggle(key="workshop").set_value(False).run()
    assert at.metric and at.get("vega_lite_chart")


def test_a_stage_no_rule_feeds_says_so_instead_of_zero_visitors(db, monkeypatch):
    from cx.journey import save_stage_rules, stage_rules

    ws = Workspace(db)
    rules = stage_rules(ws)
    rules.loc[rules["stage"] == "advocacy", "enabled"] = False  # no web event goes to the advocacy stage
    save_stage_rules(ws, rules)
    ws.close()
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "**Visiteurs à l’étape** — non disponible : Aucun événement web de ces périodes n’est affecté" in captions
    # the other stages keep their reach (test_journey.py: awareness A, B; consideration 3; purchase A, B; retention A)
    assert [m.value for m in at.metric if m.label == "Visiteurs à l’étape"] == ["2", "3", "2", "1"]


def test_the_whole_data_says_once_there_is_no_comparison(db, monkeypatch):
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "journey.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = "fr", Filters()  # the demo's default: all the data
    at.run()
    assert not at.exception
    captions = " ".join(c.value for c in at.caption)
    # the earliest row is 2 March (tests/test_journey.py), the latest 15 March
    assert "Du 02/03/2025 au 15/03/2025\u202f; pas de données avant le 02/03/2025 : pas de comparaison" in captions
    assert "comparé à la période précédente" not in captions
    assert "**Part de nouveaux visiteurs** — non disponible : Pas d’événement web avant la période" in captions
    assert not any(m.delta for m in at.metric)

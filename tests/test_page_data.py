"""AppTest of the Data page: upload, check what was found, load, read the report, delete the import."""
import pytest
from streamlit.testing.v1 import AppTest

from cx.workspace import Workspace
from tests.conftest import ROOT

CSV = ("N° client;Prénom;E-mail;Date d'inscription;CA total\r\n"
       "C001;Françoise;f@example.fr;31/12/2024;1 234,56 €\r\n"
       ";Zoé;z@example.fr;01/02/2025;3\r\n").encode("cp1252")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    at = AppTest.from_file(str(ROOT / "views" / "data.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    return at.run()


def test_empty_history_says_so(app):
    assert not app.exception
    assert any("No import yet" in i.value for i in app.info)


def test_upload_detect_load_report_and_delete(app, tmp_path):
    app.file_uploader[0].upload("clients.csv", CSV, "text/csv")
    app.run()
    assert not app.exception
    markdown = " ".join(m.value for m in app.markdown)
    assert "clients" in markdown and "Customers" in markdown
    assert any("cp1252" in c.value and "« ; »" in c.value for c in app.caption)
    assert app.selectbox[0].value == "customers"
    load = app.button(key="load")
    assert load.label == "Load 1 file(s)"
    load.click().run()
    assert not app.exception
    metrics = {m.label: m.value for m in app.metric}
    assert metrics == {"Rows read": "2", "Rows loaded": "1", "Rows rejected": "1"}
    rejects = app.dataframe[0].value
    assert rejects[["line", "column", "reason"]].values.tolist() == [[3, "N° client", "required value missing"]]
    history = app.dataframe[1].value
    assert history["file_name"].tolist() == ["clients.csv"]
    app.button(key="delete").click().run()
    assert not app.exception
    ws = Workspace(tmp_path / "w.duckdb")
    assert ws.table_counts()["customers"] == 0
    ws.close()


def test_a_refused_file_shows_a_clear_error_and_changes_nothing(app, tmp_path):
    app.file_uploader[0].upload("photo.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)), "text/csv")
    app.run()
    assert not app.exception
    assert any(r"photo\.csv" in e.value and "not a data export" in e.value for e in app.error)
    assert app.button(key="load").disabled


def test_xlsx_upload_finds_the_data_sheet_and_survey_scales(app):
    survey = (ROOT / "sample_data" / "enquete_satisfaction.xlsx").read_bytes()
    app.file_uploader[0].upload("enquete.xlsx", survey,
                                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    app.run()
    assert not app.exception and not app.error
    assert app.selectbox[0].value == "responses"
    assert app.selectbox[1].value == "Réponses"  # the sheet with data, not the 'Questions' one
    facts = " ".join(c.value for c in app.caption)
    assert "CSAT on 1–5" in facts and "CES on 1–7, higher = easier" in facts

"""Deployment safety (issue 12): no traceback in the browser, localhost by default, the optional password."""

import tomllib

import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import ROOT


def test_streamlit_config_hides_errors_and_binds_to_localhost():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["showErrorDetails"] == "none"
    assert config["server"]["address"] == "localhost"
    from streamlit import config as st_config  # the value is one Streamlit 1.67 accepts

    assert '"none"' in st_config._config_options_template["client.showErrorDetails"].description


def test_tables_offer_no_raw_csv_download():
    """Streamlit's table toolbar would download a comment's `=HYPERLINK(...)` as a live formula (tester5): off, as
    the copy to the clipboard; Parcours' own buttons neutralise formulas."""
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())
    assert config["client"]["disableDataExport"] is True
    from streamlit import config as st_config  # an option Streamlit 1.67 knows (an unknown one is ignored)

    assert "CSV download button" in st_config._config_options_template["client.disableDataExport"].description


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    monkeypatch.delenv("CX_PASSWORD", raising=False)

    def make():
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.session_state["lang"] = "en"
        at.session_state["demo_checked"] = True  # no sample data: the empty workspace is enough
        return at

    return make


def _asks_password(at) -> bool:
    return any(t.label == "Password" for t in at.text_input)


def test_no_password_configured_opens_the_app(app):
    at = app().run()
    assert not at.exception and not _asks_password(at)
    assert at.title and at.title[0].value != "Parcours"  # the overview page ran


def test_the_password_from_the_environment(app, monkeypatch, tmp_path):
    monkeypatch.setenv("CX_PASSWORD", "s3cret é")
    at = app().run()
    assert not at.exception and _asks_password(at)
    assert [t.value for t in at.title] == ["Parcours"]  # nothing else: no page, no workspace
    assert not (tmp_path / "w.duckdb").exists()
    at.text_input(key="cx_password").input("wrong")
    at.button[0].click().run()
    assert _asks_password(at) and at.error and at.error[0].value == "Wrong password."
    at.text_input(key="cx_password").input("s3cret é")
    at.button[0].click().run()
    assert not at.exception and not _asks_password(at) and not at.error
    assert at.session_state["cx_authenticated"]
    at.run()  # stays open for this session
    assert not _asks_password(at)


def test_the_password_from_secrets_in_french(app):
    at = app()
    at.secrets["password"] = "from-secrets"
    at.session_state["lang"] = "fr"
    at.run()
    assert any(t.label == "Mot de passe" for t in at.text_input)
    at.text_input(key="cx_password").input("from-secrets")
    at.button[0].click().run()
    assert not at.exception and not any(t.label == "Mot de passe" for t in at.text_input)

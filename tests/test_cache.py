from streamlit.testing.v1 import AppTest

from cx.ingest import import_file
from tests.conftest import write


def _script():
    import streamlit as st
    from cx.inventory import summarise_tables
    from cx.ui.cache import analysis
    st.session_state["rows"] = int(analysis(summarise_tables)["rows"].sum())


def test_cache_follows_the_data_version(ws, tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(ws.path))
    at = AppTest.from_function(_script, default_timeout=30).run()
    assert at.session_state["rows"] == 0
    import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA,C1,2025-02-20,5\n"))
    at.run()
    assert at.session_state["rows"] == 1

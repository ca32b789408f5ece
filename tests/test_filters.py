"""Global filters: their choices from the data, their SQL parameters, and the sidebar kept in the URL."""

import datetime as dt

from streamlit.testing.v1 import AppTest

from cx.filters import filter_options
from cx.ingest import import_file
from cx.models import Filters
from tests.conftest import write

EVENTS = (
    "event_time,visitor_id,event_name,device,channel\n"
    "2025-03-01 10:00,v1,page_view,mobile,email\n2025-03-05 10:00,v2,page_view,desktop,seo\n"
)


def test_options_span_every_table_and_list_values(ws, tmp_path):
    import_file(ws, write(tmp_path, "e.csv", EVENTS))
    import_file(ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA,C1,2025-02-20,5\n"))
    import_file(ws, write(tmp_path, "c.csv", "customer_id,segment\nC1,VIP\nC2,Pro\nC3,\n"))
    assert filter_options(ws) == {
        "first": dt.date(2025, 2, 20),
        "last": dt.date(2025, 3, 5),
        "device": ["desktop", "mobile"],
        "channel": ["email", "seo"],
        "segment": ["Pro", "VIP"],
        "persona": {},
    }


def test_params_make_the_end_day_inclusive():
    p = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31), device="mobile").params()
    assert p == {
        "start": dt.date(2025, 3, 1),
        "end_excl": dt.date(2025, 4, 1),
        "device": "mobile",
        "channel": None,
        "segment": None,
        "persona": None,
    }
    assert Filters().params()["end_excl"] is None


def _script():
    import streamlit as st

    from cx.ui.filters import sidebar_filters

    st.session_state["result"] = sidebar_filters()


def test_sidebar_reads_and_writes_the_url(ws, tmp_path, monkeypatch):
    import_file(ws, write(tmp_path, "e.csv", EVENTS))
    monkeypatch.setenv("CX_DB", str(ws.path))
    at = AppTest.from_function(_script, default_timeout=30)
    at.query_params["device"] = "mobile"
    at.query_params["from"] = "2025-03-02"
    at.run()
    assert not at.exception
    assert at.session_state["result"] == Filters(dt.date(2025, 3, 2), dt.date(2025, 3, 5), "mobile", None, None)
    at.sidebar.selectbox(key="filter_channel").select("seo").run()
    assert at.session_state["result"].channel == "seo"
    assert at.query_params["channel"] == ["seo"] or at.query_params["channel"] == "seo"


def test_a_persona_restricts_answers_like_a_segment(ws, tmp_path):
    from cx.satisfaction import summarise

    import_file(ws, write(tmp_path, "c.csv", "customer_id,segment\nC1,VIP\nC2,VIP\nC3,Pro\n"))
    import_file(
        ws,
        write(
            tmp_path,
            "r.csv",
            "responded_at,customer_id,nps\n2025-03-01,C1,10\n2025-03-01,C2,0\n2025-03-01,C3,9\n2025-03-01,,5\n",
        ),
    )
    with ws.cursor() as cur:  # personas as cx.personas stores them: 1 = {C1, C3}, 2 = {C2}
        cur.execute("insert into persona_members values ('C1', 1), ('C3', 1), ('C2', 2)")
    from cx.personas import first_name, rename_persona

    rename_persona(ws, 2, "Les exigeants")
    assert filter_options(ws)["persona"] == {1: f"{first_name(1)} (2)", 2: "Les exigeants (1)"}
    # everyone: 2 promoters, 2 detractors of 4 → 0; persona 1: C1 (10), C3 (9) → +100; VIP and persona 2: C2 only
    assert summarise(ws, Filters()).nps.nps == 0
    assert summarise(ws, Filters(persona=1)).nps.nps == 100
    assert summarise(ws, Filters(persona=2)).nps.n == 1
    assert summarise(ws, Filters(segment="VIP", persona=1)).nps.n == 1  # C1: in both


def test_device_choices_are_labelled_in_the_language_and_keep_their_values(ws, tmp_path, monkeypatch):
    import_file(ws, write(tmp_path, "e.csv", EVENTS))
    monkeypatch.setenv("CX_DB", str(ws.path))
    at = AppTest.from_function(_script, default_timeout=30)
    at.session_state["lang"] = "fr"
    at.query_params["device"] = "mobile"
    at.run()
    assert not at.exception
    device = at.sidebar.selectbox(key="filter_device")
    assert device.options == ["Ordinateur", "Mobile"] and device.value == "mobile"
    assert at.sidebar.selectbox(key="filter_channel").options == ["email", "seo"]  # no label: as stored
    device.set_value("desktop").run()
    assert at.session_state["result"].device == "desktop"
    assert at.query_params["device"] in ("desktop", ["desktop"])  # the URL keeps the stored value

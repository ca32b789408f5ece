import pandas as pd
from streamlit.testing.v1 import AppTest

from cx.ingest import import_file
from cx.journey import save_stage_rules, stage_rules
from cx.text import add_theme_keyword
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


def _settings_script():
    import streamlit as st

    from cx.friction import find_friction
    from cx.maturity import measure_maturity
    from cx.ui.cache import analysis

    st.session_state["themes"] = [
        (f.params["theme"], f.params["mentions"])
        for f in analysis(find_friction, with_status=False).findings
        if f.code == "DETRACTOR_THEME"
    ]
    st.session_state["advocacy"] = analysis(measure_maturity)[0]["advocacy_per_100_buyers"]


def test_cache_follows_the_settings_users_edit(ws, tmp_path, monkeypatch):
    """40 detractors write « zorglub encore », 40 promoters « rien à signaler »: no theme names « zorglub »
    until a user adds it to 'delivery', then 'delivery' is named by the 40 detractors and no promoter
    (DETRACTOR_THEME, 40 mentions). 3 'zorglub' events and 2 buyers: no advocacy event until a rule puts
    'zorglub' in advocacy, then 3 events per 2 buyers = 150 per 100 buyers."""
    answers = [f"2025-03-{1 + i % 20:02d},2,zorglub encore" for i in range(40)] + [
        f"2025-03-{1 + i % 20:02d},10,rien a signaler" for i in range(40)
    ]
    import_file(ws, write(tmp_path, "r.csv", "responded_at,nps,comment\n" + "\n".join(answers) + "\n"))
    import_file(
        ws,
        write(
            tmp_path,
            "e.csv",
            "event_time,visitor_id,event_name,page\n"
            "2025-03-01 10:00:00,V1,page_view,/\n2025-03-01 10:01:00,V1,zorglub,/\n"
            "2025-03-01 10:02:00,V1,zorglub,/\n2025-03-02 10:00:00,V2,page_view,/\n"
            "2025-03-02 10:01:00,V2,zorglub,/\n",
        ),
    )
    import_file(
        ws, write(tmp_path, "o.csv", "order_id,customer_id,order_date,total\nA,C1,2025-03-01,5\nB,C2,2025-03-02,5\n")
    )
    monkeypatch.setenv("CX_DB", str(ws.path))
    at = AppTest.from_function(_settings_script, default_timeout=60).run()
    assert at.session_state["themes"] == [] and at.session_state["advocacy"] is None

    add_theme_keyword(ws, "delivery", "zorglub")
    at.run()
    assert at.session_state["themes"] == [("delivery", 40)]

    rule = pd.DataFrame(
        [{"rule_order": 0, "match_type": "event", "pattern": "zorglub", "stage": "advocacy", "enabled": True}]
    )
    save_stage_rules(ws, pd.concat([rule, stage_rules(ws)]))
    at.run()
    assert at.session_state["advocacy"] == 150.0

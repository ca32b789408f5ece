"""AppTest of the Funnel page: empty state, the proposed funnel, steps, mode, breakdown, paths, download."""

import datetime as dt

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT

T0 = dt.datetime(2025, 3, 3, 10)


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    return tmp_path / "w.duckdb"


def seed(db):
    """40 mobile visitors: view → cart (10 of them) → purchase (5); 40 desktop: view → cart (30) → purchase (20)."""
    rows = []
    for device, carts, buys in (("mobile", 10, 5), ("desktop", 30, 20)):
        for i in range(40):
            v = f"{device}{i}"
            names = ["view_item"] + ["add_to_cart"] * (i < carts) + ["purchase"] * (i < buys)
            rows += [
                {
                    "visitor_id": v,
                    "event_time": T0 + dt.timedelta(minutes=k),
                    "event_name": n,
                    "device": device,
                    "session_id": v,
                }
                for k, n in enumerate(names)
            ]
            if i >= carts:
                rows.append(
                    {
                        "visitor_id": v,
                        "event_time": T0 + dt.timedelta(minutes=5),
                        "event_name": "search",
                        "device": device,
                        "session_id": v,
                    }
                )
    ws = Workspace(db)
    with ws.cursor() as cur:
        cur.register("frame", pd.DataFrame(rows))
        cur.execute(
            "insert into events (import_id, visitor_id, event_time, event_name, device, session_id) "
            "select 1, visitor_id, event_time, event_name, device, session_id from frame"
        )
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, status) values (1, 'e.csv', 'x', "
            "'events', 'loaded')"
        )
    ws.close()


def run_page(**state):
    at = AppTest.from_file(str(ROOT / "views" / "funnel.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    for key, value in state.items():
        at.session_state[key] = value
    return at.run()


def test_empty_workspace_says_what_to_upload(db):
    # through app.py, whose navigation the link to the Data page needs; demo_checked keeps the sample data out
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert any("load web analytics events" in i.value for i in at.info)


@pytest.mark.parametrize(
    "lang, says, link",
    [
        ("fr", ["au moins deux sortes d’événements", "« visit »", "GA4, ou Matomo avec ses événements"], "Aller"),
        ("en", ["at least two kinds of events", "“visit”", "GA4, or Matomo with its events"], "Go to"),
    ],
)
def test_one_kind_of_event_says_a_funnel_needs_two_and_links_to_data(db, lang, says, link):
    """Two Matomo "visit" events, no page: one possible step. No one-option dropdown asking for two steps, but
    what a funnel needs, which exports give it, and the way to the Data page."""
    ws = Workspace(db)
    with ws.cursor() as cur:
        cur.execute(
            "insert into events (import_id, visitor_id, event_time, event_name, session_id) values "
            "(1, 'v1', timestamp '2025-03-03 10:00:00', 'visit', 's1'), "
            "(1, 'v2', timestamp '2025-03-03 11:00:00', 'visit', 's2')"
        )
        cur.execute(
            "insert into imports (import_id, file_name, sha256, kind, status) values (1, 'm.csv', 'x', "
            "'events', 'loaded')"
        )
    ws.close()
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/funnel.py").run()
    assert not at.exception
    assert not at.multiselect
    [info] = [i.value for i in at.info]
    assert all(s in info for s in says), info
    links = [e for e in at.main if type(e).__name__ == "PageLink" or getattr(e, "type", "") == "page_link"]
    assert links and links[0].proto.label.startswith(link)


def test_proposed_funnel_conversion_breakdown_and_drop_off(db):
    seed(db)
    at = run_page()
    assert not at.exception and not at.error
    assert at.multiselect(key="funnel_steps").value == ["view_item", "add_to_cart", "purchase"]
    metrics = {m.label: m.value for m in at.metric}
    # 80 at step 1, 25 reach the purchase: 25/80 = 31.25 %
    assert metrics["Visitors at step 1"] == "80" and metrics["Reached the last step"] == "25"
    assert metrics["Overall conversion"] == "31.2%"
    table = at.dataframe[0].value
    # the numbers as the page writes them (text in the UI's language)
    assert table["users"].tolist() == ["80", "40", "25"] and table["dropped"].tolist() == ["40", "15", "0"]
    assert table["conversion"].tolist() == ["100.0%", "50.0%", "31.2%"]

    at.selectbox(key="funnel_by").set_value("device").run()
    assert not at.exception
    # mobile converts 10/40 to the cart against 30/40 on desktop: significant, both ways
    lines = " ".join(m.value for m in at.markdown)
    assert "**mobile** converts differently at **2\\. add\\_to\\_cart**" in lines
    assert "**desktop** converts differently" in lines

    # visitors who stopped after step 1: 40, all followed by a search then the end of their visit
    after = at.dataframe[3].value if len(at.dataframe) > 3 else at.dataframe[-1].value
    assert "search → (exit)" in after["path"].tolist()
    download, xlsx = at.get("download_button")[:2]
    assert "40 visitors" in download.proto.label
    # the XLSX download is the same kind of button as the CSV one (it was a tertiary one, drawn as a link)
    assert xlsx.proto.label == "Same table as XLSX" and xlsx.proto.type == download.proto.type == "secondary"


def test_steps_and_mode_change_the_funnel(db):
    seed(db)
    at = run_page(funnel_steps=["view_item", "purchase"])
    assert at.dataframe[0].value["users"].tolist() == ["80", "25"]
    at.radio(key="funnel_mode").set_value("strict").run()
    # strict: the purchase must follow the view directly; it never does (the cart is in between)
    assert at.dataframe[0].value["users"].tolist() == ["80", "0"]
    assert any("Nobody reached the last step" in i.value for i in at.info)


def test_one_step_asks_for_two(db):
    seed(db)
    at = run_page(funnel_steps=["view_item"])
    assert not at.exception
    assert any("at least two steps" in i.value for i in at.info)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_the_step_tables_headers_are_short_with_their_full_wording_in_the_tooltip(db, lang):
    """At 1440 px the French headers were cut ("Délai médian depuis l’étape précéden…"): six headers of at most 20
    characters now share the table's width, each long wording kept in its header's tooltip."""
    import json

    seed(db)
    at = run_page(lang=lang, funnel_by="device")
    assert not at.exception
    steps = next(df for df in at.dataframe if "dropped" in df.value.columns)
    columns = json.loads(steps.proto.columns)
    labels = {c: columns[c]["label"] for c in ("conversion", "step_conversion", "dropped", "time")}
    assert (
        labels
        == {
            "fr": {
                "conversion": "Depuis l’étape 1",
                "step_conversion": "Depuis la précédente",
                "dropped": "Arrêtés ici",
                "time": "Délai médian",
            },
            "en": {
                "conversion": "From step 1",
                "step_conversion": "From previous",
                "dropped": "Stopped here",
                "time": "Median time",
            },
        }[lang]
    )
    full = {"fr": "Délai médian depuis l’étape précédente", "en": "Median time from the previous step"}[lang]
    assert columns["time"]["help"] == full
    groups = json.loads(next(df for df in at.dataframe if "low_sample" in df.value.columns).proto.columns)
    assert all(len(groups[c]["label"]) <= 20 for c in ("conversion", "step_conversion", "significant", "low_sample"))

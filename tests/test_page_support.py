"""AppTest of the Support page: headline figures, slow channel warning, times against expectations,
complaints by category × severity × recurrence, filters, empty state."""

import datetime as dt
import json

import pytest
from streamlit.testing.v1 import AppTest

from cx.ingest import import_file
from cx.models import Filters
from cx.workspace import Workspace
from tests.conftest import ROOT, run_view, write
from tests.test_satisfaction import insert
from tests.test_support import ticket


@pytest.fixture
def db(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(ws, "customers", [{"customer_id": "C1", "segment": "VIP"}, {"customer_id": "C2", "segment": "Pro"}])
    insert(
        ws,
        "tickets",
        [
            # e-mail answered after 3 days (expected 24 h), chat after 1 min (expected < 2 min)
            ticket(
                0,
                "email",
                3 * 24 * 60,
                100,
                customer_id="C1",
                category="livraison",
                severity="high",
                is_complaint=True,
                csat=1,
            ),
            ticket(
                10,
                "email",
                3 * 24 * 60,
                None,
                customer_id="C1",
                category="livraison",
                severity="high",
                is_complaint=True,
                csat=2,
            ),
            ticket(2, "chat", 1, 2, customer_id="C2", category="produit", severity="low", is_complaint=False, csat=5),
            ticket(3, "chat", 1, 2, customer_id="C2", category="produit", severity="low", is_complaint=True, csat=4),
        ],
    )
    insert(
        ws, "orders", [{"customer_id": "C2", "order_time": dt.datetime(2025, 4, d), "amount": 20} for d in range(1, 21)]
    )
    ws.close()
    return db


def run(db, monkeypatch, filters=Filters(), lang="en"):
    return run_view("support", db, monkeypatch, filters, lang)


def test_headline_figures_and_slow_channel(db, monkeypatch):
    at = run(db, monkeypatch)
    assert not at.exception and not at.error
    metrics = {m.label: m.value for m in at.metric}
    # 4 tickets, 3 resolved → 75 %; complaints on the days both exports cover (tickets 1–11 April, orders 1–20
    # April): 3 complaints / the 11 orders of 1–11 April · 100 = 27.3 %; CSAT 4s and 5s: 2 of 4 → 50 %
    assert metrics == {"Tickets": "4", "Resolution rate": "75%", "Complaint rate": "27.3%", "Ticket CSAT": "50%"}
    assert [w.value for w in at.warning] == ["E-mail: the median first reply is slower than customers expect."]
    channels = next(df.value for df in at.dataframe if "expected_label" in df.value.columns).set_index("label")
    # 3 days · 24 h = 72 h (4 320 min: beyond 2 hours a reply time reads in hours); chat's 1 min stays in minutes
    assert channels.loc["E-mail", "first_response_median_minutes"] == "72.0 h"
    assert channels.loc["Chat", "first_response_median_minutes"] == "1.0 min"
    assert (
        channels.loc["E-mail", "expected_label"] == "24 h" and channels.loc["Chat", "within_expected_share"] == "100%"
    )
    expected = "Chat < 2 min · Phone 5–10 min · Social media 30–60 min · E-mail 24 h"
    assert any(expected in c.value for c in at.caption)


def test_complaints_with_recurrence(db, monkeypatch):
    at = run(db, monkeypatch)
    complaints = next(df.value for df in at.dataframe if "recurrent" in df.value.columns)
    rows = {(r.category, r.severity, r.recurrent): r.complaints for r in complaints.itertuples()}
    # C1's second delivery complaint comes 10 days after the first: a recurrence
    assert rows == {("livraison", "High", "no"): 1, ("livraison", "High", "yes"): 1, ("produit", "Low", "no"): 1}
    assert any("Recurrent: 33% of complaints" in c.value for c in at.caption)


def test_filters_and_french(db, monkeypatch):
    at = run(db, monkeypatch, Filters(segment="Pro"), lang="fr")
    assert not at.exception and not at.warning
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Tickets"] == "2" and metrics["Taux de résolution"] == "100\u202f%"
    texts = [e.value for e in [*at.caption, *at.subheader, *at.info]] + [m.label for m in at.metric]
    assert not [t for t in texts if "support." in t or "voice." in t]


def test_device_filter_is_explained(db, monkeypatch):
    ws = Workspace(db)
    insert(
        ws,
        "events",
        [
            {
                "event_time": dt.datetime(2025, 4, 2),
                "visitor_id": "v",
                "event_name": "page_view",
                "customer_id": "C2",
                "device": "mobile",
            }
        ],
    )
    ws.close()
    at = run(db, monkeypatch, Filters(device="mobile"))  # C2 was seen on mobile, C1 never
    assert not at.exception and {m.label: m.value for m in at.metric}["Tickets"] == "2"
    assert any("only customers seen in matching web events" in c.value for c in at.caption)


def test_empty_workspace_says_what_to_load(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "empty.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/support.py").run()
    assert not at.exception
    assert any("Load an export of your helpdesk" in i.value for i in at.info)


def test_a_zendesk_exports_satisfaction_is_the_ticket_csat(tmp_path, monkeypatch):
    # Zendesk writes good / bad / offered: 2 good of 3 rated → 67% (the column was not read: no CSAT at all)
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    text = (
        "Ticket ID,Subject,Channel,Requested,Solved,Satisfaction\n"
        "1,Late,Email,2025-05-01 10:00,2025-05-02 10:00,Good\n"
        "2,Broken,Chat,2025-05-01 11:00,2025-05-01 12:00,Bad\n"
        "3,Where,Email,2025-05-02 10:00,,Offered\n"
        "4,Size,Chat,2025-05-04 10:00,2025-05-04 11:00,Good\n"
    )
    import_file(ws, write(tmp_path, "zendesk.csv", text))
    ws.close()
    at = run_view("support", db, monkeypatch)
    assert not at.exception
    [csat] = [m for m in at.metric if m.label == "Ticket CSAT"]
    assert csat.value == "67%" and "(3 ratings)" in csat.help


def test_tickets_that_do_not_say_complaint_nor_rating_say_so(tmp_path, monkeypatch):
    # a tester's Freshdesk export: no complaint flag, no rating — "not available" and why, never "no complaints"
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(ws, "tickets", [ticket(0, "email", 60, 120), ticket(1, "chat", 1, 2)])
    ws.close()
    at = run(db, monkeypatch)
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any(i.startswith("The tickets do not say which are complaints") for i in infos), infos
    assert "No complaint in this period." not in infos
    assert any(c.value.startswith("n/a: no ticket of the period has a satisfaction rating") for c in at.caption)


def test_replies_in_time_show_their_base_and_say_when_it_is_too_small(tmp_path, monkeypatch):
    # 48 e-mail tickets, 3 answered in 1 h (within 24 h), 45 never: 100 % on time, of 3 tickets out of 48
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(ws, "tickets", [ticket(i, "email", 60 if i < 3 else None) for i in range(48)])
    ws.close()
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    table = at.dataframe[0].value
    assert table["within_expected_share"].tolist() == ["100\u202f% (3 sur 48)"]
    assert any("3 tickets sur 48 en ont un" in c.value and "trop peu pour juger" in c.value.lower() for c in at.caption)


def test_an_unknown_channel_keeps_its_spelling_and_says_how_to_give_it_an_expected_time(db, monkeypatch):
    ws = Workspace(db)
    insert(ws, "tickets", [ticket(4, "Pigeon voyageur", 90, 3)])
    ws.close()
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    channels = next(df.value for df in at.dataframe if "expected_label" in df.value.columns).set_index("label")
    assert channels.loc["Pigeon voyageur", "expected_label"] == "non défini"  # never "None", never lower-cased
    assert "None" not in channels.astype(str).to_string()
    [info] = [i.value for i in at.info if "Pigeon" in i.value]
    assert info.startswith("Délai attendu non défini pour « Pigeon voyageur » : Parcours connaît celui des canaux chat")
    assert "supprimez l’import précédent dans l’historique de la page Données" in info


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_channel_of_no_expected_time_shows_a_dash_alone_and_says_why(tmp_path, monkeypatch, lang):
    """5 "Web" tickets (a channel no expected time is known for), 2 answered: "replies on time" has no share to give.
    Before: "— (2 sur 5)", a dash then a count, read as a broken value. Now the dash alone, the column's help says
    what it means and where to set an expected time; e-mail keeps its share and base (1 answered of 2: 100 % (1 of 2))."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    web = [ticket(i, "Web", 30 if i < 2 else None) for i in range(5)]
    insert(ws, "tickets", [*web, ticket(5, "email", 60), ticket(6, "email", None)])
    ws.close()
    at = run(db, monkeypatch, lang=lang)
    assert not at.exception
    frame = next(df for df in at.dataframe if "within_expected_share" in df.value.columns)
    within = frame.value.set_index("label")["within_expected_share"]
    ends = next(df.value for df in at.dataframe if "csat_mean" in df.value.columns).set_index("label")
    assert ends.at["Web", "csat_mean"] == "—"  # no rating: a dash alone, not "— / 5"
    assert within.to_dict() == {"Web": "—", "E-mail": {"fr": "100\u202f% (1 sur 2)", "en": "100% (1 of 2)"}[lang]}
    columns = json.loads(frame.proto.columns)
    said = {"fr": "« — » : aucun délai attendu n’est défini pour ce canal", "en": "“—”: no expected time is set"}[lang]
    assert said in columns["within_expected_share"]["help"]
    where = {
        "fr": "supprimez l’import précédent dans l’historique",
        "en": "delete the earlier import in the Data page",
    }[lang]
    assert any("Web" in i.value and where in i.value for i in at.info)  # the note below the table: how to set one


def test_the_channel_figures_are_two_tables_of_six_columns_that_fit_at_1280_px(db, monkeypatch):
    """Eleven columns in one table needed a horizontal scroll at 1280 px (about 820 px for the page): how fast each
    channel answers, then how it ends, the channel first in each. Headers at most 13 characters, the full wording in
    their tooltips."""
    at = run(db, monkeypatch, lang="fr")
    assert not at.exception
    tables = [json.loads(f.proto.columns) for f in at.dataframe if "label" in f.value.columns]
    labels = [[c["label"] for name, c in columns.items() if name != "_index"] for columns in tables]
    assert labels == [
        ["Canal", "Tickets", "Délai attendu", "1re réponse", "90e centile", "Dans le délai"],
        ["Canal", "Résolus", "Résolution", "Réclamations", "CSAT", "Note moyenne"],
    ]
    assert tables[0]["first_response_p90_minutes"]["help"] == "1re réponse, 90e centile"
    assert tables[1]["resolution_median_hours"]["help"] == "Résolution, médiane"


def test_tickets_that_do_not_say_when_they_were_resolved_show_no_resolution_rate(tmp_path, monkeypatch):
    # a tester's Gorgias export whose closing times were not mapped: "Resolved 0 %" for 130 closed tickets
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(ws, "tickets", [ticket(0, "email", 60), ticket(1, "chat", 1)])
    ws.close()
    at = run(db, monkeypatch)
    assert not at.exception
    rate = next(m for m in at.metric if m.label == "Resolution rate")
    assert rate.value == "—"
    assert any(c.value.startswith("n/a: the tickets do not say when they were resolved") for c in at.caption)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_tickets_without_a_first_reply_time_say_what_to_map_not_an_empty_chart(tmp_path, monkeypatch, lang):
    """Tester 6's Gorgias export, its "First agent response datetime" not mapped: the times chart was an empty frame
    (a title and a legend over nothing) and its caption described a band and points that were not there."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(ws, "tickets", [ticket(0, "email", None, 5), ticket(1, "chat", None, 1)])
    ws.close()
    at = run(db, monkeypatch, lang=lang)
    assert not at.exception
    said = {
        "fr": "Aucun ticket n’a d’heure de première réponse : rien à placer face aux délais attendus. Sur la page "
        "Données, associez à « Date de première réponse »",
        "en": "No ticket has a first-reply time: nothing to set against the expected times. On the Data page, map the "
        "column of your export that gives it to “First reply at”",
    }[lang]
    assert any(i.value.startswith(said) for i in at.info), [i.value for i in at.info]
    assert not at.get("vega_lite_chart")  # no chart frame (no complaint either: no heatmap)
    assert not any(
        c.value.startswith(("Bande verte", "Green band", "« Dans le délai »", "“On time”")) for c in at.caption
    )
    assert len(at.dataframe[0].value) == 2  # the channels' table stays: tickets, resolution, CSAT per channel

"""The counts of customers the pages show, on one hand-built workspace: each page says what it counts, and the
counts relate as their definitions say (the tester saw "152 customers" on the Overview and 232 on Personas, with
nothing on screen saying why).

- Overview: the customers of the CRM, one per customer id (tests/test_page_overview.py) — "Customers (CRM)".
- Personas: every customer known in all the data (CRM, orders, web events, survey answers, tickets).
- Retention, Journey (repeat rate), Maturity (its sample): the customers who ordered in the period; guest orders
  (no customer id) belong to no customer, and every page reads a status the same way (staging/order_status.sql).
  Journey grouped the guest orders into one "buyer" (a repeat one) and read only exact statuses as cancelled.
"""

import datetime as dt

import pytest

from cx import cohorts
from cx.ingest import import_file
from cx.journey import find_stage_kpis
from cx.maturity import measure_maturity
from cx.models import Filters
from cx.personas import find_personas
from cx.workspace import Workspace
from tests.conftest import run_view, write

MARCH = Filters(start=dt.date(2025, 3, 1), end=dt.date(2025, 3, 31))


@pytest.fixture
def db(tmp_path, monkeypatch):
    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    ws = Workspace(tmp_path / "w.duckdb")
    files = {
        # CRM: A, B and six customers known only there (G1…G6: enough customers for personas)
        "c.csv": "customer_id,signup_date\nA,2025-01-02\nB,2025-01-03\n"
        + "".join(f"G{i},2025-01-0{i}\n" for i in range(1, 7)),
        # B twice, C once (and once "Cancelled by customer"), two guest orders, D's only order cancelled
        "o.csv": "order_id,customer_id,order_date,total,status\n"
        "O1,B,2025-03-03,10,completed\nO2,B,2025-03-10,20,completed\nO3,C,2025-03-05,30,completed\n"
        "O4,,2025-03-06,40,completed\nO5,,2025-03-07,50,completed\nO6,D,2025-03-08,60,cancelled\n"
        "O7,C,2025-03-20,70,Cancelled by customer\n",
        # E only seen on the web, with a customer id
        "e.csv": "event_time,visitor_id,user_id,event_name\n2025-03-04 10:00:00,v1,E,page_view\n",
    }
    for name, text in files.items():
        import_file(ws, write(tmp_path, name, text))
    with ws.cursor() as cur:  # F only answered a survey
        cur.execute(
            "insert into responses (import_id, customer_id, responded_at, nps) values (9, 'F', '2025-03-09', 9)"
        )
    assert ws.table_counts()["events"] == 1 and ws.table_counts()["orders"] == 7
    ws.close()
    return tmp_path / "w.duckdb"


def test_each_count_is_its_base_and_the_bases_relate(db):
    ws = Workspace(db)
    try:
        crm = ws.table_counts()["customers"]
        known = find_personas(ws, MARCH).customers
        retention = cohorts.find_retention(ws, MARCH)
        kpis = {k.key: k for s in find_stage_kpis(ws, MARCH) for k in s.kpis}
        values, counts = measure_maturity(ws, MARCH)
    finally:
        ws.close()
    assert crm == 8  # A, B, G1…G6
    assert known == 12  # the CRM's 8, C, D (orders), E (web), F (survey): every CRM record is among them
    # bought in March: B (2 purchases), C (1: O7 was cancelled); D's order was cancelled; the guest orders are nobody's
    assert (retention.customers, retention.repeat_customers) == (2, 1)
    # the journey's repeat rate over the same customers, the statuses read the same way (staging/order_status.sql):
    # 1 / 2 — it was 3 / 3 (the guests as one repeat buyer, "Cancelled by customer" as a purchase)
    assert kpis["repeat_purchase_rate"].value == pytest.approx(50.0)
    assert kpis["repeat_purchase_rate"].value == pytest.approx(100 * retention.repeat_rate)
    # maturity: the journey's rate, over Retention's buyers
    assert values["repeat_purchase_rate"] == pytest.approx(50.0) and counts["repeat_purchase_rate"] == 2
    assert retention.customers <= known and crm <= known


@pytest.mark.parametrize(
    "lang, overview, personas, repeat",
    [
        ("en", "Customers (CRM)", "Known customers", "Customers who bought in the period: 2, 1 of them"),
        ("fr", "Clients (CRM)", "Clients connus", "Clients ayant acheté sur la période : 2, dont 1 plus"),
    ],
)
def test_the_pages_say_what_they_count(db, monkeypatch, lang, overview, personas, repeat):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import ROOT

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = lang
    at.session_state["demo_checked"] = True
    at.run()
    assert not at.exception
    [records] = [m for m in at.metric if m.label == overview]
    assert records.value == "8"
    assert {"en": "Personas, every customer known", "fr": "Personas, tous les clients connus"}[lang] in records.help

    at = run_view("personas", db, monkeypatch, filters=MARCH, lang=lang)
    assert not at.exception
    [known] = [m for m in at.metric if m.label == personas]
    assert known.value == "12" and "CRM" in known.help
    at = run_view("retention", db, monkeypatch, filters=MARCH, lang=lang)
    assert not at.exception
    assert any(c.value.startswith(repeat) for c in at.caption), [c.value for c in at.caption]

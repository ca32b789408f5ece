"""`python -m cx kpis`: the DESIGN.md JSON contract, the human output and bad input."""

import json

from cx.workspace import Workspace
from tests.test_cli import cx
from tests.test_journey_data import insert, load_all, load_events


def make_db(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load_all(ws)
    ws.close()
    return db


def test_kpis_json(tmp_path):
    db = make_db(tmp_path)
    doc = json.loads(cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--json", "--lang", "en", db=db).stdout)
    assert [s["stage"] for s in doc["stages"]] == ["awareness", "consideration", "purchase", "retention", "advocacy"]
    for stage in doc["stages"]:
        for k in stage["kpis"]:
            assert {"key", "label", "value", "unit", "previous"} <= set(k)
    kpis = {k["key"]: k for s in doc["stages"] for k in s["kpis"]}
    assert kpis["visits"] == {
        "key": "visits",
        "label": "Visits",
        "value": 6.0,
        "unit": "count",
        "previous": 2.0,
        "reason": None,
        "reason_key": None,
    }
    assert (kpis["aov"]["value"], kpis["aov"]["previous"], kpis["aov"]["unit"]) == (62.5, 50.0, "currency")
    assert (kpis["nps"]["value"], kpis["nps"]["previous"]) == (20.0, -100.0)
    assert kpis["ctr"]["value"] is None and "No ad events" in kpis["ctr"]["reason"]
    assert kpis["ctr"]["reason_key"] == "journey.reason.no_ad_events"
    assert doc["period"] == {
        "start": "2025-03-08",
        "end": "2025-03-14",
        "previous_start": "2025-03-01",
        "previous_end": "2025-03-07",
        "data_start": "2025-03-02",  # the earliest row, order O6 (tests/test_journey.py)
        "has_previous": True,
    }


def test_kpis_filters_and_french_labels(tmp_path):
    db = make_db(tmp_path)
    doc = json.loads(
        cx(
            "kpis",
            "--from",
            "2025-03-08",
            "--to",
            "2025-03-14",
            "--device",
            "mobile",
            "--segment",
            "VIP",
            "--json",
            db=db,
        ).stdout
    )
    kpis = {k["key"]: k for s in doc["stages"] for k in s["kpis"]}
    assert (kpis["visits"]["label"], kpis["visits"]["value"]) == ("Visites", 3.0)  # A1, A2, C1
    assert kpis["aov"]["value"] == 60.0  # VIP orders O1, O2, O4


def test_kpis_human_output(tmp_path):
    db = make_db(tmp_path)
    out = cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--lang", "en", db=db).stdout
    assert "Period: 2025-03-08 → 2025-03-14 (previous: 2025-03-01 → 2025-03-07)" in out
    assert "Awareness" in out and "Visits" in out
    out = cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", db=db).stdout  # French by default, its dates too
    assert "Période : 08/03/2025 → 14/03/2025 (précédente : 01/03/2025 → 07/03/2025)" in out
    assert "Sensibilisation" in out and "Visites" in out
    # a terminal has no Data page: a missing table is to be imported with the command line
    empty = cx("kpis", db=tmp_path / "empty.duckdb").stdout
    assert "Aucune commande chargée : importez l’export des commandes (python -m cx import FICHIER)." in empty
    assert "page Données" not in empty


def test_kpis_bad_input_exits_2(tmp_path):
    db = make_db(tmp_path)
    out = cx("kpis", "--from", "2025-13-01", db=db, check=False)
    assert out.returncode == 2 and "'2025-13-01' is not a date" in out.stderr and "Traceback" not in out.stderr
    out = cx("kpis", "--from", "2025-03-14", "--to", "2025-03-08", db=db, check=False)
    assert out.returncode == 2 and "after --to" in out.stderr


def test_figures_the_data_cannot_support_are_null_with_their_reason(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    # orders without any status; a clickstream that logs payment errors but no payment attempt
    insert(ws, "orders", ["customer_id", "order_time", "amount"], [("C1", "2025-03-09 10:00:00", 20.0)])
    load_events(
        ws,
        [
            ("2025-03-09 10:00:00", "G", "begin_checkout", "/panier", "mobile", "seo"),
            ("2025-03-09 10:01:00", "G", "payment_error", "/paiement", "mobile", "seo"),
        ],
    )
    ws.close()
    doc = json.loads(cx("kpis", "--from", "2025-03-08", "--to", "2025-03-14", "--json", "--lang", "en", db=db).stdout)
    kpis = {k["key"]: k for s in doc["stages"] for k in s["kpis"]}
    assert (kpis["return_rate"]["value"], kpis["return_rate"]["reason_key"]) == (None, "journey.reason.no_status")
    assert "orders have no status" in kpis["return_rate"]["reason"].lower()
    error_rate = kpis["payment_error_rate"]
    assert (error_rate["value"], error_rate["reason_key"]) == (None, "journey.reason.no_payment_attempts")
    assert "100%" in error_rate["reason"]  # English: no space before %
    assert kpis["aov"]["value"] == 20.0  # an order without status still counts

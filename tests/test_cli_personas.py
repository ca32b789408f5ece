"""`python -m cx personas`: the JSON contract of DESIGN.md and the members file."""

import csv
import json

from cx.__main__ import run
from cx.workspace import Workspace
from tests.test_personas import populate


def test_personas_json_and_members_file(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    populate(ws)
    ws.close()
    out = tmp_path / "members.csv"
    assert run(["personas", "--db", str(db), "--json", "--members", str(out), "--lang", "en"]) == 0
    doc = json.loads(capsys.readouterr().out)
    personas = doc["personas"]
    assert 3 <= len(personas) <= 7
    assert all(set(p) == {"name", "size", "share", "traits", "kpis", "quote"} for p in personas)
    period = doc["orders_period"]
    assert set(period) == {"from", "to", "days", "annualised"} and period["annualised"] == (period["days"] >= 180)
    assert all(("orders_per_year" in p["kpis"]) and ("orders_per_buyer" in p["kpis"]) for p in personas)
    assert sum(p["size"] for p in personas) == 90 and abs(sum(p["share"] for p in personas) - 1) < 0.01
    loyal = next(p for p in personas if p["kpis"]["nps"] == 100)
    assert loyal["size"] == 30 and loyal["quote"] == "Livraison rapide, très contente !"
    assert loyal["traits"][0]["z"] > 0 and {"feature", "z", "value", "population"} <= set(loyal["traits"][0])
    rows = list(csv.DictReader(out.open(encoding="utf-8-sig")))
    assert len(rows) == 90 and list(rows[0])[:7] == [
        "customer_id",
        "n_orders",
        "first_order",
        "last_order",
        "recency_days",
        "monetary",
        "persona",
    ]
    assert {r["persona"] for r in rows} == {p["name"] for p in personas}


def test_personas_text_and_an_unwritable_members_file(tmp_path, capsys):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    populate(ws)
    ws.close()
    assert run(["personas", "--db", str(db), "--lang", "en"]) == 0
    assert "customers (" in capsys.readouterr().out
    assert run(["personas", "--db", str(db)]) == 0  # French by default, as every command
    assert "clients (" in capsys.readouterr().out
    assert run(["personas", "--db", str(db), "--members", str(tmp_path / "no" / "such" / "dir.csv")]) == 2
    assert "cannot write" in capsys.readouterr().err


def test_empty_workspace_prints_no_personas(tmp_path, capsys):
    assert run(["personas", "--db", str(tmp_path / "e.duckdb"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == {
        "as_of": None,
        "orders_period": None,
        "personas": [],
        "currency": "EUR",
        "currencies": None,
        "currency_assumed": True,
    }

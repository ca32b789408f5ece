"""`python -m cx maturity`: the JSON contract of DESIGN.md."""

import datetime as dt
import json

from cx import maturity as m
from cx.commands import maturity as command
from cx.filters import within_data
from cx.friction import find_friction
from cx.ingest import import_file
from cx.workspace import Workspace
from tests.test_cli import cx
from tests.test_maturity import fill
from tests.test_results import incident_csv


def test_maturity_json_levels_criteria_pillars(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    fill(ws)
    ws.close()
    doc = json.loads(cx("maturity", "--json", db=db).stdout)
    assert set(doc) == {"level", "levels", "pillars"}
    assert doc["level"] == 0  # no web events: level 1 has no data
    assert [lv["level"] for lv in doc["levels"]] == [1, 2, 3, 4, 5, 6]
    assert all(set(lv) == {"level", "name", "reached", "criteria"} for lv in doc["levels"])
    crit = {c["name"]: c for lv in doc["levels"] for c in lv["criteria"]}
    fields = {"name", "value", "threshold", "met", "source", "answer", "answer_kind"}
    assert all(set(c) == fields for c in crit.values())
    unsettled = {"source": None, "answer": None, "answer_kind": None}
    assert crit["no_bounce"] == {"name": "no_bounce", "value": None, "threshold": 60.0, "met": None, **unsettled}
    # 3 of 4 deliveries on the promised date = 75 % < 90; 3 of 4 tickets resolved = 75 % < 85
    assert crit["on_time_delivery"] == {
        "name": "on_time_delivery",
        "value": 75.0,
        "threshold": 90.0,
        "met": False,
        **unsettled,
        "source": "data",
    }
    assert crit["resolution"]["value"] == 75.0 and crit["resolution"]["met"] is False
    pillars = {p["pillar"]: p["score"] for p in doc["pillars"]}
    assert list(pillars) == list(m.PILLARS)
    assert pillars["resolution"] == 75.0 and pillars["integrity"] is None
    text = cx("maturity", "--lang", "en", db=db).stdout
    assert "level reached: 0 / 6" in text and "no data" in text
    # labels, never the raw keys (no_bounce, reply_on_time, time_effort); French by default as every command
    assert "Deliveries on the promised date (%)" in text and "on_time_delivery" not in text
    text = cx("maturity", db=db).stdout
    assert "niveau atteint : 0 / 6" in text and "Temps et effort" in text and "time_effort" not in text


def test_a_saved_workshop_stands_in_for_missing_data(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    fill(ws)
    shop = m.save_workshop(ws, "atelier", dt.date(2025, 3, 1), {"q01": 5, "q02": 1})
    ws.close()
    doc = json.loads(cx("maturity", "--json", "--workshop", str(shop), db=db).stdout)
    assert doc["level"] == 1 and doc["levels"][0]["criteria"][0]["met"] is True
    # no web events: the workshop's answers settle level 1, and every output says so (the tester read
    # "✓ First replies within the expected time (%) no data", JSON value null met true)
    no_bounce, engagement = doc["levels"][0]["criteria"]
    assert (no_bounce["value"], no_bounce["source"], no_bounce["answer"], no_bounce["answer_kind"]) == (
        None,
        "workshop",
        5,
        "scale",
    )
    assert (engagement["source"], engagement["answer"], engagement["answer_kind"]) == ("workshop", 1, "yesno")
    text = cx("maturity", "--lang", "en", "--workshop", str(shop), db=db).stdout
    line = next(x for x in text.splitlines() if "Engaged visits (%)" in x)
    assert line.lstrip().startswith("✓") and "settled by the workshop answer: yes" in line and "no data" not in line
    assert "settled by the workshop answer: 5 / 5" in text
    text = cx("maturity", "--workshop", str(shop), db=db).stdout
    assert "réglé par la réponse de l’atelier : oui" in text and "réglé par la réponse de l’atelier : 5 / 5" in text


def test_bad_date_exits_2(tmp_path):
    result = cx("maturity", "--from", "yesterday", db=tmp_path / "w.duckdb", check=False)
    assert result.returncode == 2 and "YYYY-MM-DD" in result.stderr


def test_the_document_computes_no_finding_and_is_the_same_as_with_them(tmp_path, monkeypatch):
    # the planted incident of tests/test_results.py: checkout → purchase collapses on mobile for 7 days, a finding
    # that blocks level 3's checkout completion (METRIC_FINDINGS); the document names no finding, so it is the
    # same whether the placement knows that finding or not, and the command does not compute the findings for it
    ws = Workspace(tmp_path / "w.duckdb")
    import_file(ws, incident_csv(tmp_path))
    period = within_data(ws, None)  # the command's period
    with_findings = m.place_maturity(ws, period, findings=find_friction(ws, period, with_status=False).findings)
    assert any(c.findings == ("FUNNEL_INCIDENT",) for lv in with_findings.levels for c in lv.criteria)

    def never(*args, **kwargs):
        raise AssertionError("the findings were computed")

    for module in (m, command):  # wherever the command could call it from
        monkeypatch.setattr(module, "find_friction", never, raising=False)
    doc = command.maturity_doc(ws)
    assert doc["level"] == with_findings.level
    assert [[(c["name"], c["met"]) for c in lv["criteria"]] for lv in doc["levels"]] == [
        [(c.key, c.met) for c in lv.criteria] for lv in with_findings.levels
    ]

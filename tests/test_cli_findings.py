"""`python -m cx findings`: the JSON contract of DESIGN.md, French by default as every command, English on request."""

import datetime as dt
import json

from cx.workspace import Workspace
from tests.test_cli import cx
from tests.test_friction import _sessions
from tests.test_satisfaction import insert


def _workspace(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    rows, k = [], 0
    for d in range(40):  # mobile payment collapses on 2025-03-16 .. 03-22 (2 of 10 instead of 8 of 10)
        day = dt.date(2025, 3, 1) + dt.timedelta(days=d)
        rows += _sessions(day, "mobile", 10, 2 if 15 <= d <= 21 else 8, k) + _sessions(day, "desktop", 10, 8, k + 10)
        k += 20
    insert(ws, "events", rows)
    ws.close()
    return db


def test_findings_json(tmp_path):
    db = _workspace(tmp_path)
    doc = json.loads(cx("findings", "--json", "--lang", "en", db=db).stdout)
    [f] = doc["findings"]
    assert set(f) == {
        "code",
        "title",
        "stage",
        "segment",
        "window",
        "severity",
        "observed",
        "expected",
        "affected_users",
        "affected_unit",
        "revenue_at_risk",
        "remedy",
    }
    # (0.8 − 0.2) × 70 sessions × 100 € per conversion = 4 200 €
    assert (
        f["code"],
        f["segment"],
        f["window"],
        f["observed"],
        f["expected"],
        f["affected_users"],
        f["revenue_at_risk"],
        f["stage"],
        f["severity"],
    ) == (
        "FUNNEL_INCIDENT",
        "device=mobile",
        {"start": "2025-03-16", "end": "2025-03-22"},
        0.2,
        0.8,
        70,
        4200.0,
        "purchase",
        "high",
    )
    assert f["title"] == (
        "On mobile: Conversion from add_payment_info to purchase collapsed from 2025-03-16 to "
        "2025-03-22: 20.0% instead of 80.0%."
    )
    assert "payment" in f["remedy"]
    fr = json.loads(cx("findings", "--json", db=db).stdout)["findings"][0]  # French by default
    assert "16/03/2025" in fr["title"] and "20,0" in fr["title"] and "paiement" in fr["remedy"]


def test_period_and_human_output(tmp_path):
    db = _workspace(tmp_path)
    # before the incident: nothing to report
    assert json.loads(cx("findings", "--json", "--to", "2025-03-14", db=db).stdout) == {
        "findings": [],
        "currency": "EUR",
        "currencies": None,
        "currency_assumed": True,
    }  # no file said its currency: EUR, assumed
    out = cx("findings", "--lang", "en", db=db).stdout
    assert (
        "[Funnel incident]" in out
        and "FUNNEL_INCIDENT" not in out
        and "€4,200 at risk" in out
        and "70 visits touched" in out
    )
    bad = cx("findings", "--from", "16/03/2025", db=db, check=False)
    assert bad.returncode == 2 and "YYYY-MM-DD" in bad.stderr


def test_the_human_output_writes_numbers_as_the_pages_do(capsys):
    from cx.commands.findings import show

    f = {"code": "SLOW_PAGE", "title": "Slow", "severity": "high", "affected_users": 2022, "revenue_at_risk": 5326.0}
    f["affected_unit"] = "sessions"  # what the count counts: visits
    show({"currency": "EUR", "findings": [{**f, "remedy": "Compress images"}]}, "en")
    assert "high · 2,022 visits touched · €5,326 at risk" in capsys.readouterr().out
    show({"currency": "EUR", "findings": [{**f, "remedy": "Compresser"}]}, "fr")
    assert "forte · touchés : 2\u202f022 visites · 5\u202f326\u202f€ en jeu" in capsys.readouterr().out

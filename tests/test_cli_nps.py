"""`python -m cx nps [--by COL]`: the JSON contract of DESIGN.md."""

import datetime as dt
import json

from cx.workspace import Workspace
from tests.test_cli import cx
from tests.test_satisfaction import insert


def _workspace(tmp_path, rows):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(ws, "responses", rows)
    ws.close()
    return db


def test_nps_json_overall_groups_csat_ces(tmp_path):
    t = dt.datetime(2025, 6, 2, 9)
    rows = [
        {
            "responded_at": t,
            "nps": s,
            "touchpoint": "web" if s < 5 else "shop",
            "csat": 5 if s >= 5 else 2,
            "csat_scale": 5,
            "ces": 6,
            "ces_scale": 7,
            "ces_higher_is_better": True,
        }
        for s in range(11)
    ]
    db = _workspace(tmp_path, rows)
    doc = json.loads(cx("nps", "--json", "--by", "touchpoint", db=db).stdout)
    # 0..10 once each: (2 − 7) / 11 · 100 = −45.45;
    # MoE = 1.96 · √(740 000 / 1 331) = 1.96 · 23.57908 = 46.21499 → 46.21
    assert doc["overall"] == {
        "nps": -45.45,
        "n": 11,
        "promoters": 0.1818,
        "passives": 0.1818,
        "detractors": 0.6364,
        "moe": 46.21,
        "low_sample": True,
    }
    # shop = 5..10: 2 P, 2 Pa, 2 D → 0; web = 0..4: 5 D → −100
    groups = {g["group"]: g for g in doc["groups"]}
    assert set(groups) == {"web", "shop"} and set(groups["web"]) == {
        "group",
        "nps",
        "n",
        "moe",
        "significant",
        "low_sample",
    }
    assert (groups["shop"]["nps"], groups["shop"]["n"]) == (0.0, 6)
    assert (groups["web"]["nps"], groups["web"]["n"], groups["web"]["moe"]) == (-100.0, 5, 0.0)
    # web vs shop: Var_web = 0, Var_shop = 10 000 · ((1/3 + 1/3) − 0) / 6 = 1 111.1; z = 100 / 33.3 = 3 > 1.96,
    # but 5 and 6 answers are low samples (< 30): never called significant (issue 15)
    assert groups["web"]["low_sample"] and groups["shop"]["low_sample"]
    assert not groups["web"]["significant"] and not groups["shop"]["significant"]
    # CSAT: 6 fives of 11 → 54.55; CES: all 6 on 1–7 (higher is easier) → mean 6, low effort 100 %
    assert doc["csat"] == {"csat": 54.55, "n": 11, "low_sample": True}
    # every CES is 6: standard deviation 0, margin 0
    assert doc["ces"] == {"mean": 6.0, "moe": 0.0, "scale": 7, "low_effort_share": 1.0, "n": 11, "low_sample": True}


def test_low_sample_is_false_from_30_answers(tmp_path):
    # 30 promoters on the web, 30 detractors in the shop: NPS +100 and −100, Var 0 on both sides → significant
    t = dt.datetime(2025, 6, 2, 9)
    db = _workspace(
        tmp_path,
        [{"responded_at": t, "nps": 10, "touchpoint": "web", "csat": 5, "csat_scale": 5} for _ in range(30)]
        + [{"responded_at": t, "nps": 0, "touchpoint": "shop"} for _ in range(30)],
    )
    doc = json.loads(cx("nps", "--json", "--by", "touchpoint", db=db).stdout)
    assert doc["overall"]["low_sample"] is False and doc["csat"] == {"csat": 100.0, "n": 30, "low_sample": False}
    assert [(g["group"], g["n"], g["significant"], g["low_sample"]) for g in doc["groups"]] == [
        ("shop", 30, True, False),
        ("web", 30, True, False),
    ]


def test_ces_has_the_margin_the_voice_page_shows(tmp_path):
    # CES 7, 6, 5 on 1–7 (higher = easier), as tests/test_page_voice.py's CES-only survey: mean 6.00, standard
    # deviation √((1 + 0 + 1) / 2) = 1, margin 1.96 × 1 / √3 = 1.1316 → 1.13 (the page: "± 1,13 (95 %)")
    rows = [
        {"responded_at": dt.datetime(2025, 9, 1 + i), "ces": s, "ces_scale": 7, "ces_higher_is_better": True}
        for i, s in enumerate([7, 6, 5])
    ]
    db = _workspace(tmp_path, rows)
    doc = json.loads(cx("nps", "--json", db=db).stdout)
    assert (doc["ces"]["mean"], doc["ces"]["moe"], doc["ces"]["n"]) == (6.0, 1.13, 3)
    assert "CES moyen 6,00 ± 1,13 sur 1–7" in cx("nps", db=db).stdout
    assert "CES mean 6.00 ± 1.13 on 1–7" in cx("nps", "--lang", "en", db=db).stdout
    # one answer has no margin: null, and the line says none
    db = _workspace(tmp_path / "one", rows[:1])
    assert json.loads(cx("nps", "--json", db=db).stdout)["ces"]["moe"] is None
    assert "CES moyen 7,00 sur 1–7" in cx("nps", db=db).stdout


def test_csat_and_ces_are_null_without_answers(tmp_path):
    db = _workspace(tmp_path, [{"responded_at": dt.datetime(2025, 6, 2), "nps": 9}])
    doc = json.loads(cx("nps", "--json", db=db).stdout)
    assert doc["csat"] is None and doc["ces"] is None and doc["groups"] == []
    assert doc["overall"]["nps"] == 100.0 and doc["overall"]["n"] == 1


def test_period_and_human_output(tmp_path):
    db = _workspace(
        tmp_path, [{"responded_at": dt.datetime(2025, 6, d), "nps": 10 if d < 15 else 0} for d in range(1, 29)]
    )
    doc = json.loads(cx("nps", "--json", "--from", "2025-06-15", "--to", "2025-06-28", db=db).stdout)
    assert doc["overall"]["nps"] == -100.0 and doc["overall"]["n"] == 14
    out = cx("nps", "--by", "month", "--lang", "en", db=db).stdout
    assert "NPS 0.0" in out and "low sample" in out and "2025-06" in out
    out = cx("nps", "--by", "month", db=db).stdout  # French by default, as every command
    assert "NPS 0,0" in out and "petit échantillon" in out


def test_bad_breakdown_or_date_exits_2(tmp_path):
    db = _workspace(tmp_path, [{"responded_at": dt.datetime(2025, 6, 2), "nps": 9}])
    out = cx("nps", "--by", "shoe_size", db=db, check=False)
    assert out.returncode == 2 and "shoe_size" in out.stderr and "touchpoint" in out.stderr
    out = cx("nps", "--from", "02/06/2025", db=db, check=False)
    assert out.returncode == 2 and "YYYY-MM-DD" in out.stderr and "Traceback" not in out.stderr

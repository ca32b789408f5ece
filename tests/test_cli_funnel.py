"""`python -m cx funnel` and `python -m cx cohorts`: the JSON contract of DESIGN.md, human output, errors."""

import json

from cx.workspace import Workspace
from tests.test_cli import cx
from tests.test_cohorts import PURCHASES, orders
from tests.test_funnel import load


def seeded(tmp_path):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    load(
        ws,
        [
            ("a", 0, "view_item", "mobile"),
            ("a", 1, "add_to_cart", "mobile"),
            ("a", 2, "purchase", "mobile"),
            ("b", 0, "view_item", "desktop"),
            ("b", 3, "add_to_cart", "desktop"),
            ("c", 0, "view_item", "desktop"),
            ("c", 1, "scroll", "desktop"),
            ("c", 2, "add_to_cart", "desktop"),
        ],
    )
    orders(ws, PURCHASES)
    ws.close()
    return db


def test_funnel_json_follows_the_contract(tmp_path):
    db = seeded(tmp_path)
    doc = json.loads(
        cx("funnel", "--steps", "view_item,add_to_cart,purchase", "--by", "device", "--json", db=db).stdout
    )
    assert set(doc) == {"steps", "breakdown"}
    # 3 view, 3 add to cart, 1 buys: conversion 1, 1, 1/3; step conversion 1, 1, 1/3
    assert doc["steps"] == [
        {"step": "view_item", "users": 3, "conversion": 1.0, "step_conversion": 1.0},
        {"step": "add_to_cart", "users": 3, "conversion": 1.0, "step_conversion": 1.0},
        {"step": "purchase", "users": 1, "conversion": 1 / 3, "step_conversion": 1 / 3},
    ]
    groups = {g["group"]: [s["users"] for s in g["steps"]] for g in doc["breakdown"]}
    assert groups == {"desktop": [2, 2, 0], "mobile": [1, 1, 1]}
    assert set(doc["breakdown"][0]["steps"][0]) == {"step", "users", "conversion", "step_conversion"}


def test_funnel_mode_window_and_proposed_steps(tmp_path):
    db = seeded(tmp_path)
    strict = json.loads(cx("funnel", "--steps", "view_item,add_to_cart", "--mode", "strict", "--json", db=db).stdout)
    assert [s["users"] for s in strict["steps"]] == [3, 2]  # c scrolls in between
    short = json.loads(cx("funnel", "--steps", "view_item,add_to_cart", "--window", "2m", "--json", db=db).stdout)
    assert [s["users"] for s in short["steps"]] == [3, 2]  # b adds to cart after 3 minutes
    proposed = json.loads(cx("funnel", "--json", db=db).stdout)
    assert [s["step"] for s in proposed["steps"]] == ["view_item", "add_to_cart", "purchase"]
    assert proposed["breakdown"] == []
    text = cx("funnel", "--steps", "view_item,purchase", "--lang", "en", db=db).stdout
    assert "view_item" in text and "33.3%" in text and "time to convert: median" in text


def test_funnel_bad_input_exits_2(tmp_path):
    db = seeded(tmp_path)
    out = cx("funnel", "--steps", "view_item", db=db, check=False)
    assert out.returncode == 2 and "at least two steps" in out.stderr and "Traceback" not in out.stderr
    out = cx("funnel", "--steps", "a,b", "--window", "soon", db=db, check=False)
    assert out.returncode == 2 and "window" in out.stderr
    out = cx("funnel", "--steps", "a,b", "--from", "yesterday", db=db, check=False)
    assert out.returncode == 2 and "not a date" in out.stderr
    empty = tmp_path / "empty.duckdb"
    out = cx("funnel", db=empty, check=False)
    assert out.returncode == 2 and "--steps" in out.stderr


def test_cohorts_json_follows_the_contract(tmp_path):
    db = seeded(tmp_path)
    doc = json.loads(cx("cohorts", "--by-first", "purchase", "--json", db=db).stdout)
    # see tests/test_cohorts.py: January {A, B} → 1, 1/2, 1/2, 1/2; February {C}; April {E}
    assert doc == {
        "as_of": "2025-04-30",  # the last order (E's)
        "cohorts": [
            {"cohort": "2025-01-01", "size": 2, "retention": [1.0, 0.5, 0.5, 0.5]},
            {"cohort": "2025-02-01", "size": 1, "retention": [1.0, 0.0, 0.0]},
            {"cohort": "2025-04-01", "size": 1, "retention": [1.0]},
        ],
    }
    unbounded = json.loads(cx("cohorts", "--by-first", "purchase", "--mode", "unbounded", "--json", db=db).stdout)
    assert unbounded["cohorts"][0]["retention"] == [1.0, 1.0, 1.0, 0.5]
    weekly = json.loads(cx("cohorts", "--by-first", "purchase", "--period", "week", "--json", db=db).stdout)
    assert weekly["cohorts"][0]["cohort"] == "2024-12-30"
    # default: by first visit, all on one day (1 March); the data run to April (orders: the as-of date), so
    # April is observed and nobody came back
    visits = json.loads(cx("cohorts", "--json", db=db).stdout)
    assert visits["cohorts"] == [{"cohort": "2025-03-01", "size": 3, "retention": [1.0, 0.0]}]
    text = cx("cohorts", "--by-first", "purchase", "--lang", "en", db=db).stdout.splitlines()
    assert text[0].startswith("Cohort     Customers  Share still active")  # a header says what the columns are
    assert text[1].split() == ["2025-01-01", "2", "100.0", "50.0", "50.0", "50.0"]
    assert cx("cohorts", "--by-first", "purchase", db=db).stdout.splitlines()[1].split()[2] == "100,0"


def test_an_empty_funnel_says_why(tmp_path):
    db = seeded(tmp_path)
    text = cx("funnel", "--steps", "view_item,purchase", "--device", "desktop", "--lang", "en", db=db).stdout
    assert "Step(s) found in no event of the period: purchase. Known events: add_to_cart, scroll, view_item." in text
    typo = cx("funnel", "--steps", "view_item,foo", "--lang", "en", db=db, check=False)
    assert typo.returncode == 2 and "Traceback" not in typo.stderr  # the README: bad input exits with 2
    assert "--steps: foo found in no event or page of the workspace" in typo.stderr
    assert "add_to_cart, purchase, scroll, view_item" in typo.stderr
    empty = tmp_path / "empty.duckdb"
    Workspace(empty).close()
    text = cx("funnel", "--steps", "foo,bar", db=empty).stdout
    assert "Aucun événement web" in text and "foo" not in text  # no rows of 0 alone

"""The Retention heatmap draws at most the latest 24 cohorts and their first 24 periods (a tester's workspace had a
2010 cohort of 2 Matomo visitors and 194 monthly columns of overlapping '0 %')."""

import datetime as dt

import pandas as pd

from cx.charts_funnel import HEATMAP_MAX, heatmap_cut, heatmap_frame


def matrix(cohorts: int, periods: int) -> pd.DataFrame:
    """cohorts monthly cohorts from January 2010, each with `periods` complete periods, share = period / 100."""
    rows = [
        {
            "cohort": dt.date(2010 + m // 12, m % 12 + 1, 1),
            "size": 2,
            "period": p,
            "active": 1,
            "share": p / 100,
            "complete": True,
        }
        for m in range(cohorts)
        for p in range(periods)
    ]
    return pd.DataFrame(rows)


def test_a_long_history_keeps_the_latest_cohorts_and_their_first_periods():
    m = matrix(30, 194)
    heat = heatmap_frame(m, "month", "en")
    assert HEATMAP_MAX == 24
    assert heat["cohort"].nunique() == 24 and heat["cohort"].min() == dt.date(2010, 7, 1)  # cohorts 7–30 of 30
    assert sorted(heat["period"].unique()) == list(range(24))  # periods 0–23 of 0–193
    assert len(heat) == 24 * 24
    assert heatmap_cut(m) == (6, 170)  # 30 − 24 cohorts, 194 − 24 periods


def test_only_periods_cut_say_nothing_of_cohorts_and_running_periods_do_not_count():
    m = matrix(10, 40)
    assert heatmap_cut(m) == (0, 16)  # 10 cohorts: none left out; 40 − 24 periods
    running = m.assign(complete=m["period"] < 20)  # periods 20–39 still running: not drawn anyway
    assert heatmap_cut(running) == (0, 0)


def test_a_short_history_is_drawn_whole():
    m = matrix(3, 4)
    assert len(heatmap_frame(m, "month", "en")) == 12
    assert heatmap_cut(m) == (0, 0)


def test_the_retention_page_says_what_the_heatmap_leaves_out(tmp_path, monkeypatch):
    from streamlit.testing.v1 import AppTest

    from cx.models import Filters
    from cx.workspace import Workspace
    from tests.conftest import ROOT

    monkeypatch.setenv("CX_DB", str(tmp_path / "w.duckdb"))
    ws = Workspace(tmp_path / "w.duckdb")
    with ws.cursor() as cur:  # one new buyer a month for 30 months: 30 monthly cohorts by first purchase
        cur.execute(
            "insert into orders (import_id, customer_id, order_time, amount, status) "
            "select 1, 'C' || i, timestamp '2023-01-15' + to_months(i), 10, 'completed' from range(30) t(i)"
        )
    ws.close()
    at = AppTest.from_file(str(ROOT / "views" / "retention.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert (
        "Only the 24 latest cohorts (of 30) are drawn: choose a shorter period in the sidebar to see the others."
        in captions
    )
    # the first cohort has 29 complete months: those after its first 24 are said to be left out
    assert any(c.startswith("Only the first 24 periods (unit: month) of 29 are drawn") for c in captions), captions

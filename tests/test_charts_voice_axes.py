"""Voice charts' axes as a reader sees them: the weekly NPS ticks on its weeks, theme mentions in whole numbers
(a tester saw daily date ticks under weekly points, and a count axis stepping by 0.2)."""

import pandas as pd

from cx import charts_voice as charts


def tr(key, **_):
    return key


def test_weekly_nps_ticks_on_its_mondays_at_most_about_twelve():
    mondays = pd.date_range("2025-09-01", periods=30, freq="W-MON")
    trend = pd.DataFrame(
        {"period": mondays.date, "nps": 10.0, "low": 0.0, "high": 20.0, "n": 50, "moe": 10.0, "low_sample": False}
    )
    spec = charts.nps_trend(trend, "week", tr).to_dict()
    ticks = spec["layer"][0]["encoding"]["x"]["axis"]["values"]
    # 30 weeks, one tick every ceil(30 / 12) = 3 weeks: 1 Sep, 22 Sep, … (10 ticks), each a Monday of the data
    assert len(ticks) == 10
    assert (ticks[0]["year"], ticks[0]["month"], ticks[0]["date"]) == (2025, 9, 1)
    assert (ticks[1]["month"], ticks[1]["date"]) == (9, 22)


def test_theme_mentions_are_counted_in_whole_numbers():
    themes = pd.DataFrame(
        {
            "label": ["Prix", "Livraison"],
            "promoters": [1, 0],
            "passives": [0, 1],
            "detractors": [1, 0],
            "mentions": [2, 1],
        }
    )
    axis = charts.themes_by_group(themes, tr).to_dict()["encoding"]["x"]["axis"]
    assert axis["tickMinStep"] == 1 and axis["format"] == "d"

"""How the journey map writes its figures: units, French and English number formats, signed changes."""

import pandas as pd
import pytest

from cx.charts_journey import (
    delta_arrow,
    delta_color,
    format_delta,
    format_value,
    reach_chart,
    reach_frame,
    touchpoint_lines,
)
from cx.format import escape_markdown as markdown_escape
from cx.journey import Kpi, StageKpis


def k(unit, value, previous=None, better="higher"):
    return Kpi("x", "journey.kpi.visits", value, unit, previous, None, better)


@pytest.mark.parametrize(
    "kpi, lang, text",
    [
        (k("count", 12345), "fr", "12\u202f345"),
        (k("count", 12345), "en", "12,345"),
        (k("percent", 31.25), "fr", "31,2\u202f%"),
        (k("percent", 31.25), "en", "31.2%"),
        (k("ratio", 3.1179), "en", "3.12"),
        (k("seconds", 122.5), "fr", "2,0 min"),
        (k("seconds", 5400), "en", "1.5 h"),
        (k("seconds", 45), "en", "45 s"),
        (k("hours", 83.49), "fr", "83,5 h"),
        (k("currency", 1166.0379), "fr", "1\u202f166,04\u202f€"),
        (k("currency", 1166.0379), "en", "€1,166.04"),
        (k("nps", 17.63), "en", "+17.6"),
        (k("nps", -31.6), "fr", "-31,6"),
        (k("count", None), "en", "—"),
    ],
)
def test_values(kpi, lang, text):
    assert format_value(kpi, lang, currency="EUR") == text


def test_money_in_its_currency():
    from cx.money import CurrencyScope

    aov = k("currency", 1166.0379, 0)
    assert format_value(aov, "en", currency="USD") == "$1,166.04"
    assert format_value(aov, "fr", currency="USD") == "1\u202f166,04\u202f$US"
    assert format_value(aov, "en", currency=CurrencyScope("GBP")) == "£1,166.04"
    assert format_delta(aov, "en", "USD") == "+$1,166.04"  # from zero: the difference, in its currency
    mixed = CurrencyScope(None, (("EUR", 10.0), ("USD", 5.0)))
    assert format_value(aov, "en", currency=mixed) == "n/a (several currencies)"


@pytest.mark.parametrize(
    "kpi, lang, text",
    [
        (k("count", 6, 2), "en", "+200.0%"),  # relative change
        (k("count", 3, 0), "en", "+3"),  # from zero: the difference
        (k("percent", 83.3, 100), "en", "-16.7 pts"),  # percentage points
        (k("percent", 31.0, 30.3), "fr", "+0,7 pt"),
        (k("nps", 20, -100), "fr", "+120,0 pt"),
        (k("ratio", 1.3, 1.5), "en", "-0.20"),
        (k("currency", 62.5, 50), "fr", "+25,0\u202f%"),
        (k("count", 6, None), "en", None),
        (k("count", 0, 0), "en", "0"),  # no change: no sign, no arrow, grey
        (k("percent", 12.5, 12.5), "fr", "0,0 pt"),
    ],
)
def test_deltas(kpi, lang, text):
    assert format_delta(kpi, lang) == text


def test_delta_colours_and_arrows():
    assert [delta_color(k("percent", 1, 2, b)) for b in ("higher", "lower", "neutral")] == ["normal", "inverse", "off"]
    assert (delta_color(k("count", 3, 3)), delta_arrow(k("count", 3, 3)), delta_arrow(k("count", 3, 2))) == (
        "off",
        "off",
        "auto",
    )


def test_markdown_is_escaped():
    assert markdown_escape("**bold** [x](http://e) <b>") == "\\*\\*bold\\*\\* \\[x\\]\\(http\\://e\\) \\<b\\>"
    tp = pd.DataFrame(
        [("purchase", "event", "add_to_cart", 3), ("purchase", "page", "/a_b", 1000)],
        columns=["stage", "kind", "touchpoint", "n"],
    )
    assert touchpoint_lines(tp, "purchase", "fr") == [("event", "add\\_to\\_cart (3)"), ("page", "/a\\_b (1\u202f000)")]


def test_reach_chart_has_both_periods():
    stages = [
        StageKpis(s, (Kpi("stage_visitors", "l", 10.0 * i, "count", 5.0, None),))
        for i, s in enumerate(("awareness", "consideration", "purchase", "retention", "advocacy"))
    ]
    frame = reach_frame(stages, "en")
    assert len(frame) == 10 and set(frame["period"]) == {"Period", "Previous period"}
    spec = reach_chart(frame, "en").to_dict()
    assert spec["encoding"]["x"]["field"] == "visitors" and spec["encoding"]["x"]["type"] == "quantitative"


def test_every_dynamic_label_exists_in_both_languages(tmp_path):
    from cx.i18n import catalogue
    from cx.journey import MATCH_TYPES, STAGES, find_stage_kpis
    from cx.workspace import Workspace
    from tests.test_journey_data import PERIOD, load_all

    ws = Workspace(tmp_path / "w.duckdb")
    keys = {f"journey.{part}.{s}" for s in STAGES for part in ("stage", "stage_desc")}
    keys |= {f"journey.match.{m}" for m in MATCH_TYPES}
    keys |= {f"journey.kind.{k}" for k in ("event", "page", "order", "ticket", "survey")}
    for filters in (PERIOD, PERIOD):
        for stage in find_stage_kpis(ws, filters):
            for kpi in stage.kpis:
                keys |= {kpi.label, f"journey.kpi_help.{kpi.key}"} | ({kpi.reason} if kpi.reason else set())
        load_all(ws)
    ws.close()
    for lang in ("fr", "en"):
        assert keys - set(catalogue(lang)) == set(), lang


def test_reach_chart_without_a_previous_period():
    stages = [StageKpis("awareness", (Kpi("stage_visitors", "l", 10.0, "count", None, None),))]
    spec = reach_chart(reach_frame(stages, "fr"), "fr").to_dict()
    assert spec["encoding"]["color"]["scale"]["domain"] == ["Période"]

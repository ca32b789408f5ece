"""cx.format, the one home of numbers, percentages, durations and dates by language, and the charts' locale."""

import datetime as dt
import re
import zoneinfo

import altair as alt
import pandas as pd
import pytest

from cx.charts_funnel import heatmap_frame
from cx.charts_journey import touchpoint_lines
from cx.format import chart_locale, date, duration, file_size, moment, month, number, percent

NB = "\u202f"  # narrow no-break space: French thousands and the space before %


@pytest.mark.parametrize(
    "args, fr, en",
    [
        ((1234.5, 1), f"1{NB}234,5", "1,234.5"),
        ((1200,), f"1{NB}200", "1,200"),
        ((21.34, 1, True), "+21,3", "+21.3"),
        ((-3, 1, True), "-3,0", "-3.0"),
        ((0.04, 1, True), "0,0", "0.0"),  # no sign on zero, never "-0,0"
        ((-0.04, 1), "0,0", "0.0"),
        ((15, 1, False, "%"), f"15,0{NB}%", "15.0%"),
        ((12, 1, False, "h"), "12,0 h", "12.0 h"),
        ((None,), "—", "—"),
        ((float("nan"),), "—", "—"),
    ],
)
def test_number(args, fr, en):
    assert number(args[0], "fr", *args[1:]) == fr and number(args[0], "en", *args[1:]) == en


def test_percent():
    assert percent(0.4449, "fr") == f"44,5{NB}%" and percent(0.4449, "en") == "44.5%"  # 44.49 → 44.5
    assert percent(0.5, "fr", 0) == f"50{NB}%" and percent(0.0123, "en", 2, signed=True) == "+1.23%"
    assert percent(None, "fr") == "—"


@pytest.mark.parametrize(
    "seconds, fr, en",
    [
        (45, "45 s", "45 s"),
        (132, "2,2 min", "2.2 min"),
        (5400, "1,5 h", "1.5 h"),  # 132 s = 2.2 min, 5400 s = 1.5 h
        (2.5 * 86400, "2,5 j", "2.5 d"),
        (None, "—", "—"),
    ],
)
def test_duration(seconds, fr, en):
    assert duration(seconds, "fr") == fr and duration(seconds, "en") == en


@pytest.mark.parametrize(
    "size, fr, en",
    [
        (0, "0 o", "0 B"),
        (512, "512 o", "512 B"),
        (1229, "1,2 Ko", "1.2 KB"),  # 1 229 / 1 000, as Streamlit's drop zone counts: its "1.2KB" beside ours
        (3_670_016, "3,7 Mo", "3.7 MB"),
        (2_000_000_000, "2,0 Go", "2.0 GB"),
    ],
)
def test_file_size(size, fr, en):
    # a tester read "1.2KB" (English, no space) on the French Data page: French writes "1,2 Ko"
    assert (file_size(size, "fr"), file_size(size, "en")) == (fr, en)


def test_date():
    day = dt.datetime(2025, 12, 31, 16, 5)
    assert date(day, "fr") == "31/12/2025" and date(day, "en") == "2025-12-31"
    assert date(day, "fr", time=True) == "31/12/2025 16:05" and date(None, "fr") == "—"


def test_a_moment_writes_its_zone():
    # 16:05 UTC on 31/12/2025 is 17:05 in Paris (winter, UTC+1), 21:35 in Kolkata (UTC+5:30), 11:05 in New York
    # (UTC−5); 1 July 2025 12:00 UTC is 14:00 in Paris (summer, UTC+2)
    utc = dt.datetime(2025, 12, 31, 16, 5, tzinfo=dt.UTC)
    zone = zoneinfo.ZoneInfo
    assert moment(utc.astimezone(zone("Europe/Paris")), "fr") == "31/12/2025 17:05 (Europe/Paris, UTC+1)"
    assert moment(utc.astimezone(zone("Asia/Kolkata")), "en") == "2025-12-31 21:35 (Asia/Kolkata, UTC+5:30)"
    assert moment(utc.astimezone(zone("America/New_York")), "en") == "2025-12-31 11:05 (America/New_York, UTC-5)"
    summer = dt.datetime(2025, 7, 1, 12, tzinfo=dt.UTC).astimezone(zone("Europe/Paris"))
    assert moment(summer, "fr") == "01/07/2025 14:00 (Europe/Paris, UTC+2)"
    assert moment(utc, "fr") == "31/12/2025 16:05 (UTC)"
    assert moment(utc.astimezone(zone("UTC")), "fr") == "31/12/2025 16:05 (UTC)"


def test_month_and_cohort_labels_in_the_language():
    assert month(dt.date(2025, 8, 1), "fr") == "août 2025" and month(pd.Timestamp("2025-02-01"), "en") == "Feb 2025"
    assert month(pd.NaT, "fr") == "—"
    matrix = pd.DataFrame(
        {
            "cohort": pd.to_datetime(["2025-09-01", "2025-09-01"]),
            "size": [1200, 1200],
            "period": [0, 1],
            "complete": [False, True],
            "share": [1.0, 0.25],
        }
    )
    assert heatmap_frame(matrix, "month", "fr")["cohort_label"].tolist() == [f"sept. 2025 (n=1{NB}200)"] * 2
    assert heatmap_frame(matrix, "week", "fr")["cohort_label"].iloc[0] == f"01/09/2025 (n=1{NB}200)"
    assert heatmap_frame(matrix, "month", "en")["cohort_label"].iloc[0] == "Sep 2025 (n=1,200)"


def test_chart_locale_writes_french_numbers_and_months():
    fr = chart_locale("fr")
    assert fr["number"]["decimal"] == "," and fr["number"]["thousands"] == NB and fr["number"]["percent"] == f"{NB}%"
    assert fr["time"]["shortMonths"][0] == "janv." and chart_locale("en")["number"]["decimal"] == "."
    spec = alt.Chart(pd.DataFrame({"a": [1200]})).mark_bar().encode(x="a:Q").configure(locale=fr).to_dict()
    assert spec["config"]["locale"]["number"]["decimal"] == ","


def test_order_and_ticket_channels_by_their_names():
    tp = pd.DataFrame(
        {
            "stage": ["purchase"] * 3,
            "kind": ["order", "order", "event"],
            "touchpoint": ["mobile_app", "kiosk_2", "mobile_app"],
            "n": [1311, 4, 2],
        }
    )
    assert touchpoint_lines(tp, "purchase", "fr") == [
        ("order", f"Application mobile (1{NB}311) · kiosk\\_2 (4)"),  # a code without a label stays as it is
        ("event", "mobile\\_app (2)"),
    ]  # an event name is the user's own word


def test_an_import_note_has_its_french_label(tmp_path):
    import pickle

    from cx.i18n import t
    from cx.ingest import import_file
    from cx.workspace import Workspace

    path = tmp_path / "o.csv"
    path.write_text(
        "order_id,customer_id,order_date,total,currency\nA1,C1,2025-01-03,10,EUR\nA2,C2,2025-01-04,12,USD\n",
        encoding="utf-8",
    )
    ws = Workspace(tmp_path / "w.duckdb")
    try:
        note = next(n for n in import_file(ws, path).notes if getattr(n, "key", None) == "currencies")
    finally:
        ws.close()
    assert note == "several currencies: EUR, USD"  # the command line's English sentence
    assert t(f"import.note.{note.key}", "fr", **note.values) == "Plusieurs devises : EUR, USD"
    assert pickle.loads(pickle.dumps(note)).values == {"currencies": "EUR, USD"}


def test_french_question_marks_never_wrap_alone():
    from cx.i18n import t

    assert t("support.times_title", "fr").endswith(f"{NB}?")  # "… l'attendent ?"
    assert " ?" not in t("support.times_title", "fr") and t("support.times_title", "en").endswith("?")


def test_known_exports_are_named_in_the_ui_language(monkeypatch):
    from cx.i18n import t
    from cx.ui import importer

    monkeypatch.setattr(importer, "tr", lambda key, **values: t(key, "fr", **values))
    assert importer.preset_label("Shopify orders") == "Commandes Shopify"
    assert importer.preset_label("HubSpot deals") == "Transactions HubSpot"
    assert importer.preset_label("GA4") == "GA4"  # a product's own name, the same in every language


def test_french_puts_a_space_before_a_semicolon_between_notes(monkeypatch):
    # two reshaping notes of one file were joined with "; " whatever the language: "…dépliées; 50 lignes…"
    from cx.i18n import t
    from cx.models import Note
    from cx.ui import importer

    notes = [Note("x", "unwrapped", lines=101), Note("y", "rolled_up", rows=50, orders=17)]
    monkeypatch.setattr(importer, "tr", lambda key, **values: t(key, "fr", **values))
    assert f"lignes dépliées : 101{NB}; lignes d’articles regroupées en commandes : 50 → 17" in importer.notes_text(
        notes
    )
    monkeypatch.setattr(importer, "tr", lambda key, **values: t(key, "en", **values))
    assert "lines unwrapped: 101; line-item rows rolled up into orders: 50 → 17" in importer.notes_text(notes)
    # every French label: a space (narrow, no-break) before a semicolon, never a bare one
    assert not [v for v in catalogue_fr().values() if " ;" in v or re.search(r"[^\s\u202f\u00a0];", v)]


def catalogue_fr():
    from cx.i18n import catalogue

    return catalogue("fr")


def test_the_delimiter_is_quoted_in_each_language(monkeypatch):
    from cx.i18n import t
    from cx.ui import importer

    assert t("data.fact_delimiter", "en", value=",") == "delimiter “,”"  # not the French « , »
    assert t("data.fact_delimiter", "fr", value=",") == "séparateur « , »"
    monkeypatch.setattr(importer, "tr", lambda key, **values: t(key, "fr", **values))
    assert importer.delimiter_name("\t") == "tabulation"


def test_english_labels_write_a_percentage_without_a_space():
    # French typography puts a narrow space before % ("100 %"); English writes "100%" (a tester read "100 %" in
    # the English pages: "± 31.0 pts (95 %)")
    import json
    from importlib import resources

    spaced = {
        key: text
        for part in resources.files("cx.locales").joinpath("en").iterdir()
        if part.name.endswith(".json")
        for key, text in json.loads(part.read_text(encoding="utf-8")).items()
        if re.search(r"[0-9}][ \u00a0\u202f]%", text)
    }
    assert spaced == {}


@pytest.mark.parametrize(
    "minutes, fr, en",
    [
        (45, "45,0 min", "45.0 min"),
        (119.9, "119,9 min", "119.9 min"),
        (120, "2,0 h", "2.0 h"),
        (3825, "63,8 h", "63.8 h"),
    ],
)
def test_a_reply_time_reads_in_hours_beyond_two_hours(minutes, fr, en):
    # 3 825 min / 60 = 63.75 h → 63.8 h (the tester's e-mail median, shown "3 825,0 min")
    from cx.format import reply_time

    assert (reply_time(minutes, "fr"), reply_time(minutes, "en")) == (fr, en)
    assert reply_time(None, "fr") == "—"

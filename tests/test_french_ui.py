"""A French UI that is French (issue 15): every page rendered in French on the demo workspace, and every piece of
text it shows — titles, captions, alerts, metric labels and values, widget labels and options, table headers,
cells of text columns, chart titles and the charts' number locale — free of untranslated keys, of English UI
words and of English number formats."""

import json
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from cx.demo import load_demo
from cx.i18n import catalogue
from cx.ui.streamlit_words import streamlit_words_table
from cx.workspace import Workspace
from tests.conftest import ROOT, copy_workspace, run_view

PAGES = (
    "overview",
    "data",
    "journey",
    "retention",
    "support",
    "personas",
    "maturity",
    "report",
    "funnel",
    "voice",
    "friction",
)

# Words of an English UI that have no business in the French one (whole words, case-sensitive).
ENGLISH = (
    "Total",
    "Rate",
    "Average",
    "Median",
    "None",
    "loaded",
    "orders",
    "Orders",
    "customers",
    "Customers",
    "events",
    "Events",
    "tickets support",
    "delivery",
    "Download",
    "Load",
    "Upload",
    "Browse",
    "Drag",
    "per file",
    "Yes",
    "No",
    "True",
    "False",
    "nan",
    "NaN",
    "NaT",
    "Not known",
    "Share",
    "Count",
    "Group",
    "Step",
    "Visitors",
    "Page not found",
    "not available",
    "significant",
    "Unknown",
    "unknown",
    "other",
    "failed",
    "Stage",
    "Month",
    "Week",
    "Status",
    "low",
    "medium",
    "high",
    "critical",
)
# Allowed where one of those words is a proper noun, a product name or a value of the user's data; each entry is
# (word, text around it that makes it legitimate).
ALLOWED = (
    # the Journey page's stage rules: patterns the user edits, matched against their own event and page names
    ("delivery", "livraison|delivery"),
)
# English number formats: "1,234" (thousands comma) and "44.5%" / "44.5 %" (decimal point before a percent).
ENGLISH_NUMBERS = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+(?![\d,])|\d\.\d+\s?%")
# Dates written the ISO (English UI) way, "2025-03-01", where a French reader expects 01/03/2025 (markdown may
# escape the hyphens).
ISO_DATES = re.compile(r"\b20\d\d\\?-[01]\d\\?-[0-3]\d\b")
FR_LOCALE_DECIMAL = ","
# A count of thousands written without its separator ("1498 réponses" where French writes "1 498 réponses").
BARE_COUNTS = re.compile(r"(?<![\d.,/\u202f])\d{4,} (?:réponses|lignes|clients|commandes|tickets|événements|visiteurs)")


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    ws = Workspace(path)
    load_demo(ws)
    ws.close()
    return path


def open_in_french(page, demo_db, tmp_path, monkeypatch) -> AppTest:
    """One page in French on a copy of the demo workspace; the Overview and Data pages through app.py (their
    links need its navigation)."""
    db = tmp_path / "w.duckdb"
    copy_workspace(demo_db, db)  # with its key (the pseudonyms)
    if page not in ("overview", "data"):
        return run_view(page, db, monkeypatch, lang="fr")
    monkeypatch.setenv("CX_DB", str(db))
    monkeypatch.delenv("CX_PASSWORD", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.session_state["lang"] = "fr"
    at.session_state["demo_checked"] = True
    at.run()
    if page == "data":
        at.switch_page("views/data.py").run()
    return at


def _walk(node):
    yield node
    for child in getattr(node, "children", {}).values():
        yield from _walk(child)


def shown_texts(at) -> list[str]:
    """Every piece of text the page shows, one string per element, widget label, option, header or cell."""
    texts = []
    for kind in (
        "title",
        "header",
        "subheader",
        "markdown",
        "caption",
        "info",
        "warning",
        "success",
        "error",
        "exception",
    ):
        texts += [str(e.value) for e in getattr(at, kind)]
    for m in at.metric:
        texts += [m.label, m.value, m.delta or ""]
    for kind in (
        "selectbox",
        "multiselect",
        "radio",
        "button",
        "toggle",
        "checkbox",
        "number_input",
        "text_area",
        "text_input",
        "date_input",
        "slider",
        "select_slider",
        "tabs",
        "expander",
    ):
        for widget in getattr(at, kind):
            texts.append(str(getattr(widget, "label", "")))
            texts.append(
                str(getattr(getattr(widget, "proto", None), "placeholder", "") or "")
            )  # an empty field's words
            texts += [str(o) for o in getattr(widget, "options", [])]
    for frame in at.dataframe:
        config = json.loads(frame.proto.columns or "{}")
        data = frame.value
        texts += [str((config.get(c) or {}).get("label", c)) for c in data.columns]
        texts += [str((config.get(c) or {}).get("help") or "") for c in data.columns]  # a header's tooltip
        # a number column drawn by Streamlit with decimals or as a percentage writes "12.5" / "12.5%" whatever
        # the UI's language: such columns are written by cx.format instead
        texts += [
            f"[English decimals in column {(config.get(c) or {}).get('label', c)!r}: {f}]"
            for c in data.columns
            for f in [((config.get(c) or {}).get("type_config") or {}).get("format") or ""]
            if f in ("percent", "localized", "compact") or re.search(r"%[^%]*\.[1-9]", f)
        ]
        for column in data.columns:
            kind = ((config.get(column) or {}).get("type_config") or {}).get("type")
            if kind in ("date", "datetime", "time"):  # drawn by the browser in the column's format, not as stored
                fmt = (config.get(column) or {}).get("type_config", {}).get("format") or "YYYY-MM-DD"
                texts += [f"[ISO date format {fmt!r} in column {column!r}]"] if fmt.startswith("YYYY") else []
                continue
            if data[column].dtype == object or str(data[column].dtype) in ("string", "str"):
                texts += [str(v) for v in data[column].dropna().unique()[:50]]
    for element in _walk(at._tree):  # every element's tooltip (its "?"), whatever its kind (the file uploader too)
        texts.append(str(getattr(getattr(element, "proto", None), "help", "") or ""))
    for chart in (e for e in _walk(at._tree) if getattr(e, "type", None) == "vega_lite_chart"):
        spec = json.loads(chart.proto.spec)
        texts += [json.dumps(t, ensure_ascii=False) for t in re.findall(r'"title": ("[^"]*")', chart.proto.spec)]
        texts.append(
            f"[chart locale decimal: {spec.get('config', {}).get('locale', {}).get('number', {}).get('decimal')}]"
        )
    return [t for t in texts if t]


def english_words(text: str) -> list[str]:
    found = []
    for word in ENGLISH:
        for match in re.finditer(rf"(?<![\w\-/.]){re.escape(word)}(?![\w\-/.])", text):
            around = text[max(0, match.start() - 20) : match.end() + 20]
            if not any(word == w and allowed in around for w, allowed in ALLOWED):
                found.append(word)
    return found


def test_every_english_label_has_a_french_one():
    missing = sorted(set(catalogue("en")) - set(catalogue("fr")))
    assert not missing, missing  # a French page would show the English label


def test_every_french_label_writes_its_apostrophe_one_way():
    # the typographic ’ between two letters ("l’import", "n’a"); a straight ' stays only in code and placeholders
    import re

    straight = re.compile(r"(?<=[^\W\d_])'(?=[^\W\d_])")
    mixed = {k: v for k, v in catalogue("fr").items() if straight.search(v)}
    assert not mixed, mixed


@pytest.mark.parametrize("page", PAGES)
def test_page_in_french_has_no_english(demo_db, tmp_path, monkeypatch, page):
    at = open_in_french(page, demo_db, tmp_path, monkeypatch)
    assert not at.exception, at.exception
    texts = shown_texts(at)
    keys = set(catalogue("en"))
    problems = [f"untranslated key {k!r} in {t[:120]!r}" for t in texts for k in _keys_in(t, keys)]
    problems += [f"English word {w!r} in {t[:120]!r}" for t in texts for w in english_words(t)]
    problems += [f"English number {m!r} in {t[:120]!r}" for t in texts for m in ENGLISH_NUMBERS.findall(t)]
    problems += [f"ISO date {m!r} in {t[:120]!r}" for t in texts for m in ISO_DATES.findall(t)]
    problems += [f"count without separator {m!r} in {t[:120]!r}" for t in texts for m in BARE_COUNTS.findall(t)]
    problems += [t for t in texts if t.startswith("[chart locale") and not t.endswith(f": {FR_LOCALE_DECIMAL}]")]
    problems += [t for t in texts if t.startswith(("[English decimals", "[ISO date format"))]
    assert not problems, "\n".join(problems)


def _keys_in(text: str, keys: set[str]) -> list[str]:
    """Catalogue keys written out in `text` ("voice.n" shown instead of its label)."""
    return [k for k in re.findall(r"\b[a-z_]+(?:\.[a-z0-9_]+)+\b", text) if k in keys]


def test_streamlits_own_words_are_written_in_french():
    """Streamlit writes its drop zone, its help buttons' names ("Help for Période"), its placeholders and its
    charts' menus in English whatever the page's language: the page's script (cx/ui/streamlit_words.py) puts
    these words in their place; an English page keeps Streamlit's."""
    table = streamlit_words_table("fr")
    seen = ("Upload", "Choose an option", "Choose date range", "Collapse sidebar", "Fullscreen", "Download as PNG")
    assert [table["words"][w] for w in seen] == [
        "Parcourir",
        "Choisissez une option",
        "Choisissez une période",
        "Replier le panneau latéral",
        "Plein écran",
        "Télécharger en PNG",
    ]
    assert not [w for french in table["words"].values() for w in english_words(french)]
    label = re.fullmatch(table["help_for"], "Help for Période (jours)").group(1)
    assert table["help_for_words"].replace("{label}", label) == "Aide : Période (jours)"
    number, unit = re.fullmatch(table["size"], "1.2KB").groups()  # a file's size, "1,2 Ko"
    assert number.replace(".", table["decimal"]) + " " + table["units"][unit] == "1,2 Ko"
    assert table["per_file"] == "{size} par fichier" and table["units"]["GB"] == "Go"
    assert streamlit_words_table("en") == {"words": None}


def test_streamlit_still_writes_the_words_we_replace():
    """The words looked for are Streamlit's own (cx/locales/en, `streamlit.*`): a Streamlit upgrade that changes
    one would leave it in English unnoticed."""
    import streamlit

    frontend = "".join(p.read_text(errors="ignore") for p in Path(streamlit.__file__).parent.glob("static/**/*.js"))
    english = catalogue("en")
    words = [english[k] for k in english if k.startswith("streamlit.") and k != "streamlit.size_units"]
    words = [w.replace("{label}", "").replace("{size}", "").strip() for w in words]
    assert [w for w in words if w not in frontend] == []

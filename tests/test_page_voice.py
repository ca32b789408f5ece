"""AppTest of the Voice of the customer page: scores with their forms, breakdown switch, quotes search, user
keyword, escaped free text, empty state."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from cx.models import Filters
from cx.text import user_keywords
from cx.workspace import Workspace
from tests.conftest import ROOT
from tests.test_satisfaction import insert

RAW = "<b>Nul</b> **vraiment** <script>alert(1)</script>"


def _data(ws):
    t, d = dt.datetime(2025, 9, 1, 10), dt.date
    insert(
        ws,
        "customers",
        [{"customer_id": f"C{i}", "segment": "VIP" if i % 3 == 0 else "Particulier"} for i in range(40)],
    )
    # even customers: latest order late (promised the 3rd, delivered the 8th); odd ones: on time
    insert(
        ws,
        "orders",
        [
            {
                "customer_id": f"C{i}",
                "order_time": dt.datetime(2025, 8, 1),
                "amount": 40,
                "promised_date": d(2025, 8, 3),
                "delivered_date": d(2025, 8, 8 if i % 2 == 0 else 3),
            }
            for i in range(40)
        ],
    )
    comments = [
        "Livrée avec 5 jours de retard, colis abîmé.",
        "Parfait, livraison rapide.",
        "DPD a égaré mon paquet.",
        "Too expensive for what it is.",
        RAW,
    ]
    insert(
        ws,
        "responses",
        [
            {
                "responded_at": t + dt.timedelta(days=i),
                "customer_id": f"C{i}",
                "nps": 2 if i % 2 == 0 else 10,
                "csat": 2 if i % 2 == 0 else 5,
                "csat_scale": 5,
                "ces": 3 if i % 2 == 0 else 6,
                "ces_scale": 7,
                "ces_higher_is_better": True,
                "touchpoint": "après livraison",
                "comment": comments[i % 5],
            }
            for i in range(40)
        ],
    )


@pytest.fixture
def app(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    _data(ws)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters()
    return at.run()


def _frame(at, column):
    return next(df.value for df in at.dataframe if column in df.value.columns)


def test_scores_with_their_forms(app):
    assert not app.exception and not app.error
    metrics = {m.label: m.value for m in app.metric}
    # 20 promoters (10) and 20 detractors (2) → NPS 0 (no sign on zero); CSAT: 20 fives of 40 → 50 %; CES: 20 × 6 and 20 × 3 → 4.5
    assert metrics == {"NPS": "0.0", "CSAT": "50.0%", "CES (mean on 1–7)": "4.50", "CES: low effort": "50%"}
    captions = " ".join(c.value for c in app.caption)
    # Var = 10 000 · ((0.5 + 0.5) − 0) / 40 = 250; MoE = 1.96 · √250 = 31.0
    assert (
        "± 31.0 pts (95%) · 40 answers" in captions and "share of the two best scores on 1–5 · 40 answers" in captions
    )
    # each form of CES said in words (CX_REFERENCE: always label which one is shown), not "form (a)" / "form (b)"
    assert "the mean effort score on 1–7, higher = easier" in captions
    assert "the share of customers who report little effort: the best 3 boxes on 1–7" in captions
    assert "form (a)" not in captions and "form (b)" not in captions


def test_switching_the_breakdown(app):
    # one touchpoint in every answer: nothing to compare, said (no one-bar chart)
    assert not [df for df in app.dataframe if "moe" in df.value.columns]
    assert any(
        i.value.startswith("One value of “Touchpoint” only in the answers (“après livraison”)") for i in app.info
    )
    app.selectbox(key="voice_by").select("late_delivery").run()
    assert not app.exception
    groups = _frame(app, "significant").set_index("label")
    assert groups.loc["Late", "nps"] == "-100.0" and groups.loc["On time", "nps"] == "+100.0"  # as the page writes them
    # 20 answers < 30: a low sample, never called significant even at NPS −100 vs +100 (issue 15)
    assert groups.loc["Late", "low_sample"] and not groups.loc["Late", "significant"]
    assert any("Which NPS by latest order late?" in s.value for s in app.subheader)
    app.selectbox(key="voice_by").select("segment").run()
    groups = _frame(app, "significant").set_index("label")
    assert groups.loc["VIP", "n"] == "14" and groups.loc["VIP", "low_sample"]  # C0, C3 … C39: 14 < 30


def test_quotes_search_ignores_accents_and_free_text_stays_raw(app):
    quotes = _frame(app, "comment")
    assert RAW in set(quotes["comment"])  # shown by st.dataframe as text, never rendered as HTML
    assert not any(RAW in m.value for m in app.markdown)
    app.text_input(key="voice_search").input("LIVREE").run()
    quotes = _frame(app, "comment")
    assert set(quotes["comment"]) == {"Livrée avec 5 jours de retard, colis abîmé."}
    assert any("8 comments" in c.value for c in app.caption)
    app.text_input(key="voice_search").input("").run()
    app.selectbox(key="voice_theme").select("price").run()
    assert set(_frame(app, "comment")["comment"]) == {"Too expensive for what it is."}


def test_adding_a_keyword_to_a_theme(app, tmp_path):
    themes = _frame(app, "mentions").set_index("label")
    assert themes.loc["Delivery", "mentions"] == "16"  # the "Livrée…" and "Parfait, livraison…" comments
    app.selectbox(key="keyword_theme").select("delivery")
    app.text_input(key="keyword_word").input("DPD")
    next(b for b in app.button if b.label == "Add the word").click().run()
    assert not app.exception and not app.error
    themes = _frame(app, "mentions").set_index("label")
    assert themes.loc["Delivery", "mentions"] == "24"
    ws = Workspace(tmp_path / "w.duckdb")
    assert user_keywords(ws) == (("delivery", "DPD"),)
    ws.close()


def test_an_empty_keyword_shows_an_error_not_a_traceback(app):
    next(b for b in app.button if b.label == "Add the word").click().run()
    assert not app.exception and any("keyword is empty" in e.value for e in app.error)


def test_drivers_quadrant_table(app):
    drivers = _frame(app, "importance")
    # late (20 answers, NPS −100) vs on time (NPS 100): importance = (100 − (−100)) · 0.5 = 100; the delivery
    # delay (all 5 days late) says the same, and comes after it
    top = drivers.head(2)
    assert list(top["attribute_label"]) == ["Latest order late", "Delivery delay"]
    assert list(top["label"]) == ["Late", "3–5 days late"] and list(top["importance"]) == ["+100.0", "+100.0"]


def test_french_labels_are_all_translated(tmp_path, monkeypatch, app):
    app.session_state["lang"] = "fr"
    app.run()
    assert not app.exception
    texts = [e.value for e in [*app.caption, *app.subheader, *app.markdown, *app.info]] + [m.label for m in app.metric]
    assert not [t for t in texts if "voice." in t or "support." in t]
    metrics = {m.label: m.value for m in app.metric}  # French figures: decimal comma, narrow space before %
    assert metrics["CES (moyenne sur 1–7)"] == "4,50" and metrics["CSAT"] == "50,0\u202f%"
    # the CSAT in plain words under the figure; the term of the trade stays in its tooltip
    captions = " ".join(c.value for c in app.caption)
    assert "part des deux meilleures notes sur 1–5 · 40 réponses" in captions and "top-2-box" not in captions
    [csat] = [m for m in app.metric if m.label == "CSAT"]
    assert "(top-2-box)" in csat.help


def test_empty_workspace_says_what_to_load(tmp_path, monkeypatch):
    # through app.py, whose navigation the link to the Data page needs; demo_checked keeps the sample data out
    monkeypatch.setenv("CX_DB", str(tmp_path / "empty.duckdb"))
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["demo_checked"] = True
    at.run()
    at.switch_page("views/voice.py").run()
    assert not at.exception
    assert any("Load a survey export" in i.value for i in at.info)


def test_answers_hidden_by_the_filters_are_not_called_missing(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    _data(ws)  # 40 answers, 1 Sept – 10 Oct 2025
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"] = "en"
    at.session_state["filters"] = Filters(dt.date(2024, 1, 1), dt.date(2024, 1, 31))
    at.run()
    assert not at.exception
    infos = [i.value for i in at.info]
    assert any("40 survey answers are loaded, but none matches the filters" in i for i in infos), infos
    assert not any("Load a survey export" in i for i in infos)


def test_comments_in_languages_without_a_lexicon_are_counted_and_named(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    _data(ws)
    insert(
        ws,
        "responses",
        [
            {"responded_at": dt.datetime(2025, 9, 2, 12), "nps": 4, "comment": c}
            for c in (
                "A entrega atrasou muito, péssimo.",
                "Produto chegou quebrado, quero devolver.",
                "Entrega rápida, produto de ótima qualidade.",
            )
        ],
    )
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"] = "fr"
    at.session_state["filters"] = Filters()
    at.run()
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(
        "3 commentaires dans une langue sans lexique ne sont pas lus" in c and "portugais (3)" in c for c in captions
    ), captions
    assert not any("entrega" in q.lower() for q in _frame(at, "comment")["comment"])


@pytest.mark.parametrize(
    "lang, no_nps", [("fr", "Pas de note NPS dans ces réponses."), ("en", "No NPS score in these answers.")]
)
def test_no_nps_answer_is_not_called_a_small_sample(tmp_path, monkeypatch, lang, no_nps):
    """CSAT answers only: the NPS says it has no score, without "small sample" (n = 0 is no sample at all);
    with 3 NPS answers (< 30) the tag is there."""

    def page(db):
        monkeypatch.setenv("CX_DB", str(db))
        at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
        at.session_state["lang"] = lang
        at.session_state["filters"] = Filters()
        return at.run()

    csat = [{"responded_at": dt.datetime(2025, 9, 1 + i), "csat": 4, "csat_scale": 5} for i in range(3)]
    nps = [{"responded_at": dt.datetime(2025, 9, 5 + i), "nps": 9} for i in range(3)]
    for name, rows in (("csat", csat), ("nps", csat + nps)):
        ws = Workspace(tmp_path / f"{name}.duckdb")
        insert(ws, "responses", rows)
        ws.close()
    at = page(tmp_path / "csat.duckdb")
    assert not at.exception
    assert at.metric[0].label == "NPS"
    assert no_nps in [c.value for c in at.caption]
    # the NPS by group and the trend read NPS answers: one sentence says so (a tester saw "no answer to split" beside
    # 62 CSAT answers, and a trend switch over nothing); the CSAT by group is there (test below)
    sections = {"fr": "Le NPS par groupe et la tendance", "en": "The NPS by group and the trend"}[lang]
    assert sum(i.value.startswith(sections) for i in at.info) == 1
    assert not any(r.key.startswith("voice_period") for r in at.radio) and "voice_by" in [s.key for s in at.selectbox]
    at = page(tmp_path / "nps.duckdb")
    assert not any(i.value.startswith(sections) for i in at.info)
    assert any(r.key.startswith("voice_period") for r in at.radio)
    assert at.metric[0].label == "NPS" + {"fr": " · petit échantillon", "en": " · low sample"}[lang]


def test_a_quote_of_no_touchpoint_shows_a_dash_not_none(tmp_path, monkeypatch):
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    _data(ws)
    late = {"responded_at": dt.datetime(2025, 12, 1), "customer_id": "C1", "nps": 3, "comment": "Sans point de contact"}
    insert(ws, "responses", [late])  # no touchpoint column value: null
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = "fr", Filters()
    at.run()
    quotes = _frame(at, "comment").set_index("comment")
    assert quotes.loc["Sans point de contact", "touchpoint"] == "—"
    assert quotes["touchpoint"].notna().all()


@pytest.mark.parametrize("lang, shown", [("en", "[phone]"), ("fr", "[téléphone]")])
def test_a_masked_phone_is_shown_in_the_pages_language(tmp_path, monkeypatch, lang, shown):
    # stored with the neutral token "[tel]" (cx/privacy.py); the page writes it in its language — it showed the
    # French "[téléphone]" to an English reader
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    comment = "Please call me back at [tel], the parcel arrived late and damaged."
    row = {"responded_at": dt.datetime(2025, 9, 1, 10), "nps": 3, "comment": comment}
    insert(ws, "responses", [row, {**row, "nps": 9, "comment": "Great service, thank you for the fast delivery."}])
    ws.close()
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    monkeypatch.setenv("CX_DB", str(db))
    at.session_state["lang"] = lang
    at.session_state["filters"] = Filters()
    at.run()
    assert not at.exception
    quotes = _frame(at, "comment")
    assert f"Please call me back at {shown}, the parcel arrived late and damaged." in set(quotes["comment"])


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("kind", ["nps", "csat"])
def test_answers_without_a_touchpoint_say_which_column_to_map_not_one_unknown_bar(tmp_path, monkeypatch, lang, kind):
    """Tester 6's Typeform NPS survey has no touchpoint column: "NPS by touchpoint" drew one "Not known" bar (and a
    CSAT-only survey a one-row table). Fewer than two known touchpoints: no chart, no table, a sentence naming the
    column to map."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    score = {"nps": {"nps": 9}, "csat": {"csat": 4, "csat_scale": 5}}[kind]
    insert(ws, "responses", [{"responded_at": dt.datetime(2025, 9, 1 + i), **score} for i in range(5)])
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = lang, Filters()
    at.run()
    assert not at.exception and at.selectbox(key="voice_by").value == "touchpoint"
    said = {
        "fr": "Aucune réponse ne donne de valeur de « Point de contact » : pas de comparaison à montrer. Sur la page "
        "Données, associez à « Point de contact » la colonne de votre export d’enquête qui le donne, puis "
        "chargez-le à nouveau.",
        "en": "No answer gives a value of “Touchpoint”: no comparison to show. On the Data page, map the column of "
        "your survey export that gives it to “Touchpoint”, then load it again.",
    }[lang]
    assert said in [i.value for i in at.info]
    assert not [df for df in at.dataframe if {"significant", "csat_n"} & set(df.value.columns)]
    # the NPS split, its trend and the themes; no bar of "Not known" (a CSAT survey: the themes only)
    assert len(at.get("vega_lite_chart")) == (3 if kind == "nps" else 1)


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_csat_only_survey_shows_its_csat_by_group(tmp_path, monkeypatch, lang):
    """A CSAT survey with no NPS question: the CSAT per touchpoint is shown (it was hidden with the NPS sections).
    Livraison: 5, 4, 2 on 1–5 → 2 satisfied (4 and 5) of 3 = 66,7 %; SAV: 1, 5 → 1 of 2 = 50,0 %; no CES answer."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    scores = [("Livraison", 5), ("Livraison", 4), ("Livraison", 2), ("SAV", 1), ("SAV", 5)]
    rows = [
        {"responded_at": dt.datetime(2025, 9, 1 + i), "csat": s, "csat_scale": 5, "touchpoint": tp}
        for i, (tp, s) in enumerate(scores)
    ]
    insert(ws, "responses", rows)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = lang, Filters()
    at.run()
    assert not at.exception
    assert at.selectbox(key="voice_by").value == "touchpoint"
    table = _frame(at, "csat_n").set_index("label")
    pct = {"fr": "\u202f%", "en": "%"}[lang]
    assert table.to_dict("index") == {  # no CES question: no CES columns
        "Livraison": {"csat_n": "3", "csat": ("66,7" if lang == "fr" else "66.7") + pct},
        "SAV": {"csat_n": "2", "csat": ("50,0" if lang == "fr" else "50.0") + pct},
    }
    title = {"fr": "Quel CSAT et quel CES par point de contact ?", "en": "Which CSAT and CES by touchpoint?"}[lang]
    assert title.replace(" ?", "\u202f?") in [h.value for h in at.subheader]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_csat_only_quote_shows_a_dash_for_its_nps_not_none(tmp_path, monkeypatch, lang):
    # the tester's Typeform CSAT answers have no NPS score: the quotes table wrote "None" in the NPS column
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    _data(ws)
    csat_only = {"responded_at": dt.datetime(2025, 12, 1), "customer_id": "C1", "csat": 2, "comment": "Sans note NPS"}
    insert(ws, "responses", [csat_only])
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = lang, Filters()
    at.run()
    quotes = _frame(at, "comment").set_index("comment")
    assert quotes.loc["Sans note NPS", "nps"] == "—"
    assert quotes["nps"].notna().all() and "None" not in set(quotes["nps"])


def test_the_comments_are_downloaded_by_parcours_own_buttons(tmp_path, monkeypatch):
    """Streamlit's table toolbar is off (it wrote a comment's "=HYPERLINK(…)" as a live formula, tester5): the
    comments shown have Parcours' CSV and XLSX buttons (cx/ui/download.py, formulas neutralised)."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    _data(ws)
    insert(ws, "responses", [{"responded_at": dt.datetime(2025, 12, 1), "nps": 2, "comment": '=HYPERLINK("x")'}])
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = "en", Filters()
    at.run()
    labels = [b.proto.label for b in at.get("download_button")]
    assert "Download these comments (CSV)" in labels and "Same table as XLSX" in labels
    assert '=HYPERLINK("x")' in _frame(at, "comment")["comment"].tolist()  # shown as written, escaped


def test_the_comments_download_keeps_scores_as_numbers_and_dates_as_dates(tmp_path, monkeypatch):
    """Tester 6's verbatims XLSX had the NPS score as text ("1", "—": the page's display). The file holds the
    answer's score as a number (an empty cell for none) and its time as an Excel date; a comment that would be a
    formula stays inert text."""
    import io

    import openpyxl

    from cx.export import to_csv_bytes, to_xlsx_bytes
    from cx.ui import download

    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    insert(
        ws,
        "responses",
        [
            {"responded_at": dt.datetime(2025, 9, 3, 14, 30), "nps": 9, "comment": "Parfait", "touchpoint": "web"},
            {"responded_at": dt.datetime(2025, 9, 4, 8), "csat": 2, "csat_scale": 5, "comment": '=HYPERLINK("x")'},
        ],
    )
    ws.close()
    made = {}
    monkeypatch.setattr(download, "download_table", lambda frame, label, stem, key, **kw: made.setdefault(key, frame))
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = "fr", Filters()
    at.run()
    assert not at.exception
    frame = made["voice_quotes_download"]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame, "verbatims"))).active
    assert [c.value for c in sheet[1]] == ["Date", "NPS", "Commentaire", "Thèmes", "Ton", "Point de contact"]
    rows = {r[2].value: r for r in sheet.iter_rows(min_row=2)}
    date, score, _, _, _, touchpoint = rows["Parfait"]
    assert (score.value, score.data_type) == (9, "n")
    assert date.is_date and date.value == dt.datetime(2025, 9, 3, 14, 30)
    date, score, _, _, _, touchpoint = rows['\'=HYPERLINK("x")']  # neutralised, as before
    assert date.is_date and score.value is None and touchpoint.value is None  # empty cells, not "—"
    csv = to_csv_bytes(frame).decode("utf-8-sig")
    assert '"2025-09-03 14:30:00",9,"Parfait"' in csv and '"2025-09-04 08:00:00",,"\'=HYPERLINK(""x"")"' in csv


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_ces_only_survey_without_comments_shows_its_ces_with_its_margin(tmp_path, monkeypatch, lang):
    """A CES survey, no NPS, no CSAT, no comment: the page stopped at "nothing to read". CES 7, 6, 5 on 1–7
    (higher = easier): mean 6.00, standard deviation 1, margin 1.96 × 1 / √3 = 1.13."""
    db = tmp_path / "w.duckdb"
    ws = Workspace(db)
    rows = [
        {"responded_at": dt.datetime(2025, 9, 1 + i), "ces": s, "ces_scale": 7, "ces_higher_is_better": True}
        for i, s in enumerate([7, 6, 5])
    ]
    insert(ws, "responses", rows)
    ws.close()
    monkeypatch.setenv("CX_DB", str(db))
    at = AppTest.from_file(str(ROOT / "views" / "voice.py"), default_timeout=60)
    at.session_state["lang"], at.session_state["filters"] = lang, Filters()
    at.run()
    assert not at.exception
    assert not any(w in i.value for i in at.info for w in ("none has an NPS", "aucune n’a de note"))
    assert {"fr": "6,00", "en": "6.00"}[lang] in [m.value for m in at.metric]
    margin = {"fr": "± 1,13 (95 %)", "en": "± 1.13 (95%)"}[lang]
    assert any(margin in c.value for c in at.caption), [c.value for c in at.caption]

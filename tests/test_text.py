"""Verbatim themes and tone: precision and recall on a labelled set written for this purpose, stemming,
negation, accent- and case-blind search, user keywords.

The labelled set (tests/data/verbatims_labelled.csv, 168 comments, 90 French and 78 English) follows these
rules: a theme is labelled when the comment talks about it, in good or bad terms. delivery = timing, carrier,
tracking, shipping cost; price = price level, value, promotions, shipping cost; support = any contact with
customer service or store staff; payment = paying, cards, being charged, invoices; website = site/app
usability, speed, bugs, checkout errors; quality = the product itself, its look, defects, conformity to the
photos; returns = returns, refunds, exchanges; waiting = explicit waiting for a service or an answer (a late
parcel alone is delivery); availability = stock; packaging = packaging and damage in transit ("arrived
broken"); account = login, password, personal data, newsletter. Tone is the comment's overall tone; mixed
comments get "neutral" unless one side clearly dominates.
"""

import csv
import datetime as dt
import sys

import pytest
from hypothesis import given, settings, strategies as st

from cx.errors import CxError
from cx.text import (
    TONES,
    add_theme_keyword,
    comment_languages,
    detect_language,
    find_quotes,
    find_themes,
    fold,
    lexicon,
    list_theme_keywords,
    read_comment,
    read_comments,
    remove_theme_keyword,
    stem,
    theme_names,
    tokens,
    user_keywords,
)
from tests.conftest import ROOT
from tests.test_satisfaction import insert

LABELLED = ROOT / "tests" / "data" / "verbatims_labelled.csv"


def _labelled():
    with open(LABELLED, encoding="utf-8", newline="") as f:
        return [
            (r["language"], r["text"], set(filter(None, r["themes"].split("|"))), r["tone"]) for r in csv.DictReader(f)
        ]


def test_the_labelled_set_is_big_and_balanced():
    rows = _labelled()
    assert len(rows) >= 150
    assert sum(lang == "fr" for lang, *_ in rows) >= 60 and sum(lang == "en" for lang, *_ in rows) >= 60
    for theme in theme_names():
        assert sum(theme in themes for _, _, themes, _ in rows) >= 5, theme
    assert {tone for *_, tone in rows} == set(TONES)


def test_precision_and_recall_on_the_labelled_set(capsys):
    tp = dict.fromkeys(theme_names(), 0)
    fp, fn = dict(tp), dict(tp)
    tone_ok = 0
    rows = _labelled()
    for _, text, expected, tone in rows:
        reading = read_comment(text)
        for theme in theme_names():
            tp[theme] += theme in expected and theme in reading.themes
            fp[theme] += theme not in expected and theme in reading.themes
            fn[theme] += theme in expected and theme not in reading.themes
        tone_ok += reading.tone == tone
    report = []
    for theme in theme_names():
        precision, recall = tp[theme] / (tp[theme] + fp[theme]), tp[theme] / (tp[theme] + fn[theme])
        report.append(f"{theme:<13} precision {precision:.2f} recall {recall:.2f} (n={tp[theme] + fn[theme]})")
        assert precision >= 0.75 and recall >= 0.75, report[-1]
    precision = sum(tp.values()) / (sum(tp.values()) + sum(fp.values()))
    recall = sum(tp.values()) / (sum(tp.values()) + sum(fn.values()))
    report.append(
        f"overall       precision {precision:.3f} recall {recall:.3f}; tone accuracy "
        f"{tone_ok / len(rows):.3f} on {len(rows)} comments"
    )
    with capsys.disabled():
        print("\n" + "\n".join(report))
    assert precision >= 0.88 and recall >= 0.9
    assert tone_ok / len(rows) >= 0.72


def test_recall_on_the_sample_generators_own_templates():
    """An independent check: the sample data generator (written separately) composes comments from templates per
    topic; the lexicon must find each template's topic."""
    sys.path.insert(0, str(ROOT / "sample_data"))
    import generate

    context = {"order": "#12345", "promised": "14/10", "first": "Anne", "page": "/x", "device": "mobile"}
    found = total = 0
    import random

    for (topic, _, lang), templates in generate.COMMENT_CORE.items():
        for template in templates:
            text = generate._fill(random.Random(1), template, lang, context)
            found += topic in read_comment(text).themes
            total += 1
    assert found / total >= 0.95, f"{found}/{total}"


@pytest.mark.parametrize(
    "words",
    [
        ("livraison", "livrée", "livré", "livrer", "livrées", "LIVRAISONS"),
        ("delivered", "delivery", "deliveries", "delivering"),
        ("remboursement", "remboursé", "rembourser", "remboursée"),
        ("bug", "bugs"),
        ("price", "prices", "priced"),
        ("qualité", "quality"),
        ("rapide", "rapidement"),
    ],
)
def test_light_stemming_meets_the_forms_of_a_word(words):
    assert len({stem(w) for sentence in tokens(" ".join(words)) for w in sentence if w}) == 1


def test_fold_removes_accents_case_and_ligatures():
    assert fold("Œuvre LIVRÉE à l’heure, Ça") == "oeuvre livree a l'heure, ca"


@pytest.mark.parametrize(
    "text, tone",
    [
        ("Livraison rapide", "positive"),
        ("Livraison pas rapide", "negative"),
        ("Pas rapide du tout.", "negative"),
        ("Not good.", "negative"),
        ("Good.", "positive"),
        ("Sans souci, je recommande.", "positive"),
        ("Pas mal du tout.", "positive"),
        ("Je ne recommanderai pas.", "negative"),
        ("No problem at all.", "positive"),
        ("I would not recommend it.", "negative"),
        ("The courier didn't call, great.", "neutral"),
        ("C’est cher, mais c’est beau !", "positive"),
        ("Joli mais fragile.", "negative"),
        ("Livraison rapide malgré un léger retard.", "positive"),
        ("Le livreur n'a jamais sonné.", "negative"),
        ("Bon de retour introuvable.", "negative"),
        ("Commande reçue.", "neutral"),
    ],
)
def test_tone_with_negation_and_contrast(text, tone):
    assert read_comment(text).tone == tone


def test_a_phrase_hides_its_words_from_other_themes():
    assert read_comment("Bon rapport qualité-prix.").themes == ("price",)  # not "quality"
    assert read_comment("Frais de port trop élevés").themes == ("delivery", "price")  # both, by design
    assert read_comment("The furniture page takes forever to load.").themes == ("website",)  # not "waiting"


def test_theme_tone_is_that_of_its_sentence():
    reading = read_comment("Livraison très rapide. Mais le service client est injoignable.")
    assert reading.theme_tones == {"delivery": "positive", "support": "negative"}


@pytest.fixture
def comments(ws):
    t = dt.datetime(2025, 5, 1, 12)
    insert(
        ws,
        "responses",
        [
            {"responded_at": t, "nps": 10, "comment": "Livraison rapide, bravo", "language": "fr"},
            {"responded_at": t + dt.timedelta(days=1), "nps": 2, "comment": "LIVRÉE avec 5 jours de retard !"},
            {"responded_at": t + dt.timedelta(days=2), "nps": 3, "comment": "Trop cher pour ce que c'est."},
            {"responded_at": t + dt.timedelta(days=3), "nps": 8, "comment": "Prix correct."},
            {"responded_at": t + dt.timedelta(days=4), "nps": 1, "comment": "DPD a égaré mon paquet."},
            {"responded_at": t + dt.timedelta(days=5), "nps": 0, "comment": "<b>Nul</b> **vraiment** =1+1"},
            {"responded_at": t + dt.timedelta(days=6), "nps": 9, "comment": "   "},
            {"responded_at": t + dt.timedelta(days=7), "nps": 9, "comment": None},
        ],
    )
    return ws


def test_themes_split_by_promoters_passives_and_detractors(comments):
    themes = find_themes(comments).set_index("theme")
    delivery = themes.loc["delivery"]  # a promoter ("rapide") and a detractor ("LIVRÉE … retard")
    assert (delivery["mentions"], delivery["promoters"], delivery["passives"], delivery["detractors"]) == (2, 1, 0, 1)
    # 1 of the 4 detractors' comments and the only promoter's comment name delivery; NPS of the two: (1 − 1)/2
    assert delivery["detractor_share"] == pytest.approx(1 / 4) and delivery["promoter_share"] == pytest.approx(1)
    assert delivery["nps"] == pytest.approx(0) and (delivery["positive"], delivery["negative"]) == (1, 1)
    price = themes.loc["price"]
    assert (price["mentions"], price["passives"], price["detractors"]) == (2, 1, 1)
    assert themes["share"].max() <= 1 and themes.loc["account", "mentions"] == 0


@pytest.mark.parametrize(
    "search, expected",
    [
        ("livree", ["LIVRÉE avec 5 jours de retard !"]),
        ("LIVRAISON", ["Livraison rapide, bravo"]),
        ("égaré", ["DPD a égaré mon paquet."]),
        ("egare MON", ["DPD a égaré mon paquet."]),
        ("introuvable", []),
    ],
)
def test_quotes_search_ignores_accents_and_case(comments, search, expected):
    assert list(find_quotes(comments, search=search)["comment"]) == expected


def test_quotes_by_theme_newest_first_and_raw(comments):
    quotes = find_quotes(comments, theme="delivery")
    assert list(quotes["comment"]) == ["LIVRÉE avec 5 jours de retard !", "Livraison rapide, bravo"]
    assert list(quotes["group"]) == ["detractor", "promoter"]
    # the text is returned untouched: pages show it escaped (st.dataframe), never as HTML or markdown
    assert "<b>Nul</b> **vraiment** =1+1" in set(find_quotes(comments)["comment"])
    assert len(find_quotes(comments, limit=2)) == 2


def test_a_keyword_added_by_the_user_is_used_at_once(comments):
    assert "delivery" not in read_comment("DPD a égaré mon paquet.").themes
    assert find_quotes(comments, theme="delivery", search="dpd").empty
    add_theme_keyword(comments, "delivery", "DPD", "fr")
    add_theme_keyword(comments, "delivery", "  DPD ", "fr")  # the same keyword twice is stored once
    assert user_keywords(comments) == (("delivery", "DPD"),)
    assert list(find_quotes(comments, theme="delivery", search="dpd")["comment"]) == ["DPD a égaré mon paquet."]
    assert find_themes(comments).set_index("theme").loc["delivery", "mentions"] == 3
    assert list(list_theme_keywords(comments)["language"]) == ["fr"]
    remove_theme_keyword(comments, "delivery", "DPD")
    assert user_keywords(comments) == ()


@pytest.mark.parametrize(
    "theme, keyword, language, message",
    [
        ("weather", "pluie", "fr", "unknown theme"),
        ("delivery", "  ", "fr", "empty"),
        ("delivery", "DPD", "de", "unknown language"),
        ("delivery", "x " * 40, "fr", "too long"),
    ],
)
def test_bad_keywords_are_refused(ws, theme, keyword, language, message):
    with pytest.raises(CxError, match=message):
        add_theme_keyword(ws, theme, keyword, language)


def test_no_comment_no_theme(ws):
    themes = find_themes(ws)
    assert list(themes["mentions"]) == [0] * len(theme_names()) and find_quotes(ws, theme="delivery").empty


def test_no_comment_no_lexicon_built(ws):
    # the lexicon (~0.3 s to build) is read only for comments: none here, so none is built (the findings and the
    # maturity read the comments of every workspace, most of which have no survey)
    lexicon.cache_clear()
    comments = read_comments(ws)
    assert comments.empty and {"themes", "tone"} <= set(comments) and lexicon.cache_info().currsize == 0


def test_user_keywords_survive_a_workspace_reopen(tmp_path):
    from cx.workspace import Workspace

    w = Workspace(tmp_path / "k.duckdb")
    add_theme_keyword(w, "support", "hotliner", "fr")
    w.close()
    w = Workspace(tmp_path / "k.duckdb")
    assert user_keywords(w) == (("support", "hotliner"),)
    w.close()


LETTERS = "abcdefghijklmnopqrstuvwxyzéèêàâçôûùïœ’' .,!?;:-\n"


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=LETTERS, max_size=120))
def test_reading_never_fails_and_ignores_case_and_accents(text):
    reading = read_comment(text)
    assert set(reading.themes) <= set(theme_names()) and reading.tone in TONES
    assert read_comment(text.upper()).themes == reading.themes
    assert read_comment(fold(text)).themes == reading.themes
    assert fold(fold(text)) == fold(text)


@pytest.mark.parametrize(
    "text, language",
    [
        ("Livraison rapide, colis bien protégé.", "fr"),
        ("The parcel arrived two days late.", "en"),
        ("Produto chegou antes do prazo, recomendo.", "pt"),
        ("El paquete llegó tarde y roto.", "es"),
        ("Die Lieferung war sehr schnell, danke!", "de"),
    ],
)
def test_detect_language(text, language):
    assert detect_language(text) == language


@pytest.mark.parametrize("text", ["ok", "Bom", "RAS", "Nickel !", "10/10"])
def test_a_word_or_two_is_never_set_aside(text):
    # too little text to believe another language: read with the French and English lexicons
    assert detect_language(text) in ("fr", "en")


def test_comments_in_other_languages_are_counted_and_left_unread(ws):
    t0 = dt.datetime(2025, 5, 5, 10)
    comments = [
        "Livraison en retard de trois jours.",
        "Delivery was late again.",
        "A entrega atrasou muito, péssimo.",
        "Produto chegou quebrado, quero devolver.",
        "Entrega rápida, produto de ótima qualidade.",
        "El paquete llegó tarde y roto.",
    ]
    insert(
        ws,
        "responses",
        [{"responded_at": t0 + dt.timedelta(hours=i), "nps": 3, "comment": c} for i, c in enumerate(comments)],
    )
    languages = comment_languages(ws)
    assert list(languages.itertuples(index=False, name=None)) == [
        ("pt", 3, False),
        ("en", 1, True),
        ("es", 1, False),
        ("fr", 1, True),
    ]
    read = read_comments(ws)
    assert list(read["comment"]) == comments[:2] and list(read["detected_language"]) == ["fr", "en"]
    themes = find_themes(ws).set_index("theme")
    # 2 readable comments, both about delivery: a share of 2/2, not 2/6
    assert themes.loc["delivery", "mentions"] == 2 and themes.loc["delivery", "share"] == 1.0
    assert set(find_quotes(ws)["comment"]) == set(comments[:2])


@pytest.mark.parametrize(
    "text",
    [
        "I was charged twice for this order.",
        "45 minutes on hold, then they hung up.",
        "Débité deux fois !",
        "Vingt minutes d'attente au téléphone pour une simple question.",
        "Called three times about my parcel.",
        "Un pantalon noir au lieu du bleu.",
        "Colis déposé sans prévenir.",
        "Ten days for a refund.",
        "Dix jours pour un remboursement.",
        "It took three weeks to get my money back.",
        "Il a fallu un mois pour être remboursé.",
        "12 days for a reply.",
    ],
)
def test_complaints_without_a_sentiment_word_read_negative(text):
    assert read_comment(text).tone == "negative"


@pytest.mark.parametrize(
    "text, tone",
    [
        ("Paiement en trois fois sans frais, pratique.", "positive"),  # an instalment plan is no repeated charge
        ("Livré sans attendre.", "positive"),  # a negated wait
        ("Produit comme attendu.", "neutral"),  # "attendu" alone is not a complaint
        ("Worth the wait.", "positive"),
        ("Reçu 2 jours avant la date prévue.", "neutral"),  # early is no wait
        ("Livré en 2 jours, parfait.", "positive"),  # a duration with praise stays praise
        ("2 jours pour livrer, rapide et efficace.", "positive"),
        ("Un jour pour comparer les offres.", "neutral"),  # one day is no complaint
    ],
)
def test_waiting_and_repeat_words_in_their_harmless_uses(text, tone):
    assert read_comment(text).tone == tone


HELDOUT = ROOT / "tests" / "data" / "verbatims_heldout.csv"
TUNING = ROOT / "tests" / "data" / "verbatims_tuning.csv"


@pytest.mark.parametrize(
    "path, floors",
    [
        # 73 comments written before the lexicon was read, never used to tune it (issue 15). Measured before the
        # complaint-phrasing additions: precision 0.821, recall 0.876, tone 0.562; after: 0.827, 0.910, 0.767.
        (HELDOUT, (0.80, 0.88, 0.74)),
        # 48 comments written to tune those additions (before: 1.000, 0.766, 0.271; after: 0.983, 0.891, 0.958; with the "waits" rule tone 1.000)
        (TUNING, (0.95, 0.86, 0.92)),
    ],
)
def test_scores_on_the_held_out_and_tuning_sets(path, floors, capsys):
    with open(path, encoding="utf-8", newline="") as f:
        rows = [(r["text"], set(filter(None, r["themes"].split("|"))), r["tone"]) for r in csv.DictReader(f)]
    tp = fp = fn = tone_ok = 0
    for text, expected, tone in rows:
        reading = read_comment(text)
        tp, fp, fn = (
            tp + len(expected & set(reading.themes)),
            fp + len(set(reading.themes) - expected),
            fn + len(expected - set(reading.themes)),
        )
        tone_ok += reading.tone == tone
    scores = (tp / (tp + fp), tp / (tp + fn), tone_ok / len(rows))
    with capsys.disabled():
        print(f"\n{path.name}: precision {scores[0]:.3f} recall {scores[1]:.3f} tone {scores[2]:.3f} on {len(rows)}")
    assert all(score >= floor for score, floor in zip(scores, floors)), scores

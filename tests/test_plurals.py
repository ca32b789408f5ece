"""Counts in words (cx.i18n): French writes 0 and 1 in the singular, English 1 only; a label's singular form is
its key + `_one`, picked from `count=` or from `n` when it is a number."""

import re

import numpy as np
import pytest

from cx.i18n import catalogue, singular, t


@pytest.mark.parametrize(
    "lang, count, one",
    [("fr", 0, True), ("fr", 1, True), ("fr", 1.5, True), ("fr", 2, False), ("fr", np.int64(1), True)]
    + [("en", 0, False), ("en", 1, True), ("en", 2, False), ("en", np.int64(1), True)],
)
def test_which_counts_take_the_singular(lang, count, one):
    assert singular(count, lang) is one


@pytest.mark.parametrize(
    "lang, n, text",
    [
        ("fr", 0, "0 constat · "),
        ("fr", 1, "1 constat · "),
        ("fr", 2, "2 constats · "),
        ("en", 0, "0 findings · "),
        ("en", 1, "1 finding · "),
        ("en", 2, "2 findings · "),
    ],
)
def test_the_friction_count_agrees_with_its_number(lang, n, text):
    assert t("friction.count", lang, n=n, revenue="—").startswith(text)


def test_a_count_written_by_cx_format_passes_the_number_as_count():
    # `n` is already text ("1 234"): the form follows `count`, which is not a placeholder
    assert t("voice.nps_moe", "fr", moe="3,0", n="1", count=1).endswith("· 1 réponse")
    assert t("voice.nps_moe", "fr", moe="3,0", n="1\u202f234", count=1234).endswith("· 1\u202f234 réponses")
    assert t("voice.nps_moe", "en", moe="3.0", n="0", count=0).endswith("· 0 answers")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_singular_form_has_its_plural_and_the_same_placeholders(lang):
    labels = catalogue(lang)
    ones = [k for k in labels if k.endswith("_one")]
    assert len(ones) >= 15
    for key in ones:
        base = key.removesuffix("_one")
        assert base in labels, key
        assert set(re.findall(r"{(\w+)}", labels[key])) == set(re.findall(r"{(\w+)}", labels[base])), key


@pytest.mark.parametrize(
    "lang, says", [("fr", ["NPS — (0 réponse)", "(1 réponse)"]), ("en", ["NPS — (0 answers)", "(1 answer)"])]
)
def test_a_persona_card_counts_its_answers_in_words(lang, says):
    from cx.charts_personas import card_lines
    from cx.personas.cards import Persona

    kpis = {"orders": 2.0, "aov": 50.0, "orders_per_year": 2.0, "recency_days": 30.0, "monetary": 100.0}
    kpis |= {"nps": None, "nps_n": 0, "csat": 100.0, "csat_n": 1, "sessions": None, "tickets": None}
    persona = Persona(1, "Élodie", "Élodie", False, 1, 1.0, (), kpis)
    text = "\n".join(card_lines(persona, lambda key, **v: t(key, lang, **v), lang, str))
    assert all(s in text for s in says), text
    assert text.startswith({"fr": "**1 client · ", "en": "**1 customer · "}[lang])


@pytest.mark.parametrize(
    "key, values, count, fr, en",
    [
        ("voice.filtered_out", {"loaded": "1"}, 1, "1 réponse d’enquête est chargée, mais elle", "1 survey answer is"),
        ("voice.nothing_to_read", {"kept": "0"}, 0, "0 réponse correspond", "0 answers match"),
        ("funnel.download", {"n": "1"}, 1, "Télécharger ce 1 visiteur", "Download this 1 visitor"),
        ("funnel.time_caption", {"n": "1", "median": "1 h", "p90": "2 h"}, 1, "1 visiteur a atteint", "1 visitor"),
        ("data.deleted", {"import_id": 3, "n": "0"}, 0, "Import 3 supprimé et effacé (0 ligne retirée", "(0 rows"),
        ("report.summary_personas", {"n": 0}, 0, "0 persona", "0 personas"),
        ("personas.answers", {"n": 1}, 1, "1 réponse", "1 answer"),
        ("overview.demo_removed", {"rows": "1"}, 1, "Démo supprimée (1 ligne)", "Demo removed (1 row)"),
        ("retention.no_purchase_kept", {"orders": "1"}, 1, "1 commande est chargée, mais ce", "1 order is loaded"),
        ("data.rejected", {"n": 1}, 1, "1 ligne rejetée — elle est", "1 row rejected — it is"),
        ("import.kept_summary", {"n": 1}, 1, "1 colonne sans équivalent sera gardée", "1 column with no match"),
        ("import.note.title_lines", {"n": 1}, 1, "1 ligne de titre", "1 title line above"),
        ("journey.unassigned", {"n": "1"}, 1, "1 événement ne correspond", "1 event matches no rule"),
        ("maturity.disagreements", {"n": 1}, 1, "1 désaccord entre", "1 disagreement between"),
        (
            "retention.low_base_note",
            {"start": "1", "min": 30},
            1,
            "Petit effectif : 1 client au départ",
            "1 customer at",
        ),
        ("retention.aov_inputs", {"revenue": "10 €", "orders": "1"}, 1, "10 € sur 1 achat", "10 € over 1 purchase"),
        (
            "retention.return_inputs_delivered",
            {"returned": "0", "delivered": "1"},
            1,
            "Retours : 0 sur 1 commande livrée",
            "Returned: 0 of 1 delivered order",
        ),
        (
            "personas.funnel_entered",
            {"n": "1", "converted": "1"},
            1,
            "1 visiteur entré · dernière étape atteinte par 1",
            "1 visitor entered · last step reached by 1",
        ),
    ],
)
def test_count_labels_agree_in_both_languages(key, values, count, fr, en):
    assert t(key, "fr", count=count, **values).startswith(fr), t(key, "fr", count=count, **values)
    assert en in t(key, "en", count=count, **values)
    assert t(key, "fr", count=2, **values) != t(key, "fr", count=count, **values)  # the plural form differs


@pytest.mark.parametrize("lang, count, text", [("fr", 1, "1 fichier"), ("fr", 3, "3 fichiers"), ("en", 0, "0 files")])
def test_a_count_placeholder_is_filled_and_picks_the_form(lang, count, text, monkeypatch):
    # `count` chooses the form and is a value too: a label may write "{count}" (it raised KeyError before)
    labels = {"x.files": "{count} fichiers", "x.files_one": "{count} fichier"}
    if lang == "en":
        labels = {"x.files": "{count} files", "x.files_one": "{count} file"}
    monkeypatch.setitem(catalogue(lang), "x.files", labels["x.files"])
    monkeypatch.setitem(catalogue(lang), "x.files_one", labels["x.files_one"])
    assert t("x.files", lang, count=count) == text


@pytest.mark.parametrize(
    "key, values",
    [
        ("retention.repeat_inputs", {"customers": "1", "repeat": "0"}),
        ("retention.frequency_inputs", {"orders": "1", "customers": "1", "days": "1"}),
        ("report.summary_top", {"n": 1, "total": 2}),
        ("report.findings_top", {"n": 1, "total": 2}),
        ("report.finding_figures", {"observed": "1", "expected": "2", "touched": "1"}),
        ("import.note.rolled_up", {"rows": "2", "orders": "1"}),  # "2 lignes … regroupées en 1 commandes"
        ("import.note.matomo", {"visits": "1", "actions": "1"}),
        ("import.note.matomo_visits", {"visits": "1", "time": "12:00"}),
        ("import.note.unwrapped", {"lines": "1"}),
        ("import.note.ga4", {"keys": "1", "params": "1"}),
    ],
)
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_labels_with_two_counts_have_no_word_to_agree_with_them(key, values, lang):
    # reworded rather than given a `_one` form: a second count (or a verb) cannot agree with both numbers
    # ("1 clients sur 1 ont racheté", "Les 1 principaux constats", "{converted} ont atteint")
    text = t(key, lang, **values)
    one_then_plural = (
        r"\b[01] (clients|achats|jours|principaux|touchés|commandes|visites|lignes|clés|colonnes"
        r"|customers|purchases|days|top|orders|visits|rows|lines|keys|columns)\b"
    )
    assert not re.search(one_then_plural, text), text
    assert not re.search(r"\b(ont|sont|have|were)\b", text), text

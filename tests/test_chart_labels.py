"""Axis labels and titles the charts would cut at 1440 px (Vega ends a label with "…" past its `labelLimit`, 180 px
by default; a vertical title longer than its chart's height is cut): measured here for the longest French label, at
6.5 px a character (11 px Source Sans, its widest words measured on screen under 6 px a character)."""

import pandas as pd

from cx import charts_friction, charts_personas
from cx.i18n import catalogue, t
from cx.text import theme_label, theme_names

PX_PER_CHAR = 6.5


def fits(labels, limit: float) -> bool:
    return max(len(label) for label in labels) * PX_PER_CHAR <= limit


def test_the_personas_feature_names_fit_their_axis():
    """ "Jours depuis la dernière commande (médiane)": 43 characters ≈ 280 px, past the 220 px the axis had."""
    words = catalogue("fr")
    features = [words[k] for k in words if k.startswith("personas.feature.")]
    frame = pd.DataFrame({"persona": ["A"] * len(features), "feature": features, "z": 1.0})
    axis = charts_personas.traits_chart(frame, lambda key, **v: t(key, "fr", **v)).to_dict()["encoding"]["y"]["axis"]
    assert fits(features, axis["labelLimit"]), (max(features, key=len), axis["labelLimit"])


def test_the_personas_funnel_axis_title_is_written_on_two_lines():
    """ "Ont atteint l’étape (part de l’étape 1)" (39 characters ≈ 250 px) stood on a 280 px chart less its axis
    padding, and lost its end: two lines now, the bracket on the second."""
    assert charts_personas.title_lines("Ont atteint l’étape (part de l’étape 1)") == [
        "Ont atteint l’étape",
        "(part de l’étape 1)",
    ]
    assert charts_personas.title_lines("Share") == ["Share"]
    frame = pd.DataFrame({"who": ["A"], "step": [1], "step_label": ["view_item"], "users": [10], "conversion": [1.0]})
    title = charts_personas.funnel_chart(frame, lambda key, **v: t(key, "fr", **v)).to_dict()["encoding"]["y"]["title"]
    assert title == charts_personas.title_lines(t("personas.funnel_axis", "fr")) and len(title) == 2


def test_the_friction_evidence_group_names_fit_their_axis():
    """The evidence of a detractor theme names every theme: "Emballage et casse au transport" was cut at Vega's 180 px
    ("Emballage et cas…")."""
    themes = [theme_label(name, "fr") for name in theme_names()]
    frame = pd.DataFrame({"theme": themes, "detractor_share": 0.1, "promoter_share": 0.2, "in_problem": False})
    tr = lambda key, **v: t(key, "fr", **v)
    spec = {"x": "theme", "y": "detractor_share", "y2": "promoter_share", "highlight": "in_problem"}
    for chart in (charts_friction.pair(frame, spec, tr), charts_friction.bars(frame, spec, tr)):
        axis = chart.to_dict()["encoding"]["y"]["axis"]
        assert fits(themes, axis["labelLimit"]), (max(themes, key=len), axis["labelLimit"])

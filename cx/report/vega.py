"""The pages' Altair charts drawn offline by vl-convert (Vega-Lite's own renderer, no browser, no network), with
numbers and dates on the axes written for the report's language."""

from __future__ import annotations

import altair as alt
import vl_convert as vlc

WIDTH = 600  # px: the width of a chart that has none (on the pages, Streamlit stretches it)
LOCALES = {"fr": "fr-FR", "en": "en-US"}
VL_VERSION = "_".join(alt.SCHEMA_VERSION.split(".")[:2])  # "v6_4": the Vega-Lite that Altair writes


def _spec(chart: alt.TopLevelMixin) -> dict:
    spec = chart.to_dict()
    spec.setdefault("width", WIDTH)
    if not isinstance(spec["width"], (int, float)):  # "container" has no meaning outside a page
        spec["width"] = WIDTH
    return spec


def chart_svg(chart: alt.TopLevelMixin, lang: str) -> str:
    """The chart as an SVG document (text escaped by Vega)."""
    locale = LOCALES.get(lang, "en-US")
    return vlc.vegalite_to_svg(_spec(chart), vl_version=VL_VERSION, format_locale=locale, time_format_locale=locale)


def chart_png(chart: alt.TopLevelMixin, lang: str, scale: float = 2) -> bytes:
    """The chart as a PNG image, `scale` pixels per CSS pixel (2: sharp when printed)."""
    locale = LOCALES.get(lang, "en-US")
    return vlc.vegalite_to_png(
        _spec(chart), vl_version=VL_VERSION, scale=scale, format_locale=locale, time_format_locale=locale
    )

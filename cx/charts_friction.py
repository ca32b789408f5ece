"""Altair builders and wording helpers for the Frictions page: DataFrame in, chart out; no st.* here."""
from __future__ import annotations

import datetime as dt

import altair as alt
import pandas as pd

from .charts_voice import number
from .format import escape_markdown
from .money import amount

_escape = escape_markdown

RED, GREY, BLUE = "#c0392b", "#9aa5b1", "#1f77b4"


def _date(value, lang: str) -> str:
    if not value:
        return "—"
    d = value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def measure(value, unit: str, lang: str) -> str:
    """A finding's observed / expected value in its unit."""
    if unit == "rate":
        return number(value, lang, 1, share=True)
    if unit == "per_order":
        return number(None if value is None else 100 * value, lang, 1, unit="%")
    if unit == "minutes":
        if value is not None and value >= 120:
            return number(value / 60, lang, 1, unit="h")
        return number(value, lang, 1, unit="min")
    if unit == "nps":
        return number(value, lang, 1, signed=True)
    return number(value, lang, 0)


def money(value, currency, lang: str) -> str:
    """An amount (revenue at risk, value of a conversion) in whole units of `currency` (ISO code or
    `cx.money.CurrencyScope`): `cx.money.amount`."""
    return amount(value, currency, lang, 0)


def title_values(finding, lang: str, markdown: bool = True) -> dict:
    """The values of a finding's sentence (`friction.title.<code>`), formatted for `lang`; free text escaped
    for markdown unless `markdown` is False (plain text, e.g. the command line)."""
    escape_markdown = _escape if markdown else str
    p = finding.params
    out = {}
    for key, value in p.items():
        if key in ("start", "end"):
            out[key] = _date(value, lang)
        elif key in ("observed", "expected"):
            out[key] = measure(value, finding.unit, lang)
        elif key in ("late_share", "per_day_in", "per_day_out", "median_load_ms", "overall_load_ms", "csat", "mean",
                     "nps", "nps_without"):
            out[key] = (number(value, lang, 0, share=True) if key == "late_share" else
                        number(value, lang, 1) if key.startswith("per_day") or key == "mean" else
                        number(value, lang, 1, signed=True) if key.startswith("nps") else
                        number(value, lang, 0))
        elif isinstance(value, str):
            out[key] = escape_markdown(value) if value else "—"
        else:
            out[key] = value
    from .i18n import t
    value = finding.segment.split("=", 1)[1] if finding.segment else None
    out["where"] = t("friction.on_segment", lang, value=escape_markdown(value)) if value else ""
    if "segment" in out and finding.segment:
        out["segment"] = escape_markdown(finding.segment.replace("=", " = "))
    return out


def evidence_chart(finding, tr) -> alt.Chart | None:
    """The chart of a finding's evidence, as its `chart` spec says (daily_rate, bars, pair)."""
    spec, df = finding.chart or {}, finding.evidence
    if df is None or df.empty or not spec:
        return None
    kind = spec.get("kind")
    if kind == "daily_rate":
        return daily_rate(df, spec, tr)
    if kind == "pair":
        return pair(df, spec, tr)
    return bars(df, spec, tr)


def daily_rate(df: pd.DataFrame, spec: dict, tr) -> alt.Chart:
    data = df.assign(day=pd.to_datetime(df[spec["x"]]), window=df[spec["highlight"]].map(
        {True: tr("friction.chart.window"), False: tr("friction.chart.rest")}))
    base = alt.Chart(data)
    points = base.mark_circle(opacity=0.8).encode(
        x=alt.X("day:T", title=tr("friction.chart.day")),
        y=alt.Y(f"{spec['y']}:Q", title=tr("friction.chart.rate"), axis=alt.Axis(format="%")),
        size=alt.Size(f"{spec['n']}:Q", title=tr("friction.chart.n"), legend=None),
        color=alt.Color("window:N", title=None, scale=alt.Scale(domain=[tr("friction.chart.window"),
                                                                         tr("friction.chart.rest")],
                                                                  range=[RED, GREY])),
        tooltip=[alt.Tooltip("day:T", title=tr("friction.chart.day")),
                 alt.Tooltip(f"{spec['y']}:Q", title=tr("friction.chart.rate"), format=".1%"),
                 alt.Tooltip(f"{spec['n']}:Q", title=tr("friction.chart.n"))])
    expected = alt.Chart(pd.DataFrame({"expected": [spec["expected"]]})).mark_rule(strokeDash=[4, 4]).encode(
        y="expected:Q", tooltip=[alt.Tooltip("expected:Q", title=tr("friction.chart.expected"), format=".1%")])
    return (points + expected).properties(height=260)


def bars(df: pd.DataFrame, spec: dict, tr) -> alt.Chart:
    data = df.assign(label=df[spec["x"]].astype(str), flag=df[spec["highlight"]].map(
        {True: tr("friction.chart.finding"), False: tr("friction.chart.others")}))
    y_axis = alt.Axis(format="%") if spec["y"].endswith(("rate", "share")) else alt.Axis()
    chart = alt.Chart(data).mark_bar().encode(
        y=alt.Y("label:N", title=None, sort="-x"),
        x=alt.X(f"{spec['y']}:Q", title=tr(f"friction.chart.{spec['y']}"), axis=y_axis),
        color=alt.Color("flag:N", title=None, scale=alt.Scale(domain=[tr("friction.chart.finding"),
                                                                       tr("friction.chart.others")],
                                                                range=[RED, GREY])),
        tooltip=[alt.Tooltip("label:N", title=tr("friction.chart.group")),
                 alt.Tooltip(f"{spec['y']}:Q", title=tr(f"friction.chart.{spec['y']}"), format=".3")])
    return chart.properties(height=min(400, 28 * len(data) + 40))


def pair(df: pd.DataFrame, spec: dict, tr) -> alt.Chart:
    long = df.melt(id_vars=[spec["x"]], value_vars=[spec["y"], spec["y2"]], var_name="who", value_name="share")
    long["who"] = long["who"].map(lambda w: tr(f"friction.chart.{w}"))
    return alt.Chart(long).mark_bar().encode(
        y=alt.Y(f"{spec['x']}:N", title=None),
        yOffset="who:N",
        x=alt.X("share:Q", title=tr("friction.chart.share"), axis=alt.Axis(format="%")),
        color=alt.Color("who:N", title=None, scale=alt.Scale(range=[RED, BLUE])),
        tooltip=[alt.Tooltip(f"{spec['x']}:N"), alt.Tooltip("who:N"),
                 alt.Tooltip("share:Q", format=".1%")]).properties(height=360)

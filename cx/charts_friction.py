"""Altair builders for the Frictions page: DataFrame in, chart out; no st.* here."""

from __future__ import annotations

import altair as alt
import pandas as pd

RED, GREY, BLUE = "#c0392b", "#9aa5b1", "#1f77b4"
LABEL_LIMIT = 260  # pixels of a group name on an axis before Vega cuts it: "Compte client et connexion" whole


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
    data = df.assign(
        day=pd.to_datetime(df[spec["x"]]),
        window=df[spec["highlight"]].map({True: tr("friction.chart.window"), False: tr("friction.chart.rest")}),
    )
    base = alt.Chart(data)
    points = base.mark_circle(opacity=0.8).encode(
        x=alt.X("day:T", title=tr("friction.chart.day")),
        y=alt.Y(f"{spec['y']}:Q", title=tr("friction.chart.rate"), axis=alt.Axis(format="%")),
        size=alt.Size(f"{spec['n']}:Q", title=tr("friction.chart.n"), legend=None),
        color=alt.Color(
            "window:N",
            title=None,
            scale=alt.Scale(domain=[tr("friction.chart.window"), tr("friction.chart.rest")], range=[RED, GREY]),
        ),
        tooltip=[
            alt.Tooltip("day:T", title=tr("friction.chart.day")),
            alt.Tooltip(f"{spec['y']}:Q", title=tr("friction.chart.rate"), format=".1%"),
            alt.Tooltip(f"{spec['n']}:Q", title=tr("friction.chart.n")),
        ],
    )
    expected = (
        alt.Chart(pd.DataFrame({"expected": [spec["expected"]]}))
        .mark_rule(strokeDash=[4, 4])
        .encode(y="expected:Q", tooltip=[alt.Tooltip("expected:Q", title=tr("friction.chart.expected"), format=".1%")])
    )
    return (points + expected).properties(height=260)


def bars(df: pd.DataFrame, spec: dict, tr) -> alt.Chart:
    data = df.assign(
        label=df[spec["x"]].astype(str),
        flag=df[spec["highlight"]].map({True: tr("friction.chart.finding"), False: tr("friction.chart.others")}),
    )
    y_axis = alt.Axis(format="%") if spec["y"].endswith(("rate", "share")) else alt.Axis()
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            y=alt.Y("label:N", title=None, sort="-x", axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            x=alt.X(f"{spec['y']}:Q", title=tr(f"friction.chart.{spec['y']}"), axis=y_axis),
            color=alt.Color(
                "flag:N",
                title=None,
                scale=alt.Scale(domain=[tr("friction.chart.finding"), tr("friction.chart.others")], range=[RED, GREY]),
            ),
            tooltip=[
                alt.Tooltip("label:N", title=tr("friction.chart.group")),
                alt.Tooltip(f"{spec['y']}:Q", title=tr(f"friction.chart.{spec['y']}"), format=".3"),
            ],
        )
    )
    return chart.properties(height=min(400, 28 * len(data) + 40))


def pair(df: pd.DataFrame, spec: dict, tr) -> alt.Chart:
    long = df.melt(id_vars=[spec["x"]], value_vars=[spec["y"], spec["y2"]], var_name="who", value_name="share")
    long["who"] = long["who"].map(lambda w: tr(f"friction.chart.{w}"))
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            y=alt.Y(f"{spec['x']}:N", title=None, axis=alt.Axis(labelLimit=LABEL_LIMIT)),
            yOffset="who:N",
            x=alt.X("share:Q", title=tr("friction.chart.share"), axis=alt.Axis(format="%")),
            color=alt.Color("who:N", title=None, scale=alt.Scale(range=[RED, BLUE])),
            tooltip=[alt.Tooltip(f"{spec['x']}:N"), alt.Tooltip("who:N"), alt.Tooltip("share:Q", format=".1%")],
        )
        .properties(height=360)
    )

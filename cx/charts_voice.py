"""Altair charts of the Voice of the customer and Support pages: DataFrame in, chart out, no st.* here.

Every builder takes `tr`, the page's translation function (`tr("voice.n")` → "Answers"), and reads a `label`
column for the names of groups; `label_groups` adds it."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .format import missing
from .satisfaction import DIMENSIONS, PERIODS

GREEN, GREY, RED, BLUE = "#2e7d32", "#b0b7bf", "#c62828", "#1f5fa8"
SEVERITY_ORDER = ["low", "normal", "medium", "high", "urgent", "critical"]


def label_groups(df: pd.DataFrame, tr, column: str = "group", prefix: str = "voice.val") -> pd.DataFrame:
    """`df` with a `label` column: the translated name of each value of `column` (`voice.val.late` → "Late"),
    the value itself when it has no translation, "Not known" for None."""

    def name(value) -> str:
        if missing(value):
            return tr(f"{prefix}.unknown")
        key = f"{prefix}.{value}"
        return tr(key) if tr(key) != key else str(value)

    return df.assign(label=df[column].map(name))


def too_few_groups(groups: pd.DataFrame, by: str, tr) -> str | None:
    """Why a breakdown by `by` (one of cx.satisfaction.DIMENSIONS) compares nothing: fewer than two known values in
    `groups` (with the `label` of `label_groups`), as a sentence that says what to map or load instead of one "Not
    known" bar (a survey without a touchpoint column); None with two known values or more."""
    known = groups.loc[groups["group"].notna(), "label"]
    if len(known) >= 2:
        return None
    dim = tr(f"voice.dim.{by}")
    hint = tr(f"voice.by_hint.{by if by in PERIODS else DIMENSIONS[by]}", dim=dim)
    if len(known):
        return tr("voice.by_one_known", dim=dim, value=known.iloc[0], hint=hint)
    return tr("voice.by_none_known", dim=dim, hint=hint)


def _parts(tr) -> list[tuple]:
    return [
        ("promoters", tr("voice.promoters"), GREEN, 0),
        ("passives", tr("voice.passives"), GREY, 1),
        ("detractors", tr("voice.detractors"), RED, 2),
    ]


def nps_split(groups: pd.DataFrame, tr) -> alt.LayerChart:
    """Stacked bar of promoters / passives / detractors (shares 0–1) per `label`, each share written on it."""
    parts = _parts(tr)
    long = pd.concat(
        [
            pd.DataFrame(
                {"label": groups["label"], "n": groups["n"], "part": name, "order": order, "share": groups[key]}
            )
            for key, name, _, order in parts
        ]
    )
    long = long.sort_values(["label", "order"])
    long["middle"] = long.groupby("label")["share"].cumsum() - long["share"] / 2
    base = alt.Chart(long).encode(
        y=alt.Y("label:N", title=None, sort=list(groups["label"]), axis=alt.Axis(labelLimit=220))
    )
    bars = base.mark_bar().encode(
        x=alt.X("share:Q", stack="normalize", axis=alt.Axis(format="%", title=None, tickCount=5)),
        color=alt.Color(
            "part:N",
            title=None,
            legend=alt.Legend(orient="bottom", labelLimit=320),
            scale=alt.Scale(domain=[p[1] for p in parts], range=[p[2] for p in parts]),
        ),
        order=alt.Order("order:Q"),
        tooltip=[
            alt.Tooltip("label:N", title=tr("voice.group")),
            alt.Tooltip("part:N", title=" "),
            alt.Tooltip("share:Q", format=".1%", title=tr("voice.share")),
            alt.Tooltip("n:Q", title=tr("voice.n")),
        ],
    )
    text = (
        base.transform_filter("datum.share >= 0.04")
        .mark_text(color="white", fontWeight="bold")
        .encode(x="middle:Q", text=alt.Text("share:Q", format=".0%"))
    )
    return alt.layer(bars, text).properties(height=alt.Step(30))


def nps_by_group(groups: pd.DataFrame, overall: float | None, tr) -> alt.LayerChart:
    """NPS per group with its 95 % margin (error bar); significant groups coloured, low samples faded.
    `groups` needs label, n, nps, moe, significant, low_sample."""
    df = groups.dropna(subset=["nps"]).assign(
        low=lambda d: (d["nps"] - d["moe"]).clip(lower=-100),
        high=lambda d: (d["nps"] + d["moe"]).clip(upper=100),
        verdict=lambda d: d["significant"].map({True: tr("voice.significant"), False: tr("voice.not_significant")}),
        sample=lambda d: d["low_sample"].map({True: tr("voice.low_sample"), False: ""}),
    )
    order = list(df.sort_values("nps", ascending=False)["label"])
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=260)))
    scale = alt.Scale(domain=[-100, 100])
    color = alt.Color(
        "verdict:N",
        title=None,
        legend=alt.Legend(orient="bottom", labelLimit=320),
        scale=alt.Scale(domain=[tr("voice.significant"), tr("voice.not_significant")], range=[BLUE, GREY]),
    )
    tooltip = [
        alt.Tooltip("label:N", title=tr("voice.group")),
        alt.Tooltip("nps:Q", format="+.1f", title="NPS"),
        alt.Tooltip("moe:Q", format=".1f", title=tr("voice.moe")),
        alt.Tooltip("n:Q", title=tr("voice.n")),
        alt.Tooltip("verdict:N", title=" "),
        alt.Tooltip("sample:N", title=" "),
    ]
    bars = base.mark_rule(strokeWidth=2).encode(
        x=alt.X("low:Q", scale=scale, title=tr("voice.nps_axis")),
        x2="high:Q",
        color=color,
        opacity=alt.condition("datum.low_sample", alt.value(0.35), alt.value(1)),
    )
    points = base.mark_circle(size=110).encode(
        x="nps:Q",
        color=color,
        tooltip=tooltip,
        opacity=alt.condition("datum.low_sample", alt.value(0.35), alt.value(1)),
    )
    layers = [bars, points]
    if overall is not None:
        layers.append(
            alt.Chart(pd.DataFrame({"nps": [overall]})).mark_rule(strokeDash=[4, 4], color="#555").encode(x="nps:Q")
        )
    return alt.layer(*layers).properties(height=alt.Step(30))


def nps_trend(trend: pd.DataFrame, period: str, tr) -> alt.LayerChart:
    """NPS over time with its 95 % band. `trend` needs period, nps, low, high, n, moe, low_sample."""
    df = trend.assign(date=pd.to_datetime(trend["period"]))
    # a tick on the periods' own days (weeks start on Monday), about 12 at most: not daily ticks under weekly points
    days = list(df["date"].drop_duplicates().sort_values())
    ticks = [alt.DateTime(year=d.year, month=d.month, date=d.day) for d in days[:: max(1, -(-len(days) // 12))]]
    base = alt.Chart(df).encode(
        x=alt.X(
            "date:T",
            title=tr(f"voice.dim.{period}"),
            axis=alt.Axis(format="%d/%m" if period == "week" else "%m/%Y", values=ticks),
        )
    )
    band = base.mark_area(opacity=0.2, color=BLUE).encode(
        y=alt.Y("low:Q", title="NPS", scale=alt.Scale(domain=[-100, 100])), y2="high:Q"
    )
    line = base.mark_line(color=BLUE).encode(y="nps:Q")
    points = base.mark_circle(size=50, color=BLUE).encode(
        y="nps:Q",
        opacity=alt.condition("datum.low_sample", alt.value(0.3), alt.value(1)),
        tooltip=[
            alt.Tooltip("period:N", title=tr(f"voice.dim.{period}")),
            alt.Tooltip("nps:Q", format="+.1f", title="NPS"),
            alt.Tooltip("moe:Q", format=".1f", title=tr("voice.moe")),
            alt.Tooltip("n:Q", title=tr("voice.n")),
        ],
    )
    return alt.layer(band, line, points).properties(height=260)


def themes_by_group(themes: pd.DataFrame, tr) -> alt.Chart:
    """Mentions of each theme, split by promoters / passives / detractors. `themes` needs label, promoters,
    passives, detractors, mentions."""
    parts = _parts(tr)
    df = themes[themes["mentions"] > 0]
    long = pd.concat(
        [
            pd.DataFrame({"label": df["label"], "part": name, "order": order, "mentions": df[key]})
            for key, name, _, order in parts
        ]
    )
    return (
        alt.Chart(long)
        .mark_bar()
        .encode(
            x=alt.X("mentions:Q", title=tr("voice.mentions"), axis=alt.Axis(tickMinStep=1, format="d")),  # whole
            y=alt.Y("label:N", title=None, sort=list(df["label"]), axis=alt.Axis(labelLimit=260)),
            color=alt.Color(
                "part:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=320),
                scale=alt.Scale(domain=[p[1] for p in parts], range=[p[2] for p in parts]),
            ),
            order=alt.Order("order:Q"),
            tooltip=[
                alt.Tooltip("label:N", title=tr("voice.theme")),
                alt.Tooltip("part:N", title=" "),
                alt.Tooltip("mentions:Q", title=tr("voice.mentions")),
            ],
        )
        .properties(height=alt.Step(26))
    )


def drivers_quadrant(drivers: pd.DataFrame, overall: float | None, tr, top: int = 5) -> alt.LayerChart:
    """Importance (NPS points the group costs the whole) × performance (the group's NPS); bottom right: fix first.
    The `top` most important groups carry their rank, as in the table beside. `drivers` needs rank, label,
    attribute_label, importance, nps, n, share, low_sample."""
    base = alt.Chart(drivers).encode(
        x=alt.X("importance:Q", title=tr("voice.importance")),
        y=alt.Y("nps:Q", title=tr("voice.performance"), scale=alt.Scale(domain=[-100, 100])),
    )
    points = base.mark_circle().encode(
        size=alt.Size("n:Q", title=tr("voice.n"), legend=None),
        color=alt.Color(
            "attribute_label:N",
            title=tr("voice.attribute"),
            legend=alt.Legend(orient="bottom", columns=4, labelLimit=260),
        ),
        opacity=alt.condition("datum.low_sample", alt.value(0.3), alt.value(0.85)),
        tooltip=[
            alt.Tooltip("rank:Q", title="#"),
            alt.Tooltip("attribute_label:N", title=tr("voice.attribute")),
            alt.Tooltip("label:N", title=tr("voice.group")),
            alt.Tooltip("nps:Q", format="+.1f", title="NPS"),
            alt.Tooltip("importance:Q", format="+.1f", title=tr("voice.importance")),
            alt.Tooltip("n:Q", title=tr("voice.n")),
            alt.Tooltip("share:Q", format=".0%", title=tr("voice.share")),
        ],
    )
    ranks = (
        base.transform_filter(f"datum.rank <= {top}")
        .mark_text(dy=-14, fontSize=12, fontWeight="bold")
        .encode(text="rank:Q")
    )
    corner = (
        alt.Chart(pd.DataFrame({"x": [drivers["importance"].max()], "y": [-92], "text": [tr("voice.fix_first")]}))
        .mark_text(align="right", color=RED, fontWeight="bold")
        .encode(x="x:Q", y="y:Q", text="text:N")
    )
    zero = alt.Chart(pd.DataFrame({"x": [0]})).mark_rule(color="#999").encode(x="x:Q")
    layers = [zero, points, ranks, corner]
    if overall is not None:
        layers.insert(
            1, alt.Chart(pd.DataFrame({"y": [overall]})).mark_rule(color="#999", strokeDash=[4, 4]).encode(y="y:Q")
        )
    return alt.layer(*layers).properties(height=460)


def response_times(channels: pd.DataFrame, tr) -> alt.LayerChart:
    """First-reply time per channel against what customers expect, in minutes on a log scale: the shaded band is
    the expected range, the dot the median, the black tick the 90th percentile. `channels` needs label,
    first_response_median_minutes, first_response_p90_minutes, expected_min_minutes, expected_max_minutes,
    expected_label, slower_than_expected, tickets."""
    df = channels.dropna(subset=["first_response_median_minutes"]).assign(
        verdict=lambda d: (
            d["slower_than_expected"]
            .map({True: tr("support.slow_label"), False: tr("support.ok_label")})
            .where(d["expected_max_minutes"].notna(), tr("support.no_expected_label"))
        ),  # nothing to be within
        # a log scale has no 0: an expectation "under 2 min" starts the band at 6 seconds
        band_from=lambda d: d["expected_min_minutes"].clip(lower=0.1),
    )
    order = list(df.sort_values("expected_max_minutes")["label"])
    verdicts = [tr("support.ok_label"), tr("support.slow_label")]
    verdicts += [tr("support.no_expected_label")] if df["expected_max_minutes"].isna().any() else []
    base = alt.Chart(df).encode(y=alt.Y("label:N", title=None, sort=order, axis=alt.Axis(labelLimit=200)))
    scale = alt.Scale(type="log")
    tooltip = [
        alt.Tooltip("label:N", title=tr("support.channel")),
        alt.Tooltip("first_response_median_minutes:Q", format=",.1f", title=tr("support.median")),
        alt.Tooltip("first_response_p90_minutes:Q", format=",.1f", title=tr("support.p90")),
        alt.Tooltip("expected_label:N", title=tr("support.expected")),
        alt.Tooltip("tickets:Q", title=tr("support.tickets")),
    ]
    band = base.mark_bar(color=GREEN, opacity=0.25, height=26).encode(
        x=alt.X("band_from:Q", scale=scale, title=tr("support.minutes_axis")),
        x2="expected_max_minutes:Q",
        tooltip=tooltip,
    )
    spread = base.mark_rule(color="#555").encode(x="first_response_median_minutes:Q", x2="first_response_p90_minutes:Q")
    p90 = base.mark_tick(color="#333", thickness=2, size=18).encode(x="first_response_p90_minutes:Q", tooltip=tooltip)
    median = base.mark_circle(size=160, opacity=1).encode(
        x="first_response_median_minutes:Q",
        tooltip=tooltip,
        color=alt.Color(
            "verdict:N",
            title=None,
            legend=alt.Legend(orient="bottom", labelLimit=320),
            scale=alt.Scale(domain=verdicts, range=[BLUE, RED, GREY][: len(verdicts)]),
        ),
    )
    return alt.layer(band, spread, p90, median).properties(height=alt.Step(44))


def complaints_heatmap(complaints: pd.DataFrame, tr) -> alt.LayerChart:
    """Complaints per category × severity (recurrences included), with the count written in each cell."""
    df = (
        complaints.fillna({"category": "—", "severity": "—"})
        .groupby(["category", "severity"], as_index=False)["complaints"]
        .sum()
    )
    codes = [s for s in SEVERITY_ORDER if s in set(df["severity"])] + sorted(set(df["severity"]) - set(SEVERITY_ORDER))
    names = dict(zip(codes, label_groups(pd.DataFrame({"severity": codes}), tr, "severity", "support.sev")["label"]))
    df["severity"] = df["severity"].map(names)  # "high" → "Haute", in the severity order
    severities = [names[c] for c in codes]
    categories = list(df.groupby("category")["complaints"].sum().sort_values(ascending=False).index)
    base = alt.Chart(df).encode(
        x=alt.X("severity:N", sort=severities, title=tr("support.severity")),
        y=alt.Y("category:N", title=tr("support.category"), sort=categories),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("complaints:Q", title=tr("support.complaints"), scale=alt.Scale(scheme="reds")),
        tooltip=[
            alt.Tooltip("category:N", title=tr("support.category")),
            alt.Tooltip("severity:N", title=tr("support.severity")),
            alt.Tooltip("complaints:Q", title=tr("support.complaints")),
        ],
    )
    text = base.mark_text(fontSize=12).encode(text="complaints:Q")
    return alt.layer(cells, text).properties(height=alt.Step(30))

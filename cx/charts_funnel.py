"""Charts and formatting of the Funnel and Retention pages: DataFrame in, chart or text out; no st.* here.

Builders take `tr`, the page's translation function, for titles and tooltips."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .format import date, missing, month, number, percent

BLUE, LIGHT, RED, GREEN, GREY = "#1f5fa8", "#c9d8ea", "#c62828", "#2e7d32", "#9aa4ae"


# ============================================================================ text


def step_label(step: str, tr) -> str:
    """A step as people read it: the event name, or "Page /panier" for a page step."""
    return tr("funnel.page_step", path=step) if step.startswith("/") else step


def step_choice(step: str, events: int, tr, lang: str) -> str:
    """A step offered in the picker with what its count counts, events (a visitor counts at each event):
    "view_item (1 050 évén.)", never to be read as the visitors at that step."""
    return tr("funnel.step_choice", step=step_label(step, tr), n=number(events, lang))


def path_text(nodes, edge: bool, direction: str, tr) -> str:
    """('payment_error',), exit → 'payment_error → (exit)'; before a drop-off: '(entry) → a → b'."""
    parts = [str(n) for n in nodes]
    if direction == "after":
        return " → ".join(parts + ([tr("funnel.exit")] if edge else ["…"]))
    return " → ".join(([tr("funnel.entry")] if edge else ["…"]) + parts)


# ============================================================================ frames for the charts


def funnel_frame(steps: pd.DataFrame, tr, lang: str) -> pd.DataFrame:
    """Funnel.steps with label, previous (visitors at the previous step; step 1: itself), dropped_here and
    conversion_text (the conversion written in the page's language)."""
    previous = steps["users"].shift(1).fillna(steps["users"]).astype("int64")
    return steps.assign(
        label=[f"{k}. {step_label(n, tr)}" for k, n in zip(steps["step"], steps["name"])],
        previous=previous,
        dropped_here=previous - steps["users"],
        conversion_text=[percent(c, lang) for c in steps["conversion"]],
    )


def breakdown_frame(breakdown: pd.DataFrame, tr, by: str) -> pd.DataFrame:
    """Funnel.breakdown with label (the group, "no value" or "other groups") and step_label."""

    def group(g, other) -> str:
        if other:
            return tr("funnel.group_other")
        if missing(g):
            return tr("funnel.group_none", by=tr(f"funnel.by.{by}").lower())
        return str(g)

    return breakdown.assign(
        label=[group(g, o) for g, o in zip(breakdown["group"], breakdown["other"])],
        step_label=[f"{k}. {step_label(n, tr)}" for k, n in zip(breakdown["step"], breakdown["name"])],
    )


def histogram_frame(histogram: pd.DataFrame, tr) -> pd.DataFrame:
    return histogram.assign(bucket_label=histogram["bucket"].map(lambda b: tr(f"funnel.bucket.{b}")))


def paths_frame(paths: pd.DataFrame, tr, direction: str) -> pd.DataFrame:
    """The paths of one direction as text: path, users, share."""
    part = paths[paths["direction"] == direction]
    return pd.DataFrame(
        {
            "path": [path_text(n, e, direction, tr) for n, e in zip(part["nodes"], part["edge"])],
            "users": part["users"].astype("int64"),
            "share": part["share"].astype("float64"),
        }
    )


HEATMAP_MAX = (
    24  # cohorts (the latest) and periods (the first) a heatmap shows: 194 columns of a 2010 cohort were unreadable
)


def heatmap_frame(matrix: pd.DataFrame, period: str, lang: str) -> pd.DataFrame:
    """Complete periods of the cohort matrix (period 0 always) with cohort_label in the reader's language:
    'sept. 2025' / 'Sep 2025' for months, the Monday '01/09/2025' / '2025-09-01' for weeks. At most the latest
    `HEATMAP_MAX` cohorts and their first `HEATMAP_MAX` periods (`heatmap_cut` says what was left out)."""
    latest = sorted(matrix["cohort"].unique())[-HEATMAP_MAX:]
    kept = matrix[(matrix["complete"] | (matrix["period"] == 0)) & matrix["cohort"].isin(latest)]
    kept = kept[kept["period"] < HEATMAP_MAX]
    name = month if period == "month" else date
    return kept.assign(
        cohort_label=[
            f"{name(pd.Timestamp(c), lang)} (n={number(n, lang)})" for c, n in zip(kept["cohort"], kept["size"])
        ],
        share_text=[percent(v, lang, 0) for v in kept["share"]],
    )


def heatmap_cut(matrix: pd.DataFrame) -> tuple[int, int]:
    """(cohorts, periods) that `heatmap_frame` leaves out for its size (0, 0 when it draws them all): periods
    still running are not drawn anyway, so they are not counted."""
    drawn = matrix[matrix["complete"] | (matrix["period"] == 0)]
    return max(drawn["cohort"].nunique() - HEATMAP_MAX, 0), max(int(drawn["period"].max()) + 1 - HEATMAP_MAX, 0)


def monthly_frame(monthly: pd.DataFrame, lang: str) -> pd.DataFrame:
    return monthly.assign(month_label=[month(pd.Timestamp(m), lang) for m in monthly["month"]])


# ============================================================================ funnel charts


def funnel_chart(steps: pd.DataFrame, tr) -> alt.LayerChart:
    """Visitors per step (bars) over the visitors of the previous step (light bars: the drop-off), each
    bar labelled with its overall conversion. `steps` needs label, users, conversion, conversion_text,
    step_conversion, dropped_here (visitors lost since the previous step), previous (visitors at the
    previous step)."""
    order = list(steps["label"])
    base = alt.Chart(steps).encode(
        x=alt.X("label:N", sort=order, title=None, axis=alt.Axis(labelAngle=0, labelLimit=180))
    )
    tips = [
        alt.Tooltip("label:N", title=tr("funnel.step")),
        alt.Tooltip("users:Q", title=tr("funnel.visitors"), format=","),
        alt.Tooltip("conversion:Q", title=tr("funnel.conversion"), format=".1%"),
        alt.Tooltip("step_conversion:Q", title=tr("funnel.step_conversion"), format=".1%"),
        alt.Tooltip("dropped_here:Q", title=tr("funnel.lost_here"), format=","),
    ]
    ghost = base.mark_bar(color=LIGHT, size=46).encode(y=alt.Y("previous:Q", title=tr("funnel.visitors")), tooltip=tips)
    bars = base.mark_bar(color=BLUE, size=46).encode(y="users:Q", tooltip=tips)
    text = base.mark_text(dy=-8, fontWeight="bold").encode(y="users:Q", text="conversion_text:N")
    return alt.layer(ghost, bars, text).properties(height=320)


def breakdown_chart(breakdown: pd.DataFrame, tr) -> alt.LayerChart:
    """Step conversion of each group at each step from the second on: one dot per group, filled and larger
    when the group converts significantly differently from the others. `breakdown` needs label (group),
    step_label, step, step_conversion, users, significant, low_sample, z."""
    df = breakdown[breakdown["step"] > 1].assign(
        verdict=lambda d: d["significant"].map({True: tr("funnel.significant"), False: tr("funnel.not_significant")})
    )
    order = list(dict.fromkeys(df.sort_values("step")["step_label"]))
    base = alt.Chart(df).encode(
        y=alt.Y("step_label:N", sort=order, title=None, axis=alt.Axis(labelLimit=220)),
        x=alt.X(
            "step_conversion:Q",
            title=tr("funnel.step_conversion"),
            axis=alt.Axis(format="%"),
            scale=alt.Scale(zero=False, padding=12),
        ),
        color=alt.Color(
            "label:N", title=tr("funnel.group"), legend=alt.Legend(orient="bottom"), scale=alt.Scale(scheme="tableau10")
        ),
        tooltip=[
            alt.Tooltip("label:N", title=tr("funnel.group")),
            alt.Tooltip("step_label:N", title=tr("funnel.step")),
            alt.Tooltip("step_conversion:Q", title=tr("funnel.step_conversion"), format=".1%"),
            alt.Tooltip("users:Q", title=tr("funnel.visitors"), format=","),
            alt.Tooltip("z:Q", title="z", format=".2f"),
            alt.Tooltip("verdict:N", title=" "),
        ],
    )
    dots = base.mark_point(size=90, filled=False, strokeWidth=2)
    marked = base.transform_filter("datum.significant").mark_point(size=260, filled=True, shape="diamond")
    return alt.layer(dots, marked).properties(height=alt.Step(34))


def time_chart(histogram: pd.DataFrame, tr) -> alt.Chart:
    """Visitors per time-to-convert range; `histogram` needs bucket_label, users, lower_s."""
    order = list(histogram.sort_values("lower_s")["bucket_label"])
    return (
        alt.Chart(histogram)
        .mark_bar(color=BLUE)
        .encode(
            x=alt.X("bucket_label:N", sort=order, title=tr("funnel.time_range"), axis=alt.Axis(labelAngle=0)),
            y=alt.Y("users:Q", title=tr("funnel.converted_visitors")),
            tooltip=[
                alt.Tooltip("bucket_label:N", title=tr("funnel.time_range")),
                alt.Tooltip("users:Q", title=tr("funnel.converted_visitors"), format=","),
            ],
        )
        .properties(height=240)
    )


# ============================================================================ retention charts


def cohort_heatmap(matrix: pd.DataFrame, tr, period: str) -> alt.LayerChart:
    """Share of each cohort active in each period (complete periods only): cohorts down, periods across,
    the share written in each cell. `matrix` needs cohort_label, size, period, active, share, share_text."""
    cohorts = list(dict.fromkeys(matrix.sort_values("cohort")["cohort_label"]))
    base = alt.Chart(matrix).encode(
        x=alt.X("period:O", title=tr(f"retention.period_axis_{period}"), axis=alt.Axis(labelAngle=0)),
        y=alt.Y("cohort_label:N", sort=cohorts, title=tr("retention.cohort_axis")),
        tooltip=[
            alt.Tooltip("cohort_label:N", title=tr("retention.cohort")),
            alt.Tooltip("size:Q", title=tr("retention.size"), format=","),
            alt.Tooltip("period:O", title=tr(f"retention.period_axis_{period}")),
            alt.Tooltip("active:Q", title=tr("retention.active"), format=","),
            alt.Tooltip("share:Q", title=tr("retention.share"), format=".1%"),
        ],
    )
    cells = base.mark_rect().encode(
        color=alt.Color(
            "share:Q",
            title=tr("retention.share"),
            scale=alt.Scale(scheme="blues", domain=[0, 1]),
            legend=alt.Legend(format="%"),
        )
    )
    text = base.mark_text(fontSize=11).encode(
        text="share_text:N", color=alt.condition("datum.share > 0.55", alt.value("white"), alt.value("#1b1b1b"))
    )
    return alt.layer(cells, text).properties(height=alt.Step(24))


def churn_chart(monthly: pd.DataFrame, tr) -> alt.Chart:
    """Monthly churn (bars) of the months with enough history; `monthly` needs month_label, churn_rate,
    at_start, at_end, new_customers, returned_customers, low_base (a month on a small base: a pale bar, its
    tooltip says "small base")."""
    df = monthly[monthly["enough_history"]]
    df = df.assign(base_note=[tr("retention.low_base") if low else "" for low in df["low_base"].fillna(False)])
    return (
        alt.Chart(df)
        .mark_bar(color=RED)
        .encode(
            x=alt.X("month_label:N", sort=list(df["month_label"]), title=None, axis=alt.Axis(labelAngle=0)),
            y=alt.Y("churn_rate:Q", title=tr("retention.churn"), axis=alt.Axis(format="%")),
            opacity=alt.condition("datum.base_note != ''", alt.value(0.35), alt.value(1.0)),
            tooltip=[
                alt.Tooltip("base_note:N", title=tr("retention.base")),
                alt.Tooltip("month_label:N", title=tr("retention.month")),
                alt.Tooltip("churn_rate:Q", title=tr("retention.churn"), format=".1%"),
                alt.Tooltip("at_start:Q", title=tr("retention.at_start"), format=","),
                alt.Tooltip("at_end:Q", title=tr("retention.at_end"), format=","),
                alt.Tooltip("new_customers:Q", title=tr("retention.new_customers"), format=","),
                alt.Tooltip("returned_customers:Q", title=tr("retention.returned_customers"), format=","),
            ],
        )
        .properties(height=240)
    )

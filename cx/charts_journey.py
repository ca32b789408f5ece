"""How the journey map shows its figures: formatted values and changes, and the stage-reach chart.
Data in, text or chart out; no st.* here. Altair is imported by the chart alone: `python -m cx kpis` formats values
with this module and draws nothing (altair's import was ~0.2 s of its start-up)."""

from __future__ import annotations

from typing import TYPE_CHECKING

import pandas as pd

from .format import date, duration, escape_markdown, missing, number, percent
from .i18n import t
from .journey import STAGES, Kpi
from .money import amount

if TYPE_CHECKING:
    import altair as alt

STAGE_COLOURS = ("#4C78A8", "#72B7B2", "#F58518", "#54A24B", "#B279A2")


def format_value(kpi: Kpi, lang: str, value: float | None = None, currency=None) -> str:
    """The KPI's value (or `value`) with its unit, money in `currency` (ISO code or `cx.money.CurrencyScope`);
    '—' when it is None."""
    value = kpi.value if value is None else value
    if missing(value):
        return "—"
    unit = kpi.unit
    if unit == "count":
        return number(value, lang)
    if unit == "percent":
        return number(value, lang, 1, unit="%")
    if unit == "seconds":
        return duration(value, lang)
    if unit == "hours":
        return number(value, lang, 1, unit="h")
    if unit == "currency":
        return amount(value, currency, lang, 2)
    if unit == "nps":
        return nps_text(value, lang)
    return number(value, lang, 2)  # ratio


def nps_text(value, lang: str) -> str:
    """An NPS as the journey writes it everywhere (the stage KPIs and each stage's satisfaction): signed, one
    decimal ('+21.3', '+6.0')."""
    return number(value, lang, 1, signed=True)


def format_delta(kpi: Kpi, lang: str, currency=None) -> str | None:
    """The change vs the previous period, signed with an ASCII '+'/'-' (st.metric reads the sign):
    percentage points for rates and NPS, the difference for ratios, a relative change (%) otherwise.
    None when either period has no value."""
    if kpi.value is None or kpi.previous is None:
        return None
    diff = kpi.value - kpi.previous
    sign = "+" if diff > 0 else "-" if diff < 0 else ""
    if kpi.unit in ("percent", "nps"):
        return f"{sign}{number(abs(diff), lang, 1)} pt" + ("s" if abs(diff) >= 2 and lang == "en" else "")
    if kpi.unit == "ratio":
        return f"{sign}{number(abs(diff), lang, 2)}"
    if kpi.previous == 0:
        return f"{sign}{format_value(kpi, lang, abs(diff), currency)}"
    return sign + percent(abs(diff / kpi.previous), lang)


def _unchanged(kpi: Kpi) -> bool:
    return kpi.value is not None and kpi.previous is not None and kpi.value == kpi.previous


def delta_color(kpi: Kpi) -> str:
    """st.metric's delta_color: green when the change is good (a lower bounce rate is good); grey when there
    is no change or the direction is neither good nor bad."""
    if _unchanged(kpi):
        return "off"
    return {"higher": "normal", "lower": "inverse"}.get(kpi.better, "off")


def delta_arrow(kpi: Kpi) -> str:
    """st.metric's delta_arrow: none when nothing changed."""
    return "off" if _unchanged(kpi) else "auto"


def reach_frame(stages, lang: str) -> pd.DataFrame:
    """Visitors reaching each stage, current and previous period: stage (label), order, period (label),
    visitors."""
    rows = []
    for i, stage in enumerate(stages):
        reach = stage.kpi("stage_visitors")
        for period, value in (("current", reach.value), ("previous", reach.previous)):
            if value is not None:
                rows.append(
                    {
                        "stage": t(f"journey.stage.{stage.stage}", lang),
                        "order": i,
                        "period": t(f"journey.period_{period}", lang),
                        "visitors": value,
                    }
                )
    return pd.DataFrame(rows, columns=["stage", "order", "period", "visitors"])


def reach_chart(frame: pd.DataFrame, lang: str) -> alt.Chart:
    """Horizontal bars: visitors per stage, in journey order, the previous period as a lighter bar."""
    import altair as alt

    stage_order = [t(f"journey.stage.{s}", lang) for s in STAGES]
    periods = [
        p for p in (t("journey.period_current", lang), t("journey.period_previous", lang)) if p in set(frame["period"])
    ]  # no "previous" in the legend when it has no value
    visitors = t("journey.visitors", lang)
    return (
        alt.Chart(frame)
        .mark_bar(cornerRadiusEnd=3)
        .encode(
            y=alt.Y("stage:N", sort=stage_order, title=None, axis=alt.Axis(labelFontSize=14, labelLimit=220)),
            yOffset=alt.YOffset("period:N", sort=periods),
            x=alt.X("visitors:Q", title=visitors, axis=alt.Axis(format=",d")),
            color=alt.Color(
                "period:N",
                sort=periods,
                title=None,
                scale=alt.Scale(domain=periods, range=["#4C78A8", "#C9D6E8"][: len(periods)]),
                legend=alt.Legend(orient="top"),
            ),
            tooltip=[
                alt.Tooltip("stage:N", title=t("journey.stage_col", lang)),
                alt.Tooltip("period:N", title=" "),
                alt.Tooltip("visitors:Q", title=visitors, format=",d"),
            ],
        )
        .properties(height=alt.Step(16))
    )


def period_labels(periods, lang: str) -> dict:
    """The {start}, {end}, {prev_start}, {prev_end}, {first} (first day with data) of the period caption."""
    return {
        "start": date(periods.start, lang),
        "end": date(periods.end, lang),
        "prev_start": date(periods.previous_start, lang),
        "prev_end": date(periods.previous_end, lang),
        "first": date(periods.data_start, lang) if periods.data_start else "—",
    }


def period_caption_key(periods) -> str:
    """The period caption: compared with the previous period, or, when no data reaches before the period, said
    once that there is no comparison (rather than a row of dashes)."""
    return "journey.period" if periods.has_previous else "journey.period_no_previous"


def touchpoint_lines(touchpoints: pd.DataFrame, stage: str, lang: str) -> list[tuple[str, str]]:
    """[(kind, 'view\\_item (13 549) · search (1 912)'), …] for one stage, kinds in their given order; order and
    ticket channels by their names; the touchpoint names (user data) are markdown-escaped, so the text can go
    into st.markdown/st.caption as is."""
    rows = touchpoints[touchpoints["stage"] == stage]
    lines = []
    for kind, group in rows.groupby("kind", sort=False):
        names = [channel_name(n, lang) if kind in CHANNEL_KINDS else n for n in group["touchpoint"]]
        lines.append(
            (kind, " · ".join(f"{escape_markdown(name)} ({number(n, lang)})" for name, n in zip(names, group["n"])))
        )
    return lines


CHANNEL_KINDS = ("order", "ticket")  # their touchpoints are channel codes (web, mobile_app, email…), not names


def channel_name(code, lang: str) -> str:
    """'mobile_app' → 'Application mobile' (`journey.channel.<code>`); a code without a label as it is."""
    key = f"journey.channel.{code}"
    name = t(key, lang)
    return str(code) if name == key else name


def unassigned_view(assigned: pd.DataFrame, top: int = 10) -> tuple[int, pd.DataFrame]:
    """(events no rule assigns, their most frequent (event_name, path, events) rows)."""
    missing = assigned[assigned["stage"].isna()]
    return int(missing["events"].sum()), missing[["event_name", "path", "events"]].head(top)

"""Altair builders of the Maturity page: the drawn pyramid and the pillar bars. DataFrame in, chart out."""

from __future__ import annotations

import altair as alt
import pandas as pd

from .charts_voice import BLUE, GREEN, GREY
from .format import comparison, missing, number
from .maturity import LEVEL_KEYS, PILLAR_METRICS, PILLARS

AMBER = "#e0a030"
MUTED = "#5b6670"  # a note on the chart: readable, quieter than a label
STATUSES = ("reached", "holds", "not_reached", "unknown")
STATUS_COLOURS = {"reached": GREEN, "holds": AMBER, "not_reached": GREY, "unknown": "#dde1e6"}


def pyramid_frame(placement, tr) -> pd.DataFrame:
    """One row per level, ready to draw: level, name, status (reached | holds (met, but a level below is not) |
    not_reached | unknown (no failing criterion, data missing)), status_label, x, x2 (a bar centred on 0,
    narrowing upwards), criteria_met ("2 / 3")."""
    rows = []
    for lv in placement.levels:
        status = (
            "reached"
            if lv.reached
            else "holds"
            if lv.holds
            else "not_reached"
            if any(c.met is False for c in lv.criteria)
            else "unknown"
        )
        half = (7 - lv.level) / 2
        rows.append(
            {
                "level": lv.level,
                "name": f"{lv.level}. {tr(f'maturity.level.{lv.key}')}",
                "status": status,
                "status_label": tr(f"maturity.status.{status}"),
                "x": -half,
                "x2": half,
                "criteria_met": f"{sum(bool(c.met) for c in lv.criteria)} / {len(lv.criteria)}",
            }
        )
    return pd.DataFrame(rows)


def pyramid(frame: pd.DataFrame, tr) -> alt.Chart:
    """Six stacked bars narrowing upwards (level 1 at the base), coloured by reached / not reached."""
    labels = [tr(f"maturity.status.{s}") for s in STATUSES]
    y = alt.Y("level:O", sort="descending", axis=None)
    bars = (
        alt.Chart(frame)
        .mark_bar(height={"band": 0.92}, cornerRadius=3)
        .encode(
            x=alt.X("x:Q", axis=None, scale=alt.Scale(domain=[-3.1, 3.1])),
            x2="x2:Q",
            y=y,
            color=alt.Color(
                "status_label:N",
                title=None,
                legend=alt.Legend(orient="bottom", labelLimit=400, columns=2),
                scale=alt.Scale(domain=labels, range=[STATUS_COLOURS[s] for s in STATUSES]),
            ),
            tooltip=[
                alt.Tooltip("name:N", title=tr("maturity.level_col")),
                alt.Tooltip("status_label:N", title=tr("maturity.status_col")),
                alt.Tooltip("criteria_met:N", title=tr("maturity.criteria_met")),
            ],
        )
    )
    text = (
        alt.Chart(frame)
        .mark_text(fontSize=13, fontWeight="bold", color="#1b1f24")
        .encode(x=alt.datum(0), y=y, text="name:N")
    )  # centred on the bars, whatever the width the page gives the chart
    return (bars + text).properties(height=300, title=tr("maturity.pyramid_title"))


def pillars_chart(frame: pd.DataFrame, tr) -> alt.Chart:
    """Horizontal bars 0–100 per pillar and source (data, workshop), every pillar on its row: one with no score
    says why in words instead of a bar. Columns pillar_label, source_label, score, missing."""
    labels = list(dict.fromkeys(frame["pillar_label"]))
    y = alt.Y(
        "pillar_label:N",
        title=None,
        sort=labels,
        scale=alt.Scale(domain=labels),  # the six, scored or not
        axis=alt.Axis(labelLimit=200, labelOverlap=False),
    )
    sources = list(dict.fromkeys(frame["source_label"]))  # data first, then the workshop: blue, then amber
    y_offset = alt.YOffset("source_label:N", scale=alt.Scale(domain=sources))
    bars = (
        alt.Chart(frame.dropna(subset=["score"]))
        .mark_bar()
        .encode(
            y=y,
            yOffset=y_offset,
            x=alt.X("score:Q", title=tr("maturity.score_axis"), scale=alt.Scale(domain=[0, 100])),
            color=alt.Color(
                "source_label:N",
                title=None,
                legend=alt.Legend(orient="bottom"),
                scale=alt.Scale(domain=sources, range=[BLUE, AMBER][: len(sources)]),
            ),
            tooltip=[
                alt.Tooltip("pillar_label:N", title=tr("maturity.pillar_col")),
                alt.Tooltip("source_label:N", title=tr("maturity.source_col")),
                alt.Tooltip("score:Q", title=tr("maturity.score_axis"), format=".0f"),
            ],
        )
    )
    unscored = (
        alt.Chart(frame[frame["score"].isna()])
        .mark_text(align="left", dx=4, color=MUTED, fontSize=12, fontStyle="italic")
        .encode(y=y, yOffset=y_offset, x=alt.datum(0), text="missing:N")
    )
    return alt.layer(bars, unscored).properties(height=360, title=tr("maturity.pillars_title"))


def pillar_gap(pillar: str, source: str, tr) -> str:
    """Why a pillar has no score: no export measures it, the imports do not yet, or the workshop left it out."""
    if source == "workshop":
        return tr("maturity.no_answer_pillar")
    return tr("maturity.no_data_pillar" if PILLAR_METRICS[pillar] else "maturity.no_source_pillar")


def pillars_frame(pillars, tr, workshop: dict | None = None) -> pd.DataFrame:
    """Long table for `pillars_chart`: pillar, pillar_label, source ("data" | "workshop"), source_label, score,
    missing (why there is no score; None when there is one)."""
    rows = [{"pillar": p.pillar, "source": "data", "score": p.score} for p in pillars]
    rows += [{"pillar": p, "source": "workshop", "score": s} for p, s in (workshop or {}).items()]
    df = pd.DataFrame(rows, columns=["pillar", "source", "score"])
    df["pillar_label"] = [tr(f"maturity.pillar.{p}") for p in df["pillar"]]
    df["source_label"] = [tr(f"maturity.source.{s}") for s in df["source"]]
    df["missing"] = [
        pillar_gap(p, src, tr) if missing(score) else None
        for p, src, score in zip(df["pillar"], df["source"], df["score"])
    ]
    return df


def _met_label(c, tr) -> str:
    if c.met is None:
        return tr("maturity.met.missing")
    suffix = "workshop_" if c.answered_by == "workshop" else ""
    return tr(f"maturity.met.{suffix}{'yes' if c.met else 'no'}")


def value_text(c, tr, lang: str) -> str:
    """A criterion's value as read: its figure ("—" without data), or what settled it when the data could not
    ("settled by the workshop answer: 4 / 5")."""
    if c.answered_by == "workshop":
        answer = (
            tr("maturity.answer_yes" if c.answer else "maturity.answer_no")
            if c.answer_kind == "yesno"
            else tr("maturity.answer_scale", answer=number(c.answer, lang))
        )
        return tr("maturity.settled_by_workshop", answer=answer)
    return number(c.value, lang, 1)


def finding_names(codes, tr) -> str:
    """Friction finding codes as the Friction page names them (`friction.code.<CODE>`), comma-separated."""
    return ", ".join(tr(f"friction.code.{code}") for code in codes)


def criteria_frame(placement, tr, lang: str) -> pd.DataFrame:
    """The criteria table as a person reads it: level, criterion, value, rule, met, linked findings."""
    return pd.DataFrame(
        [
            {
                "level": f"{lv.level}. {tr(f'maturity.level.{lv.key}')}",
                "criterion": tr(f"maturity.criterion.{c.key}"),
                "value": value_text(c, tr, lang),
                "rule": f"{comparison(c.comparison)} {number(c.threshold, lang, 1)}",
                "met": _met_label(c, tr),
                "findings": finding_names(c.findings, tr),
            }
            for lv in placement.levels
            for c in lv.criteria
        ]
    )


def why_lines(placement, tr, lang: str) -> list[str]:
    """Sentences saying what is missing to reach the next level (plain text: the page escapes them)."""
    lines = []
    for c in placement.missing:
        name = tr(f"maturity.criterion.{c.key}")
        if c.value is None and c.met is None and c.source in placement.loaded:  # loaded, without what it needs
            lines.append(tr("maturity.why_unsupported", criterion=name, needs=tr(f"maturity.needs.{c.key}")))
        elif c.value is None and c.met is None:
            lines.append(tr("maturity.why_missing", criterion=name, source=tr(f"maturity.src.{c.source}")))
        else:
            lines.append(
                tr(
                    "maturity.why_fail",
                    criterion=name,
                    value=number(c.value, lang, 1),
                    comparison=comparison(c.comparison),
                    threshold=number(c.threshold, lang, 1),
                )
            )
    return lines


def evidence_frame(pillars, tr, lang: str) -> pd.DataFrame:
    """Pillar, score and the figures it is the mean of, or why no data scores it."""
    return pd.DataFrame(
        [
            {
                "pillar": tr(f"maturity.pillar.{p.pillar}"),
                "score": number(p.score, lang, 0),
                "evidence": " ; ".join(
                    tr(
                        f"maturity.metric.{e['metric']}",
                        value=number(e["value"], lang, 1, unit="%"),
                        n=number(e["n"], lang, 0),
                    )
                    for e in p.evidence
                )
                or pillar_gap(p.pillar, "data", tr),
            }
            for p in pillars
        ]
    )


def comparison_frame(compare: pd.DataFrame, tr, lang: str) -> pd.DataFrame:
    """`cx.maturity.compare_assessment` as a person reads it; disagreements marked."""

    def side(kind, value):
        if pd.isna(value):
            return tr("maturity.unknown")
        if kind == "level":
            return tr("maturity.holds_yes") if value else tr("maturity.holds_no")
        return number(value, lang, 0)

    return pd.DataFrame(
        [
            {
                "item": (
                    f"{r.item}. {tr('maturity.level.' + LEVEL_KEYS[int(r.item)])}"
                    if r.kind == "level"
                    else tr(f"maturity.pillar.{r.item}")
                ),
                "data": side(r.kind, r.data),
                "workshop": side(r.kind, r.workshop),
                "disagree": tr("maturity.disagree_mark") if r.disagree else "",
            }
            for r in compare.itertuples()
        ]
    )


def history_frame(shops: pd.DataFrame, tr) -> pd.DataFrame:
    """`cx.maturity.list_workshops` with translated headers, to compare workshops over time."""
    out = shops.drop(columns=["workshop_id"]).rename(
        columns={
            "name": tr("maturity.col.name"),
            "held_on": tr("maturity.col.date"),
            "answered": tr("maturity.col.answered"),
            "level": tr("maturity.col.self_level"),
            **{p: tr(f"maturity.pillar.{p}") for p in PILLARS},
        }
    )
    out[tr("maturity.col.date")] = pd.to_datetime(out[tr("maturity.col.date")]).dt.date
    return out.round(0)


def thresholds_frame(criteria: pd.DataFrame, tr) -> pd.DataFrame:
    """The criteria in force for the threshold editor: level, criterion, comparison, threshold, default."""
    return pd.DataFrame(
        {
            "level": criteria["level"].astype(int),
            "criterion": [tr(f"maturity.criterion.{k}") for k in criteria["key"]],
            "comparison": criteria["comparison"].map(comparison),
            "threshold": criteria["threshold"].astype(float),
            "default": criteria["default_threshold"].astype(float),
        }
    )

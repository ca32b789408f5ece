"""The report as a reader sees it, in its language: a one-screen summary first (what is going well, the three
costliest problems, the maturity level and what blocks the next one), then the sections, as a list of blocks
(headings, sentences, formatted tables, the pages' own Altair charts). `cx.report.html` and `cx.report.pdf`
only lay the blocks out, so both files say the same thing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace

import altair as alt
import pandas as pd

from ..charts_friction import evidence_chart
from ..charts_funnel import funnel_chart, funnel_frame
from ..charts_journey import format_delta, format_value, reach_chart, reach_frame
from ..charts_maturity import pyramid, pyramid_frame, why_lines
from ..charts_personas import kpi_text
from ..charts_voice import label_groups, nps_split, too_few_groups
from ..format import comparison, moment, number, percent
from ..friction import finding_title, measure, money, touched_text
from ..i18n import cli_text, dimension_value, report_text, t
from ..money import assumed_message, mixed_message, set_apart_message
from ..privacy import readable
from ..text import theme_label, theme_names
from .gather import NPS_BY, Report

EVIDENCE_ROWS = 8
COSTLIEST = 3
GAINS = 3
FLAGS = ("in_window", "highlight")  # the evidence rows of the problem itself (the incident's days, the slow page)
GROUPS = {"group": "voice.val", "channel_group": "support.ch"}  # evidence columns naming groups: their i18n prefix


@dataclass(frozen=True)
class Heading:
    text: str
    level: int = 2


@dataclass(frozen=True)
class Text:
    text: str
    style: str = ""  # "" | "strong" | "muted" | "item" (a bullet) | "quote"


@dataclass(frozen=True)
class Table:
    """Cells already formatted; `numeric` the columns aligned right, `bold` the rows to stress."""

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: frozenset = frozenset()
    bold: frozenset = frozenset()


@dataclass(frozen=True)
class Chart:
    chart: alt.TopLevelMixin


def table(headers, rows, numeric=(), bold=()) -> Table:
    """A Table without the columns that say nothing (every cell empty or "—"), e.g. a previous period with no
    data."""
    rows = [tuple("" if c is None else str(c) for c in r) for r in rows]
    keep = [j for j in range(len(headers)) if any(r[j] not in ("", "—") for r in rows)]
    return Table(
        tuple(headers[j] for j in keep),
        tuple(tuple(r[j] for j in keep) for r in rows),
        frozenset(keep.index(j) for j in numeric if j in keep),
        frozenset(bold),
    )


def group_label(value, lang: str, prefix: str = "voice.val") -> str:
    """A group of the data as the pages name it: a theme's label, a translated value (`<prefix>.late`,
    `support.ch.email`…), else the value itself."""
    if pd.isna(value):
        return t(f"{prefix}.unknown", lang)
    if value in theme_names():
        return theme_label(value, lang)
    key = f"{prefix}.{value}"
    return t(key, lang) if t(key, lang) != key else str(value)


def step_label(step, lang: str) -> str:
    """A finding's step as the pages name it: a theme, a translated group (`voice.val.<value>`), a support
    channel ("email" → "E-mail"), else as stored ("add_payment_info → purchase")."""
    label = group_label(step, lang)
    return group_label(step, lang, "support.ch") if label == str(step) else label


def named_groups(evidence: pd.DataFrame | None, lang: str) -> pd.DataFrame | None:
    """The evidence with its groups (themes, delivery status, support channels…) named in `lang`, for its chart."""
    if evidence is None:
        return None
    return evidence.assign(
        **{
            c: evidence[c].map(lambda g, p=p: group_label(g, lang, p))
            for c, p in GROUPS.items()
            if c in evidence.columns
        }
    )


def day_text(value, lang: str) -> str:
    d = pd.Timestamp(value).date()
    return d.strftime("%d/%m/%Y") if lang == "fr" else d.isoformat()


def cell_text(column: str, value, lang: str, decimals: int = 1) -> str:
    """One evidence cell: shares as percentages, signed NPS, other numbers with `decimals` and the language's
    separators, days as dates."""
    if pd.isna(value):
        return "—"
    if isinstance(value, (dt.date, pd.Timestamp)):
        return day_text(value, lang)
    if isinstance(value, str):
        return group_label(value, lang, GROUPS[column]) if column in GROUPS else value
    if column.endswith(("rate", "share")):
        return percent(float(value), lang, 1)
    if column.startswith("nps"):
        return number(float(value), lang, 1, signed=True)
    return number(float(value), lang, decimals)


def evidence_table(evidence: pd.DataFrame, lang: str, rows: int = EVIDENCE_ROWS) -> Table | None:
    """The first `rows` rows of a finding's evidence, the flagged rows first (and in bold), in their original
    order; headers translated (`report.ev.<column>`), the flag column dropped."""
    if not isinstance(evidence, pd.DataFrame) or evidence.empty:
        return None
    flag = next((c for c in FLAGS if c in evidence.columns), None)
    flagged = evidence[flag].fillna(False).astype(bool) if flag else pd.Series(False, index=evidence.index)
    keep = pd.concat([evidence[flagged], evidence[~flagged]]).head(rows).index
    excerpt = evidence.loc[evidence.index.isin(keep)]
    columns = [c for c in excerpt.columns if c not in FLAGS]
    headers = [t(f"report.ev.{c}", lang) for c in columns]
    numeric = [j for j, c in enumerate(columns) if pd.api.types.is_numeric_dtype(excerpt[c])]
    whole = {
        c: excerpt[c].dropna().astype(float).mod(1).eq(0).all()
        for c in columns
        if pd.api.types.is_numeric_dtype(excerpt[c]) and not pd.api.types.is_bool_dtype(excerpt[c])
    }
    cells = [
        [cell_text(c, v, lang, 0 if whole.get(c) else 1) for c, v in zip(columns, r)]
        for r in excerpt[columns].itertuples(index=False)
    ]
    bold = [i for i, f in enumerate(flagged.loc[excerpt.index]) if f]
    return table(headers, cells, numeric, bold)


# ------------------------------------------------------------------------------------------------ summary


def gains(report: Report) -> list[str]:
    """The KPIs that changed the right way against the previous period, largest relative change first."""
    lang, better = report.lang, []
    for stage in report.stages:
        for k in stage.kpis:
            if k.value is None or not k.previous or k.better not in ("higher", "lower"):
                continue
            change = (k.value - k.previous) / abs(k.previous) * (1 if k.better == "higher" else -1)
            if change > 0 and not (k.unit == "currency" and report.currency.mixed):
                better.append(
                    (
                        change,
                        t(
                            "report.gain",
                            lang,
                            stage=t(f"journey.stage.{stage.stage}", lang),
                            kpi=t(k.label, lang),
                            value=format_value(k, lang, currency=report.currency),
                            delta=format_delta(k, lang, report.currency),
                        ),
                    )
                )
    return [text for _, text in sorted(better, key=lambda g: -g[0])[:GAINS]]


def strengths(report: Report, tr) -> list[str]:
    """What the data shows going well without a period to compare with: the maturity criteria met, measured."""
    lang = report.lang
    return [
        tr(
            "report.strength",
            criterion=tr(f"maturity.criterion.{c.key}"),
            value=number(c.value, lang, 1),
            comparison=comparison(c.comparison),
            threshold=number(c.threshold, lang, 1),
        )
        for lv in report.placement.levels
        for c in lv.criteria
        if c.met and c.answered_by == "data"
    ]


def costliest(report: Report) -> list[str]:
    """The findings with the largest revenue at risk (the friction ranking), with that amount."""
    lang = report.lang
    costly = [f for f in report.findings if f.revenue_at_risk is not None][:COSTLIEST]
    return [
        t(
            "report.problem",
            lang,
            title=finding_title(f, lang),
            revenue=money(f.revenue_at_risk, report.friction_currency, lang),
        )
        for f in costly
    ]


def summary(report: Report, tr) -> list:
    lang, p = report.lang, report.placement
    out = [Heading(tr("report.summary_title")), Text(tr("report.going_well"), "strong")]
    well = (gains(report) + strengths(report, tr))[:GAINS]
    out += [Text(g, "item") for g in well] or [Text(tr("report.no_gain"), "muted")]
    out.append(Text(tr("report.costliest"), "strong"))
    out += [Text(c, "item") for c in costliest(report)] or [Text(tr("report.no_cost"), "muted")]
    out.append(Text(tr("report.maturity_title"), "strong"))
    level = p.levels[p.level - 1] if p.level else None
    out.append(
        Text(
            tr(
                "report.maturity_level",
                level=p.level,
                name=tr(f"maturity.level.{level.key}") if level else tr("report.no_level"),
            )
        )
    )
    if p.next_level:
        nxt = p.levels[p.next_level - 1]
        out.append(Text(tr("maturity.why_intro", level=nxt.level, name=tr(f"maturity.level.{nxt.key}"))))
        out += [Text(line, "item") for line in why_lines(p, tr, lang)]
    return out


# ------------------------------------------------------------------------------------------------ sections


def _in_stages(kpi: tuple[str, list[str]]) -> str:
    """A KPI missing in several stages named once with them ("Visiteurs à l'étape (Sensibilisation, Achat)")."""
    label, stages = kpi
    return f"{label} ({', '.join(stages)})" if len(stages) > 1 else label


def kpi_section(report: Report, tr) -> list:
    """The KPIs per stage; those the data cannot give are not rows of dashes but named once per reason below, each
    KPI once (a KPI of several stages, "Visitors at the stage", with the stages it misses in)."""
    lang, rows, missing = report.lang, [], {}
    for stage in report.stages:
        shown = [k for k in stage.kpis if k.value is not None or not k.reason]
        for k in stage.kpis:
            if k not in shown:
                stages = missing.setdefault(tr(k.reason), {}).setdefault(tr(k.label), [])
                stages.append(tr(f"journey.stage.{stage.stage}"))
        for i, k in enumerate(shown):
            money_hidden = k.unit == "currency" and report.currency.mixed
            value = "—" if money_hidden else format_value(k, lang, currency=report.currency)
            previous = "—" if k.previous is None or money_hidden else format_value(k, lang, k.previous, report.currency)
            delta = None if money_hidden else format_delta(k, lang, report.currency)
            rows.append(
                (tr(f"journey.stage.{stage.stage}") if i == 0 else "", t(k.label, lang), value, previous, delta or "—")
            )
    out = [Heading(tr("report.kpis"))]
    if not rows:
        return out + [Text(tr("report.empty.kpis"), "muted")]
    reach = reach_frame(report.stages, lang)
    if not reach.empty:
        out.append(Chart(reach_chart(reach, lang)))
    out.append(
        table(
            [
                tr("report.col.stage"),
                tr("report.col.kpi"),
                tr("report.col.value"),
                tr("report.col.previous"),
                tr("report.col.change"),
            ],
            rows,
            numeric=(2, 3, 4),
        )
    )
    if missing:
        out.append(Text(tr("report.not_available_title"), "strong"))
        out += [
            Text(tr("report.not_available", kpis=", ".join(map(_in_stages, kpis.items())), reason=reason), "item")
            for reason, kpis in missing.items()
        ]
    written = [(stage, text.strip()) for stage, text in report.notes.items() if text.strip()]
    if written:  # the workshop's notes, as the consultant wrote them (escaped by the writers, as every text)
        out.append(Text(tr("report.workshop_notes"), "strong"))
        out += [
            Text(tr("report.workshop_note", stage=tr(f"journey.stage.{stage}"), note=text), "quote")
            for stage, text in written
        ]
    scope = report.currency
    note = mixed_message(scope, lang) if scope.mixed else assumed_message(scope, lang)
    notes = [note, set_apart_message(scope, lang)]  # orders of no currency left out of the AOV: said, as on the page
    return out + [Text(n, "muted") for n in notes if n]


def funnel_section(report: Report, tr) -> list:
    lang, out = report.lang, [Heading(tr("report.funnel"))]
    if report.funnel is None or report.funnel.steps.empty:
        return out + [
            Text(tr("report.empty.funnel_steps" if report.funnel_choosable else "report.empty.funnel"), "muted")
        ]
    frame = funnel_frame(report.funnel.steps, tr, lang)
    out.append(Chart(funnel_chart(frame, tr)))
    out.append(
        table(
            [
                tr("report.col.step"),
                tr("report.col.users"),
                tr("report.col.conversion"),
                tr("report.col.step_conversion"),
            ],
            [
                (r.label, number(r.users, lang, 0), percent(r.conversion, lang, 1), percent(r.step_conversion, lang, 1))
                for r in frame.itertuples()
            ],
            numeric=(1, 2, 3),
        )
    )
    return out


def nps_section(report: Report, tr) -> list:
    lang, nps, out = report.lang, report.satisfaction.nps, [Heading(tr("report.nps"))]
    if not nps.n:
        return out + [Text(tr("report.empty.nps"), "muted")]
    out.append(
        Text(
            tr(
                "report.nps_line",
                nps=number(nps.nps, lang, 1, signed=True),
                moe=number(nps.moe, lang, 1),
                n=number(nps.n, lang, 0),
                count=nps.n,
            ),
            "strong",
        )
    )
    groups = label_groups(report.nps_groups, tr)
    too_few = too_few_groups(groups, NPS_BY, tr) if not groups.empty else None
    groups = groups.iloc[:0] if too_few else groups  # no lone "Not known" row nor bar: what to map instead
    split = pd.concat([report.everyone.assign(label=tr("report.all_answers")), groups], ignore_index=True)
    out.append(Chart(nps_split(split, tr)))
    if too_few:
        out.append(Text(too_few, "muted"))
    if not groups.empty:
        out.append(Text(tr("report.nps_by", by=tr(f"report.by.{NPS_BY}")), "strong"))
        out.append(
            table(
                [
                    tr("report.col.group"),
                    "NPS",
                    tr("report.col.moe"),
                    tr("report.col.answers"),
                    tr("report.col.significant"),
                    tr("report.col.low_sample"),
                ],
                [
                    (
                        r.label,
                        number(r.nps, lang, 1, signed=True),
                        number(r.moe, lang, 1),
                        number(r.n, lang, 0),
                        tr("report.yes") if r.significant else "",
                        tr("report.yes") if r.low_sample else "",
                    )
                    for r in groups.itertuples()
                ],
                numeric=(1, 2, 3),
            )
        )
    csat = report.satisfaction.csat
    if csat:
        out.append(
            Text(
                tr(
                    "report.csat_line",
                    csat=number(csat.csat, lang, 1, unit="%"),
                    n=number(csat.n, lang, 0),
                    count=csat.n,
                )
            )
        )
    return out


def findings_section(report: Report, tr) -> list:
    lang, out = report.lang, [Heading(tr("report.findings"))]
    if not report.findings:
        return out + [Text(tr("report.empty.findings"), "muted")]
    if report.findings_open > len(report.findings):  # the top ones only: say of how many
        out.append(Text(tr("report.findings_top", n=len(report.findings), total=report.findings_open), "muted"))
    for i, f in enumerate(report.findings, start=1):
        out.append(Text(f"{i}. {finding_title(f, lang)}", "strong"))
        figures = {
            "observed": measure(f.observed, f.unit, lang),
            "expected": measure(f.expected, f.unit, lang),
            "touched": touched_text(f, lang),  # "2 022 visites": what the count counts
        }
        out.append(
            Text(
                tr("report.finding_figures", **figures)
                if f.revenue_at_risk is None
                else tr(
                    "report.finding_figures_revenue",
                    **figures,
                    revenue=money(f.revenue_at_risk, report.friction_currency, lang),
                )
            )
        )
        out.append(Text(f"{tr('report.remedy')} {tr(f.remedy_key)}"))
        chart = evidence_chart(replace(f, evidence=named_groups(f.evidence, lang)), tr)
        if chart is not None:
            out.append(Chart(chart))
        evidence = evidence_table(f.evidence, lang)
        if evidence is not None:
            out.append(evidence)
            if evidence.bold:
                out.append(Text(tr("report.evidence_bold"), "muted"))
    return out


def personas_section(report: Report, tr) -> list:
    lang, personas, out = report.lang, report.personas.personas, [Heading(tr("report.personas"))]
    if not personas:
        return out + [Text(tr("report.empty.personas"), "muted")]
    fig = lambda p, key: kpi_text(key, p.kpis.get(key), lang, report.personas_currency)
    out.append(
        table(
            [
                tr("report.col.persona"),
                tr("report.col.customers"),
                tr("report.col.share"),
                tr("report.col.aov"),
                "NPS",
                tr("report.col.orders"),
            ],
            [
                (
                    p.title(lang),
                    number(p.size, lang, 0),
                    kpi_text("share", p.share, lang),
                    fig(p, "aov"),
                    fig(p, "nps"),
                    number(p.kpis.get("orders"), lang, 1),
                )
                for p in personas
            ],
            numeric=(1, 2, 3, 4, 5),
        )
    )
    for p in personas:
        if p.quote:
            quote = " ".join(readable(str(p.quote), lang).split())  # its masks in the report's words
            out.append(
                Text(f"{p.title(lang)} : « {quote} »" if lang == "fr" else f"{p.title(lang)}: “{quote}”", "quote")
            )
    return out + [Text(tr("report.personas_scope"), "muted")]


def maturity_section(report: Report, tr) -> list:
    lang, p = report.lang, report.placement
    out = [Heading(tr("report.maturity")), Chart(pyramid(pyramid_frame(p, tr), tr).properties(width=480))]
    pillars = [(tr(f"maturity.pillar.{s.pillar}"), number(s.score, lang, 0)) for s in p.pillars]
    if pillars:
        out.append(table([tr("report.col.pillar"), tr("report.col.score")], pillars, numeric=(1,)))
    return out


def filters_line(report: Report) -> str:
    f, lang, p = report.filters, report.lang, report.periods
    parts = [
        t(
            "report.period",
            lang,
            start=day_text(p.start, lang) if p.start else "—",
            end=day_text(p.end, lang) if p.end else "—",
        )
    ]
    parts += [
        t(
            "report.filter_value",
            lang,
            name=t(f"report.filter.{key}", lang),
            value=dimension_value(key, getattr(f, key), lang),
        )
        for key in ("device", "channel", "segment")
        if getattr(f, key)
    ]
    if f.persona is not None:
        names = {p.persona_id: p.name for p in report.personas.personas}
        parts.append(
            t(
                "report.filter_value",
                lang,
                name=t("report.filter.persona", lang),
                value=names.get(f.persona, f"#{f.persona}"),
            )
        )
    return " · ".join(parts)


def build_document(report: Report) -> list:
    """The blocks of the report, in reading order, in `report.lang`; written by the command line, its reasons name
    the commands where the app's name its pages; the app's say where a page's "below" would point to nothing."""
    lang, say = report.lang, cli_text if report.command_line else report_text
    tr = lambda key, **values: say(key, lang, **values)
    blocks = [
        Heading(tr("report.doc_title"), 1),
        Text(filters_line(report), "muted"),
        Text(tr("report.generated", when=moment(report.generated, lang)), "muted"),
    ]
    for part in (
        summary,
        kpi_section,
        funnel_section,
        nps_section,
        findings_section,
        personas_section,
        maturity_section,
    ):
        blocks += part(report, tr)
    return blocks

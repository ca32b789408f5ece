"""The stakeholder report: for a `Filters` and a language, the headline KPIs per stage, the proposed funnel, NPS
and its breakdown, the top friction findings with their evidence, the personas and (when `cx.maturity` exists) the
maturity placement — gathered once (`gather_report`), then written as a self-contained HTML file
(`render_html`: inline CSS and SVG charts, no external URL, every piece of data escaped with `html.escape`) or a
PDF (`render_pdf`, fpdf2). The figures come from the same functions the pages call, so they match."""
from __future__ import annotations

import datetime as dt
import html
import importlib
import logging
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from .charts_friction import measure, money
from .charts_journey import format_value
from .charts_voice import number
from .commands.kpis import kpis_doc
from .commands.nps import nps_doc
from .commands.personas import personas_doc
from .friction import find_friction, finding_title
from .funnel import find_funnel, propose_funnel
from .i18n import t
from .journey import Kpi
from .models import Filters
from .money import CurrencyScope, assumed_message, mixed_message, scope_currency

TOP_FINDINGS = 5
EVIDENCE_ROWS = 8
NPS_BY, NPS_BY_LABEL = "touchpoint", "report.by.touchpoint"  # the breakdown shown: where the answer was collected
STEPS = ("kpis", "funnel", "nps", "findings", "personas", "maturity")
FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")


@dataclass(frozen=True)
class Report:
    """Everything the report shows, already computed; `render_html` / `render_pdf` only format it.

    kpis: the `python -m cx kpis` document (period + stages with their KPIs, labels in `lang`).
    funnel: {"steps": [{"step", "users", "conversion", "step_conversion"}]} or None without funnel events.
    nps: the `python -m cx nps --by touchpoint` document. findings: the top findings, most costly first, each
    {"title", "code", "severity", "stage", "segment", "observed", "expected", "unit", "affected_users",
    "revenue_at_risk", "remedy", "evidence" (DataFrame, first rows)}. personas: the `python -m cx personas`
    document. maturity: a dict (level, name, pillars) or None when cx.maturity is not available. currency: the
    currency of the money under the filters (`cx.money`); the personas' money is in `personas["currency"]`.
    """
    lang: str
    filters: Filters
    generated: dt.datetime
    kpis: dict
    funnel: dict | None
    nps: dict
    findings: list = field(default_factory=list)
    personas: dict = field(default_factory=dict)
    maturity: dict | None = None
    currency: CurrencyScope = CurrencyScope("EUR", assumed=True)


def _maturity(ws, filters: Filters, lang: str) -> dict | None:
    """The placement from cx.maturity.place_maturity when that part of the product is there, else None;
    {"level", "name", "pillars": [{"pillar", "score"}]}. A failure there leaves the section empty (logged)
    rather than losing the whole report."""
    try:
        module = importlib.import_module("cx.maturity")
    except ImportError:
        return None
    place = getattr(module, "place_maturity", None)
    if place is None:
        return None
    try:
        placement = place(ws, filters)
    except Exception:  # another team's part: the report still ships, the section says it is not available
        logging.getLogger("cx").exception("maturity placement failed in the report")
        return None
    reached = next((lv for lv in placement.levels if lv.level == placement.level), None)
    label = (lambda key: t(key, lang) if t(key, lang) != key else None)
    return {"level": placement.level,
            "name": label(f"maturity.level.{reached.key}") if reached else None,
            "pillars": [{"pillar": label(f"maturity.pillar.{p.pillar}") or p.pillar, "score": p.score}
                        for p in placement.pillars]}


def evidence_rows(evidence, rows: int = EVIDENCE_ROWS) -> pd.DataFrame:
    """The first `rows` rows of a finding's evidence, the flagged ones (`in_window` / `highlight` true: the
    incident's days, the slow page) first so the excerpt shows the problem; kept in their original order."""
    if not isinstance(evidence, pd.DataFrame) or evidence.empty:
        return pd.DataFrame()
    flag = next((c for c in ("in_window", "highlight") if c in evidence.columns), None)
    if flag is None:
        return evidence.head(rows)
    flagged = evidence[flag].fillna(False).astype(bool)
    keep = pd.concat([evidence[flagged], evidence[~flagged]]).head(rows).index
    return evidence.loc[evidence.index.isin(keep)]


def gather_report(ws, filters: Filters | None = None, lang: str = "fr", progress=None) -> Report:
    """Compute every section for `filters` in `lang`; `progress(done, total, step)` is called after each of
    STEPS (for a progress bar). Personas are built from all the data (as on the Personas page)."""
    filters = filters or Filters()
    tick = (lambda i, step: progress(i, len(STEPS), step)) if progress else (lambda i, step: None)
    kpis = kpis_doc(ws, filters, lang)
    currency = scope_currency(ws, filters)
    tick(1, "kpis")
    steps = propose_funnel(ws, filters)
    funnel = None
    if steps:
        result = find_funnel(ws, filters, steps)
        funnel = {"steps": [{"step": r.name, "users": int(r.users),
                             "conversion": None if pd.isna(r.conversion) else float(r.conversion),
                             "step_conversion": None if pd.isna(r.step_conversion) else float(r.step_conversion)}
                            for r in result.steps.itertuples()]}
    tick(2, "funnel")
    nps = nps_doc(ws, NPS_BY, filters)
    tick(3, "nps")
    report = find_friction(ws, filters)
    findings = []
    for f in [f for f in report.findings if f.status != "dismissed"][:TOP_FINDINGS]:
        findings.append({"title": finding_title(f, lang), "code": f.code, "severity": f.severity, "stage": f.stage,
                         "segment": f.segment, "observed": f.observed, "expected": f.expected, "unit": f.unit,
                         "affected_users": int(f.affected_users), "revenue_at_risk": f.revenue_at_risk,
                         "remedy": t(f.remedy_key, lang),
                         "evidence": evidence_rows(f.evidence)})
    tick(4, "findings")
    personas = personas_doc(ws, lang)
    tick(5, "personas")
    maturity = _maturity(ws, filters, lang)
    tick(6, "maturity")
    return Report(lang, filters, dt.datetime.now().replace(microsecond=0), kpis, funnel, nps, findings, personas,
                  maturity, currency)


# ---------------------------------------------------------------- formatting shared by HTML and PDF

def _filters_line(report: Report) -> str:
    f, lang = report.filters, report.lang
    p = report.kpis["period"]
    parts = [t("report.period", lang, start=p["start"] or "—", end=p["end"] or "—")]
    for key in ("device", "channel", "segment"):
        value = getattr(f, key)
        parts.append(f"{t('report.filter.' + key, lang)} : {value}" if lang == "fr" else
                     f"{t('report.filter.' + key, lang)}: {value}") if value else None
    return " · ".join(parts)


def kpi_rows(report: Report) -> list[tuple[str, str, str, str]]:
    """(stage, label, value, previous) rows of the headline KPI table, formatted in the report's language."""
    rows = []
    for stage in report.kpis["stages"]:
        name = t(f"journey.stage.{stage['stage']}", report.lang)
        for k in stage["kpis"]:
            kpi = Kpi(k["key"], k["label"], k["value"], k["unit"], k["previous"])
            code = report.kpis.get("currency")  # this period and the previous one (null when mixed: values null)
            prev = "—" if k["previous"] is None else format_value(kpi, report.lang, k["previous"], code)
            rows.append((name, k["label"], format_value(kpi, report.lang, currency=code), prev))
    return rows


def currency_notes(report: Report) -> list[str]:
    """What the reader must know about the money: in several currencies (not added up), or assumed."""
    scope = report.currency
    if not scope.mixed and report.kpis.get("currencies"):  # mixed over the KPIs' two periods only
        scope = CurrencyScope(None, tuple((c["code"], c["amount"]) for c in report.kpis["currencies"]))
    note = mixed_message(scope, report.lang) if scope.mixed else assumed_message(scope, report.lang)
    return [note] if note else []


def finding_figures(f: dict, lang: str, currency=None) -> str:
    return t("report.finding_figures", lang, observed=measure(f["observed"], f["unit"], lang),
             expected=measure(f["expected"], f["unit"], lang), touched=number(f["affected_users"], lang, 0),
             revenue=money(f["revenue_at_risk"], currency, lang))


def persona_line(p: dict, lang: str, currency=None) -> str:
    k = p["kpis"]
    return t("report.persona_line", lang, size=number(p["size"], lang, 0), share=number(p["share"], lang, 0, share=True),
             aov=money(k.get("aov"), currency, lang), nps=number(k.get("nps"), lang, 0, signed=True),
             orders=number(k.get("orders"), lang, 1))


# ---------------------------------------------------------------- HTML

CSS = """body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#1d2733}h1{margin-bottom:.2em}h2{border-bottom:2px solid #1f5fa8;padding-bottom:.2em;margin-top:2em}
.meta{color:#5b6670}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}th,td{border-bottom:1px solid #dde2e6;
padding:.3em .5em;text-align:left;font-size:.92em}td.n{text-align:right;font-variant-numeric:tabular-nums}
.card{border:1px solid #dde2e6;border-radius:8px;padding:.8em 1em;margin:.8em 0}.muted{color:#5b6670;font-size:.9em}
blockquote{margin:.4em 0;padding-left:.8em;border-left:3px solid #b0b7bf;color:#39434d}
@media print{h2{page-break-after:avoid}.card{page-break-inside:avoid}}"""


def _e(value) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def svg_bars(items: list[tuple[str, float, str]], width: int = 640, colour: str = "#1f5fa8") -> str:
    """A horizontal bar chart as inline SVG: one (label, value, shown text) per bar; labels escaped."""
    if not items:
        return ""
    top = max((v for _, v, _ in items), default=0) or 1
    row, label_w, text_w = 26, 270, 110
    bar_w = width - label_w - text_w
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{row * len(items) + 6}" '
             f'role="img" font-family="sans-serif" font-size="12">']
    for i, (label, value, shown) in enumerate(items):
        y = i * row + 3
        w = max(0.0, bar_w * (value or 0) / top)
        short = label if len(str(label)) <= 38 else str(label)[:37] + "…"  # cut before escaping, never mid-entity
        parts.append(f'<text x="{label_w - 6}" y="{y + 16}" text-anchor="end">{_e(short)}</text>'
                     f'<rect x="{label_w}" y="{y + 3}" width="{w:.1f}" height="{row - 8}" fill="{colour}"/>'
                     f'<text x="{label_w + w + 6:.1f}" y="{y + 16}">{_e(shown)}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_split(shares: list[tuple[str, float, str]], width: int = 640) -> str:
    """One stacked bar of shares (0–1) with a legend, e.g. promoters / passives / detractors."""
    x, parts = 0.0, [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="56" role="img" '
                     f'font-family="sans-serif" font-size="12">']
    legend = []
    for i, (label, share, colour) in enumerate(shares):
        w = width * (share or 0)
        parts.append(f'<rect x="{x:.1f}" y="0" width="{w:.1f}" height="24" fill="{colour}"/>')
        legend.append(f'<rect x="{i * 210}" y="34" width="12" height="12" fill="{colour}"/>'
                      f'<text x="{i * 210 + 16}" y="45">{_e(label)}</text>')
        x += w
    return "".join(parts + legend + ["</svg>"])


def _table(headers, rows, numeric=()) -> str:
    head = "".join(f"<th>{_e(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f'<td class="n">{_e(c)}</td>' if j in numeric else f"<td>{_e(c)}</td>"
                                    for j, c in enumerate(r)) + "</tr>" for r in rows)
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _frame_table(frame: pd.DataFrame) -> str:
    if frame is None or frame.empty:
        return ""
    rows = [[("" if v is None or (isinstance(v, float) and v != v) else
              f"{v:.4g}" if isinstance(v, float) else v) for v in r] for r in frame.itertuples(index=False)]
    return _table([str(c) for c in frame.columns], rows)


def render_html(report: Report) -> str:
    """The report as one HTML document: inline CSS and SVG, no script, no external URL; data escaped."""
    lang = report.lang
    tt = lambda key, **v: _e(t(key, lang, **v))  # noqa: E731
    out = [f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
           f'<meta name="viewport" content="width=device-width, initial-scale=1">'
           f"<title>{tt('report.doc_title')}</title><style>{CSS}</style></head><body>",
           f"<h1>{tt('report.doc_title')}</h1>",
           f'<p class="meta">{_e(_filters_line(report))}<br>{tt("report.generated", when=report.generated.isoformat(" "))}</p>']
    # KPIs
    out.append(f"<h2>{tt('report.kpis')}</h2>")
    rows = kpi_rows(report)
    out.append(_table([t("report.col.stage", lang), t("report.col.kpi", lang), t("report.col.value", lang),
                       t("report.col.previous", lang)], rows, numeric=(2, 3)) if rows else
               f'<p class="muted">{tt("report.empty.kpis")}</p>')
    out += [f'<p class="muted">{_e(note)}</p>' for note in currency_notes(report)]
    # funnel
    out.append(f"<h2>{tt('report.funnel')}</h2>")
    if report.funnel and report.funnel["steps"]:
        steps = report.funnel["steps"]
        out.append(svg_bars([(s["step"], s["users"], f"{number(s['users'], lang, 0)} · "
                                                      f"{number(s['conversion'], lang, 1, share=True)}") for s in steps]))
        out.append(_table([t("report.col.step", lang), t("report.col.users", lang), t("report.col.conversion", lang),
                           t("report.col.step_conversion", lang)],
                          [(s["step"], number(s["users"], lang, 0), number(s["conversion"], lang, 1, share=True),
                            number(s["step_conversion"], lang, 1, share=True)) for s in steps], numeric=(1, 2, 3)))
    else:
        out.append(f'<p class="muted">{tt("report.empty.funnel")}</p>')
    # NPS
    out.append(f"<h2>{tt('report.nps')}</h2>")
    o = report.nps["overall"]
    if o["n"]:
        out.append(f"<p><strong>{tt('report.nps_line', nps=number(o['nps'], lang, 1, signed=True), moe=number(o['moe'], lang, 1), n=number(o['n'], lang, 0))}</strong></p>")
        out.append(svg_split([(f"{t('report.promoters', lang)} {number(o['promoters'], lang, 0, share=True)}", o["promoters"], "#2e7d32"),
                              (f"{t('report.passives', lang)} {number(o['passives'], lang, 0, share=True)}", o["passives"], "#b0b7bf"),
                              (f"{t('report.detractors', lang)} {number(o['detractors'], lang, 0, share=True)}", o["detractors"], "#c62828")]))
        groups = report.nps["groups"]
        if groups:
            out.append(f"<h3>{tt('report.nps_by', by=t(NPS_BY_LABEL, lang))}</h3>")
            out.append(_table([t("report.col.group", lang), "NPS", "±", "n", t("report.col.significant", lang)],
                              [(g["group"] or t("report.unknown", lang), number(g["nps"], lang, 1, signed=True),
                                number(g["moe"], lang, 1), number(g["n"], lang, 0),
                                t("report.yes", lang) if g["significant"] else "") for g in groups], numeric=(1, 2, 3)))
    else:
        out.append(f'<p class="muted">{tt("report.empty.nps")}</p>')
    if report.nps.get("csat"):
        out.append(f"<p>{tt('report.csat_line', csat=number(report.nps['csat']['csat'], lang, 1, unit='%'), n=number(report.nps['csat']['n'], lang, 0))}</p>")
    # findings
    out.append(f"<h2>{tt('report.findings')}</h2>")
    if not report.findings:
        out.append(f'<p class="muted">{tt("report.empty.findings")}</p>')
    for i, f in enumerate(report.findings, start=1):
        out.append(f'<div class="card"><p><strong>{i}. {_e(f["title"])}</strong></p>'
                   f'<p>{_e(finding_figures(f, lang, report.currency))}</p><p><em>{tt("report.remedy")}</em> {_e(f["remedy"])}</p>'
                   f'<details open><summary>{tt("report.evidence")}</summary>{_frame_table(f["evidence"])}</details></div>')
    # personas
    out.append(f"<h2>{tt('report.personas')}</h2>")
    personas = report.personas.get("personas") or []
    if personas:
        out.append(svg_bars([(p["name"], p["share"], number(p["share"], lang, 0, share=True)) for p in personas],
                            colour="#72B7B2"))
    else:
        out.append(f'<p class="muted">{tt("report.empty.personas")}</p>')
    for p in personas:
        quote = f"<blockquote>« {_e(' '.join(str(p['quote']).split()))} »</blockquote>" if p.get("quote") else ""
        out.append(f'<div class="card"><strong>{_e(p["name"])}</strong><p>{_e(persona_line(p, lang, report.personas.get("currency")))}</p>{quote}</div>')
    out.append(f'<p class="muted">{tt("report.personas_scope")}</p>')
    # maturity
    out.append(f"<h2>{tt('report.maturity')}</h2>")
    m = report.maturity
    if m is None:
        out.append(f'<p class="muted">{tt("report.empty.maturity")}</p>')
    else:
        out.append(f"<p><strong>{tt('report.maturity_level', level=m['level'] if m['level'] is not None else '—', name=m['name'] or '')}</strong></p>")
        if m["pillars"]:
            out.append(_table([t("report.col.pillar", lang), t("report.col.score", lang)],
                              [(p["pillar"], "—" if p["score"] is None else number(p["score"], lang, 1))
                               for p in m["pillars"]], numeric=(1,)))
    out.append("</body></html>")
    return "\n".join(out)


# ---------------------------------------------------------------- PDF

_LATIN1 = str.maketrans({"\u202f": " ", "\u00a0": " ", "€": "EUR", "’": "'", "‘": "'", "“": '"', "”": '"',
                         "—": "-", "–": "-", "−": "-", "…": "...", "œ": "oe", "Œ": "OE", "→": "->", "·": "-"})


def _pdf_font(pdf) -> bool:
    """DejaVu (every accent and €) when Debian's fonts-dejavu-core is there, else the core Helvetica (Latin-1)."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("body", "", str(regular))
        pdf.add_font("body", "B", str(bold))
        return True
    return False


def render_pdf(report: Report) -> bytes:
    """The report as a PDF (A4, fpdf2): the same sections and figures as the HTML, bars drawn as rectangles."""
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    lang = report.lang
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(True, margin=15)
    unicode_font = _pdf_font(pdf)
    family = "body" if unicode_font else "Helvetica"
    clean = (lambda s: str(s)) if unicode_font else (
        lambda s: str(s).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1"))
    pdf.set_title(clean(t("report.doc_title", lang)))
    pdf.add_page()
    width = pdf.epw

    def text(value, size=10, style="", h=5.5):
        pdf.set_font(family, style, size)
        pdf.multi_cell(width, h, clean(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    def heading(key):
        if pdf.will_page_break(40):  # never a title alone at the bottom of a page
            pdf.add_page()
        pdf.ln(3)
        text(t(key, lang), 14, "B", 8)
        pdf.set_draw_color(31, 95, 168)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + width, pdf.get_y())
        pdf.ln(2)

    def table(headers, rows, widths):
        pdf.set_font(family, "B", 8.5)
        for h, w in zip(headers, widths):
            pdf.cell(w * width, 6, clean(h)[:60], border="B")
        pdf.ln(6)
        pdf.set_font(family, "", 8.5)
        for r in rows:
            if pdf.will_page_break(6):
                pdf.add_page()
            for c, w in zip(r, widths):
                value = clean("" if c is None else c)
                while value and pdf.get_string_width(value) > w * width - 1:
                    value = value[:-2] + "…" if unicode_font else value[:-4] + "..."
                pdf.cell(w * width, 5.5, value)
            pdf.ln(5.5)
        pdf.ln(2)

    def bars(items, colour=(31, 95, 168)):
        top = max((v for _, v, _ in items), default=0) or 1
        pdf.set_font(family, "", 8.5)
        for label, value, shown in items:
            y = pdf.get_y()
            if pdf.will_page_break(7):
                pdf.add_page()
                y = pdf.get_y()
            pdf.set_xy(pdf.l_margin, y)
            pdf.cell(55, 6, clean(label)[:34], align="R")
            pdf.set_fill_color(*colour)
            w = max(0.0, (width - 95) * (value or 0) / top)
            pdf.rect(pdf.l_margin + 57, y + 1, w, 4.5, style="F")
            pdf.set_xy(pdf.l_margin + 59 + w, y)
            pdf.cell(40, 6, clean(shown))
            pdf.set_xy(pdf.l_margin, y + 6.5)
        pdf.ln(2)

    text(t("report.doc_title", lang), 20, "B", 10)
    text(_filters_line(report), 9)
    text(t("report.generated", lang, when=report.generated.isoformat(" ")), 9)
    heading("report.kpis")
    rows = kpi_rows(report)
    if rows:
        table([t("report.col.stage", lang), t("report.col.kpi", lang), t("report.col.value", lang),
               t("report.col.previous", lang)], rows, (0.2, 0.44, 0.18, 0.18))
    else:
        text(t("report.empty.kpis", lang))
    for note in currency_notes(report):
        text(note, 9)
    heading("report.funnel")
    if report.funnel and report.funnel["steps"]:
        bars([(s["step"], s["users"], f"{number(s['users'], lang, 0)} · {number(s['conversion'], lang, 1, share=True)}")
              for s in report.funnel["steps"]])
    else:
        text(t("report.empty.funnel", lang))
    heading("report.nps")
    o = report.nps["overall"]
    if o["n"]:
        text(t("report.nps_line", lang, nps=number(o["nps"], lang, 1, signed=True), moe=number(o["moe"], lang, 1),
               n=number(o["n"], lang, 0)), 10, "B")
        bars([(t("report.promoters", lang), o["promoters"], number(o["promoters"], lang, 0, share=True)),
              (t("report.passives", lang), o["passives"], number(o["passives"], lang, 0, share=True)),
              (t("report.detractors", lang), o["detractors"], number(o["detractors"], lang, 0, share=True))],
             colour=(46, 125, 50))
        if report.nps["groups"]:
            text(t("report.nps_by", lang, by=t(NPS_BY_LABEL, lang)), 10, "B")
            table([t("report.col.group", lang), "NPS", "±", "n", t("report.col.significant", lang)],
                  [(g["group"] or t("report.unknown", lang), number(g["nps"], lang, 1, signed=True),
                    number(g["moe"], lang, 1), number(g["n"], lang, 0), t("report.yes", lang) if g["significant"] else "")
                   for g in report.nps["groups"]], (0.4, 0.15, 0.15, 0.15, 0.15))
    else:
        text(t("report.empty.nps", lang))
    heading("report.findings")
    if not report.findings:
        text(t("report.empty.findings", lang))
    for i, f in enumerate(report.findings, start=1):
        text(f"{i}. {f['title']}", 10, "B")
        text(finding_figures(f, lang, report.currency), 9)
        text(f"{t('report.remedy', lang)} {f['remedy']}", 9)
        ev = f["evidence"]
        if ev is not None and not ev.empty:
            cols = list(ev.columns)[:5]
            table(cols, [[("" if v is None or (isinstance(v, float) and v != v) else
                           f"{v:.4g}" if isinstance(v, float) else v) for v in r]
                         for r in ev[cols].itertuples(index=False)], [1 / len(cols)] * len(cols))
    heading("report.personas")
    personas = report.personas.get("personas") or []
    if not personas:
        text(t("report.empty.personas", lang))
    for p in personas:
        text(p["name"], 10, "B")
        text(persona_line(p, lang, report.personas.get("currency")), 9)
        if p.get("quote"):
            text(f"« {' '.join(str(p['quote']).split())} »", 9)
    text(t("report.personas_scope", lang), 8)
    heading("report.maturity")
    m = report.maturity
    if m is None:
        text(t("report.empty.maturity", lang))
    else:
        text(t("report.maturity_level", lang, level=m["level"] if m["level"] is not None else "—", name=m["name"] or ""),
             10, "B")
        if m["pillars"]:
            table([t("report.col.pillar", lang), t("report.col.score", lang)],
                  [(p["pillar"], "—" if p["score"] is None else number(p["score"], lang, 1)) for p in m["pillars"]],
                  (0.6, 0.4))
    return bytes(pdf.output())


def write_report(report: Report, path) -> Path:
    """Write `report` to `path`: PDF when it ends in .pdf, HTML when .html/.htm."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        path.write_bytes(render_pdf(report))
    else:
        path.write_text(render_html(report), encoding="utf-8")
    return path

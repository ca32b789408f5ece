"""The words of a finding: its sentence filled and formatted for a language, the export table."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from ..format import date, escape_markdown, number
from ..i18n import catalogue, dimension_value, t
from ..money import CurrencyScope, amount
from ..text import theme_label
from .models import Finding, FrictionReport


def figure(value, lang: str, digits: int = 1, signed: bool = False, share: bool = False, unit: str = "") -> str:
    """A figure of a finding's sentence as a reader of `lang` writes it (`cx.format.number`): "+21,3", "73,0 %",
    "1 498" in French; "+21.3", "73.0%", "1,498" in English. `share=True` shows a share (0–1) as a percentage;
    `unit` follows ("h", "min"). None → "—"."""
    if value is None or pd.isna(value):
        return "—"
    text = number(100 * value if share else value, lang, digits, signed=signed)  # no sign on zero
    unit = "%" if share else unit
    if not unit:
        return text
    return text + ("\u202f" if lang == "fr" else "" if unit == "%" else " ") + unit


def _date(value, lang: str) -> str:
    if not value:
        return "—"
    return date(value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10]), lang)


def measure(value, unit: str, lang: str) -> str:
    """A finding's observed / expected value in its unit."""
    if unit == "rate":
        return figure(value, lang, 1, share=True)
    if unit == "per_order":
        return figure(None if value is None else 100 * value, lang, 1, unit="%")
    if unit == "minutes":
        if value is not None and value >= 120:
            return figure(value / 60, lang, 1, unit="h")
        return figure(value, lang, 1, unit="min")
    if unit == "nps":
        return figure(value, lang, 1, signed=True)
    return figure(value, lang, 0)


def money(value, currency, lang: str) -> str:
    """An amount (revenue at risk, value of a conversion) in whole units of `currency` (ISO code or
    `cx.money.CurrencyScope`): `cx.money.amount`."""
    return amount(value, currency, lang, 0)


def title_values(finding: Finding, lang: str, markdown: bool = True) -> dict:
    """The values of a finding's sentence (`friction.title.<code>`), formatted for `lang`; free text escaped
    for markdown unless `markdown` is False (plain text, e.g. the command line)."""
    escape = escape_markdown if markdown else str
    out = {}
    for key, value in finding.params.items():
        if key in ("start", "end"):
            out[key] = _date(value, lang)
        elif key in ("observed", "expected"):
            out[key] = measure(value, finding.unit, lang)
        elif key in (
            "late_share",
            "per_day_in",
            "per_day_out",
            "median_load_ms",
            "overall_load_ms",
            "csat",
            "mean",
            "nps",
            "nps_without",
        ):
            out[key] = (
                figure(value, lang, 0, share=True)
                if key == "late_share"
                else figure(value, lang, 1)
                if key.startswith("per_day") or key == "mean"
                else figure(value, lang, 1, signed=True)
                if key.startswith("nps")
                else figure(value, lang, 0)
            )
        elif key == "channel" and value:  # a support channel: named as the Support page names it ("E-mail")
            out[key] = escape(_known(f"support.ch.{value}", value, lang))
        elif key == "theme":  # a lexicon key: its name in `lang` ("Livraison"), not "delivery"
            out[key] = escape(theme_label(value, lang))
        elif isinstance(value, str):
            out[key] = escape(value) if value else "—"
        else:
            out[key] = value
    for key in ("observed", "expected"):  # every sentence may name them (the finding's own, as the page shows)
        out.setdefault(key, measure(getattr(finding, key), finding.unit, lang))
    dimension, value = finding.segment.split("=", 1) if finding.segment else (None, None)
    out["where"] = t("friction.on_segment", lang, value=escape(_in_sentence(dimension, value, lang))) if value else ""
    if "segment" in out and finding.segment:
        out["segment"] = escape(segment_label(finding.segment, lang))
    return out


def _in_sentence(dimension: str, value: str, lang: str) -> str:
    """A segment's value inside a sentence: a translated label lower-cased ("Sur ordinateur :"), else as stored."""
    label = dimension_value(dimension, value, lang)
    return label if label == value else label[:1].lower() + label[1:]


def _known(key: str, value, lang: str) -> str:
    label = t(key, lang)
    return str(value) if label == key else label


def segment_label(segment: str | None, lang: str) -> str:
    """A finding's segment ("device=mobile") as a reader of `lang` reads it: "Appareil : Mobile", "Device:
    Mobile"; "" without one."""
    if not segment:
        return ""
    dimension, value = segment.split("=", 1)
    name = _known(f"filters.{dimension}", dimension, lang)
    return t("friction.segment_label", lang, dimension=name, value=dimension_value(dimension, value, lang))


def touched_label(finding: Finding, lang: str = "en") -> str:
    """The label of a finding's count, saying what it counts: "Visites touchées", "Réponses touchées"…"""
    return t(f"friction.touched.{finding.affected_unit}", lang)


def touched_text(finding: Finding, lang: str = "en") -> str:
    """A finding's count with what it counts: "2 022 visites", "41 visites", "370 clients"."""
    n = finding.affected_users
    return t(f"friction.count.{finding.affected_unit}", lang, n=number(n, lang), count=n)


def revenue_formula(finding: Finding, currency, lang: str = "en") -> str | None:
    """How a finding's revenue at risk is computed, with the numbers it uses (None without one):
    (expected − observed) × sessions × the value of one, the value named for what it is worth (a conversion, or a
    session: a conversion's value × the sessions' conversion rate); for error events, the purchase gap × the
    sessions hit beyond the usual rate (hit − expected at the usual rate) × a conversion's value."""
    if finding.revenue_at_risk is None:
        return None
    i = finding.inputs
    source = t(f"friction.value_source.{i['value_source']}", lang)
    value = money(i["value_per_conversion"], currency, lang)
    if i.get("basis") == "excess_error_sessions" and "sessions_hit" in i:
        return t(
            "friction.revenue_inputs_errors",
            lang,
            gap=figure(i["gap"], lang, 1, share=True),
            excess=number(i["affected"], lang),
            hit=number(i["sessions_hit"], lang),
            usual=number(i["sessions_usual"], lang),
            rate=figure(i["usual_rate"], lang, 1, share=True),
            value=value,
            source=source,
        )
    high, low = max(i["expected"], i["observed"]), min(i["expected"], i["observed"])  # a gap, either way
    unit = finding.affected_unit
    common = {
        "expected": measure(high, "rate", lang),
        "observed": measure(low, "rate", lang),
        "affected": t(f"friction.count.{unit}", lang, n=number(i["affected"], lang), count=i["affected"]),
        "value": value,
        "source": source,
    }
    if i.get("value_kind") == "session" and i.get("conversion") is not None:
        text = t(
            "friction.revenue_inputs_session",
            lang,
            **common,
            conversion_value=money(i["value_of_conversion"], currency, lang),
            conversion=figure(i["conversion"], lang, 1, share=True),
        )
    else:
        text = t("friction.revenue_inputs", lang, **common)
    return text + (" — " + t(f"friction.basis.{i['basis']}", lang) if i.get("basis") else "")


def how_bad_text(finding: Finding, lang: str = "en") -> str:
    """The observed value against the expected one, saying what is measured when the code words it
    (`friction.how_bad_value.<CODE>`), else "{observed} vs {expected} expected"."""
    values = {
        "observed": measure(finding.observed, finding.unit, lang),
        "expected": measure(finding.expected, finding.unit, lang),
    }
    key = f"friction.how_bad_value.{finding.code}"
    return t(key if key in catalogue(lang) else "friction.how_bad_value", lang, **values)


def finding_title(finding: Finding, lang: str = "en") -> str:
    """The one-sentence title in `lang` (dates as written in that language, rates as percentages)."""
    return t(finding.title_key, lang, **title_values(finding, lang, markdown=False))


def findings_table(findings, lang: str = "en", currency: CurrencyScope | None = None) -> pd.DataFrame:
    """One row per finding (a FrictionReport or a sequence of Finding, in rank order) for an export: rank, code, title, stage, step, segment, window_start, window_end,
    severity, observed, expected, unit, p_value, tests, affected_users, revenue_at_risk, value_per_conversion,
    currency (ISO code of the money columns: `currency`, else the report's; empty when mixed or unknown), remedy,
    status."""
    rows = []
    if isinstance(findings, FrictionReport):
        currency = currency or findings.currency
        findings = findings.findings
    code = currency.code if currency is not None else None
    for i, f in enumerate(findings, start=1):
        rows.append(
            {
                "rank": i,
                "code": f.code,
                "title": finding_title(f, lang),
                "stage": f.stage,
                "step": f.step,
                "segment": f.segment,
                "window_start": f.window_start,
                "window_end": f.window_end,
                "severity": f.severity,
                "observed": f.observed,
                "expected": f.expected,
                "unit": f.unit,
                "p_value": f.p_value,
                "tests": f.tests,
                "affected_users": f.affected_users,
                "revenue_at_risk": f.revenue_at_risk,
                "value_per_conversion": f.inputs.get("value_per_conversion"),
                "currency": code,
                "remedy": t(f.remedy_key, lang),
                "status": f.status,
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "rank",
            "code",
            "title",
            "stage",
            "step",
            "segment",
            "window_start",
            "window_end",
            "severity",
            "observed",
            "expected",
            "unit",
            "p_value",
            "tests",
            "affected_users",
            "revenue_at_risk",
            "value_per_conversion",
            "currency",
            "remedy",
            "status",
        ],
    )

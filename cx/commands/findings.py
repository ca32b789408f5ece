"""`python -m cx findings [--lang en|fr] [--from D] [--to D]`: friction findings, most costly first."""

from __future__ import annotations

from dataclasses import replace

from .. import results
from ..filters import within_data
from ..format import money, number
from ..friction import apply_statuses, find_friction, finding_title, load_statuses
from ..i18n import t
from ..models import Filters
from .args import day

NAME, HELP = "findings", "friction findings, most costly first (what, where, how bad, revenue at risk, remedy)"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (inclusive)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (inclusive)")


def _round(value, digits: int = 4):
    return None if value is None else round(float(value), digits)


def findings_doc(ws, filters: Filters | None = None, lang: str = "en") -> dict:
    """The JSON document of DESIGN.md: {"currency", "currencies", "currency_assumed", "findings": [{code, title,
    stage, segment, window: {start, end}, severity, observed, expected, affected_users, revenue_at_risk, remedy}]};
    dismissed findings are left out. revenue_at_risk is in `currency` (null with the `currencies` listed when the
    orders are in several: no revenue at risk is estimated then)."""
    report = stored_findings(ws, filters)
    currency = (
        report.currency.as_dict()
        if report.currency
        else {"currency": None, "currencies": None, "currency_assumed": False}
    )
    return {
        **currency,
        "findings": [
            {
                "code": f.code,
                "title": finding_title(f, lang),
                "stage": f.stage,
                "segment": f.segment,
                "window": {
                    "start": f.window_start.isoformat() if f.window_start else None,
                    "end": f.window_end.isoformat() if f.window_end else None,
                },
                "severity": f.severity,
                "observed": _round(f.observed),
                "expected": _round(f.expected),
                "affected_users": int(f.affected_users),
                "affected_unit": f.affected_unit,  # what affected_users counts: sessions, orders, tickets, answers, customers
                "revenue_at_risk": _round(f.revenue_at_risk, 2),
                "remedy": t(f.remedy_key, lang),
            }
            for f in report.findings
            if f.status != "dismissed"
        ],
    }


def stored_findings(ws, filters: Filters | None = None):
    """`find_friction(ws, filters)` with the statuses, read from the workspace's stored results when the app (or an
    earlier command) computed them for the same data, settings and period (a missing first or last day is the
    data's, as on the pages), else computed and stored (cx/results.py)."""
    report = results.stored_call(ws, find_friction, within_data(ws, filters), with_status=False)
    return replace(report, findings=tuple(apply_statuses(report.findings, load_statuses(ws))))


def show(doc: dict, lang: str) -> None:
    """The findings for a person, in `lang` (numbers and money by cx.format)."""
    if doc.get("currencies"):
        listed = ", ".join(f"{c['code'] or '?'} {number(c['amount'], lang)}" for c in doc["currencies"])
        print(t("cli.findings.currencies", lang, currencies=listed))
    if not doc["findings"]:
        print(t("cli.findings.none", lang))
    for i, f in enumerate(doc["findings"], start=1):
        money_ = (
            t("cli.findings.at_risk", lang, amount=money(f["revenue_at_risk"], doc.get("currency"), lang, 0))
            if f["revenue_at_risk"] is not None
            else t("cli.findings.not_estimated", lang)
        )
        unit, n = f.get("affected_unit", "customers"), f["affected_users"]
        touched = t("cli.findings.touched", lang, n=t(f"friction.count.{unit}", lang, n=number(n, lang), count=n))
        severity = t(f"friction.severity.{f['severity']}", lang)
        print(
            f"{i:2}. [{t('friction.code.' + f['code'], lang)}] {f['title']}\n    {severity} · {touched} · {money_}\n"
            f"    {t('cli.findings.remedy', lang, remedy=f['remedy'])}"
        )


def run(args, ws):
    filters = Filters(start=day(args.start, "--from"), end=day(args.end, "--to"))
    return findings_doc(ws, filters, args.lang), show

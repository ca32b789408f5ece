"""Run the detectors and rank their findings."""

from __future__ import annotations

from ..models import Filters
from ..workspace import Workspace
from .context import Context
from .customers import (
    detect_checkout_trouble,
    detect_detractor_theme,
    detect_high_effort,
    detect_late_delivery_nps,
    detect_low_csat,
    detect_rising_complaints,
    detect_rising_returns,
    detect_rising_theme,
    detect_slow_support,
)
from .models import DetectorRun, Finding, FrictionReport, NoData
from .status import apply_statuses, load_statuses
from .web import (
    detect_dwell_exit,
    detect_error_events,
    detect_funnel_incident,
    detect_navigation_loop,
    detect_repeated_search,
    detect_segment_gap,
    detect_slow_page,
)

DETECTORS = {  # stable code -> detector, in the order they run
    "FUNNEL_INCIDENT": detect_funnel_incident,
    "SEGMENT_GAP": detect_segment_gap,
    "ERROR_EVENTS": detect_error_events,
    "SLOW_PAGE": detect_slow_page,
    "NAVIGATION_LOOP": detect_navigation_loop,
    "REPEATED_SEARCH": detect_repeated_search,
    "DWELL_EXIT": detect_dwell_exit,
    "CHECKOUT_TROUBLE": detect_checkout_trouble,
    "HIGH_EFFORT": detect_high_effort,
    "LOW_CSAT_TOUCHPOINT": detect_low_csat,
    "DETRACTOR_THEME": detect_detractor_theme,
    "RISING_THEME": detect_rising_theme,
    "SLOW_SUPPORT": detect_slow_support,
    "RISING_COMPLAINTS": detect_rising_complaints,
    "RISING_RETURNS": detect_rising_returns,
    "LATE_DELIVERY_NPS": detect_late_delivery_nps,
}


def _rank(f: Finding) -> tuple:
    return (f.revenue_at_risk is None, -(f.revenue_at_risk or 0.0), f.p_value, f.code)


def find_friction(
    ws: Workspace, filters: Filters | None = None, codes: tuple[str, ...] | None = None, with_status: bool = True
) -> FrictionReport:
    """Run the detectors (all, or `codes`) under the global filters and rank the findings: revenue at risk,
    largest first, then those without a money figure by p-value. Each finding carries its stored status
    (open / in_progress / dismissed, `set_finding_status`); dismissed ones stay in the report (the page hides
    them on request).

    Returns
    -------
    FrictionReport: findings (tuple of Finding, ranked), detectors (DetectorRun per detector: code, status
    "ran" | "no_data", reason (i18n key) when no_data, findings, tests), value_per_conversion, value_source.
    """
    filters = filters or Filters()
    findings, runs = [], []
    with ws.cursor() as cur:
        ctx = Context(ws, cur, filters)
        for code, detector in DETECTORS.items():
            if codes and code not in codes:
                continue
            try:
                found, tests = detector(ctx)
            except NoData as e:
                runs.append(DetectorRun(code, "no_data", e.reason, 0, 0))
                continue
            findings += found
            runs.append(DetectorRun(code, "ran", None, len(found), tests))
        value, source, currency = ctx.value, ctx.value_source, ctx.currency
    if with_status:
        findings = apply_statuses(findings, load_statuses(ws))
    return FrictionReport(tuple(sorted(findings, key=_rank)), tuple(runs), value, source, currency)


def top_findings(ws: Workspace, report: FrictionReport | None = None, n: int = 3) -> tuple[Finding, ...]:
    """The `n` most costly findings that are not dismissed (for the Overview page); `report` is a (cached)
    find_friction result, computed over all the data when None."""
    report = report or find_friction(ws, with_status=False)
    return tuple(f for f in apply_statuses(report.findings, load_statuses(ws)) if f.status != "dismissed")[:n]

"""Gather the report's results once, from the analysis functions the pages call (journey, satisfaction, funnel,
friction, personas, maturity), so the report's figures are the pages' figures."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from ..friction import Finding, find_friction
from ..funnel import Funnel, find_funnel, propose_funnel
from ..journey import Periods, StageKpis, find_stage_kpis, journey_periods
from ..maturity import Placement, place_maturity
from ..models import Filters
from ..money import CurrencyScope, scope_currency, with_previous_period
from ..personas import PersonaSet, find_personas
from ..satisfaction import Satisfaction, breakdown, group_stats, summarise

TOP_FINDINGS = 5
NPS_BY = "touchpoint"  # the breakdown shown: where the answer was collected
STEPS = ("kpis", "funnel", "nps", "findings", "personas", "maturity")


@dataclass(frozen=True)
class Report:
    """Everything the report shows, computed for `filters`; `cx.report.document` words and formats it in `lang`.

    stages / periods / currency: the journey KPIs, their two periods and the currency of their money (mixed: the
    money KPIs are not shown). funnel: the proposed funnel, None without funnel events. satisfaction: NPS, CSAT;
    everyone: the promoter / passive / detractor shares of all answers (`group_stats` by "everyone");
    nps_groups: NPS per survey touchpoint (groups with answers). findings: the top open findings, in rank order;
    friction_currency: the currency of their revenue at risk. personas: built from all the data, as on the
    Personas page (their money in `personas_currency`). placement: the maturity placement (`place_maturity`).
    """

    lang: str
    filters: Filters
    generated: dt.datetime
    periods: Periods
    stages: tuple[StageKpis, ...]
    currency: CurrencyScope
    funnel: Funnel | None
    satisfaction: Satisfaction
    everyone: pd.DataFrame
    nps_groups: pd.DataFrame
    findings: tuple[Finding, ...]
    friction_currency: CurrencyScope | None
    personas: PersonaSet
    personas_currency: CurrencyScope
    placement: Placement


def gather_report(ws, filters: Filters | None = None, lang: str = "fr", progress=None) -> Report:
    """Compute every section for `filters`; `progress(done, total, step)` is called after each of STEPS (for a
    progress bar)."""
    filters = filters or Filters()
    tick = (lambda i, step: progress(i, len(STEPS), step)) if progress else (lambda i, step: None)
    periods = journey_periods(ws, filters)
    stages = tuple(find_stage_kpis(ws, filters))
    currency = scope_currency(ws, with_previous_period(filters, periods))  # the money of both periods
    tick(1, "kpis")
    steps = propose_funnel(ws)  # the Funnel page's default funnel, whatever the filters
    funnel = find_funnel(ws, filters, steps) if steps else None
    tick(2, "funnel")
    satisfaction = summarise(ws, filters)
    everyone = group_stats(ws, filters, ("everyone",))
    groups = breakdown(ws, filters, NPS_BY)
    tick(3, "nps")
    friction = find_friction(ws, filters, with_status=True)
    findings = tuple(f for f in friction.findings if f.status != "dismissed")[:TOP_FINDINGS]
    tick(4, "findings")
    personas = find_personas(ws)
    tick(5, "personas")
    placement = place_maturity(ws, filters, findings=friction.findings)  # friction runs once
    tick(6, "maturity")
    return Report(
        lang,
        filters,
        dt.datetime.now().replace(microsecond=0),
        periods,
        stages,
        currency,
        funnel,
        satisfaction,
        everyone,
        groups[groups["n"] > 0].reset_index(drop=True),
        findings,
        friction.currency,
        personas,
        scope_currency(ws, Filters()),
        placement,
    )

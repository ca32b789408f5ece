"""Gather the report's results once, from the analysis functions the pages call (journey, satisfaction, funnel,
friction, personas, maturity), so the report's figures are the pages' figures. The heavy ones are read from the
stored results when the pages or the background run stored them (cx/results.py: the same calls, so the same
figures), else computed and stored."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from dataclasses import dataclass, field, replace

import pandas as pd

from .. import results
from ..filters import full_period
from ..friction import Finding, apply_statuses, find_friction, load_statuses
from ..funnel import Funnel, find_funnel, list_step_options, propose_funnel
from ..ingest.convert import workspace_timezone
from ..journey import Periods, StageKpis, find_stage_kpis, journey_notes, journey_periods
from ..maturity import Placement, measure_maturity, place_maturity
from ..models import Filters
from ..money import CurrencyScope, scope_currency, with_previous_period
from ..personas import PersonaSet, find_personas, personas_key
from ..satisfaction import Satisfaction, breakdown, group_stats, summarise

TOP_FINDINGS = 5
NPS_BY = "touchpoint"  # the breakdown shown: where the answer was collected
STEPS = ("kpis", "funnel", "nps", "findings", "personas", "maturity")


@dataclass(frozen=True)
class Report:
    """Everything the report shows, computed for `filters`; `cx.report.document` words and formats it in `lang`.

    stages / periods / currency: the journey KPIs, their two periods and the currency of their money (mixed: the
    money KPIs are not shown). funnel: the proposed funnel, None when no e-commerce step is recognised;
    funnel_choosable: then, whether the events give steps to choose on the Funnel page (two names or pages at least:
    the report says to choose them, not to load events). satisfaction: NPS, CSAT;
    everyone: the promoter / passive / detractor shares of all answers (`group_stats` by "everyone");
    nps_groups: NPS per survey touchpoint (groups with answers). findings: the top open findings, in rank order
    (findings_open: how many open findings there are in all);
    friction_currency: the currency of their revenue at risk. personas: built from all the data, as on the
    Personas page (their money in `personas_currency`). placement: the maturity placement (`place_maturity`).
    command_line: written by `python -m cx report`, whose reader loads data with commands, not on the app's pages: a
    reason names the command (`cx.i18n.cli_text`). notes: the Journey page's workshop notes, {stage: text} ("" when
    none), shown under the KPIs.
    """

    lang: str
    filters: Filters
    generated: dt.datetime  # in the reader's zone (`gather_report`'s timezone), zoned
    periods: Periods
    stages: tuple[StageKpis, ...]
    currency: CurrencyScope
    funnel: Funnel | None
    funnel_choosable: bool
    satisfaction: Satisfaction
    everyone: pd.DataFrame
    nps_groups: pd.DataFrame
    findings: tuple[Finding, ...]
    findings_open: int  # every open finding (not dismissed), of which `findings` are the first TOP_FINDINGS
    friction_currency: CurrencyScope | None
    personas: PersonaSet
    personas_currency: CurrencyScope
    placement: Placement
    command_line: bool = False
    notes: dict[str, str] = field(default_factory=dict)


def known_zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    """The time zone `name` (Europe/Paris), None when it is None or no zone's name."""
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def gather_report(
    ws,
    filters: Filters | None = None,
    lang: str = "fr",
    progress=None,
    command_line: bool = False,
    timezone: str | None = None,
) -> Report:
    """Compute every section for `filters`; `progress(done, total, step)` is called after each of STEPS (for a
    progress bar). `timezone`: the reader's (the browser's, an IANA name) for the time it was generated; unknown or
    None, the workspace's (`$CX_TIMEZONE`, Europe/Paris by default), never the server's clock zone."""
    filters = filters or Filters()
    generated = dt.datetime.now(known_zone(timezone) or zoneinfo.ZoneInfo(workspace_timezone())).replace(microsecond=0)
    tick = (lambda i, step: progress(i, len(STEPS), step)) if progress else (lambda i, step: None)
    periods = journey_periods(ws, filters)
    stages = tuple(find_stage_kpis(ws, filters))
    currency = scope_currency(ws, with_previous_period(filters, periods))  # the money of both periods
    tick(1, "kpis")
    steps = tuple(results.stored_call(ws, propose_funnel))  # the Funnel page's default funnel, whatever the filters
    # called as the Funnel page and the background run call it (cx/ui/background.py DEFAULT_FUNNEL): one stored row
    funnel = (
        results.stored_call(ws, find_funnel, filters, steps, window="7d", mode="ordered", by=None, paths=True)
        if steps
        else None
    )
    # the Funnel page's call: the steps it offers under these filters (its stored row)
    choosable = bool(steps) or len(results.stored_call(ws, list_step_options, filters)) >= 2
    tick(2, "funnel")
    satisfaction = summarise(ws, filters)
    everyone = group_stats(ws, filters, ("everyone",))
    groups = breakdown(ws, filters, NPS_BY)
    tick(3, "nps")
    # the stored findings (as the Overview and the Frictions page read them) with the statuses in force now
    friction = results.stored_call(ws, find_friction, filters, with_status=False)
    friction = replace(friction, findings=tuple(apply_statuses(friction.findings, load_statuses(ws))))
    open_findings = tuple(f for f in friction.findings if f.status != "dismissed")
    findings = open_findings[:TOP_FINDINGS]
    tick(4, "findings")
    # all the data, no segment (find_personas reads only the segment of its filters): the background run's call
    personas = results.stored_call(ws, find_personas, full_period(ws), key=personas_key(ws))
    tick(5, "personas")
    measured = results.stored_call(ws, measure_maturity, filters)
    placement = place_maturity(ws, filters, measured=measured, findings=friction.findings)  # friction runs once
    tick(6, "maturity")
    return Report(
        lang,
        filters,
        generated,
        periods,
        stages,
        currency,
        funnel,
        choosable,
        satisfaction,
        everyone,
        groups[groups["n"] > 0].reset_index(drop=True),
        findings,
        len(open_findings),
        friction.currency,
        personas,
        scope_currency(ws, Filters()),
        placement,
        command_line,
        journey_notes(ws),
    )

"""`python -m cx kpis [--from D] [--to D]`: the journey-stage KPIs of the period and of the previous period of
equal length."""

from __future__ import annotations

from ..asof import workspace_as_of
from ..charts_journey import format_value
from ..errors import CxError
from ..format import date
from ..i18n import cli_text, t
from ..journey import Kpi, find_stage_kpis, journey_periods
from ..models import Filters
from ..money import mixed_message, scope_currency, with_previous_period
from .args import day

NAME, HELP = "kpis", "journey-stage KPIs vs the previous period"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="start", help="first day (YYYY-MM-DD; default: the first day with data)")
    parser.add_argument("--to", dest="end", help="last day, included (YYYY-MM-DD; default: the last day with data)")
    parser.add_argument("--device", help="web events from this device only")
    parser.add_argument("--channel", help="web events from this channel only")
    parser.add_argument("--segment", help="customers of this CRM segment only (orders, tickets, responses)")
    parser.add_argument(
        "--gap",
        type=float,
        default=30,
        help="session timeout in minutes when the export has no session id (default 30)",
    )


def kpis_doc(ws, filters: Filters, lang: str = "fr", gap_minutes: float = 30) -> dict:
    """{"as_of", "period": {...}, "currency", "currencies", "currency_assumed", "stages": [{"stage", "kpis":
    [{"key", "label", "value", "unit", "previous", "reason", "reason_key"}], "satisfaction"}]}; label and reason
    are text in `lang`, reason_key the stable i18n key of the reason (null when the value is there: a figure the
    data cannot support is null with its reason, never a made-up 0); as_of = the data's as-of date (`cx.asof`: the latest date in the loaded data, the default end of the
    period), ISO, null when empty. Money KPIs (unit "currency") are in `currency`; when the orders in scope are
    in several, `currency` is null, `currencies` lists each with its amount and the money KPIs are null with the
    reason."""
    periods = journey_periods(ws, filters)
    stages = find_stage_kpis(ws, filters, gap_minutes=gap_minutes)
    currency = scope_currency(ws, with_previous_period(filters, periods))  # the money of both periods
    out = []
    for stage in stages:
        kpis = [
            {
                **k.as_dict(),
                "label": t(k.label, lang),
                "reason": cli_text(k.reason, lang) if k.reason else None,
                "reason_key": k.reason,
            }
            for k in stage.kpis
        ]
        if currency.mixed:  # amounts in several currencies are not added: not available, said why
            kpis = [
                {
                    **k,
                    "value": None,
                    "previous": None,
                    "reason": mixed_message(currency, lang),
                    "reason_key": "money.mixed",
                }
                if k["unit"] == "currency"
                else k
                for k in kpis
            ]
        sat = stage.satisfaction
        out.append(
            {
                "stage": stage.stage,
                "kpis": kpis,
                "satisfaction": None
                if sat is None
                else {
                    "responses": sat.responses,
                    "csat": sat.csat,
                    "csat_n": sat.csat_n,
                    "nps": sat.nps,
                    "nps_n": sat.nps_n,
                },
            }
        )
    as_of = workspace_as_of(ws)
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "period": {
            "start": periods.start,
            "end": periods.end,
            "previous_start": periods.previous_start,
            "previous_end": periods.previous_end,
            "data_start": periods.data_start,
            "has_previous": periods.has_previous,  # false: no data before the period, nothing is compared
        },
        **currency.as_dict(),
        "stages": out,
    }


def show(doc: dict, lang: str) -> None:
    """The KPIs for a person, in `lang`: the dates as the language writes them (31/12/2025 in French)."""
    p = doc["period"]
    compared = p.get("has_previous", True)
    days = {k: date(p.get(k), lang) for k in ("start", "end", "previous_start", "previous_end", "data_start")}
    print(
        t(
            "journey.cli.period" if compared else "journey.cli.period_no_previous",
            lang,
            start=days["start"],
            end=days["end"],
            prev_start=days["previous_start"],
            prev_end=days["previous_end"],
            first=days["data_start"],
        )
    )
    for stage in doc["stages"]:
        print("\n" + t(f"journey.stage.{stage['stage']}", lang))
        for k in stage["kpis"]:
            kpi = Kpi(k["key"], k["label"], k["value"], k["unit"], k["previous"])
            value = format_value(kpi, lang, currency=doc.get("currency"))
            previous = format_value(kpi, lang, k["previous"], doc.get("currency"))
            if k["previous"] is None:
                previous = "—"
            note = f"  {k['reason']}" if k["reason"] else ""
            previous = f" {previous:>12}" if compared else ""  # no column of dashes when nothing is compared
            print(f"  {k['label']:<36} {value:>12}{previous}{note}")


def run(args, ws):
    start, end = day(args.start, "--from"), day(args.end, "--to")
    if start and end and start > end:
        raise CxError(f"--from {start} is after --to {end}", fix="swap the two dates")
    if args.gap <= 0:
        raise CxError("--gap must be a positive number of minutes", fix="use e.g. --gap 30")
    filters = Filters(start, end, args.device, args.channel, args.segment)
    return kpis_doc(ws, filters, args.lang, args.gap), show

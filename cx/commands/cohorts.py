"""`python -m cx cohorts [--period week|month] [--mode on|unbounded] [--by-first activity|purchase]`: the
cohort retention matrix (definitions in cx/cohorts.py); periods still running are left out."""

from __future__ import annotations

from ..asof import workspace_as_of
from ..cohorts import BY_FIRST, MODES, PERIODS, find_cohorts
from ..format import number
from ..i18n import t
from ..models import Filters
from .args import day

NAME, HELP = "cohorts", "cohort retention matrix"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    parser.add_argument("--period", choices=PERIODS, default="month", help="cohorts by week or month (default)")
    parser.add_argument(
        "--mode", choices=MODES, default="on", help="on: active in period N (default); unbounded: in period N or later"
    )
    parser.add_argument(
        "--by-first",
        dest="by_first",
        choices=BY_FIRST,
        default="activity",
        help="first visit (web events, default) or first purchase (orders)",
    )
    parser.add_argument("--from", dest="start", help="first day of the cohorts (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", help="last day, included (YYYY-MM-DD)")
    parser.add_argument("--device", help="web events from this device only")
    parser.add_argument("--channel", help="web events from this channel only")
    parser.add_argument("--segment", help="customers of this CRM segment only")


def cohorts_doc(ws, filters: Filters, period: str = "month", mode: str = "on", by_first: str = "activity") -> dict:
    """{"as_of", "cohorts": [{"cohort", "size", "retention": [share, …]}]}: complete periods only (as_of = the
    data's as-of date, ISO, null when empty: periods after it are still running)."""
    as_of = workspace_as_of(ws)
    matrix = find_cohorts(ws, filters, period=period, mode=mode, by_first=by_first)
    matrix = matrix[matrix["complete"] | (matrix["period"] == 0)]
    return {
        "as_of": as_of.isoformat() if as_of else None,
        "cohorts": [
            {
                "cohort": cohort.isoformat(),
                "size": int(part["size"].iloc[0]),
                "retention": [round(float(s), 6) for s in part.sort_values("period")["share"]],
            }
            for cohort, part in matrix.groupby("cohort", sort=True)
        ],
    }


def show(doc: dict, lang: str) -> None:
    """The matrix for a person: a header line, then one line per cohort (its first day, its size, the share
    still active in period 0, 1, 2…, in %)."""
    if not doc["cohorts"]:
        print(t("cli.cohorts.none", lang))
        return
    print(t("cli.cohorts.header", lang))
    for c in doc["cohorts"]:
        shares = " ".join(f"{number(100 * s, lang, 1):>5}" for s in c["retention"])
        print(f"{c['cohort']}  {number(c['size'], lang):>8}  {shares}")


def run(args, ws):
    filters = Filters(
        start=day(args.start, "--from"),
        end=day(args.end, "--to"),
        device=args.device,
        channel=args.channel,
        segment=args.segment,
    )
    return cohorts_doc(ws, filters, args.period, args.mode, args.by_first), show

"""`python -m cx funnel --steps A,B,C [--window 7d] [--mode ordered|strict|any] [--by COL]`: visitors per
step of a funnel (semantics in cx/funnel.py), optionally broken down by device, channel, country or
customer segment. Without --steps, the funnel proposed from the recognised e-commerce events or pages."""

from __future__ import annotations

import pandas as pd

from ..errors import CxError
from ..format import number, percent
from ..funnel import BREAKDOWNS, DEFAULT_WINDOW, MODES, absent_steps, find_funnel, format_duration, propose_funnel
from ..i18n import t
from ..models import Filters
from .args import day

NAME, HELP = "funnel", "conversion per step of a funnel"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    parser.add_argument(
        "--steps",
        help="comma-separated event names, or page paths starting with / (default: the proposed e-commerce funnel)",
    )
    parser.add_argument("--window", default=DEFAULT_WINDOW, help="conversion window: 30m, 24h, 7d… (default 7d)")
    parser.add_argument("--mode", choices=MODES, default="ordered", help="ordered (default), strict or any order")
    parser.add_argument("--by", choices=BREAKDOWNS, help="break the funnel down by this column")
    parser.add_argument("--from", dest="start", help="first day (YYYY-MM-DD)")
    parser.add_argument("--to", dest="end", help="last day, included (YYYY-MM-DD)")
    parser.add_argument("--device", help="web events from this device only")
    parser.add_argument("--channel", help="web events from this channel only")
    parser.add_argument("--segment", help="visitors linked to customers of this CRM segment only")


def _steps(frame) -> list[dict]:
    return [
        {
            "step": r.name,
            "users": int(r.users),
            "conversion": None if r.conversion is None or r.conversion != r.conversion else float(r.conversion),
            "step_conversion": None
            if r.step_conversion is None or r.step_conversion != r.step_conversion
            else float(r.step_conversion),
        }
        for r in frame.itertuples()
    ]


def funnel_doc(
    ws, filters: Filters, steps, window: str = DEFAULT_WINDOW, mode: str = "ordered", by: str | None = None
) -> dict:
    result = find_funnel(ws, filters, steps, window=window, mode=mode, by=by)
    doc = {"steps": _steps(result.steps), "breakdown": []}
    for (group, other), part in result.breakdown.groupby(["group", "other"], dropna=False, sort=False):
        doc["breakdown"].append(
            {"group": "(other)" if other else (None if pd.isna(group) else group), "steps": _steps(part)}
        )
    doc["_show"] = {
        "median": format_duration(result.median_s),
        "p90": format_duration(result.p90_s),
        "converted": result.converted,
    }
    return doc


def show(doc: dict, lang: str) -> None:
    """The funnel for a person, in `lang`; when no visitor reached the last step, why (no event at all, or
    steps no event has, with the events known)."""

    def line(s: dict) -> str:
        conv = "—" if s["conversion"] is None else percent(s["conversion"], lang, 1)
        step = "—" if s["step_conversion"] is None else percent(s["step_conversion"], lang, 1)
        return "  " + t(
            "cli.funnel.line",
            lang,
            step=f"{s['step']:<28}",
            users=f"{number(s['users'], lang):>10}",
            conversion=f"{conv:>8}",
            step_conversion=f"{step:>8}",
        )

    extra = doc.get("_show") or {}
    if extra.get("no_events"):
        print(t("cli.funnel.no_events", lang))
        return
    for s in doc["steps"]:
        print(line(s))
    if extra.get("absent"):
        known = ", ".join(extra["known"][:30]) + (" …" if len(extra["known"]) > 30 else "")
        print(t("cli.funnel.unknown_steps", lang, unknown=", ".join(extra["absent"]), known=known or "—"))
    if extra.get("converted"):
        print(t("cli.funnel.time", lang, median=extra["median"], p90=extra["p90"], n=number(extra["converted"], lang)))
    for g in doc["breakdown"]:
        print(f"{g['group'] if g['group'] is not None else t('cli.funnel.no_value', lang)}:")
        for s in g["steps"]:
            print(line(s))


def run(args, ws):
    filters = Filters(
        start=day(args.start, "--from"),
        end=day(args.end, "--to"),
        device=args.device,
        channel=args.channel,
        segment=args.segment,
    )
    steps = args.steps or propose_funnel(ws)  # as the Funnel page proposes it, whatever the filters
    if not steps:
        raise CxError(
            "no funnel steps given and no e-commerce events or pages recognised",
            fix="give them with --steps, e.g. --steps view_item,add_to_cart,purchase",
        )
    doc = funnel_doc(ws, filters, steps, args.window, args.mode, args.by)
    extra = doc.pop("_show")
    if not doc["steps"] or not doc["steps"][-1]["users"]:  # an empty funnel says why, never rows of 0 alone
        absent, known = absent_steps(ws, filters, steps)
        if absent:
            nowhere, names = absent_steps(ws, None, steps)
            if nowhere and names:  # in no event of the workspace: a step misspelt, not a quiet period
                shown = ", ".join(names[:30]) + (" …" if len(names) > 30 else "")
                raise CxError(
                    f"--steps: {', '.join(nowhere)} found in no event or page of the workspace",
                    fix=f"name steps among the events it holds: {shown} (or page paths, e.g. /panier)",
                )
        extra = {**extra, "no_events": not known, "absent": absent, "known": known}
    return doc, lambda d, lang: show({**d, "_show": extra}, lang)

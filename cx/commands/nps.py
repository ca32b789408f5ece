"""`python -m cx nps [--by COL]`: NPS with its margin of error, optionally per group, plus CSAT and CES."""

from __future__ import annotations

from ..errors import CxError
from ..format import number, percent
from ..i18n import t
from ..models import Filters
from ..satisfaction import DIMENSIONS, breakdown, summarise
from .args import day

NAME, HELP = "nps", "NPS (with margin of error), CSAT and CES; --by COL for a breakdown"
READS = True  # only reads: run again on a lake when an erasure deleted a file under it (cx/__main__.py)


def add_arguments(parser) -> None:
    parser.add_argument("--by", metavar="COL", help="break down by one of: " + ", ".join(DIMENSIONS))
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (inclusive)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (inclusive)")


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def nps_doc(ws, by: str | None = None, filters: Filters | None = None) -> dict:
    """The JSON document of DESIGN.md: overall NPS (shares 0–1, nps and moe in points), groups, csat, ces (its moe:
    the mean's 95 % margin on its scale, as the Voice page shows it; None for one answer)."""
    if by is not None and by not in DIMENSIONS:
        raise CxError(f"--by {by!r} is not a breakdown", fix="use one of: " + ", ".join(DIMENSIONS))
    result = summarise(ws, filters)
    nps = result.nps
    doc = {
        "overall": {
            "nps": _round(nps.nps),
            "n": nps.n,
            "promoters": _round(nps.promoters, 4),
            "passives": _round(nps.passives, 4),
            "detractors": _round(nps.detractors, 4),
            "moe": _round(nps.moe),
            "low_sample": nps.low_sample,
        },
        "groups": [],
        "csat": (
            {"csat": _round(result.csat.csat), "n": result.csat.n, "low_sample": result.csat.low_sample}
            if result.csat
            else None
        ),
        "ces": None,
    }
    if result.ces:
        ces = result.ces[0]  # the most answered form
        doc["ces"] = {
            "mean": _round(ces.mean),
            "moe": _round(ces.moe),
            "scale": ces.scale,
            "low_effort_share": _round(ces.low_effort_share, 4),
            "n": ces.n,
            "low_sample": ces.low_sample,
        }
    if by:
        groups = breakdown(ws, filters, by)
        doc["groups"] = [
            {
                "group": g.group if isinstance(g.group, str) else None,
                "nps": _round(g.nps),
                "n": int(g.n),
                "moe": _round(g.moe),
                "significant": bool(g.significant),
                "low_sample": bool(g.low_sample),
            }
            for g in groups.itertuples()
            if g.n > 0
        ]
    return doc


def show(doc: dict, lang: str) -> None:
    """The document for a person, in `lang` (numbers by cx.format)."""
    o = doc["overall"]
    if not o["n"]:
        print(t("cli.nps.none", lang))
    else:
        shares = {key: percent(o[key], lang, 0) for key in ("promoters", "passives", "detractors")}
        print(
            t(
                "cli.nps.overall",
                lang,
                nps=number(o["nps"], lang, 1, signed=True),
                moe=number(o["moe"], lang, 1),
                n=number(o["n"], lang),
                **shares,
            )
            + ("  " + t("cli.nps.low_sample", lang) if o["n"] < 30 else "")
        )
    if doc["csat"]:
        c = doc["csat"]
        print(t("cli.nps.csat", lang, csat=percent(c["csat"] / 100, lang, 1), n=number(c["n"], lang)))
    if doc["ces"]:
        c = doc["ces"]
        share = percent(c["low_effort_share"], lang, 0)
        print(
            t(
                "cli.nps.ces",
                lang,
                mean=number(c["mean"], lang, 2) + ("" if c["moe"] is None else " ± " + number(c["moe"], lang, 2)),
                scale=c["scale"],
                share=share,
                n=number(c["n"], lang),
            )
        )
    for g in doc["groups"]:
        mark = " *" if g["significant"] else " " + t("cli.nps.group_low", lang) if g["low_sample"] else ""
        name = g["group"] or t("cli.nps.unknown", lang)
        nps, moe = number(g["nps"], lang, 1, signed=True), number(g["moe"], lang, 1)
        print(f"  {name!s:<24} NPS {nps:>6} ± {moe:>5}  n={number(g['n'], lang)}{mark}")
    if doc["groups"]:
        print("  " + t("cli.nps.significant", lang))


def run(args, ws):
    filters = Filters(start=day(args.start, "--from"), end=day(args.end, "--to"))
    return nps_doc(ws, args.by, filters), show

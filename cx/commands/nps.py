"""`python -m cx nps [--by COL]`: NPS with its margin of error, optionally per group, plus CSAT and CES."""

from __future__ import annotations

from ..errors import CxError
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
    """The JSON document of DESIGN.md: overall NPS (shares 0–1, nps and moe in points), groups, csat, ces."""
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


def show(doc: dict) -> None:
    o = doc["overall"]
    if not o["n"]:
        print("no NPS answer in the workspace (import survey responses with an NPS column)")
    else:
        print(
            f"NPS {o['nps']:+.1f} ± {o['moe']:.1f} (95 %), {o['n']} answers: "
            f"{o['promoters']:.0%} promoters, {o['passives']:.0%} passives, {o['detractors']:.0%} detractors"
            + ("  [low sample: fewer than 30 answers]" if o["n"] < 30 else "")
        )
    if doc["csat"]:
        print(f"CSAT {doc['csat']['csat']:.1f} % satisfied (top-2-box), {doc['csat']['n']} answers")
    if doc["ces"]:
        c = doc["ces"]
        print(f"CES mean {c['mean']:.2f} on 1–{c['scale']}; low effort {c['low_effort_share']:.0%}, {c['n']} answers")
    for g in doc["groups"]:
        mark = " *" if g["significant"] else " (low sample)" if g["low_sample"] else ""
        print(f"  {g['group'] or '(unknown)'!s:<24} NPS {g['nps']:+6.1f} ± {g['moe']:5.1f}  n={g['n']}{mark}")
    if doc["groups"]:
        print("  * differs significantly from the rest (95 %); a group under 30 answers is never called different")


def run(args, ws):
    filters = Filters(start=day(args.start, "--from"), end=day(args.end, "--to"))
    return nps_doc(ws, args.by, filters), show

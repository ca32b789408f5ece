"""`python -m cx report --out FILE.html|FILE.pdf [--lang fr|en]`: the stakeholder report (see cx/report/) for
the global filters given, written to FILE; the JSON says where and what it holds."""

from __future__ import annotations

from pathlib import Path

from ..errors import CxError
from ..format import number
from ..i18n import t
from ..models import Filters
from ..report import gather_report, write_report
from .args import day

NAME, HELP = "report", "write the stakeholder report (self-contained HTML or PDF) for the filters given"
#: only reads, or writes what is safe to write again (cx/__main__.py runs the whole command again on a lake when an
#: erasure deleted a file under its reads): stored results and the persona membership, each in a short transaction of
#: its own that checks the data version first (written again: the same rows, or nothing), and FILE, overwritten whole
READS = True


def add_arguments(parser) -> None:
    parser.add_argument("--out", required=True, metavar="FILE.html|FILE.pdf", help="where to write the report")
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (inclusive)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (inclusive)")
    parser.add_argument("--device", help="web events from this device only")
    parser.add_argument("--channel", help="web events from this channel only")
    parser.add_argument("--segment", help="customers of this CRM segment only (orders, tickets, responses)")


def report_doc(ws, out: str, filters: Filters, lang: str = "fr") -> dict:
    """{"report": {"path", "format", "lang", "bytes", "stages", "funnel_steps", "nps", "findings", "personas",
    "maturity_level", "currency", "currencies", "currency_assumed"}}: where the file is and what it holds (counts,
    the overall NPS, the maturity level reached (0: none), the currency of its money: null with `currencies`
    listed when the orders are in several)."""
    path = Path(out)
    kind = path.suffix.lower().lstrip(".")
    if kind not in ("html", "htm", "pdf"):
        raise CxError(f"--out {out!r} is neither .html nor .pdf", fix="name the file e.g. report.html or report.pdf")
    if not path.parent.exists():
        raise CxError(f"the folder of {out!r} does not exist", fix="create it first or choose another path")
    report = gather_report(ws, filters, lang, command_line=True)
    try:
        write_report(report, path)
    except OSError as e:
        raise CxError(f"cannot write {out!r} ({e.strerror})", fix="choose a folder you can write to") from None
    nps = report.satisfaction.nps
    return {
        "report": {
            "path": str(path),
            "format": "pdf" if kind == "pdf" else "html",
            "lang": lang,
            "bytes": path.stat().st_size,
            "stages": len(report.stages),
            "funnel_steps": len(report.funnel.steps) if report.funnel else 0,
            "nps": None if nps.nps is None else round(nps.nps, 2),
            "findings": len(report.findings),
            "personas": len(report.personas.personas),
            "maturity_level": report.placement.level,
            **report.currency.as_dict(),
        }
    }


def show(doc: dict, lang: str) -> None:
    r = doc["report"]
    counts = {k: number(r[k], lang) for k in ("bytes", "stages", "funnel_steps", "findings", "personas")}
    print(
        t(
            "cli.report.done",
            lang,
            format=r["format"].upper(),
            language=r["lang"],
            path=r["path"],
            level=r["maturity_level"],
            **counts,
        )
    )


def run(args, ws):
    start, end = day(args.start, "--from"), day(args.end, "--to")
    if start and end and start > end:
        raise CxError(f"--from {start} is after --to {end}", fix="swap the two dates")
    return report_doc(ws, args.out, Filters(start, end, args.device, args.channel, args.segment), args.lang), show

"""`python -m cx personas [--members FILE.csv]`: the persona cards; optionally every customer with their persona."""

from __future__ import annotations

from pathlib import Path

from ..asof import workspace_as_of
from ..errors import CxError
from ..export import to_csv_bytes, to_xlsx_bytes
from ..filters import full_period
from ..format import missing, money, number, percent
from ..i18n import t
from ..models import Filters
from ..money import scope_currency
from ..personas import find_personas, member_table, personas_key
from ..privacy import readable
from ..results import stored_call

MONEY_KPIS = ("aov", "monetary")  # kpis and traits in money
NAME, HELP = "personas", "data-driven personas (RFM + behaviour + attitudes); --members FILE.csv writes the members"
#: only reads, or writes what is safe to write again (cx/__main__.py runs the whole command again on a lake when an
#: erasure deleted a file under its reads): stored results and the persona membership, each in a short transaction of
#: its own that checks the data version first (written again: the same rows, or nothing), and FILE, overwritten whole
READS = True


def add_arguments(parser) -> None:
    parser.add_argument(
        "--members",
        metavar="FILE.csv",
        help="write one row per customer with their persona (CSV, or XLSX when FILE ends in .xlsx)",
    )
    parser.add_argument("--fresh", action="store_true", help="recompute from scratch (choose the number again)")


def _round(value, digits: int = 2):
    return None if missing(value) else round(float(value), digits)


def personas_doc(ws, lang: str = "fr", members: str | None = None, fresh: bool = False) -> dict:
    """The JSON document of DESIGN.md: {"personas": [{"name", "size", "share", "traits", "kpis", "quote"}]}.
    name = the persona's title (a user's name, else "first name, label"); traits = the distinctive features,
    most distinctive first ({"feature", "z", "value", "population"}); kpis = the card's figures; as_of = the
    data's as-of date that recency and the active / lapsed status are measured from (ISO, null when empty);
    orders_period = the period kpis orders_per_buyer are over (from the first kept order to the as-of date: from,
    to, days, annualised — kpis orders_per_year is null when it is shorter than the 180-day activity window, the
    rule of the Retention page's CLV).
    Money (kpis aov, monetary; traits aov, monetary) is in `currency` (the orders of all the data); when they are
    in several currencies, `currency` is null, `currencies` lists them and the money figures are null (never
    summed)."""
    # the Personas page's first view: its stored result is read (cx/results.py); --fresh recomputes from scratch
    result = (
        find_personas(ws, fresh=True)
        if fresh
        else stored_call(ws, find_personas, full_period(ws), key=personas_key(ws))
    )
    as_of = workspace_as_of(ws)
    currency = scope_currency(ws, Filters())
    drop = lambda key, v: None if currency.mixed and key in MONEY_KPIS else v
    period = result.order_period
    doc = {
        "as_of": as_of.isoformat() if as_of else None,
        # what kpis orders_per_buyer count over; orders_per_year is null when it is too short to annualise
        "orders_period": {
            "from": period.start.isoformat(),
            "to": period.end.isoformat(),
            "days": period.days,
            "annualised": period.annualised,
        }
        if period
        else None,
        **currency.as_dict(),
        "personas": [
            {
                "name": p.title(lang),
                "size": p.size,
                "share": _round(p.share, 4),
                "traits": [
                    {
                        "feature": t.feature,
                        "z": _round(t.z),
                        "value": _round(drop(t.feature, t.value)),
                        "population": _round(drop(t.feature, t.population)),
                    }
                    for t in p.traits
                ],
                "kpis": {k: drop(k, _round(v) if isinstance(v, float) else v) for k, v in p.kpis.items()},
                "quote": p.quote,
            }
            for p in result.personas
        ],
    }
    if members:
        path = Path(members)
        try:
            table = member_table(ws, result, lang)
            path.write_bytes(to_xlsx_bytes(table, "members") if path.suffix.lower() == ".xlsx" else to_csv_bytes(table))
        except OSError as e:
            raise CxError(f"cannot write {members!r} ({e.strerror})", fix="choose a folder you can write to") from None
    return doc


def show(doc: dict, lang: str) -> None:
    """The personas for a person, in `lang` (the average order value per order, as on the cards)."""
    if not doc["personas"]:
        print(t("cli.personas.none", lang))
    for p in doc["personas"]:
        k = p["kpis"]
        print(
            t(
                "cli.personas.line",
                lang,
                name=p["name"],
                size=number(p["size"], lang),
                share=percent(p["share"], lang, 0),
                aov="—" if k["aov"] is None else money(k["aov"], doc.get("currency"), lang, 0),
                nps="—" if k["nps"] is None else number(k["nps"], lang, 0, signed=True),
                orders=number(k["orders"], lang, 1),
            )
        )
        if p["quote"]:
            print(f"    « {' '.join(readable(p['quote'], lang).split())} »")  # the JSON keeps the neutral masks


def run(args, ws):
    return personas_doc(ws, args.lang, args.members, args.fresh), show

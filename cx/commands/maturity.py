"""`python -m cx maturity [--from D] [--to D] [--workshop ID]`: the CX pyramid placement and the six pillars."""

from __future__ import annotations

from .. import results
from ..filters import within_data
from ..format import number
from ..i18n import t
from ..maturity import measure_maturity, place_maturity
from ..models import Filters
from .args import day

NAME, HELP = "maturity", "placement on the six-level CX pyramid (criteria, thresholds, met) and the six pillars"
#: only reads, or writes what is safe to write again (cx/__main__.py runs the whole command again on a lake when an
#: erasure deleted a file under its reads): stored results and the persona membership, each in a short transaction of
#: its own that checks the data version first (written again: the same rows, or nothing), and FILE, overwritten whole
READS = True


def add_arguments(parser) -> None:
    parser.add_argument("--from", dest="start", metavar="YYYY-MM-DD", help="first day (inclusive)")
    parser.add_argument("--to", dest="end", metavar="YYYY-MM-DD", help="last day (inclusive)")
    parser.add_argument(
        "--workshop",
        type=int,
        metavar="ID",
        help="the saved workshop whose answers stand in for criteria without data (default: the latest one)",
    )


def _round(value, digits: int = 2):
    return None if value is None else round(float(value), digits)


def maturity_doc(ws, filters: Filters | None = None, workshop: int | None = None) -> dict:
    """The JSON document of DESIGN.md: level reached, each level with its criteria, the pillars (0–100).
    A criterion's `source` says what settled it: "data" (its value), "workshop" (value null: the workshop's
    `answer` stood in: 1–5 when `answer_kind` is "scale", 1 yes / 0 no when "yesno") or null (no data, no answer: met null)."""
    filters = within_data(ws, filters)  # the pages' period when none is given: their stored results are read
    measured = results.stored_call(ws, measure_maturity, filters)
    # the document names no finding (the page links them to the criteria they block): none is computed for it, and
    # the level, the criteria and the pillars do not depend on them (cx.maturity.place)
    p = place_maturity(ws, filters, workshop=workshop, measured=measured, findings=())
    return {
        "level": p.level,
        "levels": [
            {
                "level": lv.level,
                "name": lv.key,
                "reached": lv.reached,
                "criteria": [
                    {
                        "name": c.key,
                        "value": _round(c.value),
                        "threshold": c.threshold,
                        "met": c.met,
                        "source": c.answered_by,
                        "answer": c.answer,
                        "answer_kind": c.answer_kind,
                    }
                    for c in lv.criteria
                ],
            }
            for lv in p.levels
        ],
        "pillars": [{"pillar": x.pillar, "score": _round(x.score, 1)} for x in p.pillars],
    }


def show(doc: dict, lang: str) -> None:
    """The document for a person, in `lang`: the levels, criteria and pillars by their labels (the JSON keeps
    the keys)."""
    print(t("cli.maturity.level", lang, level=doc["level"]))
    for lv in doc["levels"]:
        reached = t("cli.maturity.reached" if lv["reached"] else "cli.maturity.not_reached", lang)
        print(f"{lv['level']}. {t('maturity.level.' + lv['name'], lang)} — {reached}")
        for c in lv["criteria"]:
            mark = "?" if c["met"] is None else "✓" if c["met"] else "✗"
            threshold = t("cli.maturity.threshold", lang, threshold=number(c["threshold"], lang, 0))
            if c["source"] == "workshop":  # no data: the workshop's answer settled it
                value = t("maturity.settled_by_workshop", lang, answer=_answer(c, lang))
                print(f"   {mark} {t('maturity.criterion.' + c['name'], lang):<52} {threshold}, {value}")
                continue
            value = t("cli.maturity.no_data", lang) if c["value"] is None else number(c["value"], lang, 1)
            print(f"   {mark} {t('maturity.criterion.' + c['name'], lang):<52} {value:>14}  {threshold}")
    pillars = ", ".join(
        f"{t('maturity.pillar.' + x['pillar'], lang)} {'—' if x['score'] is None else number(x['score'], lang)}"
        for x in doc["pillars"]
    )
    print(t("cli.maturity.pillars", lang, pillars=pillars))


def _answer(criterion: dict, lang: str) -> str:
    """The workshop answer that settled a criterion, in words: "yes", "no" or "4 / 5"."""
    if criterion["answer_kind"] == "yesno":
        return t("maturity.answer_yes" if criterion["answer"] else "maturity.answer_no", lang)
    return t("maturity.answer_scale", lang, answer=number(criterion["answer"], lang))


def run(args, ws):
    filters = Filters(start=day(args.start, "--from"), end=day(args.end, "--to"))
    return maturity_doc(ws, filters, args.workshop), show

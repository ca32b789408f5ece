"""`python -m cx report --out FILE.html|FILE.pdf [--lang fr|en]` with the global filter options."""

import json

from tests.test_cli import cx
from tests.test_report import SCRIPT, make


def test_report_html_and_pdf(tmp_path):
    make(tmp_path).close()
    db = tmp_path / "w.duckdb"
    out = tmp_path / "r.html"
    doc = json.loads(cx("report", "--out", str(out), "--lang", "en", "--json", db=db).stdout)["report"]
    assert (doc["format"], doc["lang"], doc["findings"], doc["nps"], doc["bytes"]) == (
        "html",
        "en",
        1,
        40.0,
        out.stat().st_size,
    )
    assert doc["maturity_level"] == 0  # no page_view event: the share of visits beyond one page is unknown
    assert (doc["currency"], doc["currencies"], doc["currency_assumed"]) == ("EUR", None, True)  # no file said it
    html = out.read_text(encoding="utf-8")
    assert "Customer experience report" in html and SCRIPT not in html
    pdf = tmp_path / "r.pdf"
    text = cx(
        "report", "--out", str(pdf), "--from", "2025-03-01", "--to", "2025-03-05", "--device", "desktop", db=db
    ).stdout
    assert pdf.read_bytes().startswith(b"%PDF-") and "constats : 0" in text and "Rapport PDF (fr)" in text


def test_report_bad_input(tmp_path):
    make(tmp_path).close()
    db = tmp_path / "w.duckdb"
    bad = cx("report", "--out", str(tmp_path / "r.docx"), db=db, check=False)
    assert bad.returncode == 2 and "neither .html nor .pdf" in bad.stderr
    missing = cx("report", "--out", str(tmp_path / "nope" / "r.html"), db=db, check=False)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    swapped = cx(
        "report", "--out", str(tmp_path / "r.html"), "--from", "2025-03-05", "--to", "2025-03-01", db=db, check=False
    )
    assert swapped.returncode == 2 and "swap" in swapped.stderr


def test_a_report_written_by_the_command_line_names_commands_not_pages(tmp_path):
    """A terminal has no Data page: the report `python -m cx report` writes says to import with the command line where
    the app's report says "sur la page Données" (its KPI reasons and its empty sections alike)."""
    from cx.i18n import t
    from cx.models import Filters
    from cx.report import gather_report
    from cx.report.document import Text, build_document
    from cx.workspace import Workspace

    db = tmp_path / "empty.duckdb"
    Workspace(db).close()
    for lang, page, command in (("fr", "page Données", "(python -m cx import FICHIER)"), ("en", "Data page", "FILE")):
        out = tmp_path / f"r_{lang}.html"
        cx("report", "--out", str(out), "--lang", lang, db=db)
        html = out.read_text(encoding="utf-8")
        assert page not in html and html.count(command) >= 4  # KPI reasons, funnel, NPS, personas
        assert t("cli.report.empty.nps", lang).replace("'", "&#x27;") in html
    ws = Workspace(db)
    try:  # the app's report keeps pointing to its page
        texts = [b.text for b in build_document(gather_report(ws, Filters(), "fr")) if isinstance(b, Text)]
    finally:
        ws.close()
    assert t("report.empty.nps", "fr") in texts and not any("python -m cx" in text for text in texts)


def test_every_reason_the_command_line_prints_that_names_a_page_has_its_command_line_wording():
    """The reasons `kpis` and `report` print (journey.reason.*, report.*) that send the reader to a page of the app
    ("sur la page Données", "(plus bas)") have a `cli.` wording (cx.i18n.cli_text) in both languages, which names none."""
    import re

    from cx.i18n import catalogue

    page = re.compile(r"page (Données|Frictions|Parcours)|(Data|Frictions|Journey) page|\((plus bas|below)\)")
    for lang in ("fr", "en"):
        words = catalogue(lang)
        printed = [k for k in words if k.startswith(("journey.reason.", "report.empty.", "report.findings_top"))]
        naming = [k for k in printed if page.search(words[k])]
        assert len(naming) >= 7, naming  # no_events, no_orders, no_responses, no_tickets, no_stage_events, 4 empty…
        for key in naming:
            assert f"cli.{key}" in words, (lang, key)
            said = words[f"cli.{key}"].replace("dans l’application, page Parcours", "")  # rules: only in the app
            said = said.replace("in the app, on the Journey page", "")
            assert not page.search(said), (lang, key, said)


def test_the_apps_report_says_where_the_stage_rules_are_not_below(tmp_path):
    """Without stage rules no web event reaches a stage: the app's report gave the page's reason, "the stage rules
    (below)", with nothing below it; it names the page where they are edited."""
    from cx.i18n import t
    from cx.journey import save_stage_rules, stage_rules
    from cx.models import Filters
    from cx.report.document import Text, build_document
    from cx.report.gather import gather_report

    ws = make(tmp_path)
    try:
        save_stage_rules(ws, stage_rules(ws).iloc[:0])
        for lang, below, page in (("en", "(below)", "Journey page"), ("fr", "(plus bas)", "page Parcours")):
            texts = " ".join(b.text for b in build_document(gather_report(ws, Filters(), lang)) if isinstance(b, Text))
            assert t("report.journey.reason.no_stage_events", lang) in texts and page in texts
            assert below not in texts
    finally:
        ws.close()

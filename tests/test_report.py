"""The stakeholder report: its figures are the pages' own (journey KPIs, funnel, NPS, findings, personas), user
text is inert in HTML, CSV and XLSX (no markup, no formula), and the PDF opens with its pages, in FR and EN."""
import datetime as dt
import io

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from cx.commands.kpis import kpis_doc
from cx.export import neutralise, to_csv_bytes, to_xlsx_bytes
from cx.friction import find_friction, finding_title
from cx.funnel import find_funnel, propose_funnel
from cx.journey import find_stage_kpis
from cx.models import Filters
from cx.report import evidence_rows, gather_report, kpi_rows, render_html, render_pdf, write_report
from cx.satisfaction import breakdown, summarise
from cx.workspace import Workspace
from tests.test_cli_findings import _workspace
from tests.test_satisfaction import insert

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","clic")'


def make(tmp_path):
    """The mobile-payment incident of test_cli_findings (4 200 € at risk) plus five NPS answers whose free text
    is hostile: scores 10, 9, 9 (promoters), 8 (passive), 3 (detractor)."""
    db = _workspace(tmp_path)
    ws = Workspace(db)
    t0 = dt.datetime(2025, 3, 10, 9)
    insert(ws, "responses", [
        {"responded_at": t0 + dt.timedelta(hours=i), "nps": s, "touchpoint": tp, "comment": SCRIPT}
        for i, (s, tp) in enumerate([(10, SCRIPT), (9, SCRIPT), (9, FORMULA), (8, FORMULA), (3, FORMULA)])])
    return ws


@pytest.fixture(scope="module")
def ws(tmp_path_factory):
    ws = make(tmp_path_factory.mktemp("report"))
    yield ws
    ws.close()


@pytest.fixture(scope="module")
def report(ws):
    return gather_report(ws, Filters(), "en")


@pytest.fixture(scope="module")
def report_fr(ws):
    return gather_report(ws, Filters(), "fr")


def test_nps_is_the_voice_pages(ws, report):
    # (3 promoters − 1 detractor) / 5 answers × 100 = +40.0
    assert report.nps["overall"]["nps"] == 40.0 and report.nps["overall"]["n"] == 5
    assert report.nps["overall"]["nps"] == round(summarise(ws, Filters()).nps.nps, 2)
    groups = {g["group"]: (g["n"], g["nps"]) for g in report.nps["groups"]}
    page = breakdown(ws, Filters(), "touchpoint")
    assert groups == {r.group: (int(r.n), round(r.nps, 2)) for r in page.itertuples() if r.n > 0}
    # script: 10, 9 → +100; formula: 9, 8, 3 → (1 − 1) / 3 = 0
    assert groups == {SCRIPT: (2, 100.0), FORMULA: (3, 0.0)}


def test_kpis_funnel_and_findings_are_the_pages(ws, report):
    assert report.kpis == kpis_doc(ws, Filters(), "en")
    page = find_stage_kpis(ws, Filters())
    assert [(s["stage"], [k["value"] for k in s["kpis"]]) for s in report.kpis["stages"]] == [
        (s.stage, [k.value for k in s.kpis]) for s in page]
    steps = propose_funnel(ws, Filters())
    funnel = find_funnel(ws, Filters(), steps).steps
    assert [(s["step"], s["users"]) for s in report.funnel["steps"]] == list(zip(funnel["name"], funnel["users"]))
    # 400 sessions reach add_payment_info (40 days × 10 on each device)
    assert report.funnel["steps"][0] == {"step": "add_payment_info", "users": 800, "conversion": 1.0,
                                         "step_conversion": 1.0}
    first = find_friction(ws, Filters()).findings[0]
    [f] = report.findings
    assert f["title"] == finding_title(first, "en") and f["affected_users"] == 70
    assert f["revenue_at_risk"] == pytest.approx(4200.0)  # (0.8 − 0.2) × 70 × 100 €
    assert len(f["evidence"]) > 0
    assert report.maturity is None or "level" in report.maturity


def test_filters_reach_every_section(ws):
    # only 2025-03-01..03-05 and desktop: no incident (it is mobile, 03-16..22), no NPS answer (they are 03-10)
    narrow = gather_report(ws, Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 5), device="desktop"), "en")
    assert narrow.nps["overall"]["n"] == 0 and narrow.findings == []
    assert narrow.funnel["steps"][0]["users"] == 50  # 5 days × 10 desktop sessions


def test_html_is_self_contained_and_user_text_is_inert(report):
    html = render_html(report)
    assert "<script" not in html.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;clic&quot;)" in html  # shown as text, never a link
    for external in ("src=", "href=", "<link", "url(", "@import", "<iframe"):
        assert external not in html.lower(), external
    assert html.count("<svg") >= 2  # funnel bars + NPS split, drawn inline
    assert "+40.0 ± " in html and "€4,200" in html
    assert "Not available in this version" in html or report.maturity is not None


@pytest.mark.parametrize("lang, title, nps", [("en", "Customer experience report", "+40.0"),
                                              ("fr", "Rapport expérience client", "+40,0")])
def test_pdf_opens_with_pages_in_both_languages(report, report_fr, tmp_path, lang, title, nps):
    path = write_report(report if lang == "en" else report_fr, tmp_path / "r.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    text = " ".join(p.extract_text() for p in reader.pages)
    assert title in text and nps in text and "alert(1)" in text  # the verbatim text is there, as text


def test_kpi_rows_are_formatted_in_the_language(report_fr):
    fr = kpi_rows(report_fr)
    assert fr and all(len(r) == 4 for r in fr)
    assert any(v.endswith("\u202f%") for _, _, v, _ in fr)  # French percentages: "20,0 %" after a narrow no-break space


@pytest.mark.parametrize("value, expected", [
    ("=1+1", "'=1+1"), ("+33 6 12", "'+33 6 12"), ("-2", "'-2"), ("@SUM(A1)", "'@SUM(A1)"), ("\tx", "'\tx"),
    ("\rx", "'\rx"), ("a=b", "a=b"), ("", ""), (5, 5), (None, None), ("é=", "é=")])
def test_formula_neutralisation(value, expected):
    assert neutralise(value) == expected


def test_csv_and_xlsx_exports_hold_no_live_formula():
    frame = pd.DataFrame({"comment": [SCRIPT, FORMULA, "@cmd", "ok é"], "n": [1, 2, 3, 4],
                          FORMULA: ["-1+2", "+1", "x", "y"]})
    csv = to_csv_bytes(frame)
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    text = csv.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "ok é" in text and SCRIPT in text  # CSV is data, not markup
    assert "\n=" not in text and ",=" not in text and "\n@" not in text
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula cell from user data
    values = [c.value for c in cells]
    assert "'=HYPERLINK(\"http://evil.example\",\"clic\")" in values and "'@cmd" in values and "'-1+2" in values
    assert f"'{FORMULA}" in values  # the header too
    assert 2 in values  # numbers stay numbers


def test_evidence_excerpt_shows_the_flagged_rows_first():
    ev = pd.DataFrame({"day": range(20), "in_window": [i in (15, 16) for i in range(20)]})
    rows = evidence_rows(ev, 4)
    # the two flagged days plus the first two others, in their original order
    assert rows["day"].tolist() == [0, 1, 15, 16]
    assert evidence_rows(ev.drop(columns="in_window"), 3)["day"].tolist() == [0, 1, 2]


def test_svg_labels_are_escaped_and_cut_before_escaping():
    from cx.report import svg_bars
    svg = svg_bars([("&" * 50, 1.0, "<b>1</b>"), (SCRIPT, 0.5, "2")])
    assert svg.count("&amp;") == 37 and "&amp…" not in svg and "&am<" not in svg  # 37 characters then "…"
    assert "<b>" not in svg and "&lt;b&gt;1&lt;/b&gt;" in svg and "<script" not in svg

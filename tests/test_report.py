"""The stakeholder report: a summary first, its figures worked by hand on a small workspace, numbers and headers in
the reader's language, user text inert in HTML, CSV and XLSX (no markup, no formula), the PDF within its margins."""

import datetime as dt
import io
import re
import shutil
import subprocess
from dataclasses import replace
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from pypdf import PdfReader

from cx.export import neutralise, to_csv_bytes, to_xlsx_bytes
from cx.friction import Finding, finding_title
from cx.ingest import import_file
from cx.models import Filters
from cx.report import gather_report, render_html, render_pdf, write_report
from cx.report.document import Table, Text, build_document, evidence_table, table
from cx.report.pdf import FONT_DIR, _fonts, column_widths
from cx.workspace import Workspace
from tests.test_cli_findings import _workspace
from tests.test_funnel import load
from tests.test_satisfaction import insert

SCRIPT = "<script>alert(1)</script>"
FORMULA = '=HYPERLINK("http://evil.example","clic")'


def make(tmp_path):
    """The mobile-payment incident of test_cli_findings (4 200 € at risk) plus five NPS answers whose free text
    is hostile: scores 10, 9, 9 (promoters), 8 (passive), 3 (detractor)."""
    db = _workspace(tmp_path)
    ws = Workspace(db)
    t0 = dt.datetime(2025, 3, 10, 9)
    insert(
        ws,
        "responses",
        [
            {"responded_at": t0 + dt.timedelta(hours=i), "nps": s, "touchpoint": tp, "comment": SCRIPT}
            for i, (s, tp) in enumerate([(10, SCRIPT), (9, SCRIPT), (9, FORMULA), (8, FORMULA), (3, FORMULA)])
        ],
    )
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


def texts(report) -> list[str]:
    return [b.text for b in build_document(report) if isinstance(b, Text)]


def test_nps_worked_by_hand(report):
    o = report.satisfaction.nps
    # (3 promoters − 1 detractor) / 5 answers × 100 = +40.0
    assert (o.nps, o.n, o.promoters, o.passives, o.detractors) == (40.0, 5, 0.6, 0.2, 0.2)
    # script: 10, 9 → +100; formula: 9, 8, 3 → (1 − 1) / 3 = 0
    assert {r.group: (r.n, r.nps) for r in report.nps_groups.itertuples()} == {SCRIPT: (2, 100.0), FORMULA: (3, 0.0)}


def test_funnel_and_costliest_problem_worked_by_hand(report_fr):
    # 400 sessions on each device reach add_payment_info (40 days × 10)
    first = report_fr.funnel.steps.iloc[0]
    assert (first["name"], first["users"]) == ("add_payment_info", 800)
    [f] = report_fr.findings
    assert f.code == "FUNNEL_INCIDENT" and f.affected_users == 70
    assert f.revenue_at_risk == pytest.approx(4200.0)  # (0.8 − 0.2) × 70 × 100 €
    [problem] = [
        b.text
        for b in build_document(report_fr)
        if isinstance(b, Text) and b.style == "item" and "chiffre d’affaires en jeu" in b.text
    ]
    assert problem.startswith("Sur mobile") and problem.endswith("4\u202f200\u202f€")


def test_summary_says_what_goes_well_and_the_maturity_by_hand(report_fr):
    # level 1 needs the share of visits beyond one page: no page_view event here, so no level is reached; the
    # criteria met from the data: NPS +40 ≥ 30 and 3 promoters / 5 = 60 % ≥ 60
    assert report_fr.placement.level == 0 and [c.key for c in report_fr.placement.missing] == ["no_bounce"]
    said = texts(report_fr)
    assert (
        said.index("Ce qui va bien")
        < said.index("Les trois problèmes les plus coûteux")
        < said.index("Maturité de l’expérience client")
    )
    assert "NPS (points) : 40,0 mesuré (seuil ≥ 30,0)" in said
    assert "Promoteurs (%) : 60,0 mesuré (seuil ≥ 60,0)" in said
    assert "Niveau 0 : aucun niveau atteint" in said
    # events are loaded but hold no page view: what they lack is named, not "load web events"
    assert any(s.startswith("Visites qui vont au-delà d’une page (%) : non disponible sur cette période") for s in said)


def test_filters_reach_every_section(ws):
    # only 2025-03-01..03-05 and desktop: no incident (it is mobile, 03-16..22), no NPS answer (they are 03-10)
    narrow = gather_report(ws, Filters(dt.date(2025, 3, 1), dt.date(2025, 3, 5), device="desktop"), "en")
    assert narrow.satisfaction.nps.n == 0 and narrow.findings == ()
    assert narrow.funnel.steps["users"].iloc[0] == 50  # 5 days × 10 desktop sessions
    assert "No NPS answer: load survey answers with an NPS column on the Data page." in texts(narrow)


def test_html_is_self_contained_and_user_text_is_inert(report):
    html = render_html(report)
    assert "<script" not in html.lower() and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "=HYPERLINK(&quot;http://evil.example&quot;,&quot;clic&quot;)" in html  # shown as text, never a link
    for external in ("src=", "href=", "<link", "@import", "<iframe", "<foreignobject"):
        assert external not in html.lower(), external
    assert not re.search(r"url\((?!#)", html)  # only the charts' own clip paths
    assert html.count("<svg") == 5  # journey reach, funnel, NPS split, the incident's days, maturity pyramid
    assert "+40.0 ± " in html and "€4,200" in html
    detractors = html.index(">Detractors (0–6)<")  # the NPS legend: detractors red, never green
    assert html.rfind('fill="#c62828"', 0, detractors) > html.rfind('fill="#2e7d32"', 0, detractors)


def pdf_words(path):
    """Each word of the PDF with its box, from poppler's pdftotext -bbox: (page, word, x_min, x_max, y_max)."""
    out = subprocess.run(["pdftotext", "-bbox", str(path), "-"], capture_output=True, text=True, check=True).stdout
    pages = re.findall(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', out, re.DOTALL)
    return [
        (i, float(w), float(h), html_word, float(x0), float(x1), float(y1))
        for i, (w, h, body) in enumerate(pages)
        for x0, y0, x1, y1, html_word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', body
        )
    ]


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils (pdftotext) is not installed")
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_pdf_text_stays_within_the_margins(report, report_fr, tmp_path, lang):
    path = write_report(report_fr if lang == "fr" else report, tmp_path / "r.pdf")
    words = pdf_words(path)
    assert len({w[0] for w in words}) >= 2
    margin = 10 / 25.4 * 72 - 1  # fpdf2's 10 mm margins, in points, less a point of rounding
    outside = [w[3] for w in words if w[4] < margin or w[5] > w[1] - margin or w[6] > w[2] - margin]
    assert outside == []


@pytest.mark.parametrize(
    "lang, first, kpis, nps, pct, headers",
    [
        (
            "en",
            "At a glance",
            "Headline KPIs per journey stage",
            "+40.0",
            "20.0%",
            ("Day", "Sessions", "Converted", "Rate"),
        ),
        (
            "fr",
            "En bref",
            "Indicateurs clés par étape du parcours",
            "+40,0",
            "20,0 %",
            ("Jour", "Visites", "Converties", "Taux"),
        ),
    ],
)
def test_pdf_reads_summary_first_in_the_language(report, report_fr, tmp_path, lang, first, kpis, nps, pct, headers):
    path = write_report(report if lang == "en" else report_fr, tmp_path / "r.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(data)).pages).replace("\u202f", " ")
    assert text.index(first) < text.index(kpis)
    assert nps in text and pct in text and "alert(1)" in text  # the verbatim text is there, as text
    assert all(h in text for h in headers)
    for raw in ("in_window", "add_payment_info,", "True", "False", "nan"):
        assert raw not in text, raw
    assert not re.search(r"\d\.\d{3,}", text)  # no raw 0.6429


def test_empty_columns_are_dropped_and_numbers_aligned():
    t = table(["Stage", "Value", "Previous"], [("a", "1", "—"), ("b", "2", "")], numeric=(1, 2))
    assert t == Table(("Stage", "Value"), (("a", "1"), ("b", "2")), frozenset({1}), frozenset())


def test_column_widths_fill_the_page_without_cutting_a_word():
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    block = Table(("Persona", "Customers"), (("Élodie, Prospect autonome " * 6, "858"),), frozenset({1}))
    widths = column_widths(pdf, block, "Helvetica", 8.5)
    assert sum(widths) == pytest.approx(pdf.epw)
    pdf.set_font("Helvetica", "B", 8.5)
    assert widths[1] >= pdf.get_string_width("Customers") + 3  # the header's one word on one line


@pytest.mark.parametrize(
    "value, expected",
    [
        ("=1+1", "'=1+1"),
        ("+33 6 12", "'+33 6 12"),
        ("-2", "'-2"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("a=b", "a=b"),
        ("", ""),
        (5, 5),
        (None, None),
        ("é=", "é="),
    ],
)
def test_formula_neutralisation(value, expected):
    assert neutralise(value) == expected


def test_csv_and_xlsx_exports_hold_no_live_formula():
    frame = pd.DataFrame(
        {"comment": [SCRIPT, FORMULA, "@cmd", "ok é"], "n": [1, 2, 3, 4], FORMULA: ["-1+2", "+1", "x", "y"]}
    )
    csv = to_csv_bytes(frame)
    assert csv.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM: Excel reads the accents right
    text = csv.decode("utf-8-sig")
    assert "'=HYPERLINK" in text and "ok é" in text and SCRIPT in text  # CSV is data, not markup
    assert "\n=" not in text and ",=" not in text and "\n@" not in text
    book = openpyxl.load_workbook(io.BytesIO(to_xlsx_bytes(frame)))
    cells = [c for row in book.active.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]  # no formula cell from user data
    values = [c.value for c in cells]
    assert '\'=HYPERLINK("http://evil.example","clic")' in values and "'@cmd" in values and "'-1+2" in values
    assert f"'{FORMULA}" in values  # the header too
    assert 2 in values  # numbers stay numbers


def test_evidence_excerpt_shows_the_flagged_rows_first_translated():
    ev = pd.DataFrame(
        {
            "day": [dt.date(2025, 3, d) for d in range(1, 21)],
            "sessions": range(20),
            "rate": [0.5] * 20,
            "in_window": [i in (15, 16) for i in range(20)],
        }
    )
    t = evidence_table(ev, "fr", 4)
    # the two flagged days plus the first two others, in their original order; the flagged ones in bold
    assert t.headers == ("Jour", "Visites", "Taux")
    assert [r[0] for r in t.rows] == ["01/03/2025", "02/03/2025", "16/03/2025", "17/03/2025"]
    assert t.rows[2][1:] == ("15", "50,0\u202f%") and t.bold == frozenset({2, 3}) and t.numeric == frozenset({1, 2})
    assert [r[0] for r in evidence_table(ev.drop(columns="in_window"), "en", 3).rows] == [
        "2025-03-01",
        "2025-03-02",
        "2025-03-03",
    ]


def test_theme_groups_are_named_in_the_language():
    ev = pd.DataFrame({"group": ["delivery", "late", "Lyon"], "nps": [-43.5, 10.0, 0.0]})
    assert [r[0] for r in evidence_table(ev, "fr").rows] == ["Livraison", "En retard", "Lyon"]
    assert [r[1] for r in evidence_table(ev, "fr").rows] == [
        "-43,5",
        "+10,0",
        "0,0",
    ]  # signed as on the Voice page (no sign on zero)
    ev = pd.DataFrame({"channel_group": ["email", "chat"], "tickets": [408, 380], "median_minutes": [3825.0, 1.5]})
    t = evidence_table(ev, "fr")
    assert t.headers == ("Canal", "Tickets", "Délai médian (min)")
    assert t.rows == (("E-mail", "408", "3\u202f825,0"), ("Chat", "380", "1,5"))  # one number of decimals a column


def test_theme_of_a_finding_is_named_in_the_language():
    f = Finding(
        code="DETRACTOR_THEME",
        key="k",
        params={"theme": "delivery", "observed": 0.386, "expected": 0.072, "nps": -43.5, "nps_without": 28.3},
        stage=None,
        step=None,
        segment=None,
        window_start=None,
        window_end=None,
        severity="high",
        observed=0.386,
        expected=0.072,
        unit="rate",
        p_value=0.001,
        z=None,
        tests=1,
        affected_users=133,
        revenue_at_risk=None,
        inputs={},
    )
    assert finding_title(f, "fr").startswith(
        "Les détracteurs parlent de « Livraison » : 38,6\u202f% de leurs commentaires"
    )
    assert finding_title(f, "en").startswith("Detractors talk about “Delivery”")


def test_kpis_the_data_cannot_give_are_named_once_per_reason(report_fr):
    # no orders in this workspace: the average order and the three retention rates read from orders
    blocks = build_document(report_fr)
    assert (
        "Panier moyen, Taux de réachat, Taux de retour, Taux de réclamation — Aucune commande chargée : ajoutez "
        "l’export des commandes sur la page Données."
    ) in [b.text for b in blocks if isinstance(b, Text)]
    [kpis] = [b for b in blocks if isinstance(b, Table) and b.headers[:2] == ("Étape", "Indicateur")]
    assert "Panier moyen" not in [r[1] for r in kpis.rows]
    # 800 sessions (40 days × 10 on each device); the whole data: no event before it, so which visitors are new
    # is not known (not 100 %), and no awareness event: that stage has no reach; 3 promoters − 1 detractor of 5
    assert ("Sensibilisation", "Visites", "800") in kpis.rows
    assert "Part de nouveaux visiteurs" not in [r[1] for r in kpis.rows]
    assert ("Recommandation", "NPS", "+40,0") in kpis.rows  # the advocacy stage reaches no visitor: NPS comes first
    assert kpis.headers == ("Étape", "Indicateur", "Valeur")  # no previous period


def test_an_empty_workspace_gives_a_report_that_says_what_to_load(tmp_path):
    ws = Workspace(tmp_path / "empty.duckdb")
    try:
        report = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    said = texts(report)
    assert "Niveau 0 : aucun niveau atteint" in said
    assert "Aucune réponse NPS : chargez des réponses d’enquête avec une colonne NPS sur la page Données." in said
    assert any(t.startswith("Aucun tunnel d’achat reconnu : chargez des événements web") for t in said)
    assert render_pdf(report).startswith(b"%PDF-") and "<h2>En bref</h2>" in render_html(report)


def test_a_matomo_log_has_its_funnel_and_unknown_steps_say_where_to_choose_them(tmp_path):
    """Tester 6's report said "no purchase funnel recognised: load web events" over a Matomo log with orders and a
    cart page. Its 6 visits (tests/test_funnel.py works them out): /panier 4 → ecommerceOrder 2. Events whose
    names are no known step say to choose the steps (on the Funnel page; with the command in the CLI's report)."""
    ws = Workspace(tmp_path / "matomo.duckdb")
    try:
        import_file(ws, Path(__file__).parent / "data" / "tester6" / "matomo_visites.csv")
        report = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    ws = load(Workspace(tmp_path / "own_names.duckdb"), [("a", 0, "etape_panier"), ("a", 1, "etape_commande")])
    try:
        unknown = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    assert report.funnel.steps[["name", "users"]].values.tolist() == [["/panier", 4], ["ecommerceOrder", 2]]
    assert not [t for t in texts(report) if "tunnel" in t]
    assert unknown.funnel is None
    choose = "choisissez les étapes de votre tunnel sur la page Entonnoir."
    assert next(t for t in texts(unknown) if "tunnel" in t).endswith(choose)
    cli = next(t for t in texts(replace(unknown, command_line=True)) if "tunnel" in t)
    assert "python -m cx funnel --steps" in cli


def test_answers_without_a_touchpoint_give_no_lone_not_known_row_but_what_to_map(tmp_path):
    """Tester 6's report: "NPS par point de contact de l'enquête" over one row, "Non renseigné +16,6 ± 12,0 169" (a
    Typeform survey has no touchpoint column). Said instead: which column to map, in the app's words and the CLI's."""
    ws = Workspace(tmp_path / "w.duckdb")
    insert(
        ws, "responses", [{"responded_at": dt.datetime(2025, 3, 10 + i), "nps": s} for i, s in enumerate([9, 10, 3])]
    )
    try:
        report = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    said = texts(report)
    assert not [t for t in said if t.startswith("NPS par")]
    assert (
        "Aucune réponse ne donne de valeur de « Point de contact » : pas de comparaison à montrer. Sur la page "
        "Données, associez à « Point de contact » la colonne de votre export d’enquête qui le donne, puis "
        "chargez-le à nouveau." in said
    )
    assert not [b for b in build_document(report) if isinstance(b, Table) and "Non renseigné" in str(b.rows)]
    cli = texts(replace(report, command_line=True))
    assert any(t.endswith("(python -m cx import FICHIER --mapping MAPPING.json).") for t in cli)


def test_scope_line_names_the_persona_filter(report_fr):
    from dataclasses import replace
    from types import SimpleNamespace

    from cx.report.document import filters_line

    personas = SimpleNamespace(personas=[SimpleNamespace(persona_id=2, name="Léa, l'exploratrice")])
    line = filters_line(replace(report_fr, filters=Filters(device="mobile", persona=2), personas=personas))
    assert line.endswith(" · Appareil : Mobile · Persona : Léa, l'exploratrice")
    assert filters_line(replace(report_fr, filters=Filters(persona=9), personas=personas)).endswith("Persona : #9")
    assert "Persona" not in filters_line(report_fr)


def _finding(code, params, segment=None):
    return Finding(
        code=code,
        key="k",
        params=params,
        stage=None,
        step=None,
        segment=segment,
        window_start=None,
        window_end=None,
        severity="high",
        observed=params.get("observed"),
        expected=params.get("expected"),
        unit="minutes" if code == "SLOW_SUPPORT" else "rate",
        p_value=0.001,
        z=None,
        tests=1,
        affected_users=10,
        revenue_at_risk=None,
        inputs={},
    )


def test_segments_and_support_channels_of_a_finding_are_named_not_shown_raw():
    from cx.friction import segment_label

    assert segment_label("device=mobile", "fr") == "Appareil : Mobile"
    assert segment_label("device=desktop", "fr") == "Appareil : Ordinateur"
    assert segment_label("device=tablet", "en") == "Device: Tablet"
    assert segment_label("channel=google / cpc", "fr") == "Canal : google / cpc"  # a source/medium: as stored
    assert segment_label(None, "fr") == ""
    on_desktop = _finding(
        "ERROR_EVENTS",
        {"name": "e", "page": "/p", "per_day_in": 5.0, "per_day_out": 1.0, "start": "2025-03-01", "end": "2025-03-02"},
        "device=desktop",
    )
    assert finding_title(on_desktop, "fr").startswith("Sur ordinateur :")
    gap = _finding(
        "SEGMENT_GAP",
        {"step_from": "a", "step_to": "b", "segment": "device=mobile", "observed": 0.1, "expected": 0.2},
        segment="device=mobile",
    )
    assert finding_title(gap, "fr").startswith("Appareil : Mobile convertit")
    assert "device" not in finding_title(gap, "en") and finding_title(gap, "en").startswith("Device: Mobile")
    slow = _finding("SLOW_SUPPORT", {"channel": "email", "observed": 600.0, "expected": 60.0})
    assert finding_title(slow, "fr").startswith("Le canal E-mail répond bien trop lentement")
    assert finding_title(slow, "en").startswith("The E-mail channel answers")


def test_a_findings_step_names_a_support_channel_as_the_support_page_does():
    from cx.report.document import step_label

    assert step_label("email", "fr") == "E-mail"  # SLOW_SUPPORT's step: a support channel
    assert step_label("phone", "en") == "Phone"
    assert step_label("add_payment_info → purchase", "fr") == "add_payment_info → purchase"  # events: as stored


def test_a_kpi_missing_in_every_stage_is_named_once_with_its_stages(tmp_path):
    # orders only: "Visitors at the stage" is missing in the five stages for one reason (no web events): named
    # once, with the five stages, never five times in a row
    ws = Workspace(tmp_path / "orders.duckdb")
    try:
        insert(ws, "orders", [{"customer_id": "C1", "order_time": dt.datetime(2025, 3, 1), "amount": 20.0}])
        report = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    [web] = [
        s
        for s in texts(report)
        if s.endswith("Aucun événement web chargé : ajoutez un export GA4, Matomo… sur la page Données.")
    ]
    assert web.startswith(
        "Visiteurs à l’étape (Sensibilisation, Évaluation, Achat, Retour, Recommandation), Visites, Visiteurs uniques, "
    )
    assert web.count("Visiteurs à l’étape") == 1


@pytest.mark.skipif(not (FONT_DIR / "DejaVuSans.ttf").exists(), reason="Debian's fonts-dejavu-core draws the PDF")
def test_pdf_leaves_out_what_its_font_cannot_draw(recwarn):
    """A persona renamed 'Fidèles « petits paniers » 🕯️' (tester5): the PDF keeps every accent and guillemet and
    leaves the emoji out, with no "missing glyphs" warning (the HTML report keeps it)."""
    from fpdf import FPDF

    pdf = FPDF()
    family, clean = _fonts(pdf)
    kept = clean("Fidèles « petits paniers » 🕯️ — 1 234,5 €\nœuvre").replace("\ufe0f", "")  # a selector draws nothing
    assert kept == "Fidèles « petits paniers »  — 1 234,5 €\nœuvre"
    pdf.add_page()
    pdf.set_font(family, "", 10)
    pdf.multi_cell(0, 5, clean("Fidèles 🕯️"))
    pdf.output()
    assert not [w for w in recwarn if "glyph" in str(w.message).lower()]


def test_the_workshop_notes_are_in_the_report_escaped(tmp_path):
    """The Journey page's workshop notes follow the KPIs (tester 7: a consultant's notes were not in the report);
    a stage without a note is not listed, and a note's markup stays text."""
    from cx.journey import save_journey_note

    ws = make(tmp_path)
    try:
        save_journey_note(ws, "purchase", f"Paiement mobile à revoir {SCRIPT}")
        save_journey_note(ws, "retention", "   ")
        report = gather_report(ws, Filters(), "fr")
    finally:
        ws.close()
    said = texts(report)
    assert said[said.index("Notes d’atelier") + 1] == f"Achat : Paiement mobile à revoir {SCRIPT}"
    assert not any(t.startswith("Retour : ") for t in said)
    html = render_html(report)
    assert "Paiement mobile à revoir &lt;script&gt;" in html and SCRIPT not in html
    assert render_pdf(report).startswith(b"%PDF-")

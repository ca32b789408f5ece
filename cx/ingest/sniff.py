"""Look at a file's bytes: its type (never its name), its text encoding, its CSV dialect.

Encoding rules, in order: a byte-order mark decides (UTF-8, UTF-16); UTF-16 without a mark is seen from its
NUL bytes; a file that is valid UTF-8 from end to end is UTF-8; a file with invalid UTF-8 bytes but at least
as many real UTF-8 multi-byte characters elsewhere is UTF-8 with damaged lines (those lines are rejected,
not guessed); otherwise it is Windows-1252, the encoding of French Excel exports (never Latin-1, which
garbles € œ ’).
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import zipfile
from pathlib import Path

from ..errors import FileRefused

CHUNK = 16 * 1024 * 1024
_ESCAPED = re.compile("[\udc80-\udcff]")  # the bytes `surrogateescape` could not decode
# Python's csv module refuses fields over 128 KB; a long verbatim or a JSON payload is longer, and the
# rows DuckDB rejects as over its 8 MB line limit are still replayed for line numbers (readers.csv_lines_of)
csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))
DELIMITERS = (",", ";", "\t", "|")
# An XLSX whose parts inflate beyond these is refused before openpyxl sees it (zip bomb).
MAX_XLSX_UNCOMPRESSED = 1024 * 1024 * 1024
MAX_XLSX_RATIO = 200


def detect_file_type(path: Path, name: str) -> str:
    """Return csv, xlsx, parquet or json from the first bytes; raise FileRefused for anything else."""
    with open(path, "rb") as f:
        head = f.read(8192)
    if not head.strip(b" \t\r\n\x00\xef\xbb\xbf\xff\xfe"):
        raise FileRefused("the file is empty", file=name, fix="export it again with its data", key="refused.empty")
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(path, name)
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise FileRefused(
            "this is an encrypted (password-protected) Excel file or an old .xls workbook",
            file=name,
            fix="remove the password, or save it as .xlsx or CSV in Excel",
            key="refused.encrypted",
        )
    if head.startswith(b"PAR1"):
        return "parquet"
    if head.startswith((b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"\x1f\x8b", b"7z\xbc\xaf", b"Rar!")):
        raise FileRefused(
            "this is not a data export (it looks like a PDF, image or archive)",
            file=name,
            fix="upload the CSV, XLSX, Parquet or JSON file your tool exports",
            key="refused.not_data",
        )
    text = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if text[:1] in (b"{", b"["):
        return "json"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _looks_utf16(head):
        return "csv"
    if b"\x00" in head:
        raise FileRefused(
            "this file is binary, not text",
            file=name,
            fix="upload the CSV, XLSX, Parquet or JSON file your tool exports",
            key="refused.binary",
        )
    return "csv"


def _zip_kind(path: Path, name: str) -> str:
    try:
        with zipfile.ZipFile(path) as z:
            infos = z.infolist()
    except zipfile.BadZipFile:
        raise FileRefused(
            "the file looks like an XLSX workbook but is damaged",
            file=name,
            fix="open it in Excel and save it again",
            key="refused.xlsx_damaged",
        ) from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names:
        raise FileRefused(
            "this is a zip archive, not an Excel workbook",
            file=name,
            fix="unzip it and upload the CSV or XLSX inside",
            key="refused.zip",
        )
    total = sum(i.file_size for i in infos)
    packed = max(1, sum(i.compress_size for i in infos))
    if total > MAX_XLSX_UNCOMPRESSED or total / packed > MAX_XLSX_RATIO:
        raise FileRefused(
            f"the workbook inflates to {total / 1e6:,.0f} MB from {packed / 1e6:,.1f} MB, which looks like a zip bomb",
            file=name,
            fix="export the data as CSV instead",
            key="refused.zip_bomb",
            values={"inflated": round(total / 1e6), "packed": round(packed / 1e3)},
        )
    return "xlsx"


def _looks_utf16(head: bytes) -> bool:
    sample = head[:2000]
    return len(sample) >= 4 and (sample[1::2].count(0) > len(sample) // 4 or sample[0::2].count(0) > len(sample) // 4)


def detect_encoding(path: Path, name: str) -> str:
    """Return 'utf-8', 'utf-8-sig', 'utf-16' or 'cp1252' after reading the whole file once."""
    with open(path, "rb") as f:
        head = f.read(4)
        if head.startswith(codecs.BOM_UTF8):
            bom = "utf-8-sig"
        elif head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return "utf-16"
        else:
            bom = None
        f.seek(0)
        if bom is None and _looks_utf16(f.read(2000)):
            return "utf-16-le" if _even_nuls(path) else "utf-16-be"
        f.seek(0)
        decoder = codecs.getincrementaldecoder("utf-8")("strict")
        # Counted, not just seen: a Windows-1252 file can hold a valid UTF-8 pair by chance (É + NBSP is
        # C9 A0, as in "LIVRÉ :"), so one pair must not outvote its hundreds of invalid é.
        invalid = multibyte = 0  # bytes that are not UTF-8; continuation bytes of valid UTF-8 characters
        while chunk := f.read(CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError:
                decoder = codecs.getincrementaldecoder("utf-8")("strict")
                text = chunk.decode("utf-8", "surrogateescape")
                invalid += len(_ESCAPED.findall(text))
            multibyte += len(chunk) - len(text)
        if bom or not invalid or multibyte >= invalid:
            return bom or "utf-8"
        return "cp1252"


def _even_nuls(path: Path) -> bool:
    with open(path, "rb") as f:
        sample = f.read(2000)
    return sample[1::2].count(0) >= sample[0::2].count(0)


def transcode_to_utf8(src: Path, dst: Path, encoding: str, name: str) -> None:
    """Stream `src` into UTF-8 `dst`; bytes undefined in Windows-1252 are refused with their line."""
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    line = 1
    with open(src, "rb") as fin, open(dst, "w", encoding="utf-8", newline="") as fout:
        while chunk := fin.read(CHUNK):
            try:
                text = decoder.decode(chunk)
            except UnicodeDecodeError as e:
                bad_line = line + chunk[: e.start].count(b"\n")
                raise FileRefused(
                    f"byte 0x{chunk[e.start]:02X} is not valid {encoding}",
                    file=name,
                    line=bad_line,
                    fix="save the file again as 'CSV UTF-8' and re-upload it",
                    key="refused.bad_byte",
                    values={"byte": f"0x{chunk[e.start]:02X}", "encoding": encoding, "line": bad_line},
                ) from None
            line += chunk.count(b"\n")
            fout.write(text.lstrip("\ufeff") if fout.tell() == 0 else text)
        fout.write(decoder.decode(b"", final=True))


def read_text_head(path: Path, encoding: str, size: int = 256 * 1024) -> str:
    with open(path, "rb") as f:
        raw = f.read(size)
    return raw.decode(encoding if encoding != "utf-8" else "utf-8-sig", "replace").lstrip("\ufeff")


def excel_separator(lines: list[str]) -> str | None:
    """The delimiter named by Excel's `sep=;` first line (written so Excel opens the file right anywhere)."""
    m = re.fullmatch(r'"?sep=(.)"?[,;\t|]*', lines[0].strip(" \ufeff"), re.IGNORECASE) if lines else None
    return m.group(1) if m else None


def split_lines(text: str) -> list[str]:
    """The file's lines as a CSV reader counts them: ended by \\r\\n, \\n or a lone \\r (not by the other
    characters `str.splitlines` also breaks on, such as U+2028 inside a value)."""
    return re.split(r"\r\n|\r|\n", text.removesuffix("\r\n").removesuffix("\n").removesuffix("\r"))


def count_preamble(lines: list[str]) -> int:
    """Lines before the header: Excel's `sep=` hint, comments (`#`, as in GA4's CSV exports), blank lines
    and title lines (`title_lines`)."""
    return _header_position(lines)[0]


MAX_TITLE_LINES = 3


def title_lines(lines: list[str]) -> list[int]:
    """The 1-based numbers of the title lines above the header ("Export des tickets — 02/12/2025", a report
    name, a date line). The header is the first of the next lines (blank and comment lines aside) that starts a
    consistent table of two columns or more and fills its columns; each line above it is a title when it
    fills at most one of them (or a third, when it has fewer fields than the table is wide)."""
    return _header_position(lines)[1]


def _header_position(lines: list[str]) -> tuple[int, list[int]]:
    first = _comments(lines, 1 if excel_separator(lines) else 0)
    candidates, n = [], first
    for _ in range(MAX_TITLE_LINES + 1):
        if n >= len(lines):
            break
        candidates.append(n)
        n = _comments(lines, n + 1)
    for at, p in enumerate(candidates):
        shapes = _shapes(lines[p : p + 60])
        delimiter, width, share = _best_shape(shapes)
        if width < 2 or share < 0.8 or _few_filled(lines[p], delimiter, width):
            continue
        if at and all(_is_title(lines[q], shapes, delimiter) for q in candidates[:at]):
            return p, [q + 1 for q in candidates[:at]]
        break
    return first, []


def _filled(line: str, delimiter: str) -> tuple[int, int]:
    """(fields, filled fields) of one line split by `delimiter`."""
    fields = next(csv.reader([line], delimiter=delimiter), [])
    return len(fields), sum(bool(f.strip()) for f in fields)


def _few_filled(line: str, delimiter: str, width: int) -> bool:
    fields, filled = _filled(line, delimiter)
    return filled <= 1 or (fields < width and 3 * filled <= width)


# A line that another delimiter splits into the width of most rows below it is their header, however ragged
# (rows short or long by a cell) they are.
HEADER_SHARE = 0.5


def _is_title(line: str, shapes: dict[str, tuple[int, float]], delimiter: str) -> bool:
    """A line above the table whose `shapes` are given, read by `delimiter`, is a title when it fills few of its
    columns, and is not the header of the rows below read by another delimiter: split by it, it fills as many
    cells as the table is wide, and those rows mostly have that many fields (a ';' header whose rows write
    decimals "0,00" is no title above a two-column table split by ','; "Clients, boutique de Lyon, export du
    07/12/2026" is a title above ';' rows that no comma splits in three)."""
    width = shapes[delimiter][0]
    if not _few_filled(line, delimiter, width):
        return False
    for d, (rows_width, share) in shapes.items():
        fields, filled = _filled(line, d)
        if d != delimiter and filled >= width and fields == rows_width and share >= HEADER_SHARE:
            return False
    return True


def _comments(lines: list[str], n: int) -> int:
    """The index of the first line from `n` on that is neither blank nor a comment."""
    for line in lines[n:]:
        # a comment line, but not a header whose first column is "#" (Typeform: `#,Question…`)
        if line.strip() == "" or (line.lstrip().startswith("#") and line.lstrip()[1:2] not in DELIMITERS):
            n += 1
        else:
            break
    return n


def _shapes(lines: list[str]) -> dict[str, tuple[int, float]]:
    """Per delimiter: (width of the first record, share of the records of that width)."""
    body = "\n".join(lines)
    shapes = {}
    for delim in DELIMITERS:
        rows = [r for r in csv.reader(io.StringIO(body), delimiter=delim) if r][:50]
        if len(rows) > 1:
            rows = rows[:-1]  # the last row of the sample may be cut mid-way
        if rows:
            shapes[delim] = (len(rows[0]), sum(len(r) == len(rows[0]) for r in rows) / len(rows))
    return shapes


def _best_shape(shapes: dict[str, tuple[int, float]]) -> tuple[str, int, float]:
    """(delimiter, width, share) of the most consistent table of two columns or more, the widest on a tie
    (the first delimiter of DELIMITERS on a full tie); (",", 0, 0.0) when no delimiter makes two columns."""
    best, best_score = ",", (-1.0, 0)
    for delim, (width, share) in shapes.items():
        if width >= 2 and (share, width) > best_score:
            best, best_score = delim, (share, width)
    return best, max(best_score[1], 0), max(best_score[0], 0.0)


def detect_delimiter(text: str) -> str:
    """The candidate whose field count is the same on the header and the most following rows."""
    lines = split_lines(text)
    if excel_separator(lines):
        return excel_separator(lines)
    return _best_shape(_shapes(lines[count_preamble(lines) :][:60]))[0]


def wrapped_in_one_column(path: Path) -> bool:
    """A comma CSV opened in a semicolon-locale Excel and saved again: every line became one cell (quoted
    when it held a quote) followed by an empty second cell, so each line ends with `;`. True when every
    record of the first lines is like that and the first cell of the header is itself a comma-separated row."""
    text = read_text_head(path, "utf-8", 256 * 1024)
    records = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))[:-1]  # the last may be cut
    records = [r for r in records if r]
    if len(records) < 2 or any(r[-1] != "" or len(r) < 2 for r in records):
        return False
    header = ";".join(records[0][:-1])
    if header.count(",") < 2:
        return False
    # the lines unwrapped are the comma CSV's own lines (a cell with line breaks had been cut into several
    # one-cell rows, which join back): read as CSV they give rows of the header's width
    unwrapped = "\n".join(";".join(r[:-1]) for r in records)
    rows = list(csv.reader(io.StringIO(unwrapped, newline="")))
    width = len(rows[0])
    return len(rows) > 1 and sum(1 for r in rows[1:] if len(r) == width) >= 0.8 * (len(rows) - 1)


def unwrap_one_column(src: Path, dst: Path) -> int:
    """Write the comma CSV held in the single column of `src` (see `wrapped_in_one_column`) to `dst`:
    each record's cells joined back with `;` minus the empty last one. Line breaks inside cells are kept,
    so every record stays on the lines it had. Returns the number of records."""
    n = 0
    with open(src, encoding="utf-8", newline="") as f, open(dst, "w", encoding="utf-8", newline="") as out:
        for record in csv.reader(f, delimiter=";"):
            if record and record[-1] == "":
                record = record[:-1]
            out.write(";".join(record) + "\n")
            n += 1
    return n

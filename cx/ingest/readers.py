"""Read a file into a temporary staging table of text columns `c0…cN`, in file order.

Every reader returns a `Staged`: the source headers, the rows it could parse (in the temp table `stg` of
the cursor it was given) and the rows it could not (structural rejects: ragged rows, broken quotes, invalid
bytes). Types are decided later, by `convert`, so that a bad value rejects one row, never the file.
"""

from __future__ import annotations

import atexit
import csv
import datetime as dt
import io
import itertools
import math
import os
import re
import shutil
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from ..errors import FileRefused
from ..models import Note, Reject
from . import convert, sniff, vendors

MAX_COLUMNS = 2000
MAX_LINE_BYTES = 8 * 1024 * 1024
# DuckDB reads a CSV in buffers of 16 × max_line_size by default (128 MB here): a `limit 5000` (the profile)
# or `limit 50000` (convert's sample) then parses most of a big file; two lines' worth is enough
BUFFER_BYTES = 2 * MAX_LINE_BYTES
# what DuckDB's trim() removes: the Unicode space separators (Zs), not tabs or newlines
SPACES = " \u00a0\u1680" + "".join(chr(c) for c in range(0x2000, 0x200B)) + "\u202f\u205f\u3000"
CSV_REASONS = {
    "MISSING COLUMNS": "the row has fewer fields than the header",
    "TOO MANY COLUMNS": "the row has more fields than the header",
    "UNQUOTED VALUE": "a quote is opened and never closed: everything up to the end of the file was read "
    "as one value; close the quote or remove it",
    "INVALID ENCODING": "the row contains bytes that are not valid text in this file's encoding",
    "LINE SIZE OVER MAXIMUM": "the line is longer than 8 MB",
    "INVALID STATE": "the row cannot be parsed as CSV",
    "CAST ERROR": "the row cannot be parsed as CSV",
}


@dataclass
class Staged:
    headers: list[str]
    rows: int
    rejects: list[Reject] = field(default_factory=list)
    rejected_rows: int = 0
    # first file line (1-based) of each staged row is computed on demand: see `lines_of`
    csv_path: Path | None = None
    encoding: str | None = None
    delimiter: str | None = None
    skip: int = 0  # CSV: physical lines before the (last) header line
    first_line: int = 2  # xlsx / parquet / json: line of row 0
    file_headers: list | None = None  # the headers as in the file, when a reshape changed them
    reshaped: bool = False  # rows regrouped after reading (line items rolled up, actions unpivoted): their
    # source rows are in `stg_origin.src_row`
    # what was reshaped on the way in (vendor shapes: GA4 export flattened, Matomo actions unnested, survey
    # header rows merged), short English sentences for the import report
    notes: list[str] = field(default_factory=list)
    # rows set aside as repeats (`duplicates.set_aside`): (row, the row it repeats or kept instead, cells, code)
    repeats: list = field(default_factory=list)


def clean_headers(raw: list) -> list[str]:
    """Blank headers get `column_N`; duplicates get ` (2)`, ` (3)`; surrounding spaces go."""
    out, seen = [], {}
    for i, h in enumerate(raw, start=1):
        name = str(h).strip().lstrip("\ufeff") if h is not None and str(h).strip() else f"column_{i}"
        base, n = name, seen.get(name.casefold(), 0)
        while name.casefold() in seen:
            n += 1
            name = f"{base} ({n + 1})"
        seen[name.casefold()] = n
        seen.setdefault(base.casefold(), n)
        out.append(name)
    return out


# ---------------------------------------------------------------- CSV


@dataclass(frozen=True)
class _CsvLayout:
    headers: list[str]
    delimiter: str
    skip: int  # physical lines before the last header line (preamble and extra header rows)
    records: int  # CSV records before the data (what DuckDB's `skip` counts)
    note: str | None


def _csv_layout(path: Path, encoding: str, name: str) -> _CsvLayout:
    text = sniff.read_text_head(path, encoding)
    delimiter = sniff.detect_delimiter(text)
    lines = sniff.split_lines(text)
    skip = sniff.count_preamble(lines)
    reader = csv.reader(io.StringIO("\n".join(lines[skip : skip + 400])), delimiter=delimiter)
    rows, ends = [], []  # the first records and the physical line each ends on (quoted values hold newlines)
    for row in reader:
        rows.append(row)
        ends.append(reader.line_num)
        if len(rows) == 3:
            break
    if not rows or not any(c.strip() for c in rows[0]):
        raise FileRefused(
            "the file has no header row",
            file=name,
            fix="put the column names on the first line",
            key="refused.no_header",
        )
    if len(rows[0]) > MAX_COLUMNS:
        raise FileRefused(
            f"the file has {len(rows[0])} columns; at most {MAX_COLUMNS} are read",
            file=name,
            fix="export fewer columns",
            key="refused.too_many_columns",
            values={"columns": len(rows[0]), "limit": MAX_COLUMNS},
        )
    vendors.refuse_ga4_report(lines[:skip], rows[0], name)
    titles = sniff.title_lines(lines)
    title_note = (
        Note(
            f"line(s) {', '.join(map(str, titles))} skipped: title above the header",
            "title_lines_csv",
            n=len(titles),
            lines=", ".join(map(str, titles)),
        )
        if titles
        else None
    )
    survey = vendors.survey_header(rows)
    if survey is None:
        return _CsvLayout(clean_headers(rows[0]), delimiter, skip, skip + 1, title_note)
    # the data starts after the last header row: skip every line of the rows before it
    return _CsvLayout(
        clean_headers(survey.headers),
        delimiter,
        skip + ends[survey.rows - 2],
        skip + survey.rows,
        vendors.survey_note(survey, skip + ends[survey.rows - 1] + 1),
    )


def csv_header(path: Path, encoding: str, name: str) -> tuple[list[str], str, int]:
    """Return headers, delimiter and the number of physical lines before the (last) header line: the
    preamble, and the first header rows of a survey export with several (SurveyMonkey, Qualtrics), whose
    headers are merged into one per column. A GA4 report of totals is refused here."""
    layout = _csv_layout(path, encoding, name)
    return layout.headers, layout.delimiter, layout.skip


def stage_csv(cur, path: Path, encoding: str, delimiter: str, skip: int, headers: list[str]) -> Staged:
    """A view over the file (read once, when `conv` is built); call `collect_csv_rejects` after.

    The view's filter names every column, for two reasons: DuckDB checks the encoding only of the columns
    a query reads, so without it a row with invalid bytes would be in `count(*)` yet rejected by the
    insert; and a row whose fields are all empty (`;;;` from Excel, or an empty line in a one-column file)
    is a blank line, skipped as DuckDB skips empty lines elsewhere (`csv_lines_of` skips the same rows).
    """
    layout = _csv_layout(path, "utf-8", Path(path).name)  # `path` is UTF-8 (load transcodes the others)
    # DuckDB's `skip` counts records, not lines: they differ when a header cell holds a newline
    records = layout.records if layout.skip == skip else int(skip) + 1
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    fields = ", ".join(convert.raw(i) for i in range(len(headers)))
    cur.execute("drop table if exists stg_rejects")
    cur.execute(
        f"""create or replace temp view stg as
        select * from read_csv('{_path_literal(literal_path(path))}', columns={columns}, auto_detect=false,
            header=false, skip={records}, delim='{_path_literal(delimiter)}', quote='"', escape='"', store_rejects=true,
            rejects_table='stg_rejects', rejects_scan='stg_scans', strict_mode=true, null_padding=false,
            max_line_size={MAX_LINE_BYTES}, buffer_size={BUFFER_BYTES})
        where coalesce({fields}) is not null"""
    )
    notes = [layout.note] if layout.note and layout.skip == skip else []
    return Staged(headers, 0, [], 0, path, encoding, delimiter, skip, notes=notes)


def stage_csv_preview(cur, path: Path, delimiter: str, skip: int, headers: list[str], limit: int = 5000) -> Staged:
    """The first rows of a CSV into temp table `stg`, skipping what `csv_header` found before the data (for
    `load._stage_preview`: DuckDB's `skip` counts records, and a survey's header cell may hold a newline)."""
    layout = _csv_layout(path, "utf-8", Path(path).name)
    records = layout.records if layout.skip == skip else int(skip) + 1
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(headers))) + "}"
    cur.execute(
        f"""create or replace temp table stg as select * from read_csv($path, columns={columns},
        auto_detect=false, header=false, skip=$skip, delim=$delim, quote='"', escape='"',
        ignore_errors=true, strict_mode=true, null_padding=false, max_line_size={MAX_LINE_BYTES}, buffer_size={BUFFER_BYTES})
        limit {int(limit)}""",
        {"path": literal_path(path), "skip": records, "delim": delimiter},
    )
    return Staged(headers, 0, notes=[layout.note] if layout.note and layout.skip == skip else [])


def _path_literal(text: str | Path) -> str:
    """Our own temp paths and detected delimiters only (a view cannot take bound parameters)."""
    return str(text).replace("'", "''")


_GLOB = re.compile(r"[*?\[\]{}]")
_aliases: dict[str, str] = {}
_alias_dir: list[str] = []


def literal_path(path: str | Path) -> str:
    """A path DuckDB reads as that one file. DuckDB's readers expand `*`, `?`, `[…]` and `{…}` in their path
    (`exports/*.csv` would read every CSV of the folder), so a file whose name holds one of them is read
    through a symbolic link (a copy where links are not allowed) under a plain name in a private folder,
    removed when the process ends."""
    text = str(path)
    if not _GLOB.search(text):
        return text
    if text in _aliases:
        return _aliases[text]
    if not _alias_dir:
        folder = tempfile.mkdtemp(prefix="cx-literal-")
        _alias_dir.append(folder)
        atexit.register(shutil.rmtree, folder, True)
    _alias_dir.append(None)  # one more alias: its number names it
    alias = os.path.join(_alias_dir[0], f"{len(_alias_dir) - 1}{_GLOB.sub('_', ''.join(Path(text).suffixes[-1:]))}")
    try:
        os.symlink(os.path.abspath(text), alias)
        _aliases[text] = alias  # a link follows the file: it can be reused
    except OSError:
        shutil.copyfile(text, alias)  # a copy cannot: a new one each time
    return alias


def collect_csv_rejects(cur, staged: Staged) -> None:
    """Rows the CSV reader could not parse, once each (a view scanned twice reports them twice)."""
    exists = cur.execute("select count(*) from duckdb_tables() where table_name = 'stg_rejects'").fetchall()[0][0]
    found = (
        cur.execute(
            "select line_byte_position, column_name, error_type, csv_line from stg_rejects order by line_byte_position"
        ).fetchall()
        if exists
        else []
    )
    # DuckDB's own `line` counts records, not the newlines inside quoted values: the row's byte offset
    # gives the line a text editor shows (and the one `csv_lines_of` gives for the other rejects)
    physical = line_numbers(staged.csv_path, [f[0] for f in found])
    rejects, lines = [], set()
    for position, column, error_type, raw in found:
        line = physical[position]
        if line in lines:
            continue
        lines.add(line)
        as_read = staged.file_headers or staged.headers
        col = as_read[int(column[1:])] if column and column[1:].isdigit() and int(column[1:]) < len(as_read) else ""
        rejects.append(
            Reject(
                int(line),
                col,
                cut_line(raw or "", staged.delimiter or ","),
                CSV_REASONS.get(error_type, error_type.lower()),
                "csv_" + error_type.lower().replace(" ", "_"),
            )
        )
    staged.rejects, staged.rejected_rows = rejects, len(lines)


def cut_line(line: str, delimiter: str, limit: int = 500) -> str:
    """A rejected line as stored: whole up to `limit` characters, else cut at the last field boundary before it (an
    e-mail or an id cut in two could no longer be found, and erased, as one person's). A first field longer than
    `limit` is kept cut only when it holds no "@"."""
    if len(line) <= limit:
        return line
    boundary = line.rfind(delimiter, 0, limit + 1)
    if boundary >= 0:
        return line[:boundary]
    return "" if "@" in line[:limit] else line[:limit]


def line_numbers(path: Path, offsets: list[int]) -> dict[int, int]:
    """1-based line of each byte offset of a file, in one streaming pass. A line ends at \\n, \\r\\n or a
    lone \\r, as for Python's universal newlines (so as for `csv_lines_of`) and DuckDB's reader."""
    out, line, at, last = {}, 1, 0, b""
    if not offsets:
        return out
    with open(path, "rb") as f:
        for target in sorted(set(offsets)):
            while at < target:
                chunk = f.read(min(sniff.CHUNK, target - at))
                if not chunk:
                    break
                line += chunk.count(b"\n") + chunk.count(b"\r") - chunk.count(b"\r\n")
                if last == b"\r" and chunk[:1] == b"\n":  # a \r\n split across two reads
                    line -= 1
                last, at = chunk[-1:], at + len(chunk)
            out[target] = line
    return out


def csv_lines_of(staged: Staged, wanted: list[int]) -> dict[int, int]:
    """File line where each wanted staged row starts, by replaying the file with Python's csv reader
    (exact with quoted newlines, blank lines and rejected lines); stops after the last wanted row."""
    if not wanted:
        return {}
    targets, last = set(wanted), max(wanted)
    rejected = {r.line for r in staged.rejects}
    out, index = {}, -1
    with open(staged.csv_path, encoding="utf-8-sig", errors="replace", newline="") as f:
        for _ in range(staged.skip + 1):
            f.readline()
        reader = csv.reader(f, delimiter=staged.delimiter)
        start = staged.skip + 2
        for row in reader:
            line, start = start, reader.line_num + staged.skip + 2
            if not any(c.strip(SPACES) for c in row) or line in rejected:  # blank, as in `stage_csv`
                continue
            index += 1
            if index in targets:
                out[index] = line
            if index >= last:
                break
    return out


# ---------------------------------------------------------------- XLSX


def xlsx_sheets(path: Path, name: str) -> list[str]:
    wb = _open_workbook(path, name)
    try:
        return list(wb.sheetnames)
    finally:
        wb.close()


def _open_workbook(path: Path, name: str):
    import openpyxl  # uses defusedxml when installed, which guards against XML bombs

    try:
        # from bytes, not the path: openpyxl refuses a path whose name does not end in .xlsx, and uploads
        # are saved under generated names
        return openpyxl.load_workbook(io.BytesIO(Path(path).read_bytes()), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many kinds on damaged files
        raise FileRefused(
            f"the workbook cannot be opened ({type(e).__name__})",
            file=name,
            fix="open it in Excel, save it again as .xlsx, or export as CSV",
            key="refused.xlsx_unreadable",
        ) from None


def xlsx_rows(path: Path, name: str, sheet: str | None, limit: int | None = None):
    """Yield (excel_row_number, [cell as text]) for the non-empty rows of a sheet."""
    wb = _open_workbook(path, name)
    try:
        if sheet is not None and sheet not in wb.sheetnames:
            raise FileRefused(
                f"the workbook has no sheet {sheet!r} (sheets: {', '.join(wb.sheetnames)})",
                file=name,
                fix="pick one of its sheets",
                key="refused.no_sheet",
                values={"sheet": sheet, "sheets": ", ".join(wb.sheetnames)},
            )
        ws = wb[sheet] if sheet else wb.worksheets[0]
        n = 0
        for number, values in enumerate(_sheet_rows(ws, name), start=1):
            if values is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in values):
                continue
            yield number, [cell_text(v) for v in values]
            n += 1
            if limit is not None and n >= limit:
                return
    finally:
        wb.close()


def _sheet_rows(ws, name: str):
    """openpyxl parses a read-only sheet's XML while iterating, so a damaged or hostile part (broken XML,
    an entity bomb refused by defusedxml, a bad CRC) fails here, after `_open_workbook`: refuse the file."""
    rows = ws.iter_rows(values_only=True)
    started, budget = time.monotonic(), xlsx_budget()
    for n in itertools.count():
        try:
            values = next(rows)
        except StopIteration:
            return
        except Exception as e:
            raise FileRefused(
                f"a sheet of the workbook cannot be read ({type(e).__name__})",
                file=name,
                fix="open it in Excel, save it again as .xlsx, or export as CSV",
                key="refused.xlsx_unreadable",
            ) from None
        if n % 500 == 0 and time.monotonic() - started > budget:
            raise FileRefused(
                f"the workbook takes too long to read (over {budget:g} s at row {n:,}): Excel files "
                "are slow to parse, and some are built to be",
                file=name,
                fix="save the sheet as CSV in Excel and upload the CSV (or raise CX_XLSX_SECONDS)",
                key="refused.xlsx_slow",
                values={"seconds": budget},
            )
        yield values


def xlsx_budget() -> float:
    """Seconds one sheet may take to parse (`$CX_XLSX_SECONDS`, default 120): a workbook within the size
    limits can still hold millions of tiny cells that take minutes of CPU."""
    return float(os.environ.get("CX_XLSX_SECONDS", "120"))


def cell_text(v) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, dt.datetime):
        return v.isoformat(sep=" ")
    if isinstance(v, dt.date):
        return v.isoformat()
    if isinstance(v, dt.time):
        return v.isoformat()
    if isinstance(v, float):
        if math.isfinite(v) and v == int(v) and abs(v) < 1e15:
            return str(int(v))
        return repr(v)
    return str(v)


HEADER_SEARCH = 10  # rows looked at for the header (a report's title and blank lines come first)


def header_index(rows: list[list]) -> int:
    """The header of a sheet: the first row filled at least as wide as most of the rows around it (so
    "Orders of May 2025" alone on row 1 is a title, not the header)."""
    widths = [sum(v is not None and str(v).strip() != "" for v in values) for values in rows]
    widest = max(widths, default=0)
    return next((i for i, w in enumerate(widths) if w >= max(2, 0.6 * widest)), 0)


def stage_xlsx(cur, path: Path, name: str, sheet: str | None) -> Staged:
    rows = xlsx_rows(path, name, sheet)
    first = list(itertools.islice(rows, HEADER_SEARCH))
    if not first:
        raise FileRefused(
            f"the sheet {sheet or ''} is empty".replace("  ", " "),
            file=name,
            fix="pick the sheet that holds the data",
            key="refused.sheet_empty",
            values={"sheet": sheet or ""},
        )
    start = header_index([values for _n, values in first])
    notes = [Note(f"{start} title line(s) above the header skipped", "title_lines", n=start)] if start else []
    header_line, header = first[start]
    peeked = first[start + 1 :]
    # a survey export's extra header rows (SurveyMonkey 2, Qualtrics 3)
    survey = vendors.survey_header([header] + [v for _n, v in peeked[:2]])
    if survey:
        headers = clean_headers(trim_trailing_none(list(survey.headers)))
        header_line = peeked[survey.rows - 2][0]
        peeked = peeked[survey.rows - 1 :]
        notes.append(vendors.survey_note(survey, header_line + 1, "row"))
    else:
        headers = clean_headers(trim_trailing_none(header))
    width = len(headers)
    lines, records, rejects = [], [], []
    for number, values in itertools.chain(peeked, rows):
        extra = [v for v in values[width:] if v is not None]
        if extra:
            # every cell in its place (empty ones too), so personal columns can be masked by position
            rejects.append(
                Reject(
                    number,
                    "",
                    cut_line("; ".join("" if v is None else v for v in values), ";"),
                    "the row has more filled cells than the header has columns",
                    "too_many_cells",
                )
            )
            continue
        lines.append(number)
        records.append((values + [None] * width)[:width])
    frame = pd.DataFrame(records, columns=[f"c{i}" for i in range(width)], dtype=object)
    frame.insert(0, "line", lines)
    _stage_frame(cur, frame)
    return Staged(headers, len(records), rejects, len(rejects), first_line=header_line + 1, notes=notes)


def trim_trailing_none(values: list) -> list:
    while values and values[-1] is None:
        values = values[:-1]
    return values


def _stage_frame(cur, frame: pd.DataFrame) -> None:
    frame = frame.astype({c: "string" for c in frame.columns if c != "line"}) if len(frame.columns) > 1 else frame
    cur.register("stg_frame", frame)
    try:
        cols = ", ".join(f'cast("c{i}" as varchar) as "c{i}"' for i in range(len(frame.columns) - 1))
        cur.execute(f"create or replace temp table stg as select {cols} from stg_frame order by line")
        cur.execute("create or replace temp table stg_lines as select line from stg_frame order by line")
    finally:
        cur.unregister("stg_frame")


# ---------------------------------------------------------------- Parquet and JSON


def stage_columnar(cur, path: Path, name: str, file_type: str) -> Staged:
    """Parquet or JSON: one row per record, nested values as JSON text; a GA4 BigQuery export is flattened
    and a Matomo visits log unnested (see `vendors`). `stg_lines` holds the record number of each row."""
    # JSON times stay text (a format no value has turns DuckDB's date detection off): DuckDB 1.5 would read
    # "…T15:55:07Z" as a TIMESTAMP and drop its zone; cx's own parser converts instants (convert.timestamp_sql)
    reader = (
        "read_parquet($path)"
        if file_type == "parquet"
        else "read_json($path, format='auto', dateformat='%d~never', timestampformat='%d~never')"
    )
    what = "Parquet" if file_type == "parquet" else "JSON"
    source = literal_path(path)
    try:
        if file_type == "json" and vendors.looks_like_matomo(sniff.read_text_head(path, "utf-8", 64 * 1024)):
            headers, notes, _visits = vendors.stage_matomo(cur, source)
            rows = cur.execute("select count(*) from stg").fetchall()[0][0]
            return Staged(headers, rows, first_line=1, notes=notes)
        cur.execute(f"create or replace temp table stg_raw as select * from {reader}", {"path": source})
    except Exception as e:
        first = str(e).splitlines()[0].split(":", 1)[-1].strip()[:200]
        raise FileRefused(
            f"the {what} file cannot be read ({first})",
            file=name,
            fix=f"export it again as {what}, or as CSV",
            key="refused.unreadable",
            values={"what": what},
        ) from None
    described = cur.execute("describe stg_raw").fetchall()
    if vendors.is_ga4_export([d[0] for d in described]):
        headers, notes = vendors.stage_ga4(cur, "stg_raw")
        cur.execute("drop table stg_raw")
        rows = cur.execute("select count(*) from stg").fetchall()[0][0]
        return Staged(clean_headers(headers), rows, first_line=1, notes=notes)
    notes = _open_envelope(cur, described)
    notes += _flatten_structs(cur)
    notes += vendors.shape_intercom(cur)
    described = cur.execute("describe stg_raw").fetchall()
    headers = clean_headers([d[0] for d in described])
    cols = []
    for i, (col, type_, *_rest) in enumerate(described):
        quoted = '"' + col.replace('"', '""') + '"'
        nested = type_.startswith(("STRUCT", "MAP")) or type_.endswith("]")
        if type_ == "JSON":  # a key holding values of mixed types: its strings would keep their quotes
            cols.append(f"({quoted} ->> '$') as c{i}")
        else:
            cols.append(f"{'to_json(' + quoted + ')' if nested else quoted}::varchar as c{i}")
    cur.execute(f"create or replace temp table stg as select {', '.join(cols)} from stg_raw order by rowid")
    cur.execute(
        "create or replace temp table stg_lines as select row_number() over (order by rowid) as line from stg_raw"
    )
    cur.execute("drop table stg_raw")
    rows = cur.execute("select count(*) from stg").fetchall()[0][0]
    return Staged(headers, rows, first_line=1, notes=notes)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


PAGE_FIELDS = {
    "type",
    "object",
    "pages",
    "page",
    "per_page",
    "total",
    "total_count",
    "total_pages",
    "count",
    "next_page",
    "previous_page",
    "next",
    "previous",
    "has_more",
    "links",
    "meta",
    "cursor",
    "url",
    "after_cursor",
    "before_cursor",
    "offset",
    "limit",
    "start_time",
    "end_time",
    "end_of_stream",
}


def _open_envelope(cur, described) -> list[str]:
    """An API page (`{"type": "conversation.list", "pages": {…}, "conversations": [{…}, …]}`, Zendesk's
    `{"tickets": […]}`) is one record holding the real ones in a list: read that list, one row per record."""
    if cur.execute("select count(*) from stg_raw").fetchall()[0][0] != 1:
        return []
    lists = [name for name, type_, *_ in described if type_.startswith("STRUCT") and type_.endswith("[]")]
    others = {name for name, *_ in described} - set(lists)
    if len(lists) != 1 or not others <= PAGE_FIELDS:  # a record with a list inside is not always a page
        return []
    name = lists[0]
    cur.execute(
        f"create or replace temp table stg_raw as "
        f"select unnest(r) from (select unnest({_quote(name)}) as r from stg_raw)"
    )
    return [f"the records listed under “{name}” were read, one row each"]


def _flatten_structs(cur, depth: int = 3) -> list[str]:
    """Nested objects become columns of their own (`via.channel` → `via_channel`, Mixpanel's
    `properties.time` → `properties_time`), up to `depth` levels; lists stay JSON text."""
    flattened = []
    for _ in range(depth):
        described = cur.execute("describe stg_raw").fetchall()
        structs = [n for n, t, *_ in described if t.startswith("STRUCT") and not t.endswith("]")]
        if not structs:
            break
        cols = []
        for name, type_, *_ in described:
            if name not in structs:
                cols.append(_quote(name))
                continue
            fields = [f[0] for f in cur.execute(f"describe select {_quote(name)}.* from stg_raw").fetchall()]
            cols += [f"{_quote(name)}.{_quote(f)} as {_quote(name + '_' + f)}" for f in fields]
            flattened.append(name)
        cur.execute(f"create or replace temp table stg_raw as select {', '.join(cols)} from stg_raw order by rowid")
    return (
        [f"nested fields flattened into columns ({', '.join(flattened[:6])}{'…' if len(flattened) > 6 else ''})"]
        if flattened
        else []
    )

"""Detect, then load one file atomically: staged → converted → valid rows into their table, the others
into `rejects` with line, column, value and reason. Rows read = rows loaded + rows rejected, always; a
file that fails leaves the workspace exactly as it was.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from .. import rewrite, tempfiles
from ..errors import CxError, FileRefused, MappingError
from ..models import Detection, ImportReport, Reject
from ..schema import KINDS, TABLES
from ..workspace import Workspace
from . import convert, mapping as mapping_mod, readers, sniff

MAX_FILE_BYTES = int(float(os.environ.get("CX_MAX_FILE_MB", "2048")) * 1024 * 1024)
REPORT_REJECTS = 1000  # rejects listed in a report; all of them stay in the `rejects` table
PREVIEW_ROWS = 8


@dataclass
class _Source:
    """A file made ready for reading: its type, encoding and (for CSV) a UTF-8 path DuckDB can read."""
    name: str
    path: Path
    file_type: str
    sha256: str
    encoding: str | None = None
    readable: Path | None = None
    delimiter: str | None = None
    skip: int = 0
    headers: list | None = None
    sheets: tuple = ()
    lines: int | None = None


@dataclass(frozen=True)
class _ByteScan:
    sha256: str
    lines: int    # physical lines (a last line without a newline counts); None when a lone CR ends lines
    ascii: bool   # pure ASCII is valid UTF-8: no need to decode the file to know its encoding


def _scan(path: Path) -> _ByteScan:
    """One pass over the bytes: hash (duplicate detection), line count (lets a clean CSV skip a second
    read to count its rows), and whether it is pure ASCII (skips the decoding pass)."""
    h, lines, lone_cr, ascii_only, last = hashlib.sha256(), 0, 0, True, b"\n"
    with open(path, "rb") as f:
        while chunk := f.read(8 * 1024 * 1024):
            h.update(chunk)
            lines += chunk.count(b"\n")
            cr = chunk.count(b"\r")
            if cr:  # a CRLF cut by a chunk counts as a lone CR: the safe side
                lone_cr += cr - chunk.count(b"\r\n")
            ascii_only = ascii_only and chunk.isascii()
            last = chunk[-1:]
    return _ByteScan(h.hexdigest(), None if lone_cr else lines + (last != b"\n"), ascii_only)


@contextmanager
def _opened(path: Path, name: str, sheet: str | None):
    """Check the file and prepare it; transcoded copies live in a private temp folder removed after."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(f"the file is {size / 1e6:,.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:,.0f} MB",
                          file=name, fix="split it, or raise CX_MAX_FILE_MB")
    file_type = sniff.detect_file_type(path, name)
    scan = _scan(path)
    src = _Source(name, path, file_type, scan.sha256, lines=scan.lines)
    tmp = tempfiles.private_dir("import")
    try:
        if file_type == "csv":
            src.encoding = "utf-8" if scan.ascii else sniff.detect_encoding(path, name)
            if src.encoding in ("utf-8", "utf-8-sig"):
                src.readable = path
            else:
                src.readable = tmp / "transcoded.csv"
                sniff.transcode_to_utf8(path, src.readable, src.encoding, name)
            src.headers, src.delimiter, src.skip = readers.csv_header(src.readable, "utf-8", name)
        elif file_type == "xlsx":
            src.sheets = tuple(readers.xlsx_sheets(path, name))
        yield src
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _csv_reader_errors(src: _Source):
    """DuckDB's CSV reader stops on a few structures it cannot resynchronise after; say so plainly."""
    try:
        yield
    except duckdb.InvalidInputException:
        if src.file_type != "csv":
            raise
        raise FileRefused("the CSV's structure is inconsistent (most often: lines ending in different ways, "
                          "CR in some places and LF or CRLF in others)", file=src.name,
                          fix="open it in a text editor or Excel and save it again as CSV") from None


def _xlsx_header(src: _Source, sheet: str) -> list[str]:
    rows = list(readers.xlsx_rows(src.path, src.name, sheet, limit=1))
    return readers.clean_headers(readers._trim_trailing_none(rows[0][1])) if rows else []


def _best_sheet(src: _Source) -> str:
    """The sheet whose header fits a kind best (so a cover sheet such as 'Notes' is passed over)."""
    best, best_score = src.sheets[0], -1.0
    for sheet in src.sheets:
        headers = _xlsx_header(src, sheet)
        if headers:
            score = max(mapping_mod.score_kinds(headers).values())
            if score > best_score:
                best, best_score = sheet, score
    return best


def _stage(cur, src: _Source, sheet: str | None) -> readers.Staged:
    if src.file_type == "csv":
        return readers.stage_csv(cur, src.readable, src.encoding, src.delimiter, src.skip, src.headers)
    if src.file_type == "xlsx":
        return readers.stage_xlsx(cur, src.path, src.name, sheet)
    return readers.stage_columnar(cur, src.path, src.name, src.file_type)


def _saved_mapping(cur, headers: list[str]) -> tuple[str, dict] | None:
    row = (cur.execute("select kind, mapping from mappings where signature = $s",
                      {"s": mapping_mod.header_signature(headers)}).fetchall() or [None])[0]
    if not row:
        return None
    saved = json.loads(row[1])
    return (row[0], saved) if all(h in headers for h in saved) else None


def _duplicate_of(cur, sha: str) -> int | None:
    row = (cur.execute("select max(import_id) from imports where sha256 = $s and status = 'loaded'",
                      {"s": sha}).fetchall() or [None])[0]
    return row[0] if row and row[0] is not None else None


def detect_file(ws: Workspace, path: str | Path, name: str | None = None, sheet: str | None = None) -> Detection:
    """Look at a file without loading it: type, encoding, delimiter, sheets, kind, mapping and a preview.

    Returns a Detection whose `preview` is a DataFrame of the first rows with the source headers.
    """
    path = Path(path)
    name = name or path.name
    with _opened(path, name, sheet) as src, ws.cursor() as cur, _csv_reader_errors(src):
        if src.file_type == "xlsx":
            sheet = sheet or _best_sheet(src)
        staged = _stage_preview(cur, src, sheet)
        headers = staged.headers
        saved = _saved_mapping(cur, headers)
        preset = mapping_mod.find_preset(headers)
        kind, scores = mapping_mod.guess_kind(headers)
        if saved:
            kind, guessed, source = saved[0], saved[1], "saved"
        elif kind:
            guessed = mapping_mod.map_headers(headers, kind, preset)
            source = "preset" if preset and mapping_mod.PRESETS[preset]["kind"] == kind else "aliases"
        else:
            guessed, source = {}, "aliases"
        options = convert.infer_options(cur, kind, guessed, headers) if kind else {}
        preview = cur.execute(f"select * from stg limit {PREVIEW_ROWS}").df()
        preview.columns = headers[:len(preview.columns)]
        return Detection(name, src.file_type, kind, src.encoding, src.delimiter, sheet, src.sheets,
                         tuple(headers), guessed, preset, source, scores, preview, src.sha256,
                         _duplicate_of(cur, src.sha256), options)


def _stage_preview(cur, src: _Source, sheet: str | None) -> readers.Staged:
    """Stage only the first rows of a CSV (fast on big files); other types are small enough to stage."""
    if src.file_type != "csv":
        return _stage(cur, src, sheet)
    columns = "{" + ", ".join(f"'c{i}': 'VARCHAR'" for i in range(len(src.headers))) + "}"
    cur.execute(f"""create or replace temp table stg as select * from read_csv($path, columns={columns},
        auto_detect=false, header=false, skip=$skip, delim=$delim, quote='"', escape='"',
        ignore_errors=true, strict_mode=true, null_padding=false, max_line_size=8388608) limit 5000""",
                {"path": str(src.readable), "skip": src.skip + 1, "delim": src.delimiter})
    return readers.Staged(src.headers, 0)


def import_file(ws: Workspace, path: str | Path, name: str | None = None, *, kind: str | None = None,
                mapping: dict[str, str] | None = None, sheet: str | None = None,
                on_duplicate: str = "skip", pseudonymise: bool = True, is_demo: bool = False,
                options: dict | None = None) -> ImportReport:
    """Load one file into the workspace in a single transaction.

    Parameters
    ----------
    kind, mapping, sheet : override what detection would choose (mapping: source header → column).
    on_duplicate : "skip" (default) leaves an earlier import of the same bytes alone and loads nothing;
        "replace" deletes it and loads again; "keep" loads a second copy.
    options : override inferred per-column options (decimal marks, date order, survey scales).

    Returns an ImportReport; raises FileRefused or MappingError, with the workspace unchanged.
    """
    path = Path(path)
    name = name or path.name
    if kind is not None and kind not in KINDS:
        raise MappingError(f"unknown kind {kind!r}", file=name, fix=f"use one of {', '.join(KINDS)}")
    if on_duplicate not in ("skip", "replace", "keep"):
        raise ValueError(on_duplicate)
    with _opened(path, name, sheet) as src:
        if src.file_type == "xlsx":
            sheet = sheet or _best_sheet(src)
        with ws.transaction() as cur, _csv_reader_errors(src):
            duplicate = _duplicate_of(cur, src.sha256)
            if duplicate is not None and on_duplicate == "skip":
                return ImportReport(duplicate, name, kind or "", "skipped", 0, 0, 0, {}, (),
                                    src.encoding, src.delimiter, sheet,
                                    f"already imported as import #{duplicate}; nothing loaded")
            if duplicate is not None and on_duplicate == "replace":
                _delete(cur, duplicate)
            staged = _stage(cur, src, sheet)
            kind, mapping = _resolve_mapping(cur, staged.headers, kind, mapping, name)
            opts = convert.infer_options(cur, kind, mapping, staged.headers)
            for key, value in (options or {}).items():
                opts[key] = {**opts.get(key, {}), **value} if isinstance(value, dict) else value
            report = _load(cur, src, staged, kind, mapping, opts, sheet, pseudonymise, is_demo)
        _save_mapping(ws, staged.headers, kind, mapping)
        return report


def _save_mapping(ws: Workspace, headers: list[str], kind: str, mapping: dict) -> None:
    """Remember the mapping for the next file of the same shape. Outside the import's transaction: two
    sessions loading files of one shape at once would otherwise conflict on it, and it is only a hint."""
    try:
        with ws.transaction() as cur:
            cur.execute("insert or replace into mappings values ($s, $k, $m, now()::timestamp)",
                        {"s": mapping_mod.header_signature(headers), "k": kind, "m": json.dumps(mapping)})
    except duckdb.Error:
        pass  # another session saved the same shape at the same moment


def _resolve_mapping(cur, headers, kind, mapping, name) -> tuple[str, dict]:
    if mapping is None:
        saved = _saved_mapping(cur, headers)
        if saved and (kind is None or saved[0] == kind):
            kind, mapping = saved
        else:
            if kind is None:
                kind, scores = mapping_mod.guess_kind(headers)
                if kind is None:
                    raise MappingError("cannot tell what this file holds from its headers "
                                       f"({', '.join(headers[:8])}{'…' if len(headers) > 8 else ''})",
                                       file=name, fix="choose its kind (events, customers, orders, tickets, "
                                                      "responses) and map its columns")
            mapping = mapping_mod.map_headers(headers, kind, mapping_mod.find_preset(headers))
    mapping_mod.check_mapping(mapping, kind, headers, name)
    return kind, dict(mapping)


def _load(cur, src, staged, kind, mapping, options, sheet, pseudonymise, is_demo) -> ImportReport:
    started = dt.datetime.now()
    import_id = cur.execute("select nextval('import_ids')").fetchall()[0][0]
    sql = convert.load_sql(kind, mapping, staged.headers, options, pseudonymise)
    table = TABLES[kind]
    columns = ", ".join(f'"{c}"' for c in table.names)
    extra = (", csat_scale, ces_scale, ces_higher_is_better" if kind == "responses" else "") + \
            (", properties" if table.keeps_properties else "")
    select = f"select {import_id}, {columns}{extra} from (select {sql.values} from ({sql.conv}) where ok)"
    if kind == "orders":  # an export without order ids gets generated ones
        select = select.replace('"order_id",', f"coalesce(\"order_id\", 'gen-{import_id}-' || uuid()::varchar),", 1)
    # fast path: parse and insert the clean rows in one pass over the file
    # filter pushdown would copy every parse expression into the `where ok` filter and parse each value
    # twice (bench/ingest.py measured it: about 20 % of an import); this cursor is ours alone
    cur.execute("set disabled_optimizers = 'filter_pushdown'")
    try:
        loaded = cur.execute(f'insert into "{kind}" (import_id, {columns}{extra}) {select}').fetchall()[0][0]
    finally:
        cur.execute("reset disabled_optimizers")
    if src.file_type == "csv":
        readers.collect_csv_rejects(cur, staged)
    if src.file_type == "csv" and src.lines is not None and src.lines - src.skip - 1 == loaded + staged.rejected_rows:
        # every data line is a loaded row or a rejected one (each takes at least a line), so no row was
        # held back by a bad value: no need to read the file again to count its rows
        staged.rows = loaded
    else:
        staged.rows = cur.execute("select count(*) from stg").fetchall()[0][0]
    if staged.rows > loaded:  # slow path, only when some rows have problems: find them, in file order
        cur.execute(f"create or replace temp table conv as {sql.conv}")
        problems = cur.execute(sql.problems).df()
    else:
        problems = pd.DataFrame({c: [] for c in ("row_index", "column", "value", "code", "reason")})
    lines = _lines_of(cur, src, staged, sorted(set(problems["row_index"].tolist())))
    problems["line"] = problems["row_index"].map(lines)
    structural = pd.DataFrame({"line": [r.line for r in staged.rejects], "column": [r.column for r in staged.rejects],
                               "value": [r.value for r in staged.rejects],
                               "code": ["unreadable_row"] * len(staged.rejects),
                               "reason": [r.reason for r in staged.rejects]})
    all_rejects = pd.concat([structural, problems[["line", "column", "value", "code", "reason"]]],
                            ignore_index=True).sort_values("line", kind="stable")
    if len(all_rejects):
        cur.register("rejects_frame", all_rejects)
        cur.execute(f"insert into rejects select {import_id}, line, \"column\", value, code, reason "
                    f"from rejects_frame")
        cur.unregister("rejects_frame")
    rejected = staged.rejected_rows + problems["row_index"].nunique()
    read = staged.rows + staged.rejected_rows
    assert read == loaded + rejected, (read, loaded, rejected)
    cur.execute(
        """insert into imports (import_id, file_name, sha256, kind, file_type, encoding, delimiter, sheet, mapping,
            options, rows_read, rows_loaded, rows_rejected, status, is_demo, started_at, finished_at)
            values ($id, $name, $sha, $kind, $type, $enc, $delim, $sheet, $mapping, $options,
            $read, $loaded, $rejected, 'loaded', $demo, $started, $finished)""",
        {"id": import_id, "name": src.name, "sha": src.sha256, "kind": kind, "type": src.file_type,
         "enc": src.encoding, "delim": src.delimiter, "sheet": sheet, "mapping": json.dumps(mapping),
         "options": json.dumps(options), "read": read, "loaded": loaded, "rejected": rejected,
         "demo": is_demo, "started": started, "finished": dt.datetime.now()})
    report_rejects = tuple(Reject(int(r.line) if pd.notna(r.line) else 0, r.column or "",
                                  None if pd.isna(r.value) else r.value, r.reason)
                           for r in all_rejects.head(REPORT_REJECTS).itertuples())
    return ImportReport(import_id, src.name, kind, "loaded", read, loaded, rejected, mapping, report_rejects,
                        src.encoding, src.delimiter, sheet)


def _lines_of(cur, src, staged, row_indexes: list[int]) -> dict[int, int]:
    if not row_indexes:
        return {}
    if src.file_type == "csv":
        return readers.csv_lines_of(staged, row_indexes)
    if src.file_type == "xlsx":
        lines = [r[0] for r in cur.execute("select line from stg_lines order by rowid").fetchall()]
        return {i: lines[i] for i in row_indexes}
    return {i: i + 1 for i in row_indexes}


def _delete(cur, import_id: int) -> None:
    """Within an import's transaction (a replaced duplicate); `transaction` erases it after the commit."""
    for t in (*TABLES, "rejects", "imports"):
        cur.execute(f'delete from "{t}" where import_id = $id', {"id": import_id})
    rewrite.mark_pending(cur)


def list_imports(ws: Workspace) -> pd.DataFrame:
    """Import history, newest first: import_id, file_name, kind, file_type, encoding, delimiter, sheet,
    rows_read, rows_loaded, rows_rejected, status, is_demo, started_at, finished_at."""
    with ws.cursor() as cur:
        return cur.execute(
            "select import_id, file_name, kind, file_type, encoding, delimiter, sheet, rows_read, rows_loaded, "
            "rows_rejected, status, is_demo, started_at, finished_at from imports order by import_id desc").df()


def rejects_of(ws: Workspace, import_id: int) -> pd.DataFrame:
    """Rejected rows of one import: line, column, value, code, reason, in file order."""
    with ws.cursor() as cur:
        return cur.execute('select line, "column", value, code, reason from rejects where import_id = $id '
                           'order by line', {"id": import_id}).df()

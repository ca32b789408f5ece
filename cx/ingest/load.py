"""Detect, then load one file atomically: staged → converted → valid rows into their table, the others
into `rejects` with line, column, value and reason. Rows read = rows loaded + rows rejected, always; a
file that fails leaves the workspace exactly as it was.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
import os
import re
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb
import pandas as pd

from .. import keys, rewrite, tempfiles
from ..attach import stored_table
from ..errors import FileRefused, MappingError, WorkspaceError
from ..models import Detection, EarlierImport, ImportReport, Note, Reject
from ..money import workspace_currency
from ..schema import KINDS, TABLES
from ..workspace import Workspace, run_sql, sql_file
from . import (
    convert,
    crm_match,
    duplicates,
    fingerprint,
    mapping as mapping_mod,
    order_statuses,
    ratings,
    readers,
    rollup,
    sniff,
    ticket_channels,
    vendors,
)
from .profile import profile_columns

MAX_FILE_BYTES = int(float(os.environ.get("CX_MAX_FILE_MB", "2048")) * 1024 * 1024)
COMPANY_NOTE = Note(
    "a list of companies, not of people: say whether its rows are your customers", "company_list"
)  # detect_file: asked, never guessed (mapping.is_company_list)
WOOCOMMERCE_NOTE = Note(
    "WooCommerce orders: completed, processing and on-hold ones count as purchases, as in WooCommerce Analytics; "
    "pending payment, failed, cancelled and draft ones do not; refunded ones count as returned",
    "woocommerce_statuses",
)  # convert.is_woocommerce, staging/order_status.sql
# a survey without a response id: an answer loaded by an earlier import cannot be told from a new one
NO_RESPONSE_ID_NOTE = Note(
    "no response id mapped: answers an earlier import already loaded cannot be recognised, and would be counted twice",
    "no_response_id",
)
REPORT_REJECTS = 1000  # rejects listed in a report; all of them stay in the `rejects` table
PREVIEW_ROWS = 8
# from this size (~400k GA4 rows), building `convert.zone_days` (~0.05 s, one thread) costs less than
# `timezone()` on each epoch (~0.27 CPU-s per 1M rows, spread over the threads)
ZONE_DAYS_MIN_BYTES = 64 * 1024 * 1024
# up to this size a file's sha256 (~10 ms) is waited for before the load, so a duplicate is skipped before any work
DIGEST_FIRST_BYTES = 8 * 1024 * 1024


@dataclass
class _Source:
    """A file made ready for reading: its type, encoding and (for CSV) a UTF-8 path DuckDB can read. Its
    sha256 and line count are computed in a thread meanwhile (`fingerprint.Background`): reading them waits."""

    name: str
    path: Path
    file_type: str
    digest: fingerprint.Background
    encoding: str | None = None
    ascii: bool = False  # the CSV DuckDB reads is pure ASCII (then no value holds a Unicode space)
    readable: Path | None = None
    delimiter: str | None = None
    skip: int = 0
    headers: list | None = None
    sheets: tuple = ()
    unwrapped: bool = False
    notes: list = field(default_factory=list)  # what was done to the bytes before reading (a CSV unwrapped)

    @property
    def sha256(self) -> str:
        return self.digest.result().sha256

    @property
    def lines(self) -> int | None:
        """Physical lines of the file as read, or an upper bound; None when unknown. A transcoded file has
        at most as many (a UTF-16 file's 0x0A bytes include each newline); an unwrapped one is not counted."""
        return None if self.unwrapped else self.digest.result().lines


@contextmanager
def _opened(path: Path, name: str, sheet: str | None):
    """Check the file and prepare it; transcoded copies live in a private temp folder removed after."""
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileRefused(
            f"the file is {size / 1e6:,.0f} MB; the limit is {MAX_FILE_BYTES / 1e6:,.0f} MB",
            file=name,
            fix="split it, or raise CX_MAX_FILE_MB",
            key="refused.too_big",
            values={"size": round(size / 1e6), "limit": round(MAX_FILE_BYTES / 1e6)},
        )
    file_type = sniff.detect_file_type(path, name)
    src = _Source(name, path, file_type, fingerprint.Background(path))
    tmp = tempfiles.private_dir("import")
    try:
        if file_type == "csv":
            # pure ASCII is UTF-8, unless it is UTF-16 without a byte-order mark (ASCII text with NULs between)
            text = fingerprint.ascii_scan(path)
            src.encoding = "utf-8" if text.ascii and not text.nul else sniff.detect_encoding(path, name)
            src.ascii = text.ascii and not text.nul  # read as it is (an unwrapped copy stays ASCII)
            if src.encoding in ("utf-8", "utf-8-sig"):
                src.readable = path
            else:
                src.readable = tmp / "transcoded.csv"
                sniff.transcode_to_utf8(path, src.readable, src.encoding, name)
            if sniff.wrapped_in_one_column(src.readable):  # a comma CSV re-saved by a semicolon-locale Excel
                unwrapped = tmp / "unwrapped.csv"
                records = sniff.unwrap_one_column(src.readable, unwrapped)
                src.readable, src.unwrapped = unwrapped, True
                src.notes.append(
                    Note(
                        f"each line of the file was one cell followed by ';' (a comma CSV saved "
                        f"again by Excel): {records} lines unwrapped",
                        "unwrapped",
                        lines=records,
                    )
                )
            src.headers, src.delimiter, src.skip = readers.csv_header(src.readable, "utf-8", name)
        elif file_type == "xlsx":
            src.sheets = tuple(readers.xlsx_sheets(path, name))
        yield src
    finally:
        src.digest.cancel()  # done by now, unless the file was refused or the import failed
        shutil.rmtree(tmp, ignore_errors=True)


@contextmanager
def _csv_reader_errors(src: _Source):
    """DuckDB's CSV reader stops on a few structures it cannot resynchronise after; say so plainly."""
    try:
        yield
    except duckdb.InvalidInputException:
        if src.file_type != "csv":
            raise
        raise FileRefused(
            "the CSV's structure is inconsistent (most often: lines ending in different ways, "
            "CR in some places and LF or CRLF in others)",
            file=src.name,
            fix="open it in a text editor or Excel and save it again as CSV",
            key="refused.line_endings",
        ) from None


def _xlsx_header(src: _Source, sheet: str) -> list[str]:
    rows = [values for _n, values in readers.xlsx_rows(src.path, src.name, sheet, limit=readers.HEADER_SEARCH)]
    return readers.clean_headers(readers.trim_trailing_none(rows[readers.header_index(rows)])) if rows else []


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
        staged = readers.stage_csv(cur, src.readable, src.encoding, src.delimiter, src.skip, src.headers)
        staged.notes[:0] = src.notes
        return staged
    if src.file_type == "xlsx":
        return readers.stage_xlsx(cur, src.path, src.name, sheet)
    return readers.stage_columnar(cur, src.path, src.name, src.file_type)


def _saved_mapping(cur, headers: list[str]) -> tuple[str, dict] | None:
    row = (
        cur.execute(
            "select kind, mapping from mappings where signature = $s", {"s": mapping_mod.header_signature(headers)}
        ).fetchall()
        or [None]
    )[0]
    if not row:
        return None
    saved = json.loads(row[1])
    return (row[0], saved) if all(h in headers for h in saved) else None


def _duplicate_of(cur, sha: str, sheet: str | None) -> int | None:
    """The latest import of these bytes and this sheet (a workbook's other sheet is not a duplicate)."""
    row = run_sql(cur, "ingest_earlier_import.sql", {"sha256": sha, "sheet": sheet}).fetchall()
    return row[0][0] if row else None


def _claim_key(sha: str, sheet: str | None) -> str:
    """What an import claims in `import_claims` (its `sha256` column, whose primary key stops two sessions loading
    the same data at once): the file's sha256, followed for a workbook by the sheet read ("<sha256>/Commandes")."""
    return sha if sheet is None else f"{sha}/{sheet}"


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
        vendors.refuse_campaign_report(staged.headers, name)
        _reshape(cur, staged)
        headers = staged.headers
        profiles = profile_columns(cur, headers)
        if mapping_mod.is_totals_report(headers):
            refuse_totals(headers, name)
        inference = mapping_mod.infer(headers, profiles)
        saved = _saved_mapping(cur, headers)
        kind, guessed, reasons = inference.kind, dict(inference.mapping), dict(inference.reasons)
        if saved:
            kind, guessed = saved
            reasons = {h: mapping_mod.Reason("saved") for h, t in guessed.items() if t}
        source = "saved" if saved else "preset" if any(r.code == "preset" for r in reasons.values()) else "inferred"
        active = {h: t for h, t in guessed.items() if t}
        options = convert.infer_options(cur, kind, active, headers) if kind else {}
        preview = cur.execute(f"select * from stg limit {PREVIEW_ROWS}").df()
        preview.columns = headers[: len(preview.columns)]
        return Detection(
            name,
            src.file_type,
            kind,
            src.encoding,
            src.delimiter,
            sheet,
            src.sheets,
            tuple(headers),
            guessed,
            inference.preset,
            source,
            inference.scores,
            preview,
            src.sha256,
            options,
            reasons=reasons,
            likeliest=inference.likeliest,
            mappings=inference.mappings,
            kind_reasons={} if saved else inference.kind_reasons,
            examples={p.header: p.examples for p in profiles},
            notes=tuple(staged.notes) + ((COMPANY_NOTE,) if mapping_mod.is_company_list(headers) else ()),
            personal=tuple(
                h
                for h, p in zip(headers, profiles)
                if p.email < 0.5  # an e-mail shows as [e-mail] already (shown_preview)
                and (
                    (
                        TABLES[kind].column(active[h]).personal
                        or (active[h] == "customer_id" and "customer_id_names" in options)
                    )
                    if kind and h in active
                    else looks_personal(p)
                )
            ),
        )


def _stage_preview(cur, src: _Source, sheet: str | None) -> readers.Staged:
    """Stage only the first rows of a CSV (fast on big files); other types are small enough to stage."""
    if src.file_type != "csv":
        return _stage(cur, src, sheet)
    staged = readers.stage_csv_preview(cur, src.readable, src.delimiter, src.skip, src.headers)
    staged.notes[:0] = src.notes
    return staged


def import_file(ws: Workspace, path: str | Path, name: str | None = None, **how) -> ImportReport:
    """Load one file into the workspace in a single transaction (`_import_once`); on a DuckLake, the whole
    import runs again when another writer committed first (`Workspace.retrying`)."""

    def once() -> ImportReport:
        for _ in range(CLAIM_ATTEMPTS):
            try:
                return _import_once(ws, path, name, **how)
            except _ClaimFreed:  # the other session's import of the same bytes was undone: this one loads them
                continue
        raise _busy(name or Path(path).name)

    return ws.retrying(once)


def _import_once(
    ws: Workspace,
    path: str | Path,
    name: str | None = None,
    *,
    kind: str | None = None,
    mapping: dict[str, str] | None = None,
    sheet: str | None = None,
    on_duplicate: str = "skip",
    pseudonymise: bool = True,
    is_demo: bool = False,
    options: dict | None = None,
    constants: dict[str, str] | None = None,
    guess_others: bool = False,
) -> ImportReport:
    """Load one file into the workspace in a single transaction.

    Parameters
    ----------
    kind, mapping, sheet : override what detection would choose (mapping: source header → column; a header it
        does not name is kept as extra data, or with `guess_others` takes the column Parcours guesses for it).
    on_duplicate : "skip" (default) leaves an earlier import of the same bytes alone and loads nothing;
        "replace" deletes it and loads again; "keep" loads a second copy (an answer or a ticket is then read once:
        staging/linked_responses.sql, staging/linked_tickets.sql).
    options : override inferred per-column options (decimal marks, date order, survey scales).
    constants : one value for every row of a required column the file lacks ({"channel": "email"}: a ticket
        export with no channel column), among the column's `fixed_choices`; kept in the import's `options`.

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
        asked = kind
        try:
            with ws.transaction() as cur, _csv_reader_errors(src):
                # the file's sha256 is computed while DuckDB reads it: when it is not known yet (a big file),
                # an earlier import of the same bytes is looked for after the load, which is then undone; a small
                # file's is waited for (milliseconds), so its duplicate is found first whatever the machine's load
                checked = src.digest.done() or src.path.stat().st_size <= DIGEST_FIRST_BYTES
                if checked:
                    _check_duplicate(cur, src, sheet, on_duplicate)
                staged = _stage(cur, src, sheet)
                if kind is None:  # a kind the user chose is theirs to choose
                    vendors.refuse_campaign_report(staged.headers, name)
                _reshape(cur, staged)
                # a CSV's first rows are parsed once: the profile's (PROFILE_ROWS) are the first of the
                # options' sample (convert.SAMPLE_ROWS), so the profile reads them from the sample
                first = convert.sample_rows(cur) if src.file_type == "csv" else "stg"
                profiles = profile_columns(cur, staged.headers, first)
                kind, chosen, guessed = _resolve_mapping(
                    cur, staged.headers, profiles, kind, mapping, name, constants, guess_others
                )
                active = {h: t for h, t in chosen.items() if t}
                notes = list(staged.notes)
                as_read = not staged.reshaped  # `stg` holds the file's rows (no vendor shape regrouped them)
                cells = src.delimiter or ";"  # a workbook's row: "a; b; c", as its structural rejects
                ids = [h for h, t in active.items() if t == duplicates.KEYS.get(kind)]
                record_id = staged.headers.index(ids[0]) if ids and as_read else None
                width = len(staged.headers)
                staged.repeats = duplicates.set_aside(cur, record_id, width, cells)
                if staged.repeats:
                    notes += duplicates.notes(staged.repeats)
                    staged.reshaped = True
                    cur.execute("drop table if exists stg_sample")  # `stg` was replaced: sample it again
                if kind == "orders":
                    if staged.repeats:  # the roll-up numbers the rows left: keep the file's row of each
                        cur.execute("create or replace temp table stg_kept as select src_row from stg_origin")
                    note = rollup.roll_up_line_items(cur, staged.headers, active)
                    if note:
                        notes.append(note)
                        staged.reshaped = True
                        cur.execute("drop table if exists stg_sample")  # `stg` was replaced: sample it again
                        if staged.repeats:
                            duplicates.compose_origin(cur)
                opts = convert.infer_options(cur, kind, active, staged.headers)
                if opts.get("woocommerce") and "status" in active.values():
                    notes.append(WOOCOMMERCE_NOTE)
                amounts = [p for h, p in zip(staged.headers, profiles) if active.get(h) in ("amount", "revenue")]
                opts["currency_signs"] = any(p.currency > 0 or p.empty for p in amounts)
                assumed = assumed_currency(cur, kind, active, amounts)
                if assumed:
                    opts["currency"] = assumed
                    notes.append(
                        Note(
                            f"amounts read as {assumed}: the file has no currency column",
                            "currency_assumed",
                            currency=assumed,
                        )
                    )
                for key, value in (options or {}).items():
                    opts[key] = {**opts.get(key, {}), **value} if isinstance(value, dict) else value
                for target in (options or {}).get("date_order", {}):  # the user's day/month order, not the sample's
                    opts.get("date_formats", {}).pop(target, None)
                if constants:
                    opts["constants"] = dict(constants)
                if kind == "responses" and not ids:
                    notes.append(NO_RESPONSE_ID_NOTE)
                if kind == "customers" and record_id is not None:  # one row per customer, among the rows that load
                    rows = duplicates.CANDIDATES
                    conv = convert.load_sql(kind, active, staged.headers, opts, pseudonymise, [], rows=rows).conv
                    dated = duplicates.DATED in active.values()
                    others = duplicates.choose_customers(
                        cur, record_id, width, cells, pseudonymise, conv, dated, numbered=bool(staged.repeats)
                    )
                    if others:
                        notes += duplicates.notes(others)
                        staged.repeats = sorted(staged.repeats + others)
                        staged.reshaped = True
                        cur.execute("drop table if exists stg_sample")  # `stg` was replaced
                fates = column_fates(staged.headers, chosen)
                personal = {
                    h for h, p in zip(staged.headers, profiles) if fates[h]["fate"] == "kept" and looks_personal(p)
                }
                free_text = {
                    h
                    for h, p in zip(staged.headers, profiles)
                    if fates[h]["fate"] == "kept" and h not in personal and looks_like_free_text(p)
                }
                report = _load(
                    cur,
                    src,
                    staged,
                    kind,
                    active,
                    opts,
                    sheet,
                    pseudonymise,
                    is_demo,
                    fates,
                    personal,
                    free_text,
                    notes,
                    on_duplicate,
                    checked,
                )
        except _AlreadyLoaded as found:
            return _skipped(found.import_id, name, asked, src, sheet)
        except (duckdb.ConstraintException, duckdb.TransactionException) as e:
            # another session loaded the same bytes at this very moment: it committed first, or its commit is under
            # way (DuckDB shows its claim then; the message names the claim) and this one waits for its import
            if on_duplicate == "keep":
                raise
            if _claim_key(src.sha256, sheet) in str(e):
                duplicate = _claimed_elsewhere(ws, src.sha256, sheet, name)
                if duplicate is None:
                    raise _ClaimFreed() from e
            else:
                with ws.cursor() as cur:
                    duplicate = _duplicate_of(cur, src.sha256, sheet)
                if duplicate is None:
                    raise
            return _skipped(duplicate, name, kind, src, sheet)
        _save_mapping(ws, staged.headers, kind, chosen)
        return replace(report, guessed=guessed)


class _ClaimFreed(Exception):
    """The session that claimed the same bytes undid its import: this one runs again."""


CLAIM_ATTEMPTS = 3
CLAIM_POLL_SECONDS = 0.1
CLAIM_WAIT_SECONDS = 120  # a commit under way (DuckDB shows another session's claim only once it commits)


def _claimed_elsewhere(ws: Workspace, sha: str, sheet: str | None, name: str) -> int | None:
    """Another session's claim of these bytes (`import_claims`) met this import's: DuckDB shows it once that
    session commits, and its import may not be visible yet. Returns its import's id once visible; None when
    the claim is free after all (that import was undone). Raises WorkspaceError after `CLAIM_WAIT_SECONDS`;
    a duplicate of another key is raised as it is."""
    claim = _claim_key(sha, sheet)
    deadline = time.monotonic() + CLAIM_WAIT_SECONDS
    while time.monotonic() < deadline:
        with ws.cursor() as cur:
            found = _duplicate_of(cur, sha, sheet)
        if found is not None:
            return found
        try:
            with ws.transaction(finish_erasure=False) as cur:
                cur.execute("insert into import_claims values ($claim, -1)", {"claim": claim})
                raise _ClaimFreed()  # undoes the probe
        except _ClaimFreed:
            with ws.cursor() as cur:  # it may have committed between the look-up and the probe
                return _duplicate_of(cur, sha, sheet)
        except (duckdb.ConstraintException, duckdb.TransactionException) as e:
            # a write-write conflict does not always name the key; another key's duplicate is not this wait's
            if isinstance(e, duckdb.ConstraintException) and claim not in str(e):
                raise
            time.sleep(CLAIM_POLL_SECONDS)
    raise _busy(name)


def _busy(name: str) -> WorkspaceError:
    return WorkspaceError(
        "another session is importing the same file at this moment, and its import did not finish",
        file=name,
        fix="wait a minute, then look at the import history before loading it again",
        key="import_busy",
    )


class _AlreadyLoaded(Exception):
    """The same bytes are already loaded and the caller said skip: the import's transaction is undone."""

    def __init__(self, import_id: int):
        super().__init__(import_id)
        self.import_id = import_id


def _check_duplicate(cur, src: _Source, sheet: str | None, on_duplicate: str) -> None:
    """An earlier import of the same bytes and sheet: skip (raise `_AlreadyLoaded`), replace (delete it) or keep."""
    duplicate = _duplicate_of(cur, src.sha256, sheet)
    if duplicate is not None and on_duplicate == "skip":
        raise _AlreadyLoaded(duplicate)
    if duplicate is not None and on_duplicate == "replace":
        _delete(cur, duplicate)


def _skipped(duplicate: int, name: str, kind: str | None, src: _Source, sheet: str | None) -> ImportReport:
    return ImportReport(
        duplicate,
        name,
        kind or "",
        "skipped",
        0,
        0,
        0,
        {},
        (),
        src.encoding,
        src.delimiter,
        sheet,
        f"already imported as import #{duplicate}; nothing loaded",
    )


def _save_mapping(ws: Workspace, headers: list[str], kind: str, mapping: dict) -> None:
    """Remember the mapping for the next file of the same shape. Outside the import's transaction: two
    sessions loading files of one shape at once would otherwise conflict on it, and it is only a hint."""
    try:
        with ws.transaction() as cur:
            keys.upsert(
                cur,
                "mappings",
                {"signature": mapping_mod.header_signature(headers), "kind": kind, "mapping": json.dumps(mapping)},
                ("signature",),
                sql={"saved_at": "now()::timestamp"},
            )
    except duckdb.Error:
        pass  # another session saved the same shape at the same moment


def _resolve_mapping(
    cur, headers, profiles, kind, mapping, name, constants=None, guess_others=False
) -> tuple[str, dict, tuple]:
    """The kind and mapping to load with, and the headers whose column is a guess: the caller's mapping (with
    `guess_others`, every header it does not name takes the guess, as on the Data page when a user changes one
    dropdown), else the one saved for this shape, else inferred. A source mapped to None is ignored by the user's
    choice; the user's entries win: a guess for a column the user gave another header is left out (kept as extra)."""
    if kind is None and mapping is not None and (any(mapping.values()) or not guess_others):
        kind = _kind_holding(mapping, headers, profiles)  # the user's columns say which kind
    if mapping is not None and not guess_others:
        mapping_mod.check_mapping(mapping, kind, headers, name, constants)
        return kind, dict(mapping), ()
    kind, guesses = _guessed_mapping(cur, headers, profiles, kind, name)
    partial, given = mapping is not None, mapping or {}
    taken = {t for t in given.values() if t}
    guessed = {h: t for h, t in guesses.items() if h in headers and h not in given and t not in taken}
    mapping = {**guessed, **given}
    mapping_mod.check_mapping(mapping, kind, headers, name, constants)
    return kind, mapping, tuple(h for h in headers if guessed.get(h)) if partial else ()


def _kind_holding(mapping: dict, headers, profiles) -> str:
    """The likeliest kind whose table has every column the mapping names (else the likeliest: the check then says
    which column is unknown)."""
    scores = mapping_mod.infer(headers, profiles).scores
    ranked = sorted(KINDS, key=lambda k: -scores[k])
    targets = {t for t in mapping.values() if t}
    return next((k for k in ranked if targets <= set(TABLES[k].names)), ranked[0])


def refuse_totals(headers: list[str], name: str) -> None:
    """Raise FileRefused: the file is a report of totals (`mapping.is_totals_report`, or no kind and many totals)."""
    metrics = mapping_mod.aggregated_columns(headers)
    raise FileRefused(
        f"this is a report of totals (aggregated figures such as {', '.join(metrics[:3])}), not "
        "one row per visit, event, order or answer: journeys, funnels and cohorts need the rows",
        file=name,
        fix="export the raw data instead: GA4 → the BigQuery export of the events_ "
        "table (NDJSON or Parquet); Matomo → the Visits log (Live.getLastVisitsDetails)"
        "; a shop or CRM → its orders or contacts export",
        key="refused.totals",
        values={"metrics": ", ".join(metrics[:3])},
    )


def _guessed_mapping(cur, headers, profiles, kind, name) -> tuple[str, dict]:
    """The kind and mapping Parcours proposes: the one saved for this shape (of that kind), else inferred; a report
    of totals, a file of no clear kind, or one of two kinds (without `kind`) is refused."""
    saved = _saved_mapping(cur, headers)
    if saved and (kind is None or saved[0] == kind):
        return saved
    inference = mapping_mod.infer(headers, profiles)
    if kind is None and mapping_mod.is_totals_report(headers):
        refuse_totals(headers, name)
    if kind is None:
        metrics = mapping_mod.aggregated_columns(headers)
        if inference.kind is None and len(metrics) >= max(2, len(headers) // 3):
            refuse_totals(headers, name)
        if inference.kind is None and inference.scores[inference.likeliest[0]] < mapping_mod.MIN_KIND:
            raise MappingError(
                "cannot tell what this file holds from its headers and values "
                f"({', '.join(headers[:8])}{'…' if len(headers) > 8 else ''})",
                file=name,
                fix="choose its kind (events, customers, orders, tickets, responses) and map its columns",
                key="mapping.kind_unknown",
            )
        if inference.kind is None:
            first, second = inference.likeliest
            raise MappingError(
                f"not sure what this file holds: it looks most like {first} "
                f"(score {inference.scores[first]:.1f}) or {second} ({inference.scores[second]:.1f})",
                file=name,
                fix=f"choose its kind (--kind {first} or --kind {second}) and check the column mapping",
                key="mapping.kind_unsure",
                values={"first": first, "second": second},
            )
        kind = inference.kind
    return kind, inference.mappings[kind]


PERSONAL_WORDS = {
    "email",
    "mail",
    "courriel",
    "name",
    "nom",
    "prenom",
    "firstname",
    "lastname",
    "phone",
    "telephone",
    "tel",
    "mobile",
    "address",
    "adresse",
    "street",
    "rue",
    "ip",
    "birthday",
    "naissance",
    "iban",
    "zip",
    "postal",
    "postcode",
    "requester",
    "submitter",
    "holder",
    "latitude",
    "longitude",
    "demandeur",
}
# the person a row is assigned to on the shop's side: a deal's or a contact's owner (HubSpot "Deal owner",
# "Propriétaire de la transaction"), a ticket's assignee or agent (Gorgias, Zendesk, Freshdesk, Intercom "Teammate",
# "Assigné à", "Attribué à"), the salesperson or adviser ("Vendeur", "Commercial", "Responsable", "Conseillère").
# Staff names are personal data too: pseudonymised as a customer's name is, the same person always the same pseudonym.
# (A customer-side person — a company's "Responsable achats" in a CRM — is pseudonymised as well, as a name should be.)
STAFF_WORDS = {
    "owner",
    "proprietaire",
    "assignee",
    "assigned",
    "assigne",
    "attribue",
    "attribuee",
    "agent",
    "teammate",
    "vendeur",
    "vendeuse",
    "commercial",
    "responsable",
    "conseiller",
    "conseillere",
}
# the person who wrote the record ("Créé par", "Created by"): words that name no one apart
STAFF_PHRASES = ("cree_par", "creee_par", "created_by")
# a "name" that is not a person's
NOT_A_PERSON = {
    "device",
    "page",
    "product",
    "item",
    "lineitem",
    "campaign",
    "event",
    "title",
    "company",
    "shop",
    "store",
    "os",
    "source",
    "site",
    "deal",
    "referrer",
    "referrertype",
    "browser",
    "traffic",
    "medium",
    "pipeline",
    "goal",
    "file",
    "sheet",
    "variant",
}


def assumed_currency(cur, kind: str, mapping: dict[str, str], amounts: list) -> str | None:
    """The currency given to an orders file's amounts when nothing in the file says one (no currency column, no
    sign or code in its amounts nor in their header): the workspace's (`money.workspace_currency`), so they are
    added to the other files' money instead of being set apart as of unknown currency. None when the file says."""
    amount = next((h for h, t in mapping.items() if t == "amount"), None)
    if kind != "orders" or amount is None or "currency" in mapping.values():
        return None
    if convert.header_currency(amount) or any(p.currency > 0 for p in amounts):
        return None
    return workspace_currency(cur)


def empty_key_problems(problems: pd.DataFrame, mapping: dict[str, str], rows: int) -> pd.DataFrame:
    """The problems, a customer id missing on most rows said as such (`missing_customer_id`): the column mapped
    as the customer id is the wrong one, its fix is to map another, not to fill each cell."""
    source = next((h for h, t in mapping.items() if t == "customer_id"), None)
    empty = (problems["code"] == "missing") & (problems["column"] == source)
    if source is None or rows < 3 or problems.loc[empty, "row_index"].nunique() * 2 <= rows:
        return problems
    return problems.assign(
        code=problems["code"].mask(empty, "missing_customer_id"),
        reason=problems["reason"].mask(empty, "customer id empty on most rows"),
    )


def looks_personal(p) -> bool:
    """A kept column that names a person (a customer, or the employee a row is assigned to), an address or a phone,
    or holds e-mails: pseudonymised."""
    exact, loose = mapping_mod.header_forms(p.header)
    tokens = {re.sub(r"\d+$", "", t) for form in exact + loose for t in form.split("_")}  # address1 → address
    staff = tokens & STAFF_WORDS - ({"agent"} if "user" in tokens else set())  # a browser's user agent is no one
    written_by = any(f"_{phrase}_" in f"_{form}_" for form in exact + loose for phrase in STAFF_PHRASES)
    if staff or written_by:  # "Deal owner": a deal is no person, its owner is; "Agent wait time in minutes" is a number
        return p.number < 0.5 and p.instant < 0.5
    if tokens & NOT_A_PERSON or any(t.endswith("name") and t != "name" and t[:-4] in NOT_A_PERSON for t in tokens):
        return p.email >= 0.5
    return bool(tokens & PERSONAL_WORDS) or p.email >= 0.5


def looks_like_free_text(p) -> bool:
    """A kept column of sentences (a ticket's first message, a note): the e-mails, phones, names and addresses
    written in it are masked as a comment's are. Events' properties are left as they are (free text is rare there,
    and the check would cost on millions of rows)."""
    return p.spaces >= 0.5 and p.mean_length >= 20 and p.number < 0.5 and p.instant < 0.5


def column_fates(headers: list[str], mapping: dict) -> dict[str, dict]:
    """What became of each source column: mapped (to a canonical column), kept (as extra data) or ignored
    (the user said so)."""
    fates = {}
    for h in headers:
        if mapping.get(h):
            fates[h] = {"fate": "mapped", "column": mapping[h]}
        elif h in mapping:
            fates[h] = {"fate": "ignored", "column": None}
        else:
            fates[h] = {"fate": "kept", "column": None}
    return fates


def _load(
    cur,
    src,
    staged,
    kind,
    mapping,
    options,
    sheet,
    pseudonymise,
    is_demo,
    fates,
    personal,
    free_text,
    notes,
    on_duplicate,
    checked,
) -> ImportReport:
    """`checked`: the duplicate check was done before the load (the file's sha256 was known then)."""
    started = dt.datetime.now()
    import_id = keys.next_import_id(cur)
    claim = on_duplicate != "keep"
    claim_key = _claim_key(src.sha256, sheet)
    if (
        claim and checked
    ):  # first: a session whose import of the same bytes committed meanwhile conflicts here, before any work
        cur.execute("insert into import_claims values ($claim, $id)", {"claim": claim_key, "id": import_id})
    kept = [h for h in staged.headers if fates[h]["fate"] == "kept"]
    table = TABLES[kind]
    # a big file's epochs are converted to local time by the zone's daily offsets, not `timezone()` per row
    timed = any(table.column(c).type in ("timestamp", "date") for c in mapping.values())
    days = None
    if timed and src.path.stat().st_size >= ZONE_DAYS_MIN_BYTES:
        days = convert.zone_days(cur, options.get("timezone", convert.DEFAULT_TIMEZONE))
    ascii = src.ascii and src.file_type == "csv" and not staged.reshaped  # `stg` is the ASCII file's text
    erased = bool(cur.execute("select count(*) from erased_keys").fetchall()[0][0])  # people erased here
    sql = convert.load_sql(
        kind,
        mapping,
        staged.headers,
        options,
        pseudonymise,
        kept,
        personal,
        days,
        ascii,
        free_text=free_text,
        erased=erased,
    )
    columns = ", ".join(f'"{c}"' for c in table.stored)
    extra = (", csat_scale, ces_scale, ces_higher_is_better" if kind == "responses" else "") + (
        ", properties" if table.keeps_properties else ", extra"
    )
    select = (
        f"select {import_id}, {columns}{extra} from (select {sql.values} from ({sql.conv}) "
        f"where ok and {sql.erased_at} is null)"
    )
    if kind == "orders":  # an export without order ids gets generated ones
        select = select.replace('"order_id",', f"coalesce(\"order_id\", 'gen-{import_id}-' || uuid()::varchar),", 1)
    # fast path: parse and insert the clean rows in one pass over the file
    # filter pushdown would copy every parse expression into the `where ok` filter and parse each value
    # twice (bench/ingest.py measured it: about 20 % of an import); this cursor is ours alone
    cur.execute("set disabled_optimizers = 'filter_pushdown'")
    try:
        loaded = cur.execute(
            f"insert into {stored_table(cur, kind)} (import_id, {columns}{extra}) {select}"
        ).fetchall()[0][0]
    finally:
        cur.execute("reset disabled_optimizers")
    if not checked:  # the sha256 was computed meanwhile
        _check_duplicate(cur, src, sheet, on_duplicate)
        if claim:
            cur.execute("insert into import_claims values ($claim, $id)", {"claim": claim_key, "id": import_id})
    if kind in ("tickets", "responses"):  # after the same bytes' earlier import was replaced
        notes += already_loaded(cur, import_id)
    if src.file_type == "csv":
        readers.collect_csv_rejects(cur, staged)
    repeated = []  # listed among the rejected rows, at their line in the file (known once the rest is)
    if staged.repeats:
        indexes = sorted({i for row, other, *_ in staged.repeats for i in (row, other)})
        repeated = duplicates.rejects(staged.repeats, _lines_of(cur, src, _as_read(staged), indexes))
    rows = None
    if src.file_type == "csv" and not staged.reshaped:
        rows = rows_proven_by_lines(src.lines, src.skip, loaded, staged.rejected_rows)
    staged.rows = rows if rows is not None else cur.execute("select count(*) from stg").fetchall()[0][0]
    # slow path, only when some rows have problems, or values may be left out of loaded rows (a ticket's
    # unreadable satisfaction): find them, in file order
    if staged.rows > loaded or sql.cells:
        cur.execute(f"create or replace temp table conv as {sql.conv}")
        problems = cur.execute(sql.problems).df()
    else:
        problems = pd.DataFrame({c: [] for c in ("row_index", "column", "value", "code", "reason")})
    # the rows keyed by an erased person: neither loaded nor listed among the rejected rows, counted
    withheld = [] if not erased or staged.rows == loaded else withheld_rows(cur, sql.erased_at)
    problems = empty_key_problems(problems, mapping, staged.rows)
    lines = _lines_of(cur, src, staged, sorted(set(problems["row_index"].tolist())))
    problems["line"] = problems["row_index"].map(lines)
    set_aside = [*staged.rejects, *repeated]  # rows rejected on reading, rows repeated
    inverse = {t: h for h, t in mapping.items()}
    as_read = staged.file_headers or staged.headers  # a rejected line is as in the file
    cells = src.delimiter or (";" if src.file_type == "xlsx" else None)  # a workbook's row: "a; b; c"
    if pseudonymise:
        names = set(personal) | {inverse[c.name] for c in table.columns if c.name in inverse and c.personal}
        if options.get("customer_id_names"):  # customers keyed by their names ("G. THOMAS")
            names.add(inverse["customer_id"])
        private = {as_read.index(h) for h in names if h in as_read}
        # a customer or visitor id is pseudonymised as in a loaded row: only when it is an e-mail
        ids = {as_read.index(inverse[c]) for c in ("customer_id", "visitor_id") if inverse.get(c) in as_read}
        # two passes: the values to hide first, pseudonymised in one query (one query each took ~26 CPU s for 10k
        # rejected customers), then the lines written with them
        hidden: set[str] = set()
        for r in set_aside:
            mask_personal(r.value, cells, private, lambda v: hidden.add(v) or v, ids, len(as_read))
        pseudonyms = _pseudonyms(cur, hidden)
        masked = [mask_personal(r.value, cells, private, pseudonyms.__getitem__, ids, len(as_read)) for r in set_aside]
    else:
        masked = [r.value for r in set_aside]
    keyed = {as_read.index(inverse[c]) for c in convert.PERSON_KEYS if inverse.get(c) in as_read}
    named = erased_lines(cur, masked, cells, keyed) if erased and set_aside and keyed and cells else {}
    if named:  # a whole line set aside (unreadable, repeated) that names an erased person
        withheld += [named[i] for i in sorted(named)]
        set_aside = [r for i, r in enumerate(set_aside) if i not in named]
        masked = [m for i, m in enumerate(masked) if i not in named]
    structural = pd.DataFrame(
        {
            "line": [r.line for r in set_aside],
            "column": [r.column for r in set_aside],
            "value": masked,
            "code": [r.code for r in set_aside],
            "reason": [r.reason for r in set_aside],
        }
    )
    all_rejects = pd.concat(
        [structural, problems[["line", "column", "value", "code", "reason"]]], ignore_index=True
    ).sort_values("line", kind="stable")
    if len(all_rejects):
        cur.register("rejects_frame", all_rejects)
        cur.execute(f'insert into rejects select {import_id}, line, "column", value, code, reason from rejects_frame')
        cur.unregister("rejects_frame")
    left_out = problems["code"].isin(ratings.CELL_CODES)  # a value left out of a loaded row
    rejected = staged.rejected_rows + len(repeated) - len(named) + problems.loc[~left_out, "row_index"].nunique()
    in_loaded_row = left_out & ~problems["row_index"].isin(problems.loc[~left_out, "row_index"])
    no_score = in_loaded_row & (problems["code"] == "no_score")
    empty_cells = int((in_loaded_row & ~no_score).sum())
    if empty_cells:
        notes.append(
            Note(f"{empty_cells} unreadable value(s) left empty, their rows loaded", "cells_left_out", n=empty_cells)
        )
    # a survey's "N/A" score: the answer (comment, e-mail) is loaded without it; said per score column
    for column, cells in problems[no_score].groupby("column", sort=False):
        score, n = mapping[column].upper(), cells["row_index"].nunique()
        notes.append(
            Note(
                f"{n} answer(s) whose {score} ({column!r}) is no score ('N/A', a word), loaded without it",
                "no_score_column",
                n=n,
                score=score,
                column=column,
            )
        )
    if withheld:
        n, day = len(withheld), max(withheld).date().isoformat()
        notes.append(Note(f"{n} row(s) of a person erased on {day} not loaded", "erased_person", n=n, date=day))
    read = staged.rows + staged.rejected_rows + len(repeated)
    assert read == loaded + rejected + len(withheld), (read, loaded, rejected, len(withheld))
    if kind == "tickets":
        note = ticket_channels.unknown_channels_note(cur, import_id)
        if note:
            notes.append(note)
    if kind == "orders" and "status" in mapping.values():
        notes += order_statuses.status_notes(cur, import_id)
    notes += crm_match.crm_match_notes(cur, import_id, kind)  # orders that match no CRM customer, or the reverse
    currency = None
    if "currency" in table.names:
        found = cur.execute(
            f"select distinct currency from {stored_table(cur, kind)} where import_id = $id and currency is not null",
            {"id": import_id},
        ).fetchall()
        currency = found[0][0] if len(found) == 1 else None
        if len(found) > 1:
            codes = ", ".join(sorted(r[0] for r in found))
            notes.append(Note(f"several currencies: {codes}", "currencies", currencies=codes))
    cur.execute(
        """insert into imports (import_id, file_name, sha256, kind, file_type, encoding, delimiter, sheet, mapping,
            options, rows_read, rows_loaded, rows_rejected, status, is_demo, started_at, finished_at, currency,
            column_fates, notes)
            values ($id, $name, $sha, $kind, $type, $enc, $delim, $sheet, $mapping, $options,
            $read, $loaded, $rejected, 'loaded', $demo, $started, $finished, $currency, $fates, $notes)""",
        {
            "id": import_id,
            "name": src.name,
            "sha": src.sha256,
            "kind": kind,
            "type": src.file_type,
            "enc": src.encoding,
            "delim": src.delimiter,
            "sheet": sheet,
            "mapping": json.dumps(mapping),
            "options": json.dumps(options),
            "read": read,
            "loaded": loaded,
            "rejected": rejected,
            "demo": is_demo,
            "started": started,
            "finished": dt.datetime.now(),
            "currency": currency,
            "fates": json.dumps(fates),
            "notes": json.dumps(notes),
        },
    )
    report_rejects = tuple(
        Reject(
            int(r.line) if pd.notna(r.line) else 0,
            r.column or "",
            None if pd.isna(r.value) else r.value,
            r.reason,
            r.code,
        )
        for r in all_rejects.head(REPORT_REJECTS).itertuples()
    )
    return ImportReport(
        import_id,
        src.name,
        kind,
        "loaded",
        read,
        loaded,
        rejected,
        mapping,
        report_rejects,
        src.encoding,
        src.delimiter,
        sheet,
        columns=fates,
        notes=tuple(notes),
        currency=currency,
        constants=dict(options.get("constants", {})),
    )


def withheld_rows(cur, erased_at: str) -> list[dt.datetime]:
    """When each row of conv keyed by an erased person was erased (`erased_at`: its time or null, over conv)."""
    return [
        r[0] for r in cur.execute(f"select * from (select {erased_at} as t from conv) where t is not null").fetchall()
    ]


def erased_lines(cur, lines: list[str | None], delimiter: str, keyed: set[int]) -> dict[int, dt.datetime]:
    """The lines set aside whole (as kept: pseudonymised) whose field at a key column's position (`keyed`: customer
    id, e-mail, visitor id) is the key of an erased person, by their index, with the time of that erasure
    (`ingest_erased_lines.sql`). Another column's value equal to a key (Bob's quantity 7, Ana's id "7") is no key."""
    at, fields = [], []
    for i, line in enumerate(lines):
        for position, value in enumerate(_fields(line, delimiter)):
            if position in keyed and value.strip():
                at.append(i)
                fields.append(value.strip())
    return dict(run_sql(cur, "ingest_erased_lines.sql", {"at": at, "fields": fields}).fetchall())


def _fields(line: str | None, delimiter: str) -> list[str]:
    """A rejected line's fields as the CSV reader splits them; none when it cannot be read (a line break outside
    quotes)."""
    try:
        return next(csv.reader([(line or "").strip("\r\n")], delimiter=delimiter), [])
    except csv.Error:
        return []


def already_loaded(cur, import_id: int) -> list[Note]:
    """The import report's line on the answers or tickets an earlier import loaded too (same id, same date: the
    same survey as CSV then XLSX, a helpdesk's export of the next week): every row is kept, and the pages read this
    import's, the newest (staging/linked_responses.sql, staging/linked_tickets.sql), so deleting either import
    leaves the other's."""
    n, imports = cur.execute(sql_file("ingest_already_loaded.sql"), {"id": import_id}).fetchall()[0]
    if not n:
        return []
    said = f"{n} row(s) an earlier import (#{imports}) loaded too, with the same id and date: counted once, this import's read"
    return [Note(said, "already_loaded", n=n, imports=imports)]


def rows_proven_by_lines(lines: int | None, skip: int, loaded: int, rejected: int) -> int | None:
    """The rows of a CSV's staging view, when the file's line count proves it without reading the file again;
    else None (count them). `lines`: physical lines of the file (or more), `skip`: lines before the header.

    Every row takes at least one line: a loaded row, a rejected one, and a row held back by a bad value.
    When the data lines are exactly the loaded plus the rejected rows, no line is left for a held-back row,
    so the view's rows are the loaded ones. Anything else (quoted line breaks, blank lines, held-back rows, a
    header over two lines) leaves lines over: the count is not proven."""
    if lines is not None and lines - skip - 1 == loaded + rejected:
        return loaded
    return None


EMAIL = re.compile(r"[^@\s;,\t|\"']+@[^@\s;,\t|\"']+\.[A-Za-z]{2,}")


def mask_personal(
    raw: str | None, delimiter: str | None, positions: set[int], pseudonym, ids: set[int] = frozenset(), width: int = 0
) -> str | None:
    """A rejected line as kept in `rejects`: the fields of personal columns (by position), the fields of id
    columns (`ids`) that hold an e-mail, and any e-mail anywhere replaced by their pseudonyms, so a reject holds no
    more personal data than a loaded row, and shows an id that is not personal ("5") as the loaded rows show it.
    A line of personal columns read as fewer fields than the header's `width` (a stray quote swallowed the cells
    after it: `5;"BROKEN;Paul QUIMPERLE;…`) has no positions to trust: it is hidden whole."""
    if not raw:
        return raw
    if delimiter and (positions or ids):
        # DuckDB's line of a rejected row may keep the line break before it (lone CR line ends)
        try:
            fields = next(csv.reader([raw.strip("\r\n")], delimiter=delimiter), [])
        except csv.Error:  # a line break outside quotes: no field positions to trust, the whole line is hidden
            return pseudonym(raw)
        if positions and len(fields) < width:
            return pseudonym(raw)
        fields = [
            pseudonym(f) if (i in positions and f.strip()) or (i in ids and "@" in f) else f
            for i, f in enumerate(fields)
        ]
        raw = delimiter.join(_quoted(f, delimiter) for f in fields)
    return EMAIL.sub(lambda m: pseudonym(m.group(0)), raw)


def _quoted(field: str, delimiter: str) -> str:
    """A CSV field as written back into a rejected line: quoted when it holds the delimiter, a quote or a
    line break."""
    if any(c in field for c in (delimiter, '"', "\n", "\r")):
        return '"' + field.replace('"', '""') + '"'
    return field


def _pseudonyms(cur, values: set[str]) -> dict[str, str]:
    """Each value's pseudonym, in one query."""
    if not values:
        return {}
    return dict(cur.execute("select v, cx_pseudonymise(v) from unnest($v) t(v)", {"v": list(values)}).fetchall())


def _lines_of(cur, src, staged, row_indexes: list[int]) -> dict[int, int]:
    if not row_indexes:
        return {}
    if staged.reshaped:  # a rolled-up order's line is its first line item's; an action's, its visit's
        origin = [r[0] for r in cur.execute("select src_row from stg_origin order by rowid").fetchall()]
        lines = _lines_of(cur, src, _as_read(staged), sorted({origin[i] for i in row_indexes}))
        return {i: lines[origin[i]] for i in row_indexes}
    if src.file_type == "csv":
        return readers.csv_lines_of(staged, row_indexes)
    # xlsx: the sheet's row numbers; json / parquet: the record number (a Matomo action: its visit's)
    lines = [r[0] for r in cur.execute("select line from stg_lines order by rowid").fetchall()]
    return {i: lines[i] for i in row_indexes}


def _as_read(staged):
    plain = copy.copy(staged)
    plain.reshaped = False
    return plain


def _reshape(cur, staged) -> None:
    """Vendor shapes that regroup rows once read (a Matomo visits log flattened into one row per visit)."""
    wide = vendors.unpivot_matomo_wide(cur, staged.headers)
    if wide:
        staged.file_headers = staged.headers
        staged.headers, note = wide
        staged.notes.append(note)
        staged.reshaped = True


def _delete(cur, import_id: int) -> None:
    """Within an import's transaction (a replaced duplicate); `transaction` erases it after the commit."""
    for t in (*TABLES, "rejects", "imports", "import_claims"):
        cur.execute(f"delete from {stored_table(cur, t)} where import_id = $id", {"id": import_id})
    rewrite.mark_pending(cur)


def earlier_import(ws: Workspace, sha256: str, sheet: str | None = None) -> EarlierImport | None:
    """The latest import still in the workspace of a file of these very bytes (`Detection.sha256`) and this sheet
    (`Detection.sheet`: a workbook's other sheet is another import; None for a CSV), the one a load would skip or
    replace; None when there is none."""
    with ws.cursor() as cur:
        row = run_sql(cur, "ingest_earlier_import.sql", {"sha256": sha256, "sheet": sheet}).fetchall()
    return EarlierImport(*row[0]) if row else None


def list_imports(ws: Workspace) -> pd.DataFrame:
    """Import history, newest first: import_id, file_name, kind, file_type, encoding, delimiter, sheet,
    rows_read, rows_loaded, rows_rejected, status (`nothing_loaded` for a loaded file whose every row was
    rejected), is_demo, started_at, finished_at, constants (the values given to every row for a column the file
    lacked, as JSON text {"channel": "email"}; null when none)."""
    with ws.cursor() as cur:
        return cur.execute(
            "select import_id, file_name, kind, file_type, encoding, delimiter, sheet, rows_read, rows_loaded, "
            "rows_rejected, case when status = 'loaded' and rows_loaded = 0 and rows_rejected > 0 "
            "then 'nothing_loaded' else status end as status, is_demo, started_at, finished_at, "
            "json_extract_string(options, '$.constants') as constants from imports order by import_id desc"
        ).df()


def rejects_of(ws: Workspace, import_id: int) -> pd.DataFrame:
    """Rejected rows of one import: line, column, value, code, reason, in file order (`cx.rejects.rejected_rows`
    without the import's id and file name)."""
    from ..rejects import rejected_rows

    return rejected_rows(ws, import_id).drop(columns=["import_id", "file_name"])

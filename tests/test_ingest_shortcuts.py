"""Property tests of the importer's shortcuts: each one must give exactly what the long way gives.

* `convert.trimmed` calls DuckDB's `trim` only where it can change the text: for any text it equals `trim`.
* `load.rows_proven_by_lines` takes the rows of a CSV from its line count, skipping a second read of the
  file, only when the count proves them: on random files (quoted line breaks, blank lines, rows held back by a
  bad value, ragged rows, CRLF or lone CR endings, a missing last newline) the import reports exactly what it
  reports when the rows are always counted, and what the file holds.
* The duplicate check after the load (the file's sha256 is computed while DuckDB reads it) skips, replaces
  or keeps exactly as the check before it does.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from cx.ingest import convert, fingerprint, import_file, list_imports, load
from cx.ingest.readers import SPACES
from cx.workspace import Workspace

# every Unicode space trim removes, characters just around '!' and space in byte order, tabs and line breaks
# (which trim keeps), accents, a CJK space lookalike, emoji, and plain ASCII
EDGE_CHARS = list(SPACES) + ["\t", "\n", "\r", "\x00", "\x1f", "!", '"', "~", "\x7f", "\u0080", "\u200b", "\ufeff"]
CHARS = EDGE_CHARS + list("aZ09-_.,;@/é€’中😀")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(CHARS), max_size=6).map("".join), min_size=1, max_size=40))
def test_the_guarded_trim_equals_trim_on_any_text(texts):
    con = duckdb.connect()
    rows = con.execute(
        f"select v, trim(v), {convert.trimmed('v')} from (select unnest($texts) as v)", {"texts": texts}
    ).fetchall()
    assert [(v, t) for v, t, _ in rows] == [(v, g) for v, _, g in rows]


ASCII_CHARS = [chr(c) for c in range(0x80)]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(st.sampled_from(ASCII_CHARS), max_size=6).map("".join), min_size=1, max_size=40))
def test_the_ascii_guarded_trim_equals_trim_on_any_ascii_text(texts):
    """A file of ASCII bytes: its values have no Unicode space, so the guard drops the ASCII test."""
    con = duckdb.connect()
    rows = con.execute(
        f"select v, trim(v), {convert.trimmed('v', ascii=True)} from (select unnest($texts) as v)", {"texts": texts}
    ).fetchall()
    assert [(v, t) for v, t, _ in rows] == [(v, g) for v, _, g in rows]


def test_the_guarded_trim_by_hand():
    con = duckdb.connect()
    cases = {
        "": "",
        "a": "a",
        " a": "a",
        "a ": "a",
        "\u00a0a\u202f": "a",  # no-break spaces: non-ASCII, so trimmed
        "a\u3000": "a",
        "\ta": "\ta",  # a tab is not a space for trim (the guard still calls it: below '!')
        "é ": "é",
        "!a!": "!a!",  # starts at '!' exactly: left as is
    }
    got = dict(
        con.execute(f"select v, {convert.trimmed('v')} from (select unnest($v) as v)", {"v": list(cases)}).fetchall()
    )
    assert got == cases
    assert con.execute(f"select {convert.trimmed('null::varchar')}").fetchone()[0] is None


# ---------------------------------------------------------------- the line-count shortcut

HEADER = "event_time,visitor_id,event_name,page"
MAPPING = {h: h for h in HEADER.split(",")}  # not inferred: a file of bad dates alone would not look like events
# (text of the row, what the import does with it): loaded, held back by a bad value (rejected with its
# reason), rejected by the CSV reader (ragged), or skipped as blank (no row at all)
ROWS = {
    "good": ("2025-03-01 10:00:00,v1,page_view,/a", "loaded"),
    "padded": ("  2025-03-01 10:00:00 , v1 ,page_view, /a ", "loaded"),
    "quoted_break": ('2025-03-01 10:00:00,v2,page_view,"/a\nb"', "loaded"),
    "bad_date": ("demain,v1,page_view,/a", "held"),
    "no_event": ("2025-03-01 10:00:00,v1,,/a", "held"),
    "bad_and_break": ('hier,v3,click,"/x\ny"', "held"),
    "short": ("2025-03-01 10:00:00,v1,page_view", "ragged"),
    "long": ("2025-03-01 10:00:00,v1,page_view,/a,extra", "ragged"),
    "blank": ("", "blank"),
    "spaces": (" , , , ", "blank"),
}


@st.composite
def csv_files(draw):
    kinds = draw(st.lists(st.sampled_from(sorted(ROWS)), min_size=1, max_size=12))
    ending = draw(st.sampled_from(["\n", "\r\n", "\r"]))
    last_newline = draw(st.booleans())
    lines = [HEADER] + [ROWS[k][0].replace("\n", ending) for k in kinds]
    return ending.join(lines) + (ending if last_newline else ""), kinds


def _report(path: Path, monkeypatch=None, shortcut: bool = True):
    with tempfile.TemporaryDirectory(prefix="cx-lines-") as tmp:
        ws = Workspace(Path(tmp) / "w.duckdb")
        try:
            if not shortcut:
                monkeypatch.setattr(load, "rows_proven_by_lines", lambda *a: None)
            report = import_file(ws, path, kind="events", mapping=MAPPING)
        finally:
            monkeypatch.undo() if not shortcut else None
            ws.close()
    return (
        report.rows_read,
        report.rows_loaded,
        report.rows_rejected,
        [(r.line, r.column, r.code) for r in report.rejects],
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(csv_files())
def test_the_line_count_shortcut_reports_what_counting_the_rows_reports(monkeypatch, tmp_path, drawn):
    text, kinds = drawn
    if all(ROWS[k][1] == "blank" for k in kinds):
        return  # a file without a single row is refused, whichever way
    path = tmp_path / "events.csv"
    path.write_bytes(text.encode("utf-8"))
    fast = _report(path)
    slow = _report(path, monkeypatch, shortcut=False)
    assert fast == slow
    fates = [ROWS[k][1] for k in kinds]
    read, loaded, rejected, _ = fast
    # what the file holds, independently of both ways of counting
    assert (read, loaded, rejected) == (
        len(fates) - fates.count("blank"),
        fates.count("loaded"),
        fates.count("held") + fates.count("ragged"),
    )


def test_the_shortcut_is_taken_on_a_clean_file_and_not_when_a_row_is_held_back(tmp_path, monkeypatch):
    taken = []
    proven = load.rows_proven_by_lines
    monkeypatch.setattr(load, "rows_proven_by_lines", lambda *a: taken.append(proven(*a)) or taken[-1])
    clean = tmp_path / "clean.csv"
    clean.write_text(HEADER + "\n" + "\n".join([ROWS["good"][0], ROWS["short"][0], ROWS["good"][0]]) + "\n")
    held = tmp_path / "held.csv"
    held.write_text(HEADER + "\n" + "\n".join([ROWS["good"][0], ROWS["bad_date"][0]]))
    with tempfile.TemporaryDirectory(prefix="cx-lines-") as tmp:
        ws = Workspace(Path(tmp) / "w.duckdb")
        try:
            # 4 lines: header + 3 data lines = 2 loaded + 1 rejected by the reader: proven
            assert import_file(ws, clean, kind="events", mapping=MAPPING).rows_read == 3
            # header + 2 data lines, 1 loaded + 0 rejected by the reader: a line is left, the rows are counted
            assert import_file(ws, held, kind="events", mapping=MAPPING).rows_read == 2
        finally:
            ws.close()
    assert taken == [2, None]
    # by hand: lines, lines before the header, loaded, rejected by the reader
    assert load.rows_proven_by_lines(4, 0, 2, 1) == 2
    assert load.rows_proven_by_lines(5, 0, 2, 1) is None  # a line over: a blank line or a held-back row
    assert load.rows_proven_by_lines(None, 0, 2, 1) is None  # lone CR line ends: lines unknown
    assert load.rows_proven_by_lines(6, 2, 2, 1) == 2  # two preamble lines


# ---------------------------------------------------------------- the duplicate check after the load

ORDERS = "order_id,customer,order_date,amount\nA1,a@x.fr,2025-03-01,10.5\nA2,b@x.fr,2025-03-02,20\n"


@pytest.mark.parametrize("early", [True, False])
def test_duplicates_are_skipped_replaced_or_kept_whenever_the_check_runs(tmp_path, monkeypatch, early):
    """`early`: the sha256 was known before the load (a small file); else the check runs after it."""
    monkeypatch.setattr(fingerprint.Background, "done", lambda self: early)
    path = tmp_path / "o.csv"
    path.write_text(ORDERS)
    with tempfile.TemporaryDirectory(prefix="cx-dup-") as tmp:
        ws = Workspace(Path(tmp) / "w.duckdb")
        try:
            first = import_file(ws, path)
            skipped = import_file(ws, path)
            assert (skipped.status, skipped.import_id, skipped.rows_loaded) == ("skipped", first.import_id, 0)
            assert ws.table_counts()["orders"] == 2  # the undone load left nothing
            replaced = import_file(ws, path, on_duplicate="replace")
            assert replaced.status == "loaded" and replaced.import_id != first.import_id
            assert ws.table_counts()["orders"] == 2
            assert list_imports(ws)["import_id"].tolist() == [replaced.import_id]
            kept = import_file(ws, path, on_duplicate="keep")
            assert ws.table_counts()["orders"] == 4
            assert sorted(list_imports(ws)["import_id"].tolist()) == sorted([replaced.import_id, kept.import_id])
        finally:
            ws.close()


# ---------------------------------------------------------------- kept columns stored as made

JSON_CHARS = CHARS + ['"', "\\", "/", "\b", "\f", "\u2028", "\x7f", "{", "}", "[", "]", ":"]


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(st.sampled_from(JSON_CHARS), min_size=1, max_size=5).map("".join),
            st.one_of(st.none(), st.lists(st.sampled_from(JSON_CHARS), max_size=8).map("".join)),
        ),
        min_size=1,
        max_size=6,
        unique_by=lambda kv: kv[0],
    )
)
def test_kept_columns_json_as_made_equals_the_text_cast_back_to_json(pairs):
    """`load_sql` stores `json_object(…)` in the JSON column as made; it stored `json_object(…)::varchar`,
    which the column cast back to JSON: both give the same text for any keys and values."""
    con = duckdb.connect()
    con.execute("create table t (made json, cast_back json)")
    args = ", ".join(f"$k{i}, $v{i}" for i in range(len(pairs)))
    params = {f"k{i}": k for i, (k, _) in enumerate(pairs)} | {f"v{i}": v for i, (_, v) in enumerate(pairs)}
    con.execute(f"insert into t select json_object({args}), json_object({args})::varchar", params)
    made, cast_back = con.execute("select made::varchar, cast_back::varchar from t").fetchone()
    assert made == cast_back


# ---------------------------------------------------------------- the profile read from the options' sample


def test_the_profile_of_the_sample_is_the_profile_of_the_file(tmp_path):
    """An import profiles a CSV's first rows from `stg_sample` (its first 50,000 rows), not from the file
    again: the same first 5,000 rows, blank lines skipped. Here row 5,001 on is different (numbers, not
    e-mails), and blank lines come first, so a wrong window would show."""
    from cx.ingest import readers
    from cx.ingest.profile import PROFILE_ROWS, profile_columns

    lines = ["id,contact", "", " , ", ","]
    lines += [f"{i},user{i}@example.com" for i in range(PROFILE_ROWS)]
    lines += [f"{i},{i}.5" for i in range(PROFILE_ROWS, PROFILE_ROWS + 1000)]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n")
    con = duckdb.connect()
    readers.stage_csv(con, path, "utf-8", ",", 0, ["id", "contact"])
    from_file = profile_columns(con, ["id", "contact"])
    from_sample = profile_columns(con, ["id", "contact"], convert.sample_rows(con))
    assert from_sample == from_file
    assert from_file[1].rows == PROFILE_ROWS and from_file[1].email == 1.0

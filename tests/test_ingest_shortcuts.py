"""Property tests of the importer's shortcuts: each one must give exactly what the long way gives.

* `convert.trimmed` calls DuckDB's `trim` only where it can change the text: for any text it equals `trim`.
"""

from __future__ import annotations

import duckdb
from hypothesis import given, settings, strategies as st

from cx.ingest import convert
from cx.ingest.readers import SPACES

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

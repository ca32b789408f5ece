"""Running a journey query: `cx/sql/journey_*.sql` through the one loader, with a sentence for a stage rule
whose pattern is not a valid regular expression."""

from __future__ import annotations

import duckdb
import pandas as pd

from ..errors import CxError
from ..workspace import Workspace, bind_params, sql_file


def run_query(ws: Workspace, name: str, params: dict, cur=None) -> pd.DataFrame:
    """`cx/sql/<name>` run with the parameters it uses (on `cur` when given, else on a cursor of its own), as a
    DataFrame; DuckDB's refusal of a rule's regular expression becomes a CxError saying how to fix it."""
    sql = sql_file(name)
    try:
        if cur is not None:
            return cur.execute(sql, bind_params(sql, params)).df()
        with ws.cursor() as own:
            return own.execute(sql, bind_params(sql, params)).df()
    except duckdb.InvalidInputException as e:
        # rules are checked when saved; a pattern written to the table some other way still gets a sentence
        if "regex" in str(e).lower() or "regular expression" in str(e).lower() or "missing" in str(e).lower():
            raise CxError(
                "a stage rule has a pattern that is not a valid regular expression",
                fix="correct it in the stage rules table of the Journey page, or reset the rules",
            ) from None
        raise

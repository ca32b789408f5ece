"""The query files. Load one with `cx.workspace.sql_file` (a `/*@other.sql*/` marker includes another file as a
CTE) or run it with `cx.workspace.run_sql`; a query ends in `select * from final`."""


def literal(value) -> str:
    """`value` as a SQL string literal (`'a''b'` for `a'b`), for the statements that bind no parameter (ATTACH, a
    view, COPY … TO) and the constants we write into SQL ourselves."""
    if value is None:  # not the text 'None': a caller that means SQL null writes null
        raise TypeError("a SQL string literal of None")
    return "'" + str(value).replace("'", "''") + "'"

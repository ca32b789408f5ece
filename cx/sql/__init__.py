"""The query files. Load one with `cx.workspace.sql_file` (a `/*@other.sql*/` marker includes another file as a
CTE) or run it with `cx.workspace.run_sql`; a query ends in `select * from final`."""

"""Architecture rules (docs/ARCHITECTURE.md), checked on the code itself."""

import ast
import json
import re

from tests.conftest import ROOT


def test_pages_never_talk_to_duckdb():
    for page in [ROOT / "app.py", *(ROOT / "views").glob("*.py")]:
        text = page.read_text()
        assert "duckdb" not in text and ".execute(" not in text, page


def test_cx_imports_streamlit_only_in_ui():
    for module in (ROOT / "cx").rglob("*.py"):
        if "ui" in module.relative_to(ROOT / "cx").parts:
            continue
        assert not re.search(r"^\s*(import streamlit|from streamlit)", module.read_text(), re.MULTILINE), module


def _catalogue(lang):
    merged = {}
    for part in sorted((ROOT / "cx/locales" / lang).glob("*.json")):
        merged.update(json.loads(part.read_text(encoding="utf-8")))
    return merged


def test_every_query_file_ends_in_select_from_final():
    """A file of statements (schema, macros, temp tables, deletions) aside, a SQL file is one query: a CTE chain
    whose last line is `select * from final`, perhaps with its order."""
    for path in (ROOT / "cx" / "sql").rglob("*.sql"):
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8")).strip()
        if re.match(r"(create|alter|insert|delete|drop|update)\b", text, re.IGNORECASE):
            continue
        assert re.search(r"\bselect \* from final(\s+order by [^;]+)?$", text), path.name


# A concept of the staging layer (cx/sql/staging/, included with `/*@staging/<file>.sql*/`) written out again
# elsewhere: include the fragment instead.
STAGING_CONCEPTS = {
    "staging/latest_customers.sql": r"partition\s+by\s+customer_id\s+order\s+by\s+import_id\s+desc",
    "staging/scope_visitors.sql": r"cx_customer_in_scope\(\s*c\.customer_id",
    "staging/scope_events_all_time.sql": r"visitor_id\s+in\s+\(\s*select\s+visitor_id\s+from\s+linked",
    # the days both the tickets and the orders cover: the complaint rate is defined once (Support = Journey)
    "staging/complaint_rate.sql": r"greatest\(\s*\w+\.first_day\s*,\s*\w+\.first_day|date_trunc\(\s*'month'\s*,\s*m(in|ax)\(\s*created_at",
    # what an order's status says (cancelled, returned): one reading for the Journey, Retention, personas and money
    "staging/order_status.sql": r"like\s+'(cancel|annul|return|rembours)%'|list_contains\(\s*\$cancelled",
}


def test_staging_concepts_are_written_once():
    files = [
        *(ROOT / "cx" / "sql").rglob("*.sql"),
        *(p for p in (ROOT / "cx").rglob("*.py") if "ingest" not in p.parts),
    ]
    for path in files:
        name = path.relative_to(ROOT / "cx" / "sql").as_posix() if path.suffix == ".sql" else None
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        for fragment, pattern in STAGING_CONCEPTS.items():
            assert name == fragment or not re.search(pattern, text, re.IGNORECASE), (
                f"{path.relative_to(ROOT)} repeats {fragment}: include /*@{fragment}*/"
            )


# The identity link (staging/customer_alias.sql): an order, ticket or answer is read through its staging/linked_*.sql
# fragment, which gives it the CRM customer of its e-mail; a query reading the table itself would see the e-mail's
# pseudonym as another customer. The files below read the tables for what no customer changes (dates, counts, scales).
READS_THE_TABLE_WITHOUT_ITS_CUSTOMER = {
    "staging/complaint_rate.sql",  # the days both exports cover
    "journey_kpis_orders.sql",  # whether the export has delivery dates at all
    "journey_kpis_tickets.sql",  # the CSAT scale of the tickets
    "journey_span.sql",  # first and last record, filled columns
    "filters_span.sql",  # the data's first and last day
    "inventory_tables.sql",  # rows and days per table
    "workspace_table_counts.sql",  # rows per table
    "satisfaction_count.sql",  # the answers loaded
    "currency_known.sql",  # the currencies of the orders
    "macros.sql",  # the as-of instant
    "ingest_already_loaded.sql",  # the rows an import loaded again (ids and dates)
    "demo_forget.sql",  # the demo's stored ids, as stored
    "ingest_order_statuses.sql",  # the statuses of one import, for its report
}


def test_orders_tickets_and_answers_are_read_with_the_identity_link():
    for path in (ROOT / "cx" / "sql").rglob("*.sql"):
        name = path.relative_to(ROOT / "cx" / "sql").as_posix()
        # an erasure (forget_*) deletes the rows as stored, under every key of the person (forget_keys.sql)
        stored_keys = name.startswith(("schema_v", "staging/linked_", "forget_"))
        if stored_keys or name in READS_THE_TABLE_WITHOUT_ITS_CUSTOMER:
            continue
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        table = re.search(r"\b(?:from|join)\s+(orders|tickets|responses)\b", text, re.IGNORECASE)
        assert not table, (
            f"{name} reads {table and table.group(1)}: include /*@staging/linked_{table and table.group(1)}.sql*/"
        )


def test_every_label_exists_in_both_languages():
    fr, en = _catalogue("fr"), _catalogue("en")
    assert set(fr) == set(en)
    used = set()
    for f in [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "cx").rglob("*.py")]:
        used |= set(re.findall(r'\btr?\(\s*"([a-z_]+\.[a-z_.]+)"', f.read_text()))
    assert used - set(en) == set(), "labels used but not translated"


def test_placeholders_match_between_languages():
    fr, en = _catalogue("fr"), _catalogue("en")
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", fr[key])), key


# ---------------------------------------------------------------------------------- dependency direction
# docs/ARCHITECTURE.md: analysis → charts → report → CLI and UI; a layer never imports the layers after it.

NOT_BELOW = {
    "analysis": {"charts", "report", "cli", "ui"},
    "charts": {"report", "cli", "ui"},
    "report": {"cli", "ui"},
    "cli": {"ui"},
}

# Being fixed by the helper that owns the module: remove its line once that branch is merged (the tests below
# fail on a line that is no longer needed).
LAYER_BREAKS_BEING_FIXED = {}
PRIVATE_USE_BEING_FIXED = {}


def _module_name(path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree, module: str, is_package: bool):
    """(line, "a.b", local name) for every `from a import b` and `import a.b` of the tree, those inside functions
    too, relative imports resolved (b may be a module or a name defined in a)."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, a.name, (a.asname or a.name).split(".")[0]) for a in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")
                base = ".".join(parts[: len(parts) - node.level + 1] + ([node.module] if node.module else []))
            yield from ((node.lineno, f"{base}.{a.name}", a.asname or a.name) for a in node.names)


LAYER_OF = (
    (r"streamlit|cx\.ui", "ui"),
    (r"cx\.(commands|cli|__main__)", "cli"),
    (r"cx\.report", "report"),
    (r"cx\.charts(_\w+)?", "charts"),
    (r"cx", "analysis"),
)


def _layer(name: str) -> str:
    return next((layer for pattern, layer in LAYER_OF if re.fullmatch(rf"({pattern})(\..*)?", name)), "outside")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _breaks(source: str, module: str, is_package: bool = False) -> tuple[list[str], list[str]]:
    """(imports against the dependency direction, uses of another module's private names) in one file."""
    tree = ast.parse(source)
    imports = list(_imports(tree, module, is_package))
    layer_breaks = [f"{line}: {name}" for line, name, _ in imports if _layer(name) in NOT_BELOW.get(_layer(module), ())]
    private = [
        f"{line}: {name}"
        for line, name, _ in imports
        if name.startswith("cx.") and _is_private(name.rpartition(".")[2]) and name.rpartition(".")[0] != module
    ]
    modules = {local: name for _, name, local in imports if name.startswith("cx.")}
    private += [
        f"{node.lineno}: {modules[node.value.id]}.{node.attr}"
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id in modules
        and _is_private(node.attr)
    ]
    return layer_breaks, private


def _all_breaks() -> tuple[dict, dict]:
    files = [
        *(ROOT / "cx").rglob("*.py"),
        *(ROOT / "views").glob("*.py"),
        ROOT / "app.py",
        *(ROOT / "bench").glob("*.py"),
    ]
    layer, private = {}, {}
    for path in files:
        module = _module_name(path)
        found = _breaks(path.read_text(encoding="utf-8"), module, path.name == "__init__.py")
        for kind, breaks in zip((layer, private), found):
            if breaks:
                kind[module] = breaks
    return layer, private


def _unlisted(found: dict, allow_list: dict) -> tuple[dict, list]:
    """(breaks of modules not on the allow-list, allow-list lines no longer needed)."""

    def listed(module, entry):
        return module == entry or module.startswith(entry + ".")

    return (
        {m: b for m, b in found.items() if not any(listed(m, e) for e in allow_list)},
        [e for e in allow_list if not any(listed(m, e) for m in found)],
    )


def test_the_rules_see_relative_imports_inside_functions():
    source = (
        "from .workspace import Workspace\n"
        "def title(f):\n    from .charts_friction import title_values\n    from . import funnel\n"
        "    return funnel._check(title_values(f))\n"
    )
    assert _breaks(source, "cx.friction") == (["3: cx.charts_friction.title_values"], ["5: cx.funnel._check"])
    assert _breaks(source, "cx.charts_friction") == ([], ["5: cx.funnel._check"])
    assert _breaks("import streamlit as st\nfrom ..commands.nps import _date\n", "cx.report.gather") == (
        ["1: streamlit", "2: cx.commands.nps._date"],
        ["2: cx.commands.nps._date"],
    )
    assert _breaks("from .load import _scan\n", "cx.ingest", is_package=True) == ([], ["1: cx.ingest.load._scan"])


def test_analysis_never_imports_charts_report_cli_or_ui():
    unlisted, fixed = _unlisted(_all_breaks()[0], LAYER_BREAKS_BEING_FIXED)
    assert unlisted == {}
    assert fixed == [], "fixed: remove them from LAYER_BREAKS_BEING_FIXED"


def test_no_module_uses_another_modules_private_names():
    unlisted, fixed = _unlisted(_all_breaks()[1], PRIVATE_USE_BEING_FIXED)
    assert unlisted == {}
    assert fixed == [], "fixed: remove them from PRIVATE_USE_BEING_FIXED"


# ---------------------------------------------------------------------------------- SQL in Python
# docs/ARCHITECTURE.md: every query lives in a cx/sql/*.sql file; SQL stays in Python only for a one-line statement
# (DDL, a key lookup, a single-row write) or text built from an allow-list of identifiers. A call to
# `execute`/`executemany` whose SQL is written in Python over several lines, or built in Python (an f-string,
# `+`, `.format`), fails here unless its module (a folder, a file, or `file:function`) is listed below with why.

SQL_IN_PYTHON_ALLOWED = {
    "cx/coverage.py:filled": "one table and column of cx.schema.TABLES, checked, through quote_ident",
    "cx/rewrite.py:copy_live": "copy from database: the database's own name (current_database()), quoted",
    "cx/keys.py:upsert": "insert or replace / insert or ignore on both backends: the table and key columns come from "
    "the calling code (never from input), the values are bound",
    "cx/keys.py:take_turn": "the turn's one-row table, from the constant keys.TURNS",
    "cx/lake.py": "DuckLake statements that bind no parameter in DuckDB 1.5 (ATTACH, LOAD of a packaged file, "
    "CALL on the lake's alias) and the catalog statistics of the lake's own metadata database",
    "cx/attach.py": "the view of attached events: cx/sql/attach_ga4_events.sql with the folder, the import id and "
    "the time zone written in as literals (a view binds no parameter), and the stored table's qualified name",
    "cx/storage_copy.py:copy_to_storage": "ATTACH binds no parameter in DuckDB 1.5: the paths as quoted literals",
    "cx/workspace.py:cursor": "`use cx_lake`: the lake's alias, a constant",
    # being moved by their owners (the importer fixes and the speed work of today): these lines only shrink
    "cx/ingest/": "importers: staging SQL built from the file's own columns (quoted), plus queries still to move "
    "into cx/sql/ingest_*.sql (list_imports, the imports row, CSV rejects, Matomo counts)",
    "cx/personas/membership.py:personas_key": "the membership fingerprint: to move to personas_key.sql",
    "cx/friction/status.py:set_finding_status": "a single-row delete written over two lines",
}


def _sql_literals(node) -> list:
    """The string literals an `execute` argument is made of (through `+`, `.format`, `.replace`), f-strings too."""
    if isinstance(node, (ast.Constant, ast.JoinedStr)):
        return [node] if isinstance(node, ast.JoinedStr) or isinstance(node.value, str) else []
    if isinstance(node, ast.BinOp):
        return _sql_literals(node.left) + _sql_literals(node.right)
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in ("format", "replace"):
        return _sql_literals(node.func.value)
    return []


def _sql_in_python(source: str) -> list[tuple[int, str, str]]:
    """(line, function, what) for each execute call whose SQL is written over several lines or built in Python."""
    tree = ast.parse(source)
    function_of = {}
    for f in ast.walk(tree):
        if isinstance(f, (ast.FunctionDef, ast.AsyncFunctionDef)):
            for n in ast.walk(f):
                function_of[id(n)] = f.name  # the innermost function wins: ast.walk goes outside in
    found = []
    for node in ast.walk(tree):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in ("execute", "executemany")
            and node.args
        ):
            continue
        sql = node.args[0]
        literals = _sql_literals(sql)
        if not literals:
            continue  # a query of cx/sql (sql_file, run_sql) or a name
        built = not (len(literals) == 1 and literals[0] is sql and isinstance(sql, ast.Constant))
        if built or sql.end_lineno > sql.lineno:
            found.append((node.lineno, function_of.get(id(node), ""), "built in Python" if built else "several lines"))
    return found


def _all_sql_in_python() -> dict[str, list]:
    found = {}
    for path in sorted((ROOT / "cx").rglob("*.py")):
        name = path.relative_to(ROOT).as_posix()
        for line, function, what in _sql_in_python(path.read_text(encoding="utf-8")):
            found.setdefault(f"{name}:{function}", []).append(f"line {line}: {what}")
    return found


def test_the_sql_rule_sees_long_and_built_sql():
    source = (
        'def a(cur, t):\n    cur.execute("select 1")\n    cur.execute(sql_file("x.sql"), {})\n'
        '    cur.execute("select a "\n                "from b")\n    cur.execute(f"select * from {t}")\n'
        '    cur.executemany("insert into t values (" + marks + ")", rows)\n'
        'def b(cur):\n    cur.execute("""\n        select 1""")\n'
    )
    assert _sql_in_python(source) == [
        (4, "a", "several lines"),
        (6, "a", "built in Python"),
        (7, "a", "built in Python"),
        (9, "b", "several lines"),
    ]


def test_queries_live_in_sql_files():
    found = _all_sql_in_python()

    def listed(key, entry):
        return key == entry or key.startswith(entry + ":") or (entry.endswith("/") and key.startswith(entry))

    unlisted = {k: v for k, v in found.items() if not any(listed(k, e) for e in SQL_IN_PYTHON_ALLOWED)}
    assert unlisted == {}, "move these queries into cx/sql/*.sql (run_sql), or list them with why"
    stale = [e for e in SQL_IN_PYTHON_ALLOWED if not any(listed(k, e) for k in found)]
    assert stale == [], "no longer needed: remove them from SQL_IN_PYTHON_ALLOWED"
    assert all(reason.strip() for reason in SQL_IN_PYTHON_ALLOWED.values())


def test_numbers_are_written_by_cx_format_only():
    """One formatter per kind (cx/format.py): no module defines its own `number`, `percent` or `duration`."""
    for path in [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "cx").rglob("*.py")]:
        if path == ROOT / "cx" / "format.py":
            continue
        defined = {
            n.name for n in ast.walk(ast.parse(path.read_text(encoding="utf-8"))) if isinstance(n, ast.FunctionDef)
        }
        assert not defined & {"number", "percent", "duration"}, f"{path.relative_to(ROOT)}: use cx.format"


def test_every_query_file_ships_with_the_package():
    """An installed Parcours has every cx/sql file, the staging layer's too (pyproject's package-data globs)."""
    import tomllib

    patterns = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]["cx"]
    shipped = {p for pattern in patterns for p in (ROOT / "cx").glob(pattern)}
    assert set((ROOT / "cx" / "sql").rglob("*.sql")) - shipped == set()


def test_the_identity_link_is_built_once_per_query():
    """The fragments that resolve a customer read `cx_alias`; the loader defines it once, as the query's first CTE
    (pasted into each fragment it was built up to 7 times in a Support query: 0.3 → 2 CPU s at 200k customers)."""
    from cx.workspace import sql_file

    marker = "from customers\n    where starts_with(email, 'px_') or contains(email, '@')"  # customer_emails.sql
    for path in (ROOT / "cx" / "sql").rglob("*.sql"):
        name = path.relative_to(ROOT / "cx" / "sql").as_posix()
        text = sql_file(name)
        assert text.count(marker) <= 1, f"{name} builds the identity link {text.count(marker)} times"
        if "cx_alias a on" in text:
            assert text.count("cx_alias as materialized") == 1, name
    assert sql_file("support_complaints.sql").count(marker) == 1

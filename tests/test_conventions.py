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
}


def test_staging_concepts_are_written_once():
    files = [*(ROOT / "cx" / "sql").rglob("*.sql"), *(p for p in (ROOT / "cx").rglob("*.py") if "ingest" not in p.parts)]
    for path in files:
        name = path.relative_to(ROOT / "cx" / "sql").as_posix() if path.suffix == ".sql" else None
        text = re.sub(r"--[^\n]*", "", path.read_text(encoding="utf-8"))
        for fragment, pattern in STAGING_CONCEPTS.items():
            assert name == fragment or not re.search(pattern, text, re.IGNORECASE), \
                f"{path.relative_to(ROOT)} repeats {fragment}: include /*@{fragment}*/"


def test_every_label_exists_in_both_languages():
    fr, en = _catalogue("fr"), _catalogue("en")
    assert set(fr) == set(en)
    used = set()
    for f in [ROOT / "app.py", *(ROOT / "views").glob("*.py"), *(ROOT / "cx").rglob("*.py")]:
        used |= set(re.findall(r'\btr?\("([a-z_]+\.[a-z_.]+)"', f.read_text()))
    assert used - set(en) == set(), "labels used but not translated"


def test_placeholders_match_between_languages():
    fr, en = _catalogue("fr"), _catalogue("en")
    for key in en:
        assert set(re.findall(r"{(\w+)}", en[key])) == set(re.findall(r"{(\w+)}", fr[key])), key


# ---------------------------------------------------------------------------------- dependency direction
# docs/ARCHITECTURE.md: analysis → charts → report → CLI and UI; a layer never imports the layers after it.

NOT_BELOW = {"analysis": {"charts", "report", "cli", "ui"}, "charts": {"report", "cli", "ui"},
             "report": {"cli", "ui"}, "cli": {"ui"}}

# Being fixed by the helper that owns the module: remove its line once that branch is merged (the tests below
# fail on a line that is no longer needed).
LAYER_BREAKS_BEING_FIXED = {}
PRIVATE_USE_BEING_FIXED = {
}


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
                base = ".".join(parts[:len(parts) - node.level + 1] + ([node.module] if node.module else []))
            yield from ((node.lineno, f"{base}.{a.name}", a.asname or a.name) for a in node.names)


LAYER_OF = ((r"streamlit|cx\.ui", "ui"), (r"cx\.(commands|cli|__main__)", "cli"), (r"cx\.report", "report"),
            (r"cx\.charts(_\w+)?", "charts"), (r"cx", "analysis"))


def _layer(name: str) -> str:
    return next((layer for pattern, layer in LAYER_OF if re.fullmatch(rf"({pattern})(\..*)?", name)), "outside")


def _is_private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def _breaks(source: str, module: str, is_package: bool = False) -> tuple[list[str], list[str]]:
    """(imports against the dependency direction, uses of another module's private names) in one file."""
    tree = ast.parse(source)
    imports = list(_imports(tree, module, is_package))
    layer_breaks = [f"{line}: {name}" for line, name, _ in imports if _layer(name) in NOT_BELOW.get(_layer(module), ())]
    private = [f"{line}: {name}" for line, name, _ in imports
               if name.startswith("cx.") and _is_private(name.rpartition(".")[2]) and name.rpartition(".")[0] != module]
    modules = {local: name for _, name, local in imports if name.startswith("cx.")}
    private += [f"{node.lineno}: {modules[node.value.id]}.{node.attr}" for node in ast.walk(tree)
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
                and node.value.id in modules and _is_private(node.attr)]
    return layer_breaks, private


def _all_breaks() -> tuple[dict, dict]:
    files = [*(ROOT / "cx").rglob("*.py"), *(ROOT / "views").glob("*.py"), ROOT / "app.py",
             *(ROOT / "bench").glob("*.py")]
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
    return ({m: b for m, b in found.items() if not any(listed(m, e) for e in allow_list)},
            [e for e in allow_list if not any(listed(m, e) for m in found)])


def test_the_rules_see_relative_imports_inside_functions():
    source = ("from .workspace import Workspace\n"
              "def title(f):\n    from .charts_friction import title_values\n    from . import funnel\n"
              "    return funnel._check(title_values(f))\n")
    assert _breaks(source, "cx.friction") == (["3: cx.charts_friction.title_values"], ["5: cx.funnel._check"])
    assert _breaks(source, "cx.charts_friction") == ([], ["5: cx.funnel._check"])
    assert _breaks("import streamlit as st\nfrom ..commands.nps import _date\n", "cx.report.gather") == \
        (["1: streamlit", "2: cx.commands.nps._date"], ["2: cx.commands.nps._date"])
    assert _breaks("from .load import _scan\n", "cx.ingest", is_package=True) == ([], ["1: cx.ingest.load._scan"])


def test_analysis_never_imports_charts_report_cli_or_ui():
    unlisted, fixed = _unlisted(_all_breaks()[0], LAYER_BREAKS_BEING_FIXED)
    assert unlisted == {}
    assert fixed == [], "fixed: remove them from LAYER_BREAKS_BEING_FIXED"


def test_no_module_uses_another_modules_private_names():
    unlisted, fixed = _unlisted(_all_breaks()[1], PRIVATE_USE_BEING_FIXED)
    assert unlisted == {}
    assert fixed == [], "fixed: remove them from PRIVATE_USE_BEING_FIXED"

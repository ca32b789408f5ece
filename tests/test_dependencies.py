"""Every third-party module the app (or the tests) imports is declared in a requirements file: a fresh
`pip install -r requirements.txt` must be enough to run every page and command."""

import ast
import importlib.metadata
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCAL = {"cx", "views", "tests", "bench", "sample_data", "app", "conftest", "corpus", "generate", "pseudonymise"}


def _imported(paths) -> set[str]:
    found = set()
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                found |= {a.name.split(".")[0] for a in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                found.add(node.module.split(".")[0])
    return {m for m in found if m not in sys.stdlib_module_names and m not in LOCAL and m != "__future__"}


def _declared(*files) -> set[str]:
    names = set()
    for file in files:
        for line in (ROOT / file).read_text().splitlines():
            m = re.match(r"\s*([A-Za-z0-9_.-]+)\s*==", line)
            if m:
                names.add(m.group(1).lower().replace("_", "-"))
    return names


def _distributions(module: str) -> set[str]:
    return {d.lower().replace("_", "-") for d in importlib.metadata.packages_distributions().get(module, [module])}


def _undeclared(paths, declared) -> list[str]:
    return sorted(m for m in _imported(paths) if not _distributions(m) & declared)


def test_app_imports_are_in_requirements():
    paths = [ROOT / "app.py", *(ROOT / "cx").rglob("*.py"), *(ROOT / "views").rglob("*.py")]
    assert _undeclared(paths, _declared("requirements.txt")) == []


def test_test_and_bench_imports_are_in_dev_requirements():
    paths = [*(ROOT / "tests").rglob("*.py"), *(ROOT / "bench").rglob("*.py"), *(ROOT / "sample_data").rglob("*.py")]
    assert _undeclared(paths, _declared("requirements.txt", "requirements-dev.txt")) == []


def test_the_check_sees_an_undeclared_import(tmp_path):
    module = tmp_path / "m.py"
    module.write_text("import scipy.spatial\nfrom yaml import safe_load\nimport json\n")
    assert _undeclared([module], {"numpy"}) == ["scipy", "yaml"]

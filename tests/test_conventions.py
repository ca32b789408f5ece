"""Architecture rules of DESIGN.md, checked on the code itself."""
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
        assert not re.search(r"^\s*(import streamlit|from streamlit)", module.read_text(), re.M), module


def _catalogue(lang):
    merged = {}
    for part in sorted((ROOT / "cx/locales" / lang).glob("*.json")):
        merged.update(json.loads(part.read_text(encoding="utf-8")))
    return merged


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

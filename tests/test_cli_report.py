"""`python -m cx report --out FILE.html|FILE.pdf [--lang fr|en]` with the global filter options."""

import json

from tests.test_cli import cx
from tests.test_report import SCRIPT, make


def test_report_html_and_pdf(tmp_path):
    make(tmp_path).close()
    db = tmp_path / "w.duckdb"
    out = tmp_path / "r.html"
    doc = json.loads(cx("report", "--out", str(out), "--lang", "en", "--json", db=db).stdout)["report"]
    assert (doc["format"], doc["lang"], doc["findings"], doc["nps"], doc["bytes"]) == (
        "html",
        "en",
        1,
        40.0,
        out.stat().st_size,
    )
    assert doc["maturity_level"] == 0  # no page_view event: the share of visits beyond one page is unknown
    assert (doc["currency"], doc["currencies"], doc["currency_assumed"]) == ("EUR", None, True)  # no file said it
    html = out.read_text(encoding="utf-8")
    assert "Customer experience report" in html and SCRIPT not in html
    pdf = tmp_path / "r.pdf"
    text = cx(
        "report", "--out", str(pdf), "--from", "2025-03-01", "--to", "2025-03-05", "--device", "desktop", db=db
    ).stdout
    assert pdf.read_bytes().startswith(b"%PDF-") and "constats : 0" in text and "Rapport PDF (fr)" in text


def test_report_bad_input(tmp_path):
    make(tmp_path).close()
    db = tmp_path / "w.duckdb"
    bad = cx("report", "--out", str(tmp_path / "r.docx"), db=db, check=False)
    assert bad.returncode == 2 and "neither .html nor .pdf" in bad.stderr
    missing = cx("report", "--out", str(tmp_path / "nope" / "r.html"), db=db, check=False)
    assert missing.returncode == 2 and "does not exist" in missing.stderr
    swapped = cx(
        "report", "--out", str(tmp_path / "r.html"), "--from", "2025-03-05", "--to", "2025-03-01", db=db, check=False
    )
    assert swapped.returncode == 2 and "swap" in swapped.stderr

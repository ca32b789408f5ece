"""The stakeholder report: `gather_report` computes every section once from the analysis functions the pages
call (`gather`), `cx.report.document` words it in the report's language (summary first, then the sections),
and `render_html` / `render_pdf` lay it out as a self-contained HTML file or an A4 PDF with the pages' own
charts (drawn offline by vl-convert)."""

from __future__ import annotations

from pathlib import Path

from .gather import Report, gather_report
from .html import render_html
from .pdf import render_pdf

__all__ = ["Report", "gather_report", "render_html", "render_pdf", "write_report"]


def write_report(report: Report, path) -> Path:
    """Write `report` to `path`: PDF when it ends in .pdf, HTML otherwise (.html / .htm)."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        path.write_bytes(render_pdf(report))
    else:
        path.write_text(render_html(report), encoding="utf-8")
    return path

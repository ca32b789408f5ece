"""The stakeholder report: `gather_report` computes every section once from the analysis functions the pages
call (`gather`), `cx.report.document` words it in the report's language (summary first, then the sections),
and `render_html` / `render_pdf` lay it out as a self-contained HTML file or an A4 PDF with the pages' own
charts (drawn offline by vl-convert). The PDF writer (fpdf: ~0.3 s of CPU to import) is imported when a PDF is
asked for: the Frictions page, which borrows `cx.report.document`'s tables, does not load it."""

from __future__ import annotations

from pathlib import Path

from .gather import Report, gather_report
from .html import render_html

__all__ = ["Report", "gather_report", "render_html", "render_pdf", "write_report"]


def write_report(report: Report, path) -> Path:
    """Write `report` to `path`: PDF when it ends in .pdf, HTML otherwise (.html / .htm)."""
    path = Path(path)
    if path.suffix.lower() == ".pdf":
        from .pdf import render_pdf

        path.write_bytes(render_pdf(report))
    else:
        path.write_text(render_html(report), encoding="utf-8")
    return path


def __getattr__(name: str):
    """`cx.report.render_pdf`: cx/report/pdf.py imported on first use."""
    if name == "render_pdf":
        from .pdf import render_pdf

        return render_pdf
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

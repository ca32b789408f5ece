"""The report as one self-contained HTML file: inline CSS and SVG charts, no script, no external URL; every piece
of text escaped with `html.escape` (the charts' text is escaped by Vega)."""

from __future__ import annotations

import html

from .document import Chart, Heading, Table, Text, build_document
from .gather import Report
from .vega import chart_svg

CSS = """body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,Arial,sans-serif;max-width:960px;margin:2em auto;
padding:0 1em;color:#1d2733}h1{margin-bottom:.2em}h2{border-bottom:2px solid #1f5fa8;padding-bottom:.2em;margin-top:2em}
.muted{color:#5b6670;font-size:.9em}table{border-collapse:collapse;width:100%;margin:.5em 0 1em}
th,td{border-bottom:1px solid #dde2e6;padding:.3em .5em;text-align:left;font-size:.92em;vertical-align:top}
td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}tr.b td{font-weight:600}figure{margin:.5em 0}
figure svg{max-width:100%;height:auto}li{margin:.2em 0}
blockquote{margin:.4em 0;padding-left:.8em;border-left:3px solid #b0b7bf;color:#39434d}
@media print{h2{page-break-after:avoid}figure,table{page-break-inside:avoid}}"""


def _e(value) -> str:
    return html.escape(str(value), quote=True)


def _table(block: Table) -> str:
    cls = lambda j: ' class="n"' if j in block.numeric else ""
    head = "".join(f"<th{cls(j)}>{_e(h)}</th>" for j, h in enumerate(block.headers))
    body = "".join(
        ('<tr class="b">' if i in block.bold else "<tr>")
        + "".join(f"<td{cls(j)}>{_e(c)}</td>" for j, c in enumerate(r))
        + "</tr>"
        for i, r in enumerate(block.rows)
    )
    return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>"


def _text(block: Text) -> str:
    if block.style == "strong":
        return f"<p><strong>{_e(block.text)}</strong></p>"
    if block.style == "muted":
        return f'<p class="muted">{_e(block.text)}</p>'
    if block.style == "item":
        return f"<ul><li>{_e(block.text)}</li></ul>"
    if block.style == "quote":
        return f"<blockquote>{_e(block.text)}</blockquote>"
    return f"<p>{_e(block.text)}</p>"


def _svg(svg: str) -> str:
    """Vega's SVG without its XML declaration (inline in HTML5)."""
    return svg[svg.index("<svg") :] if "<svg" in svg else ""


def render_html(report: Report) -> str:
    """The report as one HTML document."""
    blocks, parts = build_document(report), []
    for block in blocks:
        if isinstance(block, Heading):
            parts.append(f"<h{block.level}>{_e(block.text)}</h{block.level}>")
        elif isinstance(block, Text):
            parts.append(_text(block))
        elif isinstance(block, Table):
            parts.append(_table(block))
        elif isinstance(block, Chart):
            parts.append(f'<figure role="img">{_svg(chart_svg(block.chart, report.lang))}</figure>')
    return (
        f'<!DOCTYPE html><html lang="{report.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1"><title>{_e(blocks[0].text)}</title>'
        f"<style>{CSS}</style></head><body>\n" + "\n".join(parts).replace("</ul>\n<ul>", "\n") + "\n</body></html>"
    )

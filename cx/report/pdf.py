"""The report as an A4 PDF (fpdf2): the blocks of `cx.report.document` laid out with wrapping text and tables
(nothing runs past the margin) and the pages' charts as images."""

from __future__ import annotations

import io
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import TableBordersLayout, XPos, YPos
from fpdf.fonts import FontFace

from .document import Chart, Heading, Table, Text, build_document
from .gather import Report
from .vega import chart_png

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
BLUE = (31, 95, 168)
MUTED = (91, 102, 112)
PX_MM = 25.4 / 96  # one CSS pixel in millimetres
SCALE = 2  # PNG pixels per CSS pixel
_LATIN1 = str.maketrans(
    {
        "\u202f": " ",
        "\u00a0": " ",
        "€": "EUR",
        "’": "'",
        "‘": "'",
        "“": '"',
        "”": '"',
        "—": "-",
        "–": "-",
        "−": "-",
        "…": "...",
        "œ": "oe",
        "Œ": "OE",
        "→": "->",
        "≥": ">=",
        "≤": "<=",
        "·": "-",
        "•": "-",
    }
)


def _fonts(pdf: FPDF) -> tuple[str, callable]:
    """DejaVu (every accent and €) when Debian's fonts-dejavu-core is there, else the core Helvetica (Latin-1,
    text transliterated). A character neither font draws (an emoji in a persona's name) is left out, as the PDF
    would show a blank in its place, rather than fpdf's "missing glyphs" warning on each run."""
    regular, bold = FONT_DIR / "DejaVuSans.ttf", FONT_DIR / "DejaVuSans-Bold.ttf"
    if regular.exists() and bold.exists():
        pdf.add_font("body", "", str(regular))
        pdf.add_font("body", "B", str(bold))
        drawn = set(pdf.fonts["body"].cmap) & set(pdf.fonts["bodyB"].cmap)
        return "body", lambda s: "".join(c for c in str(s) if ord(c) in drawn or c in "\n\t")
    return "Helvetica", lambda s: str(s).translate(_LATIN1).encode("latin-1", "replace").decode("latin-1")


def column_widths(pdf: FPDF, block: Table, family: str, size: float, padding: float = 3.2) -> list[float]:
    """Column widths (mm) filling the page: each column gets at least its longest word (a word is never cut),
    the rest of the width goes to the columns whose text must wrap, in proportion to what they lack."""

    def width(text: str, style: str = "") -> float:
        pdf.set_font(family, style, size)
        return pdf.get_string_width(text) + padding

    columns = [
        [(block.headers[j], "B")] + [(r[j], "B" if i in block.bold else "") for i, r in enumerate(block.rows)]
        for j in range(len(block.headers))
    ]
    word = [max(width(w, style) for text, style in cells for w in (text.split() or [""])) for cells in columns]
    full = [max(width(text, style) for text, style in cells) for cells in columns]
    if not full:
        return []
    spare, lack = pdf.epw - sum(word), [f - w for f, w in zip(full, word)]
    if sum(lack) <= spare or not sum(lack):  # everything fits on one line (or no cell can wrap): share the rest
        return [f + (spare - sum(lack)) / len(full) for f in full]
    return [w + max(spare, 0) * gap / sum(lack) for w, gap in zip(word, lack)]


class _Writer:
    def __init__(self, report: Report):
        self.lang = report.lang
        self.pdf = pdf = FPDF(format="A4")
        pdf.set_auto_page_break(True, margin=15)
        self.family, self.clean = _fonts(pdf)
        pdf.add_page()

    def text(self, value: str, size=10, style="", h=5.2, colour=(29, 39, 51), indent=0.0):
        pdf = self.pdf
        pdf.set_font(self.family, style, size)
        pdf.set_text_color(*colour)
        pdf.set_x(pdf.l_margin + indent)
        pdf.multi_cell(pdf.epw - indent, h, self.clean(value), align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        pdf.set_text_color(29, 39, 51)

    def heading(self, block: Heading):
        pdf = self.pdf
        if block.level == 1:
            return self.text(block.text, 20, "B", 10)
        if pdf.will_page_break(40):  # never a title alone at the bottom of a page
            pdf.add_page()
        pdf.ln(4)
        self.text(block.text, 13.5, "B", 7)
        pdf.set_draw_color(*BLUE)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
        pdf.ln(2)

    def paragraph(self, block: Text):
        if block.style == "strong":
            if self.pdf.will_page_break(45):  # a finding's or a list's title stays with what it introduces
                self.pdf.add_page()
            self.pdf.ln(1)
            self.text(block.text, 10, "B")
        elif block.style == "muted":
            self.text(block.text, 8.5, colour=MUTED, h=4.6)
        elif block.style == "item":
            self.text(f"•  {block.text}", 9.5, indent=3)
        elif block.style == "quote":
            self.text(block.text, 9, colour=(57, 67, 77), indent=4)
        else:
            self.text(block.text, 9.5)

    def table(self, block: Table):
        pdf = self.pdf
        pdf.set_font(self.family, "", 8.5)
        align = ["RIGHT" if j in block.numeric else "LEFT" for j in range(len(block.headers))]
        with pdf.table(
            col_widths=column_widths(pdf, block, self.family, 8.5),
            text_align=align,
            width=pdf.epw,
            line_height=4.6,
            borders_layout=TableBordersLayout.HORIZONTAL_LINES,
            padding=(1, 1.5),
            headings_style=FontFace(emphasis="B", color=BLUE),
        ) as grid:
            head = grid.row()
            for h in block.headers:
                head.cell(self.clean(h))
            for i, r in enumerate(block.rows):
                row = grid.row()
                for c in r:
                    row.cell(self.clean(c), style=FontFace(emphasis="B") if i in block.bold else None)
        pdf.ln(2)

    def chart(self, block: Chart):
        pdf = self.pdf
        png = chart_png(block.chart, self.lang, SCALE)
        w_px, h_px = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")  # the IHDR header
        w = min(pdf.epw, w_px / SCALE * PX_MM)
        h = w * h_px / w_px
        if pdf.will_page_break(h):
            pdf.add_page()
        pdf.image(io.BytesIO(png), x=pdf.l_margin, w=w, h=h)
        pdf.ln(2)

    def write(self, blocks) -> bytes:
        draw = {Heading: self.heading, Text: self.paragraph, Table: self.table, Chart: self.chart}
        self.pdf.set_title(self.clean(blocks[0].text))
        for block in blocks:
            draw[type(block)](block)
        return bytes(self.pdf.output())


def render_pdf(report: Report) -> bytes:
    """The report as a PDF (A4): the same blocks as the HTML."""
    return _Writer(report).write(build_document(report))

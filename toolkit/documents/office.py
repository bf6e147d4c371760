"""The look every filed document shares: title block, cluster and meeting, date, page numbers,
tables that fit the page. PDF through fpdf2, Word through python-docx. No Streamlit here.

The PDF uses the core Helvetica font (Latin-1), so typographic characters outside it are mapped
to plain equivalents rather than dropped.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph
from fpdf import FPDF
from fpdf.fonts import FontFace

from cluster.common.calendar import format_date

_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u2192": "->", "\u2026": "...",
                        "\u00a0": " ", "\u2022": "-", "\u2264": "<=", "\u2265": ">="})


@dataclass(frozen=True)
class Heading:
    """What the top of every page says."""

    title: str
    cluster_name: str
    subtitle: str  # e.g. "Spring 1 funding round, 20/01/2027"
    produced_on: date
    edition: str = ""  # e.g. "Members' edition" or "Governors' edition"


def latin1(text: object) -> str:
    return str(text).translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")


class OfficePdf(FPDF):
    """A4 portrait, a running header and "Page n of N" in the footer."""

    def __init__(self, heading: Heading) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.heading = heading
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.alias_nb_pages()
        self.set_title(latin1(heading.title))
        self.set_author(latin1(heading.cluster_name))
        self.add_page()
        self._title_block()

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font("Helvetica", "I", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, latin1(f"{self.heading.cluster_name} - {self.heading.title}"),
                  new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font("Helvetica", "", 8)
        self.set_text_color(90, 90, 90)
        edition = f"{self.heading.edition} - " if self.heading.edition else ""
        self.cell(0, 6, latin1(f"{edition}Produced {format_date(self.heading.produced_on)}"),
                  align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def _title_block(self) -> None:
        self.set_font("Helvetica", "B", 16)
        self.multi_cell(0, 8, latin1(self.heading.title), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 11)
        self.multi_cell(0, 6, latin1(self.heading.cluster_name), new_x="LMARGIN", new_y="NEXT")
        self.multi_cell(0, 6, latin1(self.heading.subtitle), new_x="LMARGIN", new_y="NEXT")
        if self.heading.edition:
            self.set_font("Helvetica", "B", 10)
            self.multi_cell(0, 6, latin1(self.heading.edition), new_x="LMARGIN", new_y="NEXT")
        self.ln(4)

    def section(self, text: str) -> None:
        self.ln(2)
        self.set_font("Helvetica", "B", 12)
        self.multi_cell(0, 7, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.set_font("Helvetica", "", 10)

    def paragraph(self, text: str) -> None:
        self.set_font("Helvetica", "", 10)
        self.multi_cell(0, 5, latin1(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def table_of(self, headers: Sequence[str], rows: Sequence[Sequence[object]],
                 widths: Sequence[float] | None = None) -> None:
        """Wraps long cells and repeats the heading row on each page, so tables fit the page."""
        self.set_font("Helvetica", "", 9)
        heading_style = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))
        with self.table(col_widths=tuple(widths) if widths else None, headings_style=heading_style,
                        line_height=5, text_align="LEFT", repeat_headings=1) as table:
            header_row = table.row()
            for header in headers:
                header_row.cell(latin1(header))
            for row in rows:
                cells = table.row()
                for value in row:
                    cells.cell(latin1("" if value is None else value))
        self.ln(2)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def word_document(heading: Heading) -> WordDocument:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    document.core_properties.title = heading.title
    document.core_properties.author = heading.cluster_name
    document.add_heading(heading.title, level=0)
    document.add_paragraph(heading.cluster_name)
    document.add_paragraph(heading.subtitle)
    if heading.edition:
        document.add_paragraph().add_run(heading.edition).bold = True
    _word_footer(document, heading)
    return document


def _word_footer(document: WordDocument, heading: Heading) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    edition = f"{heading.edition} · " if heading.edition else ""
    paragraph.add_run(f"{heading.cluster_name} · {edition}produced "
                      f"{format_date(heading.produced_on)} · Page ")
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: Paragraph, code: str) -> None:
    """A Word field (PAGE, NUMPAGES) that Word fills in when it lays out the pages."""
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, code), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)


def word_table(document: WordDocument, headers: Sequence[str],
               rows: Sequence[Sequence[object]]) -> None:
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = header
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    document.add_paragraph()


def word_bytes(document: WordDocument) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()

"""A `Document` as Word (python-docx): the same title block, sections, paragraphs and tables as
the PDF, and a footer Word fills with "Page n of N". Text is cleaned of control characters first
(`clean_text`): a pasted Word line break would otherwise make the file unwritable."""

from __future__ import annotations

import io

import docx
from docx.document import Document as WordDocument
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt
from docx.text.paragraph import Paragraph as WordParagraph

from cluster.common.calendar import format_date
from cluster.papers.document import (
    Document,
    Heading,
    Paragraph,
    Section,
    Table,
    cell_text,
    clean_text,
    write_blocks,
)

DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _start(heading: Heading) -> WordDocument:
    document = docx.Document()
    style = document.styles["Normal"]
    style.font.name = "Calibri"
    style.font.size = Pt(10.5)
    document.core_properties.title = clean_text(heading.title)
    document.core_properties.author = clean_text(heading.cluster_name)
    document.add_heading(clean_text(heading.title), level=0)
    document.add_paragraph(clean_text(heading.cluster_name))
    document.add_paragraph(clean_text(heading.subtitle))
    if heading.edition:
        document.add_paragraph().add_run(clean_text(heading.edition)).bold = True
    _footer(document, heading)
    return document


def _footer(document: WordDocument, heading: Heading) -> None:
    paragraph = document.sections[0].footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    edition = f"{heading.edition} · " if heading.edition else ""
    paragraph.add_run(clean_text(f"{heading.cluster_name} · {edition}produced "
                                 f"{format_date(heading.produced_on)} · Page "))
    _field(paragraph, "PAGE")
    paragraph.add_run(" of ")
    _field(paragraph, "NUMPAGES")


def _field(paragraph: WordParagraph, code: str) -> None:
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


class _Word:
    """A Word document being written, block by block."""

    def __init__(self, heading: Heading) -> None:
        self.document = _start(heading)

    def section(self, block: Section) -> None:
        self.document.add_heading(clean_text(block.title), level=min(block.level, 3))

    def paragraph(self, block: Paragraph) -> None:
        self.document.add_paragraph(clean_text(block.text),
                                    style="List Bullet" if block.bullet else None)

    def table_block(self, block: Table) -> None:
        grid = self.document.add_table(rows=1, cols=len(block.headers))
        grid.style = "Table Grid"
        for cell, header in zip(grid.rows[0].cells, block.headers, strict=True):
            cell.text = clean_text(header)
            for run in cell.paragraphs[0].runs:
                run.bold = True
        for row in block.rows:
            for cell, value in zip(grid.add_row().cells, row, strict=True):
                cell.text = cell_text(value)
        self.document.add_paragraph()

    def space(self) -> None:
        self.document.add_paragraph()


def render_docx(document: Document) -> bytes:
    word = _Word(document.heading)
    write_blocks(document, word)
    buffer = io.BytesIO()
    word.document.save(buffer)
    return buffer.getvalue()

"""The small part of Markdown the minutes use (headings, paragraphs, bullets, pipe tables, bold),
laid out in the shared PDF and Word look. No Streamlit here."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from docx.document import Document as WordDocument
from docx.text.paragraph import Paragraph

from toolkit.documents.office import OfficePdf, word_table

_BOLD = re.compile(r"\*\*(.+?)\*\*")


@dataclass(frozen=True)
class Block:
    kind: str  # heading, subheading, paragraph, bullet, table
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


def plain(text: str) -> str:
    return _BOLD.sub(r"\1", text).replace("`", "")


def blocks(markdown: str) -> Iterator[Block]:
    paragraph: list[str] = []
    table: list[tuple[str, ...]] = []

    def flush() -> Iterator[Block]:
        if paragraph:
            yield Block("paragraph", " ".join(paragraph))
            paragraph.clear()
        if table:
            yield Block("table", rows=tuple(table))
            table.clear()

    for raw in markdown.splitlines():
        line = raw.strip()
        if line.startswith("|"):
            if paragraph:
                yield from flush()
            cells = tuple(c.strip() for c in line.strip("|").split("|"))
            if not all(set(c) <= set("-: ") for c in cells):
                table.append(cells)
            continue
        if table:
            yield from flush()
        if not line:
            yield from flush()
        elif line.startswith("## ") or line.startswith("### "):
            yield from flush()
            yield Block("subheading", line.lstrip("#").strip())
        elif line.startswith("# "):
            yield from flush()
            yield Block("heading", line[2:].strip())
        elif line.startswith(("- ", "* ")):
            yield from flush()
            yield Block("bullet", line[2:].strip())
        elif re.match(r"^\d+\. ", line):
            yield from flush()
            yield Block("bullet", line)
        else:
            paragraph.append(line)
    yield from flush()


def pdf_markdown(pdf: OfficePdf, markdown: str) -> None:
    for block in blocks(markdown):
        if block.kind in ("heading", "subheading"):
            pdf.section(plain(block.text))
        elif block.kind == "bullet":
            pdf.paragraph(f"- {plain(block.text)}")
        elif block.kind == "table":
            headers, *rows = [tuple(plain(c) for c in row) for row in block.rows]
            width = max(len(headers), *(len(r) for r in rows)) if rows else len(headers)
            pdf.table_of(_pad(headers, width), [_pad(r, width) for r in rows])
        else:
            pdf.paragraph(plain(block.text))


def word_markdown(document: WordDocument, markdown: str) -> None:
    for block in blocks(markdown):
        if block.kind == "heading":
            document.add_heading(plain(block.text), level=1)
        elif block.kind == "subheading":
            document.add_heading(plain(block.text), level=2)
        elif block.kind == "table":
            headers, *rows = [tuple(plain(c) for c in row) for row in block.rows]
            width = max(len(headers), *(len(r) for r in rows)) if rows else len(headers)
            word_table(document, _pad(headers, width), [_pad(r, width) for r in rows])
        else:
            paragraph = document.add_paragraph(style="List Bullet" if block.kind == "bullet"
                                               else None)
            _runs(paragraph, block.text)


def _runs(paragraph: Paragraph, text: str) -> None:
    """**bold** becomes a bold run; the rest is plain."""
    for index, part in enumerate(_BOLD.split(text)):
        if part:
            run = paragraph.add_run(part)
            run.bold = index % 2 == 1


def _pad(row: tuple[str, ...], width: int) -> tuple[str, ...]:
    return tuple(row[:width]) + ("",) * (width - len(row))

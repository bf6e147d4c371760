"""A paper as a structure: a heading, then blocks (sections, paragraphs, bullets, tables), with
table cells typed (text, money in pence, dates, counts, other figures) so that each renderer
writes each cell the way its format wants: "£1,234" on paper, a number with a £ format in Excel.

Text that arrives here may hold control characters pasted from elsewhere (a Word line break is
U+000B); `clean_text` removes them once, so no renderer ever sees one.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Protocol

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds

# Line and page breaks pasted from Word (U+000B, U+000C) become line breaks; every other C0
# control character and DEL goes. Tab, line feed and carriage return are text.
_BREAKS = re.compile(r"[\x0b\x0c\u2028\u2029]")
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f\ufffe\uffff]")
HIDDEN_FIGURE = "hidden"


def clean_text(text: object) -> str:
    """The text as a document can hold it: control characters gone, pasted breaks kept as line
    breaks."""
    if text is None:
        return ""
    return _CONTROL.sub("", _BREAKS.sub("\n", str(text)))


# --- cells ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Money:
    """An amount in pence (None: hidden, shown as `hidden_text`)."""

    pence: int | None
    hidden_text: str = HIDDEN_FIGURE

    @property
    def text(self) -> str:
        return self.hidden_text if self.pence is None else format_pounds(self.pence)


@dataclass(frozen=True)
class Day:
    value: date | None

    @property
    def text(self) -> str:
        return "" if self.value is None else format_date(self.value)


@dataclass(frozen=True)
class Count:
    """A count of pupils, requests or reviews (None: hidden, shown as `hidden_text`)."""

    value: int | None
    hidden_text: str = HIDDEN_FIGURE

    @property
    def text(self) -> str:
        return self.hidden_text if self.value is None else f"{self.value:,}"


@dataclass(frozen=True)
class Figure:
    """Any other number (a need score, a percentage) with the words it is shown as; a
    spreadsheet gets the number and `number_format`."""

    value: float | None
    shown: str
    number_format: str = "General"

    @property
    def text(self) -> str:
        return self.shown


Cell = str | int | Money | Day | Count | Figure | None


def cell_text(value: Cell) -> str:
    """A cell as words on paper."""
    if value is None:
        return ""
    if isinstance(value, (Money, Day, Count, Figure)):
        return clean_text(value.text)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return str(value)  # a request's number; counts are `Count`
    return clean_text(value)


# --- blocks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Section:
    title: str
    level: int = 1  # 1: a section; 2: a part of one


@dataclass(frozen=True)
class Paragraph:
    text: str
    bullet: bool = False


@dataclass(frozen=True)
class Table:
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...] | None = None  # relative column widths on paper
    title: str = ""  # the sheet's name in a workbook

    def __post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"a row of {len(row)} cells under {len(self.headers)} headers")


@dataclass(frozen=True)
class Space:
    """A little vertical space (before a signature)."""


Block = Section | Paragraph | Table | Space


@dataclass(frozen=True)
class Heading:
    """What the top of every page says."""

    title: str
    cluster_name: str
    subtitle: str  # e.g. "Spring 1 funding round, 20/01/2027"
    produced_on: date
    edition: str = ""  # e.g. "Members' edition" or "Governors' edition"


@dataclass(frozen=True)
class Document:
    heading: Heading
    blocks: tuple[Block, ...] = field(default=())

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(b for b in self.blocks if isinstance(b, Table))


class BlockWriter(Protocol):
    """A renderer's way of writing each kind of block."""

    def section(self, block: Section) -> None: ...

    def paragraph(self, block: Paragraph) -> None: ...

    def table_block(self, block: Table) -> None: ...

    def space(self) -> None: ...


def write_blocks(document: Document, writer: BlockWriter) -> None:
    """The document's blocks, in order, each to the writer's method for its kind: a kind of block
    added here is one a renderer without that method fails to type-check against."""
    for block in document.blocks:
        if isinstance(block, Section):
            writer.section(block)
        elif isinstance(block, Paragraph):
            writer.paragraph(block)
        elif isinstance(block, Table):
            writer.table_block(block)
        elif isinstance(block, Space):
            writer.space()


def table(headers: Sequence[str], rows: Sequence[Sequence[Cell]],
          widths: Sequence[float] | None = None, title: str = "") -> Table:
    return Table(tuple(headers), tuple(tuple(r) for r in rows),
                 tuple(widths) if widths else None, title)


# --- the small part of Markdown the minutes and agendas use ---------------------------------

_BOLD = re.compile(r"\*\*(.+?)\*\*")


def plain(text: str) -> str:
    """Markdown's **bold** and `code` marks dropped: paper shows the words."""
    return _BOLD.sub(r"\1", text).replace("`", "")


def from_markdown(markdown: str, top_level: int = 1) -> tuple[Block, ...]:
    """Headings, paragraphs, bullets and pipe tables, as blocks. In Markdown a line break is
    structure, so a pasted Word break (U+000B) is a space here: it cannot split a table row."""
    return tuple(_blocks(clean_text(_BREAKS.sub(" ", markdown)), top_level))


def _blocks(markdown: str, top: int) -> Iterator[Block]:
    paragraph: list[str] = []
    rows: list[tuple[str, ...]] = []

    def flush() -> Iterator[Block]:
        if paragraph:
            yield Paragraph(plain(" ".join(paragraph)))
            paragraph.clear()
        if rows:
            yield _markdown_table(rows)
            rows.clear()

    for raw in markdown.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line.startswith("|"):
            if paragraph:
                yield from flush()
            cells = tuple(c.strip() for c in line.strip("|").split("|"))
            if not all(set(c) <= set("-: ") for c in cells):
                rows.append(cells)
            continue
        if rows or not line:
            yield from flush()
        if not line:
            continue
        if line.startswith(("## ", "### ")):
            yield from flush()
            yield Section(plain(line.lstrip("#").strip()), top + 1)
        elif line.startswith("# "):
            yield from flush()
            yield Section(plain(line[2:].strip()), top)
        elif line.startswith(("- ", "* ")):
            yield from flush()
            yield Paragraph(plain(line[2:].strip()), bullet=True)
        elif re.match(r"^\d+\. ", line):
            yield from flush()
            yield Paragraph(plain(line), bullet=True)
        else:
            paragraph.append(line)
    yield from flush()


def _markdown_table(rows: list[tuple[str, ...]]) -> Table:
    headers, *body = [tuple(plain(c) for c in row) for row in rows]
    width = max(len(headers), *(len(r) for r in body)) if body else len(headers)
    return table(_pad(headers, width), [_pad(r, width) for r in body])


def _pad(row: tuple[str, ...], width: int) -> tuple[str, ...]:
    return tuple(row[:width]) + ("",) * (width - len(row))

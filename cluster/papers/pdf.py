"""A `Document` as PDF (fpdf2): A4 portrait, the title block, a running header, "Page n of N", and
tables that wrap and repeat their heading row on each page.

The text is set in DejaVu Sans, embedded, so every name prints ("Łukasz", "Zoë", "Nguyễn"). The
font comes from Debian's fonts-dejavu-core, which `make run` and `make test` install
(scripts/ensure_fonts.sh); `CLUSTER_FONT_DIR` points elsewhere. Where it is missing the core
Helvetica font is used, which holds Latin-1 only, and the log says so.
"""

from __future__ import annotations

import copy
import logging
import os
import string
import threading
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from io import BytesIO
from pathlib import Path
from types import SimpleNamespace
from typing import IO, Any

import fpdf.output
from fontTools import subset as ftsubset
from fontTools import ttLib
from fpdf import FPDF
from fpdf.fonts import FontFace, SubsetMap, TTFFont

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

FONT_DIRS = (Path("/usr/share/fonts/truetype/dejavu"), Path("/usr/share/fonts/dejavu"))
# Regular and bold only: each embedded face costs time to read and subset, and the running
# header reads as well in grey as in italics.
FONT_FILES = {"": "DejaVuSans.ttf", "B": "DejaVuSans-Bold.ttf"}
UNICODE_FAMILY = "DejaVu"
CORE_FAMILY = "Helvetica"
_PLAIN = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"',
                        "\u2013": "-", "\u2014": "-", "\u2192": "->", "\u2026": "...",
                        "\u00a0": " ", "\u2022": "-", "\u2264": "<=", "\u2265": ">="})
log = logging.getLogger(__name__)


@cache
def font_dir() -> Path | None:
    """Where DejaVu Sans is, or None (then PDFs use the Latin-1 core font)."""
    override = os.environ.get("CLUSTER_FONT_DIR")
    for folder in ((Path(override),) if override else ()) + FONT_DIRS:
        if all((folder / name).is_file() for name in FONT_FILES.values()):
            return folder
    log.warning("DejaVu Sans not found (install fonts-dejavu-core): PDFs print Latin-1 only")
    return None


_PARSED: dict[str, TTFFont] = {}
_PARSING = threading.Lock()
# Every embedded face carries these characters whether used or not, so papers in plain English
# (nearly all of them) embed the same cut of the font and it is cut once per process: cutting
# DejaVu down took three quarters of a letter's time.
COMMON_CHARACTERS = string.printable.strip() + " £–—‘’“”…•"
_SUBSET_LIMIT = 32


@dataclass(frozen=True)
class _Cut:
    """A face cut down to some glyphs: the font file's bytes and each glyph's new number."""

    data: bytes
    glyph_ids: dict[str, int]


_CUTS: OrderedDict[tuple[str, frozenset[str]], _Cut] = OrderedDict()


class _Face(ttLib.TTFont):
    """DejaVu as fpdf2 embeds it, which can take a cut already made for the same glyphs."""

    cut: _Cut | None = None

    def getGlyphID(self, glyphName: str) -> int:  # noqa: N802, N803 (fontTools' names)
        if self.cut is not None:
            return self.cut.glyph_ids[glyphName]
        return int(super().getGlyphID(glyphName))

    def save(self, file: IO[bytes], reorderTables: bool = True) -> None:  # noqa: N803
        if self.cut is not None:
            file.write(self.cut.data)
            return
        super().save(file, reorderTables)


class _CuttingOnce:
    """fontTools' subsetter as fpdf2 calls it, remembering each cut of a `_Face` by the glyphs
    kept; other fonts are cut as before."""

    def __init__(self, options: Any) -> None:
        self.inner = ftsubset.Subsetter(options)
        self.glyphs: frozenset[str] = frozenset()

    def populate(self, glyphs: Any) -> None:
        self.glyphs = frozenset(glyphs)
        self.inner.populate(glyphs=glyphs)

    def subset(self, font: ttLib.TTFont) -> None:
        if not isinstance(font, _Face):
            self.inner.subset(font)
            return
        key = (str(font.reader.file.name), self.glyphs)
        with _PARSING:
            font.cut = _CUTS.get(key)
            if font.cut is not None:
                _CUTS.move_to_end(key)
                return
        self.inner.subset(font)
        written = BytesIO()
        font.save(written)
        cut = _Cut(written.getvalue(), {name: font.getGlyphID(name) for name in self.glyphs})
        with _PARSING:
            _CUTS[key] = cut
            while len(_CUTS) > _SUBSET_LIMIT:
                _CUTS.popitem(last=False)
        font.cut = cut


# fpdf2 cuts fonts through the fontTools module it imported; this is the one place it is swapped.
fpdf.output.ftsubset = SimpleNamespace(
    Options=ftsubset.Options, Subsetter=_CuttingOnce)


def _parsed(folder: Path, style: str) -> TTFFont:
    """The font's metrics, read once per process: reading DejaVu's 6,000 glyphs took half of
    every PDF's time, and issuing a meeting's papers makes dozens of PDFs."""
    key = f"{folder}/{style}"
    with _PARSING:
        if key not in _PARSED:
            scratch = FPDF()
            scratch.add_font(UNICODE_FAMILY, style, str(folder / FONT_FILES[style]))
            parsed = scratch.fonts[f"{UNICODE_FAMILY.lower()}{style}"]
            assert isinstance(parsed, TTFFont)
            _PARSED[key] = parsed
        return _PARSED[key]


def _add_unicode_fonts(pdf: FPDF, folder: Path) -> None:
    """DejaVu for this document: the metrics shared (fpdf2 shares them the same way between a
    document and its recorder copies), the font file and the record of characters used its own,
    since embedding cuts the file down to the characters this document uses."""
    for style in FONT_FILES:
        font = copy.deepcopy(_parsed(folder, style))
        font.ttfont = _Face(font.ttffile, recalcTimestamp=False, lazy=True)
        font.missing_glyphs = []
        font.subset = SubsetMap(font)
        for character in COMMON_CHARACTERS:
            font.subset.pick(ord(character))
        font.i = len(pdf.fonts) + 1
        pdf.fonts[f"{UNICODE_FAMILY.lower()}{style}"] = font


class _Pdf(FPDF):
    def __init__(self, heading: Heading) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.heading = heading
        folder = font_dir()
        self.family = UNICODE_FAMILY if folder else CORE_FAMILY
        if folder:
            _add_unicode_fonts(self, folder)
        self.set_auto_page_break(auto=True, margin=18)
        self.set_margins(16, 16, 16)
        self.alias_nb_pages()
        self.set_title(self.words(heading.title))
        self.set_author(self.words(heading.cluster_name))

    def words(self, text: object) -> str:
        """Text as this PDF's font can print it."""
        cleaned = clean_text(text)
        if self.family == UNICODE_FAMILY:
            return cleaned
        return cleaned.translate(_PLAIN).encode("latin-1", "replace").decode("latin-1")

    def header(self) -> None:
        if self.page_no() == 1:
            return
        self.set_font(self.family, "", 8)
        self.set_text_color(90, 90, 90)
        self.cell(0, 6, self.words(f"{self.heading.cluster_name} - {self.heading.title}"),
                  new_x="LMARGIN", new_y="NEXT")
        self.set_text_color(0, 0, 0)
        self.ln(2)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(self.family, "", 8)
        self.set_text_color(90, 90, 90)
        edition = f"{self.heading.edition} - " if self.heading.edition else ""
        self.cell(0, 6, self.words(f"{edition}Produced {format_date(self.heading.produced_on)}"),
                  align="L")
        self.set_x(self.l_margin)
        self.cell(0, 6, f"Page {self.page_no()} of {{nb}}", align="R")
        self.set_text_color(0, 0, 0)

    def title_block(self) -> None:
        self.set_font(self.family, "B", 16)
        self.multi_cell(0, 8, self.words(self.heading.title), new_x="LMARGIN", new_y="NEXT")
        self.set_font(self.family, "", 11)
        for line in (self.heading.cluster_name, self.heading.subtitle):
            self.multi_cell(0, 6, self.words(line), new_x="LMARGIN", new_y="NEXT")
        if self.heading.edition:
            self.set_font(self.family, "B", 10)
            self.multi_cell(0, 6, self.words(self.heading.edition), new_x="LMARGIN",
                            new_y="NEXT")
        self.ln(4)

    def section(self, block: Section) -> None:
        self.ln(2)
        self.set_font(self.family, "B", 12 if block.level <= 1 else 11)
        self.multi_cell(0, 7, self.words(block.title), new_x="LMARGIN", new_y="NEXT")

    def paragraph(self, block: Paragraph) -> None:
        self.set_font(self.family, "", 10)
        text = f"- {block.text}" if block.bullet else block.text
        self.multi_cell(0, 5, self.words(text), new_x="LMARGIN", new_y="NEXT")
        self.ln(1)

    def table_block(self, block: Table) -> None:
        self.set_font(self.family, "", 9)
        style = FontFace(emphasis="BOLD", fill_color=(225, 232, 240))
        with self.table(col_widths=block.widths, headings_style=style, line_height=5,
                        text_align="LEFT", repeat_headings=1) as grid:
            heading_row = grid.row()
            for header in block.headers:
                heading_row.cell(self.words(header))
            for row in block.rows:
                cells = grid.row()
                for value in row:
                    cells.cell(self.words(cell_text(value)))
        self.ln(2)

    def space(self) -> None:
        self.ln(4)


def render_pdf(document: Document) -> bytes:
    pdf = _Pdf(document.heading)
    pdf.add_page()
    pdf.title_block()
    write_blocks(document, pdf)
    return bytes(pdf.output())


PDF_MIME = "application/pdf"

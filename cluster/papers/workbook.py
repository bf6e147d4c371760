"""Excel (.xlsx) workbooks a finance office can use, with every cell safe to open.

- Money (`Money`) is a number of pounds with a £ number format, negatives too, so a column adds
  up; a hidden amount is the word "hidden". Dates (`Day`, `date`) are dates shown DD/MM/YYYY.
  Counts are whole numbers.
- Text that starts with = + - @ (or a tab or carriage return, which some programs strip before
  reading the rest) would be read as a formula by Excel, LibreOffice and Google Sheets. Such text
  is stored as text and marked with Excel's quote-prefix style, which keeps it text when the
  cell is edited and shows no apostrophe: the school named "+SUM(1,2)" reads "+SUM(1,2)".
- Control characters a workbook cannot hold are removed (`clean_text`).

No Streamlit here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING, Cell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cluster.common.money import exact_pounds
from cluster.papers.document import Count, Day, Document, Figure, Money, Table, clean_text

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
MONEY_FORMAT = '"£"#,##0.00;-"£"#,##0.00'
DATE_FORMAT = "DD/MM/YYYY"
COUNT_FORMAT = "#,##0"
MAX_SHEET_TITLE = 31
_BAD_TITLE_CHARACTERS = str.maketrans({c: " " for c in "[]:*?/\\"})
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _text(value: object) -> str:
    return ILLEGAL_CHARACTERS_RE.sub("", clean_text(value))


def put(cell: Cell, value: object) -> None:
    """Writes one value into a cell as its type wants: money and dates formatted, text that could
    be read as a formula kept as text with the quote-prefix style."""
    if isinstance(value, Money):
        value = value.hidden_text if value.pence is None else exact_pounds(value.pence)
        if isinstance(value, Decimal):
            cell.value = value
            cell.number_format = MONEY_FORMAT
            return
    elif isinstance(value, Count):
        value = value.hidden_text if value.value is None else value.value
        if isinstance(value, int):
            cell.value = value
            cell.number_format = COUNT_FORMAT
            return
    elif isinstance(value, Figure):
        if value.value is None:
            value = value.shown
        else:
            cell.value = value.value
            cell.number_format = value.number_format
            return
    elif isinstance(value, Day):
        value = value.value
    if value is None:
        return
    if isinstance(value, (bool, int, float, Decimal)):
        cell.value = value
        return
    if isinstance(value, (date, datetime)):
        cell.value = value
        cell.number_format = DATE_FORMAT
        return
    text = _text(value)
    cell.value = text
    cell.data_type = TYPE_STRING  # never a formula, whatever it starts with
    if text.startswith(FORMULA_TRIGGERS):
        cell.quotePrefix = True


def write_row(sheet: Worksheet, row: Sequence[object], *, bold: bool = False) -> None:
    """Appends a row, each cell written by `put`."""
    sheet.append([None] * max(1, len(row)))  # takes the next line, an empty row too
    number = sheet.max_row
    for column, value in enumerate(row, start=1):
        cell = sheet.cell(number, column)
        put(cell, value)
        if bold:
            cell.font = Font(bold=True)


def sheet_title(title: str) -> str:
    cleaned = _text(title).translate(_BAD_TITLE_CHARACTERS).strip().strip("'") or "Sheet"
    return cleaned[:MAX_SHEET_TITLE]


def _width(value: object) -> int:
    if isinstance(value, (Money, Count, Figure, Day)):
        return len(value.text)
    return len(str(value or ""))


def _fill(sheet: Worksheet, headers: Sequence[str], rows: Sequence[Sequence[object]],
          notes: Iterable[str]) -> None:
    notes = list(notes)
    for note in notes:
        write_row(sheet, [note])
    if notes:
        write_row(sheet, [])
    write_row(sheet, headers, bold=True)
    for row in rows:
        write_row(sheet, row)
    for index, name in enumerate(headers, start=1):
        widest = max([len(str(name))] + [_width(r[index - 1]) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, widest + 2))


def _bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def table_workbook(title: str, rows: Sequence[Mapping[str, object]], *,
                   notes: Iterable[str] = (), columns: Sequence[str] | None = None) -> bytes:
    """One sheet: optional notes (source, suppression) above a header row and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    names = list(columns) if columns is not None else _columns(rows)
    _fill(sheet, names, [[row.get(name) for name in names] for row in rows], notes)
    return _bytes(workbook)


def render_xlsx(document: Document) -> bytes:
    """A document's tables, one sheet each, under the document's title."""
    workbook = Workbook()
    first = True
    for number, block in enumerate(document.tables, start=1):
        sheet = workbook.active if first else workbook.create_sheet()
        first = False
        sheet.title = _unique(workbook, sheet_title(block.title or f"Table {number}"))
        _fill(sheet, block.headers, block.rows, [document.heading.title,
                                                 document.heading.cluster_name])
    return _bytes(workbook)


def _unique(workbook: Workbook, title: str) -> str:
    taken = {s.title for s in workbook.worksheets[:-1]}
    candidate, number = title, 2
    while candidate in taken:
        candidate = f"{title[:MAX_SHEET_TITLE - 4]} ({number})"
        number += 1
    return candidate


def _columns(rows: Sequence[Mapping[str, object]]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


__all__ = ["Table", "XLSX_MIME", "put", "render_xlsx", "sheet_title", "table_workbook",
           "write_row"]

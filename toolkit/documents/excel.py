"""Excel (.xlsx) exports of the toolkit's tables, with every cell safe to open.

A text cell that starts with = + - @ (or a tab or carriage return, which some programs strip before
reading the rest) is taken by Excel, LibreOffice and Google Sheets as a formula: a school name or a
reference typed as "=HYPERLINK(...)" would run when the file is opened. `safe_cell` neutralises such
text by putting an apostrophe-like quote in front, the OWASP recommendation, and openpyxl is told
the cell is a string. Numbers stay numbers (a negative amount is a number, not text starting with
"-").

Use `safe_cell` for any cell you write with openpyxl, and `table_workbook` for a table of rows.
No Streamlit here.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import Decimal

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, TYPE_STRING
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

FORMULA_TRIGGERS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")
MAX_SHEET_TITLE = 31
_BAD_TITLE_CHARACTERS = str.maketrans({c: " " for c in "[]:*?/\\"})

CellValue = str | int | float | Decimal | date | datetime | bool | None


def safe_cell(value: object) -> CellValue:
    """The value to write into a cell so that it can never be read as a formula.

    Text starting with = + - @ tab or CR gets a leading single quote; control characters a
    workbook cannot hold are removed; numbers, dates and booleans are unchanged; anything else is
    written as its text (also neutralised)."""
    if value is None or isinstance(value, (bool, int, float, Decimal, date, datetime)):
        return value
    text = value if isinstance(value, str) else str(value)
    # Control characters Excel cannot hold are dropped first, so none can hide a leading "=".
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    if text.startswith(FORMULA_TRIGGERS):
        return "'" + text
    return text


def write_row(sheet: Worksheet, row: Sequence[object]) -> None:
    """Appends a row of safe cells, marking text cells as text so no formula is ever stored."""
    values = [safe_cell(v) for v in row]
    sheet.append(values)
    for cell, value in zip(sheet[sheet.max_row], values, strict=False):
        if isinstance(value, str):
            cell.data_type = TYPE_STRING


def sheet_title(title: str) -> str:
    cleaned = title.translate(_BAD_TITLE_CHARACTERS).strip().strip("'") or "Sheet"
    return cleaned[:MAX_SHEET_TITLE]


def table_workbook(title: str, rows: Sequence[Mapping[str, object]], *,
                   notes: Iterable[str] = (), columns: Sequence[str] | None = None) -> bytes:
    """One sheet: optional notes (source, suppression) above a header row and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(title)
    names = list(columns) if columns is not None else _columns(rows)
    for note in notes:
        write_row(sheet, [note])
    if notes:
        write_row(sheet, [])
    write_row(sheet, names)
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)
    for row in rows:
        write_row(sheet, [row.get(name) for name in names])
    for index, name in enumerate(names, start=1):
        widest = max([len(str(name))] + [len(str(r.get(name, ""))) for r in rows[:200]])
        sheet.column_dimensions[get_column_letter(index)].width = min(60, max(10, widest + 2))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _columns(rows: Sequence[Mapping[str, object]]) -> list[str]:
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

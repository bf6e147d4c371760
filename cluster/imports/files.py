"""Reading an uploaded CSV or Excel (.xlsx) file into rows keyed by column name.

Whole-file problems (too big, not a CSV or Excel file, not UTF-8 text, a damaged workbook, missing
or repeated columns) reject the file before any row is looked at; each says what to do about it.
Row numbers are the spreadsheet's: the header is row 1, the first data row is row 2.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any, TypeVar

from cluster.core.errors import ClusterError

MAX_FILE_BYTES = 20 * 1024 * 1024  # the DfE's full national school-level file is about 10 MB
MAX_PROBLEMS_LISTED = 200
# One school's count. The largest schools in England have a few thousand pupils; a figure past this
# is a slip (or a total pasted into a school's row), and past 2**63 the database cannot hold it.
MAX_COUNT = 100_000
PROGRESS_EVERY = 2_000
Key = TypeVar("Key", bound=Hashable)  # what makes a row one school: a URN, or URN and year

Progress = Callable[[float, str], None]


def no_progress(_fraction: float, _message: str) -> None:
    return None


@dataclass(frozen=True)
class ImportProblem:
    row: int | None  # None: the whole file
    column: str | None
    reason: str

    @property
    def message(self) -> str:
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"column '{self.column}'")
        return f"{', '.join(where)}: {self.reason}" if where else self.reason


NOTHING_IMPORTED = "Nothing was imported"


class ImportRejected(ClusterError):  # noqa: N818 - named for what the person is told, as views and tests import it
    """Nothing was written. `problems` lists every problem found (row, column, reason)."""

    def __init__(self, problems: Sequence[ImportProblem], summary: str = "",
                 report: object | None = None) -> None:
        self.problems = tuple(problems)
        self.report = report
        listed = "; ".join(p.message for p in self.problems[:5])
        more = len(self.problems) - 5
        tail = f"; and {more} more" if more > 0 else ""
        lead = summary or (f"Nothing was imported: {len(self.problems)} problem"
                           f"{'s' if len(self.problems) != 1 else ''} found")
        # "Nothing was imported: the file is empty.", not "Nothing was imported. the file ..."
        joined = ": " if lead == NOTHING_IMPORTED else ". "
        super().__init__(f"{lead}{joined}{listed}{tail}.")


def rejected(reason: str, *, row: int | None = None, column: str | None = None) -> ImportRejected:
    return ImportRejected([ImportProblem(row, column, reason)], NOTHING_IMPORTED)


def required_columns(table: Table, wanted: Mapping[str, Sequence[str]],
                     file_label: str) -> dict[str, int]:
    """Where each required column is (`wanted`: a key for each, and the names it may go by, the
    first one the name a person reads). Refused, naming every missing column, if any is missing."""
    positions = {key: table.index_of(names) for key, names in wanted.items()}
    missing = [wanted[key][0] for key, at in positions.items() if at is None]
    if missing:
        named = ", ".join(f"'{name}'" for name in missing)
        raise ImportRejected(
            [ImportProblem(1, name, "this required column is missing") for name in missing],
            f"Nothing was imported: {file_label} has no {named} column"
            f"{'s' if len(missing) > 1 else ''} (found: "
            f"{', '.join(repr(c) for c in table.columns[:12] if c)})")
    return {key: at for key, at in positions.items() if at is not None}


def repeated_row(first_seen: dict[Key, int], key: Key, number: int, column: str,
                 repeated: str) -> list[ImportProblem]:
    """One row per school: a key seen on an earlier row is a problem naming that row
    (`repeated`: what appears again, "URN 100001 appears again")."""
    if key in first_seen:
        return [ImportProblem(number, column, f"{repeated} (first on row {first_seen[key]}); "
                                              "keep one row per school")]
    first_seen[key] = number
    return []


def counted(number: int, values: Sequence[str], names: Sequence[str], at: int,
            problems: list[ImportProblem]) -> int | None:
    """The count in column `at` of a row, or None with the problem added to `problems`."""
    value = whole_number(values[at])
    if value is None:
        problems.append(ImportProblem(number, names[at], count_problem(values[at])))
    return value


@dataclass(frozen=True)
class Table:
    columns: tuple[str, ...]  # as written in the file's header, stripped
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (row number, values in column order)
    problems: tuple[ImportProblem, ...] = field(default=())  # rows the reader could not use

    def index_of(self, wanted: Iterable[str]) -> int | None:
        """The position of the first column whose name matches one of `wanted` (by `column_key`)."""
        keys = [column_key(name) for name in self.columns]
        for name in wanted:
            key = column_key(name)
            if key in keys:
                return keys.index(key)
        return None


def column_key(name: str) -> str:
    """Column names match whatever their case, spacing or underscores: "Total pupils" is
    "total_pupils" is "TOTAL PUPILS"."""
    return re.sub(r"[\s_]+", " ", name.replace("\ufeff", "")).strip().lower()


# --- the file as a whole --------------------------------------------------------------------------


def read_table(data: bytes, filename: str, *, max_bytes: int = MAX_FILE_BYTES,
               progress: Progress = no_progress) -> Table:
    if len(data) > max_bytes:
        raise rejected(f"the file is {len(data) / 1_048_576:.1f} MB; the largest accepted is "
                       f"{max_bytes / 1_048_576:.0f} MB. Remove columns or rows you do not need, "
                       "or split it")
    if not data.strip():
        raise rejected("the file is empty")
    kind = file_kind(data, filename)
    progress(0.0, "Reading the file")
    table = _read_xlsx(data, progress) if kind == "xlsx" else _read_csv(data, progress)
    _check_header(table.columns)
    if not table.rows and not table.problems:
        raise rejected("the file has a header row but no rows of data")
    return table


def file_kind(data: bytes, filename: str) -> str:
    name = filename.lower().strip()
    is_zip = data[:4] == b"PK\x03\x04"
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise rejected("this is an old Excel 97-2003 (.xls) workbook: in Excel choose Save As → "
                       "Excel Workbook (.xlsx) or CSV UTF-8, and upload that")
    if name.endswith(".xlsx"):
        if not is_zip:
            raise rejected("the file is named .xlsx but is not an Excel workbook: it may be "
                           "damaged, or another kind of file renamed")
        return "xlsx"
    if name.endswith((".csv", ".txt")):
        if is_zip:
            raise rejected("the file is named .csv but is an Excel workbook or a zip archive: "
                           "upload it as .xlsx, or save it as CSV UTF-8")
        if b"\x00" in data[:4096] or data[:5] == b"%PDF-":
            raise rejected("the file is named .csv but is not text (it looks like a PDF, an "
                           "image or a UTF-16 export): save it as CSV UTF-8")
        return "csv"
    extension = name.rsplit(".", 1)[-1] if "." in name else "no extension"
    raise rejected(f"only CSV (.csv) and Excel (.xlsx) files can be imported, not "
                   f"'{extension}' files")


def _check_header(columns: Sequence[str]) -> None:
    if not any(columns):
        raise rejected("the first row must name the columns, and it is empty", row=1)
    seen: dict[str, str] = {}
    for name in columns:
        key = column_key(name)
        if not key:
            continue
        if key in seen:
            raise rejected(f"the column '{name}' appears twice in the header; keep one", row=1,
                           column=name)
        seen[key] = name


# --- CSV ------------------------------------------------------------------------------------------


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        byte = data[error.start: error.start + 1].hex().upper()
        raise rejected(
            f"the file is not UTF-8 text (line {line} holds the byte 0x{byte}, typical of a "
            "Windows-1252 or Latin-1 export). In Excel choose Save As → CSV UTF-8 (comma "
            "delimited), and upload that", row=line) from error


def _read_csv(data: bytes, progress: Progress) -> Table:
    text = _decode(data)
    total = max(text.count("\n"), 1)
    # Comma-separated, as Excel's "CSV UTF-8" and the DfE's files are.
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader, None)
        if header is None:
            raise rejected("the file is empty")
        columns = tuple(h.strip().replace("\ufeff", "") for h in header)
        rows, problems = _csv_rows(reader, len(columns), total, progress)
    except csv.Error as error:
        raise rejected(f"the file is not well-formed CSV near line {reader.line_num} ({error}); "
                       "check for an unclosed quotation mark", row=reader.line_num) from error
    return Table(columns, tuple(rows), tuple(problems))


def _csv_rows(reader: Iterator[list[str]], width: int, total: int, progress: Progress
              ) -> tuple[list[tuple[int, tuple[str, ...]]], list[ImportProblem]]:
    rows: list[tuple[int, tuple[str, ...]]] = []
    problems: list[ImportProblem] = []
    for number, values in enumerate(reader, start=2):
        if number % PROGRESS_EVERY == 0:
            progress(min(0.5, 0.5 * number / total), f"Read {number:,} rows")
        if not any(v.strip() for v in values):
            continue
        if len(values) > width and any(v.strip() for v in values[width:]):
            problems.append(ImportProblem(number, None, f"has {len(values)} values but the header "
                                          f"names {width} columns"))
            continue
        cells = tuple(v.strip() for v in values[:width])
        rows.append((number, cells + ("",) * (width - len(cells))))
    return rows, problems


# --- Excel ----------------------------------------------------------------------------------------


def _read_xlsx(data: bytes, progress: Progress) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError, TypeError) as error:
        raise rejected("the Excel workbook could not be opened: it may be damaged, password-"
                       "protected or not really an .xlsx file") from error
    except Exception as error:  # openpyxl raises its own InvalidFileException and others
        raise rejected("the Excel workbook could not be opened: it may be damaged, password-"
                       "protected or not really an .xlsx file") from error
    try:
        return _sheet_rows(workbook, progress)
    except ImportRejected:
        raise
    except Exception as error:  # a damaged workbook can open and then fail part-way through
        raise rejected("the Excel workbook could not be read: it is damaged or has no worksheet. "
                       "Open it in Excel, save it again as .xlsx (or CSV UTF-8) and upload that"
                       ) from error
    finally:
        workbook.close()


def _sheet_rows(workbook: Any, progress: Progress) -> Table:
    sheet = workbook.worksheets[0]
    total = max(sheet.max_row or 1, 1)
    raw = sheet.iter_rows(values_only=True)
    header = next(raw, None)
    if header is None:
        raise rejected("the first worksheet is empty")
    columns = tuple(cell_text(h) for h in header)
    while columns and not columns[-1]:
        columns = columns[:-1]
    width = len(columns)
    rows: list[tuple[int, tuple[str, ...]]] = []
    problems: list[ImportProblem] = []
    for number, values in enumerate(raw, start=2):
        if number % PROGRESS_EVERY == 0:
            progress(min(0.5, 0.5 * number / total), f"Read {number:,} rows")
        cells = tuple(cell_text(v) for v in values)
        if not any(cells):
            continue
        if any(cells[width:]):
            problems.append(ImportProblem(number, None, "has values beyond the last named "
                                          "column"))
            continue
        cells = cells[:width]
        rows.append((number, cells + ("",) * (width - len(cells))))
    return Table(columns, tuple(rows), tuple(problems))


def cell_text(value: object) -> str:
    """An Excel cell as the text a CSV would hold: 12.0 → "12", dates as YYYY-MM-DD."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return str(value).strip()


# --- cell checks shared by the importers ----------------------------------------------------------


def whole_number(text: str) -> int | None:
    """A count: digits only (thousands commas allowed). None when it is not one."""
    cleaned = text.replace(",", "").strip()
    if cleaned.endswith(".0"):
        cleaned = cleaned[:-2]
    if not cleaned.isdigit() or not cleaned.isascii():
        return None
    value = int(cleaned)
    return value if value <= MAX_COUNT else None


def count_problem(text: str) -> str:
    if not text.strip():
        return "is empty; a count is needed (0 if there are none)"
    if text.strip().lower() in ("x", "c", "z", ":", "..", "~", "low"):
        return (f"'{text.strip()}' is a suppressed or missing figure; the actual count is needed")
    if text.strip().startswith("-"):
        return f"'{text.strip()[:20]}' is negative; a count cannot be"
    digits = text.replace(",", "").strip().removesuffix(".0")
    if digits.isascii() and digits.isdigit():
        return f"'{text.strip()[:20]}' is more than {MAX_COUNT:,}: check the figure"
    return f"'{text.strip()[:20]}' is not a whole number"

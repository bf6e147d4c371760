"""Generated files at the service level: 500 files per importer, so that bad input is tried in bulk
where it is cheap. Whatever arrives, the import never crashes, never writes part of a file it
refuses (no table gains or loses a row), every refusal names the row (or the file, for a whole-file
problem) and the problem, and the "Check the file" button finds the same problems the import refuses
on.

Files are CSV (UTF-8, UTF-8 with BOM, Windows-1252, UTF-16), Excel workbooks with numbers, text,
dates, booleans and formulas in the cells, damaged workbooks (truncated, bytes flipped) and
garbage; headers are missing, reordered, repeated (in another case or spacing) or blank; cells are
empty, negative, huge, suppressed ("x", "c"), formula-leading, unicode, dates like 31/02/2026.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from hypothesis import strategies as st
from openpyxl import Workbook
from sqlalchemy.engine import Engine

from cluster.core.db import make_engine
from cluster.imports import (
    ImportRejected,
    check_census_file,
    check_schools_file,
    import_benchmarks,
    import_census,
    import_schools,
)
from cluster.imports.census import ImportReport
from tests.cluster.bad_input import (
    FORMULAS,
    ODD_DATES,
    Tally,
    assert_ran,
    postgres_misfits,
    run_examples,
    table_counts,
)
from tests.cluster.imports.shapes import OUR_SCHOOLS, Setup, set_up_cluster

CENSUS_COLUMNS = ("URN", "Total pupils", "SEN support", "EHC plan", "time_period",
                  "EHC_Primary_need_asd", "SUP_Primary_need_semh", "school_name", "Notes")
SCHOOL_COLUMNS = ("URN", "LAESTAB", "School name", "Phase", "Type", "Predecessor URN")
BENCHMARK_COLUMNS = ("la_name", "Total pupils", "EHC plan", "SEN support", "time_period", "URN")
# The same column again, written another way: the importers match names by case and spacing.
VARIANTS = {"URN": "urn", "Total pupils": "TOTAL_PUPILS", "EHC plan": "ehc  plan",
            "SEN support": "Sen_Support", "time_period": "Time Period", "la_name": "LA name",
            "School name": "school  name", "Phase": "PHASE"}

# Odd cell values, drawn with sampled_from (cheap to generate, so 500 files run in seconds).
ODD_CELLS = ("", " ", "x", "c", "z", "..", "1,024", "12.0", "3.5", "1e3", "NaN", "١٢", "  7 ",
             "99999999999999999999", "-0", "-7", "+5", "0x1F", "½", "７", "😀", "Ω≈ç", "\u202e12",
             "null", *FORMULAS, *ODD_DATES, 12.0, 3.5, -2, 10**20, True, False, None,
             float("nan"), date(2026, 2, 28), datetime(2026, 1, 15, 9, 30))
texts = st.one_of(st.sampled_from(ODD_CELLS),
                  st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                          max_size=12))
odd = st.one_of(st.sampled_from(ODD_CELLS), st.sampled_from(ODD_CELLS), texts)
counts = st.one_of(st.integers(0, 2_000).map(str), st.integers(0, 2_000), odd)
clean_counts = st.one_of(st.integers(0, 60).map(str), st.integers(0, 60))
our_urns = st.sampled_from([s.urn for s in OUR_SCHOOLS])
urns = st.one_of(our_urns, st.integers(100_000, 999_999).map(str),
                 st.sampled_from(["", "12345", "1234567", "121001.0", "１２１００１", "١٢١٠٠١",
                                  "=121001", "121 001"]), odd)
periods = st.one_of(st.sampled_from(["202526", "202425", "2026", "202021", "", "2025/26",
                                     "999999", "202527", "000001", "1999", "31/02/2026", 202526,
                                     2026, 2026.0, date(2026, 1, 15)]), odd)
clean_periods = st.sampled_from(["202526", "202425", "2026", 202526])


# --- files ----------------------------------------------------------------------------------------


def _csv(rows: list[list[object]], encoding: str) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(
        [["" if v is None else str(v) for v in row] for row in rows])
    return buffer.getvalue().encode(encoding)


def _xlsx(rows: list[list[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append([_excel_cell(v) for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _excel_cell(value: object) -> object:
    """As a DfE download opened in Excel holds it: digit strings become numbers; a string led by
    "=" stays a formula (with no cached value, so it reads back empty)."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 16:
        return int(value)
    if isinstance(value, str):
        return "".join(c for c in value if c >= " " or c in "\t\n\r")  # Excel refuses the rest
    if isinstance(value, float) and value != value:
        return "NaN"
    return value


@st.composite
def header(draw: st.DrawFn, all_columns: tuple[str, ...]) -> list[str]:
    """Mostly the full header; otherwise columns missing, reordered, repeated in another spelling,
    blank or unknown."""
    if draw(st.integers(0, 9)) < 5:
        return list(all_columns)
    columns = draw(st.lists(st.sampled_from(all_columns), min_size=1, max_size=len(all_columns),
                            unique=True))
    if draw(st.integers(0, 3)) == 0:
        repeat = draw(st.sampled_from(columns))
        columns.insert(draw(st.integers(0, len(columns))), VARIANTS.get(repeat, repeat.upper()))
    if draw(st.integers(0, 3)) == 0:
        columns.insert(draw(st.integers(0, len(columns))),
                       draw(st.sampled_from(["", " ", "Unknown", "=SUM(A1)", "ûrn", "URN "])))
    return columns


Row = dict[str, object]


@st.composite
def upload(draw: st.DrawFn, all_columns: tuple[str, ...], clean_rows: object,
           cell: dict[str, st.SearchStrategy[object]]) -> tuple[bytes, str]:
    """A file: its rows clean (a file a school would send), or some of them spoiled cell by cell,
    in one of the forms files arrive in."""
    columns = draw(header(all_columns))
    number = draw(st.integers(0, 6))
    rows: list[Row] = clean_rows(draw, number)  # type: ignore[operator]  # a composite strategy called with draw
    if draw(st.booleans()):  # spoil one cell in some rows (the row is fine otherwise), or many
        for row in rows:
            if draw(st.booleans()):
                name = draw(st.sampled_from(columns))
                row[name] = draw(cell.get(name, odd))
            if draw(st.integers(0, 4)) == 0:
                for name in columns:
                    row[name] = draw(st.one_of(cell.get(name, odd), st.just(row.get(name, ""))))
    table: list[list[object]] = [list(columns)]
    for row in rows:
        values = [row.get(name, row.get(VARIANTS.get(name, name), "")) for name in columns]
        if draw(st.integers(0, 19)) == 0:  # a ragged row: too many or too few values
            values = values + [draw(odd)] if draw(st.booleans()) else values[:-1]
        table.append(values)
    form = draw(st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-8", "utf-8-sig", "cp1252",
                                 "utf-16", "xlsx", "xlsx", "damaged-xlsx", "broken-csv",
                                 "garbage"]))
    name = draw(st.sampled_from(["census.csv", "census.csv", "census.CSV", "list.txt"]))
    if form == "xlsx":
        return _xlsx(table), draw(st.sampled_from(["census.xlsx", "CENSUS.XLSX", "census.csv"]))
    if form == "damaged-xlsx":
        data = bytearray(_xlsx(table))
        # Positions drawn independently of the workbook's length, which the zip's timestamps move.
        if draw(st.booleans()):
            data = data[: draw(st.integers(0, 10**6)) % len(data)]
        else:
            for _ in range(draw(st.integers(1, 20))):
                data[draw(st.integers(0, 10**6)) % len(data)] = draw(st.integers(0, 255))
        return bytes(data), "census.xlsx"
    if form == "broken-csv":
        data = _csv(table, "utf-8")
        return data + draw(st.sampled_from([b'\r\n"unclosed,1,2', b"\r\n1,2\x00,3", b"\xff\xfe",
                                            b"\r\n" * 3, b'\r\n""""'])), name
    if form == "garbage":
        return draw(st.binary(min_size=0, max_size=300)), draw(
            st.sampled_from(["file.csv", "file.xlsx", "file.xls", "file.bin", "file", ".csv"]))
    try:
        return _csv(table, form), name
    except UnicodeEncodeError:
        return _csv(table, "utf-8"), name


URN_POOL = tuple(s.urn for s in OUR_SCHOOLS) + ("139999", "140001", "100123")


def census_rows(draw: st.DrawFn, number: int) -> list[Row]:
    chosen = draw(st.lists(st.sampled_from(URN_POOL), min_size=number, max_size=number,
                           unique=True)) if number <= len(URN_POOL) else list(URN_POOL)
    rows = []
    for urn in chosen:
        pupils = draw(st.integers(100, 1_500))
        rows.append({"URN": urn, "Total pupils": pupils, "SEN support": draw(st.integers(0, 90)),
                     "EHC plan": draw(st.integers(0, 40)), "time_period": draw(clean_periods),
                     "EHC_Primary_need_asd": draw(clean_counts),
                     "SUP_Primary_need_semh": draw(clean_counts),
                     "school_name": draw(st.sampled_from([s.name for s in OUR_SCHOOLS])),
                     "Notes": draw(odd)})  # an unknown column: anything goes
    return rows


SCHOOL_NAMES = ("Aylsham Road Primary School", "Bintree Infant School", "New Academy",
                "St Mary's C of E Junior School", "Ysgol Gymraeg", "École Française")


def school_rows(draw: st.DrawFn, number: int) -> list[Row]:
    chosen = draw(st.lists(st.sampled_from(URN_POOL), min_size=number, max_size=number,
                           unique=True)) if number <= len(URN_POOL) else list(URN_POOL)
    return [{"URN": urn, "LAESTAB": f"926{draw(st.integers(1000, 9999))}",
             "School name": draw(st.sampled_from(SCHOOL_NAMES)),
             "Phase": draw(st.sampled_from(["Primary", "infant", "Junior", "secondary",
                                            "All-through", "middle deemed primary"])),
             "Type": draw(st.sampled_from(["Academy converter", "Community school"])),
             "Predecessor URN": ""} for urn in chosen]


def benchmark_rows(draw: st.DrawFn, number: int) -> list[Row]:
    rows = []
    for _ in range(number):
        pupils = draw(st.integers(0, 1_500))
        rows.append({"la_name": draw(st.sampled_from(["Norfolk", "Suffolk", "Isles of Scilly"])),
                     "Total pupils": pupils, "EHC plan": draw(st.integers(0, min(pupils, 40))),
                     "SEN support": draw(clean_counts), "time_period": draw(clean_periods),
                     "URN": draw(odd)})
    return rows


CENSUS_CELLS: dict[str, st.SearchStrategy[object]] = {
    "URN": urns, "Total pupils": counts, "SEN support": counts, "EHC plan": counts,
    "EHC_Primary_need_asd": counts, "SUP_Primary_need_semh": counts, "time_period": periods}
SCHOOL_CELLS: dict[str, st.SearchStrategy[object]] = {
    "URN": urns, "Predecessor URN": st.one_of(urns, our_urns),
    "LAESTAB": st.one_of(st.sampled_from(["926/1001", "9261001.0", "92610011", "９２６１００１"]),
                         odd),
    "Phase": st.one_of(st.sampled_from(["college", "", "PRIMARY", "=Primary", "nursery"]), odd),
    "School name": st.one_of(st.just("S" * 130), odd),
    "Type": st.one_of(st.just("T" * 70), odd)}
BENCHMARK_CELLS: dict[str, st.SearchStrategy[object]] = {
    "la_name": st.one_of(st.sampled_from(["England", "", "  ", "L" * 90]), odd),
    "Total pupils": counts, "EHC plan": counts, "SEN support": counts, "time_period": periods}


# --- what a refusal must say ---------------------------------------------------------------------

ROW_MESSAGE = re.compile(r"^Row \d+(, column '.*')?: \S")
WHOLE_FILE_WORDS = ("file", "workbook", "worksheet", "census year", "column", "schools")


def check_rejection(error: ImportRejected) -> None:
    """Every problem says what is wrong; a row's problem starts "Row N" (the spreadsheet's own
    numbering), and a problem with no row is about the file as a whole and says so."""
    assert error.problems
    assert error.message.startswith("Nothing was imported"), error.message
    for problem in error.problems:
        assert problem.reason.strip()
        if problem.row is not None:
            assert problem.row >= 1
            assert ROW_MESSAGE.match(problem.message), problem.message
        else:
            assert problem.column or any(w in problem.reason for w in WHOLE_FILE_WORDS), \
                problem.reason
    for problem in error.problems[:5]:
        assert problem.message in error.message


@pytest.fixture
def cluster_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Engine, Setup]]:
    """One small cluster (three schools and its host) on SQLite for the whole property: the
    examples run one after another against it, comparing row counts around each."""
    path = tmp_path / "imports.db"
    shutil.copy(sqlite_template, path)
    made = make_engine(f"sqlite:///{path}")
    yield made, set_up_cluster(made)
    made.dispose()


def _import(engine: Engine, tally: Tally, run: object, check: object, writes: str
            ) -> ImportReport | None:
    """The check first (it writes nothing), then the import; they must agree."""
    before = table_counts(engine)
    checked: ImportReport | ImportRejected | None = None
    if check is not None:
        try:
            checked = check()  # type: ignore[operator]  # check is a callable here
        except ImportRejected as error:
            check_rejection(error)
            checked = error
        assert table_counts(engine) == before, "the check wrote something"
    try:
        report: ImportReport = run()  # type: ignore[operator]  # run is a callable
    except ImportRejected as error:
        tally.refused["ImportRejected"] += 1
        check_rejection(error)
        assert table_counts(engine) == before, "a refused import changed rows"
        if isinstance(checked, ImportReport):  # the check saw row problems the import refused on
            assert checked.problems or not checked.rows_read
        return None
    tally.accepted += 1
    assert report.written
    assert postgres_misfits(engine, (writes,)) == [], "accepted a value PostgreSQL would refuse"
    assert all(2000 <= year <= 2100 for year in report.census_years), report.census_years
    assert not isinstance(checked, ImportRejected), "the check refused a file the import took"
    for problem in report.problems:  # skipped rows, when importing the valid rows
        assert problem.reason.strip()
        assert problem.row is None or problem.row in report.skipped_rows
    return report


# --- the properties -------------------------------------------------------------------------------


def test_500_census_files_import_all_or_nothing(cluster_engine: tuple[Engine, Setup]) -> None:
    engine, setup = cluster_engine
    tally = Tally("census import")

    def body(example: tuple[tuple[bytes, str], bool, int | None]) -> None:
        (data, name), valid_only, year = example
        before = table_counts(engine)
        report = _import(
            engine, tally,
            lambda: import_census(engine, setup.actor, data, name, census_year=year,
                                  import_valid_rows=valid_only),
            lambda: check_census_file(engine, setup.actor, data, name, census_year=year),
            "censussnapshot")
        if report is not None:
            after = table_counts(engine)
            assert after["censussnapshot"] == before["censussnapshot"] + report.created
            assert after["school"] == before["school"]
            if not valid_only:
                assert not report.problems

    years = st.one_of(st.none(), st.sampled_from([2026, 2021, 1999, 2101, 0, -1, 10**12]))
    files = upload(CENSUS_COLUMNS, census_rows, CENSUS_CELLS)
    run_examples(tally, st.tuples(files, st.booleans(), years), body)
    assert_ran(tally, engine)
    assert tally.accepted and tally.refused  # both kinds of file were generated


def test_500_schools_lists_import_all_or_nothing(cluster_engine: tuple[Engine, Setup]) -> None:
    engine, setup = cluster_engine
    tally = Tally("schools list import")

    def body(example: tuple[tuple[bytes, str], bool]) -> None:
        (data, name), valid_only = example
        before = table_counts(engine)
        report = _import(
            engine, tally,
            lambda: import_schools(engine, setup.actor, data, name, import_valid_rows=valid_only),
            lambda: check_schools_file(engine, setup.actor, data, name), "school")
        if report is not None:
            assert table_counts(engine)["school"] == before["school"] + report.created

    files = upload(SCHOOL_COLUMNS, school_rows, SCHOOL_CELLS)
    run_examples(tally, st.tuples(files, st.booleans()), body)
    assert_ran(tally, engine)
    assert tally.accepted and tally.refused


def test_500_national_files_import_all_or_nothing(cluster_engine: tuple[Engine, Setup]) -> None:
    engine, setup = cluster_engine
    tally = Tally("LA benchmarks import")

    def body(example: tuple[tuple[bytes, str], bool, int | None]) -> None:
        (data, name), valid_only, year = example
        _import(engine, tally,
                lambda: import_benchmarks(engine, setup.actor, data, name, census_year=year,
                                          import_valid_rows=valid_only), None, "labenchmark")

    years = st.one_of(st.none(), st.sampled_from([2021, 2026, 0, -5, 10**12]))
    files = upload(BENCHMARK_COLUMNS, benchmark_rows, BENCHMARK_CELLS)
    run_examples(tally, st.tuples(files, st.booleans(), years), body)
    assert_ran(tally, engine)
    assert tally.accepted and tally.refused

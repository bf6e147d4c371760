"""The school census import: the DfE school-level "Special educational needs in England" schema,
keyed by URN, into one census snapshot per school and census year.

Columns are found by name (case, spaces and underscores do not matter; extra columns are ignored):
URN, Total pupils, SEN support, EHC plan are required; time_period (e.g. 202526 → the January 2026
census) is used when present, otherwise the census year the user gives; EHC_Primary_need_<code> and
SUP_Primary_need_<code> give the primary needs. Schools not in the cluster are passed over (the DfE
file covers all of England), so the national file itself can be imported.

All or nothing: a file with any problem writes nothing, unless the user chooses to import the valid
rows, and then the report lists every row skipped and why. Re-importing the same file changes
nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import format_date
from cluster.common.needs import PRIMARY_NEED_CODES
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.faults import pause_point
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.imports.files import (
    MAX_FILE_BYTES,
    ImportProblem,
    ImportRejected,
    Progress,
    Table,
    count_problem,
    counted,
    no_progress,
    read_table,
    rejected,
    repeated_row,
    required_columns,
    whole_number,
)
from cluster.models import CensusSnapshot, School

URN_COLUMN = "URN"
PUPILS_COLUMN = "Total pupils"
SUPPORT_COLUMN = "SEN support"
EHC_COLUMN = "EHC plan"
REQUIRED_COLUMNS: tuple[str, ...] = (URN_COLUMN, PUPILS_COLUMN, SUPPORT_COLUMN, EHC_COLUMN)
PERIOD_COLUMN = "time_period"
EARLIEST_CENSUS = 2000
LATEST_CENSUS = 2100
LISTED_IGNORED = 10


@dataclass(frozen=True)
class CensusRow:
    row: int
    urn: str
    census_year: int
    pupils: int
    sen_support: int
    ehc_plan: int
    primary_needs: dict[str, int] | None  # None: the file has no primary-need columns


@dataclass(frozen=True)
class ImportReport:
    """What an import did (or, for a check, would do). Nothing is written when `written` is
    False."""

    kind: str
    rows_read: int
    census_years: tuple[int, ...] = ()
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    ignored: int = 0  # rows for schools outside the cluster
    ignored_examples: tuple[str, ...] = ()
    problems: tuple[ImportProblem, ...] = ()
    skipped_rows: tuple[int, ...] = ()
    written: bool = False
    notes: tuple[str, ...] = field(default=())

    @property
    def valid_rows(self) -> int:
        return self.rows_read - len(self.skipped_rows)


# --- parsing (pure) -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Columns:
    urn: int
    pupils: int
    support: int
    ehc: int
    period: int | None
    needs: dict[str, tuple[int | None, int | None]]  # code → (EHC column, SEN support column)


def _find_columns(table: Table) -> _Columns:
    positions = required_columns(table, {name: [name] for name in REQUIRED_COLUMNS}, "the file")
    needs = {code: (table.index_of([f"EHC_Primary_need_{code}"]),
                    table.index_of([f"SUP_Primary_need_{code}"])) for code in PRIMARY_NEED_CODES}
    needs = {code: pair for code, pair in needs.items() if pair != (None, None)}
    return _Columns(positions[URN_COLUMN], positions[PUPILS_COLUMN], positions[SUPPORT_COLUMN],
                    positions[EHC_COLUMN], table.index_of([PERIOD_COLUMN]), needs)


def census_day(census_year: int) -> date:
    """The spring (January) census day: the third Thursday of January."""
    first = date(census_year, 1, 1)
    return first + timedelta(days=(3 - first.weekday()) % 7 + 14)


def census_not_taken(census_year: int, on: date | None = None) -> str:
    """Why a census year cannot be imported yet ("" when it can)."""
    day = on or today()
    if census_day(census_year) <= day:
        return ""
    return (f"the January {census_year} census has not been taken yet (it is on "
            f"{format_date(census_day(census_year))}; today is {format_date(day)}): check the "
            "census year")


def census_year_of_period(text: str) -> int | None:
    """time_period "202021" is the academic year 2020/21: its January census is 2021."""
    cleaned = text.strip()
    year = None
    if (len(cleaned) == 6 and cleaned.isdigit()
            and int(cleaned[4:]) == (int(cleaned[2:4]) + 1) % 100):
        year = int(cleaned[:4]) + 1
    elif len(cleaned) == 4 and cleaned.isdigit():
        year = int(cleaned)
    # "000001" has the shape of a time period but is no census the toolkit can hold.
    return year if year is not None and EARLIEST_CENSUS <= year <= LATEST_CENSUS else None


def check_census_year(period_at: int | None, census_year: int | None) -> None:
    """Refuses a file that cannot say which census it holds, or a year no census can be."""
    if period_at is None and census_year is None:
        raise rejected("the file has no time_period column: choose the census year it holds",
                       column=PERIOD_COLUMN)
    if census_year is not None and not EARLIEST_CENSUS <= census_year <= LATEST_CENSUS:
        raise rejected(f"{census_year} is not a census year the toolkit can hold")
    if census_year is not None and census_not_taken(census_year):
        raise rejected(census_not_taken(census_year))


def census_year_of_row(number: int, values: Sequence[str], names: Sequence[str],
                       period_at: int | None, census_year: int | None,
                       problems: list[ImportProblem]) -> int | None:
    """A row's census: from its time_period when the file has one, else the year chosen.

    A period whose census has not been taken yet is refused, as the chosen year is.
    """
    if period_at is None:
        return census_year
    year = census_year_of_period(values[period_at])
    if year is None:
        problems.append(ImportProblem(number, names[period_at], f"'{values[period_at][:20]}' is "
                                      "not a time period like 202526"))
    elif census_not_taken(year):
        problems.append(ImportProblem(number, names[period_at], census_not_taken(year)))
        return None
    return year


def parse_census(table: Table, census_year: int | None, *, progress: Progress = no_progress
                 ) -> tuple[list[CensusRow], list[ImportProblem]]:
    columns = _find_columns(table)
    check_census_year(columns.period, census_year)
    rows: list[CensusRow] = []
    problems = list(table.problems)
    first_seen: dict[tuple[str, int], int] = {}
    total = max(len(table.rows), 1)
    for index, (number, values) in enumerate(table.rows):
        if index % 2_000 == 0:
            progress(0.5 + 0.3 * index / total, f"Checked {index:,} of {total:,} rows")
        parsed, row_problems = _parse_row(number, values, table.columns, columns, census_year)
        if parsed is not None:
            row_problems += repeated_row(
                first_seen, (parsed.urn, parsed.census_year), number, table.columns[columns.urn],
                f"URN {parsed.urn} appears again for the {parsed.census_year} census")
        problems += row_problems
        if parsed is not None and not row_problems:
            rows.append(parsed)
    return rows, problems


def _parse_row(number: int, values: Sequence[str], names: Sequence[str], columns: _Columns,
               census_year: int | None) -> tuple[CensusRow | None, list[ImportProblem]]:
    problems: list[ImportProblem] = []
    urn = values[columns.urn].strip()
    if urn.endswith(".0"):
        urn = urn[:-2]
    if not (len(urn) == 6 and urn.isdigit() and urn.isascii()):
        shown = f"'{urn[:20]}'" if urn else "nothing"
        problems.append(ImportProblem(number, names[columns.urn],
                                      f"a URN is 6 digits, and this is {shown}"))
    counts: dict[str, int] = {}
    for key, at in (("pupils", columns.pupils), ("support", columns.support),
                    ("ehc", columns.ehc)):
        value = counted(number, values, names, at, problems)
        if value is not None:
            counts[key] = value
    year = census_year_of_row(number, values, names, columns.period, census_year, problems)
    needs = _needs(number, values, names, columns, problems)
    if len(counts) == 3 and counts["support"] + counts["ehc"] > counts["pupils"]:
        problems.append(ImportProblem(
            number, names[columns.ehc],
            f"SEN support ({counts['support']:,}) plus EHC plans ({counts['ehc']:,}) is more than "
            f"the {counts['pupils']:,} pupils on roll"))
    if problems or year is None:
        return None, problems
    return CensusRow(number, urn, year, counts["pupils"], counts["support"], counts["ehc"],
                     needs), problems


def _needs(number: int, values: Sequence[str], names: Sequence[str], columns: _Columns,
           problems: list[ImportProblem]) -> dict[str, int] | None:
    if not columns.needs:
        return None
    needs: dict[str, int] = {}
    for code, positions in columns.needs.items():
        total = 0
        for at in positions:
            if at is None:
                continue
            text = values[at]
            value = 0 if not text.strip() else whole_number(text)
            if value is None:
                problems.append(ImportProblem(number, names[at], count_problem(text)))
                continue
            total += value
        needs[code] = total
    return needs


# --- the services ---------------------------------------------------------------------------------


def check_census_file(engine: Engine, actor: Actor, data: bytes, filename: str, *,
                      census_year: int | None = None, max_bytes: int = MAX_FILE_BYTES,
                      progress: Progress = no_progress) -> ImportReport:
    """What importing the file would do: problems by row, and the counts. Writes nothing.

    Raises ImportRejected for a file that cannot be read at all (size, type, encoding, columns)."""
    require(can_manage_cluster(actor))
    rows, problems = parse_census(read_table(data, filename, max_bytes=max_bytes,
                                             progress=progress), census_year, progress=progress)
    with read_session(engine) as session:
        return _plan(session, actor, rows, problems, write=False, progress=progress)


@audit.mutating("import_census")
def import_census(engine: Engine, actor: Actor, data: bytes, filename: str, *,
                  census_year: int | None = None, import_valid_rows: bool = False,
                  max_bytes: int = MAX_FILE_BYTES, progress: Progress = no_progress
                  ) -> ImportReport:
    """Imports the census in one transaction. With any problem, nothing is written (ImportRejected
    carries the report) unless `import_valid_rows`, when the valid rows are written and the
    report lists the rows skipped."""
    require(can_manage_cluster(actor))
    rows, problems = parse_census(read_table(data, filename, max_bytes=max_bytes,
                                             progress=progress), census_year, progress=progress)
    if problems and not import_valid_rows:
        report = ImportReport("census", len(rows) + _rows_with_problems(problems),
                              problems=tuple(problems),
                              skipped_rows=_skipped(problems))
        raise ImportRejected(problems, report=report)
    with write_session(engine) as session:
        report = _plan(session, actor, rows, problems, write=True, progress=progress)
        audit.record(session, actor, "import_census", entity="census", after={
            "rows": report.rows_read, "created": report.created, "updated": report.updated,
            "unchanged": report.unchanged, "ignored": report.ignored,
            "skipped": len(report.skipped_rows),
            "census_years": ",".join(str(y) for y in report.census_years)})
    progress(1.0, "Done")
    return report


def _rows_with_problems(problems: Sequence[ImportProblem]) -> int:
    return len({p.row for p in problems if p.row is not None})


def _skipped(problems: Sequence[ImportProblem]) -> tuple[int, ...]:
    return tuple(sorted({p.row for p in problems if p.row is not None}))


def _plan(session: Session, actor: Actor, rows: list[CensusRow], problems: list[ImportProblem],
          *, write: bool, progress: Progress) -> ImportReport:
    schools = {s.urn: s for s in session.exec(
        select(School).where(School.cluster_id == actor.cluster_id)).all()}
    ours = [r for r in rows if r.urn in schools]
    ignored = [r for r in rows if r.urn not in schools]
    if rows and not ours and not problems:
        raise rejected(f"none of the file's {len(rows):,} schools is in your cluster (by URN): "
                       "check the URNs, or import the schools list first")
    existing = {(s.school_id, s.census_year): s for s in session.exec(
        select(CensusSnapshot).where(
            col(CensusSnapshot.school_id).in_([s.id for s in schools.values()]))).all()}
    created = updated = unchanged = 0
    for index, row in enumerate(ours):
        if index % 500 == 0:
            progress(0.8 + 0.2 * index / max(len(ours), 1), "Saving the census")
        school = schools[row.urn]
        snapshot = existing.get((school.id or 0, row.census_year))
        if snapshot is None:
            created += 1
            if write:
                session.add(CensusSnapshot(school_id=school.id or 0, census_year=row.census_year,
                                           pupils=row.pupils, sen_support=row.sen_support,
                                           ehc_plan=row.ehc_plan,
                                           primary_needs=row.primary_needs or {}))
        elif _same(snapshot, row):
            unchanged += 1
        else:
            updated += 1
            if write:
                snapshot.pupils, snapshot.sen_support = row.pupils, row.sen_support
                snapshot.ehc_plan = row.ehc_plan
                if row.primary_needs is not None:
                    snapshot.primary_needs = dict(row.primary_needs)
                session.add(snapshot)
    if write:
        session.flush()
        pause_point("census_import_flushed")
    skipped = _skipped(problems)
    return ImportReport(
        "census", len(rows) + len(skipped), tuple(sorted({r.census_year for r in ours})),
        created, updated, unchanged, len(ignored),
        tuple(r.urn for r in ignored[:LISTED_IGNORED]), tuple(problems), skipped, write)


def _same(snapshot: CensusSnapshot, row: CensusRow) -> bool:
    needs_same = (row.primary_needs is None
                  or dict(snapshot.primary_needs or {}) == row.primary_needs)
    return (snapshot.pupils, snapshot.sen_support, snapshot.ehc_plan) == (
        row.pupils, row.sen_support, row.ehc_plan) and needs_same

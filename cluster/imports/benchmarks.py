"""LA and England benchmarks from the DfE's national school-level SEN file.

Each row is one school. Rows are never de-duplicated: the trimmed 2021 file has 806 lines identical
to another line, and they are different schools (the URN and name were cut away). Schools with no
pupils count as schools and add nothing to the pupils. Columns by name: la_name, Total pupils,
EHC plan are required; SEN support and time_period are used when present.

An import replaces the benchmarks of its census year as a whole, so importing the same file again
changes nothing.
"""

from __future__ import annotations

import csv
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.db import write_session
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.imports.census import (
    EHC_COLUMN,
    PERIOD_COLUMN,
    PUPILS_COLUMN,
    SUPPORT_COLUMN,
    ImportReport,
    census_year_of_row,
    check_census_year,
)
from cluster.imports.files import (
    MAX_FILE_BYTES,
    ImportProblem,
    ImportRejected,
    Progress,
    Table,
    counted,
    no_progress,
    read_table,
    required_columns,
)
from cluster.models import LaBenchmark

LA_COLUMN = "la_name"
MAX_LA_NAME = 80  # LaBenchmark.la_name
ENGLAND = "England"


@dataclass(frozen=True)
class Benchmark:
    census_year: int
    la_name: str
    schools: int
    pupils: int
    ehc_plan: int
    sen_support: int | None

    @property
    def ehc_rate(self) -> float:
        return 100 * self.ehc_plan / self.pupils if self.pupils else 0.0

    @property
    def sen_support_rate(self) -> float | None:
        if self.sen_support is None or not self.pupils:
            return None
        return 100 * self.sen_support / self.pupils


@dataclass
class _Totals:
    schools: int = 0
    pupils: int = 0
    ehc_plan: int = 0
    sen_support: int = 0


@dataclass(frozen=True)
class _Columns:
    la: int
    pupils: int
    ehc: int
    support: int | None
    period: int | None


@dataclass(frozen=True)
class _School:
    census_year: int
    la: str
    pupils: int
    ehc_plan: int
    sen_support: int


def aggregate(table: Table, census_year: int | None, *, progress: Progress = no_progress
              ) -> tuple[list[Benchmark], list[ImportProblem], int]:
    """LA totals and England's, the problems by row, and how many school rows were counted."""
    at = required_columns(table, {name: [name] for name in (LA_COLUMN, PUPILS_COLUMN, EHC_COLUMN)},
                          "the national file")
    columns = _Columns(at[LA_COLUMN], at[PUPILS_COLUMN], at[EHC_COLUMN],
                       table.index_of([SUPPORT_COLUMN]), table.index_of([PERIOD_COLUMN]))
    check_census_year(columns.period, census_year)
    totals: dict[tuple[int, str], _Totals] = {}
    problems = list(table.problems)
    total_rows = max(len(table.rows), 1)
    for index, (number, values) in enumerate(table.rows):
        if index % 5_000 == 0:
            progress(0.5 + 0.4 * index / total_rows,
                     f"Added up {index:,} of {total_rows:,} schools")
        school = _school(number, values, table.columns, columns, census_year, problems)
        if school is not None:
            for key in ((school.census_year, school.la), (school.census_year, ENGLAND)):
                _add(totals.setdefault(key, _Totals()), school)
    benchmarks = [Benchmark(year, la, t.schools, t.pupils, t.ehc_plan,
                            t.sen_support if columns.support is not None else None)
                  for (year, la), t in sorted(totals.items())]
    counted_rows = sum(t.schools for (_, la), t in totals.items() if la == ENGLAND)
    return benchmarks, problems, counted_rows


def _school(number: int, values: Sequence[str], names: Sequence[str], columns: _Columns,
            census_year: int | None, problems: list[ImportProblem]) -> _School | None:
    """One school row, or None with its problems added to `problems`."""
    found: list[ImportProblem] = []
    la = values[columns.la].strip()
    if not la:
        found.append(ImportProblem(number, names[columns.la], "the LA name is empty"))
    elif len(la) > MAX_LA_NAME:
        found.append(ImportProblem(number, names[columns.la], f"the LA name is longer than "
                                   f"{MAX_LA_NAME} characters"))
    pupils = counted(number, values, names, columns.pupils, found)
    ehc = counted(number, values, names, columns.ehc, found)
    support = counted(number, values, names, columns.support, found) \
        if columns.support is not None else 0
    year = census_year_of_row(number, values, names, columns.period, census_year, found)
    if pupils is not None and ehc is not None and ehc > pupils:
        found.append(ImportProblem(number, names[columns.ehc], f"{ehc:,} EHC plans is more than "
                                   f"the {pupils:,} pupils on roll"))
    problems += found
    if found or year is None or pupils is None or ehc is None or support is None:
        return None
    return _School(year, la, pupils, ehc, support)


def _add(totals: _Totals, school: _School) -> None:
    totals.schools += 1
    totals.pupils += school.pupils
    totals.ehc_plan += school.ehc_plan
    totals.sen_support += school.sen_support


@audit.mutating("import_la_benchmarks")
def import_benchmarks(engine: Engine, actor: Actor, data: bytes, filename: str, *,
                      census_year: int | None = None, import_valid_rows: bool = False,
                      max_bytes: int = MAX_FILE_BYTES, progress: Progress = no_progress
                      ) -> ImportReport:
    """Adds the national file up by LA and replaces the benchmarks of its census year(s)."""
    require(can_manage_cluster(actor))
    table = read_table(data, filename, max_bytes=max_bytes, progress=progress)
    benchmarks, problems, counted = aggregate(table, census_year, progress=progress)
    skipped = tuple(sorted({p.row for p in problems if p.row is not None}))
    if problems and not import_valid_rows:
        raise ImportRejected(problems, report=ImportReport(
            "benchmarks", counted + len(skipped), problems=tuple(problems), skipped_rows=skipped))
    with write_session(engine) as session:
        created, updated, unchanged = replace_benchmarks(session, benchmarks)
        years = tuple(sorted({b.census_year for b in benchmarks}))
        audit.record(session, actor, "import_la_benchmarks", entity="la_benchmark", after={
            "schools": counted, "las": len(benchmarks), "skipped": len(skipped),
            "census_years": ",".join(str(y) for y in years)})
    progress(1.0, "Done")
    return ImportReport("benchmarks", counted + len(skipped), years, created, updated, unchanged,
                        0, (), tuple(problems), skipped, True)


def replace_benchmarks(session: Session, benchmarks: Sequence[Benchmark]) -> tuple[int, int, int]:
    """Makes the stored benchmarks of each census year exactly these; (created, updated,
    unchanged)."""
    years = sorted({b.census_year for b in benchmarks})
    existing = {(row.census_year, row.la_name): row for row in session.exec(
        select(LaBenchmark).where(col(LaBenchmark.census_year).in_(years))).all()}
    wanted = {(b.census_year, b.la_name) for b in benchmarks}
    created = updated = unchanged = 0
    for key, stored in existing.items():
        if key not in wanted:
            session.delete(stored)
    for b in benchmarks:
        row = existing.get((b.census_year, b.la_name))
        values = (b.schools, b.pupils, b.ehc_plan, b.sen_support)
        if row is None:
            session.add(LaBenchmark(census_year=b.census_year, la_name=b.la_name,
                                    schools=b.schools, pupils=b.pupils, ehc_plan=b.ehc_plan,
                                    sen_support=b.sen_support))
            created += 1
        elif (row.schools, row.pupils, row.ehc_plan, row.sen_support) == values:
            unchanged += 1
        else:
            row.schools, row.pupils, row.ehc_plan, row.sen_support = values
            session.add(row)
            updated += 1
    session.flush()
    return created, updated, unchanged


# --- the aggregated file the demo ships with ------------------------------------------------------

AGGREGATE_COLUMNS = ("census_year", "la_name", "schools", "pupils", "ehc_plan", "sen_support")


def write_aggregate(benchmarks: Sequence[Benchmark], path: Path) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(AGGREGATE_COLUMNS)
        for b in benchmarks:
            writer.writerow((b.census_year, b.la_name, b.schools, b.pupils, b.ehc_plan,
                             "" if b.sen_support is None else b.sen_support))


def read_aggregate(path: Path) -> list[Benchmark]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [Benchmark(int(r["census_year"]), r["la_name"], int(r["schools"]), int(r["pupils"]),
                          int(r["ehc_plan"]), int(r["sen_support"]) if r["sen_support"] else None)
                for r in csv.DictReader(handle)]


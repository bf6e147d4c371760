"""Which census year an imported file holds, and removing a year imported by mistake.

The census year is never assumed: a DfE file says it in its `time_period` column ("202021" is the
academic year 2020/21, whose January census is 2021); a file without one has its year chosen by
the host, who is offered a year found in the file's name ("sen_school_level_2021_trimmed.csv" →
2021). A census not yet taken (its January day is after today) is refused: a file labelled
with a future year is a mistake that would sit beside the real figures.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import col, delete, func, select

from cluster.core import audit
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.imports.census import (
    PERIOD_COLUMN,
    census_day,
    census_not_taken,
    census_year_of_period,
)
from cluster.imports.files import read_table
from cluster.models import CensusSnapshot, LaBenchmark, School

_YEAR_IN_NAME = re.compile(r"(?<!\d)(20\d{2})(\d{2})?(?!\d)")


def suggested_census_year(filename: str, on: date | None = None) -> int | None:
    """A census year named in the file name (a period like 202021 counts as its 2021 census),
    the latest one found that has been taken."""
    found = []
    for match in _YEAR_IN_NAME.finditer(filename):
        period = match.group(0)
        year = census_year_of_period(period) if match.group(2) else int(match.group(1))
        if year is not None and not census_not_taken(year, on):
            found.append(year)
    return max(found) if found else None


@dataclass(frozen=True)
class YearChoice:
    """What the import screen asks: the years the file states, or the host's choice."""

    from_file: tuple[int, ...]  # the census years its time_period column holds
    has_time_period: bool
    suggested: int | None  # from the file name, when the file does not say

    @property
    def host_chooses(self) -> bool:
        return not self.has_time_period


def census_year_choice(data: bytes, filename: str) -> YearChoice:
    table = read_table(data, filename)
    at = table.index_of([PERIOD_COLUMN])
    if at is None:
        return YearChoice((), False, suggested_census_year(filename))
    years = {census_year_of_period(values[at]) for _, values in table.rows}
    return YearChoice(tuple(sorted(y for y in years if y is not None)), True, None)


# --- what is imported, and removing a year --------------------------------------------------------


@dataclass(frozen=True)
class ImportedYear:
    census_year: int
    rows: int  # schools with a census snapshot, or LAs (England included) with a benchmark


@dataclass(frozen=True)
class ImportedYears:
    census: tuple[ImportedYear, ...]  # this cluster's schools
    benchmarks: tuple[ImportedYear, ...]  # LA and England totals, shared by every cluster


def imported_years(engine: Engine, actor: Actor) -> ImportedYears:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        census = session.exec(
            select(CensusSnapshot.census_year, func.count())
            .join(School, col(School.id) == CensusSnapshot.school_id)
            .where(School.cluster_id == actor.cluster_id)
            .group_by(col(CensusSnapshot.census_year)).order_by(col(CensusSnapshot.census_year))).all()
        benchmarks = session.exec(
            select(LaBenchmark.census_year, func.count()).group_by(col(LaBenchmark.census_year))
            .order_by(col(LaBenchmark.census_year))).all()
        return ImportedYears(tuple(ImportedYear(y, n) for y, n in census),
                             tuple(ImportedYear(y, n) for y, n in benchmarks))


@audit.mutating("remove_census_year")
def remove_census_year(engine: Engine, actor: Actor, census_year: int) -> int:
    """Removes the cluster's census figures for one year (an import under the wrong year);
    returns how many schools' figures went."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        school_ids = select(School.id).where(School.cluster_id == actor.cluster_id)
        gone = session.exec(select(func.count()).select_from(CensusSnapshot).where(
            CensusSnapshot.census_year == census_year,
            col(CensusSnapshot.school_id).in_(school_ids))).one()
        if not gone:
            raise InvalidInput("Census year", f"no census figures for January {census_year} are "
                               "imported for this cluster")
        session.exec(delete(CensusSnapshot).where(
            col(CensusSnapshot.census_year) == census_year,
            col(CensusSnapshot.school_id).in_(school_ids)))
        audit.record(session, actor, "remove_census_year", entity="census_snapshot",
                     before={"census_year": census_year, "schools": gone},
                     after={"census_year": None})
        return int(gone)


@audit.mutating("remove_benchmark_year")
def remove_benchmark_year(engine: Engine, actor: Actor, census_year: int) -> int:
    """Removes the LA and England benchmarks of one census year; returns how many LA rows went."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        gone = session.exec(select(func.count()).select_from(LaBenchmark).where(
            LaBenchmark.census_year == census_year)).one()
        if not gone:
            raise InvalidInput("Census year", f"no benchmarks for January {census_year} are "
                               "imported")
        session.exec(delete(LaBenchmark).where(
            col(LaBenchmark.census_year) == census_year))
        audit.record(session, actor, "remove_benchmark_year", entity="la_benchmark",
                     before={"census_year": census_year, "las": gone},
                     after={"census_year": None})
        return int(gone)


__all__ = ["census_day", "census_not_taken"]

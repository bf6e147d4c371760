"""LA benchmarks from the DfE national school-level file (24,413 real schools, January 2021)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.imports import ImportRejected, import_benchmarks
from cluster.imports.benchmarks import read_aggregate
from cluster.models import LaBenchmark
from tests.cluster.imports.shapes import row_counts, set_up_cluster

ROOT = Path(__file__).resolve().parents[3]
NATIONAL = ROOT / ".." / "shared" / "data" / "dfe" / "sen_school_level_2021_trimmed.csv"
SHIPPED = ROOT / "data" / "benchmarks" / "la_sen_2021.csv"


def stored(engine: Engine) -> dict[str, tuple[int, int, int]]:
    with Session(engine) as session:
        return {b.la_name: (b.schools, b.pupils, b.ehc_plan)
                for b in session.exec(select(LaBenchmark)).all()}


def test_the_national_file_gives_norfolk_and_england_ehc_rates(engine: Engine) -> None:
    setup = set_up_cluster(engine)
    report = import_benchmarks(engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name,
                               census_year=2021)
    # Every line is a school: identical lines are different schools and none is dropped.
    assert report.rows_read == 24_413 and report.created == 152  # 151 LAs and England
    benchmarks = stored(engine)
    assert benchmarks["Norfolk"] == (453, 123_233, 4_668)
    assert round(100 * 4_668 / 123_233, 2) == 3.79
    schools, pupils, ehc = benchmarks["England"]
    assert schools == 24_413 and round(100 * ehc / pupils, 2) == 3.65
    again = import_benchmarks(engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name,
                              census_year=2021)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 152)


def test_the_demos_benchmark_file_is_the_national_file_added_up(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    import_benchmarks(sqlite_engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name,
                      census_year=2021)
    shipped = {b.la_name: (b.schools, b.pupils, b.ehc_plan) for b in read_aggregate(SHIPPED)}
    assert shipped == stored(sqlite_engine)


def test_a_bad_row_in_the_national_file_writes_nothing(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    lines = NATIONAL.read_bytes().splitlines()
    lines[1000] = b'"Norfolk","0","0","lots","3"'
    before = row_counts(sqlite_engine)
    with pytest.raises(ImportRejected) as error:
        import_benchmarks(sqlite_engine, setup.actor, b"\n".join(lines), "national.csv",
                          census_year=2021)
    assert row_counts(sqlite_engine) == before
    assert [p.message for p in error.value.problems] == [
        "Row 1001, column 'Total pupils': 'lots' is not a whole number"]

"""Generated files at the service level: whatever arrives, the import never crashes, never writes
part of a file it refuses, and every message names the row (when there is one) and the problem."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.engine import Engine

from cluster.db import make_engine
from cluster.imports import ImportRejected, import_census, import_schools
from tests.cluster.imports.shapes import OUR_SCHOOLS, csv_bytes, row_counts, set_up_cluster, \
    xlsx_bytes

SETTINGS = settings(max_examples=40, deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
CENSUS_COLUMNS = ("URN", "Total pupils", "SEN support", "EHC plan", "time_period",
                  "EHC_Primary_need_asd", "SUP_Primary_need_semh", "school_name", "Notes")
SCHOOL_COLUMNS = ("URN", "LAESTAB", "School name", "Phase", "Type", "Predecessor URN")

counts = st.one_of(st.integers(0, 2_000).map(str), st.integers(-50, -1).map(str),
                   st.sampled_from(["", "x", "c", "1,024", "12.0", "3.5", "NaN", "١٢", "=1+1",
                                    "  7 ", "99999999999999999999"]))
urns = st.one_of(st.sampled_from([s.urn for s in OUR_SCHOOLS]),
                 st.integers(100_000, 999_999).map(str),
                 st.text(alphabet="0123456789abc ", max_size=8))
periods = st.sampled_from(["202526", "202425", "2026", "202021", "", "2025/26", "999999"])
texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=12)


@st.composite
def census_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    number = draw(st.integers(0, 12))
    rows = []
    for _ in range(number):
        rows.append({"URN": draw(urns), "Total pupils": draw(counts), "SEN support": draw(counts),
                     "EHC plan": draw(counts), "time_period": draw(periods),
                     "EHC_Primary_need_asd": draw(counts), "SUP_Primary_need_semh": draw(counts),
                     "school_name": draw(texts), "Notes": draw(texts)})
    return rows


@st.composite
def files(draw: st.DrawFn, rows: st.SearchStrategy[list[dict[str, object]]],
          all_columns: tuple[str, ...]) -> tuple[bytes, str]:
    columns = draw(st.lists(st.sampled_from(all_columns), min_size=1, max_size=len(all_columns),
                            unique=True))
    data = draw(rows) or [dict.fromkeys(columns, "")]
    form = draw(st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "xlsx", "garbage"]))
    if form == "xlsx":
        return xlsx_bytes(data, columns), "file.xlsx"
    if form == "garbage":
        return draw(st.binary(min_size=1, max_size=300)), draw(
            st.sampled_from(["file.csv", "file.xlsx", "file.bin", "file"]))
    try:
        return csv_bytes(data, columns, encoding=form), "file.csv"
    except UnicodeEncodeError:
        return csv_bytes(data, columns), "file.csv"


ROW_MESSAGE = re.compile(r"^Row \d+(, column '[^']*')?: \S")


def check_rejection(error: ImportRejected) -> None:
    assert error.problems
    for problem in error.problems:
        assert problem.reason.strip()
        if problem.row is not None:
            assert ROW_MESSAGE.match(problem.message), problem.message
            assert problem.row >= 1
    assert error.message.startswith("Nothing was imported")


@pytest.fixture
def cluster_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Engine, object]]:
    import shutil

    path = tmp_path / "h.db"
    shutil.copy(sqlite_template, path)
    made = make_engine(f"sqlite:///{path}")
    yield made, set_up_cluster(made)
    made.dispose()


@SETTINGS
@given(upload=files(census_rows(), CENSUS_COLUMNS), valid_only=st.booleans())
def test_census_import_of_any_file_is_all_or_nothing(
        cluster_engine: tuple[Engine, object], upload: tuple[bytes, str], valid_only: bool) -> None:
    engine, setup = cluster_engine
    data, name = upload
    before = row_counts(engine)
    try:
        report = import_census(engine, setup.actor, data, name,  # type: ignore[attr-defined]
                               census_year=2026, import_valid_rows=valid_only)
    except ImportRejected as error:
        check_rejection(error)
        assert row_counts(engine) == before
        return
    assert report.written
    assert row_counts(engine)[0] == before[0] + report.created
    if not valid_only:
        assert not report.problems
    for problem in report.problems:
        assert problem.row in report.skipped_rows or problem.row is None


@st.composite
def school_rows(draw: st.DrawFn) -> list[dict[str, object]]:
    rows = []
    for _ in range(draw(st.integers(0, 8))):
        rows.append({"URN": draw(urns), "LAESTAB": draw(st.one_of(
            st.integers(9_260_000, 9_269_999).map(str), texts)),
            "School name": draw(texts), "Phase": draw(st.sampled_from(
                ["Primary", "infant", "Junior", "secondary", "All-through", "college", ""])),
            "Type": draw(texts), "Predecessor URN": draw(st.one_of(st.just(""), urns))})
    return rows


@SETTINGS
@given(upload=files(school_rows(), SCHOOL_COLUMNS), valid_only=st.booleans())
def test_schools_list_import_of_any_file_is_all_or_nothing(
        cluster_engine: tuple[Engine, object], upload: tuple[bytes, str], valid_only: bool) -> None:
    engine, setup = cluster_engine
    data, name = upload
    before = row_counts(engine)
    try:
        report = import_schools(engine, setup.actor, data, name,  # type: ignore[attr-defined]
                                import_valid_rows=valid_only)
    except ImportRejected as error:
        check_rejection(error)
        assert row_counts(engine) == before
        return
    assert row_counts(engine)[1] == before[1] + report.created

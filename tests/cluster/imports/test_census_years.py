"""The census year of an import is never assumed: the file says it, or the host chooses it; a
census not yet taken is refused; a year imported by mistake can be removed (audited)."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.imports import ImportRejected, import_benchmarks, import_census
from cluster.imports.census import census_day
from cluster.imports.census_years import (
    census_year_choice,
    imported_years,
    remove_benchmark_year,
    remove_census_year,
    suggested_census_year,
)
from cluster.models import AuditEvent, LaBenchmark
from cluster.reporting.profile import send_profile
from tests.cluster.imports.shapes import OUR_SCHOOLS, csv_bytes, dfe_row, row_counts, set_up_cluster
from tests.cluster.imports.test_benchmarks import NATIONAL
from tests.helpers.demo_la import TODAY


def test_the_year_comes_from_the_file_name_only_as_a_suggestion_and_never_a_future_one() -> None:
    assert suggested_census_year("sen_school_level_2021_trimmed.csv", TODAY) == 2021
    assert suggested_census_year("spc_school_level_202526.xlsx", TODAY) == 2026
    assert suggested_census_year("census_2027.csv", TODAY) is None  # not taken yet
    assert suggested_census_year("census.csv", TODAY) is None
    assert census_day(2027) == date(2027, 1, 21)  # the third Thursday of January


def test_the_national_file_has_no_time_period_so_the_host_chooses_and_is_offered_2021() -> None:
    choice = census_year_choice(NATIONAL.read_bytes(), NATIONAL.name)
    assert choice.host_chooses and choice.suggested == 2021 and choice.from_file == ()
    with_period = csv_bytes([dfe_row(s, "202021") for s in OUR_SCHOOLS])
    stated = census_year_choice(with_period, "any.csv")
    assert not stated.host_chooses and stated.from_file == (2021,)


def test_the_national_file_without_a_year_or_under_a_future_year_writes_nothing(
        engine: Engine) -> None:
    setup = set_up_cluster(engine)
    before = row_counts(engine)
    with pytest.raises(ImportRejected, match="choose the census year"):
        import_benchmarks(engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name)
    with pytest.raises(ImportRejected, match="January 2027 census has not been taken yet"):
        import_benchmarks(engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name,
                          census_year=2027)
    assert row_counts(engine) == before


def test_a_time_period_not_yet_taken_is_a_problem_on_its_row(sqlite_engine: Engine) -> None:
    setup = set_up_cluster(sqlite_engine)
    rows = [dfe_row(s, "202627") for s in OUR_SCHOOLS]
    with pytest.raises(ImportRejected) as refused:
        import_census(sqlite_engine, setup.actor, csv_bytes(rows), "census.csv")
    assert {p.row for p in refused.value.problems} == {2, 3, 4}
    assert all("has not been taken yet" in p.reason for p in refused.value.problems)


def test_a_year_imported_by_mistake_is_removed_and_the_profile_never_adds_two_years(
        engine: Engine) -> None:
    setup = set_up_cluster(engine)
    import_benchmarks(engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name,
                      census_year=2021)
    import_benchmarks(engine, setup.actor, NATIONAL.read_bytes(), NATIONAL.name,
                      census_year=2020)  # the same file filed under the wrong year
    import_census(engine, setup.actor, csv_bytes([dfe_row(s, "202021") for s in OUR_SCHOOLS]),
                  "census.csv")
    years = imported_years(engine, setup.actor)
    assert [(y.census_year, y.rows) for y in years.benchmarks] == [(2020, 152), (2021, 152)]
    assert [(y.census_year, y.rows) for y in years.census] == [(2021, 3)]
    profile = send_profile(engine, setup.actor)
    latest = {b.label: (b.census_year, round(b.ehc_pct, 2)) for b in profile.latest_benchmarks()}
    assert latest["England (all schools)"] == (2021, 3.65)  # one year, never 7.3%
    assert len(profile.latest_benchmarks()) == len({b.label for b in profile.benchmarks})
    assert remove_benchmark_year(engine, setup.actor, 2020) == 152
    with Session(engine) as session:
        assert {b.census_year for b in session.exec(select(LaBenchmark)).all()} == {2021}
        event = session.exec(select(AuditEvent).where(
            AuditEvent.action == "remove_benchmark_year")).one()
    assert event.before == {"census_year": 2020, "las": 152}
    with pytest.raises(Exception, match="no benchmarks for January 2020"):
        remove_benchmark_year(engine, setup.actor, 2020)
    assert remove_census_year(engine, setup.actor, 2021) == 3
    assert imported_years(engine, setup.actor).census == ()

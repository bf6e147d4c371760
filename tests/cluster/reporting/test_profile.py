"""The SEND profile: the demo's census, by school and cluster, against Norfolk and England."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.common.needs import PRIMARY_NEEDS
from cluster.models import CensusSnapshot, School
from cluster.reporting.profile import send_profile
from tests.helpers.actors import actor


def test_the_host_sees_every_school_and_the_cluster_adds_them_up(demo_copy: Engine) -> None:
    profile = send_profile(demo_copy, actor(demo_copy, "host"))
    assert profile.census_years == (2023, 2024, 2025, 2026)
    assert len(profile.names) == 13 and profile.names[-1] == "Cluster"
    latest = [r for r in profile.rows if r.census_year == 2026]
    schools, cluster = latest[:-1], latest[-1]
    assert cluster.is_cluster
    assert cluster.pupils == sum(r.pupils for r in schools)
    assert cluster.ehc_plan == sum(r.ehc_plan or 0 for r in schools)
    assert cluster.sen_support == sum(r.sen_support or 0 for r in schools)
    assert cluster.ehc_pct == pytest.approx(100 * (cluster.ehc_plan or 0) / cluster.pupils)
    with Session(demo_copy) as session:
        high = session.exec(select(School).where(School.name == "Wensum Valley High School")).one()
        census = session.exec(select(CensusSnapshot).where(
            CensusSnapshot.school_id == high.id, CensusSnapshot.census_year == 2026)).one()
    row = next(r for r in schools if r.name == "Wensum Valley High School")
    assert (row.pupils, row.sen_support, row.ehc_plan) == (
        census.pupils, census.sen_support, census.ehc_plan)
    areas = dict(row.areas)
    assert areas["Communication and interaction"] == census.primary_needs["SLCN"] + \
        census.primary_needs["ASD"]
    assert sum(v or 0 for v in areas.values()) == sum(census.primary_needs.values())
    assert all(PRIMARY_NEEDS[code] for code in census.primary_needs)


def test_norfolk_and_england_benchmarks_from_the_national_file(demo_copy: Engine) -> None:
    profile = send_profile(demo_copy, actor(demo_copy, "governor"))
    rates = {b.label: round(b.ehc_pct, 2) for b in profile.benchmarks}
    assert rates == {"Norfolk (all schools)": 3.79, "England (all schools)": 3.65}
    assert all(b.sen_support_pct is None for b in profile.benchmarks)


def test_a_governor_sees_their_school_and_the_cluster_with_small_numbers_hidden(
        demo_copy: Engine) -> None:
    host = send_profile(demo_copy, actor(demo_copy, "host"))
    governor = send_profile(demo_copy, actor(demo_copy, "governor.ap"))
    assert governor.suppressed and not host.suppressed
    assert governor.names == ("Aylsham Road Primary School", "Cluster")
    ours = governor.latest("Aylsham Road Primary School")
    full = host.latest("Aylsham Road Primary School")
    assert ours is not None and full is not None
    hidden = [area for area, count in ours.areas if count is None]
    small = [area for area, count in full.areas if count is not None and 0 < count < 5]
    assert set(small) <= set(hidden)
    # Never a single hidden figure beside a shown total: it could be worked out by subtraction.
    assert len(hidden) != 1 or ours.sen_pupils is None
    for area, count in ours.areas:
        assert count is None or count == dict(full.areas)[area]


def test_every_governor_figure_is_zero_or_at_least_five(demo_copy: Engine) -> None:
    for username in ("governor", "governor.ap", "la.adviser"):
        profile = send_profile(demo_copy, actor(demo_copy, username))
        for row in profile.rows:
            figures = [row.sen_support, row.ehc_plan, row.sen_pupils] + [c for _, c in row.areas]
            assert all(f is None or f == 0 or f >= 5 for f in figures), (username, row)


def test_a_school_sees_its_own_figures_in_full(demo_copy: Engine) -> None:
    school = send_profile(demo_copy, actor(demo_copy, "senco.ap"))
    host = send_profile(demo_copy, actor(demo_copy, "host"))
    assert school.names == ("Aylsham Road Primary School", "Cluster")
    assert school.for_name("Aylsham Road Primary School") == host.for_name(
        "Aylsham Road Primary School")


def test_the_formula_against_need_comparison_rides_with_the_profile(demo_copy: Engine) -> None:
    profile = send_profile(demo_copy, actor(demo_copy, "host"))
    assert profile.formula_year_label == "2026/27"
    schools = [r for r in profile.formula_vs_need if not r.is_cluster]
    assert len(schools) == 12
    assert sum(r.need_share or 0 for r in schools) == pytest.approx(100)

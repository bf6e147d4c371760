"""The demo LA's six other clusters: real Norfolk census rows, 8 to 14 schools each, three years
of decided requests, a host who sees only their own cluster."""

from __future__ import annotations

from collections import Counter

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.demo.la_clusters import LA_CLUSTERS, norfolk_rows
from cluster.models import Award, CensusSnapshot, Cluster, Meeting, School, User
from cluster.reporting.home import cluster_headline
from tests.helpers.actors import actor


def test_six_more_clusters_of_eight_to_fourteen_norfolk_schools(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        sizes = dict(session.exec(select(Cluster.name, func.count(col(School.id)))
                                  .join(School, col(School.cluster_id) == Cluster.id)
                                  .group_by(Cluster.name)).all())
        la = set(session.exec(select(Cluster.la_code)).all())
    for planted in LA_CLUSTERS:
        assert 8 <= sizes[planted.name] <= 14
    assert len(sizes) >= 7 and la == {"926"}


def test_this_years_census_is_norfolks_real_rows(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        latest = session.exec(select(func.max(CensusSnapshot.census_year))).one()
        rows = session.exec(
            select(CensusSnapshot.pupils, CensusSnapshot.ehc_plan)
            .join(School, col(School.id) == CensusSnapshot.school_id)
            .where(CensusSnapshot.census_year == latest,
                   col(School.cluster_id).in_(select(Cluster.id).where(
                       col(Cluster.name).in_([c.name for c in LA_CLUSTERS]))))).all()
    real = Counter((r.pupils, r.ehc_plan) for r in norfolk_rows())
    ours = Counter((pupils, ehc) for pupils, ehc in rows)
    assert len(rows) == sum(c.schools for c in LA_CLUSTERS)
    assert not ours - real  # every school's pupils and EHC plans are a real Norfolk school's


def test_each_cluster_has_three_years_of_decisions(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        decided = dict(session.exec(
            select(Meeting.cluster_id, func.count(col(Award.id)))
            .join(Award, col(Award.meeting_id) == Meeting.id)
            .group_by(Meeting.cluster_id)).all())
        years = dict(session.exec(select(Meeting.cluster_id,
                                         func.count(func.distinct(Meeting.academic_year)))
                                  .group_by(Meeting.cluster_id)).all())
        ids = session.exec(select(Cluster.id)).all()
    assert all(decided[c] >= 60 and years[c] == 4 for c in ids)


def test_a_host_sees_only_their_own_cluster(demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        hosts = session.exec(select(User).where(col(User.username).like("host.%"))).all()
        names = {c.id: c.name for c in session.exec(select(Cluster)).all()}
    assert len(hosts) == len(LA_CLUSTERS)
    for host in hosts:
        headline = cluster_headline(demo_copy, actor(demo_copy, host.username))
        assert headline.cluster_name == names[host.cluster_id]

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.core.errors import NotAllowed
from cluster.core.permissions import Actor
from cluster.demo.la_clusters import LA_CLUSTERS
from cluster.models import Award, Meeting, RequestPupil, School, SupportRequest
from cluster.reporting.home import cluster_headline, clusters_overview, request_counts
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID


def test_host_headline_shows_year_half_term_and_next_meeting(demo_engine: Engine) -> None:
    headline = cluster_headline(demo_engine, actor(demo_engine, "host"))
    assert headline.cluster_name == "Wensum Valley Cluster"
    assert (headline.academic_year, headline.half_term) == ("2026/27", "Autumn 2")
    meeting = headline.next_meeting
    assert meeting is not None
    assert meeting.held_on == date(2027, 1, 20)
    assert (meeting.requests_due, meeting.papers_out) == (date(2027, 1, 6), date(2027, 1, 13))
    assert meeting.requests_received == 8
    assert headline.schools == 12
    assert headline.pot_available_pence is not None and headline.pot_available_pence > 0


def test_a_school_counts_only_its_own_requests(demo_engine: Engine) -> None:
    assert request_counts(demo_engine, actor(demo_engine, "host")).count("submitted") == 8
    assert request_counts(demo_engine, actor(demo_engine, "senco.ap")).count("submitted") == 1
    assert request_counts(demo_engine, actor(demo_engine, "senco.sw")).count("submitted") == 0


@pytest.mark.parametrize("username", ["governor", "la.adviser"])
def test_governors_and_the_la_get_no_request_counts(demo_engine: Engine, username: str) -> None:
    with pytest.raises(NotAllowed):
        request_counts(demo_engine, actor(demo_engine, username))


def test_la_adviser_sees_each_cluster(demo_engine: Engine) -> None:
    rows = clusters_overview(demo_engine, actor(demo_engine, "la.adviser"))
    assert [r.cluster_name for r in rows] == sorted(
        ["Wensum Valley Cluster"] + [c.name for c in LA_CLUSTERS])
    assert all(r.pupils > 1000 for r in rows)
    with pytest.raises(NotAllowed):
        clusters_overview(demo_engine, actor(demo_engine, "host"))


def test_host_attention_figures(demo_engine: Engine) -> None:
    from cluster.reporting.home import host_attention

    attention = host_attention(demo_engine, actor(demo_engine, "host"))
    assert attention.waiting_for_triage == 8
    assert attention.reviews.due_next_meeting > 0
    assert attention.reviews.overdue > 0
    assert attention.actions_open > 0
    assert attention.not_yet_awarded_pence is not None
    assert 0 < attention.awarded_this_year_pence


def test_school_attention_counts_only_our_school(demo_engine: Engine) -> None:
    from cluster.reporting.home import host_attention, school_attention

    host = host_attention(demo_engine, actor(demo_engine, "host"))
    totals = [school_attention(demo_engine, actor(demo_engine, f"senco.{code}"))
              for code in ("hs", "ap", "bi", "bj", "cp", "fl", "gw", "lh", "re", "sw", "ti", "tj")]
    assert 0 < sum(t.received_this_year_pence for t in totals) <= host.awarded_this_year_pence
    assert sum(t.reviews_owed.overdue for t in totals) == host.reviews.overdue


def test_governor_figures_hide_small_numbers(demo_engine: Engine) -> None:
    from cluster.reporting.home import governor_summary

    cluster = governor_summary(demo_engine, actor(demo_engine, "governor"))
    school = governor_summary(demo_engine, actor(demo_engine, "governor.ap"))
    assert cluster.latest_minutes_approved_on is not None
    assert cluster.outcomes_recorded is not None and cluster.outcomes_recorded >= 5
    assert cluster.pupils_this_year is not None and cluster.pupils_this_year >= 5
    # What is small is a number of pupils: Aylsham's 4 outcomes judged are about 10 pupils.
    assert school.pupils_this_year is None or not 0 < school.pupils_this_year < 5
    if school.pupils_this_year is None:
        assert school.awarded_this_year_pence is None


def governor_of(engine: Engine, school: str) -> Actor:
    """A governor of one school (the demo's link governor, given that school)."""
    with Session(engine) as session:
        school_id = session.exec(select(School.id).where(School.name == school)).one()
    return replace(actor(engine, "governor"), school_id=school_id)


def pupils_supported(engine: Engine, school: str, academic_year: int = 2026) -> int:
    """Counted straight from the tables: pupils on the school's confirmed awards this year."""
    with Session(engine) as session:
        return len(set(session.exec(
            select(RequestPupil.reference)
            .join(SupportRequest, col(SupportRequest.id) == RequestPupil.request_id)
            .join(School, col(School.id) == SupportRequest.school_id)
            .join(Award, col(Award.request_id) == SupportRequest.id)
            .join(Meeting, col(Meeting.id) == Award.meeting_id)
            .where(School.name == school, Meeting.academic_year == academic_year,
                   col(Award.draft).is_(False), Award.amount_pence > 0)).all()))


def test_a_school_with_fewer_than_5_pupils_supported_shows_no_figures(demo_engine: Engine) -> None:
    from cluster.reporting.home import governor_summary

    assert 0 < pupils_supported(demo_engine, "Wensum Valley High School") < 5
    summary = governor_summary(demo_engine, governor_of(demo_engine, "Wensum Valley High School"))
    # The home page shows "fewer than 5" for both, never the number or the money.
    assert summary.pupils_this_year is None
    assert summary.awarded_this_year_pence is None


def test_small_means_fewer_than_5_pupils_not_fewer_than_5_awards(demo_engine: Engine) -> None:
    """One group award for seven pupils is about seven pupils: shown, as the impact report does."""
    from cluster.reporting.home import governor_summary

    assert pupils_supported(demo_engine, "Costessey Park Primary School") == 7
    summary = governor_summary(demo_engine,
                               governor_of(demo_engine, "Costessey Park Primary School"))
    assert summary.pupils_this_year == 7
    assert summary.awarded_this_year_pence == 163_400


def test_the_governor_home_hides_exactly_what_the_impact_report_hides(demo_engine: Engine) -> None:
    from cluster.reporting.home import governor_summary
    from cluster.reporting.impact_report import impact_dashboard

    with Session(demo_engine) as session:
        schools = session.exec(select(School.name).where(School.cluster_id == WENSUM_VALLEY_ID)
                               .order_by(School.name)).all()
    for name in schools:
        governor = governor_of(demo_engine, name)
        home = governor_summary(demo_engine, governor)
        report = impact_dashboard(demo_engine, governor, school_id=governor.school_id)
        money, outcomes = report.school_row, report.outcomes_total
        assert money is not None and outcomes is not None
        assert (home.pupils_this_year, home.awarded_this_year_pence) == (
            money.pupils, money.received_pence), name
        assert (home.outcomes_recorded, home.outcomes_met_or_exceeded) == (
            outcomes.outcomes, outcomes.met), name

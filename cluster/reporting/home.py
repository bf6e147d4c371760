"""What each role's home page shows: plain data, read in one short session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import AcademicYear, academic_year_of, half_term_of
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import MEMBER_ROLES, Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.funding.budget import load_pot
from cluster.funding.ledger import YearLedger, awarded_in_year, year_ledger
from cluster.models import (
    CensusSnapshot,
    Cluster,
    Meeting,
    RequestStatus,
    Role,
    School,
    SupportRequest,
)
from cluster.outcomes.dashboard import dashboard_from
from cluster.reporting.impact_report import published_cluster_figures
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import (
    closed_to_requests,
    next_funding_round,
    next_meeting,
    requests_deadline,
)


@dataclass(frozen=True)
class NextMeeting:
    half_term: str
    held_on: date
    is_funding_round: bool
    requests_due: date | None  # None: a review meeting, or a round already confirmed
    papers_out: date
    requests_received: int
    # Why the next meeting takes no new requests ("" when it does), and the round that does.
    closed_because: str = ""
    open_round: tuple[str, date, date] | None = None  # half-term, meeting day, requests due


@dataclass(frozen=True)
class ClusterHeadline:
    cluster_name: str
    academic_year: str
    half_term: str
    today: date
    school_name: str | None
    next_meeting: NextMeeting | None
    pot_available_pence: int | None
    schools: int
    # The academic year whose meetings the host sets up next, while no meeting is booked.
    year_to_set_up: str | None = None


@dataclass(frozen=True)
class RequestCounts:
    by_status: dict[str, int] = field(default_factory=dict)

    def count(self, status: str) -> int:
        return self.by_status.get(status, 0)


@dataclass(frozen=True)
class ClusterOverview:
    cluster_name: str
    schools: int
    pupils: int
    pot_available_pence: int | None
    next_meeting_on: date | None


def cluster_headline(engine: Engine, actor: Actor) -> ClusterHeadline:
    """The line every home page opens with: cluster, year, half-term, next meeting, the pot."""
    require(has_role(actor, {Role.HOST, Role.SCHOOL, Role.GOVERNOR}))
    on = today()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        assert cluster.id is not None
        school = session.get(School, actor.school_id) if actor.school_id else None
        pot = load_pot(session, cluster.id, academic_year_of(on).start_year)
        return ClusterHeadline(
            cluster_name=cluster.name,
            academic_year=academic_year_of(on).label,
            half_term=half_term_of(on),
            today=on,
            school_name=school.name if school else None,
            next_meeting=(following := _next_meeting(session, cluster.id, on)),
            pot_available_pence=pot.available_pence if pot else None,
            schools=_school_count(session, cluster.id),
            year_to_set_up=None if following else _year_to_set_up(session, cluster.id, on),
        )


def _year_to_set_up(session: Session, cluster_id: int, on: date) -> str:
    """This academic year if its meetings are not set up, else the next one (after a
    rollover in the summer)."""
    year = academic_year_of(on).start_year
    booked = session.exec(select(func.count()).select_from(Meeting).where(
        Meeting.cluster_id == cluster_id, Meeting.academic_year == year)).one()
    return AcademicYear(year + 1 if booked else year).label


def request_counts(engine: Engine, actor: Actor) -> RequestCounts:
    """Counts by status: the whole cluster's for the host, the school's own for a school user."""
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        query = (
            select(SupportRequest.status, func.count())
            .join(School, col(School.id) == SupportRequest.school_id)
            .where(School.cluster_id == actor.cluster_id)
            .group_by(SupportRequest.status)
        )
        if actor.role == Role.SCHOOL:
            query = query.where(SupportRequest.school_id == actor.school_id)
        return RequestCounts({status: count for status, count in session.exec(query).all()})


def clusters_overview(engine: Engine, actor: Actor) -> list[ClusterOverview]:
    require(has_role(actor, {Role.LA_ADVISER}))
    on = today()
    with read_session(engine) as session:
        # Every cluster's pot and census: the same for every LA adviser until the data changes.
        return remembered(session, ("clusters_overview", on), lambda: [
            _overview(session, cluster, on)
            for cluster in session.exec(select(Cluster).order_by(col(Cluster.name))).all()
            if cluster.id is not None])


def _overview(session: Session, cluster: Cluster, on: date) -> ClusterOverview:
    assert cluster.id is not None
    pupils = sum(pupils for _, pupils in _latest_pupils(session, cluster.id))
    meeting = _next_meeting(session, cluster.id, on)
    pot = load_pot(session, cluster.id, academic_year_of(on).start_year)
    return ClusterOverview(
        cluster_name=cluster.name,
        schools=_school_count(session, cluster.id),
        pupils=pupils,
        pot_available_pence=pot.available_pence if pot else None,
        next_meeting_on=meeting.held_on if meeting else None,
    )


def _school_count(session: Session, cluster_id: int) -> int:
    return session.exec(
        select(func.count()).select_from(School).where(School.cluster_id == cluster_id,
                                                       col(School.active).is_(True))
    ).one()


def _next_meeting(session: Session, cluster_id: int, on: date) -> NextMeeting | None:
    meeting = next_meeting(session, cluster_id, on)
    if meeting is None:
        return None
    received = session.exec(
        select(func.count()).select_from(SupportRequest).where(
            SupportRequest.meeting_id == meeting.id,
            col(SupportRequest.status).in_([RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA]),
        )
    ).one()
    deadlines = deadlines_for(meeting.held_on)
    open_round = next_funding_round(session, cluster_id, on)
    return NextMeeting(meeting.half_term, meeting.held_on, meeting.is_funding_round,
                       requests_deadline(meeting, on), deadlines.papers_out, received,
                       closed_to_requests(meeting, on),
                       (open_round.half_term, open_round.held_on,
                        deadlines_for(open_round.held_on).requests_due) if open_round else None)


def _latest_pupils(session: Session, cluster_id: int) -> list[tuple[str, int]]:
    rows = []
    for school in session.exec(select(School).where(School.cluster_id == cluster_id)).all():
        snapshot = session.exec(
            select(CensusSnapshot).where(CensusSnapshot.school_id == school.id)
            .order_by(col(CensusSnapshot.census_year).desc()).limit(1)
        ).first()
        rows.append((school.name, snapshot.pupils if snapshot else 0))
    return rows


def _year_ledger(session: Session, cluster_id: int, academic_year: int) -> YearLedger | None:
    """None while the year's funding is not set up: a budget from last year's rates would
    mislead."""
    ledger = year_ledger(session, cluster_id, academic_year)
    return ledger if ledger.set_up else None


# --- what needs attention: the figures each home page leads with --------------------------------


@dataclass(frozen=True)
class ReviewsDue:
    due_next_meeting: int
    overdue: int


@dataclass(frozen=True)
class HostAttention:
    waiting_for_triage: int
    reviews: ReviewsDue
    actions_open: int
    awarded_this_year_pence: int  # the ledger's "awarded this year (this year's part)"
    not_yet_awarded_pence: int | None  # the ledger's "left for new awards this year"


@dataclass(frozen=True)
class SchoolAttention:
    requests: RequestCounts
    reviews_owed: ReviewsDue
    received_this_year_pence: int
    awards_this_year: int


@dataclass(frozen=True)
class GovernorSummary:
    """None means hidden: the figure is about 1-4 pupils, or would let such a figure be worked
    out. The figures are the governors' impact dashboard's, so both hide exactly the same ones."""

    latest_minutes_half_term: str | None
    latest_minutes_held_on: date | None
    latest_minutes_approved_on: date | None
    awarded_this_year_pence: int | None
    pupils_this_year: int | None
    outcomes_recorded: int | None
    outcomes_met_or_exceeded: int | None


def host_attention(engine: Engine, actor: Actor) -> HostAttention:
    require(has_role(actor, {Role.HOST}))
    on = today()
    year = academic_year_of(on).start_year
    with read_session(engine) as session:
        cluster_id = actor.cluster_id or 0
        budget = _year_ledger(session, cluster_id, year)
        return HostAttention(
            waiting_for_triage=_count_requests(session, cluster_id, RequestStatus.SUBMITTED, None),
            reviews=_reviews_due(session, cluster_id, on, school_id=None),
            actions_open=_open_actions(session, cluster_id),
            awarded_this_year_pence=budget.awarded_pence if budget else 0,
            not_yet_awarded_pence=budget.not_yet_awarded_pence if budget else None,
        )


def school_attention(engine: Engine, actor: Actor) -> SchoolAttention:
    require(has_role(actor, {Role.SCHOOL}))
    on = today()
    with read_session(engine) as session:
        cluster_id = actor.cluster_id or 0
        awarded, count = awarded_in_year(session, cluster_id, academic_year_of(on).start_year,
                                  school_id=actor.school_id)
        return SchoolAttention(
            requests=request_counts(engine, actor),
            reviews_owed=_reviews_due(session, cluster_id, on, school_id=actor.school_id),
            received_this_year_pence=awarded,
            awards_this_year=count,
        )


def governor_summary(engine: Engine, actor: Actor) -> GovernorSummary:
    """Three figures a governor can read in a minute, for their school or the whole cluster.
    They are read from the same suppressed tables as the impact dashboard (pupil counts, with
    secondary suppression): figures of its own could give away what the dashboard hides."""
    require(has_role(actor, {Role.GOVERNOR}))
    on = today()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        assert cluster.id is not None
        minutes = _latest_approved_minutes(session, cluster.id)
        figures = published_cluster_figures(session, cluster, on)
    board = dashboard_from(figures, actor, academic_year_of(on).start_year, actor.school_id, on)
    money = board.school_row if actor.school_id is not None else board.total
    outcomes = board.outcomes_total
    return GovernorSummary(
        latest_minutes_half_term=minutes[0] if minutes else None,
        latest_minutes_held_on=minutes[1] if minutes else None,
        latest_minutes_approved_on=minutes[2] if minutes else None,
        awarded_this_year_pence=money.received_pence if money else 0,
        pupils_this_year=money.pupils if money else 0,
        outcomes_recorded=outcomes.outcomes if outcomes else 0,
        outcomes_met_or_exceeded=outcomes.met if outcomes else 0,
    )


def _latest_approved_minutes(session: Session,
                             cluster_id: int) -> tuple[str, date, date | None] | None:
    """(meeting, held on, approved on) of the latest approved minutes, read inside the session."""
    meeting = session.exec(
        select(Meeting).where(Meeting.cluster_id == cluster_id,
                              col(Meeting.minutes_approved_on).is_not(None))
        .order_by(col(Meeting.held_on).desc()).limit(1)
    ).first()
    if meeting is None:
        return None
    return (f"{meeting.half_term} {_year_label(meeting.academic_year)}", meeting.held_on,
            meeting.minutes_approved_on)


def _year_label(start_year: int) -> str:
    return f"{start_year}/{str(start_year + 1)[-2:]}"


def _count_requests(session: Session, cluster_id: int, status: str, school_id: int | None) -> int:
    query = (select(func.count()).select_from(SupportRequest)
             .join(School, col(School.id) == SupportRequest.school_id)
             .where(School.cluster_id == cluster_id, SupportRequest.status == status))
    if school_id is not None:
        query = query.where(SupportRequest.school_id == school_id)
    return session.exec(query).one()


def _reviews_due(session: Session, cluster_id: int, on: date, school_id: int | None) -> ReviewsDue:
    from cluster.models import OPEN_REVIEW_STATUSES, Award, Review, ReviewStatus

    # A school owes a review until it has drafted it (its to-do list says the same); the host
    # sees every open one, drafted ones waiting for the meeting's confirmation included.
    statuses = OPEN_REVIEW_STATUSES if school_id is None else (ReviewStatus.DUE,)
    query = (select(col(Review.due_on))
             .join(Award, col(Award.id) == Review.award_id)
             .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
             .join(School, col(School.id) == SupportRequest.school_id)
             .where(School.cluster_id == cluster_id, col(Review.status).in_(statuses)))
    if school_id is not None:
        query = query.where(SupportRequest.school_id == school_id)
    due_dates = session.exec(query).all()
    following = _next_meeting(session, cluster_id, on)
    next_date = following.held_on if following else None
    return ReviewsDue(
        due_next_meeting=sum(1 for d in due_dates
                             if next_date is not None and on <= d <= next_date),
        overdue=sum(1 for d in due_dates if d < on),
    )


def _open_actions(session: Session, cluster_id: int) -> int:
    from cluster.models import Action

    return session.exec(
        select(func.count()).select_from(Action)
        .join(Meeting, col(Meeting.id) == Action.meeting_id)
        .where(Meeting.cluster_id == cluster_id, col(Action.done).is_(False))
    ).one()

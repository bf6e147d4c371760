"""Each person's to-do list: what this reader must do next, oldest first, each with the address of
the place to do it (a toolkit page and the record it opens).

Counts on home say how much there is; the list says which one and where. Every item is read from
the records themselves (a request's status, a review's due date, a meeting's papers-out date, the
audit rows of what this person has opened), so an item goes as soon as the thing is done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import academic_year_of, format_date, meeting_on
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.errors import NotFound
from cluster.core.links import ADDRESSES, Record
from cluster.core.permissions import ALL_ROLES, Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import (
    OPEN_REVIEW_STATUSES,
    AuditEvent,
    AuditOutcome,
    Award,
    Meeting,
    RequestStatus,
    Review,
    ReviewStatus,
    Role,
    School,
    StatusChange,
    SupportRequest,
    UrgentDecision,
    UrgentStatus,
)
from cluster.requests.status import is_headteacher
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import next_funding_round, next_meeting

# The pages' addresses (toolkit/registry.py url_paths; a test checks each exists for its reader)
# and the query parameter naming the record, as papers and letters print them (core/links.py).
REQUEST_PAGE, REQUEST_PARAMETER = ADDRESSES[Record.REQUEST]
PAPERS_PAGE, MEETING_PARAMETER = ADDRESSES[Record.MEETING]
SCHOOL_REVIEWS_PAGE, REVIEW_PARAMETER = ADDRESSES[Record.REVIEW]
HOST_REVIEWS_PAGE = "reviews"  # the host's own reviews page reads the same parameter
RUN_MEETING_PAGE = "run-meeting"
URGENT_PAGE, URGENT_PARAMETER = "urgent-decisions", "urgent"

# Audit actions that mean "this person has opened it" (cluster/meetings/papers.py, letters.py).
READ_PACK, READ_LETTERS = "read_members_pack", "read_decision_letters"


@dataclass(frozen=True)
class ToDo:
    since: date  # when it became this person's to do: the list runs oldest first
    what: str  # in the reader's words, naming the record
    url_path: str
    query: dict[str, str] = field(default_factory=dict)
    # The moment it became to do, when the record says (a day can hold several): same-day items
    # then run oldest first, and by record number when the moments are equal or unknown.
    moment: datetime | None = None

    @property
    def record_id(self) -> int:
        value = next(iter(self.query.values()), "0")
        return int(value) if value.isdigit() else 0

    @property
    def address(self) -> str:
        params = "&".join(f"{k}={v}" for k, v in self.query.items())
        return f"/{self.url_path}" + (f"?{params}" if params else "")


def todo_list(engine: Engine, actor: Actor) -> list[ToDo]:
    """This reader's to-do list, oldest first (empty: nothing to do)."""
    require(has_role(actor, ALL_ROLES))
    on = today()
    with read_session(engine) as session:
        items = list(_READERS[actor.role](session, actor, on))
    return oldest_first(items)


def oldest_first(items: Iterable[ToDo]) -> list[ToDo]:
    """By day, then the moment within it, then the record's number: what has waited longest on
    top, never the newest of a day first."""
    return sorted(items, key=lambda item: (item.since, _instant(item.moment), item.record_id))


def _instant(moment: datetime | None) -> float:
    return moment.timestamp() if moment is not None else float("-inf")


# --- the host ------------------------------------------------------------------------------------


def _host(session: Session, actor: Actor, on: date) -> Iterable[ToDo]:
    cluster_id = actor.cluster_id or 0
    yield from _to_triage(session, cluster_id)
    yield from host_reviews(session, cluster_id, on)
    yield from _minutes_to_approve(session, cluster_id, on)
    yield from _urgent_to_second(session, actor, cluster_id)


def _to_triage(session: Session, cluster_id: int) -> Iterable[ToDo]:
    rows = session.exec(
        select(SupportRequest, School).join(School, col(School.id) == SupportRequest.school_id)
        .where(School.cluster_id == cluster_id,
               SupportRequest.status == RequestStatus.SUBMITTED)).all()
    for request, school in rows:
        assert request.id is not None
        yield ToDo(request.submitted_on or _day(request.updated_at),
                   f"Triage request {request.id} from {school.name}: {request.title}",
                   REQUEST_PAGE, {REQUEST_PARAMETER: str(request.id)})


def host_reviews(session: Session, cluster_id: int, on: date) -> Iterable[ToDo]:
    """A drafted review waits for the host's confirmation; an overdue one needs chasing."""
    for review, request, school in _reviews(session, cluster_id, None):
        assert review.id is not None
        if review.status == ReviewStatus.DRAFTED:
            what = (f"Confirm the review of request {request.id} ({school.name}), drafted "
                    f"{format_date(review.drafted_on or review.due_on)}")
            since = review.drafted_on or review.due_on
        elif review.due_on < on:
            what = (f"Chase the review of request {request.id} ({school.name}), overdue since "
                    f"{format_date(review.due_on)}")
            since = review.due_on
        else:
            continue
        yield ToDo(since, what, HOST_REVIEWS_PAGE, {REVIEW_PARAMETER: str(review.id)})


def _minutes_to_approve(session: Session, cluster_id: int, on: date) -> Iterable[ToDo]:
    for meeting in _meetings(session, [cluster_id]):
        if meeting.held_on < on and meeting.minutes_approved_on is None:
            yield ToDo(meeting.held_on,
                       f"Approve the minutes of the {_meeting_words(meeting)}",
                       RUN_MEETING_PAGE, {MEETING_PARAMETER: str(meeting.id)})


def _urgent_to_second(session: Session, actor: Actor, cluster_id: int) -> Iterable[ToDo]:
    """An urgent decision needs a second host: never the one who proposed it."""
    rows = session.exec(
        select(UrgentDecision, SupportRequest)
        .join(SupportRequest, col(SupportRequest.id) == UrgentDecision.request_id)
        .join(School, col(School.id) == SupportRequest.school_id)
        .where(School.cluster_id == cluster_id,
               UrgentDecision.status == UrgentStatus.AWAITING_SECOND,
               UrgentDecision.proposed_by_id != actor.user_id)).all()
    for urgent, request in rows:
        yield ToDo(urgent.proposed_on,
                   f"Agree or not the urgent decision on request {request.id}: {request.title}",
                   URGENT_PAGE, {URGENT_PARAMETER: str(urgent.id)})


# --- a headteacher or SENCO ----------------------------------------------------------------------


def _school(session: Session, actor: Actor, on: date) -> Iterable[ToDo]:
    cluster_id, school_id = actor.cluster_id or 0, actor.school_id or 0
    yield from _returned(session, school_id)
    if is_headteacher(actor):
        yield from _to_sign_off(session, school_id)
    yield from _drafts(session, school_id, next_funding_round(session, cluster_id, on))
    yield from reviews_owed(session, cluster_id, school_id, on)
    yield from papers_to_read(session, actor, [cluster_id], on)
    yield from letters_unread(session, actor, cluster_id, school_id, on)


def _school_requests(session: Session, school_id: int,
                     status: RequestStatus) -> Iterable[SupportRequest]:
    for request in session.exec(select(SupportRequest).where(
            SupportRequest.school_id == school_id, SupportRequest.status == status)).all():
        assert request.id is not None
        yield request


def _returned(session: Session, school_id: int) -> Iterable[ToDo]:
    for request in _school_requests(session, school_id, RequestStatus.RETURNED):
        returned_at = session.exec(
            select(func.max(StatusChange.at)).where(
                StatusChange.request_id == request.id,
                StatusChange.to_status == RequestStatus.RETURNED)).one()
        yield ToDo(_day(returned_at or request.updated_at),
                   f"Request {request.id} was returned for more information: {request.title}",
                   REQUEST_PAGE, {REQUEST_PARAMETER: str(request.id)},
                   returned_at or request.updated_at)


def _to_sign_off(session: Session, school_id: int) -> Iterable[ToDo]:
    """The cluster's rule may send a SENCO's request to the head before the cluster sees it."""
    for request in _school_requests(session, school_id, RequestStatus.AWAITING_HEAD):
        yield ToDo(_day(request.updated_at),
                   f"Sign off request {request.id} or send it back: {request.title}",
                   REQUEST_PAGE, {REQUEST_PARAMETER: str(request.id)}, request.updated_at)


def _drafts(session: Session, school_id: int, meeting: Meeting | None) -> Iterable[ToDo]:
    """A draft is to do only while a round will take it: the round a new request goes to (the
    request form's rule), never a confirmed one; with none booked, it can wait."""
    if meeting is None:
        return
    due = deadlines_for(meeting.held_on).requests_due
    for request in _school_requests(session, school_id, RequestStatus.DRAFT):
        yield ToDo(_day(request.updated_at),
                   f"Finish and submit draft request {request.id} by {format_date(due)}: "
                   f"{request.title}", REQUEST_PAGE, {REQUEST_PARAMETER: str(request.id)},
                   request.updated_at)


def reviews_owed(session: Session, cluster_id: int, school_id: int, on: date) -> Iterable[ToDo]:
    """Reviews not yet drafted that fall due by the next meeting (or already overdue)."""
    following = next_meeting(session, cluster_id, on)
    horizon = following.held_on if following else on
    for review, request, _ in _reviews(session, cluster_id, school_id):
        assert review.id is not None
        if review.status != ReviewStatus.DUE or review.due_on > horizon:
            continue
        late = "overdue since" if review.due_on < on else "due"
        yield ToDo(review.due_on,
                   f"Write the review of request {request.id} ({request.title}), {late} "
                   f"{format_date(review.due_on)}",
                   SCHOOL_REVIEWS_PAGE, {REVIEW_PARAMETER: str(review.id)})


def letters_unread(session: Session, actor: Actor, cluster_id: int, school_id: int,
                    on: date) -> Iterable[ToDo]:
    """Decision letters from this year's confirmed meetings that this person has not opened
    (earlier years' letters are on the papers page, but no longer a thing to do)."""
    meetings = session.exec(
        select(Meeting).join(Award, col(Award.meeting_id) == Meeting.id)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .where(Meeting.cluster_id == cluster_id, SupportRequest.school_id == school_id,
               Meeting.academic_year == academic_year_of(on).start_year,
               col(Meeting.decisions_confirmed_on).is_not(None), col(Award.draft).is_(False))
        .distinct()).all()
    opened = _opened(session, actor, READ_LETTERS)
    for meeting in meetings:
        if meeting.id in opened or meeting.decisions_confirmed_on is None:
            continue
        yield ToDo(meeting.decisions_confirmed_on,
                   f"Read the decision letter from the {_meeting_words(meeting)}",
                   PAPERS_PAGE, {MEETING_PARAMETER: str(meeting.id)})


# --- governors and the LA adviser ----------------------------------------------------------------


def _governor(session: Session, actor: Actor, on: date) -> Iterable[ToDo]:
    yield from papers_to_read(session, actor, [actor.cluster_id or 0], on)


def adviser_papers_to_read(session: Session, actor: Actor, on: date) -> Iterable[ToDo]:
    """The adviser reads the papers of the cluster the papers page opens for them (their own,
    else the first by name): the link then leads to that meeting. Other clusters they compare in
    aggregate, and seven "read the papers" items on one day would bury the one they attend."""
    try:
        cluster = cluster_of(session, actor)
    except NotFound:  # no cluster set up yet: no papers to read
        return
    yield from papers_to_read(session, actor, [cluster.id or 0], on)


def papers_to_read(session: Session, actor: Actor, cluster_ids: list[int],
                    on: date) -> Iterable[ToDo]:
    """Papers that are out for a meeting still to come (a school's members' pack goes once it
    has been opened; other readers' editions stay until the meeting)."""
    opened = _opened(session, actor, READ_PACK) if actor.role == Role.SCHOOL else set()
    for meeting in _meetings(session, cluster_ids):
        papers_out = deadlines_for(meeting.held_on).papers_out
        if papers_out <= on <= meeting.held_on and meeting.id not in opened:
            yield ToDo(papers_out, f"Read the papers before the {_meeting_words(meeting)}",
                       PAPERS_PAGE, {MEETING_PARAMETER: str(meeting.id)})


# --- shared reads --------------------------------------------------------------------------------


def _reviews(session: Session, cluster_id: int,
             school_id: int | None) -> list[tuple[Review, SupportRequest, School]]:
    query = (select(Review, SupportRequest, School)
             .join(Award, col(Award.id) == Review.award_id)
             .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
             .join(School, col(School.id) == SupportRequest.school_id)
             .where(School.cluster_id == cluster_id,
                    col(Review.status).in_(OPEN_REVIEW_STATUSES)))
    if school_id is not None:
        query = query.where(SupportRequest.school_id == school_id)
    return [(r, q, s) for r, q, s in session.exec(query).all()]


def _meetings(session: Session, cluster_ids: list[int]) -> list[Meeting]:
    return list(session.exec(select(Meeting).where(col(Meeting.cluster_id).in_(cluster_ids))
                             .order_by(col(Meeting.held_on))).all())


def _opened(session: Session, actor: Actor, action: str) -> set[int]:
    """The meetings whose papers (or letters) this person has opened: the audit rows say so."""
    rows = session.exec(select(AuditEvent.entity_id).where(
        AuditEvent.user_id == actor.user_id, AuditEvent.action == action,
        AuditEvent.outcome == AuditOutcome.OK)).all()
    return {entity_id for entity_id in rows if entity_id is not None}


def _meeting_words(meeting: Meeting) -> str:
    return meeting_on(meeting.half_term, meeting.held_on)


def _day(moment: datetime | None) -> date:
    """A timestamp's day; a record with none sorts first (it has waited longest)."""
    return moment.date() if moment is not None else date.min


_READERS: dict[str, Callable[[Session, Actor, date], Iterable[ToDo]]] = {
    Role.HOST: _host, Role.SCHOOL: _school, Role.GOVERNOR: _governor,
    # The adviser's whole list is the papers to read (the reminders send the same items).
    Role.LA_ADVISER: adviser_papers_to_read}


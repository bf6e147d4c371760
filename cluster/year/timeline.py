"""The year as a timeline: each meeting and the deadlines derived from its date, per role.

Who sees what (the calendar file follows the same rule): the host sees everything; a school sees the
meetings, the request deadlines and the papers-out dates; governors and the LA see the meetings.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, time

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import AcademicYear, OfAcademicYear, academic_year_of
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.labelled import LabelledEnum
from cluster.core.permissions import ALL_ROLES, Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.models import (
    Cluster,
    Meeting,
    Reconsideration,
    ReconsiderationStatus,
    RequestStatus,
    Review,
    Role,
    SupportRequest,
)
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import meetings_from, parse_time, requests_deadline


class EntryKind(LabelledEnum):
    PREPARATION = "preparation", "Preparation with the LA"
    REQUESTS_DUE = "requests_due", "Requests due"
    PAPERS_OUT = "papers_out", "Papers out"
    REVIEWS_DUE = "reviews_due", "Reviews due"
    MEETING = "meeting", "Meeting"


_ORDER_ON_A_DAY = tuple(EntryKind)  # on one day, deadlines come before the meeting they lead to

ROLE_SEES: dict[str, frozenset[EntryKind]] = {
    Role.HOST: frozenset(EntryKind),
    Role.SCHOOL: frozenset({EntryKind.MEETING, EntryKind.REQUESTS_DUE, EntryKind.PAPERS_OUT}),
    Role.GOVERNOR: frozenset({EntryKind.MEETING}),
    Role.LA_ADVISER: frozenset({EntryKind.MEETING, EntryKind.PREPARATION}),
}

@dataclass(frozen=True)
class TimelineMeeting:
    """A meeting as the timeline shows it. Counts are for the host only (None for everyone else)."""

    id: int
    academic_year: int
    half_term: str
    held_on: date
    starts_at: time
    ends_at: time
    venue: str
    video_link: str
    is_funding_round: bool
    agenda_md: str
    version: int
    requests_received: int | None = None
    reviews_scheduled: int | None = None
    reconsiderations: int | None = None
    # The requests deadline shown (cluster.year.schedule.requests_deadline): None for a review
    # meeting and for a round whose decisions are confirmed, which takes no more requests.
    requests_due: date | None = None

    @property
    def name(self) -> str:
        return f"{self.half_term} {'funding round' if self.is_funding_round else 'meeting'}"


@dataclass(frozen=True)
class TimelineEntry:
    on: date
    kind: str
    title: str
    meeting: TimelineMeeting

    @property
    def is_meeting(self) -> bool:
        return self.kind == EntryKind.MEETING

    @property
    def is_preparation(self) -> bool:
        return self.kind == EntryKind.PREPARATION


@dataclass(frozen=True)
class YearTimeline(OfAcademicYear):
    cluster_id: int
    cluster_name: str
    academic_year: int
    role: str
    meetings: tuple[TimelineMeeting, ...]
    entries: tuple[TimelineEntry, ...]

    def upcoming(self, on: date) -> list[TimelineEntry]:
        return [entry for entry in self.entries if entry.on >= on]


# --- the rule (pure) ----------------------------------------------------------------------------


def entries_for(meeting: TimelineMeeting, kinds: Iterable[str]) -> list[TimelineEntry]:
    """A meeting's entries: requests due (a funding round still taking requests), papers out,
    reviews due, the meeting.

    Reviews are due on the meeting's day for the reviews booked at it; review meetings (not funding
    rounds) always show the entry, so the host sees the day even before any review is booked.
    """
    wanted = set(kinds)
    deadlines = deadlines_for(meeting.held_on)
    candidates: list[tuple[EntryKind, date, str]] = [
        (EntryKind.PREPARATION, deadlines.preparation,
         f"Host's preparation for the {meeting.half_term} meeting with the LA Senior Adviser")]
    if meeting.requests_due is not None:
        candidates.append((EntryKind.REQUESTS_DUE, meeting.requests_due,
                           f"Requests due for the {meeting.half_term} funding round"))
    candidates.append((EntryKind.PAPERS_OUT, deadlines.papers_out,
                       f"Papers out for the {meeting.half_term} meeting"))
    if (meeting.reviews_scheduled or 0) > 0 or not meeting.is_funding_round:
        candidates.append((EntryKind.REVIEWS_DUE, deadlines.reviews_due,
                           f"Reviews due at the {meeting.half_term} meeting"))
    candidates.append((EntryKind.MEETING, meeting.held_on, f"{meeting.name}"))
    return [TimelineEntry(on, kind, title, meeting) for kind, on, title in candidates
            if kind in wanted]


def timeline_entries(meetings: Sequence[TimelineMeeting], role: str) -> list[TimelineEntry]:
    kinds = ROLE_SEES.get(role, frozenset())
    entries = [entry for meeting in meetings for entry in entries_for(meeting, kinds)]
    return sorted(entries, key=lambda e: (e.on, _ORDER_ON_A_DAY.index(e.kind)))


# --- services -----------------------------------------------------------------------------------


def year_timeline(engine: Engine, actor: Actor, academic_year: int | None = None,
                  cluster_id: int | None = None) -> YearTimeline:
    """The year's meetings and deadlines, as the actor's role may see them."""
    require(has_role(actor, ALL_ROLES))
    year = AcademicYear(academic_year) if academic_year is not None else academic_year_of(today())
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        assert cluster.id is not None
        rows = session.exec(select(Meeting).where(Meeting.cluster_id == cluster.id,
                                                  Meeting.academic_year == year.start_year)
                            .order_by(col(Meeting.held_on))).all()
        meetings = _timeline_meetings(session, rows, today(),
                                      with_counts=actor.role == Role.HOST)
        return YearTimeline(cluster.id, cluster.name, year.start_year, actor.role,
                            tuple(meetings), tuple(timeline_entries(meetings, actor.role)))


@dataclass(frozen=True)
class ClusterEntry:
    cluster_name: str
    entry: TimelineEntry


@dataclass(frozen=True)
class AdviserYear(OfAcademicYear):
    """The LA adviser's own year: every cluster's meetings and the hosts' preparation meetings
    with the adviser (FAQ 17), in date order."""

    academic_year: int
    entries: tuple[ClusterEntry, ...]


def adviser_year(engine: Engine, actor: Actor, academic_year: int | None = None) -> AdviserYear:
    require(has_role(actor, {Role.LA_ADVISER}))
    year = AcademicYear(academic_year) if academic_year is not None else academic_year_of(today())
    found: list[ClusterEntry] = []
    with read_session(engine) as session:
        names = {c.id: c.name for c in session.exec(select(Cluster)).all()}
        rows = session.exec(select(Meeting).where(Meeting.academic_year == year.start_year)
                            .order_by(col(Meeting.held_on))).all()
        meetings = _timeline_meetings(session, rows, today(), with_counts=False)
        by_id = {m.id: m.cluster_id for m in rows}
    for entry in timeline_entries(meetings, Role.LA_ADVISER):
        found.append(ClusterEntry(names.get(by_id[entry.meeting.id], ""), entry))
    found.sort(key=lambda e: (e.entry.on, e.cluster_name,
                              _ORDER_ON_A_DAY.index(e.entry.kind)))
    return AdviserYear(year.start_year, tuple(found))


def next_deadlines(engine: Engine, actor: Actor, limit: int = 3,
                   cluster_id: int | None = None) -> list[TimelineEntry]:
    """What is coming up from today, across the turn of the year, as the actor's role sees it."""
    require(has_role(actor, ALL_ROLES))
    on = today()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        rows = meetings_from(session, cluster.id or 0, on, limit + 2)
        meetings = _timeline_meetings(session, rows, on, with_counts=actor.role == Role.HOST)
    return [e for e in timeline_entries(meetings, actor.role) if e.on >= on][:limit]


def _timeline_meetings(session: Session, rows: Sequence[Meeting], on: date,
                       with_counts: bool) -> list[TimelineMeeting]:
    ids = [m.id for m in rows if m.id is not None]
    requests = reviews = reconsiderations = {}
    if with_counts and ids:
        requests = _counts(session, SupportRequest.meeting_id, ids,
                           col(SupportRequest.status).in_([RequestStatus.SUBMITTED,
                                                           RequestStatus.ON_AGENDA,
                                                           RequestStatus.DECIDED]))
        reviews = _counts(session, Review.meeting_id, ids, None)
        reconsiderations = _counts(session, Reconsideration.meeting_id, ids,
                                   col(Reconsideration.status).in_(
                                       [ReconsiderationStatus.ON_AGENDA,
                                        ReconsiderationStatus.HEARD]))

    def count(found: dict[int, int], meeting_id: int) -> int | None:
        return found.get(meeting_id, 0) if with_counts else None

    return [TimelineMeeting(m.id, m.academic_year, m.half_term, m.held_on, parse_time(m.starts_at),
                            parse_time(m.ends_at), m.venue, m.video_link, m.is_funding_round,
                            m.agenda_md, m.version, count(requests, m.id),
                            count(reviews, m.id), count(reconsiderations, m.id),
                            requests_deadline(m, on))
            for m in rows if m.id is not None]


def _counts(session: Session, column: int | None, ids: list[int],
            condition: ColumnElement[bool] | None) -> dict[int, int]:
    """Rows per meeting; `column` is a table's meeting_id (SQLModel types a column as its
    values)."""
    meeting = col(column)
    query = select(meeting, func.count()).where(meeting.in_(ids))
    if condition is not None:
        query = query.where(condition)
    return {meeting_id: n for meeting_id, n in session.exec(query.group_by(meeting)).all()
            if meeting_id is not None}

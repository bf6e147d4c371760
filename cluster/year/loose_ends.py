"""What is still open in a year the host is about to close: the rollover's checklist.

Each loose end is listed with a link to the screen that resolves it; the rollover goes ahead only
when every one is resolved or the host has ticked it to carry it over into the new year (the ticked
keys are kept in the audit row: ids and kinds only, never pupil text).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear, format_date
from cluster.common.meeting_day import has_opened
from cluster.models import (
    OPEN_REVIEW_STATUSES,
    Award,
    Meeting,
    RequestStatus,
    Review,
    School,
    SupportRequest,
    UrgentDecision,
    UrgentStatus,
)

UNDECIDED = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA, RequestStatus.RETURNED)
URGENT_WAITING: dict[str, str] = {
    UrgentStatus.AWAITING_SECOND: "is waiting for the second host to agree",
    UrgentStatus.AGREED: "is waiting for a meeting to ratify it"}


@dataclass(frozen=True)
class LooseEnd:
    key: str  # what the host ticks to carry it over: "request:91", "review:40", ...
    kind: str
    what: str
    view: str  # the url_path of the screen that resolves it
    query: dict[str, str] = field(default_factory=dict)


def loose_ends(session: Session, cluster_id: int, start_year: int, on: date) -> list[LooseEnd]:
    """Every loose end of the year, in the order the host works through them."""
    meetings = list(session.exec(select(Meeting).where(
        Meeting.cluster_id == cluster_id, Meeting.academic_year == start_year)
        .order_by(col(Meeting.held_on))).all())
    return [*_undecided(session, meetings), *_unconfirmed(session, meetings, on),
            *_urgent(session, meetings), *_overdue_reviews(session, cluster_id, on),
            *_unapproved_minutes(meetings, on)]


def _undecided(session: Session, meetings: list[Meeting]) -> list[LooseEnd]:
    by_id = {m.id: m for m in meetings}
    rows = session.exec(select(SupportRequest, School.name)
                        .join(School, col(School.id) == SupportRequest.school_id)
                        .where(col(SupportRequest.meeting_id).in_(list(by_id)),
                               col(SupportRequest.status).in_(UNDECIDED))
                        .order_by(col(SupportRequest.id))).all()
    return [LooseEnd(f"request:{r.id}", "Request not decided",
                     f"Request {r.id} ({school}) at the {by_id[r.meeting_id].half_term} meeting "
                     f"is {str(r.status).replace('_', ' ')}, not decided",
                     "request", {"request": str(r.id)})
            for r, school in rows]


def _unconfirmed(session: Session, meetings: list[Meeting], on: date) -> list[LooseEnd]:
    ends = []
    for meeting in meetings:
        if meeting.decisions_confirmed_on is not None or not has_opened(meeting, on):
            continue
        drafts = session.exec(select(Award.id).where(Award.meeting_id == meeting.id,
                                                     col(Award.draft).is_(True))).all()
        if drafts:
            ends.append(LooseEnd(f"decisions:{meeting.id}", "Decisions not confirmed",
                                 f"The {meeting.half_term} meeting's {len(drafts)} decision(s) "
                                 "are drafts, not confirmed", "run-meeting"))
    return ends


def _urgent(session: Session, meetings: list[Meeting]) -> list[LooseEnd]:
    by_id = {m.id: m for m in meetings}
    rows = session.exec(select(UrgentDecision).where(
        col(UrgentDecision.meeting_id).in_(list(by_id)),
        col(UrgentDecision.status).in_(list(URGENT_WAITING)))
        .order_by(col(UrgentDecision.id))).all()
    return [LooseEnd(f"urgent:{u.id}", "Urgent decision open",
                     f"Urgent decision {u.id} (request {u.request_id}) "
                     f"{URGENT_WAITING[u.status]}", "urgent-decisions") for u in rows]


def _overdue_reviews(session: Session, cluster_id: int, on: date) -> list[LooseEnd]:
    rows = session.exec(select(Review, Award.request_id, School.name)
                        .join(Award, col(Award.id) == Review.award_id)
                        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
                        .join(School, col(School.id) == SupportRequest.school_id)
                        .where(School.cluster_id == cluster_id,
                               col(Review.status).in_(OPEN_REVIEW_STATUSES), Review.due_on < on)
                        .order_by(col(Review.due_on), col(Review.id))).all()
    return [LooseEnd(f"review:{review.id}", "Review overdue",
                     f"Review of request {request_id} ({school}) was due "
                     f"{format_date(review.due_on)} and is {review.status}", "reviews")
            for review, request_id, school in rows]


def _unapproved_minutes(meetings: list[Meeting], on: date) -> list[LooseEnd]:
    return [LooseEnd(f"minutes:{m.id}", "Minutes not approved",
                     f"The minutes of the {m.half_term} meeting ({format_date(m.held_on)}) are "
                     + ("not approved" if m.minutes_md.strip() else "not written"), "run-meeting")
            for m in meetings if has_opened(m, on) and m.minutes_approved_on is None]


def year_label(start_year: int) -> str:
    return AcademicYear(start_year).label

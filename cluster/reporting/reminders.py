"""Reminders that reach people: requests due, papers out, reviews due and decision letters sent.

What each person must do is the to-do list's rule (todo.py); a reminder is one of those items
told once, by e-mail when a mail server is set up (reminder_mail.py, the daily
`python -m cluster remind`), else in a list on the person's home page. Only "requests due" is a
reminder of its own: a deadline coming, not yet a thing anybody has to do.

A reminder's words are numbers, school names, meeting names and dates only, never a request's
title or any words typed about a pupil: an e-mail leaves the toolkit and its access checks.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, delete, select

from cluster.common.calendar import format_date
from cluster.core import audit
from cluster.core.audit import mutating
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import NotFound
from cluster.core.permissions import Actor, has_role, require
from cluster.core.settings import smtp_configured
from cluster.models import (
    Award,
    Cluster,
    Meeting,
    ReminderKind,
    ReminderOff,
    Review,
    ReviewStatus,
    Role,
    School,
    SupportRequest,
)
from cluster.reporting import todo
from cluster.reporting.todo import ToDo
from cluster.year.schedule import next_funding_round, requests_deadline

# The deadline is told this many days ahead (a week: time to finish a draft), once.
REQUESTS_DUE_NOTICE_DAYS = 7
OUR_REQUESTS_PAGE = "our-requests"  # toolkit/registry.py: where a school submits its requests

# The kinds each role is sent (My account offers them in ReminderKind's order).
KINDS_FOR_ROLE: dict[str, tuple[ReminderKind, ...]] = {
    Role.SCHOOL: tuple(ReminderKind),
    Role.HOST: (ReminderKind.REVIEW_DUE,),
    Role.GOVERNOR: (ReminderKind.PAPERS_OUT,),
    Role.LA_ADVISER: (ReminderKind.PAPERS_OUT,),
}


@dataclass(frozen=True)
class Reminder:
    kind: ReminderKind
    key: str  # the record it is about: one e-mail per person, kind and key, ever
    subject: str
    body: str
    url_path: str  # the place to act, as the to-do list links it
    query: dict[str, str] = field(default_factory=dict)

    @property
    def address(self) -> str:
        params = "&".join(f"{k}={v}" for k, v in self.query.items())
        return f"/{self.url_path}" + (f"?{params}" if params else "")


def reminders_to_show(engine: Engine, actor: Actor) -> list[Reminder]:
    """The reminders for this person's home page: none when they go by e-mail instead."""
    require(has_role(actor, set(KINDS_FOR_ROLE)))
    if smtp_configured():
        return []
    with read_session(engine) as session:
        return due_reminders(session, actor, today())


def due_reminders(session: Session, actor: Actor, on: date) -> list[Reminder]:
    """This person's reminders on `on`, less the kinds they have turned off."""
    off = _kinds_off(session, actor.user_id)
    found = [r for r in _READERS[actor.role](session, actor, on) if r.kind not in off]
    return sorted(found, key=lambda r: (list(ReminderKind).index(r.kind), r.key))


# --- each role's reminders -----------------------------------------------------------------------


def _school(session: Session, actor: Actor, on: date) -> Iterable[Reminder]:
    cluster_id, school_id = actor.cluster_id or 0, actor.school_id or 0
    yield from _requests_due(session, cluster_id, on)
    for item in todo.papers_to_read(session, actor, [cluster_id], on):
        yield _about_meeting(session, ReminderKind.PAPERS_OUT, item)
    for item in todo.reviews_owed(session, cluster_id, school_id, on):
        yield _about_review(session, item, on)
    for item in todo.letters_unread(session, actor, cluster_id, school_id, on):
        yield _about_meeting(session, ReminderKind.DECISIONS_SENT, item)


def _host(session: Session, actor: Actor, on: date) -> Iterable[Reminder]:
    for item in todo.host_reviews(session, actor.cluster_id or 0, on):
        yield _about_review(session, item, on)


def _governor(session: Session, actor: Actor, on: date) -> Iterable[Reminder]:
    for item in todo.papers_to_read(session, actor, [actor.cluster_id or 0], on):
        yield _about_meeting(session, ReminderKind.PAPERS_OUT, item)


def _la_adviser(session: Session, actor: Actor, on: date) -> Iterable[Reminder]:
    for item in todo.adviser_papers_to_read(session, actor, on):
        yield _about_meeting(session, ReminderKind.PAPERS_OUT, item)


_READERS: dict[str, Callable[[Session, Actor, date], Iterable[Reminder]]] = {
    Role.SCHOOL: _school, Role.HOST: _host, Role.GOVERNOR: _governor,
    Role.LA_ADVISER: _la_adviser}


def _requests_due(session: Session, cluster_id: int, on: date) -> Iterable[Reminder]:
    """The open round's deadline for requests, in the week before it: the round the request
    form offers and the deadline every screen shows (schedule.requests_deadline)."""
    meeting = next_funding_round(session, cluster_id, on)
    if meeting is None or meeting.id is None:
        return
    due = requests_deadline(meeting, on)
    if due is None or not due - timedelta(days=REQUESTS_DUE_NOTICE_DAYS) <= on <= due:
        return
    words = _meeting_words(session, meeting)
    yield Reminder(ReminderKind.REQUESTS_DUE, f"meeting {meeting.id}",
                   f"Requests due by {format_date(due)} for the {words}",
                   f"Requests for the {words} are due by {format_date(due)}. Submit your "
                   "school's requests for this meeting by then.", OUR_REQUESTS_PAGE)


# --- the words: from the records' numbers, names and dates -------------------------------------


def _about_meeting(session: Session, kind: ReminderKind, item: ToDo) -> Reminder:
    meeting = session.get(Meeting, int(item.query[todo.MEETING_PARAMETER]))
    if meeting is None:
        raise NotFound("meeting")
    words = _meeting_words(session, meeting)
    if kind == ReminderKind.PAPERS_OUT:
        subject = f"Papers out for the {words}"
        body = f"The papers for the {words} are out. Please read them before the meeting."
    else:
        confirmed = format_date(meeting.decisions_confirmed_on or item.since)
        subject = f"Decision letter from the {words}"
        body = (f"The decisions of the {words} were confirmed on {confirmed}. Your school's "
                "decision letter is ready to read.")
    return Reminder(kind, f"meeting {meeting.id}", subject, body, item.url_path, item.query)


def _about_review(session: Session, item: ToDo, on: date) -> Reminder:
    review_id = int(item.query[todo.REVIEW_PARAMETER])  # the host's page reads it too
    row = session.exec(
        select(Review, SupportRequest, School)
        .join(Award, col(Award.id) == Review.award_id)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(School, col(School.id) == SupportRequest.school_id)
        .where(Review.id == review_id)).first()
    if row is None:
        raise NotFound("review")
    review, request, school = row
    due = format_date(review.due_on)
    if review.status == ReviewStatus.DRAFTED:
        subject = f"Review of request {request.id} to confirm"
        body = (f"{school.name} has drafted the review of request {request.id}. It waits for "
                "your confirmation.")
    elif review.due_on < on:
        subject = f"Review of request {request.id} overdue since {due}"
        body = f"The review of request {request.id} ({school.name}) has been due since {due}."
    else:
        subject = f"Review of request {request.id} due {due}"
        body = f"The review of request {request.id} ({school.name}) is due on {due}."
    return Reminder(ReminderKind.REVIEW_DUE, f"review {review_id} {review.status}", subject,
                    body, item.url_path, item.query)


def _meeting_words(session: Session, meeting: Meeting) -> str:
    cluster = session.get(Cluster, meeting.cluster_id)
    of = f" of {cluster.name}" if cluster is not None else ""
    return f"{meeting.half_term} meeting{of} on {format_date(meeting.held_on)}"


# --- each person's choices -----------------------------------------------------------------------


def reminder_choices(engine: Engine, actor: Actor) -> dict[ReminderKind, bool]:
    """The kinds of reminder this person may get, each on (True) or turned off."""
    require(has_role(actor, set(KINDS_FOR_ROLE)))
    with read_session(engine) as session:
        off = _kinds_off(session, actor.user_id)
    return {kind: kind not in off for kind in KINDS_FOR_ROLE[actor.role]}


@mutating("set_reminders")
def set_reminders(engine: Engine, actor: Actor, wanted: Mapping[ReminderKind, bool]) -> None:
    """Turns each of this person's kinds on or off (kinds their role is not sent are ignored)."""
    require(has_role(actor, set(KINDS_FOR_ROLE)))
    kinds = KINDS_FOR_ROLE[actor.role]
    with write_session(engine) as session:
        before = _kinds_off(session, actor.user_id)
        session.exec(delete(ReminderOff).where(col(ReminderOff.user_id) == actor.user_id))
        for kind in kinds:
            if not wanted.get(kind, True):
                session.add(ReminderOff(user_id=actor.user_id, kind=kind))
        audit.record(session, actor, "set_reminders", entity="user", entity_id=actor.user_id,
                     before={k.value: k not in before for k in kinds},
                     after={k.value: wanted.get(k, True) for k in kinds})


def _kinds_off(session: Session, user_id: int) -> set[str]:
    return set(session.exec(select(ReminderOff.kind).where(ReminderOff.user_id == user_id)).all())

"""What every meeting service reads first, inside its one session: the meeting (in the actor's
cluster), its schools, the host and deputy, the attendance and the quorum, the money for the round.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear, format_date
from cluster.common.meeting_day import meeting_day, require_meeting_day
from cluster.common.needs import SenStatus
from cluster.core.errors import InvalidInput
from cluster.core.permissions import Actor, Permission
from cluster.core.scope import meeting_in_cluster
from cluster.meetings.rules import Quorum, quorum_of
from cluster.models import Attendance, Cluster, Meeting, RequestPupil
from cluster.people.schools import school_names
from cluster.year.rollover import require_year_open
from cluster.year.schedule import MeetingFacts, next_meeting


@dataclass(frozen=True)
class PupilLine:
    """A pupil on a request as the meeting's screens and papers name them: no name, ever."""

    reference: str
    year_group: str
    sen_status: str
    primary_need: str

    @property
    def words(self) -> str:
        return (f"{self.reference}: {self.year_group}, {SenStatus.label_of(self.sen_status)}, "
                f"{self.primary_need}")


def pupil_lines(session: Session, request_id: int) -> tuple[PupilLine, ...]:
    return tuple(PupilLine(p.reference, p.year_group, p.sen_status, p.primary_need)
                 for p in session.exec(select(RequestPupil).where(
                     RequestPupil.request_id == request_id).order_by(col(RequestPupil.id))).all())


@dataclass(frozen=True)
class AskedRequest:
    """A request as the meeting weighs its ask, in the suggested split and the urgent list: whose
    it is, what it asks in whole pounds, the least worth doing, and for how many terms."""

    request_id: int
    school_id: int
    school_name: str
    title: str
    asked_pounds: int
    minimum_pounds: int
    terms: int


@dataclass(frozen=True)
class DecidedRequest:
    """The request a decision is on, as the decisions screen, the members' pack and the meeting's
    record name it."""

    request_id: int
    school_id: int
    school_name: str
    title: str
    kind: str
    main_area: str


@dataclass(frozen=True)
class ConsideredRequest(DecidedRequest):
    """A request as the meeting considers it, on the decisions screen and in the members' pack:
    what it asks (to the penny, the least worth doing, for how many terms), its need score and
    band, its flags and pupils, the need in the school's words, and what the suggested split gives
    it (whole pounds; None: no suggestion) and why."""

    asked_pence: int
    minimum_pence: int
    asked_terms: int
    need_score: float | None
    band: str | None
    flags: tuple[str, ...]
    pupils: tuple[PupilLine, ...]
    need_summary: str
    suggested_pounds: int | None
    suggestion_text: str


@dataclass(frozen=True)
class DecisionTerms:
    """What a decision says beside the money, as the decisions screen and the record show it: for
    how many terms and why, on what conditions, what to bring next time, how it was reached."""

    terms: int
    reason: str
    length_reason: str
    conditions: str
    next_time: str
    decision_type: str


@dataclass(frozen=True)
class MeetingSummary(MeetingFacts):
    """A meeting as its own screens and papers head it: who chairs it and whether it is open."""

    minutes_approved_on: date | None
    chaired_by: str
    opened: bool = True  # held, or opened early by the host (cluster.common.meeting_day)
    # "Opened early on … : reason", or why it cannot be recorded at yet; "" on an ordinary day
    day_note: str = ""

    @property
    def title(self) -> str:
        return f"{self.half_term} {self.kind}"

    @property
    def label(self) -> str:
        return f"{self.half_term} {AcademicYear(self.academic_year).label} {self.kind}, " \
               f"{format_date(self.held_on)}"

    @property
    def subtitle(self) -> str:
        return f"{self.title}, {format_date(self.held_on)}, {self.starts_at}-{self.ends_at}"


@dataclass(frozen=True)
class MeetingPaper:
    """What heads every paper of a meeting (the packs, the minutes, a decision letter): the
    cluster, the meeting, and the day the paper was produced."""

    cluster_name: str
    meeting: MeetingSummary
    produced_on: date


def summary_of(meeting: Meeting) -> MeetingSummary:
    assert meeting.id is not None
    day = meeting_day(meeting)
    return MeetingSummary(meeting.id, meeting.academic_year, meeting.half_term, meeting.held_on,
                          meeting.starts_at, meeting.ends_at, meeting.venue,
                          meeting.is_funding_round, meeting.version,
                          meeting.decisions_confirmed_on, meeting.minutes_approved_on,
                          meeting.chaired_by, day.opened, day.message)


def meetings_of(session: Session, cluster_id: int) -> list[Meeting]:
    return list(session.exec(select(Meeting).where(Meeting.cluster_id == cluster_id)
                             .order_by(col(Meeting.held_on))).all())


def next_meeting_after(session: Session, meeting: Meeting) -> Meeting | None:
    return next_meeting(session, meeting.cluster_id, meeting.held_on + timedelta(days=1))


def previous_meeting(session: Session, meeting: Meeting) -> Meeting | None:
    return session.exec(select(Meeting).where(Meeting.cluster_id == meeting.cluster_id,
                                              Meeting.held_on < meeting.held_on)
                        .order_by(col(Meeting.held_on).desc()).limit(1)).first()


def attendance_rows(session: Session, meeting_id: int) -> list[Attendance]:
    return list(session.exec(select(Attendance).where(Attendance.meeting_id == meeting_id)
                             .order_by(col(Attendance.school_id), col(Attendance.capacity))).all())


def meeting_quorum(session: Session, meeting: Meeting) -> Quorum:
    cluster = session.get(Cluster, meeting.cluster_id)
    fraction = cluster.quorum_fraction if cluster else 2 / 3
    marks = [(a.school_id, a.capacity, a.present)
             for a in attendance_rows(session, meeting.id or 0)]
    return quorum_of(school_names(session, meeting.cluster_id, active_only=True), marks, fraction)


def require_quorum(session: Session, meeting: Meeting) -> Quorum:
    quorum = meeting_quorum(session, meeting)
    if not quorum.quorate:
        raise InvalidInput("Quorum", quorum.message)
    return quorum


def require_meeting_open(session: Session, meeting: Meeting) -> None:
    """A closed (rolled-over) year keeps its meetings as they were held."""
    require_year_open(session, meeting.cluster_id, meeting.academic_year)


def require_decisions_open(meeting: Meeting) -> None:
    if meeting.decisions_confirmed_on is not None:
        raise InvalidInput("Decisions", f"the {meeting.half_term} meeting's decisions were "
                           f"confirmed on {format_date(meeting.decisions_confirmed_on)} and are "
                           "the record now; a school may ask for a reconsideration")


def meeting_to_record(session: Session, actor: Actor, meeting_id: int, doing: str) -> Meeting:
    """The meeting whose record is written now: in the actor's cluster, its year still open, its
    day come (or opened early), its decisions not yet confirmed. `doing` names the refused act."""
    meeting = meeting_in_cluster(session, actor, meeting_id)
    require_meeting_open(session, meeting)
    require_meeting_day(meeting, doing)
    require_decisions_open(meeting)
    return meeting


def minutes_window(meeting: Meeting) -> Permission:
    """Minutes record a meeting that has happened: none exist before it opens."""
    day = meeting_day(meeting)
    if day.opened:
        return True, ""
    return False, (f"The minutes of the {meeting.half_term} meeting exist once it is held, on "
                   f"{format_date(meeting.held_on)}.")

"""Attendance at a meeting and the quorum the cluster sets.

For each school: headteacher, SENCO and governor, each present, absent with apologies, or absent.
A school is represented when its headteacher or SENCO is present; the meeting is quorate when at
least the cluster's fraction of its schools is represented (default two-thirds). Without quorum
the meeting can discuss but not decide: the decision services refuse, and say why.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.scope import cluster_of, meeting_in_cluster
from cluster.core.versioning import check_not_stale
from cluster.meetings.context import (
    MeetingSummary,
    attendance_rows,
    meeting_quorum,
    meeting_to_record,
    summary_of,
)
from cluster.meetings.rules import (
    ATTENDANCE_CHOICES,
    CAPACITIES,
    CAPACITY_LABELS,
    Quorum,
    fraction_words,
    schools_needed,
)
from cluster.models import Attendance, AttendanceStatus, Cluster, Meeting, Role, User
from cluster.people.schools import school_names

Seat = tuple[int, str]  # (school id, capacity)


@dataclass(frozen=True)
class AttendanceLine:
    school_id: int
    school_name: str
    capacity: str
    status: str  # present, apologies, absent
    version: int  # 0 when not taken yet
    person: str  # the name on the school's account for this role, when there is one

    @property
    def capacity_label(self) -> str:
        return CAPACITY_LABELS[self.capacity]

    @property
    def status_label(self) -> str:
        return AttendanceStatus.label_of(self.status)


@dataclass(frozen=True)
class AttendanceSheet:
    meeting: MeetingSummary
    lines: tuple[AttendanceLine, ...]
    quorum: Quorum
    quorum_fraction: float
    cluster_version: int
    locked: bool  # decisions confirmed: the record of who was there stays as it was

    def drawn(self) -> dict[Seat, int]:
        return {(line.school_id, line.capacity): line.version for line in self.lines}

    @property
    def taken(self) -> bool:
        """Whether the register has been saved at least once for this meeting."""
        return any(line.version for line in self.lines)

    def status_of(self, school_id: int, capacity: str) -> str:
        return next((line.status for line in self.lines
                     if line.school_id == school_id and line.capacity == capacity),
                    AttendanceStatus.ABSENT)


@dataclass(frozen=True)
class AttendanceMark:
    school_id: int
    capacity: str
    status: str


def status_of_row(row: Attendance | None) -> str:
    if row is None:
        return AttendanceStatus.ABSENT
    if row.present:
        return AttendanceStatus.PRESENT
    return AttendanceStatus.APOLOGIES if row.apologies else AttendanceStatus.ABSENT


def _people(session: Session, cluster_id: int) -> dict[Seat, str]:
    """Names on the school accounts: headteacher and SENCO by title, a school's governor."""
    people: dict[Seat, str] = {}
    users = session.exec(select(User).where(User.cluster_id == cluster_id)).all()
    for user in users:
        if user.school_id is None or not user.active:
            continue
        title = user.title.lower()
        if user.role == Role.GOVERNOR:
            people.setdefault((user.school_id, "governor"), user.display_name)
        elif user.role == Role.SCHOOL and "head" in title:
            people.setdefault((user.school_id, "headteacher"), user.display_name)
        elif user.role == Role.SCHOOL and "senco" in title:
            people.setdefault((user.school_id, "senco"), user.display_name)
    return people


def lines_in(session: Session, meeting: Meeting) -> tuple[AttendanceLine, ...]:
    """The register: every active school, each capacity, absent until marked."""
    schools = school_names(session, meeting.cluster_id, active_only=True)
    rows = {(a.school_id, a.capacity): a for a in attendance_rows(session, meeting.id or 0)}
    people = _people(session, meeting.cluster_id)
    return tuple(
        AttendanceLine(school_id, name, capacity, status_of_row(rows.get((school_id, capacity))),
                       rows[(school_id, capacity)].version if (school_id, capacity) in rows else 0,
                       people.get((school_id, capacity), ""))
        for school_id, name in schools.items() for capacity in CAPACITIES)


def sheet_in(session: Session, actor: Actor, meeting_id: int) -> AttendanceSheet:
    meeting = meeting_in_cluster(session, actor, meeting_id)
    cluster = session.get(Cluster, meeting.cluster_id)
    assert cluster is not None
    return AttendanceSheet(summary_of(meeting), lines_in(session, meeting),
                           meeting_quorum(session, meeting), cluster.quorum_fraction,
                           cluster.version, meeting.decisions_confirmed_on is not None)


def attendance_sheet(engine: Engine, actor: Actor, meeting_id: int) -> AttendanceSheet:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return sheet_in(session, actor, meeting_id)


@audit.mutating("record_attendance")
def record_attendance(engine: Engine, actor: Actor, meeting_id: int,
                      marks: Sequence[AttendanceMark], *,
                      drawn: Mapping[Seat, int]) -> AttendanceSheet:
    """Saves the register in one transaction. A seat someone else changed since the screen was
    drawn refuses the whole save, naming it."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_to_record(session, actor, meeting_id, "Attendance is taken")
        schools = school_names(session, meeting.cluster_id, active_only=True)
        rows = {(a.school_id, a.capacity): a for a in attendance_rows(session, meeting_id)}
        _refuse_stale_seats(session, rows, drawn, schools)
        for mark in marks:
            _check_mark(mark, schools)
            row = rows.get((mark.school_id, mark.capacity))
            before = status_of_row(row)
            if before == mark.status:
                continue
            if row is None:
                row = Attendance(meeting_id=meeting_id, school_id=mark.school_id,
                                 capacity=mark.capacity)
            row.present = mark.status == AttendanceStatus.PRESENT
            row.apologies = mark.status == AttendanceStatus.APOLOGIES
            session.add(row)
            session.flush()
            audit.record(session, actor, "record_attendance", entity="attendance",
                         entity_id=row.id, before={"status": before},
                         after={"status": mark.status, "meeting_id": meeting_id,
                                "school_id": mark.school_id, "capacity": mark.capacity})
        session.flush()
        return sheet_in(session, actor, meeting_id)


def _check_mark(mark: AttendanceMark, schools: Mapping[int, str]) -> None:
    if mark.school_id not in schools:
        raise InvalidInput("School", "that school is not an active school of this cluster")
    if mark.capacity not in CAPACITIES:
        raise InvalidInput("Capacity", "choose headteacher, SENCO or governor")
    if mark.status not in ATTENDANCE_CHOICES:
        raise InvalidInput("Attendance", "choose present, apologies or absent")


def _refuse_stale_seats(session: Session, rows: Mapping[Seat, Attendance],
                        drawn: Mapping[Seat, int], schools: Mapping[int, str]) -> None:
    changes = []
    who = None
    for seat, version in drawn.items():
        row = rows.get(seat)
        now = row.version if row is not None else 0
        if now != version:
            school, capacity = seat
            changes.append(f"{schools.get(school, 'a school')} {CAPACITY_LABELS[capacity]}: now "
                           f"{AttendanceStatus.label_of(status_of_row(row)).lower()}")
            if row is not None and row.id is not None:
                who = who or last_change_by(session, "attendance", row.id)
    if changes:
        raise StaleEdit(changes, who)


@audit.mutating("set_quorum")
def set_quorum_fraction(engine: Engine, actor: Actor, fraction: float, *,
                        expected_version: int) -> float:
    """The cluster's quorum rule: the share of its schools that must be represented."""
    require(can_manage_cluster(actor))
    if not 0.5 <= fraction <= 1:
        raise InvalidInput("Quorum", "set between 50% and 100% of schools: fewer than half "
                           "would let a minority of schools decide for the cluster")
    with write_session(engine) as session:
        cluster = cluster_of(session, actor)
        check_not_stale(session, cluster, expected_version=expected_version,
                        drawn_from={}, entity="cluster")
        before = cluster.quorum_fraction
        cluster.quorum_fraction = float(fraction)
        session.add(cluster)
        audit.record(session, actor, "set_quorum", entity="cluster", entity_id=cluster.id,
                     before={"quorum_fraction": before},
                     after={"quorum_fraction": cluster.quorum_fraction})
        return cluster.quorum_fraction


def quorum_words(fraction: float, schools: int) -> str:
    needed = schools_needed(schools, fraction)
    return f"{fraction_words(fraction)} of schools ({needed} of {schools})"

"""The host's view of a meeting as a whole: which meeting, and where it stands (attendance taken,
quorate, decisions confirmed, minutes drafted or approved). The agenda items each have their own
service (attendance, decisions, actions, minutes, urgent)."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.engine import Engine

from cluster.common.calendar import academic_year_of
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.scope import cluster_of, meeting_in_cluster
from cluster.meetings.context import (
    MeetingSummary,
    meeting_quorum,
    meetings_of,
    previous_meeting,
    summary_of,
)
from cluster.meetings.record import reviews_due_in, urgent_for
from cluster.meetings.rules import Quorum
from cluster.models import UrgentStatus
from cluster.year.schedule import next_or_latest


@dataclass(frozen=True)
class MeetingChoices:
    cluster_name: str
    meetings: tuple[MeetingSummary, ...]
    default_id: int | None


@dataclass(frozen=True)
class MeetingOverview:
    meeting: MeetingSummary
    quorum: Quorum
    previous: MeetingSummary | None
    reviews_due: int
    urgent_to_ratify: int
    minutes_saved: bool


def meeting_choices(engine: Engine, actor: Actor) -> MeetingChoices:
    """Last year's meetings onwards; the next meeting from today is chosen first."""
    require(can_manage_cluster(actor))
    since = academic_year_of(today()).start_year - 1
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        meetings = [m for m in meetings_of(session, cluster.id or 0) if m.academic_year >= since]
        default = next_or_latest(meetings, today())
        return MeetingChoices(cluster.name, tuple(summary_of(m) for m in meetings),
                              default.id if default else None)


def meeting_overview(engine: Engine, actor: Actor, meeting_id: int) -> MeetingOverview:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        previous = previous_meeting(session, meeting)
        return MeetingOverview(
            summary_of(meeting), meeting_quorum(session, meeting),
            summary_of(previous) if previous else None, len(reviews_due_in(session, meeting)),
            sum(1 for u in urgent_for(session, meeting) if u.status == UrgentStatus.AGREED),
            bool(meeting.minutes_md.strip()))

"""Minutes: drafted from what was recorded, edited by the host, approved at the next meeting and
then locked.

The draft is Markdown (headings, tables, bullets) so the host edits plain text and the papers
render the same text as PDF and Word. Approval is a decision of the next meeting, so that meeting
must be quorate; once approved, the minutes cannot be changed by anyone.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.common.calendar import format_date
from cluster.common.meeting_day import held_or_today, require_meeting_day
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import Actor, Permission, can_manage_cluster, require
from cluster.core.scope import meeting_in_cluster
from cluster.core.versioning import check_not_stale
from cluster.meetings.context import (
    MeetingSummary,
    next_meeting_after,
    previous_meeting,
    require_meeting_open,
    require_quorum,
    summary_of,
)
from cluster.meetings.issue import issue_minutes
from cluster.meetings.minutes_text import draft_minutes_text
from cluster.models import Meeting
from cluster.people.users import staff_names

MAX_MINUTES_CHARACTERS = 60_000


@dataclass(frozen=True)
class MinutesState:
    meeting: MeetingSummary
    text: str  # what is saved ("" while nothing is)
    draft_from_record: str  # what the record gives now
    version: int
    approved_on: date | None
    approved_at: str  # the meeting that approved them, in words
    next_meeting: MeetingSummary | None  # where they are to be approved
    can_edit: Permission
    previous: MeetingSummary | None  # the last meeting, whose minutes this one approves
    previous_approved_on: date | None
    previous_has_minutes: bool

    @property
    def locked(self) -> bool:
        return self.approved_on is not None

    @property
    def shown(self) -> str:
        return self.text or self.draft_from_record

    @property
    def status_line(self) -> str:
        if self.approved_on is not None:
            return f"Approved {self.approved_at}; locked."
        where = (f"at the {self.next_meeting.title} on {format_date(self.next_meeting.held_on)}"
                 if self.next_meeting else "at the next meeting")
        return f"Draft: to be approved {where}."

    def drawn_from(self) -> dict[str, object]:
        return {"minutes_md": self.text}


# --- services -------------------------------------------------------------------------------------


def _state(session: Session, meeting: Meeting) -> MinutesState:
    following = next_meeting_after(session, meeting)
    previous = previous_meeting(session, meeting)
    approved_at = ""
    if meeting.minutes_approved_on is not None:
        approved_at = (f"at the {following.half_term} meeting on "
                       f"{format_date(meeting.minutes_approved_on)}"
                       if following else f"on {format_date(meeting.minutes_approved_on)}")
    can_edit: Permission = (True, "")
    if meeting.minutes_approved_on is not None:
        can_edit = (False, f"The minutes were approved {approved_at} and are locked.")
    return MinutesState(summary_of(meeting), meeting.minutes_md,
                        draft_minutes_text(session, meeting),
                        meeting.version, meeting.minutes_approved_on, approved_at,
                        summary_of(following) if following else None, can_edit,
                        summary_of(previous) if previous else None,
                        previous.minutes_approved_on if previous else None,
                        bool(previous and previous.minutes_md.strip()))


def minutes_state(engine: Engine, actor: Actor, meeting_id: int) -> MinutesState:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return _state(session, meeting_in_cluster(session, actor, meeting_id))


def _refuse_locked(meeting: Meeting) -> None:
    if meeting.minutes_approved_on is not None:
        raise InvalidInput("Minutes", f"the {meeting.half_term} minutes were approved on "
                           f"{format_date(meeting.minutes_approved_on)} and are locked")


@audit.mutating("save_minutes")
def save_minutes(engine: Engine, actor: Actor, meeting_id: int, text: str, *,
                 expected_version: int, drawn_from: Mapping[str, object],
                 confirmed_not_names: ConfirmedNames = False) -> MinutesState:
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        # The draft is written from the record, naming staff through their accounts.
        confirmed = require_clean_text("Minutes", text, MAX_MINUTES_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names,
                                       known_people=staff_names(session, actor.cluster_id))
        meeting = meeting_in_cluster(session, actor, meeting_id)
        _refuse_locked(meeting)
        require_meeting_open(session, meeting)
        require_meeting_day(meeting, "Minutes are written")
        _not_stale(session, meeting, expected_version, drawn_from)
        before = meeting.minutes_md
        meeting.minutes_md = text.strip() + "\n" if text.strip() else ""
        session.add(meeting)
        session.flush()
        record_confirmation(session, actor, confirmed, entity="meeting", entity_id=meeting.id)
        audit.record(session, actor, "save_minutes", entity="meeting", entity_id=meeting.id,
                     before={"minutes_md": before}, after={"minutes_md": meeting.minutes_md},
                     text_fields=frozenset({"minutes_md"}))
        return _state(session, meeting)


def _not_stale(session: Session, meeting: Meeting, expected_version: int,
               drawn_from: Mapping[str, object]) -> None:
    """Minutes are long text: a stale save names them as rewritten rather than quoting them."""
    if meeting.version == expected_version:
        return
    changes = []
    if drawn_from.get("minutes_md", meeting.minutes_md) != meeting.minutes_md:
        changes.append("minutes: rewritten")
    raise StaleEdit(changes, last_change_by(session, "meeting", meeting.id or 0))


@audit.mutating("approve_minutes")
def approve_minutes(engine: Engine, actor: Actor, meeting_id: int, *, at_meeting_id: int,
                    expected_version: int) -> MinutesState:
    """The next meeting approves the minutes of the one before it; then they are locked."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        _refuse_locked(meeting)
        at = meeting_in_cluster(session, actor, at_meeting_id)
        following = next_meeting_after(session, meeting)
        if following is None or following.id != at.id:
            raise InvalidInput("Minutes", "minutes are approved at the next meeting after the one "
                               "they record")
        require_meeting_open(session, at)
        require_meeting_day(at, "Minutes are approved")
        require_quorum(session, at)
        check_not_stale(session, meeting, expected_version=expected_version, drawn_from={},
                        entity="meeting")
        if not meeting.minutes_md.strip():
            raise InvalidInput("Minutes", f"the {meeting.half_term} minutes are not drafted yet")
        meeting.minutes_approved_on = held_or_today(at)
        session.add(meeting)
        session.flush()
        issue_minutes(session, meeting, actor.display_name)  # the record, as approved
        audit.record(session, actor, "approve_minutes", entity="meeting", entity_id=meeting.id,
                     before={"minutes_approved_on": None},
                     after={"minutes_approved_on": meeting.minutes_approved_on,
                            "approved_at_meeting_id": at.id})
        return _state(session, meeting)


@audit.mutating("redraft_minutes")
def redraft_minutes(engine: Engine, actor: Actor, meeting_id: int, *,
                    expected_version: int) -> MinutesState:
    """Replaces the draft with a fresh one from what is recorded now."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        _refuse_locked(meeting)
        require_meeting_open(session, meeting)
        require_meeting_day(meeting, "Minutes are written")
        check_not_stale(session, meeting, expected_version=expected_version, drawn_from={},
                        entity="meeting")
        meeting.minutes_md = draft_minutes_text(session, meeting)
        session.add(meeting)
        session.flush()
        audit.record(session, actor, "redraft_minutes", entity="meeting", entity_id=meeting.id,
                     after={"minutes_md": "redrafted"}, text_fields=frozenset({"minutes_md"}))
        return _state(session, meeting)

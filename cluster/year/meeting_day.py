"""The host opens a meeting early, with the reason on the record; the rule itself (when a
meeting is held) is `cluster.common.meeting_day`, shared by funding, outcomes and meetings."""

from __future__ import annotations

from sqlalchemy.engine import Engine

from cluster.common.meeting_day import (
    MAX_REASON_CHARACTERS,
    OPEN_EARLY_DAYS,
    MeetingDay,
    check_open_early,
    has_opened,
    held_or_today,
    meeting_day,
    require_meeting_day,
)
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import write_session
from cluster.core.errors import NotOpenToYou
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.versioning import check_not_stale
from cluster.models import Meeting

__all__ = ["MAX_REASON_CHARACTERS", "OPEN_EARLY_DAYS", "MeetingDay", "has_opened",
           "held_or_today", "meeting_day", "open_meeting_early", "require_meeting_day"]


@audit.mutating("open_meeting_early")
def open_meeting_early(engine: Engine, actor: Actor, meeting_id: int, reason: str, *,
                       expected_version: int,
                       confirmed_not_names: ConfirmedNames = False) -> MeetingDay:
    """The host opens a meeting before its date, with the reason on the record."""
    require(can_manage_cluster(actor))
    on = today()
    with write_session(engine) as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.cluster_id != actor.cluster_id:
            raise NotOpenToYou("meeting", meeting_id)
        check_not_stale(session, meeting, expected_version=expected_version, drawn_from={},
                        entity="meeting")
        check_open_early(meeting, on, reason)
        confirmed = require_clean_text("Reason", reason, MAX_REASON_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names)
        before = {"opened_early_on": meeting.opened_early_on,
                  "opened_early_reason": meeting.opened_early_reason}
        meeting.opened_early_on, meeting.opened_early_reason = on, reason.strip()
        session.add(meeting)
        session.flush()
        record_confirmation(session, actor, confirmed, entity="meeting", entity_id=meeting.id)
        audit.record(session, actor, "open_meeting_early", entity="meeting",
                     entity_id=meeting.id, before=before,
                     after={"opened_early_on": on,
                            "opened_early_reason": meeting.opened_early_reason},
                     text_fields=frozenset({"opened_early_reason"}))
        return meeting_day(meeting, on)

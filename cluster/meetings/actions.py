"""Actions agreed at a meeting: what, who, by when, and done or not.

Matters arising: the actions of earlier meetings still open are shown beside this meeting's, so the
host can tick them off. Adding actions to a meeting whose minutes are approved is refused (the
minutes are locked); ticking an old action done is always allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine

from cluster.common.calendar import format_date
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_texts
from cluster.core import audit
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotOpenToYou
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.scope import meeting_in_cluster
from cluster.core.versioning import check_not_stale
from cluster.meetings.context import MeetingSummary, summary_of
from cluster.meetings.record import (
    RecordedAction,
    actions_for,
    meeting_label,
    open_actions_before,
)
from cluster.models import Action, Meeting

MAX_DESCRIPTION = 500
MAX_OWNER = 120


@dataclass(frozen=True)
class MeetingActions:
    meeting: MeetingSummary
    agreed_here: tuple[RecordedAction, ...]
    still_open: tuple[RecordedAction, ...]  # from earlier meetings


def meeting_actions(engine: Engine, actor: Actor, meeting_id: int) -> MeetingActions:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        return MeetingActions(summary_of(meeting), tuple(actions_for(session, meeting)),
                              tuple(open_actions_before(session, meeting)))


def _checked(description: str, owner: str, confirmed_not_names: ConfirmedNames
             ) -> tuple[str, str, tuple[str, ...]]:
    """The action and its owner as stored, and the fields whose words the writer confirmed are
    not a person's name. A typed owner's name is asked about like any name: staff appear
    through their roles or accounts."""
    description, owner = description.strip(), owner.strip()
    if not description:
        raise InvalidInput("Action", "say what is to be done")
    if not owner:
        raise InvalidInput("Owner", "say who will do it (a name or a role)")
    confirmed = require_clean_texts([("Action", description, MAX_DESCRIPTION),
                                     ("Owner", owner, MAX_OWNER)],
                                    confirmed_not_names=confirmed_not_names)
    return description, owner, confirmed


@audit.mutating("add_action")
def add_action(engine: Engine, actor: Actor, meeting_id: int, description: str, owner: str,
               due_on: date, *, confirmed_not_names: ConfirmedNames = False) -> RecordedAction:
    require(can_manage_cluster(actor))
    description, owner, confirmed = _checked(description, owner, confirmed_not_names)
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        if meeting.minutes_approved_on is not None:
            raise InvalidInput("Action", f"the {meeting.half_term} minutes were approved on "
                               f"{format_date(meeting.minutes_approved_on)}; agree new actions "
                               "at the current meeting")
        if due_on < meeting.held_on:
            raise InvalidInput("Due date", "an action falls due after the meeting that agreed it")
        action = Action(meeting_id=meeting_id, description=description, owner=owner, due_on=due_on)
        session.add(action)
        session.flush()
        record_confirmation(session, actor, confirmed, entity="action", entity_id=action.id)
        audit.record(session, actor, "add_action", entity="action", entity_id=action.id,
                     after={"meeting_id": meeting_id, "description": description, "owner": owner,
                            "due_on": due_on}, text_fields=frozenset({"description", "owner"}))
        return _recorded(action, meeting)


def _recorded(action: Action, meeting: Meeting) -> RecordedAction:
    return RecordedAction(action.id or 0, meeting_label(meeting), action.description, action.owner,
                          action.due_on, action.done, action.version)


@audit.mutating("set_action_done")
def set_action_done(engine: Engine, actor: Actor, action_id: int, done: bool, *,
                    expected_version: int) -> RecordedAction:
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        action = session.get(Action, action_id)
        meeting = session.get(Meeting, action.meeting_id) if action else None
        if action is None or meeting is None or meeting.cluster_id != actor.cluster_id:
            raise NotOpenToYou("action", action_id)
        check_not_stale(session, action, expected_version=expected_version,
                        drawn_from={"done": not done}, entity="action")
        before = action.done
        action.done = done
        session.add(action)
        session.flush()
        audit.record(session, actor, "set_action_done", entity="action", entity_id=action.id,
                     before={"done": before}, after={"done": done})
        return _recorded(action, meeting)

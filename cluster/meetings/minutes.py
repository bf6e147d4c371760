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
from sqlmodel import Session, select

from cluster.common.calendar import format_date
from cluster.common.meeting_day import held_or_today, require_meeting_day
from cluster.common.money import format_pounds
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import Actor, Permission, can_manage_cluster, require
from cluster.core.versioning import check_not_stale
from cluster.meetings.context import (
    MeetingSummary,
    meeting_in_cluster,
    next_meeting_after,
    previous_meeting,
    require_meeting_open,
    require_quorum,
    summary_of,
)
from cluster.meetings.record import MeetingRecord, meeting_record
from cluster.meetings.rules import ATTENDANCE_LABELS, CAPACITIES
from cluster.models import Meeting, User
from cluster.requests.visibility import withheld_title

MAX_MINUTES_CHARACTERS = 60_000
# Every school reads the members' minutes. For a request whose consent to sharing is not recorded
# they follow the request's own rule (`readable_parts`): the kind and area stand in for its title,
# and the reasons, conditions and urgent notes, written about the pupil, are left out. The
# decision, the amounts, how it was decided and the review dates stay: they are the record.
REASONS_NOT_SHARED = ("Reasons are recorded with the request and sent to its school; consent to "
                      "share this pupil's details with other schools is not recorded.")


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


# --- the draft, from the record -------------------------------------------------------------------


def _table(headers: list[str], rows: list[list[str]]) -> list[str]:
    def clean(cell: str) -> str:
        return cell.replace("|", "/").replace("\n", " ")

    return (["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
            + ["| " + " | ".join(clean(c) for c in row) + " |" for row in rows] + [""])


def minutes_from_record(record: MeetingRecord) -> str:
    m = record.meeting
    chairs = record.chairs
    lines = [f"# Minutes: {m.title}, {format_date(m.held_on)}", "",
             f"{record.cluster_name}. Held at {m.venue or 'online'}, {m.starts_at}-{m.ends_at}. "
             f"Chair: {chairs.host_name} (cluster SEN host)."]
    if record.chaired_items:
        items = ", ".join(f"request {d.request_id}" for d in record.chaired_items)
        lines[-1] += f" {chairs.deputy_name} (deputy host) chaired {items}."
    if m.opened and m.day_note:  # opened before its date: the reason is part of the record
        lines += ["", m.day_note]
    lines += ["", "## 1. Attendance and apologies", "", record.quorum.message, ""]
    by_school: dict[str, dict[str, str]] = {}
    for line in record.attendance:
        by_school.setdefault(line.school_name, {})[line.capacity] = ATTENDANCE_LABELS[line.status]
    lines += _table(["School", "Headteacher", "SENCO", "Governor"],
                    [[school, *[seats.get(c, "Absent") for c in CAPACITIES]]
                     for school, seats in by_school.items()])
    lines += ["## 2. Declarations of interest", ""]
    conflicts = [d for d in record.decisions if d.stood_aside and not d.from_reserve]
    lines += [f"- {', '.join(d.stood_aside)}: its members stood aside on request {d.request_id}; "
              f"{d.chair} chaired it." for d in conflicts] or ["- None declared."]
    lines += ["", "## 3. Minutes of the last meeting", ""]
    if record.previous is None:
        lines.append("This was the cluster's first meeting.")
    elif record.previous.minutes_approved_on is not None:
        lines.append(f"The minutes of the {record.previous.title} on "
                     f"{format_date(record.previous.held_on)} were approved as a true record.")
    else:
        lines.append(f"The minutes of the {record.previous.title} on "
                     f"{format_date(record.previous.held_on)} are to be approved.")
    if record.budget is not None:
        lines += ["", "## 4. Budget position", ""]
        lines += _table(["", "Amount"], [[label, format_pounds(pence)]
                                         for label, pence in record.budget.lines()])
    lines += _decision_lines(record)
    lines += _urgent_lines(record)
    if record.reviews_due:
        lines += ["## 7. Reviews due at this meeting", ""]
        lines += _table(["Request", "School", "Award", "Status"],
                        [[str(r.request_id), r.school_name, format_pounds(r.agreed_pence),
                          r.status] for r in record.reviews_due])
    lines += ["## 8. Actions", ""]
    lines += _table(["Action", "Owner", "Due", "Done"],
                    [[a.description, a.owner, format_date(a.due_on), "yes" if a.done else "no"]
                     for a in record.actions]) if record.actions else ["- None agreed.", ""]
    return "\n".join(lines).rstrip() + "\n"


def _decision_lines(record: MeetingRecord) -> list[str]:
    decisions = [d for d in record.decisions if not d.from_reserve]
    if not decisions:
        return []
    lines = ["", "## 5. Decisions", ""]
    lines += _table(["Request", "School", "Asked", "Suggested", "Agreed", "Decision", "Chair"],
                    [[str(d.request_id), d.school_name, format_pounds(d.asked_pence),
                      format_pounds(d.suggested_pence) if d.suggested_pence is not None else "-",
                      format_pounds(d.agreed_pence), d.decision_label, d.chair]
                     for d in decisions])
    lines.append(f"Agreed in total: {format_pounds(sum(d.agreed_pence for d in decisions))}.")
    lines.append("")
    for d in decisions:
        title = d.title if d.shareable else withheld_title(d.kind, d.main_area)
        text = (f"- **Request {d.request_id}, {d.school_name}: {title}.** "
                f"{d.decision_label}, {format_pounds(d.agreed_pence)}")
        text += f" for {d.terms} term(s)" if d.agreed_pence else ""
        text += f", by {d.how_decided}. "
        if d.shareable:
            text += f"Reason: {d.reason} " if d.reason else ""
            text += f"Why shorter than asked: {d.length_reason} " if d.length_reason else ""
            text += f"Conditions: {d.conditions} " if d.conditions else ""
        elif d.reason or d.length_reason or d.conditions:
            text += f"{REASONS_NOT_SHARED} "
        if d.reviews:
            text += "Reviews: " + "; ".join(label for _, label in d.reviews) + ". "
        text += (f"Decided by {len(d.deciding)} school(s); {', '.join(d.stood_aside)} stood "
                 "aside.")
        lines.append(text)
    return lines + [""]


def _urgent_lines(record: MeetingRecord) -> list[str]:
    if not record.urgent:
        return []
    lines = ["## 6. Urgent decisions since the last meeting", ""]
    for u in record.urgent:
        state = {"ratified": "Ratified", "not_ratified": "Not ratified"}.get(u.status, "To ratify")
        reason = f"Reason: {u.reason}" if u.shareable else REASONS_NOT_SHARED
        lines.append(f"- Request {u.request_id}, {u.school_name}: {format_pounds(u.amount_pence)} "
                     f"from the emergency reserve, agreed by {u.proposed_by} and {u.agreed_by} "
                     f"on {format_date(u.agreed_on)}. {reason} {state}."
                     + (f" {u.note}" if u.note and u.shareable else ""))
    return lines + [""]


def draft_minutes_text(session: Session, meeting: Meeting) -> str:
    return minutes_from_record(meeting_record(session, meeting))


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
        staff = session.exec(select(User.display_name).where(
            User.cluster_id == actor.cluster_id)).all()
        confirmed = require_clean_text("Minutes", text, MAX_MINUTES_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names,
                                       known_people=staff)
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

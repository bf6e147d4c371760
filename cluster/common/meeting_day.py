"""When a meeting is held: the one rule every meeting action asks (pure: the host's service to
open a meeting early is `cluster.year.meeting_day.open_meeting_early`).

A meeting records attendance and decisions, confirms reviews and ratifies urgent decisions from its
day, never before (a round confirmed weeks early closes on requests still coming in). Schools still
draft reviews and the host still prepares the split before it. The host may open a meeting up to
`OPEN_EARLY_DAYS` days early with a written reason — a meeting moved forward at short notice —
and that opening is audited, shown on the meeting screen and in the minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from cluster.common.calendar import format_date
from cluster.core.clock import today
from cluster.core.errors import InvalidInput
from cluster.models import Meeting

OPEN_EARLY_DAYS = 7
MIN_REASON_CHARACTERS = 10
MAX_REASON_CHARACTERS = 500


@dataclass(frozen=True)
class MeetingDay:
    """Where a meeting stands against the calendar, for the screens."""

    held_on: date
    opened: bool
    opened_early_on: date | None
    opened_early_reason: str
    may_open_early_from: date

    @property
    def message(self) -> str:
        """One line for the meeting screen and the minutes."""
        if self.opened_early_on is not None and self.opened:
            return (f"Opened early on {format_date(self.opened_early_on)} (the meeting was "
                    f"dated {format_date(self.held_on)}): {self.opened_early_reason}")
        if self.opened:
            return ""
        return (f"The meeting is on {format_date(self.held_on)}: attendance, decisions, reviews "
                "and ratifications are recorded from that day. The host can open it up to "
                f"{OPEN_EARLY_DAYS} days early (from {format_date(self.may_open_early_from)}), "
                "giving a reason.")


def opened_early(meeting: Meeting) -> bool:
    """An early opening counts only while the meeting is still within a week of it (a meeting
    moved later afterwards has to be opened again)."""
    return (meeting.opened_early_on is not None
            and meeting.held_on - meeting.opened_early_on <= timedelta(days=OPEN_EARLY_DAYS))


def has_opened(meeting: Meeting, on: date | None = None) -> bool:
    day = on or today()
    return day >= meeting.held_on or (opened_early(meeting) and day >= (meeting.opened_early_on
                                                                        or meeting.held_on))


def meeting_day(meeting: Meeting, on: date | None = None) -> MeetingDay:
    return MeetingDay(meeting.held_on, has_opened(meeting, on),
                      meeting.opened_early_on if opened_early(meeting) else None,
                      meeting.opened_early_reason if opened_early(meeting) else "",
                      meeting.held_on - timedelta(days=OPEN_EARLY_DAYS))


def require_meeting_day(meeting: Meeting, doing: str) -> None:
    """Refuses `doing` (e.g. "Decisions are recorded") before the meeting has opened."""
    if has_opened(meeting):
        return
    raise InvalidInput("Meeting", f"{doing} at the {meeting.half_term} meeting from its day, "
                       f"{format_date(meeting.held_on)} (today is {format_date(today())}). The "
                       f"host can open it up to {OPEN_EARLY_DAYS} days early, giving a reason.")


def held_or_today(meeting: Meeting) -> date:
    """The date a record made at the meeting carries: its day, or today when it was opened
    early (a ratification is never dated in the future)."""
    return min(meeting.held_on, today())


def check_open_early(meeting: Meeting, on: date, reason: str) -> None:
    if on >= meeting.held_on:
        raise InvalidInput("Open early", f"the meeting's day, {format_date(meeting.held_on)}, has "
                           "come: it is open already")
    earliest = meeting.held_on - timedelta(days=OPEN_EARLY_DAYS)
    if on < earliest:
        raise InvalidInput("Open early", f"a meeting opens at most {OPEN_EARLY_DAYS} days early: "
                           f"this one from {format_date(earliest)}. If it has really moved, "
                           "change its date under Meetings")
    if len(reason.strip()) < MIN_REASON_CHARACTERS:
        raise InvalidInput("Reason", "say why the meeting opens early (for example: moved to "
                           "13/01 because of the snow closure)")

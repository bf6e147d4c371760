"""Who may read a request (DESIGN.md §2), decided here and nowhere else.

- The host reads every request of the cluster.
- A school reads its own requests in full, and a joint project it is a partner in.
- A school reads another school's request (pupils appear only by their pseudonymous references)
  only while it is on a meeting's agenda: from papers-out (7 days before the meeting) until that
  meeting's minutes are approved. Each such read is audited by the service.
- Governors and the LA adviser never read a request: they see aggregates only.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cluster.common.calendar import format_date
from cluster.core.permissions import Actor, Permission, can_read_pupil_level
from cluster.models import RequestStatus, Role
from cluster.year.deadlines import deadlines_for

# A request is on its meeting's agenda once submitted, until it is decided and minuted.
ON_AGENDA_STATUSES = frozenset({RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA,
                                RequestStatus.DECIDED})


@dataclass(frozen=True)
class Access:
    allowed: bool
    reason: str
    cross_school: bool = False  # a read of another school's request: audited


def request_access(actor: Actor, *, school_id: int, partner_school_ids: list[int], status: str,
                   meeting_held_on: date | None, minutes_approved_on: date | None,
                   on: date) -> Access:
    allowed, reason = can_read_pupil_level(actor)
    if not allowed:
        return Access(False, reason)
    if actor.role == Role.HOST:
        return Access(True, "")
    if actor.school_id == school_id or actor.school_id in partner_school_ids:
        return Access(True, "")
    window = agenda_window(status, meeting_held_on, minutes_approved_on)
    if window is None:
        return Access(False, "This request belongs to another school and is not on a meeting's "
                             "agenda, so it is not open to you.")
    opens, closes = window
    if on < opens:
        return Access(False, f"This request belongs to another school. Other schools can read it "
                             f"once the meeting papers go out on {format_date(opens)}.")
    if closes is not None and on > closes:
        return Access(False, "This request belongs to another school. Other schools could read it "
                             f"only until the meeting's minutes were approved on "
                             f"{format_date(closes)}.")
    return Access(True, "", cross_school=True)


def agenda_window(status: str, meeting_held_on: date | None,
                  minutes_approved_on: date | None) -> tuple[date, date | None] | None:
    """(papers out, minutes approved or None while they are not) for a request on an agenda."""
    if meeting_held_on is None or status not in ON_AGENDA_STATUSES:
        return None
    return deadlines_for(meeting_held_on).papers_out, minutes_approved_on


def can_draft_requests(actor: Actor | None) -> Permission:
    """Headteachers and SENCOs draft, submit and withdraw their own school's requests."""
    if actor is None:
        return False, "Please sign in first."
    if actor.role != Role.SCHOOL or actor.school_id is None:
        return False, ("Requests are made by a school's headteacher or SENCO, for their own "
                       "school.")
    return True, ""

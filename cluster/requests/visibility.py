"""Who may read a request (DESIGN.md §2), decided here and nowhere else.

- The host reads every request of the cluster.
- A school reads its own requests in full, and a joint project it is a partner in.
- A school reads another school's request (pupils appear only by their pseudonymous references)
  only while it is on a meeting's agenda: from papers-out (7 days before the meeting) until that
  meeting's minutes are approved. Each such read is audited by the service.
- What another school may read of it follows consent: where parent/carer consent to sharing is
  not recorded for the request and every pupil on it, other schools see only its kind, amount,
  area of need and need score, never its pupil-level text (`readable_parts`). The host and the
  request's own school (and a joint project's partners) always read it in full. The members'
  minutes, which every school reads, follow the same rule (`cluster.meetings.minutes`).
- Governors and the LA adviser never read a request: they see aggregates only.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from cluster.core.errors import not_open_words
from cluster.core.permissions import Actor, Permission, can_read_pupil_level
from cluster.models import RequestKind, RequestStatus, Role
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
    # Outside its agenda window another school's request is refused in the words a number that
    # does not exist gets: no owner, no dates, nothing that says it exists or when it opens.
    window = agenda_window(status, meeting_held_on, minutes_approved_on)
    if window is None:
        return Access(False, not_open_words("request"))
    opens, closes = window
    if on < opens or (closes is not None and on > closes):
        return Access(False, not_open_words("request"))
    return Access(True, "", cross_school=True)


def agenda_window(status: str, meeting_held_on: date | None,
                  minutes_approved_on: date | None) -> tuple[date, date | None] | None:
    """(papers out, minutes approved or None while they are not) for a request on an agenda."""
    if meeting_held_on is None or status not in ON_AGENDA_STATUSES:
        return None
    return deadlines_for(meeting_held_on).papers_out, minutes_approved_on


CONSENT_NOT_RECORDED = ("Consent to share this pupil's details with other schools is not "
                        "recorded, so only the kind, amount, area of need and need score are "
                        "shown.")


@dataclass(frozen=True)
class ReadableParts:
    """Which parts of a request a reader may see. `pupil_detail` False: only its kind, amount
    (asked, minimum, suggested, awarded), area of need and need score; no text the school wrote
    (title, need, profiles, references, year groups, outcomes, costed lines, voices, history
    notes, flags, the score's workings). `reason` says why, in words the reader can be shown."""

    pupil_detail: bool
    reason: str = ""


def consent_recorded(kind: str, request_consent: bool, pupil_consents: Sequence[bool]) -> bool:
    """Parent/carer consent to sharing, as the cluster's consent prerequisite asks for it: for
    every pupil on the request. A project buys capacity and lists no pupil, so it needs none."""
    if kind == RequestKind.PROJECT and not pupil_consents:
        return True
    return request_consent and bool(pupil_consents) and all(pupil_consents)


def readable_parts(actor: Actor, *, school_id: int, partner_school_ids: Sequence[int],
                   kind: str, consent_given: bool,
                   pupil_consents: Sequence[bool]) -> ReadableParts:
    """What `actor`, already allowed to read the request (`request_access`), may see of it."""
    if actor.role == Role.HOST:
        return ReadableParts(True)
    if actor.role == Role.SCHOOL and actor.school_id is not None \
            and (actor.school_id == school_id or actor.school_id in partner_school_ids):
        return ReadableParts(True)
    if actor.role == Role.SCHOOL and consent_recorded(kind, consent_given, pupil_consents):
        return ReadableParts(True)
    return ReadableParts(False, CONSENT_NOT_RECORDED)


def withheld_title(kind: str, main_area: str) -> str:
    """What stands in for the title the school wrote, when only the kind and area are shown."""
    return f"{RequestKind.label_of(kind)}: {main_area}"


def can_draft_requests(actor: Actor | None) -> Permission:
    """Headteachers and SENCOs draft, submit and withdraw their own school's requests."""
    if actor is None:
        return False, "Please sign in first."
    if actor.role != Role.SCHOOL or actor.school_id is None:
        return False, ("Requests are made by a school's headteacher or SENCO, for their own "
                       "school.")
    return True, ""

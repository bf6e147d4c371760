"""The plain data behind a meeting's papers; `toolkit/documents` lays it out as PDF, Word and Excel.

- Members' pack (host; a school from papers-out until the minutes are approved): agenda, budget
  position, each request with pseudonymous pupil details, need score and flags, the suggested split
  with reasons, the reviews due. Another school's request without consent to sharing shows only
  its kind, amounts, area of need and need score (`cluster.requests.visibility.readable_parts`).
- Governors' editions of the pack and the minutes (every role): aggregates only, figures about
  fewer than 5 pupils hidden with secondary suppression, and no pupil reference anywhere (host
  text that mentions one is left out).
- Minutes (host and schools): the minutes text, with whether it is a draft or approved. Every
  school reads them, so the draft gives a request without consent to sharing by its kind and
  area only, without the reasons written about the pupil (`cluster.meetings.minutes`).

Decision letters are in `cluster.meetings.letters`; the LA's allocations workbook in
`cluster.reporting.allocations`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import format_date
from cluster.common.money import pence_from_pounds
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput
from cluster.core.permissions import (
    ALL_ROLES,
    MEMBER_ROLES,
    Actor,
    Permission,
    can_manage_cluster,
    has_role,
    require,
)
from cluster.core.scope import cluster_of, meeting_in_cluster
from cluster.funding.ledger import (
    AVAILABLE,
    AWARDED_BEFORE,
    MONEY_FOR_ROUND,
    RELEASED_SO_FAR,
    RESERVE,
    governors_round,
    round_figures,
)
from cluster.meetings.context import (
    ConsideredRequest,
    MeetingPaper,
    MeetingSummary,
    meetings_of,
    minutes_window,
    next_meeting_after,
    pupil_lines,
    summary_of,
)
from cluster.meetings.grouped import GroupLine, group_lines, grouped
from cluster.meetings.letters import final_decisions, letters_permission
from cluster.meetings.minutes_text import draft_minutes_text
from cluster.meetings.minutes_year import DECISION_KINDS, decision_members, minutes_year
from cluster.meetings.record import (
    MeetingRecord,
    ReviewDueLine,
    meeting_record,
    pupil_references,
    reviews_due_in,
)
from cluster.meetings.rules import CAPACITIES
from cluster.meetings.split import accepted_split, meeting_suggestion
from cluster.models import (
    Cluster,
    Meeting,
    RequestKind,
    RequestPupil,
    RequestStatus,
    Role,
    School,
    SupportRequest,
    UrgentStatus,
)
from cluster.requests.need_score import need_band
from cluster.requests.visibility import ReadableParts, readable_parts, withheld_title
from cluster.year.deadlines import deadlines_for
from cluster.year.schedule import next_or_latest

WITHHELD = "(not in the governors' edition: it mentions a pupil)"


# --- plain data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackRequest(ConsideredRequest):
    withheld: str = ""  # why the pupil-level parts are left out for this reader ("" when not)

    @property
    def kind_label(self) -> str:
        return RequestKind.label_of(self.kind)

    @property
    def suggested_pence(self) -> int | None:
        return None if self.suggested_pounds is None else pence_from_pounds(self.suggested_pounds)


@dataclass(frozen=True)
class MembersPack(MeetingPaper):
    agenda_md: str
    budget_lines: tuple[tuple[str, int], ...]
    requests: tuple[PackRequest, ...]
    suggestion_words: str
    reviews_due: tuple[ReviewDueLine, ...]


@dataclass(frozen=True)
class GovernorsPack(MeetingPaper):
    agenda_md: str
    budget_lines: tuple[tuple[str, int | None], ...]
    areas: tuple[GroupLine, ...]
    total: GroupLine
    reviews_due: int | None


@dataclass(frozen=True)
class MinutesPaper(MeetingPaper):
    status_line: str
    body_md: str


@dataclass(frozen=True)
class GovernorsMinutes(MeetingPaper):
    status_line: str
    quorum: str
    attendance: tuple[tuple[str, str, str, str], ...]  # school, head, SENCO, governor
    decisions: tuple[GroupLine, ...]
    total: GroupLine
    urgent: int | None
    actions: tuple[tuple[str, str, str, str], ...]  # action, owner, due, done


@dataclass(frozen=True)
class PapersIndex:
    meetings: tuple[MeetingSummary, ...]
    meeting: MeetingSummary | None
    members_pack: Permission
    governors_pack: Permission
    minutes: Permission
    governors_minutes: Permission
    letters: Permission
    letter_schools: tuple[tuple[int, str], ...]
    allocations: Permission


# --- who may read what ----------------------------------------------------------------------------


def members_window(actor: Actor, meeting: Meeting) -> Permission:
    """A school reads the members' pack from papers-out until the minutes are approved."""
    if actor.role == Role.HOST:
        return True, ""
    if actor.role != Role.SCHOOL:
        return False, ("Governors and LA advisers read the governors' edition: figures for groups "
                       "of pupils only.")
    opens = deadlines_for(meeting.held_on).papers_out
    if today() < opens:
        return False, f"The members' papers go out on {format_date(opens)}."
    if meeting.minutes_approved_on is not None and today() > meeting.minutes_approved_on:
        return False, ("The members' papers were open until the minutes were approved on "
                       f"{format_date(meeting.minutes_approved_on)}.")
    return True, ""


def require_minutes(meeting: Meeting) -> Meeting:
    """Minutes record a meeting that has happened: none exist before it opens."""
    allowed, why = minutes_window(meeting)
    if not allowed:
        raise InvalidInput("Minutes", why)
    return meeting


def papers_index(engine: Engine, actor: Actor, meeting_id: int | None = None,
                 cluster_id: int | None = None) -> PapersIndex:
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        meetings = meetings_of(session, cluster.id or 0)
        chosen = next((m for m in meetings if m.id == meeting_id), None)
        if chosen is None:
            chosen = next_or_latest(meetings, today())
        if chosen is None:
            none_yet: Permission = (False, "No meetings yet.")
            return PapersIndex((), None, none_yet, none_yet, none_yet, none_yet, none_yet, (),
                               (False, ""))
        letters = letters_permission(actor, chosen)
        schools: tuple[tuple[int, str], ...] = ()
        if letters[0]:
            schools = tuple(sorted({(d.school_id, d.school_name) for d in final_decisions(
                session, chosen) if actor.role == Role.HOST or d.school_id == actor.school_id},
                key=lambda s: s[1]))
        return PapersIndex(
            tuple(summary_of(m) for m in meetings), summary_of(chosen),
            members_window(actor, chosen), (True, ""),
            minutes_window(chosen) if actor.role in MEMBER_ROLES else
            (False, "Governors read the governors' edition of the minutes."),
            minutes_window(chosen), letters, schools,
            can_manage_cluster(actor))


# --- the members' pack ----------------------------------------------------------------------------


def _parts(session: Session, actor: Actor, request: SupportRequest) -> ReadableParts:
    consents = session.exec(select(RequestPupil.consent_given).where(
        RequestPupil.request_id == request.id)).all()
    return readable_parts(actor, school_id=request.school_id,
                          partner_school_ids=list(request.partner_school_ids or []),
                          kind=request.kind, consent_given=request.consent_given,
                          pupil_consents=list(consents))


def _pack_requests(session: Session, actor: Actor, meeting: Meeting) -> list[PackRequest]:
    suggestion = meeting_suggestion(session, meeting) if meeting.is_funding_round else {}
    rows = session.exec(
        select(SupportRequest, School).join(School, col(School.id) == SupportRequest.school_id)
        .where(SupportRequest.meeting_id == meeting.id,
               col(SupportRequest.status).in_((RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA,
                                               RequestStatus.DECIDED)))
        .order_by(col(School.name), col(SupportRequest.id))).all()
    requests = []
    for request, school in rows:
        line = suggestion.get(request.id or 0)
        requests.append(PackRequest(
            request_id=request.id or 0, school_id=request.school_id, school_name=school.name,
            title=request.title, kind=request.kind, main_area=request.main_area,
            asked_pence=request.amount_pence, minimum_pence=request.minimum_pence,
            asked_terms=request.duration_terms, need_score=request.need_score,
            band=need_band(request), flags=tuple(request.flags or []),
            pupils=pupil_lines(session, request.id or 0), need_summary=request.need_summary,
            suggested_pounds=getattr(line, "suggested_pounds", None),
            suggestion_text=getattr(line, "explanation", "")))
        parts = _parts(session, actor, request)
        if not parts.pupil_detail:
            requests[-1] = replace(requests[-1], title=withheld_title(request.kind,
                                                                      request.main_area),
                                   flags=(), pupils=(), need_summary="", withheld=parts.reason)
    return requests


def _pack_reviews(session: Session, actor: Actor, meeting: Meeting) -> list[ReviewDueLine]:
    """Reviews due, with another school's request titled by kind and area where its pupil-level
    text is not open to this reader."""
    lines = []
    for line in reviews_due_in(session, meeting):
        request = session.get(SupportRequest, line.request_id)
        if request is not None and not _parts(session, actor, request).pupil_detail:
            line = replace(line, title=withheld_title(request.kind, request.main_area))
        lines.append(line)
    return lines


def _suggestion_words(session: Session, meeting: Meeting) -> str:
    if not meeting.is_funding_round:
        return ""
    accepted = accepted_split(session, meeting.id or 0)
    if accepted is not None:
        return (f"The suggested split the host accepted on {format_date(accepted.accepted_on)} "
                f"({accepted.objective.replace('_', ' ')}). {accepted.summary}")
    return ("The default suggested split: the most need met from the money for this round, with "
            "no floors, caps or locks.")


def audited_read(engine: Engine, actor: Actor, action: str, meeting_id: int) -> None:
    if actor.role == Role.HOST:
        return
    with write_session(engine) as session:
        audit.record(session, actor, action, entity="meeting", entity_id=meeting_id)


def build_members_pack(session: Session, reader: Actor, meeting: Meeting) -> MembersPack:
    """The members' pack as `reader` may read it (a school's copy withholds other schools'
    pupil-level text without consent)."""
    budget = round_figures(session, meeting) if meeting.is_funding_round else None
    cluster = session.get_one(Cluster, meeting.cluster_id)
    return MembersPack(cluster.name, summary_of(meeting), today(), meeting.agenda_md,
                       tuple(budget.lines()) if budget else (),
                       tuple(_pack_requests(session, reader, meeting)),
                       _suggestion_words(session, meeting),
                       tuple(_pack_reviews(session, reader, meeting)))


@audit.refusals_logged("read_members_pack")
def members_pack(engine: Engine, actor: Actor, meeting_id: int) -> MembersPack:
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        require(members_window(actor, meeting))
        pack = build_members_pack(session, actor, meeting)
    # Another school's requests, with pupil references: the read is on record.
    audited_read(engine, actor, "read_members_pack", meeting_id)
    return pack


# --- governors' editions --------------------------------------------------------------------------


def scrub(text: str, references: Iterable[str]) -> str:
    """Drops every line that mentions a pupil reference (the host's free text might)."""
    refs = [r for r in references if r]
    return "\n".join(line for line in text.splitlines()
                     if not any(ref.lower() in line.lower() for ref in refs))


def _request_pupils(session: Session, request: SupportRequest) -> int:
    named = len(session.exec(select(RequestPupil.id).where(
        RequestPupil.request_id == request.id)).all())
    return named or request.pupils_helped


def governors_pack(engine: Engine, actor: Actor, meeting_id: int) -> GovernorsPack:
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        return build_governors_pack(session, meeting_in_cluster(session, actor, meeting_id))


def build_governors_pack(session: Session, meeting: Meeting) -> GovernorsPack:
    cluster = session.get_one(Cluster, meeting.cluster_id)
    refs = pupil_references(session, meeting.cluster_id)
    areas, asked, suggested = pack_members(session, meeting)
    lines, total = grouped(areas, asked)
    second, second_total = grouped(areas, suggested)
    lines = [GroupLine(a.label, a.requests, a.pupils, a.first_pence, b.first_pence)
             for a, b in zip(lines, second, strict=True)]
    total = GroupLine(total.label, total.requests, total.pupils, total.first_pence,
                      second_total.first_pence)
    reviews = len(reviews_due_in(session, meeting))
    return GovernorsPack(cluster.name, summary_of(meeting), today(),
                         scrub(meeting.agenda_md, refs), _governor_budget(session, meeting),
                         tuple(lines), total, None if 0 < reviews < 5 else reviews)


Members = list[list[tuple[int, int, int]]]


def pack_members(session: Session, meeting: Meeting) -> tuple[list[str], Members, Members]:
    """The governors' pack's requests by area of need, (1 request, its pupils, £): asked, and
    suggested by the split (funding rounds only)."""
    requests = session.exec(select(SupportRequest).where(
        SupportRequest.meeting_id == meeting.id,
        col(SupportRequest.status).in_((RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA,
                                        RequestStatus.DECIDED)))).all()
    suggestion = meeting_suggestion(session, meeting) if meeting.is_funding_round else {}
    areas = sorted({r.main_area for r in requests})
    asked = [[(1, _request_pupils(session, r), r.amount_pence) for r in requests
              if r.main_area == area] for area in areas]
    suggested = [[(1, _request_pupils(session, r),
                   pence_from_pounds(
                       getattr(suggestion.get(r.id or 0), "suggested_pounds", 0) or 0))
                  for r in requests if r.main_area == area] for area in areas]
    return areas, asked, suggested


def _governor_budget(session: Session, meeting: Meeting) -> tuple[tuple[str, int | None], ...]:
    """A funding round's cluster totals; the money awarded before it (and so the money for the
    round) is hidden wherever Finance hides the awarded so far it equals."""
    if not meeting.is_funding_round:
        return ()
    budget, before = governors_round(session, meeting)
    return ((AVAILABLE, budget.available_pence),
            *budget.income_lines(),
            (RELEASED_SO_FAR, budget.released_so_far_pence),
            (AWARDED_BEFORE, before),
            (MONEY_FOR_ROUND, None if before is None else budget.money_for_round_pence),
            (RESERVE, budget.reserve.pence))


Minutes = TypeVar("Minutes", MinutesPaper, GovernorsMinutes)


def _read_minutes(engine: Engine, actor: Actor, meeting_id: int, readers: frozenset[str],
                  build: Callable[[Session, Meeting], Minutes]) -> Minutes:
    require(has_role(actor, readers))
    with read_session(engine) as session:
        return build(session, require_minutes(meeting_in_cluster(session, actor, meeting_id)))


@audit.refusals_logged("read_members_minutes")
def minutes_paper(engine: Engine, actor: Actor, meeting_id: int) -> MinutesPaper:
    """The members' minutes: the saved text, or a draft from the record while none is saved."""
    return _read_minutes(engine, actor, meeting_id, MEMBER_ROLES, build_minutes_paper)


def build_minutes_paper(session: Session, meeting: Meeting) -> MinutesPaper:
    cluster = session.get_one(Cluster, meeting.cluster_id)
    body = meeting.minutes_md.strip() or draft_minutes_text(session, meeting)
    return MinutesPaper(cluster.name, summary_of(meeting), today(),
                        _status_line(session, meeting), body)


def _status_line(session: Session, meeting: Meeting) -> str:
    if meeting.minutes_approved_on is not None:
        return f"Approved on {format_date(meeting.minutes_approved_on)}."
    following = next_meeting_after(session, meeting)
    where = (f"the {following.half_term} meeting on {format_date(following.held_on)}"
             if following else "the next meeting")
    return f"Draft: to be approved at {where}."


def governors_minutes(engine: Engine, actor: Actor, meeting_id: int) -> GovernorsMinutes:
    return _read_minutes(engine, actor, meeting_id, ALL_ROLES, build_governors_minutes)


def build_governors_minutes(session: Session, meeting: Meeting) -> GovernorsMinutes:
    return governors_minutes_of(session, meeting, meeting_record(session, meeting))


def governors_minutes_of(session: Session, meeting: Meeting,
                       record: MeetingRecord) -> GovernorsMinutes:
    headteacher, senco, governor = CAPACITIES
    seats: dict[str, dict[str, str]] = {}
    for line in record.attendance:
        seats.setdefault(line.school_name, {})[line.capacity] = line.status_label
    members = decision_members(record.decisions)
    # Hidden with the year's other minutes: their totals add up to the year's money awarded.
    shown, total_shown = minutes_year(session, meeting.cluster_id, meeting.academic_year).shown(
        meeting.id or 0, len(members))
    lines, total = group_lines([k.label for k in DECISION_KINDS], members, shown,
                               total_shown)
    refs = record.pupil_references
    actions = tuple(
        (a.description if scrub(a.description, refs) == a.description else WITHHELD, a.owner,
         format_date(a.due_on), "yes" if a.done else "no") for a in record.actions)
    urgent = urgent_agreed(record)
    return GovernorsMinutes(
        record.cluster_name, record.meeting, today(), _status_line(session, meeting),
        record.quorum.message,
        tuple((school, s.get(headteacher, "Absent"), s.get(senco, "Absent"),
               s.get(governor, "Absent")) for school, s in seats.items()),
        tuple(lines), total, None if 0 < urgent < 5 else urgent, actions)


def urgent_agreed(record: MeetingRecord) -> int:
    """Urgent decisions from the reserve put to the meeting (agreed, or ratified there)."""
    return len([u for u in record.urgent
                if u.status in (UrgentStatus.AGREED, UrgentStatus.RATIFIED)])

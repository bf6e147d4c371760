"""The host's year: six half-termly meetings set up together, then edited one by one.

The agendas arrive as plain text from the caller (the toolkit keeps the exemplar agendas as
content), so the engine never reads the toolkit's files. Deadlines are never stored: they are
derived from each meeting's date (`cluster.year.deadlines.deadlines_for`), so moving a meeting moves
its deadlines.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from typing import Protocol, TypeVar

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from cluster.common.calendar import HALF_TERMS, AcademicYear, format_date, half_term_start
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_texts
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import ALL_ROLES, Actor, can_manage_cluster, has_role, require
from cluster.core.scope import cluster_of, meeting_in_cluster
from cluster.core.versioning import check_not_stale
from cluster.models import (
    Cluster,
    FundingYear,
    Meeting,
    Reconsideration,
    ReconsiderationStatus,
    RequestStatus,
    Role,
    School,
    SupportRequest,
)
from cluster.people.users import staff_names
from cluster.year.deadlines import REQUESTS_DUE_DAYS_BEFORE, deadlines_for

DEFAULT_STARTS_AT = "13:30"
DEFAULT_ENDS_AT = "16:30"  # the FAQ's half-day meeting
MAX_AGENDA_CHARACTERS = 20_000
MAX_VENUE_CHARACTERS = 200
MAX_VIDEO_LINK_CHARACTERS = 300
_TIME = re.compile(r"([01]\d|2[0-3]):[0-5]\d", re.ASCII)  # "１３:３０" is not a time here
_ACTIVE_REQUESTS = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA, RequestStatus.RETURNED,
                    RequestStatus.DECIDED)

FIELD_LABELS: dict[str, str] = {"held_on": "date", "starts_at": "start time", "ends_at": "end time",
                                "venue": "venue", "video_link": "video link",
                                "is_funding_round": "funding round", "agenda_md": "agenda"}
_SHORT_FIELDS: tuple[str, ...] = ("held_on", "starts_at", "ends_at", "venue", "video_link",
                                  "is_funding_round")


@dataclass(frozen=True)
class MeetingDetails:
    """What the host sets for one meeting (times are London wall-clock times, "HH:MM")."""

    held_on: date
    starts_at: str = DEFAULT_STARTS_AT
    ends_at: str = DEFAULT_ENDS_AT
    venue: str = ""
    video_link: str = ""
    is_funding_round: bool = False
    agenda_md: str = ""


@dataclass(frozen=True)
class MeetingPlan:
    half_term: str
    details: MeetingDetails


@dataclass(frozen=True)
class MeetingFacts:
    """A stored meeting as every screen reads it: its year and half-term, when and where, whether
    it is a funding round, and the version a save from the screen is checked against."""

    id: int
    academic_year: int
    half_term: str
    held_on: date
    starts_at: str
    ends_at: str
    venue: str
    is_funding_round: bool
    version: int
    decisions_confirmed_on: date | None

    @property
    def kind(self) -> str:
        return "funding round" if self.is_funding_round else "meeting"


@dataclass(frozen=True)
class MeetingRow(MeetingFacts):
    """A meeting as the host plans the year: its link and agenda, and the deadlines before it."""

    cluster_id: int
    video_link: str
    agenda_md: str
    requests_due: date = field(init=False)
    papers_out: date = field(init=False)

    def __post_init__(self) -> None:
        deadlines = deadlines_for(self.held_on)
        object.__setattr__(self, "requests_due", deadlines.requests_due)
        object.__setattr__(self, "papers_out", deadlines.papers_out)

    @property
    def label(self) -> str:
        return f"{self.half_term} {self.kind} on {format_date(self.held_on)}"

    @property
    def start_time(self) -> time:
        return parse_time(self.starts_at)

    @property
    def end_time(self) -> time:
        return parse_time(self.ends_at)

    def details(self) -> MeetingDetails:
        return MeetingDetails(self.held_on, self.starts_at, self.ends_at, self.venue,
                              self.video_link, self.is_funding_round, self.agenda_md)

    def drawn_from(self) -> dict[str, object]:
        return {name: getattr(self, name) for name in (*_SHORT_FIELDS, "agenda_md")}


@dataclass(frozen=True)
class ClusterChoice:
    id: int
    name: str


def parse_time(value: str) -> time:
    hours, minutes = value.split(":")
    return time(int(hours), int(minutes))


def row_of(meeting: Meeting) -> MeetingRow:
    assert meeting.id is not None
    return MeetingRow(meeting.id, meeting.academic_year, meeting.half_term, meeting.held_on,
                      meeting.starts_at, meeting.ends_at, meeting.venue, meeting.is_funding_round,
                      meeting.version, meeting.decisions_confirmed_on, meeting.cluster_id,
                      meeting.video_link, meeting.agenda_md)


# --- proposing a year (pure) --------------------------------------------------------------------


def proposed_date(year: AcademicYear, half_term: str) -> date:
    """The third Wednesday of the half-term: clear of the INSET days and trips at either end."""
    start = half_term_start(year, half_term)
    first_wednesday = start + timedelta(days=(2 - start.weekday()) % 7)
    return first_wednesday + timedelta(weeks=2)


def propose_plans(academic_year: int, agendas: Mapping[str, str], funding_rounds: Collection[str],
                  *, venue: str = "", video_link: str = "", starts_at: str = DEFAULT_STARTS_AT,
                  ends_at: str = DEFAULT_ENDS_AT) -> list[MeetingPlan]:
    """Six meetings the host can adjust before saving: one per half-term, agendas as given."""
    year = AcademicYear(academic_year)
    return [
        MeetingPlan(half_term, MeetingDetails(proposed_date(year, half_term), starts_at, ends_at,
                                              venue, video_link, half_term in funding_rounds,
                                              agendas.get(half_term, "")))
        for half_term in HALF_TERMS
    ]


def check_details(year: AcademicYear, half_term: str, details: MeetingDetails) -> None:
    """Raises InvalidInput naming the meeting and the first thing wrong with it."""
    where = f"{half_term} meeting"
    if not year.contains(details.held_on):
        raise InvalidInput(f"{where} date", f"{format_date(details.held_on)} is outside "
                           f"{year.label} (01/09/{year.start_year} to 31/08/{year.start_year + 1})")
    for name, value in (("start time", details.starts_at), ("end time", details.ends_at)):
        if not _TIME.fullmatch(value):  # match() would let "13:30\n" through ($ before \n)
            raise InvalidInput(f"{where} {name}", f"write it as HH:MM on the 24-hour clock, "
                               f"not {value!r}")
    if parse_time(details.ends_at) <= parse_time(details.starts_at):
        raise InvalidInput(f"{where} end time", "must be after the start time")
    if not details.venue.strip() and not details.video_link.strip():
        raise InvalidInput(f"{where} venue", "give a venue or a video link (or both)")
    link = details.video_link.strip()
    if link and (not link.startswith("https://") or len(link) > MAX_VIDEO_LINK_CHARACTERS
                 or " " in link):
        raise InvalidInput(f"{where} video link", "must be one https:// link, under "
                           f"{MAX_VIDEO_LINK_CHARACTERS} characters")


def check_texts(session: Session, cluster_id: int,
                meetings: Sequence[tuple[str, MeetingDetails]],
                confirmed_not_names: ConfirmedNames) -> tuple[str, ...]:
    """The one text check over each meeting's venue and agenda (lengths, control characters,
    identifiers, names). Staff named through their accounts and the cluster's schools pass; a
    typed name is asked about. Returns the fields whose words were confirmed not a person."""
    known = [*staff_names(session, cluster_id),
             *session.exec(select(School.name).where(School.cluster_id == cluster_id)).all()]
    texts = [text for half_term, details in meetings
             for text in ((f"{half_term} meeting venue", details.venue, MAX_VENUE_CHARACTERS),
                          (f"{half_term} meeting agenda", details.agenda_md,
                           MAX_AGENDA_CHARACTERS))]
    return require_clean_texts(texts, confirmed_not_names=confirmed_not_names,
                               known_people=known)


def check_year_plan(year: AcademicYear, plans: Sequence[MeetingPlan]) -> None:
    if tuple(plan.half_term for plan in plans) != HALF_TERMS:
        raise InvalidInput("meetings", "give one meeting for each half-term, Autumn 1 to Summer 2")
    for plan in plans:
        check_details(year, plan.half_term, plan.details)
    _check_order([(plan.half_term, plan.details.held_on) for plan in plans])


def _check_order(dated: Sequence[tuple[str, date]]) -> None:
    for (earlier, first), (later, second) in zip(dated, dated[1:], strict=False):
        if second <= first:
            raise InvalidInput(f"{later} meeting date",
                               f"{format_date(second)} must come after the "
                               f"{earlier} meeting ({format_date(first)})")


# --- which clusters a reader may see ---------------------------------------------------------


def cluster_choices(engine: Engine, actor: Actor) -> list[ClusterChoice]:
    """The clusters this person may look at: their own, or every cluster for an LA adviser."""
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        if actor.role == Role.LA_ADVISER:
            clusters = session.exec(select(Cluster).order_by(col(Cluster.name))).all()
        else:
            clusters = [cluster_of(session, actor)]
        return [ClusterChoice(c.id, c.name) for c in clusters if c.id is not None]


# --- reading ------------------------------------------------------------------------------------


def years_set_up(engine: Engine, actor: Actor, cluster_id: int | None = None) -> list[int]:
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        years = session.exec(select(Meeting.academic_year).distinct()
                             .where(Meeting.cluster_id == cluster.id)).all()
        return sorted(years)


def year_meetings(engine: Engine, actor: Actor, academic_year: int,
                  cluster_id: int | None = None) -> list[MeetingRow]:
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id)
        assert cluster.id is not None
        return [row_of(m) for m in _meetings_of(session, cluster.id, academic_year)]


def meeting_row(engine: Engine, actor: Actor, meeting_id: int) -> MeetingRow:
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        return row_of(meeting_in_cluster(session, actor, meeting_id))


def _meetings_of(session: Session, cluster_id: int, academic_year: int) -> list[Meeting]:
    meetings = session.exec(select(Meeting).where(Meeting.cluster_id == cluster_id,
                                                  Meeting.academic_year == academic_year)).all()
    return sorted(meetings, key=lambda m: HALF_TERMS.index(m.half_term))


class Dated(Protocol):
    @property
    def held_on(self) -> date: ...


DatedMeeting = TypeVar("DatedMeeting", bound=Dated)


def next_meeting(session: Session, cluster_id: int, on: date, *,
                 funding_round: bool = False) -> Meeting | None:
    """The cluster's next meeting: the first held on `on` or later (the first funding round, if
    asked). The one rule for "the next meeting" on every screen."""
    query = select(Meeting).where(Meeting.cluster_id == cluster_id, Meeting.held_on >= on)
    if funding_round:
        query = query.where(col(Meeting.is_funding_round).is_(True))
    return session.exec(query.order_by(col(Meeting.held_on)).limit(1)).first()


def meetings_from(session: Session, cluster_id: int, on: date,
                  limit: int | None = None) -> list[Meeting]:
    """The cluster's meetings held on `on` or later, in date order (the first `limit` of them)."""
    query = select(Meeting).where(Meeting.cluster_id == cluster_id, Meeting.held_on >= on)
    return list(session.exec(query.order_by(col(Meeting.held_on)).limit(limit)).all())


def next_or_latest(meetings: Sequence[DatedMeeting], on: date) -> DatedMeeting | None:
    """The meeting a screen opens on, from meetings in date order: the next one from `on`, else
    the latest (after the year's last meeting)."""
    upcoming = [m for m in meetings if m.held_on >= on]
    return upcoming[0] if upcoming else (meetings[-1] if meetings else None)


class RoundState(Protocol):
    """What the requests rule reads of a meeting (a stored one, or a screen's copy of it)."""

    @property
    def half_term(self) -> str: ...
    @property
    def held_on(self) -> date: ...
    @property
    def is_funding_round(self) -> bool: ...
    @property
    def decisions_confirmed_on(self) -> date | None: ...


def is_confirmed(meeting: RoundState, on: date) -> bool:
    """Whether the meeting's decisions were confirmed by `on`."""
    # Confirmed by `on`: a past day read with the clock pinned (the demo's story) sees the round
    # as it stood that day, still open before its confirmation.
    return meeting.decisions_confirmed_on is not None and meeting.decisions_confirmed_on <= on


def closed_to_requests(meeting: RoundState, on: date) -> str:
    """Why a meeting takes no new requests ("" when it does). The one rule behind the request
    form's default, a request's save and its submission, the home pages and reconsiderations."""
    if is_confirmed(meeting, on):
        assert meeting.decisions_confirmed_on is not None
        return (f"the {meeting.half_term} round's decisions were confirmed on "
                f"{format_date(meeting.decisions_confirmed_on)}")
    due = deadlines_for(meeting.held_on).requests_due
    if on > due:
        return f"requests for the {meeting.half_term} meeting were due by {format_date(due)}"
    return ""


def requests_deadline(meeting: RoundState, on: date) -> date | None:
    """The "requests due" date a screen shows for a meeting on `on`: a funding round's deadline
    (passed or not) until its decisions are confirmed; None for a review meeting, and for a
    confirmed round, which takes no more requests (new ones go to `next_funding_round`). The one
    rule behind every "requests due" on the timeline, the calendar file and the home pages."""
    if not meeting.is_funding_round or is_confirmed(meeting, on):
        return None
    return deadlines_for(meeting.held_on).requests_due


def next_funding_round(session: Session, cluster_id: int, on: date,
                       after: date | None = None) -> Meeting | None:
    """The round a new request goes to: the first funding round still taking requests (its
    deadline ahead, its decisions not confirmed), after `after` if given."""
    query = select(Meeting).where(
        Meeting.cluster_id == cluster_id, col(Meeting.is_funding_round).is_(True),
        col(Meeting.decisions_confirmed_on).is_(None),
        Meeting.held_on >= on + timedelta(days=REQUESTS_DUE_DAYS_BEFORE))
    if after is not None:
        query = query.where(Meeting.held_on > after)
    return session.exec(query.order_by(col(Meeting.held_on)).limit(1)).first()


def meeting_for_request(session: Session, cluster_id: int, chosen: Meeting | None,
                        on: date) -> tuple[Meeting | None, str]:
    """The meeting a request goes to, and why it moved: a funding round chosen (or left as the
    form's default) that has closed — confirmed, or past its deadline — hands the request to the
    next round still taking requests, with a message saying so. A review meeting is never
    swapped for a round: the checks say why it cannot be chosen."""
    if chosen is None or not chosen.is_funding_round:
        return chosen, ""
    why = closed_to_requests(chosen, on)
    if not why:
        return chosen, ""
    following = next_funding_round(session, cluster_id, on)
    if following is None:
        return chosen, ""  # nothing to move to: the checks refuse, saying why
    due = deadlines_for(following.held_on).requests_due
    return following, (f"{why[0].upper()}{why[1:]}, so the request goes to the "
                       f"{following.half_term} funding round on "
                       f"{format_date(following.held_on)} (requests due {format_date(due)}).")


# --- the host's changes -------------------------------------------------------------------------


def _audited(meeting: Meeting) -> dict[str, object]:
    return {name: getattr(meeting, name) for name in (*_SHORT_FIELDS, "agenda_md")}


@audit.mutating("set_up_year")
def set_up_year(engine: Engine, actor: Actor, academic_year: int,
                plans: Sequence[MeetingPlan], *,
                confirmed_not_names: ConfirmedNames = False) -> list[MeetingRow]:
    """Creates the year's six meetings at once; a year already set up is edited meeting by
    meeting."""
    require(can_manage_cluster(actor))
    year = AcademicYear(academic_year)
    check_year_plan(year, plans)
    with write_session(engine) as session:
        cluster = cluster_of(session, actor)
        assert cluster.id is not None
        confirmed = check_texts(session, cluster.id,
                                [(plan.half_term, plan.details) for plan in plans],
                                confirmed_not_names)
        if _meetings_of(session, cluster.id, academic_year):
            raise _already_set_up(year)
        meetings = [Meeting(cluster_id=cluster.id, academic_year=academic_year,
                            half_term=plan.half_term, held_on=plan.details.held_on,
                            starts_at=plan.details.starts_at, ends_at=plan.details.ends_at,
                            venue=plan.details.venue.strip(),
                            video_link=plan.details.video_link.strip(),
                            is_funding_round=plan.details.is_funding_round,
                            agenda_md=plan.details.agenda_md) for plan in plans]
        session.add_all(meetings)
        try:
            session.flush()
        except IntegrityError as error:  # a second host saved the same year a moment earlier
            raise _already_set_up(year) from error
        for meeting in meetings:
            record_confirmation(session, actor, [f for f in confirmed
                                                 if f.startswith(f"{meeting.half_term} ")],
                                entity="meeting", entity_id=meeting.id)
            audit.record(session, actor, "set_up_year", entity="meeting", entity_id=meeting.id,
                         after=_audited(meeting), text_fields=frozenset({"agenda_md"}))
        _place_waiting_reconsiderations(session, actor, cluster.id)
        return [row_of(meeting) for meeting in meetings]


def _already_set_up(year: AcademicYear) -> InvalidInput:
    return InvalidInput("academic year", f"{year.label} is already set up; change its meetings "
                        "one at a time instead")


def _place_waiting_reconsiderations(session: Session, actor: Actor, cluster_id: int) -> None:
    """Reconsiderations asked when no funding round was left go to the new year's first round."""
    meeting = next_funding_round(session, cluster_id, today())
    if meeting is None:
        return
    waiting = session.exec(
        select(Reconsideration).join(School, col(School.id) == Reconsideration.school_id)
        .where(School.cluster_id == cluster_id,
               Reconsideration.status == ReconsiderationStatus.WAITING)).all()
    for item in waiting:
        item.meeting_id, item.status = meeting.id, ReconsiderationStatus.ON_AGENDA
        session.add(item)
        audit.record(session, actor, "set_up_year", entity="reconsideration", entity_id=item.id,
                     before={"meeting_id": None, "status": ReconsiderationStatus.WAITING},
                     after={"meeting_id": meeting.id, "status": item.status})


@audit.mutating("update_meeting")
def update_meeting(engine: Engine, actor: Actor, meeting_id: int, details: MeetingDetails, *,
                   expected_version: int, drawn_from: Mapping[str, object],
                   confirmed_not_names: ConfirmedNames = False) -> MeetingRow:
    """The host's edit of one meeting: date, times, venue or link, the funding-round flag,
    agenda."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        _refuse_stale(session, meeting, expected_version, drawn_from)
        year = AcademicYear(meeting.academic_year)
        _refuse_closed_year(session, meeting.cluster_id, year)
        check_details(year, meeting.half_term, details)
        confirmed = check_texts(session, meeting.cluster_id, [(meeting.half_term, details)],
                                confirmed_not_names)
        _check_order([(m.half_term, details.held_on if m.id == meeting.id else m.held_on)
                      for m in _meetings_of(session, meeting.cluster_id, meeting.academic_year)])
        if meeting.is_funding_round and not details.is_funding_round:
            _refuse_unflagging_a_busy_round(session, meeting)
        before = _audited(meeting)
        meeting.held_on, meeting.starts_at, meeting.ends_at = (details.held_on, details.starts_at,
                                                               details.ends_at)
        meeting.venue, meeting.video_link = details.venue.strip(), details.video_link.strip()
        meeting.is_funding_round, meeting.agenda_md = details.is_funding_round, details.agenda_md
        session.add(meeting)
        session.flush()
        record_confirmation(session, actor, confirmed, entity="meeting", entity_id=meeting.id)
        audit.record(session, actor, "update_meeting", entity="meeting", entity_id=meeting.id,
                     before=before, after=_audited(meeting), text_fields=frozenset({"agenda_md"}))
        return row_of(meeting)


def _refuse_closed_year(session: Session, cluster_id: int, year: AcademicYear) -> None:
    """A year rolled over and made read-only keeps its meetings as they were held."""
    funding = session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year == year.start_year)).first()
    if funding is not None and funding.read_only:
        raise InvalidInput("academic year", f"{year.label} is closed and read-only; the host can "
                           "reopen it, giving a reason")


def _refuse_stale(session: Session, meeting: Meeting, expected_version: int,
                  drawn_from: Mapping[str, object]) -> None:
    """As check_not_stale, but an agenda is named as changed rather than quoted in full."""
    short = {name: value for name, value in drawn_from.items() if name != "agenda_md"}
    try:
        check_not_stale(session, meeting, expected_version=expected_version, drawn_from=short,
                        entity="meeting", labels=FIELD_LABELS)
    except StaleEdit as stale:
        changes = list(stale.changes)
        if "agenda_md" in drawn_from and drawn_from["agenda_md"] != meeting.agenda_md:
            changes.append("agenda: rewritten")
        raise StaleEdit(changes, stale.changed_by or last_change_by(
            session, "meeting", meeting.id or 0)) from None


def _refuse_unflagging_a_busy_round(session: Session, meeting: Meeting) -> None:
    requests = session.exec(select(func.count()).select_from(SupportRequest).where(
        SupportRequest.meeting_id == meeting.id,
        col(SupportRequest.status).in_(_ACTIVE_REQUESTS))).one()
    reconsiderations = session.exec(select(func.count()).select_from(Reconsideration).where(
        Reconsideration.meeting_id == meeting.id,
        Reconsideration.status != ReconsiderationStatus.WITHDRAWN)).one()
    if requests or reconsiderations:
        raise InvalidInput("funding round", f"the {meeting.half_term} meeting has {requests} "
                           f"request(s) and {reconsiderations} reconsideration(s) on its agenda; "
                           "it stays a funding round until they are moved or decided")

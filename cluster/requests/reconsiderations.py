"""A school asks for a decision on its own request to be reconsidered; it goes to the next round.

"Next" means the first funding round whose request deadline (two weeks before it) has not passed,
the same deadline as a new request, so the reconsideration is in that meeting's papers. When no such
round is set up yet it waits, and setting up the next year puts it on that year's first round.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import format_date, meeting_on
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotOpenToYou
from cluster.core.permissions import MEMBER_ROLES, Actor, has_role, require
from cluster.core.versioning import check_not_stale
from cluster.models import (
    Award,
    Decision,
    Meeting,
    Reconsideration,
    ReconsiderationStatus,
    Role,
    School,
    SupportRequest,
)
from cluster.year.schedule import next_funding_round

# The default terms of reference give a school 28 days from the meeting that decided to ask.
ASK_WITHIN_DAYS = 28
LISTED_FOR_DAYS = 365  # older decisions are final and no longer listed
MIN_REASON_CHARACTERS = 20
MAX_REASON_CHARACTERS = 3_000
_OPEN = (ReconsiderationStatus.WAITING, ReconsiderationStatus.ON_AGENDA)


@dataclass(frozen=True)
class DecisionToReconsider:
    award_id: int
    request_title: str
    decided_at: str
    decided_on: date
    decision: str
    amount_pence: int
    can_ask: bool
    why_not: str
    goes_to: str | None  # the meeting it would be heard at, in words

    @property
    def decision_label(self) -> str:
        return Decision.label_of(self.decision).lower()


@dataclass(frozen=True)
class ReconsiderationRow:
    id: int
    award_id: int
    school_name: str
    request_title: str
    decision: str
    amount_pence: int
    reasons: str
    status: str
    asked_on: date
    meeting_id: int | None
    meeting_label: str | None
    outcome: str
    version: int

    @property
    def status_label(self) -> str:
        return ReconsiderationStatus.label_of(self.status)

    @property
    def can_withdraw(self) -> bool:
        return self.status in _OPEN

    def drawn_from(self) -> dict[str, object]:
        return {"status": self.status}

    @property
    def decision_label(self) -> str:
        return Decision.label_of(self.decision).lower()


def _meeting_words(meeting: Meeting | None) -> str | None:
    if meeting is None:
        return None
    return meeting_on(meeting.half_term, meeting.held_on)


def _row(session: Session, item: Reconsideration) -> ReconsiderationRow:
    award = session.get(Award, item.award_id)
    request = session.get(SupportRequest, award.request_id) if award else None
    school = session.get(School, item.school_id)
    meeting = session.get(Meeting, item.meeting_id) if item.meeting_id else None
    assert item.id is not None and award is not None and request is not None
    return ReconsiderationRow(item.id, item.award_id, school.name if school else "", request.title,
                              award.decision, award.amount_pence, item.reasons, item.status,
                              item.asked_on, item.meeting_id, _meeting_words(meeting),
                              item.outcome, item.version)


def _school_awards(session: Session, actor: Actor) -> list[tuple[Award, SupportRequest, Meeting]]:
    rows = session.exec(
        select(Award, SupportRequest, Meeting)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(SupportRequest.school_id == actor.school_id, col(Award.draft).is_(False))
        .order_by(col(Meeting.held_on).desc(), col(Award.id))
    ).all()
    return [(award, request, meeting) for award, request, meeting in rows]


def _asked_before(session: Session, award_id: int) -> Reconsideration | None:
    return session.exec(select(Reconsideration).where(
        Reconsideration.award_id == award_id,
        Reconsideration.status != ReconsiderationStatus.WITHDRAWN)).first()


def _require_school(actor: Actor) -> None:
    require(has_role(actor, {Role.SCHOOL}))
    if actor.school_id is None:
        raise NotAllowed("Your account is not linked to a school. Ask your host to fix it.")


@audit.refusals_logged("list_decisions_to_reconsider")
def decisions_open_to_reconsideration(engine: Engine, actor: Actor) -> list[DecisionToReconsider]:
    """Our school's decisions, newest first, each saying whether and where we may ask again."""
    _require_school(actor)
    on = today()
    with read_session(engine) as session:
        decisions = []
        for award, request, meeting in _school_awards(session, actor):
            assert award.id is not None
            if not timedelta(0) <= on - meeting.held_on <= timedelta(days=LISTED_FOR_DAYS):
                continue
            why_not = _why_not(session, award.id, meeting, on)
            round_ = next_funding_round(session, meeting.cluster_id, on, after=meeting.held_on)
            decisions.append(DecisionToReconsider(
                award.id, request.title, _meeting_words(meeting) or "", meeting.held_on,
                award.decision, award.amount_pence, not why_not, why_not,
                _meeting_words(round_) or "next year's first funding round, once it is set up"))
        return decisions


def last_day_to_ask(decided_on: date) -> date:
    return decided_on + timedelta(days=ASK_WITHIN_DAYS)


def _why_not(session: Session, award_id: int, decided_at: Meeting, on: date) -> str:
    """Why this decision can no longer be reconsidered ("" when it can)."""
    earlier = _asked_before(session, award_id)
    if earlier is not None:
        return (f"already asked on {format_date(earlier.asked_on)} "
                f"({ReconsiderationStatus.label_of(earlier.status)})")
    if on > last_day_to_ask(decided_at.held_on):
        return f"the {ASK_WITHIN_DAYS} days to ask ended on " \
               f"{format_date(last_day_to_ask(decided_at.held_on))}"
    return ""


@audit.mutating("ask_for_reconsideration")
def ask_for_reconsideration(engine: Engine, actor: Actor, award_id: int, reasons: str, *,
                            confirmed_not_names: ConfirmedNames = False) -> ReconsiderationRow:
    _require_school(actor)
    reasons, confirmed = _checked_reasons(reasons, confirmed_not_names)
    on = today()
    with write_session(engine) as session:
        award = session.get(Award, award_id)
        request = session.get(SupportRequest, award.request_id) if award else None
        if award is None or request is None or request.school_id != actor.school_id:
            raise NotOpenToYou("decision", award_id)
        decided_at = session.get(Meeting, award.meeting_id)
        assert decided_at is not None
        earlier = _asked_before(session, award_id)
        if earlier is not None:
            raise InvalidInput("decision", f"your school already asked for this decision to be "
                               f"reconsidered on {format_date(earlier.asked_on)}; the terms of "
                               "reference allow one reconsideration for each decision")
        if on > last_day_to_ask(decided_at.held_on):
            raise InvalidInput("decision", f"the terms of reference allow {ASK_WITHIN_DAYS} days "
                               "from the meeting to ask; for this decision that ended on "
                               f"{format_date(last_day_to_ask(decided_at.held_on))}")
        meeting = next_funding_round(session, decided_at.cluster_id, on, after=decided_at.held_on)
        item = Reconsideration(
            award_id=award_id, school_id=request.school_id, reasons=reasons,
            meeting_id=meeting.id if meeting else None, asked_by_id=actor.user_id, asked_on=on,
            status=ReconsiderationStatus.ON_AGENDA if meeting else ReconsiderationStatus.WAITING)
        session.add(item)
        session.flush()
        record_confirmation(session, actor, confirmed, entity="reconsideration",
                            entity_id=item.id)
        audit.record(session, actor, "ask_for_reconsideration", entity="reconsideration",
                     entity_id=item.id, after={"award_id": award_id, "meeting_id": item.meeting_id,
                                               "status": item.status, "reasons": reasons},
                     text_fields=frozenset({"reasons"}))
        return _row(session, item)


def _checked_reasons(reasons: str, confirmed_not_names: ConfirmedNames
                     ) -> tuple[str, tuple[str, ...]]:
    """The reasons as stored, and the fields whose words the writer confirmed (for the audit)."""
    cleaned = reasons.strip()
    if len(cleaned) < MIN_REASON_CHARACTERS:
        raise InvalidInput("reasons", "say in a sentence or two why the cluster should look again")
    confirmed = require_clean_text("reasons", cleaned, MAX_REASON_CHARACTERS,
                                   confirmed_not_names=confirmed_not_names)
    return cleaned, confirmed


@audit.mutating("withdraw_reconsideration")
def withdraw_reconsideration(engine: Engine, actor: Actor, reconsideration_id: int, *,
                             expected_version: int,
                             drawn_from: Mapping[str, object]) -> ReconsiderationRow:
    _require_school(actor)
    with write_session(engine) as session:
        item = session.get(Reconsideration, reconsideration_id)
        if item is None or item.school_id != actor.school_id:
            raise NotOpenToYou("reconsideration", reconsideration_id)
        check_not_stale(session, item, expected_version=expected_version,
                        drawn_from=drawn_from, entity="reconsideration")
        if item.status not in _OPEN:
            raise InvalidInput("reconsideration",
                               f"it is {ReconsiderationStatus.label_of(item.status)} and can "
                               "no longer be withdrawn")
        before = {"status": item.status}
        item.status = ReconsiderationStatus.WITHDRAWN
        session.add(item)
        session.flush()
        audit.record(session, actor, "withdraw_reconsideration", entity="reconsideration",
                     entity_id=item.id, before=before, after={"status": item.status})
        return _row(session, item)


@audit.refusals_logged("list_reconsiderations")
def our_reconsiderations(engine: Engine, actor: Actor) -> list[ReconsiderationRow]:
    """A school's own reconsiderations; the host sees the whole cluster's."""
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        query = (select(Reconsideration).join(School, col(School.id) == Reconsideration.school_id)
                 .where(School.cluster_id == actor.cluster_id)
                 .order_by(col(Reconsideration.asked_on).desc(), col(Reconsideration.id).desc()))
        if actor.role == Role.SCHOOL:
            query = query.where(Reconsideration.school_id == actor.school_id)
        return [_row(session, item) for item in session.exec(query).all()]


@audit.refusals_logged("list_agenda_reconsiderations")
def reconsiderations_on_agenda(engine: Engine, actor: Actor,
                               meeting_id: int) -> list[ReconsiderationRow]:
    """The reconsiderations a meeting hears: all of them for the host, a school's own for a
    school."""
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        meeting = session.get(Meeting, meeting_id)
        if meeting is None or meeting.cluster_id != actor.cluster_id:
            raise NotOpenToYou("meeting", meeting_id)
        query = (select(Reconsideration).where(
            Reconsideration.meeting_id == meeting_id,
            col(Reconsideration.status).in_([ReconsiderationStatus.ON_AGENDA,
                                             ReconsiderationStatus.HEARD]))
            .order_by(col(Reconsideration.id)))
        if actor.role == Role.SCHOOL:
            query = query.where(Reconsideration.school_id == actor.school_id)
        return [_row(session, item) for item in session.exec(query).all()]

"""Paying awards: equal instalments over the terms an award runs, a schedule per school, and
stopping the instalments still to come when a review says the support should end.

The schedule is made when the meeting confirms its decisions (or when an urgent decision is
agreed). `stop_future_instalments` is what the reviews service calls: inside its own transaction
through `stop_instalments_in`, or on its own.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import (
    HALF_TERMS,
    AcademicYear,
    academic_year_of,
    award_half_terms,
    half_term_of,
    half_term_order,
    half_term_start,
    half_terms_from,
)
from cluster.common.money import format_pounds, odd_pence, pence_from_pounds, whole_pounds
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotOpenToYou
from cluster.core.permissions import MEMBER_ROLES, Actor, can_manage_cluster, has_role, require
from cluster.core.scope import cluster_of
from cluster.funding.ledger import AwardReturn, award_return, ended_award_return
from cluster.models import (
    Award,
    Instalment,
    InstalmentStatus,
    Meeting,
    Role,
    School,
    SupportRequest,
)

HalfTermRef = tuple[int, str]  # (academic year it starts in, half-term), e.g. (2026, "Spring 2")


@dataclass(frozen=True)
class StoppedInstalments:
    award_id: int
    from_half_term: HalfTermRef
    count: int
    stopped_pence: int
    still_paid_pence: int  # the instalments before the stop, which stand, and any kept after it

    @property
    def from_label(self) -> str:
        year, half_term = self.from_half_term
        return f"{half_term} {AcademicYear(year).label}"


@dataclass(frozen=True)
class InstalmentLine:
    instalment_id: int
    award_id: int
    request_id: int
    school_id: int
    school_name: str
    request_title: str
    number: int
    of: int
    academic_year: int
    half_term: str
    due_on: date
    amount_pence: int
    status: str  # scheduled or stopped
    stop_reason: str

    @property
    def when(self) -> str:
        return f"{self.half_term} {AcademicYear(self.academic_year).label}"

    def state(self, on: date) -> str:
        if self.status == InstalmentStatus.STOPPED:
            return "stopped"
        return "due" if self.due_on <= on else "to come"


@dataclass(frozen=True)
class SchoolPayments:
    school_id: int
    school_name: str
    scheduled_pence: int
    stopped_pence: int
    due_by_today_pence: int


@dataclass(frozen=True)
class EndedAward:
    """An award a review ended, and what came back, in the ledger's words."""

    award_id: int
    request_id: int
    school_name: str
    request_title: str
    ended_on: date
    money_back: AwardReturn


@dataclass(frozen=True)
class PaymentSchedule:
    cluster_name: str
    academic_year: int | None
    lines: tuple[InstalmentLine, ...]
    schools: tuple[SchoolPayments, ...]
    today: date
    ended: tuple[EndedAward, ...] = ()


# --- inside a session -----------------------------------------------------------------------------


def schedule_award(session: Session, award: Award, school_id: int, academic_year: int,
                   first_half_term: str, not_before: date) -> list[Instalment]:
    """(Re)makes an award's instalments: one per term from `first_half_term`, due as each term
    starts and never before `not_before` (the decision)."""
    assert award.id is not None
    for old in session.exec(select(Instalment).where(Instalment.award_id == award.id)).all():
        session.delete(old)
    plan = instalment_plan(award.amount_pence, academic_year, first_half_term, award.terms,
                           not_before)
    made = [Instalment(award_id=award.id, school_id=school_id, number=p.number,
                       academic_year=p.academic_year, half_term=p.half_term, due_on=p.due_on,
                       amount_pence=p.amount_pence) for p in plan]
    session.add_all(made)
    return made


def backfill_schedules(session: Session, cluster_id: int) -> int:
    """Schedules every paying award that has no instalments yet (awards recorded before the
    schedule existed, such as the demo's history). An award a review ended stops at its end."""
    scheduled = set(session.exec(select(Instalment.award_id)).all())
    rows = session.exec(
        select(Award, Meeting, SupportRequest)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .where(Meeting.cluster_id == cluster_id, Award.amount_pence > 0,
               col(Award.draft).is_(False))).all()
    made = 0
    for award, meeting, request in rows:
        if award.id in scheduled:
            continue
        made_rows = schedule_award(session, award, request.school_id, meeting.academic_year,
                                   meeting.half_term, meeting.held_on)
        if award.ended_on is not None:
            _stop_at_end(session, award, made_rows, award.ended_on)
        made += 1
    return made


def _stop_at_end(session: Session, award: Award, rows: Sequence[Instalment], ended_on: date
                 ) -> None:
    """An award a review ended before its schedule existed stops the instalments due after its
    end, paying on for what the school spent beyond the instalments paid (spent: the award less
    what it returned), as `funding.ledger.award_return` does at a review."""
    paid = sum(r.amount_pence for r in rows if r.due_on <= ended_on)
    spent = award.amount_pence - award.returned_pence
    _stop_rows(session, [r for r in rows if r.due_on > ended_on], max(0, spent - paid),
               f"Award {award.end_reason or 'ended'} by a review", ended_on)


def _parse_ref(from_half_term: HalfTermRef | str) -> HalfTermRef:
    if isinstance(from_half_term, str):
        if from_half_term not in HALF_TERMS:
            raise InvalidInput("From half-term", f"choose one of {', '.join(HALF_TERMS)}")
        return academic_year_of(today()).start_year, from_half_term
    year, half_term = from_half_term
    if half_term not in HALF_TERMS:
        raise InvalidInput("From half-term", f"choose one of {', '.join(HALF_TERMS)}")
    return int(year), half_term


def _award_in_cluster(session: Session, actor: Actor, award_id: int) -> Award:
    award = session.get(Award, award_id)
    meeting = session.get(Meeting, award.meeting_id) if award else None
    if award is None or meeting is None or meeting.cluster_id != actor.cluster_id:
        raise NotOpenToYou("award", award_id)
    return award


def _scheduled(session: Session, award_id: int | None) -> list[Instalment]:
    return list(session.exec(select(Instalment).where(
        Instalment.award_id == award_id, Instalment.status == InstalmentStatus.SCHEDULED)
        .order_by(col(Instalment.number))).all())


def instalments_around(session: Session, award_id: int, from_half_term: HalfTermRef
                       ) -> tuple[list[Instalment], list[Instalment]]:
    """The award's scheduled instalments before the half-term given (they stand: paid or due)
    and from it on (still to come)."""
    rows = _scheduled(session, award_id)
    start = half_term_order(*from_half_term)
    return ([r for r in rows if half_term_order(r.academic_year, r.half_term) < start],
            [r for r in rows if half_term_order(r.academic_year, r.half_term) >= start])


def _stop_rows(session: Session, rows: Sequence[Instalment], keep_pence: int, reason: str,
               on: date) -> list[Instalment]:
    """Stops these instalments, in order, except the first `keep_pence` of them (money the school
    spent beyond the instalments paid). An instalment partly kept is split in two: the kept part
    stays scheduled, the rest is stopped, so stopped and kept add up to what was planned."""
    stopped = []
    for row in rows:
        kept = min(keep_pence, row.amount_pence)
        keep_pence -= kept
        if kept == row.amount_pence:
            continue
        if kept:
            rest = Instalment(award_id=row.award_id, school_id=row.school_id, number=row.number,
                              academic_year=row.academic_year, half_term=row.half_term,
                              due_on=row.due_on, amount_pence=row.amount_pence - kept)
            row.amount_pence = kept
            session.add(row)
            row = rest
        row.status, row.stopped_on, row.stop_reason = InstalmentStatus.STOPPED, on, reason[:500]
        session.add(row)
        stopped.append(row)
    return stopped


def stop_instalments_in(session: Session, actor: Actor, award_id: int,
                        from_half_term: HalfTermRef | str, reason: str, *,
                        keep_pence: int = 0) -> StoppedInstalments:
    """Stops every scheduled instalment of the award from the half-term given (inclusive), but
    the first `keep_pence` of them (see `_stop_rows`). For a service that already holds the write
    session (the reviews service)."""
    require(can_manage_cluster(actor))
    ref = _parse_ref(from_half_term)
    award = _award_in_cluster(session, actor, award_id)
    _, to_come = instalments_around(session, award.id or 0, ref)
    stopped = _stop_rows(session, to_come, keep_pence, reason.strip(), today())
    session.flush()
    still = sum(r.amount_pence for r in _scheduled(session, award.id))
    pence = sum(r.amount_pence for r in stopped)
    audit.record(session, actor, "stop_future_instalments", entity="award", entity_id=award.id,
                 after={"from": f"{ref[1]} {ref[0]}", "instalments_stopped": len(stopped),
                        "stopped_pence": pence, "reason": reason},
                 text_fields=frozenset({"reason"}))
    return StoppedInstalments(award.id or 0, ref, len(stopped), pence, still)


def end_award_in(session: Session, actor: Actor, award: Award, *, on: date, spent_pence: int,
                 end_reason: str) -> tuple[StoppedInstalments, AwardReturn]:
    """Ends an award (a review stopped or completed it) inside the caller's transaction: the
    instalments still to come are stopped, every one from the next half-term on (those already
    due stand), and the money comes back by the ledger's one rule (`award_return`). The end is on
    the award too (ended_on), so a schedule made later from the award stops there as well."""
    ref = half_terms_from(academic_year_of(on), half_term_of(on), 2)[1]
    standing, to_come = instalments_around(session, award.id or 0, ref)
    back = award_return(amount_pence=award.amount_pence,
                        paid_pence=sum(r.amount_pence for r in standing),
                        to_come_pence=sum(r.amount_pence for r in to_come),
                        spent_pence=spent_pence, returned_before_pence=award.returned_pence,
                        scheduled=bool(standing or to_come))
    award.ended_on, award.end_reason = on, end_reason
    stopped = stop_instalments_in(session, actor, award.id or 0, ref,
                                  f"Award {end_reason} at a review", keep_pence=back.kept_pence)
    award.returned_pence += back.total_pence
    session.add(award)
    return stopped, back


# --- services -------------------------------------------------------------------------------------


@audit.mutating("stop_future_instalments")
def stop_future_instalments(engine: Engine, actor: Actor, award_id: int,
                            from_half_term: HalfTermRef | str, *,
                            reason: str = "Stopped after a review") -> StoppedInstalments:
    """Stops the instalments still to come from `from_half_term` ((year, half-term), or a
    half-term name in the current academic year). Instalments before it stand."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        return stop_instalments_in(session, actor, award_id, from_half_term, reason)


def _school_in_view(actor: Actor, school_id: int | None) -> int | None:
    """The host may narrow to one school; a headteacher or SENCO only ever sees their own."""
    require(has_role(actor, MEMBER_ROLES))
    if actor.role != Role.SCHOOL:
        return school_id
    if actor.school_id is None:
        raise NotAllowed("Your account is not linked to a school. Ask your host to fix it.")
    return actor.school_id


@audit.refusals_logged("read_payment_schedule")
def payment_schedule(engine: Engine, actor: Actor, *, academic_year: int | None = None,
                     school_id: int | None = None) -> PaymentSchedule:
    """The instalments of every award, per school: the host sees every school, a headteacher or
    SENCO their own school only."""
    school_id = _school_in_view(actor, school_id)
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        lines = instalment_lines(session, cluster.id or 0, academic_year=academic_year,
                                 school_ids=[school_id] if school_id else None)
        return PaymentSchedule(cluster.name, academic_year, tuple(lines),
                               tuple(school_totals(lines, today())), today(),
                               tuple(ended_awards(session, lines)))


@audit.refusals_logged("read_payment_schedule")
def instalment_years(engine: Engine, actor: Actor) -> tuple[int, ...]:
    """The academic years the reader's instalments fall in, oldest first: the schedule's years."""
    school_id = _school_in_view(actor, None)
    with read_session(engine) as session:
        cluster = cluster_of(session, actor)
        query = (select(Instalment.academic_year).distinct()
                 .join(School, col(School.id) == Instalment.school_id)
                 .where(School.cluster_id == cluster.id))
        if school_id:
            query = query.where(Instalment.school_id == school_id)
        return tuple(sorted(session.exec(query).all()))


def ended_awards(session: Session, lines: Sequence[InstalmentLine]) -> list[EndedAward]:
    """The ended awards among these lines, each with its return read back by the ledger's rule:
    every instalment it stopped (whatever year it fell in) and the rest of what it returned."""
    first = {line.award_id: line for line in reversed(lines)}
    ended = []
    for award_id, line in first.items():
        award = session.get(Award, award_id)
        if award is None or award.ended_on is None:
            continue
        stopped = sum(session.exec(select(Instalment.amount_pence).where(
            Instalment.award_id == award_id,
            Instalment.status == InstalmentStatus.STOPPED)).all())
        ended.append(EndedAward(award_id, line.request_id, line.school_name, line.request_title,
                                award.ended_on, ended_award_return(award.returned_pence, stopped)))
    return sorted(ended, key=lambda e: (e.school_name, e.ended_on, e.award_id))


def instalment_lines(session: Session, cluster_id: int, *, academic_year: int | None = None,
                     school_ids: Sequence[int] | None = None,
                     award_ids: Iterable[int] | None = None) -> list[InstalmentLine]:
    query = (select(Instalment, Award, SupportRequest, School)
             .join(Award, col(Award.id) == Instalment.award_id)
             .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
             .join(School, col(School.id) == Instalment.school_id)
             .where(School.cluster_id == cluster_id))
    if academic_year is not None:
        query = query.where(Instalment.academic_year == academic_year)
    if school_ids is not None:
        query = query.where(col(Instalment.school_id).in_(list(school_ids)))
    if award_ids is not None:
        query = query.where(col(Instalment.award_id).in_(list(award_ids)))
    rows = session.exec(query.order_by(col(School.name), col(Instalment.due_on),
                                       col(Instalment.award_id), col(Instalment.number))).all()
    counts: dict[int, int] = {}
    for _, award, _, _ in rows:
        counts[award.id or 0] = counts.get(award.id or 0, 0) + 1
    # A partly kept instalment is two rows under one number: count the numbers.
    totals = {award_id: len(set(session.exec(select(Instalment.number).where(
        Instalment.award_id == award_id)).all())) for award_id in counts}
    return [InstalmentLine(i.id or 0, a.id or 0, r.id or 0, s.id or 0, s.name, r.title, i.number,
                           totals[a.id or 0], i.academic_year, i.half_term, i.due_on,
                           i.amount_pence, i.status, i.stop_reason)
            for i, a, r, s in rows]


def school_totals(lines: Sequence[InstalmentLine], on: date) -> list[SchoolPayments]:
    by_school: dict[int, list[InstalmentLine]] = {}
    for line in lines:
        by_school.setdefault(line.school_id, []).append(line)
    return [SchoolPayments(
        school_id, mine[0].school_name,
        sum(x.amount_pence for x in mine if x.status == InstalmentStatus.SCHEDULED),
        sum(x.amount_pence for x in mine if x.status == InstalmentStatus.STOPPED),
        sum(x.amount_pence for x in mine
            if x.status == InstalmentStatus.SCHEDULED and x.due_on <= on))
        for school_id, mine in sorted(by_school.items(), key=lambda kv: kv[1][0].school_name)]


def describe_stop(stopped: StoppedInstalments) -> str:
    if not stopped.count:
        return f"No instalment was still to come from {stopped.from_label}."
    return (f"Stopped {stopped.count} instalment(s) from {stopped.from_label}: "
            f"{format_pounds(stopped.stopped_pence)} will not be paid; "
            f"{format_pounds(stopped.still_paid_pence)} paid or due before it stands.")


@dataclass(frozen=True)
class PlannedInstalment:
    number: int
    academic_year: int
    half_term: str
    due_on: date
    amount_pence: int


def instalment_plan(amount_pence: int, academic_year: int, first_half_term: str, terms: int,
                    not_before: date) -> list[PlannedInstalment]:
    """Equal instalments, one for each term the award runs (a term is two half-terms), due as each
    term starts; never before the decision. Odd pounds go to the earliest instalments."""
    if amount_pence <= 0 or terms <= 0:
        return []
    spans = award_half_terms(academic_year, first_half_term, terms)[::2]
    pounds, pence = whole_pounds(amount_pence), odd_pence(amount_pence)
    each, extra = divmod(pounds, len(spans))
    plan = []
    for index, (year, half_term) in enumerate(spans):
        amount = (pence_from_pounds(each + (1 if index < extra else 0))
                  + (pence if index == 0 else 0))
        due = max(half_term_start(AcademicYear(year), half_term), not_before)
        plan.append(PlannedInstalment(index + 1, year, half_term, due, amount))
    return plan

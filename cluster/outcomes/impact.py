"""Impact: what each award achieved, outcome by outcome, once it has ended; and the facts about
awards that the governors', parents' and LA's figures are built from.

"An outcome is something a child can do that they could not do before": the impact form asks what
the child can do now, the measure achieved against the baseline and target, and a judgement
(exceeded, met, partly met, not met) — never the hours delivered. Pupil and parent/carer voice are
short summaries with no names; no free text from here ever reaches a governor or the LA.

An award has ended when a confirmed review stopped or completed it, or when the last half-term of
its run is over. The school records impact for its own awards; the host may record it for them.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields, replace
from datetime import date
from typing import TypeVar

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import AcademicYear, award_half_terms, half_term_start, half_terms_from
from cluster.common.money import format_pounds, share_of
from cluster.common.needs import AREA_CHOICES, OTHER_AREA
from cluster.common.provision import CostShape, provision_kind_of
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotOpenToYou
from cluster.core.permissions import MEMBER_ROLES, Actor, has_role, require
from cluster.core.versioning import check_not_stale
from cluster.models import (
    Award,
    AwardEnd,
    CostLine,
    Decision,
    ImpactRecord,
    Meeting,
    RequestKind,
    RequestOutcome,
    RequestPupil,
    Role,
    School,
    SupportRequest,
)

EXCEEDED, MET, PARTLY_MET, NOT_MET = "exceeded", "met", "partly met", "not met"
JUDGEMENTS: tuple[str, ...] = (EXCEEDED, MET, PARTLY_MET, NOT_MET)
MET_JUDGEMENTS: frozenset[str] = frozenset({EXCEEDED, MET})
MAX_ACHIEVED = 200
MAX_CAN_DO = 500
MAX_WHAT_WORKED = 1_000
MAX_VOICE = 300  # "short summaries": a sentence or two
MAX_EXCLUSIONS = 190  # school days in a year


# --- when an award has ended ----------------------------------------------------------------------


def run_ends_on(academic_year: int, half_term: str, terms: int) -> date:
    """The first day after an award's run: the start of the half-term after its last one."""
    last_year, last_term = award_half_terms(academic_year, half_term, max(terms, 1))[-1]
    next_year, next_term = half_terms_from(AcademicYear(last_year), last_term, 2)[1]
    return half_term_start(AcademicYear(next_year), next_term)


def has_ended(award: Award, meeting: Meeting, on: date) -> bool:
    return run_has_ended(award.ended_on, meeting.academic_year, meeting.half_term, award.terms, on)


def run_has_ended(ended_on: date | None, academic_year: int, half_term: str, terms: int,
                  on: date) -> bool:
    return ended_on is not None or run_ends_on(academic_year, half_term, terms) <= on


def ended_how(end_reason: str | None, ended_on: date | None) -> str:
    if end_reason == AwardEnd.STOPPED:
        return f"stopped at a review on {ended_on:%d/%m/%Y}"
    if end_reason == AwardEnd.COMPLETED:
        return f"completed at a review on {ended_on:%d/%m/%Y}"
    return "its run is over"


# --- the impact form ------------------------------------------------------------------------------


@dataclass(frozen=True)
class AwardToClose:
    """An ended award and how far its impact has been recorded (host or the school only)."""

    award_id: int
    request_title: str
    school_name: str
    main_area: str
    awarded_pence: int
    returned_pence: int
    ended: str
    outcomes: int
    recorded: int

    @property
    def complete(self) -> bool:
        return self.outcomes > 0 and self.recorded >= self.outcomes


@dataclass(frozen=True)
class ImpactEntry:
    """One outcome's impact as the school answers it: the one list of answers that the form
    fills, the record stores and the form shows again (see `entry_of` and `write_entry`)."""

    outcome_id: int
    achieved: str
    judgement: str
    can_do_now: str
    what_worked: str = ""
    pupil_voice: str = ""
    parent_voice: str = ""
    attendance_before_pct: float | None = None
    attendance_after_pct: float | None = None
    exclusions_before: int | None = None
    exclusions_after: int | None = None


ANSWERS: tuple[str, ...] = tuple(f.name for f in fields(ImpactEntry) if f.name != "outcome_id")


def entry_of(record: ImpactRecord) -> ImpactEntry:
    """The answers an impact record holds, as the form shows them again."""
    answers = {name: getattr(record, name) for name in ANSWERS}
    return ImpactEntry(record.outcome_id, **answers)


def write_entry(record: ImpactRecord, entry: ImpactEntry) -> None:
    """Stores every answer of the entry on the record."""
    for name in ANSWERS:
        setattr(record, name, getattr(entry, name))


@dataclass(frozen=True)
class ImpactLine:
    """One outcome on the impact form, with what is already recorded (version 0: nothing yet)."""

    position: int
    description: str
    measure: str
    baseline: str
    target: str
    answers: ImpactEntry  # as recorded; blank (no judgement) until the first save
    version: int

    @property
    def outcome_id(self) -> int:
        return self.answers.outcome_id


@dataclass(frozen=True)
class ImpactForm:
    award: AwardToClose
    lines: tuple[ImpactLine, ...]
    attendance_matters: bool  # social, emotional and mental health: ask about attendance first

    def versions(self) -> dict[int, int]:
        return {line.outcome_id: line.version for line in self.lines}


def _award_for(session: Session, actor: Actor, award_id: int
               ) -> tuple[Award, SupportRequest, School, Meeting]:
    award = session.get(Award, award_id)
    request = session.get(SupportRequest, award.request_id) if award else None
    school = session.get(School, request.school_id) if request else None
    meeting = session.get(Meeting, award.meeting_id) if award else None
    if (award is None or request is None or school is None or meeting is None
            or school.cluster_id != actor.cluster_id):
        raise NotOpenToYou("award", award_id)
    if actor.role == Role.SCHOOL and request.school_id != actor.school_id:
        raise NotOpenToYou("award", award_id)  # the same words: nothing says it exists
    return award, request, school, meeting


def _to_close(session: Session, award: Award, request: SupportRequest, school: School
              ) -> AwardToClose:
    outcomes, recorded = _outcome_counts(session, [request.id or 0], [award.id or 0])
    return AwardToClose(award.id or 0, request.title, school.name, request.main_area,
                        award.amount_pence, award.returned_pence,
                        ended_how(award.end_reason, award.ended_on),
                        outcomes.get(request.id or 0, 0), recorded.get(award.id or 0, 0))


def _outcome_counts(session: Session, request_ids: Sequence[int], award_ids: Sequence[int]
                    ) -> tuple[dict[int, int], dict[int, int]]:
    """Outcomes set per request and outcomes with impact recorded per award, counted by the
    database in two queries (not two per award: a school's list spans years of awards)."""
    outcomes = dict(session.exec(
        select(RequestOutcome.request_id, func.count(col(RequestOutcome.id)))
        .where(col(RequestOutcome.request_id).in_(request_ids))
        .group_by(col(RequestOutcome.request_id))).all())
    recorded = dict(session.exec(
        select(ImpactRecord.award_id, func.count(func.distinct(ImpactRecord.outcome_id)))
        .where(col(ImpactRecord.award_id).in_(award_ids))
        .group_by(col(ImpactRecord.award_id))).all())
    return outcomes, recorded


@audit.refusals_logged("list_awards_for_impact")
def awards_for_impact(engine: Engine, actor: Actor, *, owed_only: bool = False
                      ) -> list[AwardToClose]:
    """Ended awards, most recent first: the school's own, or the cluster's for the host."""
    require(has_role(actor, MEMBER_ROLES))
    on = today()
    with read_session(engine) as session:
        query = (select(  # type: ignore[call-overload]  # SQLModel types select() for up to four columns
                     Award.id, Award.amount_pence, Award.returned_pence, Award.end_reason,
                     Award.ended_on, Award.terms, SupportRequest.id, SupportRequest.title,
                     SupportRequest.main_area, School.name, Meeting.academic_year,
                     Meeting.half_term)
                 .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
                 .join(School, col(School.id) == SupportRequest.school_id)
                 .join(Meeting, col(Meeting.id) == Award.meeting_id)
                 .where(School.cluster_id == actor.cluster_id, Award.amount_pence > 0,
                        col(Award.draft).is_(False))
                 .order_by(col(Meeting.held_on).desc(), col(Award.id)))
        if actor.role == Role.SCHOOL:
            query = query.where(SupportRequest.school_id == actor.school_id)
        ended = [row for row in session.exec(query).all()
                 if run_has_ended(row[4], row[10], row[11], row[5], on)]
        outcomes, recorded = _outcome_counts(session, [row[6] for row in ended],
                                             [row[0] for row in ended])
        rows = [AwardToClose(award_id, title, school_name, main_area, awarded, returned,
                             ended_how(end_reason, ended_on), outcomes.get(request_id, 0),
                             recorded.get(award_id, 0))
                for (award_id, awarded, returned, end_reason, ended_on, _terms, request_id, title,
                     main_area, school_name, _year, _half_term) in ended]
    return [row for row in rows if not (owed_only and row.complete)]


@audit.refusals_logged("read_impact_form")
def impact_form(engine: Engine, actor: Actor, award_id: int) -> ImpactForm:
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        award, request, school, meeting = _award_for(session, actor, award_id)
        records = {r.outcome_id: r for r in session.exec(select(ImpactRecord).where(
            ImpactRecord.award_id == award_id)).all()}
        lines = []
        for outcome in session.exec(select(RequestOutcome).where(
                RequestOutcome.request_id == request.id)
                .order_by(col(RequestOutcome.position))).all():
            record = records.get(outcome.id or 0)
            lines.append(ImpactLine(
                outcome.position, outcome.description, outcome.measure,
                record.baseline if record else outcome.baseline,
                record.target if record else outcome.target,
                entry_of(record) if record else ImpactEntry(outcome.id or 0, "", "", ""),
                record.version if record else 0))
        return ImpactForm(_to_close(session, award, request, school), tuple(lines),
                          request.main_area == "Social, emotional and mental health")


def _text(field: str, value: str, limit: int, *, required: bool = False,
          confirmed_not_names: ConfirmedNames = False, confirmed: list[str] | None = None) -> str:
    """The text as stored, through the one text check; fields whose words the writer confirmed
    are not a person's name are added to `confirmed` (for the audit)."""
    cleaned = value.strip()
    if required and not cleaned:
        raise InvalidInput(field, "is needed")
    fields = require_clean_text(field, cleaned, limit, confirmed_not_names=confirmed_not_names)
    if confirmed is not None:
        confirmed.extend(fields)
    return cleaned


def check_entry(entry: ImpactEntry, position: int, *,
                confirmed_not_names: ConfirmedNames = False,
                confirmed: list[str] | None = None) -> ImpactEntry:
    """The entry as stored, or the first problem a person can fix."""
    label = f"Outcome {position}"
    if entry.judgement not in JUDGEMENTS:
        raise InvalidInput(f"{label}: judgement", "choose exceeded, met, partly met or not met")
    for name in ("attendance_before_pct", "attendance_after_pct"):
        value = getattr(entry, name)
        if value is not None and not 0 <= value <= 100:
            raise InvalidInput(f"{label}: attendance", "is a percentage from 0 to 100")
    for name in ("exclusions_before", "exclusions_after"):
        value = getattr(entry, name)
        if value is not None and not 0 <= value <= MAX_EXCLUSIONS:
            raise InvalidInput(f"{label}: suspensions and exclusions",
                               f"give the number of days, 0 to {MAX_EXCLUSIONS}")

    def text(field: str, value: str, limit: int, required: bool = False) -> str:
        return _text(f"{label}: {field}", value, limit, required=required,
                     confirmed_not_names=confirmed_not_names, confirmed=confirmed)

    return replace(
        entry,
        achieved=text("achieved", entry.achieved, MAX_ACHIEVED, required=True),
        can_do_now=text("what the child can do now", entry.can_do_now, MAX_CAN_DO,
                        required=True),
        what_worked=text("what worked", entry.what_worked, MAX_WHAT_WORKED),
        pupil_voice=text("pupil voice", entry.pupil_voice, MAX_VOICE),
        parent_voice=text("parent/carer voice", entry.parent_voice, MAX_VOICE))


TEXT_FIELDS = frozenset({"achieved", "can_do_now", "what_worked", "pupil_voice", "parent_voice"})


def _audited(record: ImpactRecord) -> dict[str, object]:
    return {name: getattr(record, name) for name in ANSWERS}


@audit.mutating("record_impact")
def record_impact(engine: Engine, actor: Actor, award_id: int, entries: Sequence[ImpactEntry], *,
                  expected_versions: Mapping[int, int],
                  confirmed_not_names: ConfirmedNames = False) -> AwardToClose:
    """Saves the impact of an ended award, outcome by outcome, in one transaction. Each outcome's
    record carries its own version: a screen drawn before someone else's save is refused."""
    require(has_role(actor, MEMBER_ROLES))
    on = today()
    with write_session(engine) as session:
        award, request, school, meeting = _award_for(session, actor, award_id)
        if award.amount_pence <= 0:
            raise InvalidInput("Award", "only an award that paid for support has impact to record")
        if not has_ended(award, meeting, on):
            raise InvalidInput("Award", "it has not ended yet: record progress at its reviews; "
                               "impact is recorded once it is stopped, completed or its run is "
                               "over")
        outcomes = {o.id: o for o in session.exec(select(RequestOutcome).where(
            RequestOutcome.request_id == request.id)).all()}
        records = {r.outcome_id: r for r in session.exec(select(ImpactRecord).where(
            ImpactRecord.award_id == award_id)).all()}
        if not entries:
            raise InvalidInput("Impact", "record at least one outcome")
        confirmed: list[str] = []
        for entry in entries:
            outcome = outcomes.get(entry.outcome_id)
            if outcome is None:
                raise InvalidInput("Impact", "an outcome given is not one of this request's")
            checked = check_entry(entry, outcome.position,
                                  confirmed_not_names=confirmed_not_names, confirmed=confirmed)
            _save(session, actor, award, outcome, records.get(entry.outcome_id), checked,
                  expected_versions.get(entry.outcome_id, 0), on)
        record_confirmation(session, actor, confirmed, entity="award", entity_id=award_id)
        session.flush()
        return _to_close(session, award, request, school)


def _save(session: Session, actor: Actor, award: Award, outcome: RequestOutcome,
          record: ImpactRecord | None, entry: ImpactEntry, expected_version: int,
          on: date) -> None:
    if record is None:
        if expected_version != 0:
            raise InvalidInput("Impact", "this outcome's record has gone; reload the page")
        record = ImpactRecord(award_id=award.id or 0, outcome_id=outcome.id or 0,
                              baseline=outcome.baseline, target=outcome.target, achieved="",
                              judgement=entry.judgement)
        before: dict[str, object] = {}
    else:
        check_not_stale(session, record, expected_version=expected_version,
                        drawn_from={"judgement": record.judgement}, entity="impact_record")
        before = _audited(record)
    write_entry(record, entry)
    record.recorded_by_id = actor.user_id
    record.recorded_on = on
    session.add(record)
    session.flush()
    audit.record(session, actor, "record_impact", entity="impact_record", entity_id=record.id,
                 before=before, after=_audited(record), text_fields=TEXT_FIELDS)


# --- facts for the aggregates ---------------------------------------------------------------------


@dataclass(frozen=True)
class AwardFact:
    """One decided request (deferred ones wait for their decision) as the aggregates count it.

    `pupils` holds opaque keys (school id and the school's reference) only so that a pupil on two
    awards is counted once; it never leaves the engine."""

    award_id: int
    school_id: int
    school_name: str
    academic_year: int
    area: str
    kind: str
    request_kind: str
    decision: str
    asked_pence: int
    awarded_pence: int
    returned_pence: int
    pupils: frozenset[str]
    ended: bool
    judgements: tuple[str, ...]

    @property
    def received_pence(self) -> int:
        """Awarded, net of any money returned to the cluster."""
        return max(0, self.awarded_pence - self.returned_pence)

    @property
    def unmet_pence(self) -> int:
        """Need asked for and not awarded (money returned later is not unmet need)."""
        return max(0, self.asked_pence - self.awarded_pence)

    @property
    def met(self) -> int:
        return sum(1 for j in self.judgements if j in MET_JUDGEMENTS)

    @property
    def not_met(self) -> int:
        return len(self.judgements) - self.met


def load_award_facts(session: Session, cluster_id: int, on: date) -> list[AwardFact]:
    """Every decided request in the cluster with its award (all years).

    Reads only the columns the figures need: whole rows would decode every request's stored
    outcomes and provision map, thousands of times, for nothing."""
    rows = session.exec(
        select(  # type: ignore[call-overload]  # SQLModel types select() for up to four columns
            Award.id, Award.decision, Award.amount_pence, Award.returned_pence,
            Award.ended_on, Award.terms, SupportRequest.id, SupportRequest.main_area,
            SupportRequest.provision_kind, SupportRequest.kind, SupportRequest.amount_pence,
            School.id, School.name, Meeting.academic_year, Meeting.half_term)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(School, col(School.id) == SupportRequest.school_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Award.decision != Decision.DEFERRED,
               SupportRequest.kind != RequestKind.CASE_DISCUSSION,
               col(Award.draft).is_(False))  # a decision the meeting has not yet confirmed
        .order_by(col(Award.id))).all()
    request_ids = [row[6] for row in rows]
    pupils = _grouped(session.exec(select(RequestPupil.request_id, RequestPupil.reference).where(
        col(RequestPupil.request_id).in_(request_ids))).all())
    shapes = _grouped((request_id, CostShape(cost, grade, size)) for request_id, cost, grade, size
                      in session.exec(select(CostLine.request_id, CostLine.cost_pence,
                                             CostLine.staff_grade, CostLine.group_size)
                                      .where(col(CostLine.request_id).in_(request_ids))).all())
    judgements = _grouped(session.exec(select(ImpactRecord.award_id, ImpactRecord.judgement).where(
        col(ImpactRecord.award_id).in_([row[0] for row in rows]))).all())
    facts = []
    for (award_id, decision, awarded, returned, ended_on, terms, request_id, main_area,
         provision_kind, kind, asked, school_id, school_name, academic_year, half_term) in rows:
        facts.append(AwardFact(
            award_id or 0, school_id or 0, school_name, academic_year,
            main_area if main_area in AREA_CHOICES else OTHER_AREA,
            provision_kind_of(provision_kind, kind, shapes.get(request_id, [])), kind,
            decision, asked, awarded, returned,
            frozenset(f"{school_id}:{ref.strip().lower()}" for ref in pupils.get(request_id, [])),
            run_has_ended(ended_on, academic_year, half_term, terms, on),
            tuple(judgements.get(award_id, []))))
    return facts


Key = TypeVar("Key")
Value = TypeVar("Value")


def _grouped(pairs: Iterable[tuple[Key, Value]]) -> dict[Key, list[Value]]:
    grouped: dict[Key, list[Value]] = {}
    for key, value in pairs:
        grouped.setdefault(key, []).append(value)
    return grouped


# --- aggregation (unsuppressed: the suppression is applied by cluster.outcomes.dashboard) ---------


@dataclass(frozen=True)
class OutcomeSummary:
    """Outcomes judged for a group of awards, and what they cost."""

    label: str
    awards: int
    pupils: int
    outcomes: int
    met: int
    spend_pence: int

    @property
    def met_pct(self) -> float | None:
        return None if not self.outcomes else 100 * self.met / self.outcomes

    @property
    def cost_per_outcome_met_pence(self) -> int | None:
        return None if not self.met else share_of(self.spend_pence, 1, self.met)


def judged(facts: Iterable[AwardFact]) -> list[AwardFact]:
    """Awards with impact recorded: the ones whose outcomes count."""
    return [fact for fact in facts if fact.judgements]


def summarise_outcomes(facts: Iterable[AwardFact], label: str) -> OutcomeSummary:
    chosen = judged(facts)
    pupils: set[str] = set()
    for fact in chosen:
        pupils |= fact.pupils
    return OutcomeSummary(label, len(chosen), len(pupils), sum(len(f.judgements) for f in chosen),
                          sum(f.met for f in chosen), sum(f.received_pence for f in chosen))


def outcomes_by(facts: Iterable[AwardFact], key: str, order: Sequence[str] = ()
                ) -> list[OutcomeSummary]:
    """Outcomes met, and cost per outcome met, by `key` ("kind", "area", "school_name", ...)."""
    groups: dict[str, list[AwardFact]] = {}
    for fact in judged(facts):
        groups.setdefault(str(getattr(fact, key)), []).append(fact)
    labels = [label for label in order if label in groups] + sorted(set(groups) - set(order))
    return [summarise_outcomes(groups[label], label) for label in labels]


def describe_cost(summary: OutcomeSummary) -> str:
    cost = summary.cost_per_outcome_met_pence
    return "no outcome met yet" if cost is None else f"{format_pounds(cost)} per outcome met"

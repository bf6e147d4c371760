"""Decisions at a funding round: the table the host walks, the Save that writes it in one
transaction, and confirming the round.

- Only a quorate meeting records decisions.
- A school's own people stand aside on its requests (joint projects: every partner school too); the
  deputy chairs the items about the host's own school, and only an item's chair records it. Each
  award keeps the chair's name, the schools that decided and the schools that stood aside.
- An award that differs from the suggestion, and every decline or deferral, needs a written reason;
  so does an award shorter than asked. A vote records its counts.
- Each save carries the versions the screen was drawn from: a decision someone else saved since is
  never overwritten, and the refusal says what changed.
- Confirming the round is `cluster.meetings.confirmation`.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import format_date
from cluster.common.meeting_day import meeting_day
from cluster.common.money import format_pounds, pence_from_pounds, whole_pounds
from cluster.common.text_check import (
    ConfirmedNames,
    NamesToConfirm,
    check_text,
    record_confirmation,
    unconfirmed,
)
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotAllowed, NotFound, StaleEdit
from cluster.core.faults import pause_point
from cluster.core.permissions import Actor, Permission, can_manage_cluster, require
from cluster.core.scope import meeting_in_cluster
from cluster.funding.ledger import RoundFigures, round_figures
from cluster.meetings.context import (
    ConsideredRequest,
    DecisionTerms,
    MeetingSummary,
    attendance_rows,
    meeting_quorum,
    meeting_to_record,
    pupil_lines,
    require_decisions_open,
    require_meeting_open,
    require_quorum,
    summary_of,
)
from cluster.meetings.record import ReviewDueLine, reviews_due_in
from cluster.meetings.rules import (
    MAX_TEXT_CHARACTERS,
    DecisionFacts,
    Quorum,
    asked_pounds,
    deciding_schools,
    decision_for,
    decision_problems,
    represented_schools,
)
from cluster.meetings.split import (
    AcceptedSplit,
    SplitSettings,
    accepted_split,
    meeting_suggestion,
    store_suggestion,
)
from cluster.models import (
    Award,
    Decision,
    DecisionType,
    Meeting,
    RequestKind,
    RequestStatus,
    SupportRequest,
    UrgentDecision,
    UrgentStatus,
)
from cluster.people.chairs import Chairs, chairs_of, item_chair, may_decide
from cluster.people.schools import school_names
from cluster.people.users import staff_names
from cluster.requests.need_score import need_band
from cluster.year.review_points import LaterMeeting, later_meetings, review_points_for

DECIDABLE = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA)
TEXT_FIELDS = frozenset({"reason", "length_reason", "conditions", "next_time"})
STALE_LABELS: dict[str, str] = {"decision": "decision", "amount_pence": "agreed",
                                "terms": "terms", "decision_type": "decided by"}


@dataclass(frozen=True)
class DecisionRow(ConsideredRequest, DecisionTerms):
    suggestion_locked: bool
    award_id: int | None
    version: int  # 0 while no decision is saved
    decision: str | None
    agreed_pence: int | None
    votes_for: int | None
    votes_against: int | None
    votes_abstaining: int | None
    review_meeting_ids: tuple[int, ...]
    decided_by: str
    chair: str
    stood_aside: tuple[str, ...]
    can_decide: Permission
    draft: bool

    @property
    def asked_pounds(self) -> int:
        return asked_pounds(self.asked_pence)

    @property
    def decision_label(self) -> str:
        return Decision.labels().get(self.decision or "", "Not decided yet")

    @property
    def starting_reason(self) -> str:
        """What the form starts from: the saved reason, or the suggestion's own for a decline."""
        if self.award_id is not None or self.suggested_pounds not in (0,):
            return self.reason
        return f"As suggested. {self.suggestion_text}".strip()

    def drawn_from(self) -> dict[str, object]:
        return {"decision": self.decision, "amount_pence": self.agreed_pence, "terms": self.terms,
                "decision_type": self.decision_type, "reason": self.reason,
                "conditions": self.conditions, "length_reason": self.length_reason,
                "next_time": self.next_time}


@dataclass(frozen=True)
class MeetingDecisions:
    meeting: MeetingSummary
    quorum: Quorum
    budget: RoundFigures | None
    rows: tuple[DecisionRow, ...]
    later: tuple[LaterMeeting, ...]
    suggestion_source: str  # accepted, default or none
    case_discussions: tuple[tuple[int, str, str], ...]  # (request id, school, title)
    can_record: Permission
    can_confirm: Permission
    chairs: Chairs
    reviews_due: tuple[ReviewDueLine, ...]

    def drawn(self) -> dict[int, tuple[int, dict[str, object]]]:
        return {row.request_id: (row.version, row.drawn_from()) for row in self.rows}

    @property
    def undecided(self) -> list[DecisionRow]:
        return [row for row in self.rows if row.award_id is None]

    @property
    def agreed_total_pence(self) -> int:
        return sum(row.agreed_pence or 0 for row in self.rows)


@dataclass(frozen=True)
class DecisionInput:
    request_id: int
    agreed_pounds: int
    deferred: bool = False
    terms: int | None = None  # None: as asked
    reason: str = ""
    length_reason: str = ""
    conditions: str = ""
    next_time: str = ""
    decision_type: str = DecisionType.CONSENSUS
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None
    review_meeting_ids: tuple[int, ...] = ()  # empty: the default review points

    def __post_init__(self) -> None:
        # Ticking Defer is the decision: a deferral is £0 at this meeting, whatever figure the
        # row still showed (the host need not also type 0).
        if self.deferred and self.agreed_pounds:
            object.__setattr__(self, "agreed_pounds", 0)


class DecisionProblems(InvalidInput):
    """Several decisions break a rule: nothing was saved; each problem names its request."""

    def __init__(self, problems: Sequence[tuple[int, str, str]]) -> None:
        self.problems = list(problems)
        lines = "; ".join(f"request {rid} {name}: {text}" for rid, name, text in problems)
        super().__init__("Decisions", f"nothing was saved. {lines}")


# --- reading --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Context:
    """What a save or a confirmation reads once, inside its session."""

    meeting: Meeting
    requests: dict[int, SupportRequest]
    awards: dict[int, Award]
    schools: dict[int, str]
    chairs: Chairs
    represented: frozenset[int]
    later: list[LaterMeeting]


def context_of(session: Session, meeting: Meeting) -> Context:
    awards = {a.request_id: a for a in session.exec(select(Award).where(
        Award.meeting_id == meeting.id, col(Award.from_reserve).is_(False))).all()}
    rows = session.exec(select(SupportRequest).where(
        SupportRequest.meeting_id == meeting.id,
        col(SupportRequest.status).in_((*DECIDABLE, RequestStatus.DECIDED)),
        SupportRequest.kind != RequestKind.CASE_DISCUSSION)).all()
    urgent = set(session.exec(select(UrgentDecision.request_id).where(
        col(UrgentDecision.status).in_((UrgentStatus.AWAITING_SECOND, UrgentStatus.AGREED,
                                              UrgentStatus.RATIFIED)))).all())
    requests = {r.id: r for r in rows if r.id is not None and r.id not in urgent
                and (r.amount_pence > 0 or r.id in awards)}
    for request_id in set(awards) - set(requests):  # deferred on to a later round
        moved = session.get(SupportRequest, request_id)
        if moved is not None:
            requests[request_id] = moved
    represented = represented_schools((a.school_id, a.capacity, a.present)
                                      for a in attendance_rows(session, meeting.id or 0))
    return Context(meeting, dict(sorted(requests.items())), awards,
                    school_names(session, meeting.cluster_id),
                    chairs_of(session, meeting.cluster_id),
                    represented, later_meetings(session, meeting))


def _item_schools(request: SupportRequest) -> list[int]:
    return [request.school_id, *[int(s) for s in (request.partner_school_ids or [])]]


def _row(session: Session, actor: Actor, ctx: Context, request: SupportRequest,
         suggestion: Mapping[int, object]) -> DecisionRow:
    assert request.id is not None
    award = ctx.awards.get(request.id)
    line = suggestion.get(request.id)
    suggested = getattr(line, "suggested_pounds", None)
    text = getattr(line, "explanation", "")
    locked = getattr(line, "locked_pounds", None) is not None
    if award is not None and award.suggested_pence is not None and award.draft is False:
        suggested, text, locked = (whole_pounds(award.suggested_pence), award.suggestion_text,
                                   award.suggestion_locked)
    item = _item_schools(request)
    names = [ctx.schools.get(s, "") for s in item]
    _, chair = item_chair(ctx.chairs, item)
    return DecisionRow(
        request_id=request.id, school_id=request.school_id,
        school_name=ctx.schools.get(request.school_id, ""), title=request.title,
        kind=request.kind, main_area=request.main_area, asked_pence=request.amount_pence,
        minimum_pence=request.minimum_pence, asked_terms=request.duration_terms,
        need_score=request.need_score, band=need_band(request), flags=tuple(request.flags or []),
        pupils=pupil_lines(session, request.id), need_summary=request.need_summary,
        suggested_pounds=suggested, suggestion_text=text, suggestion_locked=locked,
        award_id=award.id if award else None, version=award.version if award else 0,
        decision=award.decision if award else None,
        agreed_pence=award.amount_pence if award else None,
        terms=award.terms if award else request.duration_terms,
        reason=award.reason if award else "",
        length_reason=award.length_reason if award else "",
        conditions=award.conditions if award else "", next_time=award.next_time if award else "",
        decision_type=award.decision_type if award else DecisionType.CONSENSUS,
        votes_for=award.votes_for if award else None,
        votes_against=award.votes_against if award else None,
        votes_abstaining=award.votes_abstaining if award else None,
        review_meeting_ids=tuple(award.review_meeting_ids or []) if award else (),
        decided_by=award.decided_by if award else "", chair=chair,
        stood_aside=tuple(n for n in names if n),
        can_decide=may_decide(actor, ctx.chairs, item, names),
        draft=bool(award.draft) if award else True)


def decisions_in(session: Session, actor: Actor, meeting: Meeting) -> MeetingDecisions:
    ctx = context_of(session, meeting)
    suggestion = meeting_suggestion(session, meeting) if meeting.is_funding_round else {}
    source = ("accepted" if accepted_split(session, meeting.id or 0) is not None
              else "default" if suggestion else "none")
    quorum = meeting_quorum(session, meeting)
    cases = session.exec(select(SupportRequest).where(
        SupportRequest.meeting_id == meeting.id, SupportRequest.kind == RequestKind.CASE_DISCUSSION,
        col(SupportRequest.status).in_((*DECIDABLE, RequestStatus.DECIDED)))).all()
    return MeetingDecisions(
        summary_of(meeting), quorum,
        round_figures(session, meeting) if meeting.is_funding_round else None,
        tuple(_row(session, actor, ctx, r, suggestion) for r in ctx.requests.values()),
        tuple(ctx.later), source,
        tuple((c.id or 0, ctx.schools.get(c.school_id, ""), c.title) for c in cases),
        _can_record(session, meeting, quorum), can_confirm_round(actor, ctx, meeting, quorum),
        ctx.chairs, tuple(reviews_due_in(session, meeting)))


def _can_record(session: Session, meeting: Meeting, quorum: Quorum) -> Permission:
    if meeting.decisions_confirmed_on is not None:
        return False, (f"The decisions were confirmed on "
                       f"{format_date(meeting.decisions_confirmed_on)}: they are the record now.")
    try:
        require_meeting_open(session, meeting)
    except InvalidInput as closed:
        return False, closed.problem
    day = meeting_day(meeting)
    if not day.opened:
        return False, day.message
    if not quorum.quorate:
        return False, quorum.message
    return True, ""


def can_confirm_round(actor: Actor, ctx: Context, meeting: Meeting, quorum: Quorum) -> Permission:
    if meeting.decisions_confirmed_on is not None:
        return False, "Already confirmed."
    day = meeting_day(meeting)
    if not day.opened:
        return False, day.message
    if not quorum.quorate:
        return False, quorum.message
    chair_id = ctx.chairs.host_user_id or ctx.chairs.deputy_user_id
    if actor.user_id != chair_id:
        return False, f"{ctx.chairs.host_name}, who chairs the meeting, confirms its decisions."
    missing = [r for r in ctx.requests.values() if r.id not in ctx.awards]
    if missing:
        return False, ("Every request needs a decision first; still to decide: "
                       + ", ".join(f"request {r.id}" for r in missing) + ".")
    return True, ""


@audit.refusals_logged("read_meeting_decisions")
def meeting_decisions(engine: Engine, actor: Actor, meeting_id: int) -> MeetingDecisions:
    """The requests for this round with need scores, flags, the suggestion and the decisions."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return decisions_in(session, actor, meeting_in_cluster(session, actor, meeting_id))


@audit.refusals_logged("list_reviews_due")
def reviews_due(engine: Engine, actor: Actor, meeting_id: int) -> list[ReviewDueLine]:
    """The reviews booked at this meeting (the reviews service records and confirms them)."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        return reviews_due_in(session, meeting_in_cluster(session, actor, meeting_id))


# --- saving ---------------------------------------------------------------------------------------


def refuse_stale(session: Session, ctx: Context, drawn: Mapping[int, tuple[int, Mapping]],
                  request_ids: Sequence[int]) -> None:
    changes: list[str] = []
    who: str | None = None
    for request_id in request_ids:
        version, shown = drawn.get(request_id, (0, {}))
        award = ctx.awards.get(request_id)
        current = award.version if award else 0
        if current == version:
            continue
        changes.append(f"request {request_id}: " + _what_changed(award, shown))
        if award is not None and award.id is not None:
            who = who or last_change_by(session, "award", award.id)
    if changes:
        raise StaleEdit(changes, who)


def _what_changed(award: Award | None, shown: Mapping[str, object]) -> str:
    if award is None:
        return "its decision was removed"
    parts = []
    for field, label in STALE_LABELS.items():
        old, new = shown.get(field), getattr(award, field)
        if old != new:
            parts.append(f"{label} {_shown(field, old)} → {_shown(field, new)}")
    parts += [f"{field.replace('_', ' ')} rewritten" for field in sorted(TEXT_FIELDS)
              if shown.get(field, "") != getattr(award, field)]
    return ", ".join(parts) or "saved again"


def _shown(field: str, value: object) -> str:
    if value is None:
        return "none"
    if field == "amount_pence" and isinstance(value, int | float | str):
        return format_pounds(int(value))
    if field == "decision":
        return Decision.label_of(str(value)).lower()
    return str(value)


def facts_for(request: SupportRequest, item: DecisionInput, award: Award | None,
           suggestion: Mapping[int, object], deciding: int) -> DecisionFacts:
    line = suggestion.get(request.id or 0)
    suggested = getattr(line, "suggested_pounds", None)
    return DecisionFacts(
        asked_pence=request.amount_pence, asked_terms=request.duration_terms,
        agreed_pence=pence_from_pounds(item.agreed_pounds), deferred=item.deferred,
        terms=item.terms if item.terms is not None else request.duration_terms,
        suggested_pence=None if suggested is None else pence_from_pounds(suggested),
        suggestion_locked=getattr(line, "locked_pounds", None) is not None,
        reason=item.reason, length_reason=item.length_reason, decision_type=item.decision_type,
        votes_for=item.votes_for, votes_against=item.votes_against,
        votes_abstaining=item.votes_abstaining, deciding=deciding)


def _text_problems(item: DecisionInput, known: Collection[str],
                   confirmed_not_names: ConfirmedNames,
                   prompts: dict[str, tuple[str, ...]], confirmed: list[str]
                   ) -> list[tuple[str, str]]:
    """The text check over one decision's reasons and conditions: refusals are returned as
    problems; words that may be a name and are not confirmed go into `prompts` (field: words),
    confirmed ones into `confirmed` (field names, for the audit)."""
    problems = []
    for name in sorted(TEXT_FIELDS):
        field = name.replace("_", " ")
        verdict = check_text(field, getattr(item, name), MAX_TEXT_CHARACTERS,
                             known_people=known)
        problems += [(field, refusal) for refusal in verdict.refusals]
        waiting = unconfirmed(verdict.names_to_confirm, confirmed_not_names)
        if waiting:
            prompts[f"Request {item.request_id} {field}"] = waiting
        elif verdict.names_to_confirm:
            confirmed.append(name)
    return problems


def _known_words(session: Session, ctx: Context) -> list[str]:
    """Names the toolkit itself writes into a reason (the suggestion's explanation names
    schools) and the cluster's staff through their accounts: not refused or asked about."""
    return [*ctx.schools.values(), *staff_names(session, ctx.meeting.cluster_id)]


def _reviews_for(session: Session, item: DecisionInput, ctx: Context, request: SupportRequest,
                 terms: int) -> list[int]:
    later_ids = {m.id for m in ctx.later}
    chosen = [i for i in item.review_meeting_ids if i in later_ids]
    if len(chosen) != len(item.review_meeting_ids):
        raise InvalidInput("Review points", f"request {request.id}: choose meetings after this one")
    if chosen or item.agreed_pounds <= 0:
        return sorted(set(chosen)) if item.agreed_pounds > 0 else []
    return review_points_for(session, ctx.meeting, ctx.later, terms)


@audit.mutating("save_decisions")
def save_decisions(engine: Engine, actor: Actor, meeting_id: int,
                   decisions: Sequence[DecisionInput], *,
                   drawn: Mapping[int, tuple[int, Mapping[str, object]]],
                   confirmed_not_names: ConfirmedNames = False) -> MeetingDecisions:
    """Writes the decisions given, all or none, as the meeting's draft decisions. Reasons and
    conditions go through the one text check: a name refused is a problem like any other; words
    that may be a name need `confirmed_not_names` (audited without the words)."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_to_record(session, actor, meeting_id, "Decisions are recorded")
        require_quorum(session, meeting)
        ctx = context_of(session, meeting)
        refuse_stale(session, ctx, drawn, [d.request_id for d in decisions])
        suggestion = meeting_suggestion(session, meeting)
        problems: list[tuple[int, str, str]] = []
        prompts: dict[str, tuple[str, ...]] = {}
        confirmed: dict[int, list[str]] = {}
        known = _known_words(session, ctx)
        for item in decisions:
            request = ctx.requests.get(item.request_id)
            if request is None:
                raise NotFound(f"Request {item.request_id} is not waiting for a decision at this "
                               "meeting.")
            schools = _item_schools(request)
            allowed, why = may_decide(actor, ctx.chairs, schools,
                                      [ctx.schools.get(s, "") for s in schools])
            if not allowed:
                raise NotAllowed(f"Request {item.request_id}: {why}")
            deciding = len(deciding_schools(ctx.represented, schools))
            facts = facts_for(request, item, ctx.awards.get(item.request_id), suggestion, deciding)
            problems += [(item.request_id, f, p)
                         for f, p in decision_problems(facts) + _text_problems(
                             item, known, confirmed_not_names, prompts,
                             confirmed.setdefault(item.request_id, []))]
        if problems:
            raise DecisionProblems(problems)
        if prompts:
            raise NamesToConfirm(prompts)
        for item in decisions:
            award = _write(session, actor, ctx, item, suggestion)
            record_confirmation(session, actor, confirmed.get(item.request_id, ()),
                                entity="award", entity_id=award.id)
        session.flush()
        pause_point("meeting_save_flushed")
        return decisions_in(session, actor, meeting)


def _write(session: Session, actor: Actor, ctx: Context, item: DecisionInput,
           suggestion: Mapping[int, object]) -> Award:
    request = ctx.requests[item.request_id]
    schools = _item_schools(request)
    award = ctx.awards.get(item.request_id)
    before = _audited(award)
    if award is None:
        award = Award(request_id=item.request_id, meeting_id=ctx.meeting.id or 0,
                      decision=Decision.NONE, draft=True)
    terms = item.terms if item.terms is not None else request.duration_terms
    line = suggestion.get(item.request_id)
    suggested = getattr(line, "suggested_pounds", None)
    award.decision = decision_for(pence_from_pounds(item.agreed_pounds), request.amount_pence,
                                  item.deferred)
    award.amount_pence = 0 if item.deferred else pence_from_pounds(item.agreed_pounds)
    award.terms = terms if award.amount_pence else request.duration_terms
    award.suggested_pence = None if suggested is None else pence_from_pounds(suggested)
    award.suggestion_text = getattr(line, "explanation", "")
    award.suggestion_locked = getattr(line, "locked_pounds", None) is not None
    award.reason, award.length_reason = item.reason.strip(), item.length_reason.strip()
    award.conditions, award.next_time = item.conditions.strip(), item.next_time.strip()
    award.decision_type = item.decision_type
    is_vote = item.decision_type == DecisionType.VOTE
    award.votes_for = item.votes_for if is_vote else None
    award.votes_against = item.votes_against if is_vote else None
    award.votes_abstaining = item.votes_abstaining if is_vote else None
    award.review_meeting_ids = _reviews_for(session, item, ctx, request, award.terms)
    award.decided_by = actor.display_name
    award.decided_on = today()
    award.deciding_school_ids = deciding_schools(ctx.represented, schools)
    award.stood_aside_school_ids = sorted(set(schools))
    session.add(award)
    session.flush()
    audit.record(session, actor, "save_decisions", entity="award", entity_id=award.id,
                 before=before, after=_audited(award), text_fields=TEXT_FIELDS)
    return award


def _audited(award: Award | None) -> dict[str, object]:
    if award is None:
        return {}
    return {"request_id": award.request_id, "decision": award.decision,
            "amount_pence": award.amount_pence, "terms": award.terms,
            "suggested_pence": award.suggested_pence, "decision_type": award.decision_type,
            "votes_for": award.votes_for, "votes_against": award.votes_against,
            "votes_abstaining": award.votes_abstaining, "reason": award.reason,
            "length_reason": award.length_reason, "conditions": award.conditions,
            "next_time": award.next_time, "decided_by": award.decided_by,
            "stood_aside": ",".join(str(s) for s in award.stood_aside_school_ids or [])}


# --- accepting the suggested split into the draft decisions ---------------------------------------


@dataclass(frozen=True)
class AcceptedIntoDrafts:
    accepted: AcceptedSplit
    drafted: tuple[int, ...]  # requests that now have a draft decision from the suggestion
    left: tuple[str, ...]  # why the other undecided requests were left (another chair, quorum)


@audit.mutating("accept_split")
def accept_split(engine: Engine, actor: Actor, meeting_id: int, settings: SplitSettings, *,
                 expected_version: int = 0) -> AcceptedIntoDrafts:
    """Stores the split as the meeting's suggestion and, when the meeting is quorate, starts each
    undecided request this chair may decide from it as a draft decision (a decline carries the
    suggestion's reason). Requests already decided keep their figures and are compared with it."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        require_meeting_open(session, meeting)
        require_decisions_open(meeting)
        store_suggestion(session, actor, meeting, settings, expected_version)
        drafted: list[int] = []
        left: list[str] = []
        quorum = meeting_quorum(session, meeting)
        day = meeting_day(meeting)
        if not day.opened:  # the suggestion is kept; decisions wait for the meeting's day
            left.append("No draft decisions yet: " + day.message)
        elif not quorum.quorate:
            left.append("No draft decisions yet: " + quorum.message)
        else:
            ctx = context_of(session, meeting)
            suggestion = meeting_suggestion(session, meeting)
            for request_id, request in ctx.requests.items():
                line = suggestion.get(request_id)
                if request_id in ctx.awards or line is None or line.suggested_pounds is None:
                    continue
                schools = _item_schools(request)
                allowed, why = may_decide(actor, ctx.chairs, schools,
                                          [ctx.schools.get(s, "") for s in schools])
                if not allowed:
                    left.append(f"Request {request_id}: {why}")
                    continue
                reason = "" if line.suggested_pounds else f"As suggested. {line.explanation}"
                _write(session, actor, ctx, DecisionInput(request_id, line.suggested_pounds,
                                                          reason=reason), suggestion)
                drafted.append(request_id)
        accepted = accepted_split(session, meeting_id)
        assert accepted is not None
        return AcceptedIntoDrafts(accepted, tuple(drafted), tuple(left))


"""Suggest a split in the app: the optimiser run on a funding round's requests.

The host picks the objective, sets floors and caps per school, locks amounts, runs it, and accepts
the suggestion into the meeting's draft decisions. Accepting stores the split (`SplitSuggestion`);
the decisions table then starts from it, and any award that differs from it needs a reason.
Until the host accepts one, the meeting works from the default split (most need met, no floors,
caps or locks), which the meeting pack also prints.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.money import format_pounds, pence_from_pounds, share_of, whole_pounds
from cluster.core import audit
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.errors import InvalidInput
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.core.scope import meeting_in_cluster
from cluster.core.versioning import check_not_stale
from cluster.funding.budget import cluster_census, load_funding_year
from cluster.funding.ledger import LEFT_IN_POT, LEFT_TO_AWARD, MONEY_FOR_ROUND, year_ledger
from cluster.meetings.context import AskedRequest, MeetingSummary, summary_of
from cluster.meetings.rules import asked_pounds
from cluster.models import (
    Award,
    Meeting,
    RequestKind,
    RequestStatus,
    School,
    SplitStatus,
    SplitSuggestion,
    SupportRequest,
)
from cluster.optimiser import (
    OBJECTIVES,
    OUTCOME_WORDS,
    AllocationInput,
    RequestInput,
    SchoolLimit,
    SchoolSummary,
    WhatIfPoint,
    allocate,
    school_summary,
    what_if,
)
from cluster.year.schedule import next_or_latest

OBJECTIVE_LABELS: dict[str, str] = {
    "need_per_pound": "Meet the most need (need per pound)",
    "fair_shares": "Fair shares (more need never gets a smaller share of its ask)",
}
WHAT_IF_FACTORS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5)
DECIDABLE = (RequestStatus.SUBMITTED, RequestStatus.ON_AGENDA)
TIME_LIMIT_S = 5.0


@dataclass(frozen=True)
class SplitSettings:
    """The host's choices; mappings are by school id and request id, in whole pounds."""

    objective: str = "need_per_pound"
    floors: Mapping[int, int] = field(default_factory=dict)
    caps: Mapping[int, int] = field(default_factory=dict)
    locks: Mapping[int, int] = field(default_factory=dict)

    def to_json(self) -> dict[str, object]:
        return {"objective": self.objective,
                "floors": {str(k): int(v) for k, v in self.floors.items() if v},
                "caps": {str(k): int(v) for k, v in self.caps.items() if v is not None},
                "locks": {str(k): int(v) for k, v in self.locks.items() if v is not None}}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SplitSettings:
        def ints(name: str) -> dict[int, int]:
            raw = data.get(name) or {}
            assert isinstance(raw, Mapping)
            return {int(k): int(v) for k, v in raw.items()}

        return cls(str(data.get("objective", "need_per_pound")), ints("floors"), ints("caps"),
                   ints("locks"))


@dataclass(frozen=True)
class SplitRequest(AskedRequest):
    need_score: float | None


@dataclass(frozen=True)
class SuggestedLine:
    request_id: int
    school_name: str
    title: str
    asked_pounds: int
    minimum_pounds: int
    need_score: float | None
    locked_pounds: int | None
    suggested_pounds: int | None
    outcome: str
    explanation: str

    @property
    def share_of_ask(self) -> float | None:
        if self.suggested_pounds is None or not self.asked_pounds:
            return None
        return self.suggested_pounds / self.asked_pounds


@dataclass(frozen=True)
class SplitResult:
    meeting_id: int
    status: str
    objective: str
    pot_pounds: int
    lines: tuple[SuggestedLine, ...]
    summary: str
    marginal_need_per_pound: float | None
    conflicts: tuple[str, ...]
    what_if: tuple[WhatIfPoint, ...]
    schools: tuple[SchoolSummary, ...]
    elapsed_ms: float
    settings: SplitSettings

    @property
    def total_suggested(self) -> int:
        return sum(line.suggested_pounds or 0 for line in self.lines)

    def suggested_for(self, request_id: int) -> SuggestedLine | None:
        return next((line for line in self.lines if line.request_id == request_id), None)


@dataclass(frozen=True)
class AcceptedSplit:
    objective: str
    pot_pounds: int
    settings: SplitSettings
    lines: Mapping[int, SuggestedLine]
    summary: str
    marginal_need_per_pound: float | None
    accepted_by: str
    accepted_on: date | None
    version: int


@dataclass(frozen=True)
class SplitScreen:
    meeting: MeetingSummary
    rounds: tuple[MeetingSummary, ...]
    pot_pounds: int | None
    pot_words: str
    requests: tuple[SplitRequest, ...]
    schools: tuple[tuple[int, str], ...]  # the schools with requests in this round
    accepted: AcceptedSplit | None
    decisions_confirmed: bool


# --- reading the round ----------------------------------------------------------------------------


def funding_rounds(session: Session, cluster_id: int) -> list[Meeting]:
    return list(session.exec(select(Meeting).where(
        Meeting.cluster_id == cluster_id, col(Meeting.is_funding_round).is_(True))
        .order_by(col(Meeting.held_on))).all())


def round_requests(session: Session, meeting: Meeting) -> list[SplitRequest]:
    """Requests waiting for a decision at this round (money asked: case discussions stand apart)."""
    rows = session.exec(
        select(SupportRequest, School).join(School, col(School.id) == SupportRequest.school_id)
        .where(SupportRequest.meeting_id == meeting.id, col(SupportRequest.status).in_(
            (*DECIDABLE, RequestStatus.DECIDED)),
            SupportRequest.kind != RequestKind.CASE_DISCUSSION, SupportRequest.amount_pence > 0)
        .order_by(col(SupportRequest.id))).all()
    return [SplitRequest(r.id or 0, s.id or 0, s.name, r.title, asked_pounds(r.amount_pence),
                         min(whole_pounds(r.minimum_pence), asked_pounds(r.amount_pence)),
                         r.duration_terms, r.need_score) for r, s in rows]


def pot_for(session: Session, meeting: Meeting) -> tuple[int | None, str]:
    if not meeting.is_funding_round:
        return None, "This is not a funding round: it makes no new awards."
    ledger = year_ledger(session, meeting.cluster_id, meeting.academic_year)
    figures = ledger.round(meeting.id or 0)
    if not ledger.set_up or figures is None:
        return None, "The funding year is not set up yet (Funding year)."
    pounds = whole_pounds(max(0, figures.money_for_round_pence))
    return pounds, (
        f"{format_pounds(figures.released_so_far_pence)} released up to this meeting, less "
        f"{format_pounds(figures.awarded_before_pence)} awarded before it (this year's part): "
        f"{MONEY_FOR_ROUND.lower()} {format_pounds(pence_from_pounds(pounds))}. The split hands it "
        f"out in whole awards, so what it leaves is the {LEFT_IN_POT.lower()}; the part of an "
        "award that runs into next year is next year's money, so the budget's "
        f"{LEFT_TO_AWARD.lower()} after the round is that much more.")


def _reference(request_id: int, width: int) -> str:
    return f"request {request_id:0{width}d}"


def _allocation_input(requests: Sequence[SplitRequest], pot_pounds: int,
                      settings: SplitSettings) -> AllocationInput:
    width = max((len(str(r.request_id)) for r in requests), default=1)
    limits = [SchoolLimit(name, int(settings.floors.get(sid, 0) or 0), settings.caps.get(sid))
              for sid, name in sorted({(r.school_id, r.school_name) for r in requests})
              if settings.floors.get(sid) or settings.caps.get(sid) is not None]
    objective = next((o for o in OBJECTIVES if o == settings.objective), None)
    if objective is None:  # _check_settings refuses it first; this tells the type checker too
        raise InvalidInput("Objective", "choose one of the two ways to split")
    return AllocationInput(
        pot_pounds=pot_pounds,
        requests=tuple(RequestInput(_reference(r.request_id, width), r.school_name,
                                    r.asked_pounds, r.minimum_pounds, r.need_score or 0.0,
                                    settings.locks.get(r.request_id)) for r in requests),
        school_limits=tuple(limits), objective=objective,
        time_limit_s=TIME_LIMIT_S)


# Far above any round's pot; past it the optimiser's arithmetic overflows.
MAX_SETTING_POUNDS = 20_000_000


def lock_problem(request: SplitRequest, pounds: int) -> str:
    """Why this lock cannot be ("" when it can): a lock is £0 (not funded) or from the request's
    minimum to what it asks — anything else leaves the optimiser no split at all."""
    minimum = format_pounds(pence_from_pounds(request.minimum_pounds))
    asked = format_pounds(pence_from_pounds(request.asked_pounds))
    locked = format_pounds(pence_from_pounds(pounds))
    limits = f"lock it at £0 (not funded) or from the {minimum} minimum to the {asked} asked"
    if pounds < 0:
        return f"request {request.request_id}: a lock is £0 or more; {limits}"
    if pounds > request.asked_pounds:
        return f"request {request.request_id}: {locked} is more than the {asked} asked; {limits}"
    if 0 < pounds < request.minimum_pounds:
        return (f"request {request.request_id}: {locked} is below the {minimum} minimum that "
                f"makes it worth doing; {limits}")
    return ""


def _check_settings(settings: SplitSettings, requests: Sequence[SplitRequest]) -> None:
    if settings.objective not in OBJECTIVE_LABELS:
        raise InvalidInput("Objective", "choose one of the two ways to split")
    known = {r.request_id: r for r in requests}
    for request_id, pounds in settings.locks.items():
        if request_id not in known:
            raise InvalidInput("Locks", f"request {request_id} is not in this round")
        problem = lock_problem(known[request_id], pounds)
        if problem:
            raise InvalidInput("Locks", problem)
    for name, values in (("Locks", settings.locks), ("Floors", settings.floors),
                         ("Caps", settings.caps)):
        if any(v is not None and v < 0 for v in values.values()):
            raise InvalidInput(name, "amounts are £0 or more")
        if any(v is not None and v > MAX_SETTING_POUNDS for v in values.values()):
            raise InvalidInput(name, f"amounts are at most £{MAX_SETTING_POUNDS:,}: check the "
                                     "figure")
    for school_id, floor in settings.floors.items():
        cap = settings.caps.get(school_id)
        if cap is not None and floor and floor > cap:
            raise InvalidInput("Floors", "a school's floor cannot be above its cap")


def run_split(session: Session, meeting: Meeting, settings: SplitSettings, *,
              with_what_if: bool = True) -> SplitResult | None:
    """The optimiser on this round (None when there is no pot or no request to split)."""
    requests = round_requests(session, meeting)
    pot, _ = pot_for(session, meeting)
    if pot is None or not requests:
        return None
    _check_settings(settings, requests)
    started = time.perf_counter()
    inp = _allocation_input(requests, pot, settings)
    result = allocate(inp)
    curve = what_if(inp, WHAT_IF_FACTORS) if with_what_if else ()
    elapsed = (time.perf_counter() - started) * 1e3
    width = max(len(str(r.request_id)) for r in requests)
    lines = []
    for r in requests:
        ref = _reference(r.request_id, width)
        outcome = result.outcomes.get(ref)
        lines.append(SuggestedLine(r.request_id, r.school_name, r.title, r.asked_pounds,
                                   r.minimum_pounds, r.need_score, settings.locks.get(r.request_id),
                                   result.awards.get(ref), OUTCOME_WORDS.get(outcome, "")
                                   if outcome else "", result.explanations.get(ref, "")))
    schools: tuple[SchoolSummary, ...] = ()
    if result.status != SplitStatus.INFEASIBLE and with_what_if:
        schools = school_summary(result, inp, *_shares(session, meeting, pot))
    return SplitResult(meeting.id or 0, result.status, settings.objective, pot, tuple(lines),
                       result.summary, result.marginal_need_per_pound, result.conflicts,
                       tuple(curve), schools, elapsed, settings)


def _shares(session: Session, meeting: Meeting, pot: int) -> tuple[dict[str, int], dict[str, int]]:
    """This round's pot split by the LA formula, and by each school's share of SEN pupils."""
    view = load_funding_year(session, meeting.cluster_id, meeting.academic_year)
    formula_total = view.pot.formula_pence or 1
    formula = {s.school_name: share_of(pot, s.formula_pence, formula_total)
               for s in view.pot.shares}
    census = cluster_census(session, meeting.cluster_id, meeting.academic_year)
    sen_total = sum(c.sen_pupils for c in census) or 1
    need = {c.name: share_of(pot, c.sen_pupils, sen_total) for c in census}
    return formula, need


def accepted_split(session: Session, meeting_id: int) -> AcceptedSplit | None:
    row = session.exec(select(SplitSuggestion).where(
        SplitSuggestion.meeting_id == meeting_id)).first()
    if row is None:
        return None
    lines = {}
    for key, data in (row.requests or {}).items():
        assert isinstance(data, Mapping)
        lines[int(key)] = SuggestedLine(
            int(key), str(data.get("school", "")), str(data.get("title", "")),
            int(data.get("asked", 0)), int(data.get("minimum", 0)),
            data.get("need_score"), data.get("locked"),
            data.get("pounds"), str(data.get("outcome", "")),
            str(data.get("explanation", "")))
    return AcceptedSplit(row.objective, whole_pounds(row.pot_pence),
                         SplitSettings.from_json(row.settings),
                         lines, row.summary, row.marginal_need_per_pound, row.accepted_by,
                         row.accepted_on, row.version)


def meeting_suggestion(session: Session, meeting: Meeting) -> dict[int, SuggestedLine]:
    """The suggestion the meeting works from: the accepted one, else the default split."""
    accepted = accepted_split(session, meeting.id or 0)
    if accepted is not None:
        return dict(accepted.lines)
    # The decisions screen redraws on every edit; the default split only changes with the data.
    return dict(remembered(session, ("default_split", meeting.id, today()),
                           lambda: _default_split(session, meeting)))


def _default_split(session: Session, meeting: Meeting) -> dict[int, SuggestedLine]:
    result = run_split(session, meeting, SplitSettings(), with_what_if=False)
    if result is None or result.status == SplitStatus.INFEASIBLE:
        return {}
    return {line.request_id: line for line in result.lines}


# --- services -------------------------------------------------------------------------------------


@audit.refusals_logged("read_split")
def split_screen(engine: Engine, actor: Actor, meeting_id: int | None = None) -> SplitScreen | None:
    """The round to split (the next funding round by default) and what the host can set."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        rounds = funding_rounds(session, actor.cluster_id or 0)
        meeting = (meeting_in_cluster(session, actor, meeting_id) if meeting_id
                   else next_or_latest(rounds, today()))
        if meeting is None:
            return None
        requests = round_requests(session, meeting)
        pot, words = pot_for(session, meeting)
        schools = tuple(sorted({(r.school_id, r.school_name) for r in requests},
                               key=lambda s: s[1]))
        return SplitScreen(summary_of(meeting), tuple(summary_of(m) for m in rounds), pot, words,
                           tuple(requests), schools, accepted_split(session, meeting.id or 0),
                           meeting.decisions_confirmed_on is not None)


@audit.refusals_logged("suggest_split")
def suggest_split(engine: Engine, actor: Actor, meeting_id: int,
                  settings: SplitSettings) -> SplitResult | None:
    """Runs the optimiser: a read, so re-running after a lock changes nothing stored."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        meeting = meeting_in_cluster(session, actor, meeting_id)
        return run_split(session, meeting, settings)


def store_suggestion(session: Session, actor: Actor, meeting: Meeting, settings: SplitSettings,
                     expected_version: int) -> SplitResult:
    """Stores the split (re-run here, so it is exactly what these settings give) as the meeting's
    suggestion, inside the caller's transaction."""
    result = run_split(session, meeting, settings, with_what_if=False)
    if result is None:
        raise InvalidInput("Suggestion", "there is nothing to split: no pot or no requests")
    if result.status == SplitStatus.INFEASIBLE:
        raise InvalidInput("Suggestion", "no split is possible with these settings: "
                           + " ".join(result.conflicts))
    row = session.exec(select(SplitSuggestion).where(
        SplitSuggestion.meeting_id == meeting.id)).first()
    if row is not None:
        check_not_stale(session, row, expected_version=expected_version,
                        drawn_from={"objective": row.objective}, entity="split_suggestion")
    else:
        row = SplitSuggestion(meeting_id=meeting.id or 0, objective=settings.objective,
                              pot_pence=0)
    row.objective, row.pot_pence = settings.objective, pence_from_pounds(result.pot_pounds)
    row.settings = settings.to_json()
    row.requests = {str(line.request_id): {
        "school": line.school_name, "title": line.title, "asked": line.asked_pounds,
        "minimum": line.minimum_pounds, "need_score": line.need_score,
        "locked": line.locked_pounds, "pounds": line.suggested_pounds,
        "outcome": line.outcome, "explanation": line.explanation} for line in result.lines}
    row.summary, row.marginal_need_per_pound = result.summary, result.marginal_need_per_pound
    row.accepted_by, row.accepted_on = actor.display_name, today()
    session.add(row)
    _refresh_draft_suggestions(session, meeting.id or 0, result)
    session.flush()
    audit.record(session, actor, "accept_split", entity="split_suggestion", entity_id=row.id,
                 after={"meeting_id": meeting.id, "objective": settings.objective,
                        "pot_pence": row.pot_pence, "total_pounds": result.total_suggested,
                        "locks": len(settings.locks)})
    return result


def _refresh_draft_suggestions(session: Session, meeting_id: int, result: SplitResult) -> None:
    """Draft awards now compare with the new suggestion (a final award keeps what it was shown)."""
    drafts = session.exec(select(Award).where(Award.meeting_id == meeting_id,
                                              col(Award.draft).is_(True))).all()
    for award in drafts:
        line = result.suggested_for(award.request_id)
        if line is None or line.suggested_pounds is None:
            continue
        award.suggested_pence = pence_from_pounds(line.suggested_pounds)
        award.suggestion_text = line.explanation
        award.suggestion_locked = line.locked_pounds is not None
        session.add(award)

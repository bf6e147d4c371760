"""Reviews of awards: when they fall due, who drafts and who confirms them, and the money they
return.

Every award has review points at later meetings (`book_review_points`): by default the cluster's
rule (cluster/year/review_points.py: halfway through the award and at the last meeting before it
ends). A review is due on the day of its meeting.
The school drafts it (per outcome: progress and the measure now; the spend to date; a
recommendation: continue, adjust, stop or complete); the meeting confirms it (`confirm_review`,
which the meeting screens call too). A review confirmed with "stop" or "complete" ends the award:
its later review points are cancelled, no instalment falls due after it, and the money goes back
to the cluster by the ledger's rule (`funding.ledger.award_return`): the instalments stopped plus
what was paid but not spent (Award.returned_pence), recorded and audited. The
award row is versioned, so two confirmations racing for the same award cannot both add to it: the
loser's transaction fails on the version check and is run again from fresh figures.

A review still open after its meeting is overdue; the next meeting's reviews list carries it
forward automatically (`reviews_for_meeting`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TypeVar

from sqlalchemy import ColumnElement
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import (
    AcademicYear,
    format_date,
)
from cluster.common.meeting_day import require_meeting_day
from cluster.common.money import format_pounds
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_texts
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.concurrency import retry_on_conflict
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotFound, NotOpenToYou
from cluster.core.permissions import (
    MEMBER_ROLES,
    Actor,
    Permission,
    can_manage_cluster,
    has_role,
    require,
)
from cluster.core.versioning import check_not_stale
from cluster.funding.ledger import AwardReturn
from cluster.funding.payments import describe_stop, end_award_in
from cluster.models import (
    OPEN_REVIEW_STATUSES,
    Award,
    AwardEnd,
    Meeting,
    RequestOutcome,
    Review,
    ReviewOutcome,
    ReviewProgress,
    ReviewRecommendation,
    ReviewStatus,
    Role,
    School,
    SupportRequest,
)
from cluster.people.chairs import chairs_of, may_decide
from cluster.people.schools import school_names
from cluster.requests.screens import OutcomeView
from cluster.year.deadlines import deadlines_for
from cluster.year.review_points import later_meetings, review_points_for
from cluster.year.schedule import next_meeting

T = TypeVar("T")

PROGRESS: tuple[str, ...] = tuple(ReviewProgress)
RECOMMENDATIONS: tuple[str, ...] = tuple(ReviewRecommendation)
ENDING: dict[str, AwardEnd] = {ReviewRecommendation.STOP: AwardEnd.STOPPED,
                               ReviewRecommendation.COMPLETE: AwardEnd.COMPLETED}
MAX_MEASURE = 200
MAX_NOTES = 1_000


# --- plain data out ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewItem:
    """One review point as the host or the school sees it (no pupil detail beyond the title)."""

    review_id: int
    award_id: int
    request_id: int
    request_title: str
    school_id: int
    school_name: str
    main_area: str
    awarded_pence: int
    returned_pence: int
    award_ended_on: date | None
    due_on: date
    meeting_id: int | None
    meeting_label: str
    status: str
    overdue: bool
    progress: str | None
    recommendation: str | None
    spend_to_date_pence: int | None
    version: int

    @property
    def status_label(self) -> str:
        label = ReviewStatus.label_of(self.status)
        return f"overdue ({label})" if self.overdue else label

    @property
    def recommendation_label(self) -> str:
        return "" if self.recommendation is None else ReviewRecommendation.label_of(
            self.recommendation)

    def drawn_from(self) -> dict[str, object]:
        return {"status": self.status, "progress": self.progress,
                "recommendation": self.recommendation,
                "spend_to_date_pence": self.spend_to_date_pence}


@dataclass(frozen=True)
class OutcomeLine(OutcomeView):
    """The outcome as the request set it, with the progress the review has drafted against it."""

    outcome_id: int
    progress: str | None
    measure_now: str


@dataclass(frozen=True)
class ReviewForm:
    item: ReviewItem
    outcomes: tuple[OutcomeLine, ...]
    notes: str
    earlier: tuple[ReviewItem, ...]  # the award's reviews already confirmed, oldest first


@dataclass(frozen=True)
class OutcomeProgress:
    outcome_id: int
    progress: str
    measure_now: str = ""


@dataclass(frozen=True)
class ReviewDraft:
    outcomes: tuple[OutcomeProgress, ...]
    spend_to_date_pence: int
    recommendation: str
    notes: str = ""


@dataclass(frozen=True)
class MeetingReviews:
    """The reviews a meeting hears: those booked at it and, at the next meeting, every overdue one
    carried forward from earlier meetings."""

    meeting_id: int
    meeting_label: str
    held_on: date
    booked: tuple[ReviewItem, ...]
    carried_forward: tuple[ReviewItem, ...]

    @property
    def all(self) -> tuple[ReviewItem, ...]:
        return self.carried_forward + self.booked


@dataclass(frozen=True)
class ConfirmedReview:
    review_id: int
    award_id: int
    recommendation: str
    returned_pence: int  # returned by this confirmation
    award_returned_pence: int  # the award's total returned so far
    award_ended: bool
    cancelled_reviews: int
    instalments: str  # how the stop reached the payments
    money_back: AwardReturn = AwardReturn(0, 0)  # the return, in its two parts

    @property
    def message(self) -> str:
        chosen = ReviewRecommendation.label_of(self.recommendation).split(":")[0]
        text = f"Review confirmed: {chosen}."
        if self.award_ended:
            text += f" The award has {ENDING[self.recommendation]}: {self.money_back.words()}."
        return text


# --- labels -------------------------------------------------------------------------------------


def meeting_label(meeting: Meeting | None) -> str:
    if meeting is None:
        return "no meeting booked"
    return (f"{meeting.half_term} {AcademicYear(meeting.academic_year).label} meeting "
            f"({format_date(meeting.held_on)})")


def overall_progress(progress: Sequence[str]) -> str | None:
    """One word for the review as a whole: on track only when every outcome is."""
    if not progress:
        return None
    if all(p == ReviewProgress.ON_TRACK for p in progress):
        return ReviewProgress.ON_TRACK
    if all(p == ReviewProgress.NONE for p in progress):
        return ReviewProgress.NONE
    return ReviewProgress.SOME


# --- review points --------------------------------------------------------------------------------


def book_review_points(session: Session, award: Award,
                       meeting_ids: Sequence[int] | None = None) -> list[Review]:
    """Books review points for an award inside the caller's transaction (the meeting's decision
    screens call this when they record an award). None means the default points. A meeting that
    already has a review of this award is skipped."""
    made = session.get(Meeting, award.meeting_id)
    if made is None or award.id is None:
        raise NotFound("The award's meeting is not on record.")
    later = {m.id: m for m in later_meetings(session, made)}
    if meeting_ids is None:
        chosen = review_points_for(session, made, list(later.values()), award.terms)
    else:
        chosen = list(dict.fromkeys(meeting_ids))
        unknown = [i for i in chosen if i not in later]
        if unknown:
            raise InvalidInput("Review points", "a review can only be booked at a later meeting "
                               "of the same cluster")
    booked = set(session.exec(select(Review.meeting_id).where(
        Review.award_id == award.id, Review.status != ReviewStatus.CANCELLED)).all())
    reviews = []
    for meeting_id in chosen:
        if meeting_id in booked:
            continue
        review = Review(award_id=award.id, meeting_id=meeting_id,
                        due_on=deadlines_for(later[meeting_id].held_on).reviews_due)
        session.add(review)
        reviews.append(review)
    session.flush()
    return reviews


@audit.mutating("book_review_points")
def schedule_reviews(engine: Engine, actor: Actor, award_id: int,
                     meeting_ids: Sequence[int] | None = None) -> list[ReviewItem]:
    """The host books an award's review points (None: the default points)."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        award = _award_in_cluster(session, actor, award_id)
        if award.amount_pence <= 0:
            raise InvalidInput("Review points", "only an award that pays money is reviewed")
        if award.ended_on is not None:
            raise InvalidInput("Review points", "the award has ended; it has no more reviews")
        made = book_review_points(session, award, meeting_ids)
        audit.record(session, actor, "book_review_points", entity="award", entity_id=award.id,
                     before={}, after={"review_points": ", ".join(
                         format_date(r.due_on) for r in made) or "none new"})
        return _items(session, actor.cluster_id or 0, [Review.award_id == award_id], today())


# --- reading --------------------------------------------------------------------------------------


def _award_in_cluster(session: Session, actor: Actor, award_id: int, *,
                      asked: NotOpenToYou | None = None) -> Award:
    """The award, if this reader may open it. Missing and not theirs are refused alike, in the
    words of what the person asked for (`asked`: a review names its own number, not the award's)."""
    award = session.get(Award, award_id)
    request = session.get(SupportRequest, award.request_id) if award else None
    school = session.get(School, request.school_id) if request else None
    if award is None or school is None or school.cluster_id != actor.cluster_id or (
            actor.role == Role.SCHOOL and request is not None
            and request.school_id != actor.school_id):
        raise asked or NotOpenToYou("award", award_id)
    return award


def _items(session: Session, cluster_id: int, conditions: Sequence[ColumnElement[bool] | bool],
           on: date) -> list[ReviewItem]:
    query = (select(Review, Award, SupportRequest, School)
             .join(Award, col(Award.id) == Review.award_id)
             .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
             .join(School, col(School.id) == SupportRequest.school_id)
             .where(School.cluster_id == cluster_id, *conditions)
             .order_by(col(Review.due_on), col(School.name), col(Review.id)))
    rows = session.exec(query).all()
    meetings = {m.id: m for m in session.exec(select(Meeting).where(
        col(Meeting.id).in_({r.meeting_id for r, *_ in rows if r.meeting_id}))).all()}
    return [_item(review, award, request, school, meetings.get(review.meeting_id), on)
            for review, award, request, school in rows]


def _item(review: Review, award: Award, request: SupportRequest, school: School,
          meeting: Meeting | None, on: date) -> ReviewItem:
    assert review.id is not None and award.id is not None and request.id is not None
    return ReviewItem(
        review.id, award.id, request.id, request.title, school.id or 0, school.name,
        request.main_area, award.amount_pence, award.returned_pence, award.ended_on, review.due_on,
        review.meeting_id, meeting_label(meeting), review.status,
        review.status in OPEN_REVIEW_STATUSES and review.due_on < on, review.progress,
        review.recommendation, review.spend_to_date_pence, review.version)


def _reader_conditions(actor: Actor) -> list[ColumnElement[bool] | bool]:
    require(has_role(actor, MEMBER_ROLES))
    if actor.role == Role.SCHOOL:
        return [SupportRequest.school_id == actor.school_id]
    return []


@audit.refusals_logged("list_overdue_reviews")
def overdue_reviews(engine: Engine, actor: Actor) -> list[ReviewItem]:
    """Reviews still open after the day they were due: the cluster's for the host, the school's
    own for a headteacher or SENCO."""
    on = today()
    with read_session(engine) as session:
        return _items(session, actor.cluster_id or 0,
                      [*_reader_conditions(actor), col(Review.status).in_(OPEN_REVIEW_STATUSES),
                       Review.due_on < on], on)


@audit.refusals_logged("list_open_reviews")
def open_reviews(engine: Engine, actor: Actor) -> list[ReviewItem]:
    """Every review not yet confirmed, overdue first (the school's list of reviews it owes)."""
    on = today()
    with read_session(engine) as session:
        items = _items(session, actor.cluster_id or 0,
                       [*_reader_conditions(actor), col(Review.status).in_(OPEN_REVIEW_STATUSES)],
                       on)
    return sorted(items, key=lambda i: (not i.overdue, i.due_on, i.school_name))


@audit.refusals_logged("read_award_reviews")
def award_reviews(engine: Engine, actor: Actor, award_id: int) -> list[ReviewItem]:
    with read_session(engine) as session:
        conditions = _reader_conditions(actor)
        _award_in_cluster(session, actor, award_id)
        return _items(session, actor.cluster_id or 0, [*conditions, Review.award_id == award_id],
                      today())


def reviews_for_meeting_in(session: Session, meeting: Meeting, on: date,
                           school_id: int | None = None) -> MeetingReviews:
    """For the meeting's agenda and papers (the meeting screens call this inside their session):
    the reviews booked at the meeting, and — when it is the cluster's next meeting — every review
    still open from an earlier meeting, carried forward automatically."""
    assert meeting.id is not None
    scope = [SupportRequest.school_id == school_id] if school_id is not None else []
    booked = _items(session, meeting.cluster_id,
                    [*scope, Review.meeting_id == meeting.id,
                     Review.status != ReviewStatus.CANCELLED], on)
    carried: list[ReviewItem] = []
    following = next_meeting(session, meeting.cluster_id, on)
    if following is not None and following.id == meeting.id:
        carried = _items(session, meeting.cluster_id,
                         [*scope, col(Review.status).in_(OPEN_REVIEW_STATUSES), Review.due_on < on,
                          col(Review.meeting_id).is_distinct_from(meeting.id)], on)
    return MeetingReviews(meeting.id, meeting_label(meeting), meeting.held_on, tuple(booked),
                          tuple(carried))


@audit.refusals_logged("list_meeting_reviews")
def reviews_for_meeting(engine: Engine, actor: Actor, meeting_id: int | None = None
                        ) -> MeetingReviews | None:
    """The reviews a meeting hears (None: the cluster's next meeting). Host: every school's;
    school: its own."""
    require(has_role(actor, MEMBER_ROLES))
    on = today()
    with read_session(engine) as session:
        if meeting_id is None:
            meeting = next_meeting(session, actor.cluster_id or 0, on)
            if meeting is None:
                return None
        else:
            meeting = session.get(Meeting, meeting_id)
            if meeting is None or meeting.cluster_id != actor.cluster_id:
                raise NotOpenToYou("meeting", meeting_id)
        school = actor.school_id if actor.role == Role.SCHOOL else None
        return reviews_for_meeting_in(session, meeting, on, school)


def agenda_lines(reviews: MeetingReviews) -> list[str]:
    """Markdown lines for the agenda's "Reviews due at this meeting" item (no pupil detail)."""
    lines = [f"- {item.school_name}: {item.request_title} (awarded "
             f"{format_pounds(item.awarded_pence)})" for item in reviews.booked]
    lines += [f"- {item.school_name}: {item.request_title} (overdue since "
              f"{format_date(item.due_on)}, carried forward)" for item in reviews.carried_forward]
    return lines or ["- No reviews are due at this meeting."]


@audit.refusals_logged("read_review")
def review_form(engine: Engine, actor: Actor, review_id: int) -> ReviewForm:
    """The review as its form shows it: the request's outcomes with any draft already saved."""
    on = today()
    with read_session(engine) as session:
        conditions = _reader_conditions(actor)
        review = session.get(Review, review_id)
        if review is None:
            raise NotOpenToYou("review", review_id)
        _award_in_cluster(session, actor, review.award_id, asked=NotOpenToYou("review", review_id))
        items = _items(session, actor.cluster_id or 0, [*conditions, Review.id == review_id], on)
        if not items:
            raise NotOpenToYou("review", review_id)
        award = session.get(Award, review.award_id)
        assert award is not None
        drafted = {o.outcome_id: o for o in session.exec(select(ReviewOutcome).where(
            ReviewOutcome.review_id == review_id)).all()}
        outcomes = tuple(
            OutcomeLine(o.position, o.description, o.measure, o.baseline, o.target, o.target_on,
                        outcome_id=o.id or 0,
                        progress=drafted[o.id].progress if o.id in drafted else None,
                        measure_now=drafted[o.id].measure_now if o.id in drafted else "")
            for o in _outcomes(session, award.request_id))
        earlier = _items(session, actor.cluster_id or 0,
                         [Review.award_id == award.id, Review.status == ReviewStatus.CONFIRMED], on)
        return ReviewForm(items[0], outcomes, review.notes, tuple(earlier))


def _outcomes(session: Session, request_id: int) -> list[RequestOutcome]:
    return list(session.exec(select(RequestOutcome).where(
        RequestOutcome.request_id == request_id).order_by(col(RequestOutcome.position))).all())


# --- drafting -------------------------------------------------------------------------------------


def _check_draft(draft: ReviewDraft, award: Award, outcomes: Sequence[RequestOutcome],
                 confirmed_not_names: ConfirmedNames = False) -> tuple[str, ...]:
    """Raises the first problem a person can fix; returns the fields whose words the writer
    confirmed are not a person's name (for the audit)."""
    if draft.recommendation not in RECOMMENDATIONS:
        raise InvalidInput("Recommendation", "choose continue, adjust, stop or complete")
    if draft.spend_to_date_pence < 0:
        raise InvalidInput("Spend to date", "cannot be negative")
    if draft.spend_to_date_pence > award.amount_pence:
        raise InvalidInput("Spend to date", f"cannot be more than the award "
                           f"({format_pounds(award.amount_pence)}): the cluster's money spent "
                           "on it, not the school's own")
    known = {o.id for o in outcomes}
    given = {p.outcome_id for p in draft.outcomes}
    if given - known:
        raise InvalidInput("Outcomes", "an outcome given is not one of this request's outcomes")
    missing = [o for o in outcomes if o.id not in given]
    if missing:
        raise InvalidInput(f"Outcome {missing[0].position}", "say what progress it has made")
    texts: list[tuple[str, str, int]] = []
    for line in draft.outcomes:
        position = next(o.position for o in outcomes if o.id == line.outcome_id)
        if line.progress not in PROGRESS:
            raise InvalidInput(f"Outcome {position}", "progress is on track, some or none")
        texts.append((f"Outcome {position}: the measure now", line.measure_now.strip(),
                      MAX_MEASURE))
    texts.append(("Notes", draft.notes.strip(), MAX_NOTES))
    confirmed = require_clean_texts(texts, confirmed_not_names=confirmed_not_names)
    changing = draft.recommendation in (ReviewRecommendation.ADJUST, ReviewRecommendation.STOP)
    if changing and not draft.notes.strip():
        raise InvalidInput("Notes", "say what should change, or why the support should stop")
    return confirmed


def _write_draft(session: Session, review: Review, draft: ReviewDraft) -> None:
    assert review.id is not None
    existing = {o.outcome_id: o for o in session.exec(select(ReviewOutcome).where(
        ReviewOutcome.review_id == review.id)).all()}
    for line in draft.outcomes:
        row = existing.get(line.outcome_id) or ReviewOutcome(
            review_id=review.id, outcome_id=line.outcome_id, progress=line.progress)
        row.progress = line.progress
        row.measure_now = line.measure_now.strip()
        session.add(row)
    review.progress = overall_progress([line.progress for line in draft.outcomes])
    review.recommendation = draft.recommendation
    review.spend_to_date_pence = draft.spend_to_date_pence
    review.notes = draft.notes.strip()


def _audited(review: Review) -> dict[str, object]:
    return {"status": review.status, "progress": review.progress,
            "recommendation": review.recommendation,
            "spend_to_date_pence": review.spend_to_date_pence, "notes": review.notes}


LABELS = {"spend_to_date_pence": "spend to date"}


def _describe(field: str, value: object) -> str:
    if field.endswith("_pence") and isinstance(value, int):
        return format_pounds(value)
    return "none" if value is None else str(value)


def _open_review(session: Session, actor: Actor, review_id: int) -> tuple[Review, Award]:
    review = session.get(Review, review_id)
    if review is None:
        raise NotOpenToYou("review", review_id)
    award = _award_in_cluster(session, actor, review.award_id,
                              asked=NotOpenToYou("review", review_id))
    if review.status not in OPEN_REVIEW_STATUSES:
        raise InvalidInput("Review", f"it is {ReviewStatus.label_of(review.status)}; "
                           "it cannot be changed")
    return review, award


def _may_confirm(session: Session, actor: Actor, award: Award) -> Permission:
    """Confirming a review can stop an award and take its money back: a decision, so the same
    chair rule as the award itself (the deputy, for the host's own school)."""
    request = session.get(SupportRequest, award.request_id)
    assert request is not None
    ids = [request.school_id, *(request.partner_school_ids or [])]
    names = school_names(session, actor.cluster_id or 0)
    return may_decide(actor, chairs_of(session, actor.cluster_id or 0), ids,
                      [names[i] for i in ids if i in names])


@audit.mutating("draft_review")
def draft_review(engine: Engine, actor: Actor, review_id: int, draft: ReviewDraft, *,
                 expected_version: int, drawn_from: dict[str, object],
                 confirmed_not_names: ConfirmedNames = False) -> ReviewItem:
    """The school (for its own award) or the host saves the review for the meeting to confirm."""
    require(has_role(actor, MEMBER_ROLES))
    on = today()
    with write_session(engine) as session:
        review, award = _open_review(session, actor, review_id)
        check_not_stale(session, review, expected_version=expected_version,
                        drawn_from=drawn_from, entity="review", labels=LABELS,
                        describe=_describe)
        confirmed = _check_draft(draft, award, _outcomes(session, award.request_id),
                                 confirmed_not_names)
        record_confirmation(session, actor, confirmed, entity="review", entity_id=review.id)
        before = _audited(review)
        _write_draft(session, review, draft)
        review.status = ReviewStatus.DRAFTED
        review.drafted_by_id = actor.user_id
        review.drafted_on = on
        session.add(review)
        session.flush()
        audit.record(session, actor, "draft_review", entity="review", entity_id=review.id,
                     before=before, after=_audited(review), text_fields=frozenset({"notes"}))
        return _items(session, actor.cluster_id or 0, [Review.id == review_id], on)[0]


# --- confirming at the meeting --------------------------------------------------------------------


def confirm_review_in(session: Session, actor: Actor, review_id: int, *, expected_version: int,
                      drawn_from: dict[str, object], changes: ReviewDraft | None = None,
                      confirmed_by: str | None = None,
                      confirmed_not_names: ConfirmedNames = False) -> ConfirmedReview:
    """Confirms a review inside the caller's transaction (the meeting screens' own session).

    The meeting may amend the school's draft (`changes`). Ending recommendations end the award,
    cancel its later review points and return the unspent money. Run the caller's transaction
    through `retry_on_version_conflict` so a race on the award is retried, not lost."""
    require(can_manage_cluster(actor))
    on = today()
    review, award = _open_review(session, actor, review_id)
    require(_may_confirm(session, actor, award))
    booked_at = session.get(Meeting, review.meeting_id) if review.meeting_id else None
    if booked_at is not None:  # schools draft before the meeting; the meeting confirms on its day
        require_meeting_day(booked_at, "Reviews are confirmed")
    check_not_stale(session, review, expected_version=expected_version, drawn_from=drawn_from,
                    entity="review", labels=LABELS, describe=_describe)
    outcomes = _outcomes(session, award.request_id)
    before = _audited(review)
    if changes is not None:
        confirmed = _check_draft(changes, award, outcomes, confirmed_not_names)
        record_confirmation(session, actor, confirmed, entity="review", entity_id=review.id)
        _write_draft(session, review, changes)
    elif review.status != ReviewStatus.DRAFTED or review.recommendation is None:
        raise InvalidInput("Review", "nothing is drafted yet: record the progress on each outcome, "
                           "the spend to date and a recommendation first")
    recommendation = review.recommendation or ReviewRecommendation.CONTINUE
    review.status = ReviewStatus.CONFIRMED
    review.confirmed_on = on
    review.confirmed_by = (confirmed_by or actor.display_name)[:200]
    cancelled = 0
    instalments = "continue"
    back = AwardReturn(0, 0)
    if recommendation in ENDING:
        award_before = {"returned_pence": award.returned_pence, "ended_on": award.ended_on,
                        "end_reason": award.end_reason}
        stopped, back = end_award_in(session, actor, award, on=on,
                                     spent_pence=review.spend_to_date_pence or 0,
                                     end_reason=ENDING[recommendation])
        instalments = describe_stop(stopped)
        review.returned_pence = back.total_pence
        cancelled = _cancel_later_reviews(session, award, review)
        audit.record(session, actor, "return_unspent", entity="award", entity_id=award.id,
                     before=award_before,
                     after={"returned_pence": award.returned_pence, "ended_on": award.ended_on,
                            "end_reason": award.end_reason})
    session.add(review)
    session.flush()  # the version checks on the review and the award happen here
    audit.record(session, actor, "confirm_review", entity="review", entity_id=review.id,
                 before=before, after=_audited(review), text_fields=frozenset({"notes"}))
    return ConfirmedReview(review.id or 0, award.id or 0, recommendation, back.total_pence,
                           award.returned_pence, recommendation in ENDING, cancelled, instalments,
                           back)


def _cancel_later_reviews(session: Session, award: Award, confirmed: Review) -> int:
    later = session.exec(select(Review).where(
        Review.award_id == award.id, Review.id != confirmed.id,
        col(Review.status).in_(OPEN_REVIEW_STATUSES))).all()
    for review in later:
        review.status = ReviewStatus.CANCELLED
        review.meeting_id = None  # no longer booked at a meeting: the timeline stops counting it
        session.add(review)
    return len(later)


def retry_on_version_conflict(action: Callable[[], T]) -> T:
    """Runs a whole transaction again when a versioned row changed under it (another save won
    the race): it re-reads fresh figures, so an increment is neither lost nor applied twice."""
    return retry_on_conflict(action, what="the award")


@audit.mutating("confirm_review")
def confirm_review(engine: Engine, actor: Actor, review_id: int, *, expected_version: int,
                   drawn_from: dict[str, object], changes: ReviewDraft | None = None,
                   confirmed_by: str | None = None,
                   confirmed_not_names: ConfirmedNames = False) -> ConfirmedReview:
    """The meeting confirms a review (host), in one transaction, retried on a version conflict
    on the award. Audited twice when money comes back: the review, and the award's return."""
    require(can_manage_cluster(actor))

    def attempt() -> ConfirmedReview:
        with write_session(engine) as session:
            return confirm_review_in(session, actor, review_id, expected_version=expected_version,
                                     drawn_from=drawn_from, changes=changes,
                                     confirmed_by=confirmed_by,
                                     confirmed_not_names=confirmed_not_names)

    return retry_on_version_conflict(attempt)

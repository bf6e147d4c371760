"""The demo's reviews and impact in full, written over the history `demo_history` seeds:
the kind of provision each request buys, per-outcome progress on every confirmed review, who
confirmed it, awards completed (a few under budget, the unspent money returned) and one stopped at
a review, what each child can do now, attendance and suspensions where they matter, and two
reviews for the next meeting already drafted by their schools.

Deterministic: every choice comes from the award's own id, never from the shared random stream,
so the rest of the demo is unchanged. Money is returned only on awards made two or more years ago,
so this year's budget figures are the same with or without this step.
"""

from __future__ import annotations

import random
import re
from datetime import date, timedelta

from sqlmodel import Session, col, select

from cluster.common.calendar import academic_year_of
from cluster.common.money import percent_of, round_down_to
from cluster.common.provision import (
    KEY_ADULT,
    MENTORING,
    NURTURE,
    SENSORY,
    SMALL_GROUP,
    SPECIALIST_TEACHING,
    SPEECH_AND_LANGUAGE,
    THERAPY,
)
from cluster.demo.history import CAN_DO, STORIES, NeedStory
from cluster.models import (
    Award,
    AwardEnd,
    Cluster,
    ImpactRecord,
    Meeting,
    RequestOutcome,
    Review,
    ReviewOutcome,
    ReviewProgress,
    ReviewRecommendation,
    ReviewStatus,
    School,
    SupportRequest,
    User,
)
from cluster.year.schedule import next_meeting

PROVISION_BY_TITLE: dict[str, str] = {
    "Speech and language programme": SPEECH_AND_LANGUAGE,
    "Transition and regulation support": KEY_ADULT,
    "Specialist literacy intervention": SPECIALIST_TEACHING,
    "Small-group numeracy catch-up": SMALL_GROUP,
    "Nurture and emotional literacy": NURTURE,
    "Attendance and re-engagement": MENTORING,
    "Hearing support in class": SENSORY,
    "Fine motor and independence": THERAPY,
}
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")


def seed_reviews_and_impact(session: Session, cluster: Cluster, on: date) -> None:
    session.flush()
    host = session.exec(select(User).where(User.username == "host")).first()
    chair = host.display_name if host else "Cluster SEN host"
    stories = {story.outcome: story for story in STORIES}
    rows = session.exec(
        select(Award, SupportRequest, Meeting)
        .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
        .join(School, col(School.id) == SupportRequest.school_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(School.cluster_id == cluster.id).order_by(col(Award.id))).all()
    current = academic_year_of(on).start_year
    stopped_one = False
    for award, request, meeting in rows:
        if request.title in PROVISION_BY_TITLE and not request.provision_kind:
            request.provision_kind = PROVISION_BY_TITLE[request.title]
            session.add(request)
        outcome = session.exec(select(RequestOutcome).where(
            RequestOutcome.request_id == request.id)).first()
        if outcome is None or award.amount_pence <= 0:
            continue
        story = stories.get(outcome.description)
        rng = random.Random(award.id)
        reviews = list(session.exec(select(Review).where(Review.award_id == award.id)
                                    .order_by(col(Review.due_on))).all())
        returns_money = meeting.academic_year <= current - 2
        if returns_money and not stopped_one and len(reviews) == 2 and story is not None \
                and reviews[0].status == reviews[1].status == ReviewStatus.CONFIRMED:
            _stop_at_interim(session, award, reviews, outcome, story, chair)
            stopped_one = True
            continue
        for review in reviews:
            _detail(session, award, review, outcome, story, chair, rng, returns_money)
        impact_details(session, award, story, reviews)
    _draft_two_for_next_meeting(session, cluster, on)


def _detail(session: Session, award: Award, review: Review, outcome: RequestOutcome,
            story: NeedStory | None, chair: str, rng: random.Random, returns_money: bool) -> None:
    if review.status != ReviewStatus.CONFIRMED or review.id is None:
        return
    progress = review.progress or ReviewProgress.ON_TRACK
    measure = ""
    if story is not None:
        measure = story.achieved[1] if progress == ReviewProgress.ON_TRACK else story.achieved[2]
    session.add(ReviewOutcome(review_id=review.id, outcome_id=outcome.id or 0, progress=progress,
                              measure_now=measure))
    review.drafted_on = review.due_on - timedelta(days=7)
    review.confirmed_on = review.due_on
    review.confirmed_by = chair
    if review.recommendation == ReviewRecommendation.COMPLETE:
        underspend = 0
        if returns_money and rng.random() < 0.3:
            underspend = round_down_to(percent_of(award.amount_pence, rng.randint(5, 15)), 1_000)
        review.spend_to_date_pence = award.amount_pence - underspend
        review.returned_pence = underspend
        award.returned_pence += underspend
        award.ended_on = review.due_on
        award.end_reason = AwardEnd.COMPLETED
        session.add(award)
    session.add(review)


def _stop_at_interim(session: Session, award: Award, reviews: list[Review],
                     outcome: RequestOutcome, story: NeedStory, chair: str) -> None:
    """One award stopped at its first review: little progress, a different approach agreed."""
    interim, final = reviews
    spent = round_down_to(percent_of(award.amount_pence, 45), 100)
    unspent = award.amount_pence - spent
    interim.progress = ReviewProgress.NONE
    interim.recommendation = ReviewRecommendation.STOP
    interim.spend_to_date_pence = spent
    interim.returned_pence = unspent
    interim.notes = ("Little progress after two half-terms; the school and the specialist agreed "
                     "a different approach funded from the school's own budget.")
    interim.drafted_on = interim.due_on - timedelta(days=7)
    interim.confirmed_on = interim.due_on
    interim.confirmed_by = chair
    session.add(ReviewOutcome(review_id=interim.id or 0, outcome_id=outcome.id or 0,
                              progress=ReviewProgress.NONE, measure_now=story.achieved[3]))
    final.status = ReviewStatus.CANCELLED
    final.meeting_id = None
    final.progress = final.recommendation = None
    final.spend_to_date_pence = None
    award.returned_pence += unspent
    award.ended_on = interim.due_on
    award.end_reason = AwardEnd.STOPPED
    for record in session.exec(select(ImpactRecord).where(ImpactRecord.award_id == award.id)):
        record.achieved = story.achieved[3]
        record.judgement = "not met"
        record.can_do_now = CAN_DO["not met"].format(outcome=outcome.description.lower())
        record.what_worked = ("Short sessions did not suit; the specialist advised a different "
                              "approach, now in place.")
        record.recorded_on = interim.due_on
        session.add(record)
    session.add_all([interim, final, award])


def impact_details(session: Session, award: Award, story: NeedStory | None,
                    reviews: list[Review]) -> None:
    last = max((r.due_on for r in reviews if r.status == ReviewStatus.CONFIRMED), default=None)
    for record in session.exec(select(ImpactRecord).where(ImpactRecord.award_id == award.id)):
        outcome = session.get(RequestOutcome, record.outcome_id)
        text = outcome.description.lower() if outcome else "the outcome"
        record.can_do_now = CAN_DO.get(record.judgement, "{outcome}").format(outcome=text)
        record.recorded_on = last
        if story is not None and story.title == "Attendance and re-engagement":
            record.attendance_before_pct = _percent(record.baseline)
            record.attendance_after_pct = _percent(record.achieved)
        if story is not None and story.title == "Nurture and emotional literacy":
            record.exclusions_before = 4
            record.exclusions_after = {"exceeded": 0, "met": 0, "partly met": 1}.get(
                record.judgement, 3)
        session.add(record)


def _percent(text: str) -> float | None:
    match = _PERCENT.search(text)
    return float(match.group(1)) if match else None


def _draft_two_for_next_meeting(session: Session, cluster: Cluster, on: date) -> None:
    """Two of the reviews due at the next meeting are already drafted by their schools."""
    following = next_meeting(session, cluster.id or 0, on)
    if following is None:
        return
    reviews = session.exec(select(Review).where(Review.meeting_id == following.id,
                                                Review.status == ReviewStatus.DUE)
                           .order_by(col(Review.id)).limit(2)).all()
    for review in reviews:
        award = session.get(Award, review.award_id)
        request = session.get(SupportRequest, award.request_id) if award else None
        outcome = session.exec(select(RequestOutcome).where(
            RequestOutcome.request_id == request.id)).first() if request else None
        if award is None or request is None or outcome is None or review.id is None:
            continue
        senco = session.exec(select(User).where(User.school_id == request.school_id,
                                                User.title == "SENCO")).first()
        session.add(ReviewOutcome(review_id=review.id, outcome_id=outcome.id or 0,
                                  progress=ReviewProgress.ON_TRACK, measure_now=outcome.target))
        review.status = ReviewStatus.DRAFTED
        review.progress = ReviewProgress.ON_TRACK
        review.recommendation = ReviewRecommendation.CONTINUE
        review.spend_to_date_pence = award.amount_pence // 2
        review.drafted_on = on - timedelta(days=3)
        review.drafted_by_id = senco.id if senco else None
        session.add(review)

"""Three years of the demo cluster's records: meetings with attendance and minutes, requests of
every kind and area of need, awards, reviews and impact. Deterministic for a given clock date.

Pupils appear only as school-made references ("WV-AP-017"); no text names a child.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from cluster.common.calendar import HALF_TERMS, AcademicYear, half_term_start
from cluster.common.money import round_down_to, share_of
from cluster.meetings.rules import CAPACITIES
from cluster.models import (
    Action,
    Attendance,
    Award,
    Cluster,
    CostLine,
    Decision,
    FundingYear,
    ImpactRecord,
    Meeting,
    RequestKind,
    RequestOutcome,
    RequestPupil,
    RequestStatus,
    Review,
    ReviewProgress,
    ReviewRecommendation,
    ReviewStatus,
    School,
    StatusChange,
    SupportRequest,
)
from cluster.requests.costing import DEFAULT_STAFF_RATES, DEFAULT_WEEKS
from cluster.year.deadlines import deadlines_for

FUNDING_ROUNDS: tuple[str, ...] = ("Autumn 2", "Spring 1", "Summer 1")
TA_PENCE_PER_HOUR = DEFAULT_STAFF_RATES[0].pence_per_hour  # a teaching assistant's hour


@dataclass(frozen=True)
class NeedStory:
    area: str
    codes: tuple[str, ...]
    title: str
    need: str
    support: str
    outcome: str
    measure: str
    baseline: str
    target: str
    achieved: tuple[str, str, str, str]  # exceeded, met, partly met, not met


STORIES: tuple[NeedStory, ...] = (
    NeedStory("Communication and interaction", ("SLCN",), "Speech and language programme",
              "Understands two-step instructions only with visual support; rarely starts talk "
              "with peers; speech and language therapist's assessment shows a severe receptive "
              "delay.", "TA-led daily language group following the therapist's programme",
              "Follows three-step classroom instructions without adult prompting",
              "Instructions followed in 10 observed", "3 of 10", "8 of 10",
              ("10 of 10", "8 of 10", "6 of 10", "3 of 10")),
    NeedStory("Communication and interaction", ("ASD",), "Transition and regulation support",
              "Autistic pupil finding unstructured times very hard: 3-4 incidents a week at "
              "lunch, leaves class when routines change; attendance falling.",
              "Structured lunch club and a key adult at transitions",
              "Manages lunchtimes with no more than one incident a fortnight",
              "Lunchtime incidents a week", "3.5", "0.5", ("0", "0.5", "1.5", "3")),
    NeedStory("Cognition and learning", ("SpLD",), "Specialist literacy intervention",
              "Reading age 2 years 3 months below chronological age after two cycles of "
              "school-funded phonics intervention; specialist teacher assessment indicates "
              "dyslexic difficulties.", "Specialist teacher 1:1 twice weekly, TA practice daily",
              "Reads age-appropriate texts independently with 90% accuracy",
              "Reading accuracy on age-appropriate text", "72%", "90%",
              ("95%", "91%", "84%", "74%")),
    NeedStory("Cognition and learning", ("MLD",), "Small-group numeracy catch-up",
              "Working well below age-related expectations in number; cannot yet use number "
              "bonds to 10 reliably; educational psychologist advice recommends daily "
              "overlearning.",
              "Daily small-group precision teaching with a trained TA",
              "Recalls number bonds to 10 and uses them to add within 20",
              "Number bonds recalled in one minute", "4", "10", ("12", "10", "7", "4")),
    NeedStory("Social, emotional and mental health", ("SEMH",), "Nurture and emotional literacy",
              "Frequent dysregulation leading to two fixed-term suspensions this year; low "
              "self-esteem reported by pupil and family; early help plan in place.",
              "Nurture group four afternoons a week and ELSA sessions",
              "Names feelings and uses an agreed strategy before reaching crisis",
              "Boxall profile developmental strands score", "38", "60",
              ("68", "61", "50", "40")),
    NeedStory("Social, emotional and mental health", ("SEMH",), "Attendance and re-engagement",
              "Anxiety-related non-attendance: attendance 71% this year; refuses to enter "
              "class on arrival two or three mornings a week.",
              "Key adult meet-and-greet, graded re-entry plan, weekly mentoring",
              "Attends school and enters class on arrival", "Attendance", "71%", "90%",
              ("94%", "90%", "84%", "73%")),
    NeedStory("Sensory and/or physical", ("HI",), "Hearing support in class",
              "Moderate bilateral hearing loss; misses much of whole-class teaching despite "
              "aids; the sensory support teacher recommends pre-teaching of vocabulary.",
              "Radio aid maintenance and TA pre-teaching of topic vocabulary",
              "Uses new topic vocabulary correctly in lessons",
              "Topic words used correctly in a unit", "5 of 20", "15 of 20",
              ("18 of 20", "15 of 20", "11 of 20", "6 of 20")),
    NeedStory("Sensory and/or physical", ("PD",), "Fine motor and independence",
              "Physical disability affecting fine motor control; needs an adult for dressing "
              "for PE and for recording; occupational therapy programme provided.",
              "TA delivering the occupational therapy programme three times a week",
              "Records a paragraph independently using the agreed tools",
              "Sentences recorded independently in 20 minutes", "1", "5",
              ("6", "5", "3", "1")),
)

REASONS: dict[str, str] = {
    Decision.FULL: "Strong evidence of need and of two cycles of assess-plan-do-review; "
                   "costed plan agreed.",
    Decision.PART: "Agreed for two terms within this round's release; the school to fund the "
                   "remaining sessions from its notional SEN budget.",
    Decision.NONE: "Need is real but the graduated approach is not yet evidenced; the school "
                   "should complete a second review cycle and bring updated assessments.",
    Decision.DEFERRED: "Deferred to the next round pending the educational psychologist's "
                       "report.",
}


@dataclass(frozen=True)
class HistoryScale:
    """How much history to write: the demo's defaults, or a large cluster for the benchmarks."""

    years: int = 3
    rounds: tuple[str, ...] = FUNDING_ROUNDS
    kinds_per_round: int = 1  # each round considers this many copies of the nine kinds


def seed_history(session: Session, cluster: Cluster, schools: list[School],
                 current: AcademicYear, on: date, rng: random.Random,
                 host_name: str, deputy_name: str, scale: HistoryScale = HistoryScale()) -> None:
    assert cluster.id is not None
    counter = _Counter()
    meetings: list[Meeting] = []
    for start_year in range(current.start_year - scale.years, current.start_year):
        year = AcademicYear(start_year)
        _funding_year(session, cluster.id, year, read_only=True)
        meetings += _meetings(session, cluster.id, year, scale.rounds)
    meetings += session.exec(
        select(Meeting).where(Meeting.cluster_id == cluster.id,
                              Meeting.academic_year == current.start_year)
        .order_by(col(Meeting.held_on))
    ).all()
    _run_meetings(session, meetings, schools, on, rng, counter, host_name, deputy_name,
                  scale.kinds_per_round)


class _Counter:
    def __init__(self) -> None:
        self.by_school: dict[int, int] = {}

    def reference(self, school: School) -> str:
        assert school.id is not None
        self.by_school[school.id] = self.by_school.get(school.id, 0) + 1
        code = "".join(word[0] for word in school.name.split()[:2]).upper()
        return f"WV-{code}-{self.by_school[school.id]:03d}"


def _funding_year(session: Session, cluster_id: int, year: AcademicYear,
                  read_only: bool) -> FundingYear:
    existing = session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year == year.start_year)).first()
    if existing is not None:
        return existing
    funding = FundingYear(cluster_id=cluster_id, academic_year=year.start_year,
                          per_pupil_rate_pence=2_050 + 30 * (year.start_year % 4),
                          fixed_sum_per_school_pence=400_000,
                          carried_forward_pence=0 if year.start_year % 4 == 0 else 650_000,
                          psf_redistributed_pence=480_000, reserve_percent=5.0,
                          read_only=read_only)
    session.add(funding)
    session.flush()
    return funding


def _meetings(session: Session, cluster_id: int, year: AcademicYear,
              rounds: tuple[str, ...]) -> list[Meeting]:
    meetings = []
    for half_term in HALF_TERMS:
        start = half_term_start(year, half_term)
        held_on = start + timedelta(days=(2 - start.weekday()) % 7) + timedelta(weeks=2)
        meeting = Meeting(cluster_id=cluster_id, academic_year=year.start_year,
                          half_term=half_term, held_on=held_on,
                          venue="Wensum Valley High School, library",
                          is_funding_round=half_term in rounds)
        session.add(meeting)
        meetings.append(meeting)
    session.flush()
    return meetings


def _run_meetings(session: Session, meetings: list[Meeting], schools: list[School], on: date,
                  rng: random.Random, counter: _Counter, host_name: str,
                  deputy_name: str, kinds_per_round: int = 1) -> None:
    for index, meeting in enumerate(meetings):
        if meeting.held_on >= on:
            continue
        _attendance(session, meeting, schools, rng)
        if meeting.is_funding_round:
            _funding_round(session, meeting, meetings[index + 1:], schools, on, rng, counter,
                           host_name, deputy_name, kinds_per_round)
        _minutes(session, meeting, meetings, index, on, host_name)
        _actions(session, meeting, on, rng)


def _attendance(session: Session, meeting: Meeting, schools: list[School],
                rng: random.Random) -> None:
    assert meeting.id is not None
    for school in schools:
        for capacity in CAPACITIES:
            chance = 0.35 if capacity == "governor" else 0.9
            session.add(Attendance(meeting_id=meeting.id, school_id=school.id or 0,
                                   capacity=capacity, present=rng.random() < chance))


def _minutes(session: Session, meeting: Meeting, meetings: list[Meeting], index: int,
             on: date, host_name: str) -> None:
    kind = "funding round" if meeting.is_funding_round else "review meeting"
    meeting.minutes_md = (
        f"# Minutes: {meeting.half_term} {kind}\n\n"
        f"Chair: {host_name}. Held at {meeting.venue}.\n\n"
        "1. Apologies and declarations of interest were recorded.\n"
        "2. The budget position was presented and agreed.\n"
        + ("3. Requests for this round were considered; decisions and reasons are recorded "
           "against each request.\n" if meeting.is_funding_round else
           "3. Reviews of current awards were considered and confirmed.\n")
        + "4. Actions were agreed (see the actions list).\n"
    )
    following = meetings[index + 1] if index + 1 < len(meetings) else None
    if following is not None and following.held_on < on:
        meeting.minutes_approved_on = following.held_on
    elif following is None and meeting.held_on < on - timedelta(days=40):
        meeting.minutes_approved_on = meeting.held_on + timedelta(days=28)
    session.add(meeting)


def _actions(session: Session, meeting: Meeting, on: date, rng: random.Random) -> None:
    assert meeting.id is not None
    items = (("Circulate the updated release plan to all schools", "Cluster SEN host"),
             ("Share the speech and language therapist's timetable", "SENCO, Bintree Infant"),
             ("Bring attendance data for reviewed awards", "All SENCOs"))
    for description, owner in rng.sample(items, 2):
        due = meeting.held_on + timedelta(days=21)
        session.add(Action(meeting_id=meeting.id, description=description, owner=owner,
                           due_on=due, done=due < on - timedelta(days=30)))


def _funding_round(session: Session, meeting: Meeting, later: list[Meeting],
                   schools: list[School], on: date, rng: random.Random, counter: _Counter,
                   host_name: str, deputy_name: str, kinds_per_round: int = 1) -> None:
    decisions = [Decision.FULL] * 4 + [Decision.PART] * 3 + [Decision.NONE, Decision.DEFERRED]
    kinds = ([RequestKind.INDIVIDUAL] * 4 + [RequestKind.GROUP, RequestKind.PROJECT,
                                             RequestKind.MEDICAL, RequestKind.FIRST_YEAR,
                                             RequestKind.CASE_DISCUSSION]) * kinds_per_round
    rng.shuffle(kinds)
    chosen = (rng.sample(schools, len(kinds)) if len(kinds) <= len(schools)
              else rng.choices(schools, k=len(kinds)))
    for position, (kind, school) in enumerate(zip(kinds, chosen, strict=True)):
        story = STORIES[(position + meeting.academic_year) % len(STORIES)]
        request = _request(session, meeting, school, kind, story, rng, counter)
        if kind == RequestKind.CASE_DISCUSSION:
            continue
        decision = decisions[position % len(decisions)]
        chair = deputy_name if school.urn == schools[0].urn else host_name
        award = _award(session, meeting, request, decision, chair)
        if award.amount_pence > 0:
            _reviews_and_impact(session, award, request, later, on, rng)


def _request(session: Session, meeting: Meeting, school: School, kind: str, story: NeedStory,
             rng: random.Random, counter: _Counter) -> SupportRequest:
    pupils_by_kind: dict[str, int] = {RequestKind.GROUP: rng.randint(5, 7), RequestKind.PROJECT: 0}
    pupils = pupils_by_kind.get(kind, 1)
    minutes = rng.choice((90, 120, 150, 180, 240))
    group_size = max(1, pupils) if kind == RequestKind.GROUP else 1
    ta_cost = share_of(TA_PENCE_PER_HOUR, minutes * DEFAULT_WEEKS, 60)
    items = rng.choice((0, 15_000, 40_000))
    amount = 0 if kind == RequestKind.CASE_DISCUSSION else round_down_to(ta_cost + items, 100)
    deadlines = deadlines_for(meeting.held_on)
    request = SupportRequest(
        school_id=school.id or 0, meeting_id=meeting.id, kind=kind,
        status=RequestStatus.DECIDED,
        title=("Cluster training: " + story.title.lower()) if kind == RequestKind.PROJECT
        else story.title, main_area=story.area, need_summary=story.need,
        graduated_approach="Two cycles of assess, plan, do, review; specialist advice sought.",
        school_spend_pence=rng.choice((450_000, 600_000, 720_000)), parents_involved=True,
        consent_given=True, amount_pence=amount, minimum_pence=round_down_to(amount * 6 // 10, 100),
        start_term=meeting.half_term, academic_year=meeting.academic_year, duration_terms=3,
        need_score=round(rng.uniform(3.0, 9.5), 1),
        submitted_on=deadlines.requests_due - timedelta(days=rng.randint(1, 10)),
    )
    session.add(request)
    session.flush()
    assert request.id is not None
    for _ in range(pupils):
        session.add(RequestPupil(request_id=request.id, reference=counter.reference(school),
                                 year_group=f"Year {rng.randint(1, 6)}"
                                 if school.phase != "secondary"
                                 else f"Year {rng.randint(7, 11)}",
                                 sen_status=rng.choice(("sen_support", "sen_support", "ehc_plan")),
                                 primary_need=rng.choice(story.codes)))
    outcome = RequestOutcome(request_id=request.id, position=1, description=story.outcome,
                             measure=story.measure, baseline=story.baseline, target=story.target,
                             target_on=meeting.held_on + timedelta(weeks=38))
    session.add(outcome)
    session.flush()
    if amount:
        session.add(CostLine(request_id=request.id, outcome_id=outcome.id, staff_grade="TA",
                             minutes_per_week=minutes, group_size=group_size, weeks=DEFAULT_WEEKS,
                             cost_pence=amount - items))
        if items:
            session.add(CostLine(request_id=request.id, outcome_id=outcome.id,
                                 item_description="Resources and training materials",
                                 cost_pence=items))
    for status in (RequestStatus.DRAFT, RequestStatus.SUBMITTED, RequestStatus.DECIDED):
        session.add(StatusChange(request_id=request.id, to_status=status))
    return request


def _award(session: Session, meeting: Meeting, request: SupportRequest, decision: str,
           chair: str) -> Award:
    amount_by_decision: dict[str, int] = {
        Decision.FULL: request.amount_pence,
        Decision.PART: round_down_to(request.amount_pence * 2 // 3, 100)}
    amount = amount_by_decision.get(decision, 0)
    award = Award(request_id=request.id or 0, meeting_id=meeting.id or 0, decision=decision,
                  amount_pence=amount, suggested_pence=amount, reason=REASONS[decision],
                  conditions="Review at the next funding round." if amount else "",
                  terms=2 if decision == Decision.PART else 3, decided_by=chair)
    session.add(award)
    session.flush()
    return award


def _reviews_and_impact(session: Session, award: Award, request: SupportRequest,
                        later: list[Meeting], on: date, rng: random.Random) -> None:
    """Review points two and four meetings on; impact once the last review has been held."""
    assert award.id is not None
    for meeting in later[1:2] + later[3:4]:
        held = meeting.held_on < on
        # A few reviews at this year's held meetings were never returned: the overdue ones.
        overdue = held and meeting.held_on > on - timedelta(days=100) and rng.random() < 0.4
        confirmed = held and not overdue
        session.add(Review(
            award_id=award.id, meeting_id=meeting.id, due_on=meeting.held_on,
            status=ReviewStatus.CONFIRMED if confirmed else ReviewStatus.DUE,
            progress=rng.choice((ReviewProgress.ON_TRACK, ReviewProgress.ON_TRACK,
                                  ReviewProgress.SOME)) if confirmed else None,
            recommendation=(ReviewRecommendation.COMPLETE if len(later) > 3 and meeting is later[3]
                            else ReviewRecommendation.CONTINUE)
            if confirmed else None,
            spend_to_date_pence=award.amount_pence // 2 if confirmed else None,
        ))
    if len(later) > 3 and later[3].held_on < on:
        _impact(session, award, request, rng)


def _impact(session: Session, award: Award, request: SupportRequest, rng: random.Random) -> None:
    outcome = session.exec(select(RequestOutcome).where(
        RequestOutcome.request_id == request.id)).first()
    if outcome is None or outcome.id is None or award.id is None:
        return
    story = next(s for s in STORIES if s.outcome == outcome.description)
    judgement_index = rng.choices(range(4), weights=(2, 5, 3, 1))[0]
    session.add(ImpactRecord(
        award_id=award.id, outcome_id=outcome.id, baseline=outcome.baseline,
        target=outcome.target, achieved=story.achieved[judgement_index],
        judgement=("exceeded", "met", "partly met", "not met")[judgement_index],
        what_worked="Daily, short, consistent sessions with the same adult; progress shared "
                    "with the family each half-term.",
        pupil_voice="Says the sessions help and wants them to carry on.",
        parent_voice="Family report more confidence at home.",
    ))

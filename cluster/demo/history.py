"""Three years of the demo cluster's records: meetings with attendance and minutes, requests of
every kind and area of need, awards, reviews and impact. Deterministic for a given clock date.

Pupils appear only as school-made references ("WV-AP-017"); no text names a child.
"""

from __future__ import annotations

import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from sqlmodel import Session, col, select

from cluster.common.calendar import HALF_TERMS, AcademicYear, half_term_start
from cluster.common.money import round_down_to
from cluster.core.clock import TODAY_VARIABLE
from cluster.core.permissions import Actor
from cluster.demo.requests import seed_year_settings
from cluster.meetings.rules import CAPACITIES
from cluster.models import (
    Action,
    Attendance,
    Award,
    Cluster,
    Decision,
    FundingYear,
    ImpactRecord,
    Meeting,
    RequestKind,
    RequestOutcome,
    RequestStatus,
    Review,
    ReviewProgress,
    ReviewRecommendation,
    ReviewStatus,
    Role,
    School,
    StatusChange,
    SupportRequest,
    User,
)
from cluster.people.accounts import actor_of
from cluster.requests.checks import run_checks
from cluster.requests.costing import (
    DEFAULT_WEEKS,
    ItemLine,
    StaffLine,
    cost_provision,
    pupils_paid_for,
    rate_table,
)
from cluster.requests.forms import OutcomeInput, PupilInput, RequestForm
from cluster.requests.lookups import check_context
from cluster.requests.status import write_request
from cluster.year.deadlines import deadlines_for

FUNDING_ROUNDS: tuple[str, ...] = ("Autumn 2", "Spring 1", "Summer 1")
TA = "Teaching assistant (TA)"  # as the year's staff rate table names the grade
ITEMS = "Resources and training materials"
GRADUATED_APPROACH = ("Two cycles of assess, plan, do, review; specialist advice sought and "
                      "followed.")
PARENT_VIEW = "The family agree the plan and want to hear how it is going each half-term."
PUPIL_VIEW = "Says the extra help makes lessons easier."
GROUP_PROFILES = ("Needs the same support as the group; progress slower than peers.",
                  "Joined after the autumn review; the gap is widening.",
                  "Makes progress with an adult nearby; struggles alone.",
                  "Anxious in large groups; does best in a small one.",
                  "Recently assessed; the advice matches the group's programme.",
                  "Attendance improving; needs to catch up what was missed.",
                  "Confident with peers; the need is in the learning itself.")


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
        seed_year_settings(session, cluster.id, year)
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
        chair = deputy_name if school.urn == schools[0].urn else host_name
        if kind == RequestKind.CASE_DISCUSSION:
            _decided(session, request, meeting, chair,
                     f"Discussed at the {meeting.half_term} meeting; advice in the minutes")
            continue
        decision = decisions[position % len(decisions)]
        award = _award(session, meeting, request, decision, chair)
        _decided(session, request, meeting, chair,
                 f"{Decision.label_of(decision)} at the {meeting.half_term} meeting")
        if award.amount_pence > 0:
            _reviews_and_impact(session, award, request, later, on, rng)


def _request(session: Session, meeting: Meeting, school: School, kind: str, story: NeedStory,
             rng: random.Random, counter: _Counter) -> SupportRequest:
    """A past request written as a school writes one: the form, the live checks, costing at the
    year's rate table and the need score, all as of the day it was submitted. The random draws
    are made in the order the demo always made them, so the rest of the story stays the same."""
    pupils_by_kind: dict[str, int] = {RequestKind.GROUP: rng.randint(5, 7), RequestKind.PROJECT: 0}
    pupils = pupils_by_kind.get(kind, 1)
    minutes = rng.choice((90, 120, 150, 180, 240))
    group_size = max(1, pupils) if kind == RequestKind.GROUP else 1
    items = rng.choice((0, 15_000, 40_000))
    school_spend = rng.choice((450_000, 600_000, 720_000))
    severity = 1 + int(rng.uniform(3.0, 9.5)) // 3  # band 2 to 4: the need the school describes
    submitted_on = deadlines_for(meeting.held_on).requests_due - timedelta(days=rng.randint(1, 10))
    money = kind != RequestKind.CASE_DISCUSSION
    form = RequestForm(
        kind=kind, meeting_id=meeting.id, main_area=story.area,
        title=("Cluster training: " + story.title.lower()) if kind == RequestKind.PROJECT
        else story.title,
        pupils=tuple(_pupil(school, story, rng, counter, kind, n) for n in range(pupils)),
        pupils_helped=12 + 4 * group_size if kind == RequestKind.PROJECT else 0,
        need_summary=story.need, graduated_approach=GRADUATED_APPROACH, review_cycles=2,
        external_advice="Specialist advice received this year (see the need above).",
        specialist_assessment_on=submitted_on - timedelta(days=60 + 7 * (minutes // 30)),
        school_spend_pence=school_spend, parents_involved=True,
        outcomes=(OutcomeInput(story.outcome, story.measure, story.baseline, story.target,
                               date(meeting.academic_year + 1, 7, 14)),),  # within its year
        staff_lines=(StaffLine(TA, minutes, group_size, DEFAULT_WEEKS, 1),) if money else (),
        item_lines=(ItemLine(ITEMS, items, 1),) if money and items else (),
        start_term=meeting.half_term, duration_terms=3, severity={story.area: severity},
        parent_view=PARENT_VIEW, pupil_view=PUPIL_VIEW)
    with pinned_clock(submitted_on):
        context = check_context(session, school, meeting.id, None)
        asked = cost_provision(form.staff_lines, form.item_lines,
                               rate_table(context.settings.rates),
                               pupils_paid_for(kind, len(form.pupils))).total_pence
        form = replace(form, minimum_pence=round_down_to(asked * 6 // 10, 100))
        report = run_checks(form, context)
        request = SupportRequest(school_id=school.id or 0, kind=kind, title="", main_area="",
                                 academic_year=meeting.academic_year,
                                 created_by_id=_senco_id(session, school),
                                 status=RequestStatus.DRAFT)
        session.add(request)
        session.flush()
        write_request(session, _writer(session, school), school, request, form, report, context)
    request.submitted_on = submitted_on
    request.status = RequestStatus.SUBMITTED
    session.add(request)
    _history(session, request, request.created_by_id, None, RequestStatus.DRAFT,
             submitted_on - timedelta(days=14), "Draft started.")
    _history(session, request, request.created_by_id, RequestStatus.DRAFT,
             RequestStatus.SUBMITTED, submitted_on, f"Submitted for the {meeting.half_term} "
             "meeting.")
    return request


def _pupil(school: School, story: NeedStory, rng: random.Random, counter: _Counter, kind: str,
           n: int) -> PupilInput:
    reference = counter.reference(school)
    year_group = (f"Year {rng.randint(1, 6)}" if school.phase != "secondary"
                  else f"Year {rng.randint(7, 11)}")
    # A group request describes each pupil in a line, as the form asks.
    profile = GROUP_PROFILES[n % len(GROUP_PROFILES)] if kind == RequestKind.GROUP else ""
    # Consent to sharing is recorded from this year's Spring 1 round on (the form's consent box);
    # the requests before it carry none, so other schools read only their kind, amount, area and
    # score (cluster/requests/visibility.py).
    return PupilInput(reference, year_group,
                      rng.choice(("sen_support", "sen_support", "ehc_plan")),
                      rng.choice(story.codes), profile=profile, consent_given=False)


@contextmanager
def pinned_clock(day: date) -> Iterator[None]:
    """The one clock (cluster/core/clock.py) pinned to `day` while a past step is written, so
    every check, rule and timestamp reads as it did on that day."""
    before = os.environ.get(TODAY_VARIABLE)
    os.environ[TODAY_VARIABLE] = day.isoformat()
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(TODAY_VARIABLE, None)
        else:
            os.environ[TODAY_VARIABLE] = before


def _senco_id(session: Session, school: School) -> int | None:
    return session.exec(select(User.id).where(User.school_id == school.id,
                                              User.title == "SENCO")).first()


def _user_id(session: Session, display_name: str) -> int | None:
    return session.exec(select(User.id).where(User.display_name == display_name)).first()


def _writer(session: Session, school: School) -> Actor:
    user_id = _senco_id(session, school)
    user = session.get(User, user_id) if user_id is not None else None
    if user is not None:
        return actor_of(user)
    # A cluster seeded without accounts (the load benchmark): the school's SENCO, unnamed.
    return Actor(0, "", "SENCO", Role.SCHOOL, school.cluster_id, school.id, "SENCO")


def _history(session: Session, request: SupportRequest, by_user_id: int | None,
             from_status: str | None, to_status: str, on: date, note: str) -> None:
    """One line of the request's history, dated the day it happened, saying who moved it."""
    session.add(StatusChange(request_id=request.id or 0, by_user_id=by_user_id,
                             from_status=from_status, to_status=to_status, note=note,
                             at=datetime.combine(on, time(16, 0), tzinfo=UTC)))


def _decided(session: Session, request: SupportRequest, meeting: Meeting, chair: str,
             note: str) -> None:
    """The confirmation's line in the request's history: the chair, on the meeting's day."""
    request.status = RequestStatus.DECIDED
    session.add(request)
    _history(session, request, _user_id(session, chair), RequestStatus.SUBMITTED,
             RequestStatus.DECIDED, meeting.held_on, note)


def _award(session: Session, meeting: Meeting, request: SupportRequest, decision: str,
           chair: str) -> Award:
    amount_by_decision: dict[str, int] = {
        Decision.FULL: round_down_to(request.amount_pence, 100),  # a meeting agrees whole pounds
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


# What the child can do now, by judgement: the impact form requires it, so every demo record has it.
CAN_DO: dict[str, str] = {
    "exceeded": "Now {outcome}, and does so without being reminded.",
    "met": "Now {outcome}.",
    "partly met": "Partly: {outcome} on some days, with an adult nearby.",
    "not met": "Not yet: still working towards this ({outcome}).",
}


def _impact(session: Session, award: Award, request: SupportRequest, rng: random.Random) -> None:
    outcome = session.exec(select(RequestOutcome).where(
        RequestOutcome.request_id == request.id)).first()
    if outcome is None or outcome.id is None or award.id is None:
        return
    story = next(s for s in STORIES if s.outcome == outcome.description)
    judgement_index = rng.choices(range(4), weights=(2, 5, 3, 1))[0]
    judgement = ("exceeded", "met", "partly met", "not met")[judgement_index]
    session.add(ImpactRecord(
        award_id=award.id, outcome_id=outcome.id, baseline=outcome.baseline,
        target=outcome.target, achieved=story.achieved[judgement_index],
        judgement=judgement,
        can_do_now=CAN_DO[judgement].format(outcome=outcome.description.lower()),
        what_worked="Daily, short, consistent sessions with the same adult; progress shared "
                    "with the family each half-term.",
        pupil_voice="Says the sessions help and wants them to carry on.",
        parent_voice="Family report more confidence at home.",
    ))


def confirm_past_rounds(session: Session, cluster_id: int, on: date,
                        store_letters: bool = True) -> int:
    """Every funding round held before `on` confirmed as a live one is, on its own day: the
    chair and the date on the record, and each school's decision letter issued and stored (bytes
    and SHA-256) by the service a confirmation calls, dated that day, so every past decision has
    its letter as issued. Runs after the payments and reviews are written, so each letter lists
    its instalments and review points. About 80 letters cost the seed about three seconds: the
    PDFs share one cut of the font (cluster/papers/pdf.py). `store_letters=False` stores none
    (the LA's other clusters, which are there for the LA's comparisons: their letters are stored
    on first download, as for rounds confirmed before papers were stored). Returns how many
    letters were stored."""
    from cluster.meetings.issue import issue_letters

    session.flush()
    rounds = session.exec(select(Meeting).where(
        Meeting.cluster_id == cluster_id, col(Meeting.is_funding_round).is_(True),
        Meeting.held_on < on).order_by(col(Meeting.held_on))).all()
    issued = 0
    for meeting in rounds:
        chairs = session.exec(select(Award.decided_by).join(
            SupportRequest, col(SupportRequest.id) == Award.request_id).where(
            Award.meeting_id == meeting.id)).all()
        if not chairs:
            continue
        meeting.decisions_confirmed_on = meeting.held_on
        meeting.chaired_by = max(set(chairs), key=chairs.count)
        session.add(meeting)
        session.flush()
        if store_letters:
            with pinned_clock(meeting.held_on):
                issued += issue_letters(session, meeting, meeting.chaired_by)
    return issued

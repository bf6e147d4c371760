"""The demo cluster's requests for the next funding round, written through the same checks, costing
and scoring as a school's own: the year's rate table, rules and need matrix (with a band table);
the eight submitted requests given outcomes, a provision map and a need score; and a handful more in
other states (drafts of each kind, one returned for more information, one withdrawn).

Pupils appear only as school-made references ("CP-031"); no text names a person, and none holds a
UPN, a ULN, an NHS number or a date of birth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from sqlmodel import Session, col, select

from cluster.common.calendar import AcademicYear
from cluster.common.needs import Area
from cluster.core.permissions import Actor
from cluster.demo.history import TA_PENCE_PER_HOUR
from cluster.models import (
    Meeting,
    NeedMatrixSetting,
    RequestKind,
    RequestPupil,
    RequestRules,
    RequestStatus,
    School,
    StaffGradeRate,
    StatusChange,
    SupportRequest,
    User,
)
from cluster.people.accounts import actor_of
from cluster.requests.checks import run_checks
from cluster.requests.costing import (
    DEFAULT_STAFF_RATES,
    DEFAULT_WEEKS,
    ItemLine,
    StaffLine,
    staff_cost_pence,
)
from cluster.requests.forms import OutcomeInput, PupilInput, RequestForm
from cluster.requests.lookups import check_context
from cluster.requests.need_score import EXAMPLE_BANDS, NeedMatrix
from cluster.requests.rules import Prerequisite
from cluster.requests.status import change_status, draft_started, write_request
from cluster.year.schedule import next_meeting

TA = "Teaching assistant (TA)"
HLTA = "Higher level teaching assistant (HLTA)"
SPECIALIST = "Specialist teacher"


@dataclass(frozen=True)
class AreaStory:
    need: str
    done: str
    outcome: OutcomeInput
    item: str
    parent_view: str
    pupil_view: str


STORIES: dict[str, AreaStory] = {
    Area.COMMUNICATION: AreaStory(
        "Understands short instructions only with pictures; rarely starts talk with other "
        "pupils. The speech and language therapist found a marked receptive language delay.",
        "Two cycles of assess, plan, do, review with a class visual timetable and small-group "
        "vocabulary work; therapist's programme received in the autumn.",
        OutcomeInput("Follows three-step classroom instructions without an adult's prompt",
                     "Instructions followed out of 10 observed", "3 of 10", "8 of 10"),
        "Therapist's programme resources and visual supports",
        "The family would like more help with talking at home and have joined the sessions.",
        "Likes the picture cards; says the group is fun."),
    Area.COGNITION: AreaStory(
        "Working well below age-related expectations in reading despite two cycles of "
        "school-funded phonics; the specialist teacher's assessment suggests dyslexic "
        "difficulties.",
        "Daily phonics catch-up for two terms, then precision teaching; progress reviewed each "
        "half-term with the family.",
        OutcomeInput("Reads age-appropriate texts with 90% accuracy",
                     "Reading accuracy on a benchmarked text", "72%", "90%"),
        "Structured literacy programme licence and reading books",
        "Parents are worried about the move to the next key stage and back the plan.",
        "Wants to read the same books as friends."),
    Area.SEMH: AreaStory(
        "Frequent dysregulation at unstructured times; two suspensions last year; attendance "
        "has fallen to 84%. An early help plan is in place.",
        "Two cycles of assess, plan, do, review with a key adult, a calm space and a reward "
        "plan; the mental health support team has advised.",
        OutcomeInput("Uses an agreed strategy before reaching crisis",
                     "Incidents needing an adult to step in, per week", "4", "1"),
        "Emotional literacy resources and sensory toolkit",
        "Carers report more calm evenings when the school day has gone well.",
        "Says the calm space helps and wants to keep the same adult."),
    Area.SENSORY_PHYSICAL: AreaStory(
        "Physical disability affecting fine motor control; needs an adult for recording and for "
        "changing for PE. The occupational therapist has set a programme.",
        "Two cycles of assess, plan, do, review with a writing slope, pencil grips and a laptop "
        "trial; occupational therapy advice followed.",
        OutcomeInput("Records a paragraph independently with the agreed tools",
                     "Sentences recorded independently in 20 minutes", "1", "5"),
        "Occupational therapy equipment and typing programme",
        "Parents have agreed the programme and practise the exercises at home.",
        "Would like to do more on the laptop without help."),
}


def seed_request_examples(session: Session, schools: list[School], year: AcademicYear,
                          on: date) -> None:
    session.flush()
    cluster_id = schools[0].cluster_id
    _seed_settings(session, cluster_id, year)
    session.flush()
    meeting = next_meeting(session, cluster_id, on, funding_round=True)
    if meeting is None or meeting.id is None:
        return
    _enrich_waiting_requests(session, meeting, schools)
    for example in _examples(meeting, schools):
        example(session)


def _seed_settings(session: Session, cluster_id: int, year: AcademicYear) -> None:
    for rate in DEFAULT_STAFF_RATES:
        session.add(StaffGradeRate(cluster_id=cluster_id, academic_year=year.start_year,
                                   grade=rate.grade, pence_per_hour=rate.pence_per_hour,
                                   is_senco_time=rate.is_senco_time))
    session.add(RequestRules(cluster_id=cluster_id, academic_year=year.start_year,
                             prerequisites=[Prerequisite.REVIEW_CYCLES,
                                            Prerequisite.PARENT_CONSENT],
                             min_review_cycles=2, assessment_within_months=12))
    session.add(NeedMatrixSetting(cluster_id=cluster_id, academic_year=year.start_year,
                                  matrix=NeedMatrix(bands=EXAMPLE_BANDS).to_json()))


def _senco(session: Session, school: School) -> Actor:
    user = session.exec(select(User).where(User.school_id == school.id, User.title == "SENCO")
                        ).first()
    assert user is not None
    return actor_of(user)


def _target_date(meeting: Meeting) -> date:
    return date(meeting.academic_year + 1, 7, 14)


def _enrich_waiting_requests(session: Session, meeting: Meeting, schools: list[School]) -> None:
    """The eight submitted requests keep their amounts; the provision map is built to match."""
    by_id = {s.id: s for s in schools}
    waiting = session.exec(select(SupportRequest).where(
        SupportRequest.meeting_id == meeting.id,
        SupportRequest.status == RequestStatus.SUBMITTED).order_by(col(SupportRequest.id))).all()
    for index, request in enumerate(waiting):
        school = by_id.get(request.school_id)
        pupil = session.exec(select(RequestPupil).where(
            RequestPupil.request_id == request.id)).first()
        if school is None or pupil is None:
            continue
        story = STORIES.get(request.main_area, STORIES[Area.COGNITION])
        minutes = min(150, (request.amount_pence * 60 // (TA_PENCE_PER_HOUR * DEFAULT_WEEKS))
                      // 30 * 30)
        staff = (StaffLine(TA, minutes, 1, DEFAULT_WEEKS, 1),) if minutes else ()
        ta_cost = staff_cost_pence(TA_PENCE_PER_HOUR, minutes, DEFAULT_WEEKS)
        items = (ItemLine(story.item, request.amount_pence - ta_cost, 1),) \
            if request.amount_pence > ta_cost else ()
        year_group = "Year 8" if school.phase == "secondary" else pupil.year_group
        form = RequestForm(
            kind=request.kind, title=request.title, meeting_id=meeting.id,
            main_area=request.main_area,
            pupils=(PupilInput(pupil.reference, year_group, pupil.sen_status, pupil.primary_need,
                               ehc_assessment_requested=index % 3 == 0, consent_given=True),),
            need_summary=story.need, graduated_approach=story.done, review_cycles=2,
            external_advice="Specialist advice received this year (see the need above).",
            specialist_assessment_on=meeting.held_on - timedelta(days=90 + 20 * index),
            school_spend_pence=request.school_spend_pence, parents_involved=True,
            outcomes=(OutcomeInput(story.outcome.description, story.outcome.measure,
                                   story.outcome.baseline, story.outcome.target,
                                   _target_date(meeting)),),
            staff_lines=staff, item_lines=items, minimum_pence=request.minimum_pence,
            start_term=meeting.half_term, duration_terms=3,
            severity={request.main_area: 2 + index % 3}, parent_view=story.parent_view,
            pupil_view=story.pupil_view)
        actor = _senco(session, school)
        context = check_context(session, school, meeting.id, request.id)
        report = run_checks(form, context)
        submitted_on = request.submitted_on
        write_request(session, actor, school, request, form, report, context)
        request.submitted_on = submitted_on
        session.add(request)
        for from_status, to_status, note in ((None, RequestStatus.DRAFT, "Draft started."),
                                             (RequestStatus.DRAFT, RequestStatus.SUBMITTED,
                                              f"Submitted for the {meeting.half_term} meeting.")):
            session.add(StatusChange(request_id=request.id or 0, by_user_id=actor.user_id,
                                     from_status=from_status, to_status=to_status, note=note))
    session.flush()


def _save(session: Session, school: School, form: RequestForm,
          history: tuple[tuple[str | None, str, str], ...]) -> SupportRequest:
    actor = _senco(session, school)
    context = check_context(session, school, form.meeting_id, None)
    report = run_checks(form, context)
    request = write_request(session, actor, school, None, form, report, context)
    for from_status, to_status, note in history:
        if from_status is None:
            draft_started(session, actor, request)
        else:
            change_status(session, actor, request, to_status, note)
    session.flush()
    return request


def _examples(meeting: Meeting, schools: list[School]) -> list[Callable[[Session], None]]:
    target = _target_date(meeting)
    draft = ((None, RequestStatus.DRAFT, "Draft started."),)

    def group_draft(session: Session) -> None:
        pupils = tuple(PupilInput(f"CP-{31 + n:03d}", ("Year 1", "Year 2")[n % 2], "sen_support",
                                  ("SLCN", "SLCN", "ASD", "SLCN", "SLCN")[n],
                                  profile=("Limited vocabulary; speaks in two or three word "
                                           "phrases in class.", "Finds turn-taking hard; "
                                           "withdraws in group work.", "Autistic; manages "
                                           "well with a visual schedule.", "New to English "
                                           "and has a speech sound difficulty.", "Quiet; "
                                           "assessed with a receptive language delay.")[n],
                                  consent_given=n != 4) for n in range(5))
        _save(session, schools[4], RequestForm(
            kind=RequestKind.GROUP, title="Social communication group, Years 1 and 2",
            meeting_id=meeting.id, main_area=Area.COMMUNICATION, pupils=pupils,
            need_summary="Five pupils whose speech and language needs hold back their learning "
                         "and friendships; two have therapist programmes the class cannot "
                         "deliver alone.",
            graduated_approach="Whole-class vocabulary teaching and one review cycle of a "
                               "lunchtime talk group run by the class TA.",
            review_cycles=1, school_spend_pence=450_000, parents_involved=True,
            outcomes=(OutcomeInput("Each pupil takes part in a group conversation of five turns",
                                   "Turns taken in a structured conversation", "1-2", "5",
                                   target),),
            staff_lines=(StaffLine(HLTA, 90, 5, DEFAULT_WEEKS, 1),),
            item_lines=(ItemLine("Language programme training for the HLTA", 35_000, 1),),
            minimum_pence=100_000, start_term=meeting.half_term,
            severity={Area.COMMUNICATION: 2}), draft)

    def returned(session: Session) -> None:
        request = _save(session, schools[8], RequestForm(
            kind=RequestKind.INDIVIDUAL, title="Precision teaching for reading",
            meeting_id=meeting.id, main_area=Area.COGNITION,
            pupils=(PupilInput("RE-114", "Year 4", "sen_support", "SpLD", consent_given=True),),
            need_summary=STORIES[Area.COGNITION].need,
            graduated_approach=STORIES[Area.COGNITION].done, review_cycles=2,
            school_spend_pence=620_000, parents_involved=True,
            outcomes=(OutcomeInput("Reads age-appropriate texts with 90% accuracy",
                                   "Reading accuracy on a benchmarked text", "", "90%", target),),
            staff_lines=(StaffLine(TA, 120, 1, DEFAULT_WEEKS, 1),),
            minimum_pence=80_000, start_term=meeting.half_term,
            severity={Area.COGNITION: 3}, parent_view=STORIES[Area.COGNITION].parent_view),
            (*draft, (RequestStatus.DRAFT, RequestStatus.SUBMITTED, "Submitted."),
             (RequestStatus.SUBMITTED, RequestStatus.RETURNED,
              "Returned for more information: a dated specialist assessment; the baseline for "
              "outcome 1")))
        request.missing_items = ["A dated specialist assessment (within the last 12 months)",
                                 "The baseline for outcome 1"]
        request.submitted_on = meeting.held_on - timedelta(days=60)
        session.add(request)

    def withdrawn(session: Session) -> None:
        _save(session, schools[11], RequestForm(
            kind=RequestKind.INDIVIDUAL, title="Key adult support at lunchtimes",
            meeting_id=meeting.id, main_area=Area.SEMH,
            pupils=(PupilInput("TJ-208", "Year 5", "sen_support", "SEMH", consent_given=True),),
            need_summary=STORIES[Area.SEMH].need, graduated_approach=STORIES[Area.SEMH].done,
            review_cycles=2, school_spend_pence=600_000, parents_involved=True,
            outcomes=(OutcomeInput(**{**STORIES[Area.SEMH].outcome.__dict__,
                                      "target_on": target}),),
            staff_lines=(StaffLine(TA, 150, 1, DEFAULT_WEEKS, 1),),
            minimum_pence=100_000, start_term=meeting.half_term, severity={Area.SEMH: 3}),
            (*draft, (RequestStatus.DRAFT, RequestStatus.SUBMITTED, "Submitted."),
             (RequestStatus.SUBMITTED, RequestStatus.WITHDRAWN,
              "Withdrawn by the school: the pupil has moved to another school.")))

    def joint_project(session: Session) -> None:
        _save(session, schools[6], RequestForm(
            kind=RequestKind.PROJECT, title="Shared ELSA training for three small schools",
            meeting_id=meeting.id, main_area=Area.SEMH,
            partner_school_ids=(schools[7].id or 0, schools[9].id or 0), pupils_helped=24,
            need_summary="Three small schools each have a handful of pupils with emotional "
                         "needs and no trained emotional literacy support assistant.",
            graduated_approach="Each school runs nurture-style groups; none has ELSA-trained "
                               "staff.", parents_involved=False,
            outcomes=(OutcomeInput("A trained ELSA in each school running weekly sessions",
                                   "Schools with a trained ELSA", "0 of 3", "3 of 3", target),),
            staff_lines=(StaffLine(SPECIALIST, 120, 1, 6, 1),),
            item_lines=(ItemLine("ELSA training places (three)", 135_000, 1),
                        ItemLine("Supervision sessions for the year", 60_000, 1)),
            minimum_pence=135_000, start_term=meeting.half_term,
            severity={Area.SEMH: 2}), draft)

    def medical_draft(session: Session) -> None:
        _save(session, schools[10], RequestForm(
            kind=RequestKind.MEDICAL, title="Sudden medical need: return to school after surgery",
            meeting_id=meeting.id, main_area=Area.SENSORY_PHYSICAL,
            pupils=(PupilInput("TI-052", "Year 2", "sen_support", "PD",
                               ehc_assessment_requested=True, consent_given=True),),
            need_summary="After major surgery the pupil uses a wheelchair for at least two terms "
                         "and needs an adult for moving around school and for personal care.",
            school_spend_pence=300_000, parents_involved=True,
            outcomes=(OutcomeInput("Takes part in every lesson with the agreed support",
                                   "Lessons attended fully each week", "12 of 25", "25 of 25",
                                   target),),
            staff_lines=(StaffLine(TA, 300, 1, 30, 1),),
            minimum_pence=200_000, start_term=meeting.half_term, duration_terms=2,
            severity={Area.SENSORY_PHYSICAL: 4}), draft)

    def case_discussion(session: Session) -> None:
        _save(session, schools[5], RequestForm(
            kind=RequestKind.CASE_DISCUSSION, title="Advice: pupil refusing to write",
            meeting_id=meeting.id, main_area=Area.SEMH,
            pupils=(PupilInput("FL-009", "Year 3", "sen_support", "NSA", consent_given=True),),
            need_summary="A pupil refuses to write in any lesson; no specialist assessment yet. "
                         "The school would like colleagues' ideas before the next review.",
            graduated_approach="One review cycle; scribing and a reward chart tried.",
            review_cycles=1, parents_involved=True, start_term=meeting.half_term,
            severity={Area.SEMH: 1}), draft)

    return [group_draft, returned, withdrawn, joint_project, medical_draft, case_discussion]

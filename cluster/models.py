"""The data model: one module, SQLModel tables plus the Create models that validate input.

Money is integer pence. Rows that people edit inherit `Versioned`: SQLAlchemy's version_id_col
makes a save from a stale screen fail at commit even when two saves race past the service's check.
No table holds a pupil's name, UPN, ULN, NHS number or full date of birth.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from pydantic import field_validator
from sqlalchemy import JSON, Column, LargeBinary, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel

from cluster.core.labelled import LabelledEnum


class Role(LabelledEnum):
    HOST = "host", "Cluster SEN host"
    SCHOOL = "school", "Headteacher / SENCO"
    GOVERNOR = "governor", "Governor"
    LA_ADVISER = "la_adviser", "LA adviser"


class Phase(StrEnum):
    NURSERY = "nursery"
    INFANT = "infant"
    JUNIOR = "junior"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all-through"


class RequestKind(LabelledEnum):
    CASE_DISCUSSION = "case_discussion", "Case discussion (advice from the cluster, no money)"
    INDIVIDUAL = "individual", "One pupil"
    MEDICAL = "medical", "One pupil: sudden and significant medical needs"
    FIRST_YEAR = "first_year", "One pupil: first year of school"
    GROUP = "group", "A group of pupils"
    PROJECT = "project", "A project for whole-school or cluster capacity"


class RequestStatus(LabelledEnum):
    DRAFT = "draft", "Draft"
    SUBMITTED = "submitted", "Submitted"
    # a SENCO's request, until the headteacher signs it off
    AWAITING_HEAD = "awaiting_head", "Waiting for the headteacher's sign-off"
    RETURNED = "returned", "Returned for more information"
    WITHDRAWN = "withdrawn", "Withdrawn"
    ON_AGENDA = "on_agenda", "On the agenda"
    DECIDED = "decided", "Decided"


class Decision(LabelledEnum):
    FULL = "full", "Funded in full"
    PART = "part", "Part-funded"
    NONE = "none", "Not funded"
    DEFERRED = "deferred", "Deferred"


class DecisionType(LabelledEnum):
    """How the meeting reached a decision."""

    CONSENSUS = "consensus", "Consensus"
    VOTE = "vote", "Vote"


class AwardEnd(StrEnum):
    """Why an award ended early or on time (Award.end_reason; empty while it runs)."""

    STOPPED = "stopped"
    COMPLETED = "completed"


class ReviewStatus(LabelledEnum):
    DUE = "due", "due, not drafted"
    DRAFTED = "drafted", "drafted by the school"  # or the host for them
    CONFIRMED = "confirmed", "confirmed by the meeting"
    CANCELLED = "cancelled", "cancelled: the award ended"  # before this review point


# A review still owed: due, or drafted and waiting for the meeting (a cancelled one is not owed).
OPEN_REVIEW_STATUSES: tuple[str, ...] = (ReviewStatus.DUE, ReviewStatus.DRAFTED)


class ReviewProgress(LabelledEnum):
    """A review's word on progress, for the award and for each outcome."""

    ON_TRACK = "on track", "On track"
    SOME = "some", "Some progress"
    NONE = "none", "No progress"


class ReviewRecommendation(LabelledEnum):
    CONTINUE = "continue", "Continue as agreed"
    ADJUST = "adjust", "Adjust the support"
    STOP = "stop", "Stop: the instalments still to come are not paid"
    COMPLETE = "complete", "Complete: the award has done its work"


class InstalmentStatus(StrEnum):
    SCHEDULED = "scheduled"
    STOPPED = "stopped"


class UrgentStatus(LabelledEnum):
    # proposed; the other host has not agreed yet
    AWAITING_SECOND = "awaiting_second", "waiting for the second host to agree"
    # paid from the reserve; the next meeting ratifies it
    AGREED = "agreed", "agreed; to be ratified"
    RATIFIED = "ratified", "ratified"
    NOT_RATIFIED = "not_ratified", "not ratified"


class SplitStatus(StrEnum):
    """How the optimiser's run ended (its own `RunStatus`, which keeps it free of the tables)."""

    OPTIMAL = "optimal"
    TIME_LIMITED = "time_limited"  # the best split found in the time allowed
    INFEASIBLE = "infeasible"  # the settings clash: no split is possible
    NO_SOLUTION = "no_solution"


class AttendanceStatus(LabelledEnum):
    """One person's mark in the register (stored as Attendance.present and .apologies)."""

    PRESENT = "present", "Present"
    APOLOGIES = "apologies", "Apologies"
    ABSENT = "absent", "Absent"


def utc_now() -> datetime:
    from cluster.core.clock import now

    return now()


class Versioned(SQLModel):
    version: int = Field(default=1)

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805 - a declared_attr gets the class
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]  # only table=True subclasses have __table__


class ClusterYear(Versioned):
    """A row of one cluster's academic year: one a year (its funding, request rules, need matrix),
    or one a year for each of `within_year` (a meeting per half-term, a rate per staff grade)."""

    within_year: ClassVar[tuple[str, ...]] = ()

    @declared_attr.directive
    def __table_args__(cls) -> tuple[UniqueConstraint]:  # noqa: N805 - a declared_attr gets the class
        # Made per table: a constraint object belongs to one table.
        return (UniqueConstraint("cluster_id", "academic_year", *cls.within_year),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    academic_year: int  # the calendar year in which it starts: 2026 means 2026/27


# --- the cluster and its schools -------------------------------------------------------------


class Cluster(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=120)
    la_code: str = Field(max_length=3)
    la_name: str = Field(max_length=80)
    funded_since: date
    quorum_fraction: float = Field(default=2 / 3)


class School(Versioned, table=True):
    __table_args__ = (UniqueConstraint("urn"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    urn: str = Field(max_length=6)
    laestab: str = Field(max_length=7)
    name: str = Field(max_length=120)
    phase: str = Field(max_length=20)
    school_type: str = Field(max_length=60)
    predecessor_id: int | None = Field(default=None, foreign_key="school.id")
    active: bool = Field(default=True)


def _digits(value: str, length: int, message: str) -> str:
    """Exactly `length` ASCII digits: "１２１００１" looks like a URN, but no LA system reads it."""
    if not (len(value) == length and value.isascii() and value.isdigit()):
        raise ValueError(message)
    return value


def _given(value: str, message: str) -> str:
    """A name that is not only spaces, stored without the spaces around it."""
    if not value.strip():
        raise ValueError(message)
    return value.strip()


class SchoolCreate(SQLModel):
    urn: str
    laestab: str
    name: str = Field(max_length=120)  # the School columns' lengths: PostgreSQL refuses longer
    phase: Phase
    school_type: str = Field(max_length=60)

    @field_validator("urn")
    @classmethod
    def urn_is_six_digits(cls, value: str) -> str:
        return _digits(value, 6, "URN must be 6 digits")

    @field_validator("laestab")
    @classmethod
    def laestab_is_seven_digits(cls, value: str) -> str:
        return _digits(value, 7, "LAESTAB must be 7 digits: the 3-digit LA code then 4 digits")

    @field_validator("name")
    @classmethod
    def name_is_given(cls, value: str) -> str:
        return _given(value, "School name is required")


class CensusSnapshot(Versioned, table=True):
    __table_args__ = (UniqueConstraint("school_id", "census_year"),)

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    census_year: int
    pupils: int
    sen_support: int
    ehc_plan: int
    # Pupils by primary need code (SLCN, ASD, ...), SEN support and EHC plans together.
    primary_needs: dict[str, int] = Field(default_factory=dict,
                                          sa_column=Column(JSON, nullable=False))


class LaBenchmark(SQLModel, table=True):
    """One local authority's (or England's) census totals, aggregated from the DfE national file.

    Not tied to a cluster: every cluster compares itself with its LA and with England. Replaced
    whole for a census year on each import, so re-importing the same file changes nothing.
    """

    __table_args__ = (UniqueConstraint("census_year", "la_name"),)

    id: int | None = Field(default=None, primary_key=True)
    census_year: int
    la_name: str = Field(max_length=80)  # "England" for the national row
    schools: int
    pupils: int
    ehc_plan: int
    sen_support: int | None = None  # the trimmed national file has no SEN support column


# --- the money ----------------------------------------------------------------------------------


class FundingYear(ClusterYear, table=True):
    per_pupil_rate_pence: int
    fixed_sum_per_school_pence: int
    carried_forward_pence: int = 0
    psf_redistributed_pence: int = 0
    reserve_percent: float = 5.0
    read_only: bool = False
    reopened_reason: str = ""


class TopSlice(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    funding_year_id: int = Field(foreign_key="fundingyear.id", index=True)
    label: str = Field(max_length=120)
    amount_pence: int


class IncomeLine(Versioned, table=True):
    """Money beyond the LA formula that joins the pot for named funding rounds (delegated learning
    support, say): added to those rounds' releases, split evenly between them."""

    id: int | None = Field(default=None, primary_key=True)
    funding_year_id: int = Field(foreign_key="fundingyear.id", index=True)
    source: str = Field(max_length=120)
    amount_pence: int
    # The half-terms of the year's funding rounds it joins ("Autumn 1", ...), in year order.
    rounds: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class ClusterGuide(Versioned, table=True):
    """A cluster's own wording of a how-to guide the LA lets clusters edit; until the host saves,
    the LA's default (toolkit/content/guides)."""

    __table_args__ = (UniqueConstraint("cluster_id", "slug"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    slug: str = Field(max_length=80)
    body_md: str = ""
    updated_on: date | None = None


class ProtectedPupil(Versioned, table=True):
    """Pupil-tied funding inherited from before the move (Norfolk's PSF): year and month of birth
    only."""

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    reference: str = Field(max_length=30)
    birth_year: int
    birth_month: int
    phase: str = Field(max_length=20)
    annual_amount_pence: int
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=60)


class ProtectedPupilEvent(SQLModel, table=True):
    """A move or transfer in a protected pupil's funding, kept so its history reads in order.

    Append-only: an ending event (nursery to Reception, casual move) also sets the pupil's ended_on;
    a managed move or planned transfer moves the pupil's school_id to the receiving school.
    """

    id: int | None = Field(default=None, primary_key=True)
    pupil_id: int = Field(foreign_key="protectedpupil.id", index=True)
    kind: str = Field(max_length=30)
    happened_on: date
    from_school_id: int | None = Field(default=None, foreign_key="school.id")
    to_school_id: int | None = Field(default=None, foreign_key="school.id")
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")


# --- meetings -----------------------------------------------------------------------------------


class Meeting(ClusterYear, table=True):
    within_year = ("half_term",)

    half_term: str = Field(max_length=20)
    held_on: date
    starts_at: str = Field(default="13:30", max_length=5)
    ends_at: str = Field(default="16:30", max_length=5)  # a half-day meeting, local (London) time
    venue: str = Field(default="", max_length=200)
    video_link: str = Field(default="", max_length=300)  # https link when members join online
    is_funding_round: bool = False
    release_pence: int = 0
    agenda_md: str = ""
    minutes_md: str = ""
    minutes_approved_on: date | None = None
    # Decisions saved at the meeting stay draft until the meeting confirms them (on this day).
    decisions_confirmed_on: date | None = None
    chaired_by: str = Field(default="", max_length=200)
    # A meeting is held from its day; the host may open it up to 7 days early (a moved meeting),
    # on this day, for this reason (cluster.common.meeting_day).
    opened_early_on: date | None = None
    opened_early_reason: str = Field(default="", max_length=500)


class Attendance(Versioned, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "school_id", "capacity"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    school_id: int = Field(foreign_key="school.id")
    capacity: str = Field(max_length=20)  # headteacher, senco, governor
    present: bool = False
    apologies: bool = False  # absent with apologies; absent and no apologies otherwise


class Action(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    description: str = Field(max_length=500)
    owner: str = Field(max_length=120)
    due_on: date
    done: bool = False


# --- requests -----------------------------------------------------------------------------------


class SupportRequest(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    kind: str = Field(max_length=20)
    status: str = Field(default=RequestStatus.DRAFT, max_length=20, index=True)
    title: str = Field(max_length=200)
    main_area: str = Field(max_length=40)
    need_summary: str = ""
    graduated_approach: str = ""
    school_spend_pence: int = 0
    parents_involved: bool = False
    consent_given: bool = False
    amount_pence: int = 0
    minimum_pence: int = 0
    start_term: str = Field(default="Autumn 1", max_length=20)
    academic_year: int
    duration_terms: int = 3
    need_score: float | None = None
    created_by_id: int | None = Field(default=None, foreign_key="user.id")
    submitted_on: date | None = None
    # --- the request process ---
    # A joint project is paid as one sum to the lead school (school_id); these are its partners.
    partner_school_ids: list[int] = Field(default_factory=list,
                                          sa_column=Column(JSON, nullable=False))
    pupils_helped: int = 0  # a project's estimate; the pupils on the request otherwise
    # Severity band 0-4 per area of need (area name -> band), chosen from the matrix's descriptors.
    severity: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    review_cycles: int = 0  # assess-plan-do-review cycles already run
    external_advice: str = ""
    specialist_assessment_on: date | None = None
    parent_view: str = ""
    pupil_view: str = ""
    # The score's parts ({"total", "out_of", "parts": [...], "band"}), so a head sees why.
    need_score_parts: dict[str, object] = Field(default_factory=dict,
                                                sa_column=Column(JSON, nullable=False))
    # Readable flags for the meeting (SENCO time, spend under £6,000, names in text, ...).
    flags: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    # What the host found missing when returning it for more information.
    missing_items: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    updated_at: datetime | None = None
    # The kind of provision it buys (cluster/common/provision.py), so kinds compare across the
    # cluster; empty means it is worked out from the request's kind and its costed lines.
    provision_kind: str = Field(default="", max_length=60)


class RequestPupil(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="supportrequest.id", index=True)
    reference: str = Field(max_length=30)
    year_group: str = Field(max_length=20)
    sen_status: str = Field(max_length=20)  # sen_support or ehc_plan
    ehc_assessment_requested: bool = False
    primary_need: str = Field(max_length=10)
    birth_year: int | None = None
    birth_month: int | None = None
    profile: str = ""  # a group request's short profile of this pupil
    consent_given: bool = False  # parent/carer consent to the pseudonymised request being shared


class RequestOutcome(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="supportrequest.id", index=True)
    position: int
    description: str = Field(max_length=500)
    measure: str = Field(max_length=200)
    baseline: str = Field(max_length=200)
    target: str = Field(max_length=200)
    target_on: date


class CostLine(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="supportrequest.id", index=True)
    outcome_id: int | None = Field(default=None, foreign_key="requestoutcome.id")
    staff_grade: str | None = Field(default=None, max_length=40)
    minutes_per_week: int = 0
    group_size: int = 1
    weeks: int = 38
    item_description: str | None = Field(default=None, max_length=200)
    cost_pence: int
    rate_pence_per_hour: int = 0  # the rate used, so a later change to the table alters no history
    position: int = 0


class StaffGradeRate(ClusterYear, table=True):
    """The cluster's staff rate table for one academic year (host-set): £ per hour by grade."""

    within_year = ("grade",)

    grade: str = Field(max_length=40)
    pence_per_hour: int
    is_senco_time: bool = False


class RequestRules(ClusterYear, table=True):
    """One year's rules for requests: prerequisites that block submission, an optional limit."""

    prerequisites: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    min_review_cycles: int = 2
    assessment_within_months: int = 12
    max_requests_per_school_per_meeting: int | None = None
    # Review awards halfway through as well as at the last meeting before they end.
    halfway_review: bool = True
    # A SENCO's request goes to the school's headteacher to sign off before the cluster sees it.
    head_sign_off: bool = False


class NeedMatrixSetting(ClusterYear, table=True):
    """One year's need matrix (weights, severity descriptors, optional band table) as JSON."""

    matrix: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class StatusChange(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="supportrequest.id", index=True)
    at: datetime = Field(default_factory=utc_now)
    by_user_id: int | None = Field(default=None, foreign_key="user.id")
    from_status: str | None = Field(default=None, max_length=20)
    to_status: str = Field(max_length=20)
    note: str = ""


# --- decisions, reviews, impact -----------------------------------------------------------------


class Award(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="supportrequest.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    decision: str = Field(max_length=20)
    amount_pence: int = 0
    suggested_pence: int | None = None
    reason: str = ""
    conditions: str = ""
    terms: int = 3
    decided_by: str = Field(default="", max_length=200)
    returned_pence: int = 0
    carried_into_year: int | None = None  # set at rollover while the award still runs
    # Set when a confirmed review stops or completes the award: no instalment falls due
    # after ended_on, and any unspent money is in returned_pence.
    ended_on: date | None = None
    end_reason: str = Field(default="", max_length=20)  # an AwardEnd once it has ended
    # A decision saved at the meeting is draft until the meeting confirms the round; older rows
    # (and the demo's history) are final.
    draft: bool = False
    decided_on: date | None = None
    decision_type: str = Field(default=DecisionType.CONSENSUS, max_length=20)
    votes_for: int | None = None
    votes_against: int | None = None
    votes_abstaining: int | None = None
    length_reason: str = ""  # why it runs for fewer terms than asked
    next_time: str = ""  # the host's "next time, show..." for a declined or part-funded request
    suggestion_text: str = ""  # the optimiser's reason for its suggested figure
    suggestion_locked: bool = False  # the suggested figure was one the host had locked
    # Who decided: the schools represented that took part, and those whose people stood aside.
    deciding_school_ids: list[int] = Field(default_factory=list,
                                           sa_column=Column(JSON, nullable=False))
    stood_aside_school_ids: list[int] = Field(default_factory=list,
                                              sa_column=Column(JSON, nullable=False))
    from_reserve: bool = False  # an urgent award between meetings, from the emergency reserve
    # The later meetings that review it; Review rows are made when the meeting confirms it.
    review_meeting_ids: list[int] = Field(default_factory=list,
                                          sa_column=Column(JSON, nullable=False))
    # The host's correction of the class of support the award buys (cluster/common/
    # support_class.py); empty means the class follows from its kind of provision.
    support_class: str = Field(default="", max_length=40)


class Review(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    due_on: date
    status: str = Field(default=ReviewStatus.DUE, max_length=20)
    progress: str | None = Field(default=None, max_length=20)  # a ReviewProgress
    recommendation: str | None = Field(default=None, max_length=20)  # a ReviewRecommendation
    spend_to_date_pence: int | None = None
    notes: str = ""
    # Who drafted it (the school, or the host for them) and who confirmed it at the meeting.
    drafted_by_id: int | None = Field(default=None, foreign_key="user.id")
    drafted_on: date | None = None
    confirmed_on: date | None = None
    confirmed_by: str = Field(default="", max_length=200)
    returned_pence: int = 0  # the unspent money this review gave back to the cluster


class ReviewOutcome(SQLModel, table=True):
    """A review's word on one of the request's outcomes: progress and the measure now."""

    __table_args__ = (UniqueConstraint("review_id", "outcome_id"),)

    id: int | None = Field(default=None, primary_key=True)
    review_id: int = Field(foreign_key="review.id", index=True)
    outcome_id: int = Field(foreign_key="requestoutcome.id")
    progress: str = Field(max_length=20)  # a ReviewProgress
    measure_now: str = Field(default="", max_length=200)


class ImpactRecord(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    outcome_id: int = Field(foreign_key="requestoutcome.id")
    baseline: str = Field(max_length=200)
    target: str = Field(max_length=200)
    achieved: str = Field(max_length=200)
    judgement: str = Field(max_length=20)  # exceeded, met, partly met, not met
    what_worked: str = ""
    pupil_voice: str = ""
    parent_voice: str = ""
    # What the child can do now that they could not do before (an outcome, not hours delivered).
    can_do_now: str = ""
    # Where they matter: attendance (%) and suspensions or exclusions, before and after.
    attendance_before_pct: float | None = None
    attendance_after_pct: float | None = None
    exclusions_before: int | None = None
    exclusions_after: int | None = None
    recorded_by_id: int | None = Field(default=None, foreign_key="user.id")
    recorded_on: date | None = None


class ReconsiderationStatus(LabelledEnum):
    # asked, but no funding round with its request deadline ahead is set up yet
    WAITING = "waiting", "waiting for next year's first funding round"
    ON_AGENDA = "on_agenda", "on the agenda"
    WITHDRAWN = "withdrawn", "withdrawn"
    HEARD = "heard", "heard"


class Reconsideration(Versioned, table=True):
    """A school asks the cluster to look again at a decision on its own request."""

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    # The funding round that hears it: the next one whose request deadline has not passed.
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id", index=True)
    status: str = Field(default=ReconsiderationStatus.ON_AGENDA, max_length=20)
    reasons: str = ""
    asked_by_id: int | None = Field(default=None, foreign_key="user.id")
    asked_on: date
    outcome: str = ""  # what the meeting decided, written when it is heard
    heard_on: date | None = None


class TermsOfReference(Versioned, table=True):
    """The cluster's own terms of reference (Markdown); until the host saves, the toolkit's
    default."""

    __table_args__ = (UniqueConstraint("cluster_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id")
    body_md: str = ""
    updated_on: date | None = None


# --- running a meeting: the suggested split, payments, urgent decisions ------------------------


class SplitSuggestion(Versioned, table=True):
    """The optimiser's split the host accepted for a funding round, with the settings it ran on.

    Awards are compared with it: an award that differs needs a written reason.
    """

    __table_args__ = (UniqueConstraint("meeting_id"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    objective: str = Field(max_length=20)
    pot_pence: int
    # {"floors": {school id: pounds}, "caps": {school id: pounds}, "locks": {request id: pounds}}
    settings: dict[str, object] = Field(default_factory=dict,
                                        sa_column=Column(JSON, nullable=False))
    # {request id: {"pounds": int, "outcome": str, "explanation": str, "locked": bool}}
    requests: dict[str, object] = Field(default_factory=dict,
                                        sa_column=Column(JSON, nullable=False))
    summary: str = ""
    marginal_need_per_pound: float | None = None
    accepted_by: str = Field(default="", max_length=200)
    accepted_on: date | None = None


class Instalment(Versioned, table=True):
    """One payment of an award: equal instalments, one per term the award runs."""

    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    number: int  # 1, 2, 3 ...
    academic_year: int
    half_term: str = Field(max_length=20)  # the half-term the term it pays for starts in
    due_on: date
    amount_pence: int
    status: str = Field(default=InstalmentStatus.SCHEDULED, max_length=20)
    stopped_on: date | None = None
    stop_reason: str = ""


class UrgentDecision(Versioned, table=True):
    """An urgent award between meetings: proposed by the host or the deputy, agreed by the other,
    paid from the emergency reserve, and put to the next meeting to ratify."""

    id: int | None = Field(default=None, primary_key=True)
    request_id: int = Field(foreign_key="supportrequest.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)  # the meeting that ratifies it
    award_id: int | None = Field(default=None, foreign_key="award.id")
    amount_pence: int
    terms: int = 3
    reason: str = ""
    conditions: str = ""
    status: str = Field(default=UrgentStatus.AWAITING_SECOND, max_length=20)
    proposed_by_id: int = Field(foreign_key="user.id")
    proposed_on: date
    agreed_by_id: int | None = Field(default=None, foreign_key="user.id")
    agreed_on: date | None = None
    ratified_on: date | None = None
    ratification_note: str = ""


# --- people and the record ----------------------------------------------------------------------


class User(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=80, unique=True, index=True)
    display_name: str = Field(max_length=120)
    role: str = Field(max_length=20)
    title: str = Field(default="", max_length=60)  # headteacher, SENCO, deputy host, ...
    cluster_id: int | None = Field(default=None, foreign_key="cluster.id")
    school_id: int | None = Field(default=None, foreign_key="school.id")
    password_hash: str | None = Field(default=None, max_length=200)
    oidc_subject: str | None = Field(default=None, max_length=200, unique=True)
    email: str | None = Field(default=None, max_length=200, unique=True)
    active: bool = True
    is_demo: bool = False
    failed_sign_ins: int = 0
    locked_until: datetime | None = None
    last_sign_in_at: datetime | None = None
    must_change_password: bool = False


# What signing in, a failed attempt and a password change write on a user. No figure reads these,
# so changing them must not throw away the remembered sums (every sign-in of a school morning did).
SIGN_IN_COLUMNS = frozenset({"password_hash", "failed_sign_ins", "locked_until",
                             "last_sign_in_at", "must_change_password"})


class SignInSession(SQLModel, table=True):
    """One signed-in browser: what lets a reload or a new tab stay signed in. Only hashes of the
    browser's token and of the one-time code that hands it over are kept, so a copy of the
    database signs nobody in. Ended rows stay (the reason says why) until the retention sweep."""

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    token_hash: str | None = Field(default=None, max_length=64, unique=True)
    code_hash: str | None = Field(default=None, max_length=64, unique=True)
    code_expires_at: datetime | None = None
    started_at: datetime = Field(default_factory=utc_now)
    last_seen_at: datetime = Field(default_factory=utc_now)
    ended_at: datetime | None = None
    ended_because: str = Field(default="", max_length=30)


class UserCreate(SQLModel):
    username: str
    display_name: str = Field(max_length=120)  # the User columns' lengths: PostgreSQL refuses more
    role: Role
    title: str = Field(default="", max_length=60)
    cluster_id: int | None = None
    school_id: int | None = None
    email: str | None = Field(default=None, max_length=200)

    @field_validator("username")
    @classmethod
    def username_is_plain(cls, value: str) -> str:
        cleaned = value.strip().lower()
        if not (3 <= len(cleaned) <= 80) or not all(c.isalnum() or c in "._-@" for c in cleaned):
            raise ValueError(
                "Username must be 3 to 80 letters, digits, dots, dashes, underscores or @"
            )
        return cleaned

    @field_validator("display_name")
    @classmethod
    def display_name_is_given(cls, value: str) -> str:
        return _given(value, "Name is required")


class AuditOutcome(StrEnum):
    """How an audited action ended (AuditEvent.outcome)."""

    OK = "ok"
    REFUSED = "refused"  # every refusal row: services, sign-ins and views
    LOCKED = "locked"  # a sign-in refused because too many wrong passwords locked the name


class AuditEvent(SQLModel, table=True):
    """Append-only. Holds ids and non-personal values only, never pupil text."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    username: str = Field(default="", max_length=80)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(default="", max_length=60)
    entity_id: int | None = None
    outcome: str = Field(default=AuditOutcome.OK, max_length=20)
    changed_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    before: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class DataStamp(SQLModel, table=True):
    """One row whose stamp changes, to a fresh random value, in every transaction that changes
    anything. Heavy read-only sums are remembered against it (cluster/core/cache.py): a random stamp
    names one state of the data, so even a database restored from a backup cannot be mistaken for
    a later state."""

    id: int = Field(default=1, primary_key=True)
    stamp: str = Field(max_length=32)


class PaperKind(StrEnum):
    """The papers the cluster issues and keeps exactly as issued."""

    MEMBERS_PACK = "members_pack"
    GOVERNORS_PACK = "governors_pack"
    MINUTES = "minutes"
    GOVERNORS_MINUTES = "governors_minutes"
    DECISION_LETTER = "decision_letter"


class IssuedPaper(SQLModel, table=True):
    """One paper as it was issued: the file's bytes and their SHA-256, never changed afterwards.
    A correction is a new version (with its reason); every version is kept. `edition` says whose
    copy it is: "host", "school-<id>" (a members' pack or a decision letter) or "" (the one
    edition everybody reads)."""

    __table_args__ = (UniqueConstraint("meeting_id", "kind", "edition", "file_format",
                                       "version"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    kind: str = Field(max_length=30)
    edition: str = Field(default="", max_length=30)
    file_format: str = Field(max_length=8)  # pdf, docx
    version: int = 1
    occasion: str = Field(default="", max_length=30)  # papers_out, confirmation, ...
    reason: str = Field(default="", max_length=1000)  # why an amendment was issued
    file_name: str = Field(max_length=200)
    sha256: str = Field(max_length=64)
    size_bytes: int = 0
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    issued_at: datetime = Field(default_factory=utc_now)
    issued_on: date
    issued_by: str = Field(default="", max_length=120)
    # The names of the disclosure figures the paper showed (governors' minutes): which of its
    # figures a reader has can never change once issued. None: not recorded (issued before this).
    shown_figures: list[str] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    # The disclosure figures the paper showed, with the sums linking them (`FigureSet.to_stored`,
    # governors' packs): the audit checks the copy a reader holds, not the pack as it reads now.
    # The same on every format of one version. None: not recorded (issued before this).
    figures: dict[str, Any] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


# --- reminders -----------------------------------------------------------------------------------


class ReminderKind(LabelledEnum):
    """What a reminder is about, in the words of My account's choices (in the order shown)."""

    REQUESTS_DUE = ("requests_due",
                    "Requests due for the next meeting (a week before the deadline)")
    PAPERS_OUT = "papers_out", "Meeting papers are out"
    REVIEW_DUE = "review_due", "Reviews due"
    DECISIONS_SENT = "decisions_sent", "Decision letters sent"


class ReminderSent(SQLModel, table=True):
    """One reminder e-mailed to one person. The unique row is what stops a second e-mail about
    the same thing, even when two daily runs overlap."""

    __table_args__ = (UniqueConstraint("user_id", "kind", "subject_key"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True)
    kind: str = Field(max_length=30)
    subject_key: str = Field(max_length=60)  # the record it is about: "meeting 3", "review 9 due"
    sent_at: datetime = Field(default_factory=utc_now)


class ReminderOff(SQLModel, table=True):
    """A kind of reminder one person has turned off in My account (no row: it is on)."""

    user_id: int = Field(foreign_key="user.id", primary_key=True)
    kind: str = Field(max_length=30, primary_key=True)

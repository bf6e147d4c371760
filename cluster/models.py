"""The data model: one module, SQLModel tables plus the Create models that validate input.

Money is integer pence. Rows that people edit inherit `Versioned`: SQLAlchemy's version_id_col
makes a save from a stale screen fail at commit even when two saves race past the service's check.
No table holds a pupil's name, UPN, ULN, NHS number or full date of birth.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from pydantic import field_validator
from sqlalchemy import JSON, Column, UniqueConstraint
from sqlalchemy.orm import declared_attr
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    HOST = "host"
    SCHOOL = "school"
    GOVERNOR = "governor"
    LA_ADVISER = "la_adviser"


ROLE_LABELS: dict[str, str] = {
    Role.HOST: "Cluster SEN host",
    Role.SCHOOL: "Headteacher / SENCO",
    Role.GOVERNOR: "Governor",
    Role.LA_ADVISER: "LA adviser",
}


class Phase(StrEnum):
    NURSERY = "nursery"
    INFANT = "infant"
    JUNIOR = "junior"
    PRIMARY = "primary"
    SECONDARY = "secondary"
    ALL_THROUGH = "all-through"


class RequestKind(StrEnum):
    CASE_DISCUSSION = "case_discussion"
    INDIVIDUAL = "individual"
    MEDICAL = "medical"
    FIRST_YEAR = "first_year"
    GROUP = "group"
    PROJECT = "project"


class RequestStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    WITHDRAWN = "withdrawn"
    ON_AGENDA = "on_agenda"
    DECIDED = "decided"


class Decision(StrEnum):
    FULL = "full"
    PART = "part"
    NONE = "none"
    DEFERRED = "deferred"


def utc_now() -> datetime:
    from cluster.clock import now

    return now()


class Versioned(SQLModel):
    version: int = Field(default=1)

    @declared_attr  # type: ignore[misc]
    def __mapper_args__(cls) -> dict[str, object]:  # noqa: N805
        return {"version_id_col": cls.__table__.c.version}  # type: ignore[attr-defined]


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


class SchoolCreate(SQLModel):
    urn: str
    laestab: str
    name: str
    phase: Phase
    school_type: str

    @field_validator("urn")
    @classmethod
    def urn_is_six_digits(cls, value: str) -> str:
        if not (len(value) == 6 and value.isdigit()):
            raise ValueError("URN must be 6 digits")
        return value

    @field_validator("laestab")
    @classmethod
    def laestab_is_seven_digits(cls, value: str) -> str:
        if not (len(value) == 7 and value.isdigit()):
            raise ValueError("LAESTAB must be 7 digits: the 3-digit LA code then 4 digits")
        return value

    @field_validator("name")
    @classmethod
    def name_is_given(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("School name is required")
        return value.strip()


class CensusSnapshot(Versioned, table=True):
    __table_args__ = (UniqueConstraint("school_id", "census_year"),)

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    census_year: int
    pupils: int
    sen_support: int
    ehc_plan: int
    # Pupils by primary need code (SLCN, ASD, ...), SEN support and EHC plans together.
    primary_needs: dict[str, int] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


# --- the money ----------------------------------------------------------------------------------


class FundingYear(Versioned, table=True):
    __table_args__ = (UniqueConstraint("cluster_id", "academic_year"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    academic_year: int  # the calendar year in which it starts: 2026 means 2026/27
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


class ProtectedPupil(Versioned, table=True):
    """Pupil-tied funding inherited from before the move (Norfolk's PSF): year and month of birth only."""

    id: int | None = Field(default=None, primary_key=True)
    school_id: int = Field(foreign_key="school.id", index=True)
    reference: str = Field(max_length=30)
    birth_year: int
    birth_month: int
    phase: str = Field(max_length=20)
    annual_amount_pence: int
    ended_on: date | None = None
    end_reason: str | None = Field(default=None, max_length=60)


# --- meetings -----------------------------------------------------------------------------------


class Meeting(Versioned, table=True):
    __table_args__ = (UniqueConstraint("cluster_id", "academic_year", "half_term"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id", index=True)
    academic_year: int
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


class Attendance(Versioned, table=True):
    __table_args__ = (UniqueConstraint("meeting_id", "school_id", "capacity"),)

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id", index=True)
    school_id: int = Field(foreign_key="school.id")
    capacity: str = Field(max_length=20)  # headteacher, senco, governor
    present: bool = False


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


class Review(Versioned, table=True):
    id: int | None = Field(default=None, primary_key=True)
    award_id: int = Field(foreign_key="award.id", index=True)
    meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    due_on: date
    status: str = Field(default="due", max_length=20)  # due, drafted, confirmed
    progress: str | None = Field(default=None, max_length=20)
    recommendation: str | None = Field(default=None, max_length=20)
    spend_to_date_pence: int | None = None
    notes: str = ""


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


class ReconsiderationStatus(StrEnum):
    WAITING = "waiting"  # asked, but no funding round with its request deadline ahead is set up yet
    ON_AGENDA = "on_agenda"
    WITHDRAWN = "withdrawn"
    HEARD = "heard"


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
    """The cluster's own terms of reference (Markdown); until the host saves, the toolkit's default."""

    __table_args__ = (UniqueConstraint("cluster_id"),)

    id: int | None = Field(default=None, primary_key=True)
    cluster_id: int = Field(foreign_key="cluster.id")
    body_md: str = ""
    updated_on: date | None = None


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


class UserCreate(SQLModel):
    username: str
    display_name: str
    role: Role
    title: str = ""
    cluster_id: int | None = None
    school_id: int | None = None
    email: str | None = None

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
        if not value.strip():
            raise ValueError("Name is required")
        return value.strip()


class AuditEvent(SQLModel, table=True):
    """Append-only. Holds ids and non-personal values only, never pupil text."""

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(default_factory=utc_now, index=True)
    user_id: int | None = Field(default=None, foreign_key="user.id")
    username: str = Field(default="", max_length=80)
    action: str = Field(max_length=60, index=True)
    entity: str = Field(default="", max_length=60)
    entity_id: int | None = None
    outcome: str = Field(default="ok", max_length=20)
    changed_fields: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    before: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    after: dict[str, object] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))

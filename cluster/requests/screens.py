"""What the request screens are given: plain, frozen data drawn from the stored requests, with
the words each status is shown in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from cluster.common.calendar import YEAR_GROUPS, AcademicYear, format_date
from cluster.core.permissions import (
    Permission,
)
from cluster.models import (
    Meeting,
    RequestKind,
    RequestStatus,
)
from cluster.requests.checks import (
    Finding,
)
from cluster.requests.costing import (
    CostedLine,
)
from cluster.requests.forms import RequestForm
from cluster.requests.need_score import NeedScore
from cluster.requests.rules import YearSettings
from cluster.year.deadlines import deadlines_for


@dataclass(frozen=True)
class MeetingChoice:
    id: int
    half_term: str
    academic_year: int
    held_on: date
    is_funding_round: bool
    requests_due: date
    papers_out: date

    @property
    def label(self) -> str:
        kind = "funding round" if self.is_funding_round else "review meeting"
        return (f"{self.half_term} {AcademicYear(self.academic_year).label} {kind}, "
                f"{format_date(self.held_on)} (requests due {format_date(self.requests_due)})")


@dataclass(frozen=True)
class FormOptions:
    school_id: int
    school_name: str
    meetings: tuple[MeetingChoice, ...]  # upcoming meetings still taking requests
    default_meeting_id: int | None
    academic_year: int
    settings: YearSettings
    partner_schools: tuple[tuple[int, str], ...]
    left_to_award_pence: int | None
    year_groups: tuple[str, ...] = YEAR_GROUPS  # the ones the school's phase teaches
    # Why the default is not the next funding round (it has closed), and where requests go now.
    default_note: str = ""


@dataclass(frozen=True)
class CheckResult:
    findings: tuple[Finding, ...]
    lines: tuple[CostedLine, ...]
    amount_pence: int
    main_area: str | None
    score: NeedScore | None

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "error"]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level == "warning"]


@dataclass(frozen=True)
class SavedRequest:
    id: int
    version: int
    status: str
    amount_pence: int
    need_score: float | None
    flags: tuple[str, ...]
    # Why it went to another meeting than the one chosen (a round closed): "" when it did not.
    moved: str = ""


@dataclass(frozen=True)
class PupilView:
    reference: str
    year_group: str
    sen_status: str
    ehc_assessment_requested: bool
    primary_need: str
    profile: str
    consent_given: bool


@dataclass(frozen=True)
class OutcomeView:
    position: int
    description: str
    measure: str
    baseline: str
    target: str
    target_on: date


@dataclass(frozen=True)
class CostLineView:
    label: str
    outcome: int | None
    cost_pence: int
    is_item: bool


@dataclass(frozen=True)
class StatusView:
    at: date
    from_status: str | None
    to_status: str
    note: str
    by: str


class _Labelled:
    """The kind and the status of a request in the words a screen shows."""

    kind: str
    status: str

    @property
    def kind_label(self) -> str:
        return RequestKind.label_of(self.kind)

    @property
    def status_label(self) -> str:
        return RequestStatus.label_of(self.status)


@dataclass(frozen=True)
class RequestDetail(_Labelled):
    id: int
    version: int
    school_name: str
    own: bool  # the reader's own school's (or a joint project's partner): full detail
    kind: str
    status: str
    title: str
    meeting: MeetingChoice | None
    academic_year: int
    main_area: str
    partner_schools: tuple[str, ...]
    pupils: tuple[PupilView, ...]
    pupils_helped: int
    need_summary: str
    graduated_approach: str
    review_cycles: int
    external_advice: str
    specialist_assessment_on: date | None
    school_spend_pence: int
    parents_involved: bool
    consent_given: bool
    outcomes: tuple[OutcomeView, ...]
    lines: tuple[CostLineView, ...]
    amount_pence: int
    minimum_pence: int
    start_term: str
    duration_terms: int
    support_starts: date
    support_ends: date
    severity: dict[str, int]
    parent_view: str
    pupil_view: str
    need_score: float | None
    score: NeedScore | None
    flags: tuple[str, ...]
    missing_items: tuple[str, ...]
    history: tuple[StatusView, ...]
    awarded_pence: int | None
    decision: str | None
    reviews_due: tuple[date, ...]
    can_edit: Permission
    can_submit: Permission
    can_withdraw: Permission
    can_return: Permission
    form: RequestForm | None  # for editing: own requests only
    # Why only the kind, amount, area of need and need score are here (another school's reader,
    # consent not recorded): every pupil-level part is left empty. "" when it is all here.
    withheld: str = ""

    def drawn_from(self) -> dict[str, object]:
        return {"status": self.status, "amount_pence": self.amount_pence, "title": self.title,
                "meeting_id": self.meeting.id if self.meeting else None}


@dataclass(frozen=True)
class RequestRow(_Labelled):
    id: int
    school_name: str
    title: str
    kind: str
    main_area: str
    status: str
    meeting: str
    amount_pence: int
    minimum_pence: int
    awarded_pence: int | None
    next_review_due: date | None
    need_score: float | None
    band: str | None
    flags: tuple[str, ...]
    pupils: int
    submitted_on: date | None
    partner: bool = False  # a joint project led by another school
    withheld: str = ""  # why the title and flags are left out (see RequestDetail.withheld)


@dataclass(frozen=True)
class MeetingRequests:
    meeting: MeetingChoice | None
    meetings: tuple[MeetingChoice, ...]  # the ones a host can pick from
    schools: tuple[str, ...]
    rows: tuple[RequestRow, ...]


def meeting_choice(meeting: Meeting) -> MeetingChoice:
    deadlines = deadlines_for(meeting.held_on)
    return MeetingChoice(meeting.id or 0, meeting.half_term, meeting.academic_year,
                         meeting.held_on, meeting.is_funding_round, deadlines.requests_due,
                         deadlines.papers_out)

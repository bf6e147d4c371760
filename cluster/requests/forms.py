"""What a school fills in, as plain frozen data: the view builds it from widgets, the services
check and save it. Money is in pence; dates are `date`s; nothing here touches the database."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from cluster.common.calendar import HALF_TERMS, AcademicYear, half_term_start
from cluster.models import RequestKind
from cluster.requests.costing import ItemLine, StaffLine

AUXILIARY_AID = "auxiliary_aid"  # offered on the form only to signpost the LA's central fund
MAX_OUTCOMES = 3
MAX_DURATION_TERMS = 6  # two years: "to the end of the key stage" at most


@dataclass(frozen=True)
class PupilInput:
    reference: str
    year_group: str
    sen_status: str
    primary_need: str
    ehc_assessment_requested: bool = False
    profile: str = ""
    consent_given: bool = False


@dataclass(frozen=True)
class OutcomeInput:
    description: str
    measure: str = ""
    baseline: str = ""
    target: str = ""
    target_on: date | None = None


@dataclass(frozen=True)
class RequestForm:
    kind: str
    title: str
    meeting_id: int | None = None
    main_area: str | None = None  # None: the area most of the pupils' primary needs fall in
    partner_school_ids: tuple[int, ...] = ()
    pupils: tuple[PupilInput, ...] = ()
    pupils_helped: int = 0  # projects only: an estimate of the pupils who will benefit
    need_summary: str = ""
    graduated_approach: str = ""
    review_cycles: int = 0
    external_advice: str = ""
    specialist_assessment_on: date | None = None
    school_spend_pence: int = 0
    parents_involved: bool = False
    outcomes: tuple[OutcomeInput, ...] = ()
    staff_lines: tuple[StaffLine, ...] = ()
    item_lines: tuple[ItemLine, ...] = ()
    minimum_pence: int = 0
    start_term: str = "Spring 1"
    duration_terms: int = 3
    severity: Mapping[str, int] = field(default_factory=dict)
    parent_view: str = ""
    pupil_view: str = ""

    @property
    def pupils_counted(self) -> int:
        """A project estimates the pupils it will help; any other request helps those it names."""
        return self.pupils_helped if self.kind == RequestKind.PROJECT else len(self.pupils)


def support_period(academic_year: int, start_term: str, duration_terms: int) -> tuple[date, date]:
    """From the first day of the start half-term to the day before the half-term after the last
    one (a term is two half-terms); the end of August when the support runs to a year's end."""
    index = HALF_TERMS.index(start_term)
    start = half_term_start(AcademicYear(academic_year), start_term)
    after = index + 2 * max(1, duration_terms)
    year_offset, position = divmod(after, len(HALF_TERMS))
    end = half_term_start(AcademicYear(academic_year + year_offset), HALF_TERMS[position])
    return start, end - timedelta(days=1)

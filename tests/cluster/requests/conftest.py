"""Helpers for the request process: a complete request form and a count of every row a request
writes. A demo actor by username is `tests.helpers.actors.actor`; the demo copy is `demo_copy`
in tests/conftest.py."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from cluster.models import (
    AuditEvent,
    AuditOutcome,
    CostLine,
    Meeting,
    RequestOutcome,
    RequestPupil,
    StatusChange,
    SupportRequest,
)
from cluster.requests.costing import ItemLine, StaffLine
from cluster.requests.forms import OutcomeInput, PupilInput, RequestForm
from tests.helpers.demo_la import NEXT_MEETING_ON, wensum_meetings

TA = "Teaching assistant (TA)"


def meeting_id(engine: Engine, held_on: date = NEXT_MEETING_ON) -> int:
    with Session(engine) as session:
        meeting = session.exec(wensum_meetings().where(Meeting.held_on == held_on)).one()
        assert meeting.id is not None
        return meeting.id


def complete_form(engine: Engine, **changes: object) -> RequestForm:
    """A request that passes every check for Aylsham Road Primary (senco.ap / head.ap)."""
    form = RequestForm(
        kind="individual", title="Reading support in Year 4", meeting_id=meeting_id(engine),
        pupils=(PupilInput("AP-900", "Year 4", "sen_support", "SpLD", consent_given=True),),
        need_summary="Reading well below age-related expectations after two cycles of phonics.",
        graduated_approach="Two cycles of assess, plan, do, review with daily phonics.",
        review_cycles=2, external_advice="Specialist teacher assessment this autumn.",
        specialist_assessment_on=date(2026, 10, 5), school_spend_pence=650_000,
        parents_involved=True,
        outcomes=(OutcomeInput("Reads age-appropriate texts with 90% accuracy",
                               "Accuracy on a benchmarked text", "70%", "90%",
                               date(2027, 7, 14)),),
        staff_lines=(StaffLine(TA, 120, 1, 38, 1),),
        item_lines=(ItemLine("Reading books", 12_000, 1),),
        minimum_pence=100_000, start_term="Spring 1", duration_terms=3,
        severity={"Cognition and learning": 3},
        parent_view="Parents support the plan.", pupil_view="Wants to read with friends.",
    )
    return replace(form, **changes)  # type: ignore[arg-type]  # test values of any field


COMPLETE_FORM_PENCE = 130_720 + 12_000  # 2 h a week × 38 weeks × £17.20, plus books


def written_rows(engine: Engine) -> dict[str, int]:
    """Row counts of everything a request service writes, to prove a refusal wrote nothing. The
    audit rows counted are changes: a refusal's own "refused" row is the one thing it leaves."""
    with Session(engine) as session:
        counts = {table.__name__: session.exec(select(func.count()).select_from(table)).one()
                  for table in (SupportRequest, RequestPupil, RequestOutcome, CostLine,
                                StatusChange)}
        counts[AuditEvent.__name__] = session.exec(
            select(func.count()).select_from(AuditEvent)
            .where(AuditEvent.outcome != AuditOutcome.REFUSED)).one()
    return counts

"""The demo LA holds Wensum Valley and six more clusters (cluster.demo.la_clusters); tests written
about Wensum Valley's meetings pick its meetings out of the LA's."""

from __future__ import annotations

from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, select
from sqlmodel.sql.expression import SelectOfScalar

from cluster.core.db import make_engine
from cluster.meetings.context import meetings_of
from cluster.models import Award, Meeting, RequestStatus, SupportRequest
from tests.helpers.actors import demo_actor

WENSUM_VALLEY_ID = 1  # seeded first into an empty database (tests/cluster/demo/test_seed.py)
TODAY = date(2026, 11, 23)  # the demo is seeded for this day; tests/conftest.py pins the clock
NEXT_MEETING_ON = date(2027, 1, 20)  # Spring 1 funding round: requests due 06/01, papers 13/01


def wensum_meetings() -> SelectOfScalar[Meeting]:
    """Wensum Valley's meetings: narrow further with `.where(...)`."""
    return select(Meeting).where(Meeting.cluster_id == WENSUM_VALLEY_ID)


def wensum_meeting_ids() -> SelectOfScalar[int | None]:
    """The ids of Wensum Valley's meetings: narrow further with `.where(...)`."""
    return select(Meeting.id).where(Meeting.cluster_id == WENSUM_VALLEY_ID)


def wensum_meeting(engine: Engine, academic_year: int, half_term: str) -> Meeting:
    """Wensum Valley's meeting of that half-term, read in a session of its own."""
    with Session(engine) as session:
        return session.exec(wensum_meetings().where(Meeting.academic_year == academic_year,
                                                    Meeting.half_term == half_term)).one()


def wensum_meeting_id(engine: Engine, academic_year: int, half_term: str) -> int:
    found = wensum_meeting(engine, academic_year, half_term).id
    assert found is not None
    return found


def decided_request(url: str) -> int:
    """A request of senco.ap's school decided at Autumn 2 2026 with nothing awarded: one the
    school may ask the cluster to reconsider. Written straight to the database the app under
    test reads (`url`); returns its id."""
    senco = demo_actor(url, "senco.ap")
    engine = make_engine(url)
    try:
        autumn_2 = wensum_meeting(engine, 2026, "Autumn 2")
        with Session(engine) as session:
            request = SupportRequest(school_id=senco.school_id or 0, meeting_id=autumn_2.id,
                                     kind="individual", status=RequestStatus.DECIDED,
                                     title="Reading support for WV-AP-007",
                                     main_area="Cognition and learning", academic_year=2026)
            session.add(request)
            session.flush()
            session.add(Award(request_id=request.id or 0, meeting_id=autumn_2.id or 0,
                              decision="none", reason="Lower need score than others this round."))
            session.commit()
            return request.id or 0
    finally:
        engine.dispose()


def this_year_meetings(session: Session) -> dict[str, Meeting]:
    """The demo cluster's meetings this year, by half-term."""
    return {m.half_term: m for m in meetings_of(session, WENSUM_VALLEY_ID)
            if m.academic_year == TODAY.year}


def _award_like(award: Award, meeting: Meeting) -> Award:
    return Award(request_id=award.request_id, meeting_id=meeting.id or 0,
                 decision=award.decision, amount_pence=award.amount_pence, terms=award.terms)


def ten_then_two(engine: Engine, spring_1: bool = True) -> dict[str, int]:
    """Autumn 1 makes 10 awards and Autumn 2 makes 2 (issue 18): of Autumn 2's 7 demo awards, 5
    move to Autumn 1, which makes 5 more like them. Spring 1 (unless `spring_1` is False) makes 5
    like them too, so Finance shows the year's awarded so far again after it."""
    with Session(engine) as session:
        meetings = this_year_meetings(session)
        autumn_1, autumn_2 = meetings["Autumn 1"], meetings["Autumn 2"]
        awards = list(session.exec(select(Award).where(Award.meeting_id == autumn_2.id,
                                                       Award.amount_pence > 0)).all())
        assert len(awards) == 7
        for award in awards[:5]:
            session.add(_award_like(award, autumn_1))
            if spring_1:
                session.add(_award_like(award, meetings["Spring 1"]))
            award.meeting_id = autumn_1.id or 0
            session.add(award)
        session.commit()
        return {half_term: m.id or 0 for half_term, m in meetings.items()}

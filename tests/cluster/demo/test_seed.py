"""The demo cluster must look like a real cluster's records and hold no pupil identifier."""

from __future__ import annotations

import re
from collections import Counter

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.demo.seed import _FIRST_NAMES, seed_if_empty
from cluster.funding.budget import load_pot
from cluster.models import (
    Attendance,
    Award,
    Cluster,
    FundingYear,
    ImpactRecord,
    Meeting,
    RequestPupil,
    Review,
    Role,
    School,
    SupportRequest,
    User,
)
from tests.helpers.demo_la import NEXT_MEETING_ON, TODAY, WENSUM_VALLEY_ID, wensum_meetings
from tests.helpers.identifiers import FULL_DATE, UPN_OR_TEN_DIGITS


def test_seeding_is_idempotent(demo_engine: Engine) -> None:
    assert seed_if_empty(demo_engine) is False


def test_users_for_every_role(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        # Wensum Valley's people and the LA adviser (the LA's other clusters have hosts only).
        users = session.exec(select(User).where(User.cluster_id == WENSUM_VALLEY_ID)).all()
    titles = Counter((u.role, u.title) for u in users)
    assert titles[(Role.HOST, "Cluster SEN host")] == 1
    assert titles[(Role.HOST, "Deputy host")] == 1
    assert titles[(Role.SCHOOL, "Headteacher")] == 12
    assert titles[(Role.SCHOOL, "SENCO")] == 12
    assert sum(n for (role, _), n in titles.items() if role == Role.GOVERNOR) >= 2
    assert titles[(Role.LA_ADVISER, "LA SEND adviser")] == 1


def test_twelve_norfolk_schools_of_every_phase(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        cluster = session.exec(select(Cluster).where(Cluster.id == WENSUM_VALLEY_ID)).one()
        schools = session.exec(select(School).where(School.cluster_id == cluster.id)).all()
    assert cluster.name == "Wensum Valley Cluster"
    assert cluster.la_code == "926"
    assert cluster.funded_since.isoformat() == "2023-09-01"
    assert len(schools) == 12
    assert {s.phase for s in schools} >= {"infant", "junior", "primary", "secondary"}
    assert all(s.laestab.startswith("926") and len(s.urn) == 6 for s in schools)


def test_three_years_of_history_with_six_meetings_each(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        per_year = dict(session.exec(select(Meeting.academic_year, func.count())
                                     .where(Meeting.cluster_id == WENSUM_VALLEY_ID)
                                     .group_by(Meeting.academic_year)).all())
        held = session.exec(wensum_meetings().where(Meeting.held_on < TODAY)).all()
        attendance = session.exec(select(Attendance.meeting_id).distinct()).all()
        funding_years = session.exec(select(FundingYear.academic_year).where(
            FundingYear.cluster_id == WENSUM_VALLEY_ID)).all()
    assert per_year == {2023: 6, 2024: 6, 2025: 6, 2026: 6}
    assert set(funding_years) >= {2023, 2024, 2025, 2026}
    assert {m.id for m in held} <= set(attendance)
    assert all(m.minutes_md for m in held)
    assert sum(1 for m in held if m.minutes_approved_on) == len(held) - 1


def test_requests_of_every_kind_and_area_with_every_decision(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        kinds = set(session.exec(select(SupportRequest.kind)).all())
        areas = set(session.exec(select(SupportRequest.main_area)).all())
        decisions = set(session.exec(select(Award.decision)).all())
        judgements = set(session.exec(select(ImpactRecord.judgement)).all())
        reviews = Counter(session.exec(select(Review.status)).all())
    assert kinds >= {"case_discussion", "individual", "medical", "first_year", "group", "project"}
    assert areas >= {"Communication and interaction", "Cognition and learning",
                     "Social, emotional and mental health", "Sensory and/or physical"}
    assert decisions == {"full", "part", "none", "deferred"}
    assert judgements == {"exceeded", "met", "partly met", "not met"}
    assert reviews["confirmed"] > 50 and reviews["due"] > 5


def test_the_current_year_is_part_way_through(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        waiting = session.exec(select(func.count()).select_from(SupportRequest)
                               .where(SupportRequest.status == "submitted")).one()
        overdue = session.exec(select(func.count()).select_from(Review).where(
            Review.status == "due", Review.due_on < TODAY)).one()
        due_next = session.exec(select(func.count()).select_from(Review).where(
            Review.status == "due", Review.due_on == NEXT_MEETING_ON)).one()
    assert waiting == 8
    assert overdue > 0
    assert due_next > 0


def test_every_rounds_awards_fit_its_pot(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        # Every cluster in the LA, the planted generous ones too.
        rounds = session.exec(select(Meeting).where(col(Meeting.is_funding_round).is_(True))).all()
        for meeting in rounds:
            awarded = session.exec(select(func.coalesce(func.sum(Award.amount_pence), 0))
                                   .where(Award.meeting_id == meeting.id)).one()
            pot = load_pot(session, meeting.cluster_id, meeting.academic_year)
            assert pot is not None
            available = pot.available_pence
            release = meeting.release_pence or available // 3
            assert awarded <= release, (meeting.academic_year, meeting.half_term)
            assert awarded % 100 == 0


def test_pupils_are_only_pseudonymous_references(demo_engine: Engine) -> None:
    with Session(demo_engine) as session:
        references = session.exec(select(RequestPupil.reference)).all()
    assert references
    assert all(re.fullmatch(r"[A-Z0-9-]{4,20}", r) for r in references), references


def test_no_pupil_identifier_or_name_anywhere_in_the_demo(demo_engine: Engine) -> None:
    found = []
    name_tables = {"supportrequest", "requestoutcome", "requestpupil", "impactrecord", "review",
                   "costline", "statuschange"}
    first_names = re.compile(r"\b(" + "|".join(_FIRST_NAMES) + r")\b")
    with demo_engine.connect() as connection:
        for table in inspect(demo_engine).get_table_names():
            result = connection.execute(text(f'SELECT * FROM "{table}"'))
            columns = list(result.keys())
            for row in result:
                for column, value in zip(columns, row, strict=True):
                    if not isinstance(value, str):
                        continue
                    # A stored paper's file name carries its meeting's date, not a pupil's.
                    meeting_date = (table, column) == ("issuedpaper", "file_name")
                    if UPN_OR_TEN_DIGITS.search(value) or \
                            (FULL_DATE.search(value) and not meeting_date):
                        found.append((table, value))
                    # Staff who decided or confirmed are named on purpose; pupils never are.
                    staff_column = column.endswith(("_by", "_by_name", "chair"))
                    if table in name_tables and not staff_column and first_names.search(value):
                        found.append((table, column, value))
    assert found == []

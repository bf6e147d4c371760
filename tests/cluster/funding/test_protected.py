"""Protected pupil-tied funding in the demo cluster: the record, the events and the forecast."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.funding import psf_end_date
from cluster.funding.protected import (
    add_protected_pupil,
    protected_pupils,
    psf_forecast,
    record_event,
)
from cluster.funding.psf import PsfEventKind
from cluster.models import AuditEvent, ProtectedPupilEvent, School
from tests.helpers.actors import actor


def school_id(engine: Engine, name: str) -> int:
    with Session(engine) as session:
        return session.exec(select(School.id).where(School.name == name)).one() or 0


def test_the_demo_has_protected_pupils_in_every_phase(demo_copy: Engine) -> None:
    pupils = protected_pupils(demo_copy, actor(demo_copy, "host"))
    assert {p.phase for p in pupils} == {"nursery", "primary", "secondary"}
    for p in pupils:
        if p.end_reason == "end of phase":
            assert p.ends_on == psf_end_date(p.birth_year, p.birth_month, p.phase)
    reasons = {p.reference: p.end_reason for p in pupils}
    assert reasons["PSF-FL-01"] == PsfEventKind.CASUAL_MOVE
    assert reasons["PSF-CP-02"] == PsfEventKind.NURSERY_TO_RECEPTION
    moved = next(p for p in pupils if p.reference == "PSF-BJ-01")
    assert moved.school == "Bintree Junior School" and not moved.ended  # infant → junior


def test_a_school_sees_only_its_own_protected_pupils_and_governors_none(demo_copy: Engine) -> None:
    mine = protected_pupils(demo_copy, actor(demo_copy, "senco.ap"))
    assert {p.school for p in mine} == {"Aylsham Road Primary School"} and len(mine) == 2
    for username in ("governor", "la.adviser"):
        with pytest.raises(NotAllowed):
            protected_pupils(demo_copy, actor(demo_copy, username))


def test_a_managed_move_takes_the_funding_to_the_receiving_school(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    pupil = next(p for p in protected_pupils(demo_copy, host) if p.reference == "PSF-TJ-01")
    receiving = school_id(demo_copy, "Great Witchingham Primary")
    moved = record_event(demo_copy, host, pupil.id, kind=PsfEventKind.MANAGED_MOVE,
                         on=date(2026, 11, 20), to_school_id=receiving,
                         expected_version=pupil.version)
    assert (moved.school, moved.ends_on, moved.ended) == (
        "Great Witchingham Primary", pupil.ends_on, False)
    with Session(demo_copy) as session:
        event = session.exec(select(ProtectedPupilEvent).where(
            ProtectedPupilEvent.pupil_id == pupil.id)).one()
        audit = session.exec(select(AuditEvent).where(
            AuditEvent.action == "record_protected_pupil_event")).one()
    assert (event.from_school_id, event.to_school_id) == (pupil.school_id, receiving)
    assert audit.before == {"school_id": pupil.school_id}
    assert "PSF-TJ-01" not in str(audit.after)


def test_a_casual_move_ends_the_funding_and_nothing_follows_it(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    pupil = next(p for p in protected_pupils(demo_copy, host) if p.reference == "PSF-HS-02")
    ended = record_event(demo_copy, host, pupil.id, kind=PsfEventKind.CASUAL_MOVE,
                         on=date(2026, 11, 2), expected_version=pupil.version)
    assert (ended.ends_on, ended.end_reason, ended.ended) == (
        date(2026, 11, 2), PsfEventKind.CASUAL_MOVE, True)
    with pytest.raises(InvalidInput, match="already ended on 02/11/2026"):
        record_event(demo_copy, host, pupil.id, kind=PsfEventKind.MANAGED_MOVE,
                     on=date(2026, 11, 3), to_school_id=school_id(demo_copy, "Bintree Junior "
                                                                  "School"),
                     expected_version=ended.version)


def test_events_the_rules_do_not_allow_are_refused(demo_copy: Engine) -> None:
    host = actor(demo_copy, "host")
    pupils = {p.reference: p for p in protected_pupils(demo_copy, host)}
    primary = pupils["PSF-AP-02"]
    with pytest.raises(InvalidInput, match="nursery phase"):
        record_event(demo_copy, host, primary.id, kind=PsfEventKind.NURSERY_TO_RECEPTION,
                     on=date(2026, 11, 2), expected_version=primary.version)
    with pytest.raises(InvalidInput, match="different school"):
        record_event(demo_copy, host, primary.id, kind=PsfEventKind.PLANNED_TRANSFER,
                     on=date(2026, 11, 2), to_school_id=primary.school_id,
                     expected_version=primary.version)
    with pytest.raises(InvalidInput, match="funding ends on 31/08/2028"):
        record_event(demo_copy, host, primary.id, kind=PsfEventKind.CASUAL_MOVE,
                     on=date(2029, 1, 2), expected_version=primary.version)
    with pytest.raises(StaleEdit):
        record_event(demo_copy, host, primary.id, kind=PsfEventKind.CASUAL_MOVE,
                     on=date(2026, 11, 2), expected_version=primary.version + 1)


@pytest.mark.parametrize(("reference", "month", "phase", "message"), [
    ("A" "12345678901" "B", 5, "primary", "looks like a UPN"),
    ("Jo Bloggs", 5, "primary", "letters, digits or dashes"),
    ("PSF-X-1", 13, "primary", "Birth month must be 1 to 12"),
    ("PSF-X-1", 5, "college", "Phase must be one of"),
])
def test_a_protected_pupil_needs_a_reference_and_a_real_birth_month(
        demo_copy: Engine, reference: str, month: int, phase: str, message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        add_protected_pupil(demo_copy, actor(demo_copy, "host"),
                            school_id=school_id(demo_copy, "Reepham Meadow Primary"),
                            reference=reference, birth_year=2018, birth_month=month, phase=phase,
                            annual_amount_pence=500_000)


def test_a_pupil_whose_protected_funding_has_ended_is_refused_with_the_date(
        demo_copy: Engine) -> None:
    """No new protected funding is created (the FAQ's rules 3-5): a pupil born in 2011 left
    primary, and its funding, on 31/08/2023."""
    host = actor(demo_copy, "host")
    before = protected_pupils(demo_copy, host)
    with pytest.raises(InvalidInput, match="funding ended on 31/08/2023"):
        add_protected_pupil(demo_copy, host,
                            school_id=school_id(demo_copy, "Reepham Meadow Primary"),
                            reference="PSF-RE-09", birth_year=2011, birth_month=10,
                            phase="primary", annual_amount_pence=400_000)
    assert protected_pupils(demo_copy, host) == before


def test_the_host_adds_a_protected_pupil_and_the_forecast_grows(demo_engine: Engine) -> None:
    host = actor(demo_engine, "host")
    before = psf_forecast(demo_engine, host)
    added = add_protected_pupil(demo_engine, host,
                                school_id=school_id(demo_engine, "Reepham Meadow Primary"),
                                reference="PSF-RE-02", birth_year=2019, birth_month=9,
                                phase="primary", annual_amount_pence=400_000)
    assert added.ends_on == date(2031, 8, 31)
    after = psf_forecast(demo_engine, host)
    cluster_before = {r.academic_year: r for r in before.rows if r.is_cluster}
    cluster_after = {r.academic_year: r for r in after.rows if r.is_cluster}
    assert cluster_after[2026].protected_pence == (
        (cluster_before[2026].protected_pence or 0) + 400_000)
    assert cluster_after[2030].released_pence == (
        (cluster_before[2030].released_pence or 0) + 400_000)


def test_forecast_by_year_and_school_until_the_last_pupil_leaves(demo_copy: Engine) -> None:
    forecast = psf_forecast(demo_copy, actor(demo_copy, "host"))
    assert forecast.from_year == 2026 and forecast.last_year == 2030
    years = sorted({r.academic_year for r in forecast.rows})
    assert years == [2026, 2027, 2028, 2029, 2030]
    for year in years:
        schools = [r for r in forecast.rows if r.academic_year == year and not r.is_cluster]
        cluster = next(r for r in forecast.rows if r.academic_year == year and r.is_cluster)
        assert cluster.pupils_protected == sum(r.pupils_protected or 0 for r in schools)
        assert cluster.released_pence == sum(r.released_pence or 0 for r in schools)
    total_released = sum(r.released_pence or 0 for r in forecast.rows if r.is_cluster)
    first_year = next(r for r in forecast.rows if r.is_cluster)
    assert total_released == first_year.protected_pence  # everything is released in the end


def test_governors_see_the_forecast_with_small_numbers_hidden(demo_copy: Engine) -> None:
    host = psf_forecast(demo_copy, actor(demo_copy, "host"))
    governor = psf_forecast(demo_copy, actor(demo_copy, "governor.ap"))
    assert {r.school for r in governor.rows} == {"Aylsham Road Primary School", "Cluster"}
    ours = [r for r in governor.rows if not r.is_cluster]
    assert ours and all(r.pupils_protected is None and r.protected_pence is None for r in ours)
    host_2026 = next(r for r in host.rows if r.is_cluster and r.academic_year == 2026)
    governor_2026 = next(r for r in governor.rows if r.is_cluster and r.academic_year == 2026)
    assert governor_2026.pupils_protected == host_2026.pupils_protected >= 5
    assert all(r.pupils_protected is None or r.pupils_protected == 0 or r.pupils_protected >= 5
               for r in governor.rows)

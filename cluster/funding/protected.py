"""Protected pupil-tied funding (PSF) in the cluster's schools: the record, events and the forecast.

The host records the protected pupils the cluster inherited (a school-made reference, the year and
month of birth, the phase and the annual amount: nothing else) and their moves. The rules are the
pure functions in `cluster.funding.psf`. School users see their own school's pupils; governors and
the LA adviser see only the forecast's aggregates, small numbers hidden.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import academic_year_of, format_date
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotOpenToYou, StaleEdit
from cluster.core.permissions import MEMBER_ROLES, Actor, can_manage_cluster, has_role, require
from cluster.disclosure.figures import FigureSet
from cluster.funding.budget import CLUSTER_ROW, Scope, reader_scope
from cluster.funding.protected_figures import figure_name, forecast_pattern
from cluster.funding.psf import (
    END_OF_PHASE,
    ENDING_EVENTS,
    FOLLOWING_EVENTS,
    ProtectedFunding,
    PsfEvent,
    PsfEventKind,
    ReleaseForecastRow,
    apply_events,
    psf_end_date,
    release_forecast,
)
from cluster.models import ProtectedPupil, ProtectedPupilEvent, Role, School

# A school-made reference: letters, digits and dashes. Never a UPN (a letter and 12 more
# characters).
_REFERENCE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]{1,19}$")
_UPN = re.compile(r"^[A-Za-z]\d{11}[0-9A-Za-z]$")
MAX_ANNUAL_PENCE = 10_000_000  # £100,000 a year for one pupil is beyond any PSF award

END_REASON_LABELS: dict[str, str] = {END_OF_PHASE: "end of phase (by age)",
                                     **{kind: label.split(" (")[0].lower()
                                        for kind, label in PsfEventKind.labels().items()
                                        if kind in ENDING_EVENTS}}


@dataclass(frozen=True)
class ProtectedPupilRow:
    id: int
    school_id: int
    school: str
    reference: str
    birth_year: int
    birth_month: int
    phase: str
    annual_amount_pence: int
    ends_on: date
    end_reason: str
    ended: bool  # the funding has stopped (an ending event, or the phase ended before today)
    version: int


@dataclass(frozen=True)
class ForecastRow:
    """Per academic year and school (or the cluster): None means hidden (fewer than 5 pupils)."""

    academic_year: int
    school: str
    is_cluster: bool
    pupils_protected: int | None
    protected_pence: int | None
    pupils_leaving: int | None
    released_pence: int | None


def _pupil_row(pupil: ProtectedPupil, school_name: str, on: date) -> ProtectedPupilRow:
    assert pupil.id is not None
    ends_on = pupil.ended_on or psf_end_date(pupil.birth_year, pupil.birth_month, pupil.phase)
    reason = pupil.end_reason or END_OF_PHASE
    return ProtectedPupilRow(pupil.id, pupil.school_id, school_name, pupil.reference,
                             pupil.birth_year, pupil.birth_month, pupil.phase,
                             pupil.annual_amount_pence, ends_on, reason,
                             pupil.ended_on is not None or ends_on < on, pupil.version)


def _pupils(session: Session, cluster_id: int) -> list[tuple[ProtectedPupil, School]]:
    return list(session.exec(
        select(ProtectedPupil, School).join(School, col(School.id) == ProtectedPupil.school_id)
        .where(School.cluster_id == cluster_id).order_by(School.name, ProtectedPupil.reference)
    ).all())


@audit.refusals_logged("list_protected_pupils")
def protected_pupils(engine: Engine, actor: Actor) -> list[ProtectedPupilRow]:
    """Pupil-level: the host sees the cluster's, a school user their own school's."""
    require(has_role(actor, MEMBER_ROLES))
    on = today()
    with read_session(engine) as session:
        rows = [_pupil_row(p, s.name, on) for p, s in _pupils(session, actor.cluster_id or 0)]
    if actor.role == Role.SCHOOL:
        rows = [r for r in rows if r.school_id == actor.school_id]
    return rows


def check_pupil(reference: str, birth_year: int, birth_month: int, phase: str,
                annual_amount_pence: int) -> str:
    cleaned = reference.strip()
    if _UPN.match(cleaned):
        raise InvalidInput("reference", "looks like a UPN: use the school's own pseudonymous "
                           "reference, never a pupil's UPN or name")
    if not _REFERENCE.match(cleaned):
        raise InvalidInput("reference", "2 to 20 letters, digits or dashes, e.g. WV-AP-014")
    try:
        ends_on = psf_end_date(birth_year, birth_month, phase)
    except ValueError as error:
        raise InvalidInput("birth and phase", str(error)) from error
    if ends_on < today():  # no new protected funding is created (the FAQ's rules 3-5)
        raise InvalidInput("birth and phase", f"this pupil's protected funding ended on "
                           f"{format_date(ends_on)}, at the end of the phase judged by age; "
                           "funding that has ended is not added")
    if not 0 < annual_amount_pence <= MAX_ANNUAL_PENCE:
        raise InvalidInput("annual amount", "must be more than £0 and at most £100,000")
    if annual_amount_pence % 100:
        raise InvalidInput("annual amount", "whole pounds only")
    return cleaned


@audit.mutating("add_protected_pupil")
def add_protected_pupil(engine: Engine, actor: Actor, *, school_id: int, reference: str,
                        birth_year: int, birth_month: int, phase: str,
                        annual_amount_pence: int) -> ProtectedPupilRow:
    require(can_manage_cluster(actor))
    cleaned = check_pupil(reference, birth_year, birth_month, phase, annual_amount_pence)
    with write_session(engine) as session:
        school = _school_in_cluster(session, actor, school_id)
        pupil = ProtectedPupil(school_id=school_id, reference=cleaned, birth_year=birth_year,
                               birth_month=birth_month, phase=phase,
                               annual_amount_pence=annual_amount_pence)
        session.add(pupil)
        session.flush()
        audit.record(session, actor, "add_protected_pupil", entity="protected_pupil",
                     entity_id=pupil.id, after={"school_id": school_id, "phase": phase,
                                                "annual_amount_pence": annual_amount_pence})
        return _pupil_row(pupil, school.name, today())


def _school_in_cluster(session: Session, actor: Actor, school_id: int | None, *,
                       asked: NotOpenToYou | None = None) -> School:
    school = session.get(School, school_id) if school_id is not None else None
    if school is None or school.cluster_id != actor.cluster_id:
        raise asked or NotOpenToYou("school", school_id)
    return school


@audit.mutating("record_protected_pupil_event")
def record_event(engine: Engine, actor: Actor, pupil_id: int, *, kind: str, on: date,
                 to_school_id: int | None = None, expected_version: int) -> ProtectedPupilRow:
    """A move or transfer, applied by the PSF rules: an ending event stops the funding on the day;
    a managed move or planned transfer takes it to the receiving school until the phase ends.

    The receiving school of a managed move or planned transfer must be in the cluster (a move out of
    the cluster takes the funding out of the cluster's forecast: record it as ending there)."""
    require(can_manage_cluster(actor))
    if kind not in PsfEventKind.labels():
        raise InvalidInput("event", "choose one of the events listed")
    with write_session(engine) as session:
        pupil = session.get(ProtectedPupil, pupil_id)
        if pupil is None:
            raise NotOpenToYou("protected pupil", pupil_id)
        school = _school_in_cluster(session, actor, pupil.school_id,
                                    asked=NotOpenToYou("protected pupil", pupil_id))
        if pupil.version != expected_version:
            raise StaleEdit([], last_change_by(session, "protected_pupil", pupil_id))
        if pupil.ended_on is not None:
            raise InvalidInput("event",
                               f"the funding already ended on {format_date(pupil.ended_on)}")
        receiving = None
        if kind in FOLLOWING_EVENTS:
            receiving = _school_in_cluster(session, actor, to_school_id)
            if receiving.id == pupil.school_id:
                raise InvalidInput("receiving school", "must be a different school")
        try:
            outcome = apply_events(
                birth_year=pupil.birth_year, birth_month=pupil.birth_month, phase=pupil.phase,
                school=str(pupil.school_id),
                events=[PsfEvent(kind, on, str(receiving.id) if receiving else None)])
        except ValueError as error:
            raise InvalidInput("event", str(error)) from error
        if on > outcome.ends_on:
            raise InvalidInput("date", f"the funding ends on {format_date(outcome.ends_on)} "
                               "(end of phase, by age), before this event")
        before = {"school_id": pupil.school_id, "ended_on": pupil.ended_on}
        session.add(ProtectedPupilEvent(pupil_id=pupil_id, kind=kind, happened_on=on,
                                        from_school_id=pupil.school_id,
                                        to_school_id=receiving.id if receiving else None,
                                        recorded_by_id=actor.user_id))
        if kind in ENDING_EVENTS:
            pupil.ended_on, pupil.end_reason = outcome.ends_on, outcome.end_reason
        else:
            pupil.school_id = int(outcome.school)
        session.add(pupil)
        session.flush()
        audit.record(session, actor, "record_protected_pupil_event", entity="protected_pupil",
                     entity_id=pupil.id, before=before,
                     after={"school_id": pupil.school_id, "ended_on": pupil.ended_on,
                            "event": kind})
        name = receiving.name if receiving else school.name
        return _pupil_row(pupil, name, today())


# --- the forecast ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Forecast:
    cluster_name: str
    from_year: int
    rows: tuple[ForecastRow, ...]
    suppressed: bool
    last_year: int | None


def psf_forecast(engine: Engine, actor: Actor, cluster_id: int | None = None) -> Forecast:
    """By academic year and school, what protected funding remains and what is released, until
    the last protected pupil leaves. Governors see their own school and the cluster; the LA
    adviser the cluster and every school; both with small numbers hidden, the hidden places
    chosen over every year at once so no year gives another away (`protected_figures`)."""
    with read_session(engine) as session:
        scope = reader_scope(session, actor, cluster_id)
        detail, largest, own_school, from_year = _forecast_detail(session, scope.cluster_id,
                                                                  scope.own_school_id)
        pattern = _pattern(session, scope, detail, largest, own_school) if scope.suppress else None
    rows: list[ForecastRow] = []
    for year in sorted({r.academic_year for r in detail}):
        in_year = [r for r in detail if r.academic_year == year]
        rows += _year_rows(year, in_year, pattern, scope.all_schools, own_school)
    last = max((r.academic_year for r in detail), default=None)
    return Forecast(scope.cluster_name, from_year, tuple(rows), scope.suppress, last)


def psf_forecast_figures(engine: Engine, actor: Actor,
                         cluster_id: int | None = None) -> FigureSet:
    """The forecast's figures as this reader sees them, for the disclosure audit."""
    with read_session(engine) as session:
        scope = reader_scope(session, actor, cluster_id)
        detail, largest, own_school, _ = _forecast_detail(session, scope.cluster_id,
                                                          scope.own_school_id)
        if not scope.suppress:
            return FigureSet()
        return _pattern(session, scope, detail, largest, own_school)


def _forecast_detail(session: Session, cluster_id: int, own_school_id: int | None) -> tuple[
        list[ReleaseForecastRow], dict[str, int], str | None, int]:
    on = today()
    from_year = academic_year_of(on).start_year
    pupils = [_pupil_row(p, s.name, on) for p, s in _pupils(session, cluster_id)]
    funded = [ProtectedFunding(p.school, p.ends_on, p.annual_amount_pence) for p in pupils
              if not p.ended or p.ends_on >= date(from_year, 9, 1)]
    largest: dict[str, int] = {}
    for p in funded:
        largest[p.school] = max(largest.get(p.school, 0), p.annual_pence)
    own_school = next((p.school for p in pupils if p.school_id == own_school_id), None)
    return release_forecast(funded, from_year), largest, own_school, from_year


def _pattern(session: Session, scope: Scope, detail: list[ReleaseForecastRow],
             largest: dict[str, int], own_school: str | None) -> FigureSet:
    """What this reader may see. Chosen by solving, so remembered per state of the data (and per
    kind of reader: every school, one school, none): a governor's page pays it once."""
    schools = None if scope.all_schools else frozenset({own_school} if own_school else set())
    return remembered(session, ("psf_forecast_pattern", scope.cluster_id, today(), schools),
                      lambda: forecast_pattern(detail, largest, schools))


def _year_rows(year: int, detail: list[ReleaseForecastRow], pattern: FigureSet | None,
               all_schools: bool, own_school: str | None) -> list[ForecastRow]:
    def shown(school: str, column: str, value: int) -> int | None:
        if pattern is None or pattern.is_shown(figure_name(year, school, column)):
            return value
        return None

    rows = []
    for r in detail:
        if not (all_schools or r.school == own_school):
            continue
        rows.append(ForecastRow(
            year, r.school, False, shown(r.school, "pupils", r.pupils_protected),
            shown(r.school, "pounds", r.protected_pence),
            shown(r.school, "leaving", r.pupils_leaving),
            shown(r.school, "released", r.released_pence)))
    rows.append(ForecastRow(
        year, CLUSTER_ROW, True,
        shown(CLUSTER_ROW, "pupils", sum(r.pupils_protected for r in detail)),
        shown(CLUSTER_ROW, "pounds", sum(r.protected_pence for r in detail)),
        shown(CLUSTER_ROW, "leaving", sum(r.pupils_leaving for r in detail)),
        shown(CLUSTER_ROW, "released", sum(r.released_pence for r in detail))))
    return rows

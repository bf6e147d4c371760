"""Closing one academic year and opening the next.

Rolling over makes the past year read-only (its decisions are the record), carries awards that are
still running into the new year, and opens the new funding year with last year's rates and
top-slices and the unspent money carried forward. Reopening a closed year is a host action with a
written reason, audited.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.common.calendar import (
    AcademicYear,
    OfAcademicYear,
    academic_year_of,
    award_half_terms,
    format_date,
    half_term_start,
)
from cluster.common.text_check import ConfirmedNames, record_confirmation, require_clean_text
from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.errors import InvalidInput, NotFound
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.funding.ledger import year_ledger
from cluster.models import Award, FundingYear, Meeting, TopSlice
from cluster.people.users import staff_names
from cluster.year.loose_ends import LooseEnd, loose_ends

MAX_REOPEN_REASON_CHARACTERS = 500


@dataclass(frozen=True)
class RolloverResult:
    closed_year: str
    opened_year: str
    awards_carried: int
    carried_forward_pence: int


@dataclass(frozen=True)
class YearState(OfAcademicYear):
    academic_year: int
    read_only: bool
    reopened_reason: str


def _funding_year(session: Session, cluster_id: int, start_year: int) -> FundingYear | None:
    return session.exec(select(FundingYear).where(
        FundingYear.cluster_id == cluster_id, FundingYear.academic_year == start_year)).first()


def year_states(engine: Engine, actor: Actor) -> list[YearState]:
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        years = session.exec(select(FundingYear).where(FundingYear.cluster_id == actor.cluster_id)
                             .order_by(col(FundingYear.academic_year))).all()
        return [YearState(y.academic_year, y.read_only, y.reopened_reason) for y in years]


def require_year_open(session: Session, cluster_id: int, start_year: int) -> None:
    """Every service that changes a year's money or decisions calls this first."""
    funding = _funding_year(session, cluster_id, start_year)
    if funding is not None and funding.read_only:
        raise InvalidInput("Academic year", f"{AcademicYear(start_year).label} is closed and "
                           "read-only. The host can reopen it, giving a reason.")


def _still_running(session: Session, cluster_id: int, year: AcademicYear) -> list[Award]:
    """Awards whose terms run past the end of the year (a term is two half-terms)."""
    rows = session.exec(
        select(Award, Meeting.half_term)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Meeting.academic_year == year.start_year,
               Award.amount_pence > 0)
    ).all()
    return [award for award, half_term in rows
            if award_half_terms(year.start_year, half_term, award.terms)[-1][0] > year.start_year]


def rollover_opens_on(start_year: int) -> date:
    return half_term_start(AcademicYear(start_year), "Summer 2")


@dataclass(frozen=True)
class RolloverChecklist:
    closing_year: str
    opening_year: str
    opens_on: date  # the first day the year may be rolled over
    loose_ends: tuple[LooseEnd, ...]


def rollover_checklist(engine: Engine, actor: Actor, closing_year: int) -> RolloverChecklist:
    """Every loose end the host resolves or carries over before closing the year."""
    require(can_manage_cluster(actor))
    with read_session(engine) as session:
        ends = loose_ends(session, actor.cluster_id or 0, closing_year, today())
    return RolloverChecklist(AcademicYear(closing_year).label,
                             AcademicYear(closing_year + 1).label,
                             rollover_opens_on(closing_year), tuple(ends))


def _refuse_loose_ends(session: Session, cluster_id: int, closing: AcademicYear,
                       carried_over: Collection[str]) -> list[str]:
    """The keys carried over; refused while any loose end is neither resolved nor carried."""
    ends = loose_ends(session, cluster_id, closing.start_year, today())
    waiting = [end for end in ends if end.key not in carried_over]
    if waiting:
        shown = "; ".join(end.what for end in waiting[:3])
        more = f" and {len(waiting) - 3} more" if len(waiting) > 3 else ""
        raise InvalidInput("Loose ends", f"{len(waiting)} item(s) of {closing.label} are neither "
                           f"resolved nor carried over: {shown}{more}. Resolve each one, or tick "
                           "it to carry it over into the new year")
    return sorted(end.key for end in ends)


def _carried_counts(keys: Collection[str]) -> dict[str, int]:
    """How many loose ends of each kind were carried over (the audit keeps short values)."""
    counts: dict[str, int] = {}
    for key in keys:
        name = f"carried_over_{key.split(':')[0]}"
        counts[name] = counts.get(name, 0) + 1
    return counts


@audit.mutating("roll_over_year")
def roll_over_year(engine: Engine, actor: Actor, closing_year: int | None = None, *,
                   carried_over: Collection[str] = ()) -> RolloverResult:
    """Closes the year once every loose end on its checklist is resolved or carried over (the
    keys of `rollover_checklist`'s loose ends, ticked by the host)."""
    require(can_manage_cluster(actor))
    closing = AcademicYear(closing_year if closing_year is not None
                           else academic_year_of(today()).start_year - 1)
    opening = AcademicYear(closing.start_year + 1)
    cluster_id = actor.cluster_id or 0
    earliest = rollover_opens_on(closing.start_year)
    if today() < earliest:
        raise InvalidInput("Academic year", f"{closing.label} is still running: roll over from "
                           f"{format_date(earliest)}, the start of its Summer 2 half-term.")
    with write_session(engine) as session:
        old = _funding_year(session, cluster_id, closing.start_year)
        if old is None:
            raise NotFound(f"There is no funding year {closing.label} to close.")
        if old.read_only and _funding_year(session, cluster_id, opening.start_year):
            raise InvalidInput("Academic year", f"{closing.label} is already closed.")
        carried_keys = _refuse_loose_ends(session, cluster_id, closing, carried_over)
        carried_forward = max(0, year_ledger(session, cluster_id,
                                             closing.start_year).not_yet_awarded_pence)
        carried = _still_running(session, cluster_id, closing)
        for award in carried:
            award.carried_into_year = opening.start_year
            session.add(award)
        old.read_only = True
        session.add(old)
        _open_year(session, old, opening, carried_forward)
        audit.record(session, actor, "roll_over_year", entity="fundingyear", entity_id=old.id,
                     before={"read_only": False}, after={"read_only": True,
                                                         "awards_carried": len(carried),
                                                         "carried_forward_pence": carried_forward,
                                                         **_carried_counts(carried_keys)})
        return RolloverResult(closing.label, opening.label, len(carried), carried_forward)


def _open_year(session: Session, old: FundingYear, opening: AcademicYear,
               carried_forward: int) -> None:
    if _funding_year(session, old.cluster_id, opening.start_year) is not None:
        return
    new = FundingYear(cluster_id=old.cluster_id, academic_year=opening.start_year,
                      per_pupil_rate_pence=old.per_pupil_rate_pence,
                      fixed_sum_per_school_pence=old.fixed_sum_per_school_pence,
                      carried_forward_pence=carried_forward, psf_redistributed_pence=0,
                      reserve_percent=old.reserve_percent)
    session.add(new)
    session.flush()
    for top_slice in session.exec(select(TopSlice).where(TopSlice.funding_year_id == old.id)).all():
        session.add(TopSlice(funding_year_id=new.id or 0, label=top_slice.label,
                             amount_pence=top_slice.amount_pence))


@audit.mutating("reopen_year")
def reopen_year(engine: Engine, actor: Actor, start_year: int, reason: str, *,
                confirmed_not_names: ConfirmedNames = False) -> None:
    require(can_manage_cluster(actor))
    if len(reason.strip()) < 10:
        raise InvalidInput("Reason", "Say why the year is being reopened (at least 10 characters).")
    with write_session(engine) as session:
        confirmed = require_clean_text("Reason", reason.strip(), MAX_REOPEN_REASON_CHARACTERS,
                                       confirmed_not_names=confirmed_not_names,
                                       known_people=staff_names(session, actor.cluster_id))
        funding = _funding_year(session, actor.cluster_id or 0, start_year)
        if funding is None:
            raise NotFound("There is no such funding year.")
        if not funding.read_only:
            raise InvalidInput("Academic year",
                               f"{AcademicYear(start_year).label} is already open.")
        funding.read_only = False
        funding.reopened_reason = reason.strip()
        session.add(funding)
        record_confirmation(session, actor, confirmed, entity="fundingyear",
                            entity_id=funding.id)
        audit.record(session, actor, "reopen_year", entity="fundingyear", entity_id=funding.id,
                     before={"read_only": True},
                     after={"read_only": False, "reason": funding.reopened_reason},
                     text_fields=frozenset({"reason"}))  # free text: logged as "changed" only


@audit.mutating("close_year")
def close_year(engine: Engine, actor: Actor, start_year: int) -> None:
    """Closes a reopened year again, once the correction is made."""
    require(can_manage_cluster(actor))
    with write_session(engine) as session:
        funding = _funding_year(session, actor.cluster_id or 0, start_year)
        if funding is None:
            raise NotFound("There is no such funding year.")
        funding.read_only = True
        session.add(funding)
        audit.record(session, actor, "close_year", entity="fundingyear", entity_id=funding.id,
                     before={"read_only": False}, after={"read_only": True})

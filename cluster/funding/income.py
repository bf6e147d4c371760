"""Extra income lines in the pot (FAQ 23-24): money beyond the LA formula, such as the Learning
Support Service money the LA may delegate to clusters, with a named source, an amount and the
funding rounds it joins.

The host edits the year's lines together. Each line is added to the releases of the rounds it
joins (split evenly, in whole pounds: `release.income_by_round`), and every figure of the year's
money reads it through the one ledger. The past is frozen: a change that would alter what a round
already held released is refused, as a change to a held round's planned release is.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy.engine import Engine
from sqlalchemy.orm.attributes import flag_modified
from sqlmodel import col, select

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds, is_whole_pounds, pence_from_pounds
from cluster.core import audit
from cluster.core.audit import last_change_by
from cluster.core.db import write_session
from cluster.core.errors import InvalidInput, StaleEdit
from cluster.core.permissions import Actor, can_manage_cluster, require
from cluster.funding.budget import (
    MAX_POUNDS,
    FundingRound,
    FundingYearView,
    IncomeLineRow,
    _funding_row,
    _refuse_closed,
    _rounds,
    funding_rounds,
    load_funding_year,
)
from cluster.models import IncomeLine

MAX_INCOME_LINES = 10


def _describe(lines: Sequence[IncomeLineRow]) -> str:
    return "; ".join(f"{line.source} {format_pounds(line.amount_pence)} "
                     f"({', '.join(line.rounds)})" for line in lines) or "none"


def check_income_lines(lines: Sequence[IncomeLineRow], rounds: Sequence[FundingRound]) -> None:
    """Names the first line that cannot be right."""
    if len(lines) > MAX_INCOME_LINES:
        raise InvalidInput("extra income", f"at most {MAX_INCOME_LINES} lines")
    half_terms = {r.half_term for r in rounds}
    for position, line in enumerate(lines, start=1):
        where = f"extra income {position}"
        if not line.source.strip():
            raise InvalidInput(where, "name its source (such as delegated learning support)")
        if len(line.source.strip()) > 120:
            raise InvalidInput(where, "the source is over 120 characters")
        where = f"{where} ({line.source.strip()})"
        if line.amount_pence <= 0:
            raise InvalidInput(where, "the amount must be more than £0")
        if not is_whole_pounds(line.amount_pence):
            raise InvalidInput(where, "the amount must be whole pounds")
        if line.amount_pence > pence_from_pounds(MAX_POUNDS):
            raise InvalidInput(where, f"is more than £{MAX_POUNDS:,}: check the figure")
        if not line.rounds:
            raise InvalidInput(where, "choose the funding rounds it joins")
        if not set(line.rounds) <= half_terms:
            raise InvalidInput(where, "it can join only this year's funding rounds")


def held_round_refusals(now: Sequence[FundingRound], proposed: Sequence[FundingRound]
                        ) -> list[tuple[str, str]]:
    """A held round's release is the past: extra income joining it cannot change."""
    after = {r.meeting_id: r for r in proposed}
    return [(f"extra income ({r.label})",
             f"the round was held on {format_date(r.held_on)} with "
             f"{format_pounds(r.released_pence)} released; a held round's release stays as it was")
            for r in now if r.held and after[r.meeting_id].income != r.income]


@audit.mutating("save_income_lines")
def save_income_lines(engine: Engine, actor: Actor, academic_year: int,
                      lines: Sequence[IncomeLineRow], *, expected_version: int
                      ) -> FundingYearView:
    """Saves the year's extra income lines together. Refused when the year is not set up or is
    closed, the screen is stale, a line is not right, or a held round's release would change."""
    require(can_manage_cluster(actor))
    lines = [IncomeLineRow(line.source.strip(), line.amount_pence, line.rounds)
             for line in lines]
    cluster_id = actor.cluster_id or 0
    with write_session(engine) as session:
        funding = _funding_row(session, cluster_id, academic_year)
        if funding is None or funding.id is None:
            raise InvalidInput("extra income", "set up the funding year first")
        _refuse_closed(funding, academic_year)
        current = load_funding_year(session, cluster_id, academic_year)
        if current.version != expected_version:
            raise StaleEdit(["extra income or the funding year"],
                            last_change_by(session, "funding_year", funding.id))
        check_income_lines(lines, current.rounds)
        proposed = funding_rounds(_rounds(session, cluster_id, academic_year), lines)
        refusals = held_round_refusals(current.rounds, proposed)
        if refusals:
            raise InvalidInput(*refusals[0])
        for old in session.exec(select(IncomeLine).where(
                IncomeLine.funding_year_id == funding.id).order_by(col(IncomeLine.id))).all():
            session.delete(old)
        for line in lines:
            session.add(IncomeLine(funding_year_id=funding.id, source=line.source,
                                   amount_pence=line.amount_pence, rounds=list(line.rounds)))
        # The lines live in their own rows: bump the year's version so an older screen is refused.
        flag_modified(funding, "per_pupil_rate_pence")
        session.add(funding)
        session.flush()
        audit.record(session, actor, "save_income_lines", entity="funding_year",
                     entity_id=funding.id, before={"income": _describe(current.income)},
                     after={"income": _describe(lines)})
        return load_funding_year(session, cluster_id, academic_year)

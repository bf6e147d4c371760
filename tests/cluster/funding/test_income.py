"""Extra income lines in the pot (FAQ 23-24): a named source, an amount and the rounds it joins,
added to those rounds' releases through the one ledger, shown in the papers; a round already held
keeps what it released."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.core.errors import InvalidInput, NotAllowed, StaleEdit
from cluster.funding.budget import IncomeLineRow, funding_year
from cluster.funding.income import save_income_lines
from cluster.funding.ledger import INCOME_HERE, year_ledger
from cluster.funding.pot import build_pot
from cluster.funding.release import income_by_round
from cluster.meetings.papers import governors_pack, members_pack
from cluster.models import Meeting
from tests.helpers.actors import actor
from tests.helpers.demo_la import WENSUM_VALLEY_ID, wensum_meetings

LEARNING_SUPPORT = "Delegated learning support"


def test_a_line_is_split_in_whole_pounds_between_the_rounds_it_joins() -> None:
    found = income_by_round([(LEARNING_SUPPORT, 900_100, ("Spring 1", "Summer 1"))],
                            [(1, "Autumn 2"), (2, "Spring 1"), (3, "Summer 1")])
    assert found == {2: [(LEARNING_SUPPORT, 450_100)], 3: [(LEARNING_SUPPORT, 450_000)]}


def test_the_pot_names_the_income_and_the_release_plan_shares_out_the_rest() -> None:
    pot = build_pot(schools=[("A", 100)], per_pupil_rate_pence=10_000, fixed_sum_pence=0,
                    carried_forward_pence=0, psf_redistributed_pence=0, top_slices=[],
                    reserve_percent=10, income=[(LEARNING_SUPPORT, 500_000)])
    assert pot.lines[-1].label == f"Extra income: {LEARNING_SUPPORT}"
    assert pot.available_pence == 900_000 + 500_000  # the reserve is not taken from the income
    assert pot.plannable_pence == 900_000


def _save(engine: Engine, *lines: IncomeLineRow, who: str = "host") -> None:
    host = actor(engine, "host")
    version = funding_year(engine, host, 2026).version
    save_income_lines(engine, actor(engine, who), 2026, list(lines), expected_version=version)


def _rounds(engine: Engine) -> dict[str, Meeting]:
    with Session(engine) as session:
        return {m.half_term: m for m in session.exec(wensum_meetings().where(
            Meeting.academic_year == 2026, Meeting.is_funding_round)).all()}


def test_income_joins_the_rounds_releases_through_the_ledger_and_the_papers(
        demo_copy: Engine) -> None:
    with Session(demo_copy) as session:
        before = year_ledger(session, WENSUM_VALLEY_ID, 2026)
    _save(demo_copy, IncomeLineRow(LEARNING_SUPPORT, 900_100, ("Spring 1", "Summer 1")))
    with Session(demo_copy) as session:
        after = year_ledger(session, WENSUM_VALLEY_ID, 2026)
    rounds = _rounds(demo_copy)
    released = {r.half_term: (b.released_here_pence, r.released_here_pence)
                for b, r in zip(before.rounds, after.rounds, strict=True)}
    assert released["Spring 1"][1] - released["Spring 1"][0] == 450_100
    assert released["Summer 1"][1] - released["Summer 1"][0] == 450_000
    assert released["Autumn 2"][0] == released["Autumn 2"][1]  # held: unchanged
    assert after.available_pence - before.available_pence == 900_100
    assert after.unplanned_pence == before.unplanned_pence
    assert after.not_yet_awarded_pence - before.not_yet_awarded_pence == 900_100
    host = actor(demo_copy, "host")
    spring = rounds["Spring 1"].id or 0
    line = (f"{INCOME_HERE}: {LEARNING_SUPPORT}", 450_100)
    assert line in members_pack(demo_copy, host, spring).budget_lines
    assert line in governors_pack(demo_copy, host, spring).budget_lines


def test_a_held_round_keeps_what_it_released(demo_copy: Engine) -> None:
    with pytest.raises(InvalidInput, match="held on .* a held round's release stays as it was"):
        _save(demo_copy, IncomeLineRow(LEARNING_SUPPORT, 300_000, ("Autumn 2", "Spring 1")))
    assert funding_year(demo_copy, actor(demo_copy, "host"), 2026).income == ()


@pytest.mark.parametrize(("line", "problem"), [
    (IncomeLineRow("", 100_000, ("Spring 1",)), "name its source"),
    (IncomeLineRow(LEARNING_SUPPORT, 100_050, ("Spring 1",)), "whole pounds"),
    (IncomeLineRow(LEARNING_SUPPORT, 0, ("Spring 1",)), "more than £0"),
    (IncomeLineRow(LEARNING_SUPPORT, 100_000, ()), "choose the funding rounds"),
    (IncomeLineRow(LEARNING_SUPPORT, 100_000, ("Spring 2",)), "only this year's funding"),
])
def test_a_line_that_cannot_be_right_is_refused(demo_copy: Engine, line: IncomeLineRow,
                                                problem: str) -> None:
    with pytest.raises(InvalidInput, match=problem):
        _save(demo_copy, line)


def test_only_the_host_saves_and_a_stale_screen_is_refused(demo_copy: Engine) -> None:
    line = IncomeLineRow(LEARNING_SUPPORT, 100_000, ("Spring 1",))
    with pytest.raises(NotAllowed):
        _save(demo_copy, line, who="governor")
    host = actor(demo_copy, "host")
    version = funding_year(demo_copy, host, 2026).version
    save_income_lines(demo_copy, host, 2026, [line], expected_version=version)
    with pytest.raises(StaleEdit):
        save_income_lines(demo_copy, host, 2026, [], expected_version=version)
    assert funding_year(demo_copy, host, 2026).income == (line,)


def test_removing_a_line_that_joined_a_held_round_is_refused(demo_copy: Engine) -> None:
    _save(demo_copy, IncomeLineRow(LEARNING_SUPPORT, 200_000, ("Spring 1",)))
    with Session(demo_copy) as session:
        spring = session.exec(wensum_meetings().where(Meeting.academic_year == 2026,
                                                      Meeting.half_term == "Spring 1")).one()
        spring.decisions_confirmed_on = date(2026, 11, 20)  # as if it had been held
        session.add(spring)
        session.commit()
    with pytest.raises(InvalidInput, match="Spring 1 funding round"):
        _save(demo_copy)
    assert funding_year(demo_copy, actor(demo_copy, "host"), 2026).income[0].source == \
        LEARNING_SUPPORT

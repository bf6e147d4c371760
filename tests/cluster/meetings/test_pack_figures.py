"""The governors' packs in the disclosure audit: what a pack shows never gives away the awards
that Finance's budget position hides, and the audited figures are the ones the packs show."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, col, select

from cluster.funding.budget import CLUSTER_ROW
from cluster.funding.finance_figures import finance_name
from cluster.funding.ledger import (
    AWARDED_BEFORE,
    MONEY_FOR_ROUND,
    budget_position,
    finance_overview,
)
from cluster.meetings.pack_figures import pack_figures, pack_name
from cluster.meetings.papers import governors_pack
from cluster.models import Award, Meeting
from cluster.reporting.disclosure_audit import audit_reader, reader_figures
from tests.helpers.actors import actor
from tests.helpers.demo_la import ten_then_two, this_year_meetings
from tests.helpers.random_clusters import DEMO_READERS, FROM_YEAR, audit_random_year

READERS = DEMO_READERS


@pytest.mark.parametrize("username", READERS)
def test_the_spring_pack_does_not_give_away_autumn_2_s_two_awards(demo_copy: Engine,
                                                                  username: str) -> None:
    meetings = ten_then_two(demo_copy)
    reader = actor(demo_copy, username)
    autumn_2, spring_1 = meetings["Autumn 2"], meetings["Spring 1"]
    rows = budget_position(demo_copy, reader, FROM_YEAR).rows  # Autumn 1, Autumn 2, ...
    assert rows[0].awarded_so_far_pence is not None  # after Autumn 1's 10 awards
    assert rows[1].awarded_so_far_pence is None  # Finance hides Autumn 2's 2 awards
    assert rows[2].awarded_so_far_pence is not None  # and shows the total after Spring 1's 5
    name = finance_name(FROM_YEAR, "budget", autumn_2, "awarded so far")
    assert name in reader_figures(demo_copy, reader).figures
    result = audit_reader(demo_copy, reader)
    assert finance_name(FROM_YEAR, "budget", autumn_2, "awarded here") in [
        r.name for r in result.ranges]
    assert result.failures == ()
    lines = dict(governors_pack(demo_copy, reader, spring_1).budget_lines)
    assert lines[AWARDED_BEFORE] is None and lines[MONEY_FOR_ROUND] is None


@pytest.mark.parametrize("username", READERS)
def test_received_this_year_does_not_give_away_autumn_2_s_two_awards(demo_copy: Engine,
                                                                     username: str) -> None:
    """Nothing after Autumn 2 and no urgent awards: the cluster's "received this year" less
    Finance's awarded so far after Autumn 1 would be Autumn 2's 2 awards."""
    meetings = ten_then_two(demo_copy, spring_1=False)
    reader = actor(demo_copy, username)
    with Session(demo_copy) as session:
        later = session.exec(select(Award).join(Meeting, col(Meeting.id) == Award.meeting_id)
                             .where(Meeting.cluster_id == 1, Meeting.academic_year == FROM_YEAR,
                                    Award.amount_pence > 0,
                                    col(Award.meeting_id).not_in([meetings["Autumn 1"],
                                                                  meetings["Autumn 2"]])
                                    | col(Award.from_reserve))).all()
    assert later == []
    rows = budget_position(demo_copy, reader, FROM_YEAR).rows
    assert rows[0].awarded_so_far_pence is not None  # after Autumn 1's 10 awards
    assert rows[1].awarded_so_far_pence is None  # Autumn 2's 2 awards hidden
    assert all(row.awarded_so_far_pence is None for row in rows[1:])
    result = audit_reader(demo_copy, reader)
    assert result.failures == ()
    assert finance_name(FROM_YEAR, "received", CLUSTER_ROW) in [r.name for r in result.ranges]
    assert finance_overview(demo_copy, reader, FROM_YEAR).shares[-1].received_pence is None


@pytest.mark.parametrize("seed", range(10))
def test_no_reader_works_out_awards_from_a_random_year_s_packs(demo_copy: Engine,
                                                               seed: int) -> None:
    for check in audit_random_year(demo_copy, seed):
        assert check.result.failures == (), (seed, check.reader, check.result.failures)


def test_the_audited_pack_figures_are_the_ones_the_packs_show(demo_copy: Engine) -> None:
    ten_then_two(demo_copy)
    reader = actor(demo_copy, "governor")
    figures = pack_figures(demo_copy, reader)
    assert figures.holds()
    with Session(demo_copy) as session:
        meetings = [(m.id or 0, m.is_funding_round) for m in this_year_meetings(session).values()]
    for meeting_id, funding_round in meetings:
        pack = governors_pack(demo_copy, reader, meeting_id)
        total = figures.figures[pack_name(meeting_id, "all/money")]
        assert pack.total.first_pence == (total.value if total.shown else None)
        pupils = [figures.figures[pack_name(meeting_id, f"{line.label}/pupils")]
                  for line in pack.areas]
        assert [line.pupils for line in pack.areas] == [
            f.value if f.shown else None for f in pupils]
        if funding_round:
            money = figures.figures[pack_name(meeting_id, "money for this round")]
            assert dict(pack.budget_lines)[MONEY_FOR_ROUND] == (
                money.value if money.shown else None)


@pytest.mark.parametrize("username", READERS)
def test_an_overspent_round_is_audited_and_gives_nothing_away(demo_copy: Engine,
                                                               username: str) -> None:
    """Autumn 2's 2 awards (hidden) spend more than was released: its "left to award" is below
    0, which the reader may not see, and the audit still bounds every hidden figure."""
    meetings = ten_then_two(demo_copy)
    with Session(demo_copy) as session:
        award = session.exec(select(Award).where(Award.meeting_id == meetings["Autumn 2"],
                                                 Award.amount_pence > 0)).first()
        assert award is not None
        award.amount_pence = 50_000_000  # £500,000, more than the year's pot
        session.add(award)
        session.commit()
    reader = actor(demo_copy, username)
    rows = budget_position(demo_copy, reader, FROM_YEAR).rows
    assert rows[1].left_to_award_pence is None
    left = budget_position(demo_copy, actor(demo_copy, "host"), FROM_YEAR).rows[1]
    assert left.left_to_award_pence is not None and left.left_to_award_pence < 0
    result = audit_reader(demo_copy, reader)
    assert finance_name(FROM_YEAR, "budget", meetings["Autumn 2"], "left") in [
        r.name for r in result.ranges]
    assert result.failures == ()

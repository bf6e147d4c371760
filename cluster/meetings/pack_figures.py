"""The governors' packs as figures for the disclosure audit.

Every reader opens the governors' pack of any of the cluster's meetings: the requests by area of
need (requests, pupils, money asked and suggested, with the totals), the reviews due, and for a
funding round the budget lines. Its "awarded before" is Finance's awarded so far after the meeting
before (or the money running on from earlier years, before the year's first meeting), so it is
registered under Finance's name, beside Finance's figures for that year: the audit then sees one
figure, shown if either page shows it (issue 18: a pack showing the awarded so far that Finance
hides gives away the 1-4 awards since Finance's last one). "Money for this round" is released so
far less it.
"""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.core.db import read_session
from cluster.core.permissions import Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.figures import Figure, FigureSet, Relation
from cluster.disclosure.suppression import is_small
from cluster.funding.finance_figures import finance_figures, finance_name
from cluster.funding.ledger import AWARDED_BEFORE, year_ledger
from cluster.meetings.context import meetings_of
from cluster.meetings.grouped import group_figures
from cluster.meetings.papers import (
    ALL_ROLES,
    GovernorsPack,
    build_governors_pack,
    pack_members,
)
from cluster.meetings.record import reviews_due_in
from cluster.models import Meeting


def pack_figures(engine: Engine, actor: Actor, cluster_id: int | None = None) -> FigureSet:
    """The figures of every meeting's governors' pack (the same for every reader), with Finance's
    figures of each year whose funding rounds' packs show the budget."""
    require(has_role(actor, ALL_ROLES))
    figures = FigureSet()
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id).id or 0
        rounds: dict[int, list[int]] = {}
        budgets: list[tuple[int, int, GovernorsPack]] = []
        for meeting in meetings_of(session, cluster):
            pack = build_governors_pack(session, meeting)
            _tables(figures, session, meeting, pack)
            year = meeting.academic_year
            if meeting.is_funding_round:
                if year not in rounds:
                    ledger = year_ledger(session, cluster, year)
                    rounds[year] = [r.meeting_id for r in ledger.rounds]
                budgets.append((meeting.id or 0, year, pack))
    for year in sorted(rounds):
        figures.merge(finance_figures(engine, actor, cluster, year))
    for meeting_id, year, pack in budgets:
        _budget(figures, meeting_id, year, pack, rounds[year])
    return figures


def _tables(figures: FigureSet, session: Session, meeting: Meeting, pack: GovernorsPack) -> None:
    """Requests by area of need, asked and suggested, and the reviews due."""
    meeting_id = meeting.id or 0
    _, asked, suggested = pack_members(session, meeting)
    figures.merge(group_figures(asked, [line.pupils is not None for line in pack.areas],
                                pack.total.pupils is not None, prefix=pack_name(meeting_id)))
    figures.merge(group_figures(
        suggested, [line.second_pence is not None for line in pack.areas],
        pack.total.second_pence is not None, prefix=pack_name(meeting_id, "suggested/")))
    reviews = len(reviews_due_in(session, meeting))
    figures.add(Figure(pack_name(meeting_id, "reviews due"), reviews,
                       shown=pack.reviews_due is not None, protect=is_small(reviews)))


def _budget(figures: FigureSet, meeting_id: int, year: int, pack: GovernorsPack,
            rounds: list[int]) -> None:
    """Awarded before, as Finance's figure (shown if the pack shows it), and the money for the
    round it leaves of the money released so far (`rounds`: the year's meetings, in order). Nothing
    for a year whose funding is not set up: Finance registers nothing of it to protect."""
    index = rounds.index(meeting_id)
    before = (finance_name(year, "budget", "running on") if index == 0 else
              finance_name(year, "budget", rounds[index - 1], "awarded so far"))
    released = finance_name(year, "budget", meeting_id, "released so far")
    if before not in figures.figures:
        return
    shown = dict(pack.budget_lines)[AWARDED_BEFORE] is not None
    known = figures.figures[before]
    figures.add(Figure(before, known.value, "money", shown=shown))
    money = pack_name(meeting_id, "money for this round")
    figures.add(Figure(money, figures.figures[released].value - known.value, "money",
                       shown=shown, largest_part=known.largest_part, protect=known.protect,
                       signed=True))
    figures.relate(Relation(((money, 1), (released, -1), (before, 1))))


def pack_name(meeting_id: int, figure: str = "") -> str:
    return f"governors' pack/{meeting_id}/{figure}"

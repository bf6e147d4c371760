"""The governors' packs as figures for the disclosure audit.

Every reader opens the governors' pack of any of the cluster's meetings: the requests by area of
need (requests, pupils, money asked and suggested, with the totals), the reviews due, and for a
funding round the budget lines. Its "awarded before" is Finance's awarded so far after the meeting
before (or the money running on from earlier years, before the year's first meeting), so it is
registered under Finance's name, beside Finance's figures for that year: the audit then sees one
figure, shown if either page shows it (issue 18: a pack showing the awarded so far that Finance
hides gives away the 1-4 awards since Finance's last one). "Money for this round" is released so
far less it.

A pack is an issued paper: from papers-out a reader holds the file as it went out, and every
amendment beside it, whatever the live data does later (the split re-run, a request withdrawn).
Each version stores its figures when issued (`meeting_pack_figures`, `meetings/issue.py`), and the
audit checks those: every version of a meeting's pack, and the pack as it reads now only for a
meeting with no version issued (or one issued before versions stored their figures). A name that
two versions, or a version and Finance now, give different values is two figures to the reader:
the first keeps the name, the other joins as name@v<version> (`FigureSet.merge_apart`), with its
sums; where the values agree it stays one figure.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from sqlalchemy.engine import Engine
from sqlmodel import Session

from cluster.core.db import read_session
from cluster.core.permissions import Actor, has_role, require
from cluster.core.scope import cluster_of
from cluster.disclosure.figures import Figure, FigureSet, Relation
from cluster.disclosure.suppression import is_small
from cluster.funding.finance_figures import finance_figures, finance_figures_in, finance_name
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
from cluster.models import Meeting, PaperKind, Role
from cluster.papers.record import figures_when_issued

EVERYONE = ""  # the governors' pack has one edition, read by all


def pack_figures(engine: Engine, actor: Actor, cluster_id: int | None = None) -> FigureSet:
    """The figures of every meeting's governors' pack as its readers hold them (the same for
    every reader), with Finance's figures of each year whose funding rounds' packs show the
    budget."""
    require(has_role(actor, ALL_ROLES))
    with read_session(engine) as session:
        cluster = cluster_of(session, actor, cluster_id).id or 0
        years = sorted({m.academic_year for m in meetings_of(session, cluster)
                        if m.is_funding_round})
    figures = FigureSet()
    # Finance's live figures first: they keep their names, and an issued pack that showed
    # another value under one of them joins apart.
    for year in years:
        figures.merge(finance_figures(engine, actor, cluster, year))
    with read_session(engine) as session:
        rounds = {year: round_ids(session, cluster, year) for year in years}
        for meeting in meetings_of(session, cluster):
            issued = figures_when_issued(session, meeting.id or 0, PaperKind.GOVERNORS_PACK,
                                         EVERYONE)
            for version, stored in issued:
                if stored is not None:
                    figures.merge_apart(FigureSet.from_stored(stored), f"@v{version}")
            if not issued or any(stored is None for _, stored in issued):
                live = meeting_pack_figures(session, meeting, figures,
                                            rounds.get(meeting.academic_year, []))
                figures.merge_apart(live, "@now")
    return figures


def round_ids(session: Session, cluster_id: int, year: int) -> list[int]:
    """The year's funding rounds, in order."""
    return [r.meeting_id for r in year_ledger(session, cluster_id, year).rounds]


def meeting_pack_figures(session: Session, meeting: Meeting, finance: FigureSet,
                         rounds: list[int]) -> FigureSet:
    """One meeting's governors' pack as it reads now: its tables and, for a funding round, its
    budget lines under Finance's names (`finance`: Finance's figures of the meeting's year;
    `rounds`: the year's funding rounds, in order)."""
    pack = build_governors_pack(session, meeting)
    figures = FigureSet()
    _tables(figures, session, meeting, pack)
    if meeting.is_funding_round and (meeting.id or 0) in rounds:
        _budget(figures, finance, meeting.id or 0, meeting.academic_year, pack, rounds)
    return figures


def issued_pack_figures(session: Session, meeting: Meeting) -> dict[str, Any]:
    """The figures to store with a version of the governors' pack as it is issued, its budget
    lines carrying Finance's figures as the cluster governor reads them now."""
    year = meeting.academic_year
    finance, rounds = FigureSet(), []
    if meeting.is_funding_round:
        governor = Actor(0, "", "", Role.GOVERNOR, meeting.cluster_id, None)
        finance = finance_figures_in(session, governor, year, meeting.cluster_id)
        rounds = round_ids(session, meeting.cluster_id, year)
    return meeting_pack_figures(session, meeting, finance, rounds).to_stored()


def _tables(figures: FigureSet, session: Session, meeting: Meeting, pack: GovernorsPack) -> None:
    """Requests by area of need, asked and suggested, and the reviews due."""
    meeting_id = meeting.id or 0
    areas, asked, suggested = pack_members(session, meeting)
    figures.merge(group_figures(asked, [line.pupils is not None for line in pack.areas],
                                pack.total.pupils is not None, prefix=pack_name(meeting_id),
                                lines=areas))
    figures.merge(group_figures(
        suggested, [line.second_pence is not None for line in pack.areas],
        pack.total.second_pence is not None, prefix=pack_name(meeting_id, "suggested/"),
        lines=areas))
    reviews = len(reviews_due_in(session, meeting))
    figures.add(Figure(pack_name(meeting_id, "reviews due"), reviews,
                       shown=pack.reviews_due is not None, protect=is_small(reviews)))


def _budget(figures: FigureSet, finance: FigureSet, meeting_id: int, year: int,
            pack: GovernorsPack, rounds: list[int]) -> None:
    """Awarded before, as Finance's figure (shown as the pack shows it: merged with Finance's,
    shown if either shows it), the money released so far, as Finance's, and the money for the
    round it leaves (`rounds`: the year's meetings, in order). Nothing for a year whose funding
    is not set up: Finance registers nothing of it to protect."""
    index = rounds.index(meeting_id)
    before = (finance_name(year, "budget", "running on") if index == 0 else
              finance_name(year, "budget", rounds[index - 1], "awarded so far"))
    released = finance_name(year, "budget", meeting_id, "released so far")
    if before not in finance.figures:
        return
    shown = dict(pack.budget_lines)[AWARDED_BEFORE] is not None
    known = finance.figures[before]
    figures.add(replace(known, shown=shown))
    figures.add(finance.figures[released])
    money = pack_name(meeting_id, "money for this round")
    figures.add(Figure(money, finance.figures[released].value - known.value, "money",
                       shown=shown, largest_part=known.largest_part, protect=known.protect,
                       signed=True))
    figures.relate(Relation(((money, 1), (released, -1), (before, 1))))


def pack_name(meeting_id: int, figure: str = "") -> str:
    return f"governors' pack/{meeting_id}/{figure}"

"""The governors' minutes of one academic year, protected as a whole.

Each meeting's minutes give its decisions by kind (requests, pupils, money agreed) and in all,
hiding a line about 1 to 4 pupils (`grouped`). A governor also sees the year's money awarded (the
governors' home, the impact report), and the meetings' totals add up to it, with what the minutes
leave out (money given back, decisions not yet confirmed, meetings whose minutes are not out). So
one meeting's hidden total would be the year's less the others' (issue 18: Autumn 2's two awards,
£1,406, as the year's awarded less Autumn 1's minutes). The year's minutes are therefore protected
as one set of figures: every open minutes' table, the year's money awarded and what the minutes
leave out — the first as the impact report shows it, the second taken as known, as the strongest
reader would — with more hidden (`disclosure.joint`) until nothing hidden can be worked out. The
papers and the disclosure audit read the same set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlmodel import Session

from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.disclosure.figures import Figure, FigureSet, total_of
from cluster.disclosure.joint import CannotProtectError
from cluster.disclosure.joint import protect as protect_jointly
from cluster.funding.ledger import awarded_in_year
from cluster.meetings.context import meetings_of, minutes_window
from cluster.meetings.grouped import group_figures, table_pattern
from cluster.meetings.record import MeetingRecord, meeting_record
from cluster.models import Cluster, Decision, Meeting
from cluster.outcomes.dashboard import load_cluster_figures

DECISION_KINDS = (Decision.FULL, Decision.PART, Decision.NONE, Decision.DEFERRED)


def minutes_name(meeting_id: int, figure: str = "") -> str:
    return f"governors' minutes/{meeting_id}/{figure}"


def awarded_name(academic_year: int, figure: str = "awarded") -> str:
    return f"governors' minutes/year {academic_year}/{figure}"


def decision_members(record: MeetingRecord) -> list[list[tuple[int, int, int]]]:
    """The governors' minutes' decisions, kind by kind: (1 request, its pupils, agreed £)."""
    decisions = [d for d in record.decisions if not d.draft]
    return [[(1, d.pupils, d.agreed_pence) for d in decisions if d.decision == k]
            for k in DECISION_KINDS]


@dataclass(frozen=True)
class MinutesYear:
    """Every open minutes' decision figures of a year, as published (true values, hidden where
    the minutes hide them), the year's money awarded and the sum that links them."""

    figures: FigureSet

    def shown(self, meeting_id: int, lines: int) -> tuple[list[bool], bool]:
        """Which of a meeting's decision lines, and whether its total, the minutes show."""
        prefix = minutes_name(meeting_id)
        return ([self.figures.is_shown(f"{prefix}{i}/pupils") for i in range(lines)],
                self.figures.is_shown(f"{prefix}all/pupils"))


def minutes_year(session: Session, cluster_id: int, academic_year: int) -> MinutesYear:
    on = today()  # which minutes are out depends on the day as well as the data
    return remembered(session, ("minutes_year", cluster_id, academic_year, on),
                      lambda: _protected_year(session, cluster_id, academic_year))


def _protected_year(session: Session, cluster_id: int, academic_year: int) -> MinutesYear:
    figures = FigureSet()
    totals = []
    for meeting in _open_minutes(session, cluster_id, academic_year):
        members = decision_members(meeting_record(session, meeting))
        shown, total_shown = table_pattern(members)
        prefix = minutes_name(meeting.id or 0)
        figures.merge(group_figures(members, shown, total_shown, prefix=prefix))
        totals.append(f"{prefix}all/money")
    awarded, _ = awarded_in_year(session, cluster_id, academic_year)
    published = sum(figures.figures[name].value for name in totals)
    year, rest = awarded_name(academic_year), awarded_name(academic_year, "not in the minutes")
    on_report = _year_shown(session, cluster_id, academic_year)
    figures.add(Figure(year, awarded, "money", shown=on_report, fixed=True, protect=False,
                       in_view=on_report))
    # Given back, not yet confirmed or in minutes not yet out: below 0 when money came back.
    figures.add(Figure(rest, awarded - published, "money", signed=True, fixed=True))
    figures.relate(total_of(year, [*totals, rest]))
    try:
        protect_jointly(figures)
    except CannotProtectError:
        # Only the year's money awarded gives a hidden total away (one meeting's minutes out, say)
        # and the minutes have nothing left to hide beside it: the disclosure audit reports it.
        pass
    return MinutesYear(figures)


def _year_shown(session: Session, cluster_id: int, academic_year: int) -> bool:
    """Whether the impact report (and, for this year, the governors' home) shows the year's money
    awarded: it hides it where the year's awards are about 1 to 4 pupils."""
    tables = load_cluster_figures(session, session.get_one(Cluster, cluster_id), today()).by_area
    return academic_year in tables and tables[academic_year].received.grand is not None


def _open_minutes(session: Session, cluster_id: int, academic_year: int) -> Sequence[Meeting]:
    return [m for m in meetings_of(session, cluster_id)
            if m.academic_year == academic_year and minutes_window(m)[0]]

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

Minutes already issued are stored as they were (`meetings/issue.py`): what they show can never
change, though a later meeting can make a hidden total that the year's less theirs would give
away (Autumn 1's minutes issued showing £19,204 before Autumn 2 made two awards). Their figures
are therefore fixed as issued, and when nothing else can be hidden the year's money awarded is
hidden instead, on the impact report and the governors' home too (`hides_year_total`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from sqlmodel import Session

from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.disclosure.figures import Figure, FigureSet, total_of
from cluster.disclosure.joint import CannotProtectError
from cluster.disclosure.joint import protect as protect_jointly
from cluster.funding.ledger import awarded_in_year
from cluster.meetings.context import meetings_of, minutes_window
from cluster.meetings.grouped import group_figures, table_pattern
from cluster.meetings.record import RecordedDecision, decisions_at
from cluster.models import Decision, Meeting, PaperKind
from cluster.outcomes.dashboard import year_total_shown
from cluster.papers.record import shown_when_issued

DECISION_KINDS = (Decision.FULL, Decision.PART, Decision.NONE, Decision.DEFERRED)


def minutes_name(meeting_id: int, figure: str = "") -> str:
    return f"governors' minutes/{meeting_id}/{figure}"


def awarded_name(academic_year: int, figure: str = "awarded") -> str:
    return f"governors' minutes/year {academic_year}/{figure}"


def decision_members(decisions: Sequence[RecordedDecision]) -> list[list[tuple[int, int, int]]]:
    """The governors' minutes' decisions, kind by kind: (1 request, its pupils, agreed £)."""
    final = [d for d in decisions if not d.draft]
    return [[(1, d.pupils, d.agreed_pence) for d in final if d.decision == k]
            for k in DECISION_KINDS]


@dataclass(frozen=True)
class MinutesYear:
    """Every open minutes' decision figures of a year, as published (true values, hidden where
    the minutes hide them), the year's money awarded and the sum that links them."""

    figures: FigureSet
    hides_year_total: bool  # the year's money awarded hidden where the impact report shows it

    def shown_names(self, meeting_id: int) -> frozenset[str] | None:
        """The names of a meeting's figures its minutes show, stored with an issued copy (None
        when its minutes are not out)."""
        prefix = minutes_name(meeting_id)
        if f"{prefix}all/money" not in self.figures.figures:
            return None
        return frozenset(f.name for f in self.figures.shown() if f.name.startswith(prefix))

    def shown(self, meeting_id: int, lines: int) -> tuple[list[bool], bool]:
        """Which of a meeting's decision lines, and whether its total, the minutes show."""
        prefix = minutes_name(meeting_id)
        return ([self.figures.is_shown(f"{prefix}{i}/pupils") for i in range(lines)],
                self.figures.is_shown(f"{prefix}all/pupils"))


def minutes_year(session: Session, cluster_id: int, academic_year: int) -> MinutesYear:
    on = today()  # which minutes are out depends on the day as well as the data
    return remembered(session, ("minutes_year", cluster_id, academic_year, on),
                      lambda: _protected_year(session, cluster_id, academic_year))


@dataclass(frozen=True)
class _OpenMinutes:
    """One meeting whose minutes are out: its decisions, and its figures as issued (None when
    not issued, or issued before the figures were recorded)."""

    prefix: str
    members: list[list[tuple[int, int, int]]]
    issued: frozenset[str] | None


def _protected_year(session: Session, cluster_id: int, academic_year: int) -> MinutesYear:
    on_report = year_total_shown(session, cluster_id, academic_year)
    awarded, _ = awarded_in_year(session, cluster_id, academic_year)
    # The decisions alone: the whole meeting record took three quarters of the time.
    minutes = [_OpenMinutes(minutes_name(m.id or 0), decision_members(decisions_at(session, m)),
                            shown_when_issued(session, m.id or 0, PaperKind.GOVERNORS_MINUTES,
                                              ""))
               for m in _open_minutes(session, cluster_id, academic_year)]
    figures = _year_figures(minutes, academic_year, awarded, on_report, year_fixed=True)
    try:
        protect_jointly(figures)
        return MinutesYear(figures, hides_year_total=False)
    except CannotProtectError:
        pass
    # Minutes issued as they were leave nothing to hide beside a later hidden total: the year's
    # money awarded is hidden instead.
    figures = _year_figures(minutes, academic_year, awarded, on_report, year_fixed=False)
    try:
        protect_jointly(figures)
    except CannotProtectError:
        # Even so a hidden total is given away (only issued minutes are out, say): the
        # disclosure audit reports it.
        pass
    year = awarded_name(academic_year)
    return MinutesYear(figures, hides_year_total=on_report and not figures.is_shown(year))


def _year_figures(minutes: Sequence[_OpenMinutes], academic_year: int, awarded: int,
                  on_report: bool, *, year_fixed: bool) -> FigureSet:
    figures = FigureSet()
    for each in minutes:
        if each.issued is None:
            shown, total_shown = table_pattern(each.members)
            figures.merge(group_figures(each.members, shown, total_shown, prefix=each.prefix))
        else:
            lines = [f"{each.prefix}{i}/pupils" in each.issued for i in range(len(each.members))]
            figures.merge(_as_issued(group_figures(
                each.members, lines, f"{each.prefix}all/pupils" in each.issued,
                prefix=each.prefix), each.issued))
    totals = [f"{each.prefix}all/money" for each in minutes]
    published = sum(figures.figures[name].value for name in totals)
    year, rest = awarded_name(academic_year), awarded_name(academic_year, "not in the minutes")
    figures.add(Figure(year, awarded, "money", shown=on_report, fixed=year_fixed, protect=False,
                       in_view=on_report))
    # Given back, not yet confirmed or in minutes not yet out: below 0 when money came back.
    figures.add(Figure(rest, awarded - published, "money", signed=True, fixed=True))
    figures.relate(total_of(year, [*totals, rest]))
    return figures


def _as_issued(figures: FigureSet, issued: frozenset[str]) -> FigureSet:
    """A meeting's figures as its issued minutes show them: shown as issued and fixed there."""
    for name, figure in figures.figures.items():
        figures.figures[name] = replace(figure, shown=name in issued, fixed=True)
    return figures


def _open_minutes(session: Session, cluster_id: int, academic_year: int) -> Sequence[Meeting]:
    return [m for m in meetings_of(session, cluster_id)
            if m.academic_year == academic_year and minutes_window(m)[0]]

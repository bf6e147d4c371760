"""One ledger for the year: released, awarded, given back, stopped and left, for a round and the
year.

Every screen that shows one of these figures reads it here, under the glossary's words (the split,
the decisions table, Finance, the home pages, the meeting papers and minutes, the payment schedule,
the request form's "more than is left" check and the rollover). Read-only: it writes nothing.

How the money is counted:
- An award counts once, spread over the half-terms it runs, net of money returned; each academic
  year carries only its part (`release.part_in_year`), so an award made in Summer 1 for three terms
  is one-third this year's and two-thirds next year's. Earlier years' awards that run into this
  year count from its start ("running on").
- Funding rounds release the year's money by the release plan. Urgent awards between meetings come
  out of the emergency reserve, never out of a round's release.
- **Money for this round** = released up to and including the round − this year's part of the
  awards made before it. The split hands it out in whole awards.
- **Left to award** after a meeting = released so far − this year's part of everything awarded so
  far. It is the split's **left in this round's pot** (money for the round − the whole awards agreed
  there) plus the part of the round's awards that runs into later years: that part is next year's
  money, so it stays in this year's budget. Two figures, each named for what it is.
- **Left for new awards this year** = available for new awards − this year's part of every award:
  what rolls over into next year when the year closes.
- An award that a review stops gives back **the instalments stopped** (never paid) plus **the money
  paid but not spent**, reclaimed from the school; `award_return` is the one rule, and the review
  and the payment schedule both say it in its words.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy.engine import Engine
from sqlmodel import Session, col, func, select

from cluster.common.calendar import OfAcademicYear, academic_year_of
from cluster.common.glossary import label
from cluster.common.money import format_pounds
from cluster.core.cache import remembered
from cluster.core.clock import today
from cluster.core.db import read_session
from cluster.core.permissions import MEMBER_ROLES, Actor, has_role, require
from cluster.disclosure.suppression import suppress_running
from cluster.funding.budget import (
    AwardForBudget,
    FinanceOverview,
    FundingYearView,
    Scope,
    cluster_awards,
    finance_year,
    load_funding_year,
    reader_scope,
    released_runs,
    share_rows,
    urgent_parts,
)
from cluster.funding.pot import PotBreakdown
from cluster.funding.release import (
    AwardRun,
    BudgetPosition,
    MeetingInYear,
    part_in_year,
    year_budget,
)
from cluster.models import (
    Award,
    FundingYear,
    Instalment,
    InstalmentStatus,
    Meeting,
    SupportRequest,
    UrgentDecision,
    UrgentStatus,
)

# --- the words: one name for each figure, on every screen -----------------------------------------

# Each label is the glossary's (toolkit/content/glossary.yaml): one word, one figure.
AVAILABLE = label("available")
RELEASED_SO_FAR = label("released_so_far")
AWARDED_BEFORE = label("awarded_before")
MONEY_FOR_ROUND = label("money_for_round")
AGREED_HERE = label("agreed_here")
AWARDED_HERE = label("awarded_here")
LEFT_IN_POT = label("left_in_pot")
LATER_YEARS = label("later_years")
LEFT_TO_AWARD = label("left_to_award")
STILL_TO_RELEASE = label("still_to_release")
NOT_YET_AWARDED = label("left_this_year")
AWARDED_THIS_YEAR = label("awarded_this_year")
RETURNED = label("given_back")
STOPPED = label("instalments_stopped")
RECLAIMED = label("reclaimed")
RESERVE = label("emergency_reserve")
URGENT = label("urgent_awards")
RESERVE_LEFT = label("reserve_left")
CARRIED_FORWARD = label("carried_forward")
INCOME_HERE = label("income_here")


# --- a stopped award's return ---------------------------------------------------------------------


@dataclass(frozen=True)
class AwardReturn:
    """What an ended award gives back, in its two parts, and what it still pays."""

    stopped_pence: int  # instalments still to come, stopped: never paid
    reclaimed_pence: int  # paid to the school but not spent: the school pays it back
    kept_pence: int = 0  # of the instalments to come, still paid: money spent beyond those paid

    @property
    def total_pence(self) -> int:
        return self.stopped_pence + self.reclaimed_pence

    def words(self) -> str:
        """The one sentence the review and the payment schedule both show."""
        if not self.total_pence and not self.kept_pence:
            # "£0 goes back: £0 stopped and £0 reclaimed" read like a figure gone missing.
            return ("nothing goes back to the cluster, as no instalment was still to come and "
                    "nothing paid is left to reclaim")
        text = (f"{format_pounds(self.total_pence)} goes back to the cluster: "
                f"{format_pounds(self.stopped_pence)} of instalments stopped and "
                f"{format_pounds(self.reclaimed_pence)} paid but not spent reclaimed")
        if self.kept_pence:
            text += (f"; {format_pounds(self.kept_pence)} of the instalments to come is still "
                     "paid, for money the school spent beyond the instalments paid")
        return text


def award_return(*, amount_pence: int, paid_pence: int, to_come_pence: int, spent_pence: int,
                 returned_before_pence: int, scheduled: bool = True) -> AwardReturn:
    """The one rule for the money an ending award gives back; in all, what was not spent.

    `paid_pence`: the instalments that stand (due before the stop); `to_come_pence`: those from
    the stop on. What was paid but not spent is reclaimed (less what the school already gave
    back); the instalments to come are stopped, except as much of them as pays for money the
    school spent beyond the instalments paid. An award with no instalments on record (made before
    the payment schedule) counts as paid in full when it was made."""
    if not scheduled:
        paid_pence, to_come_pence = amount_pence, 0
    held = max(0, amount_pence - returned_before_pence)
    kept = min(to_come_pence, max(0, spent_pence - paid_pence))
    stopped = min(to_come_pence - kept, held)
    reclaimed = min(max(0, paid_pence - spent_pence - returned_before_pence), held - stopped)
    return AwardReturn(stopped, reclaimed, kept)


def ended_award_return(returned_pence: int, stopped_pence: int) -> AwardReturn:
    """An ended award's return as the payment schedule reads it back: the instalments stopped,
    and the rest of what it returned (money paid but not spent)."""
    stopped = min(stopped_pence, returned_pence)
    return AwardReturn(stopped, returned_pence - stopped)


# --- a round ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reserve:
    """The year's emergency reserve: urgent awards come out of it, never out of a round's money;
    every round, the year and the urgent decisions screen read it from here."""

    pence: int
    used_pence: int  # urgent awards from it this year

    @property
    def left_pence(self) -> int:
        return self.pence - self.used_pence

    def lines(self) -> list[tuple[str, int]]:
        return [(RESERVE, self.pence), (URGENT, self.used_pence), (RESERVE_LEFT, self.left_pence)]


@dataclass(frozen=True)
class RoundFigures:
    """The year's money as it stands after one of its meetings (funding round or not)."""

    meeting_id: int
    half_term: str
    held_on: date
    is_funding_round: bool
    set_up: bool  # the year's funding is set up
    available_pence: int
    released_here_pence: int
    released_so_far_pence: int
    awarded_before_pence: int  # this year's part of awards made before it, running-on included
    awarded_here_pence: int  # this year's part of the awards it made (draft or final)
    agreed_here_pence: int  # the whole awards it made, net of money returned
    reserve: Reserve
    # Extra income lines joining this round, (source, pence): part of what it releases.
    income: tuple[tuple[str, int], ...] = ()

    @property
    def money_for_round_pence(self) -> int:
        return self.released_so_far_pence - self.awarded_before_pence

    @property
    def awarded_so_far_pence(self) -> int:
        return self.awarded_before_pence + self.awarded_here_pence

    @property
    def left_to_award_pence(self) -> int:
        """Released so far − awarded so far, this year's part (negative: overspent)."""
        return self.released_so_far_pence - self.awarded_so_far_pence

    def income_lines(self) -> list[tuple[str, int]]:
        """A line for each extra income source joining the round (none when there is none)."""
        return [(f"{INCOME_HERE}: {source}", pence) for source, pence in self.income]

    @property
    def later_years_pence(self) -> int:
        return self.agreed_here_pence - self.awarded_here_pence

    @property
    def left_in_pot_pence(self) -> int:
        """What the split calls left: money for the round − the whole awards agreed here."""
        return self.money_for_round_pence - self.agreed_here_pence

    @property
    def still_to_release_pence(self) -> int:
        return self.available_pence - self.released_so_far_pence

    def lines(self) -> list[tuple[str, int]]:
        """The round's position as a host reads it aloud, line by line: the papers, the minutes
        and the decisions screen all print these."""
        return [(AVAILABLE, self.available_pence),
                *self.income_lines(),
                (RELEASED_SO_FAR, self.released_so_far_pence),
                (AWARDED_BEFORE, self.awarded_before_pence),
                (MONEY_FOR_ROUND, self.money_for_round_pence),
                (AGREED_HERE, self.agreed_here_pence),
                (LEFT_IN_POT, self.left_in_pot_pence),
                (LATER_YEARS, self.later_years_pence),
                (LEFT_TO_AWARD, self.left_to_award_pence),
                *self.reserve.lines()]


# --- the year -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearLedger(OfAcademicYear):
    cluster_id: int
    academic_year: int
    set_up: bool
    read_only: bool
    pot: PotBreakdown
    carried_forward_pence: int
    planned_pence: int  # the release plan's total
    running_on_pence: int  # this year's part of earlier years' awards
    awarded_pence: int  # this year's part of every award from released money, net of returns
    returned_pence: int  # this year's part of the money returned
    reserve: Reserve
    stopped_pence: int  # instalments falling in this year that were stopped
    rounds: tuple[RoundFigures, ...]  # every meeting of the year, in date order

    @property
    def available_pence(self) -> int:
        return self.pot.available_pence

    @property
    def not_yet_awarded_pence(self) -> int:
        """Available − awarded this year: what is left for the year, and what rolls over."""
        return self.available_pence - self.awarded_pence

    @property
    def unplanned_pence(self) -> int:
        return self.available_pence - self.planned_pence

    def released_by(self, on: date) -> int:
        """Released by the funding rounds held up to `on`."""
        return sum(r.released_here_pence for r in self.rounds if r.held_on <= on)

    def round(self, meeting_id: int) -> RoundFigures | None:
        return next((r for r in self.rounds if r.meeting_id == meeting_id), None)

    def lines(self) -> list[tuple[str, int]]:
        return [(AVAILABLE, self.available_pence),
                (AWARDED_THIS_YEAR, self.awarded_pence),
                (NOT_YET_AWARDED, self.not_yet_awarded_pence),
                (RETURNED, self.returned_pence),
                (STOPPED, self.stopped_pence),
                *self.reserve.lines()]


def _whole_here(awards: Sequence[AwardRun]) -> dict[int, int]:
    by_meeting: dict[int, int] = {}
    for award in awards:
        by_meeting[award.meeting_id] = by_meeting.get(award.meeting_id, 0) + award.amount_pence
    return by_meeting


def urgent_from_reserve(session: Session, cluster_id: int, academic_year: int) -> int:
    """Urgent awards agreed (or ratified) this year: what has come out of the reserve."""
    rows = session.exec(
        select(UrgentDecision.amount_pence)
        .join(Meeting, col(Meeting.id) == UrgentDecision.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Meeting.academic_year == academic_year,
               col(UrgentDecision.status).in_((UrgentStatus.AGREED, UrgentStatus.RATIFIED)))).all()
    return sum(rows)


def _stopped_in_year(session: Session, cluster_id: int, academic_year: int) -> int:
    rows = session.exec(
        select(Instalment.amount_pence)
        .join(Award, col(Award.id) == Instalment.award_id)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Instalment.academic_year == academic_year,
               Instalment.status == InstalmentStatus.STOPPED)).all()
    return sum(rows)


def year_ledger(session: Session, cluster_id: int, academic_year: int) -> YearLedger:
    """The year's ledger inside the caller's session (the services that show its figures).
    Remembered for the state of the data: the decisions screen asked for it twice a redraw (the
    round's figures and the pot the suggestion splits), each a walk over every award's instalments
    (a tenth of a second on a large cluster); any save changes the state, so it is worked out
    again after one."""
    return remembered(session, ("year_ledger", cluster_id, academic_year, today()),
                      lambda: _year_ledger(session, cluster_id, academic_year))


def _year_ledger(session: Session, cluster_id: int, academic_year: int) -> YearLedger:
    view = load_funding_year(session, cluster_id, academic_year)
    runs = released_runs(cluster_awards(session, cluster_id, academic_year))
    gross_runs = _gross_runs(session, cluster_id, academic_year)
    meetings = list(session.exec(select(Meeting).where(
        Meeting.cluster_id == cluster_id, Meeting.academic_year == academic_year)
        .order_by(col(Meeting.held_on))).all())
    # A funding round releases the plan's release and the extra income joining it.
    income = {r.meeting_id: r.income for r in view.rounds}
    budget = year_budget(
        academic_year=academic_year, available_pence=view.pot.available_pence,
        reserve_pence=view.pot.reserve_pence, awards=runs,
        meetings=[MeetingInYear(m.id or 0, m.half_term, m.held_on, m.is_funding_round,
                                m.release_pence + sum(p for _, p in income.get(m.id or 0, ())))
                  for m in meetings])
    reserve = Reserve(view.pot.reserve_pence,
                      urgent_from_reserve(session, cluster_id, academic_year))
    whole = _whole_here(runs)
    rounds = tuple(_round(p, view.exists, view.pot, whole.get(p.meeting_id, 0), reserve,
                          income.get(p.meeting_id, ())) for p in budget.positions)
    awarded = budget.awarded_pence
    gross = sum(part_in_year(run, academic_year) for run in gross_runs)
    funding = view.settings
    return YearLedger(
        cluster_id, academic_year, view.exists, view.read_only, view.pot,
        funding.carried_forward_pence, budget.planned_pence, budget.running_on_pence, awarded,
        gross - awarded, reserve, _stopped_in_year(session, cluster_id, academic_year), rounds)


def _gross_runs(session: Session, cluster_id: int, academic_year: int) -> list[AwardRun]:
    """The released-money awards counting in the year, at their whole amounts before returns."""
    rows = session.exec(
        select(  # type: ignore[call-overload]  # SQLModel types select() for up to four columns
            Award.meeting_id, Meeting.academic_year, Meeting.half_term, Award.terms,
            Award.amount_pence)
        .join(Meeting, col(Meeting.id) == Award.meeting_id)
        .where(Meeting.cluster_id == cluster_id, Meeting.academic_year <= academic_year,
               Award.amount_pence > 0, col(Award.from_reserve).is_(False))).all()
    return [AwardRun(meeting_id, year, half_term, terms, amount)
            for meeting_id, year, half_term, terms, amount in rows]


def _round(position: BudgetPosition, set_up: bool, pot: PotBreakdown, whole_here: int,
           reserve: Reserve, income: tuple[tuple[str, int], ...] = ()) -> RoundFigures:
    return RoundFigures(
        position.meeting_id, position.half_term, position.held_on, position.is_funding_round,
        set_up, pot.available_pence, position.released_here_pence, position.released_so_far_pence,
        position.awarded_so_far_pence - position.awarded_here_pence, position.awarded_here_pence,
        whole_here, reserve, income)


def round_figures(session: Session, meeting: Meeting) -> RoundFigures:
    """One meeting's figures, inside the caller's session."""
    found = year_ledger(session, meeting.cluster_id, meeting.academic_year).round(meeting.id or 0)
    assert found is not None  # the year's meetings include this one
    return found


def left_to_award_this_year(session: Session, cluster_id: int, academic_year: int) -> int | None:
    """Left for new awards this year (None while the year's pot is not set up): the request form's
    "more than is left" check."""
    ledger = year_ledger(session, cluster_id, academic_year)
    return ledger.not_yet_awarded_pence if ledger.set_up else None


# --- the service ----------------------------------------------------------------------------------


def ledger(engine: Engine, actor: Actor, academic_year: int | None = None) -> YearLedger:
    """The year's ledger, whole, for the host and the cluster's schools (governors and the LA read
    Finance's budget position, where small numbers are hidden)."""
    require(has_role(actor, MEMBER_ROLES))
    with read_session(engine) as session:
        scope = reader_scope(session, actor)
        year = academic_year if academic_year is not None else academic_year_of(today()).start_year
        return year_ledger(session, scope.cluster_id, year)


# --- Finance: the position at each meeting, small numbers hidden for governors and the LA ---------


@dataclass(frozen=True)
class PositionRow:
    """One meeting's position as a reader may see it: None means hidden (fewer than 5 awards)."""

    half_term: str
    held_on: date
    is_funding_round: bool
    held: bool
    released_here_pence: int
    released_so_far_pence: int
    awarded_here_pence: int | None
    awarded_so_far_pence: int | None
    left_to_award_pence: int | None
    still_to_release_pence: int
    reserve_pence: int


@dataclass(frozen=True)
class BudgetView(OfAcademicYear):
    cluster_name: str
    academic_year: int
    set_up: bool
    available_pence: int
    reserve_pence: int
    running_on_pence: int | None  # this year's part of earlier years' awards
    planned_pence: int
    unplanned_pence: int
    rows: tuple[PositionRow, ...]
    suppressed: bool


def budget_position(engine: Engine, actor: Actor, academic_year: int,
                    cluster_id: int | None = None) -> BudgetView:
    """Released so far, awarded (this year's part of each award), left to award and the reserve,
    after each of the year's meetings: the ledger's rounds, with small numbers hidden for the
    readers who must not see them."""
    with read_session(engine) as session:
        scope = reader_scope(session, actor, cluster_id)
        year = year_ledger(session, scope.cluster_id, academic_year)
        runs = released_runs(cluster_awards(session, scope.cluster_id, academic_year))
    return budget_view(scope, year, runs)


def period_parts(year: YearLedger, awards: Sequence[AwardRun]) -> list[list[int]]:
    """This year's part of each award behind each period of the budget position: the awards
    running on from earlier years, then those of each meeting (an award not running this year
    is in none). Their number decides what is hidden; the largest is what a hidden figure must
    not give away."""
    y = year.academic_year
    periods = [[a for a in awards if a.academic_year < y]]
    periods += [[a for a in awards if a.meeting_id == r.meeting_id] for r in year.rounds]
    return [[part for a in period if (part := part_in_year(a, y))] for period in periods]


def budget_view(scope: Scope, year: YearLedger, awards: Sequence[AwardRun]) -> BudgetView:
    """The budget position as this reader sees it (the Finance page and the disclosure audit)."""
    on = today()
    y = year.academic_year
    here: list[int | None]
    so_far: list[int | None]
    if scope.suppress:
        here, so_far = awarded_as_governors_see(year, awards)
    else:
        amounts = [year.running_on_pence] + [r.awarded_here_pence for r in year.rounds]
        here, so_far = list(amounts), [sum(amounts[: i + 1]) for i in range(len(amounts))]
    rows = tuple(_position_row(r, here[i + 1], so_far[i + 1], on)
                 for i, r in enumerate(year.rounds))
    return BudgetView(scope.cluster_name, y, year.set_up, year.available_pence,
                      year.reserve.pence, here[0], year.planned_pence, year.unplanned_pence,
                      rows, scope.suppress)


def awarded_as_governors_see(year: YearLedger, awards: Sequence[AwardRun],
                             urgent: Sequence[int] | None = None
                             ) -> tuple[list[int | None], list[int | None]]:
    """The one rule for the money awarded that governors and the LA see, on Finance's budget
    position, in the governors' pack and in what the schools received: running on, then each
    meeting's awards and awarded so far after it (None where hidden). A running total is shown
    only where the awards since the last one shown number none or 5 or more, so two shown totals
    never isolate 1-4 awards.

    With `urgent` (this year's part of each urgent award from the reserve) the series runs one
    period further: its last running total is what the schools received this year, the last
    awarded so far plus the urgent awards (Finance's "received this year" for the cluster)."""
    periods = period_parts(year, awards)
    amounts = [year.running_on_pence] + [r.awarded_here_pence for r in year.rounds]
    if urgent is not None:
        periods.append(list(urgent))
        amounts.append(sum(urgent))
    return suppress_running([len(parts) for parts in periods], amounts)


def received_hidden(year: YearLedger, awards: Sequence[AwardForBudget]) -> bool:
    """Whether governors and the LA see the cluster's "received this year" hidden: taking the
    budget's last shown awarded so far from it must not give away 1-4 awards (issue 18)."""
    runs = released_runs(awards)
    return awarded_as_governors_see(year, runs, urgent_parts(year.academic_year, awards))[1][
        -1] is None


def finance_ledger(session: Session, actor: Actor, academic_year: int, cluster_id: int | None
                   ) -> tuple[Scope, FundingYearView, list[AwardForBudget], YearLedger]:
    """What Finance reads for a year (`finance_year`) and the year's ledger, which decides what
    governors see of the cluster's "received this year" (`received_hidden`)."""
    scope, view, awards = finance_year(session, actor, academic_year, cluster_id)
    return scope, view, awards, year_ledger(session, scope.cluster_id, academic_year)


def finance_overview(engine: Engine, actor: Actor, academic_year: int | None = None,
                     cluster_id: int | None = None) -> FinanceOverview:
    """The pot build-up and each school's received vs formula share vs need share."""
    year = academic_year if academic_year is not None else academic_year_of(today()).start_year
    with read_session(engine) as session:
        scope, view, awards, ledger = finance_ledger(session, actor, year, cluster_id)
        years = tuple(sorted(session.exec(select(FundingYear.academic_year).where(
            FundingYear.cluster_id == scope.cluster_id)).all()))
    shares = share_rows(scope, view, awards, received_hidden(ledger, awards))
    census_years = [s.census_year for s in view.schools if s.census_year is not None]
    return FinanceOverview(scope.cluster_name, year, view.exists, view.read_only,
                           max(census_years) if census_years else None, view.pot, shares,
                           scope.suppress, years)


def governors_round(session: Session, meeting: Meeting) -> tuple[RoundFigures, int | None]:
    """A meeting's figures with "awarded before" as governors see it: Finance's awarded so far
    after the meeting before (None where Finance hides it)."""
    year = year_ledger(session, meeting.cluster_id, meeting.academic_year)
    runs = released_runs(cluster_awards(session, meeting.cluster_id, meeting.academic_year))
    index = [r.meeting_id for r in year.rounds].index(meeting.id or 0)
    return year.rounds[index], awarded_as_governors_see(year, runs)[1][index]


def _position_row(r: RoundFigures, here: int | None, so_far: int | None, on: date) -> PositionRow:
    # The same subtraction as RoundFigures.left_to_award_pence, on the figures this reader sees.
    left = None if so_far is None else r.released_so_far_pence - so_far
    return PositionRow(r.half_term, r.held_on, r.is_funding_round, r.held_on < on,
                       r.released_here_pence, r.released_so_far_pence, here, so_far, left,
                       r.still_to_release_pence, r.reserve.pence)


def awarded_in_year(session: Session, cluster_id: int, academic_year: int,
                    school_id: int | None = None) -> tuple[int, int]:
    """The glossary's "awarded": money agreed at the year's meetings, net of any unspent money an
    award stopped or completed at a review gave back, and how many awards it paid for (a school's
    home, and the year's total the governors' minutes add up to)."""
    query = (select(func.coalesce(func.sum(Award.amount_pence - Award.returned_pence), 0),
                    func.count())
             .join(Meeting, col(Meeting.id) == Award.meeting_id)
             .join(SupportRequest, col(SupportRequest.id) == Award.request_id)
             .where(Meeting.cluster_id == cluster_id, Meeting.academic_year == academic_year,
                    Award.amount_pence > 0))
    if school_id is not None:
        query = query.where(SupportRequest.school_id == school_id)
    total, count = session.exec(query).one()
    return int(total), int(count)

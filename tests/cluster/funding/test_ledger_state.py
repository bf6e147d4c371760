"""The ledger's invariants after every step of random sequences of what happens to a cluster's
money: set the pot, release, award, award urgently from the reserve, stop an award, take money
back, roll the year over.

Why on a database, and on both: the ledger's arithmetic is pure (`release.part_in_year`), but which
rows it adds up is SQL (awards joined to their meetings and years, urgent awards kept out of the
rounds' money, draft and final awards, stopped instalments), and that is where figures drifted
apart before; SQLite and PostgreSQL each get the same sequences. The pot, the releases, the money
returned and the rollover go through their real services; awards are written as the decision and
urgent services write them (request, award, instalments), without the meeting's quorum and chairs,
which are not the ledger's business.

Each example is a fresh cluster in the same database (URNs and usernames made unique), so no
example sees another's money. Kept to a few short examples so it runs in seconds per database.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass, field, replace
from datetime import date

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy.engine import Engine
from sqlmodel import select

from cluster.common.calendar import AcademicYear, half_term_start
from cluster.common.money import pence_from_pounds
from cluster.core.db import read_session, write_session
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.funding.budget import funding_year, save_funding_year
from cluster.funding.clawback import record_returned_money
from cluster.funding.ledger import YearLedger, budget_position, year_ledger
from cluster.funding.payments import end_award_in, schedule_award
from cluster.funding.release import AwardRun, part_in_year
from cluster.models import (
    Award,
    AwardEnd,
    CensusSnapshot,
    Cluster,
    Decision,
    Instalment,
    Meeting,
    RequestKind,
    RequestStatus,
    Role,
    School,
    SupportRequest,
    UrgentDecision,
    UrgentStatus,
    User,
)
from cluster.people.accounts import actor_of
from cluster.year.rollover import roll_over_year

FIRST_YEAR = 2026
HALF_TERMS = ("Autumn 1", "Autumn 2", "Spring 1", "Spring 2", "Summer 1", "Summer 2")
ROUNDS = ("Autumn 2", "Spring 1", "Summer 1")
SCHOOLS = 3
_numbers = itertools.count(1)


@dataclass
class AwardMade:
    """The test's own record of an award, to count the ledger's figures independently."""

    award_id: int
    meeting_id: int
    academic_year: int
    half_term: str
    terms: int
    amount_pence: int
    from_reserve: bool
    returned_pence: int = 0
    ended: bool = False


@dataclass
class ClusterUnderTest:
    cluster_id: int
    host: Actor
    school_ids: list[int]
    meetings: dict[tuple[int, str], int]  # (academic year, half-term) -> meeting id
    year: int = FIRST_YEAR
    awards: list[AwardMade] = field(default_factory=list)


def _set_up(engine: Engine) -> ClusterUnderTest:
    n = next(_numbers)
    with write_session(engine) as session:
        cluster = Cluster(name=f"Ledger cluster {n}", la_code="926", la_name="Norfolk",
                          funded_since=date(2012, 9, 1))
        session.add(cluster)
        session.flush()
        assert cluster.id is not None
        school_ids = []
        for s in range(SCHOOLS):
            school = School(cluster_id=cluster.id, urn=f"{n:03d}{s:03d}"[-6:],
                            laestab=f"926{n:02d}{s:02d}"[-7:], name=f"School {n}-{s}",
                            phase="primary", school_type="Community school")
            session.add(school)
            session.flush()
            assert school.id is not None
            school_ids.append(school.id)
            session.add(CensusSnapshot(school_id=school.id, census_year=FIRST_YEAR + 1,
                                       pupils=200 + 50 * s, sen_support=30, ehc_plan=5))
        meetings = {}
        for year in (FIRST_YEAR, FIRST_YEAR + 1):
            for half_term in HALF_TERMS:
                meeting = Meeting(cluster_id=cluster.id, academic_year=year, half_term=half_term,
                                  held_on=half_term_start(AcademicYear(year), half_term),
                                  is_funding_round=half_term in ROUNDS)
                session.add(meeting)
                session.flush()
                meetings[(year, half_term)] = meeting.id or 0
        host = User(username=f"ledger-host-{n}", display_name="Host", role=Role.HOST,
                    cluster_id=cluster.id)
        session.add(host)
        session.flush()
        return ClusterUnderTest(cluster.id, actor_of(host), school_ids, meetings)


class LedgerMachine(RuleBasedStateMachine):
    engine: Engine  # set by the test before the machine runs

    awards = Bundle("awards")

    @initialize()
    def a_new_cluster(self) -> None:
        os.environ["CLUSTER_TODAY"] = "2026-11-23"
        self.c = _set_up(self.engine)

    # --- what happens -----------------------------------------------------------------------

    def _save(self, change: dict[str, object]) -> None:
        """Through the funding year's own service; a refusal must change nothing."""
        before = self._ledger(self.c.year)
        view = funding_year(self.engine, self.c.host, self.c.year)
        settings_ = replace(view.settings, **change)  # type: ignore[arg-type]
        try:
            save_funding_year(self.engine, self.c.host, self.c.year, settings_,
                              expected_version=view.version, drawn_from=view.drawn_from())
        except ClusterError:
            assert self._ledger(self.c.year) == before

    @rule(rate=st.integers(0, 400), fixed=st.integers(0, 30_000), reserve=st.sampled_from(
        [0.0, 5.0, 10.0]))
    def set_pot(self, rate: int, fixed: int, reserve: float) -> None:
        self._save({"per_pupil_rate_pence": pence_from_pounds(rate),
                    "fixed_sum_per_school_pence": pence_from_pounds(fixed),
                    "reserve_percent": reserve})

    @rule(round_index=st.integers(0, len(ROUNDS) - 1), pounds=st.integers(0, 120_000))
    def release(self, round_index: int, pounds: int) -> None:
        view = funding_year(self.engine, self.c.host, self.c.year)
        meeting_id = self.c.meetings[(self.c.year, ROUNDS[round_index])]
        releases = dict(view.settings.releases) | {meeting_id: pence_from_pounds(pounds)}
        self._save({"releases": tuple(releases.items())})

    def _award(self, half_term: str, pounds: int, terms: int, from_reserve: bool) -> AwardMade:
        year = self.c.year
        meeting_id = self.c.meetings[(year, half_term)]
        with write_session(self.engine) as session:
            request = SupportRequest(
                school_id=self.c.school_ids[pounds % SCHOOLS], meeting_id=meeting_id,
                kind=RequestKind.INDIVIDUAL, status=RequestStatus.DECIDED, title="Support",
                main_area="Cognition and learning", academic_year=year,
                amount_pence=pence_from_pounds(pounds), duration_terms=terms)
            session.add(request)
            session.flush()
            award = Award(request_id=request.id or 0, meeting_id=meeting_id,
                          decision=Decision.FULL, amount_pence=pence_from_pounds(pounds),
                          terms=terms, from_reserve=from_reserve,
                          decided_on=half_term_start(AcademicYear(year), half_term))
            session.add(award)
            session.flush()
            if from_reserve:
                session.add(UrgentDecision(
                    request_id=request.id or 0, meeting_id=meeting_id, award_id=award.id,
                    amount_pence=award.amount_pence, terms=terms, status=UrgentStatus.AGREED,
                    proposed_by_id=self.c.host.user_id,
                    proposed_on=half_term_start(AcademicYear(year), half_term)))
            schedule_award(session, award, request.school_id, year, half_term,
                           award.decided_on or date(year, 9, 1))
            made = AwardMade(award.id or 0, meeting_id, year, half_term, terms,
                             award.amount_pence, from_reserve)
        self.c.awards.append(made)
        return made

    @rule(target=awards, round_index=st.integers(0, len(ROUNDS) - 1),
          pounds=st.integers(1, 40_000), terms=st.integers(1, 6))
    def award(self, round_index: int, pounds: int, terms: int) -> AwardMade:
        return self._award(ROUNDS[round_index], pounds, terms, from_reserve=False)

    @rule(target=awards, pounds=st.integers(1, 5_000), terms=st.integers(1, 3),
          half_term=st.sampled_from(HALF_TERMS))
    def urgent_award(self, pounds: int, terms: int, half_term: str) -> AwardMade:
        return self._award(half_term, pounds, terms, from_reserve=True)

    @rule(made=awards, spent_share=st.integers(0, 120))
    def stop(self, made: AwardMade, spent_share: int) -> None:
        if made.ended:
            return
        with write_session(self.engine) as session:
            award = session.get(Award, made.award_id)
            assert award is not None
            spent = made.amount_pence * spent_share // 100
            stopped, back = end_award_in(session, self.c.host, award, on=_today(),
                                         spent_pence=spent, end_reason=AwardEnd.STOPPED)
            instalments = session.exec(select(Instalment).where(
                Instalment.award_id == made.award_id)).all()
            # Stopped and kept add up to what was planned: no money appears or vanishes.
            assert sum(i.amount_pence for i in instalments) == made.amount_pence
            assert back.stopped_pence == stopped.stopped_pence
            assert back.total_pence <= made.amount_pence - made.returned_pence
            made.returned_pence = award.returned_pence
        made.ended = True

    @rule(made=awards, pounds=st.integers(1, 10_000))
    def take_money_back(self, made: AwardMade, pounds: int) -> None:
        held = made.amount_pence - made.returned_pence
        try:
            result = record_returned_money(self.engine, self.c.host, made.award_id,
                                           pence_from_pounds(pounds))
        except ClusterError:
            assert pence_from_pounds(pounds) > held
            return
        made.returned_pence = result.returned_pence

    @rule()
    def roll_over(self) -> None:
        if self.c.year != FIRST_YEAR or not self._ledger(FIRST_YEAR).set_up:
            return
        closing = self._ledger(FIRST_YEAR)
        os.environ["CLUSTER_TODAY"] = "2027-06-10"  # Summer 2: the year may close
        result = roll_over_year(self.engine, self.c.host, FIRST_YEAR)
        assert result.carried_forward_pence == max(0, closing.not_yet_awarded_pence)
        opened = self._ledger(FIRST_YEAR + 1)
        assert opened.carried_forward_pence == result.carried_forward_pence
        self.c.year = FIRST_YEAR + 1

    # --- what must always hold ----------------------------------------------------------------

    def _ledger(self, year: int) -> YearLedger:
        with read_session(self.engine) as session:
            return year_ledger(session, self.c.cluster_id, year)

    @invariant()
    def the_ledger_adds_up(self) -> None:
        for year in (FIRST_YEAR, FIRST_YEAR + 1):
            ledger = self._ledger(year)
            _check_year(ledger, self.c.awards)
        budget = budget_position(self.engine, self.c.host, self.c.year)
        assert [r.left_to_award_pence for r in budget.rows] == [
            r.left_to_award_pence for r in self._ledger(self.c.year).rounds]


def _today() -> date:
    return date.fromisoformat(os.environ["CLUSTER_TODAY"])


def _run(made: AwardMade, net: bool = True) -> AwardRun:
    amount = made.amount_pence - (made.returned_pence if net else 0)
    return AwardRun(made.meeting_id, made.academic_year, made.half_term, made.terms, amount)


def _check_year(ledger: YearLedger, awards: list[AwardMade]) -> None:
    year = ledger.academic_year
    paid_from_rounds = [a for a in awards if not a.from_reserve and a.academic_year <= year]
    # Awarded: this year's part of every award from released money, net of what came back.
    assert ledger.awarded_pence == sum(part_in_year(_run(a), year) for a in paid_from_rounds)
    assert ledger.returned_pence == sum(part_in_year(_run(a, net=False), year)
                                        - part_in_year(_run(a), year) for a in paid_from_rounds)
    assert ledger.returned_pence >= 0
    assert ledger.reserve.used_pence == sum(a.amount_pence for a in awards
                                      if a.from_reserve and a.academic_year == year)
    assert ledger.reserve.left_pence == ledger.pot.reserve_pence - ledger.reserve.used_pence
    assert ledger.not_yet_awarded_pence == ledger.available_pence - ledger.awarded_pence
    # The rounds chain: each starts where the one before ended.
    awarded = ledger.running_on_pence
    for r in ledger.rounds:
        assert r.awarded_before_pence == awarded
        awarded = r.awarded_so_far_pence
        assert r.left_to_award_pence == r.released_so_far_pence - r.awarded_so_far_pence
        assert r.money_for_round_pence - r.awarded_here_pence == r.left_to_award_pence
        assert r.left_in_pot_pence + r.later_years_pence == r.left_to_award_pence
        assert r.later_years_pence >= 0
        assert r.reserve == ledger.reserve
    assert awarded == ledger.awarded_pence
    assert sum(r.released_here_pence for r in ledger.rounds) == ledger.planned_pence
    if ledger.set_up:
        assert ledger.planned_pence <= max(ledger.available_pence, 0)
        last = ledger.rounds[-1]
        assert last.left_to_award_pence + ledger.unplanned_pence == ledger.not_yet_awarded_pence
    # Every pound of an award falls in exactly one year.
    for a in awards:
        assert sum(part_in_year(_run(a), y) for y in range(a.academic_year,
                                                              a.academic_year + 4)) == \
            a.amount_pence - a.returned_pence


def test_the_ledger_holds_through_random_sequences(engine: Engine) -> None:
    LedgerMachine.engine = engine
    run_state_machine_as_test(LedgerMachine, settings=settings(
        max_examples=8, stateful_step_count=12, deadline=None, derandomize=True,
        suppress_health_check=list(HealthCheck)))

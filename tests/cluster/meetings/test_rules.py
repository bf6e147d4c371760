"""The meeting's rules on their own, with hand-worked numbers."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from cluster.core.permissions import Actor
from cluster.funding.payments import instalment_plan
from cluster.meetings.rules import (
    DecisionFacts,
    decision_for,
    decision_problems,
    quorum_of,
    schools_needed,
)
from cluster.models import Role
from cluster.people.chairs import Chairs, item_chair, may_decide


@pytest.mark.parametrize(("schools", "fraction", "needed"),
                         [(12, 2 / 3, 8), (10, 2 / 3, 7), (9, 2 / 3, 6), (12, 3 / 4, 9),
                          (12, 1 / 2, 6), (5, 1.0, 5), (0, 2 / 3, 0)])
def test_two_thirds_of_twelve_schools_is_eight(schools: int, fraction: float,
                                                needed: int) -> None:
    assert schools_needed(schools, fraction) == needed


def test_a_school_is_represented_by_its_head_or_senco_not_by_a_governor_alone() -> None:
    marks = [(1, "headteacher", True), (2, "senco", True), (3, "governor", True),
             (4, "headteacher", False)]
    quorum = quorum_of([1, 2, 3, 4], marks, 1 / 2)
    assert (quorum.represented, quorum.needed, quorum.quorate) == (2, 2, True)
    assert not quorum_of([1, 2, 3, 4], marks, 3 / 4).quorate
    assert "can discuss but cannot record decisions" in quorum_of([1, 2, 3, 4], marks,
                                                                   3 / 4).message
    assert not quorum_of([1, 2], [], 1 / 2).quorate  # nothing recorded yet


CHAIRS = Chairs(10, "Sam Hardy", 1, 11, "Priya Okafor", 2)
HOST = Actor(10, "host", "Sam Hardy", Role.HOST, 1, 1)
DEPUTY = Actor(11, "deputy", "Priya Okafor", Role.HOST, 1, 2)


def test_the_deputy_chairs_the_hosts_own_school_and_the_host_the_rest() -> None:
    assert item_chair(CHAIRS, [1]) == (11, "Priya Okafor")
    assert item_chair(CHAIRS, [5]) == (10, "Sam Hardy")
    assert item_chair(CHAIRS, [5, 1]) == (11, "Priya Okafor")  # a joint project with the host
    assert may_decide(HOST, CHAIRS, [5]) == (True, "")
    allowed, why = may_decide(HOST, CHAIRS, [1], ["Wensum Valley High School"])
    assert not allowed and "own people do not decide" in why
    assert may_decide(DEPUTY, CHAIRS, [1]) == (True, "")
    allowed, why = may_decide(DEPUTY, CHAIRS, [5])
    assert not allowed and why == "Sam Hardy chairs this item and records its decision."
    allowed, why = may_decide(DEPUTY, CHAIRS, [2])  # the deputy's own school: the host chairs
    assert not allowed
    assert may_decide(HOST, CHAIRS, [2]) == (True, "")
    no_deputy = replace(CHAIRS, deputy_user_id=None)
    assert "no deputy host is set up" in may_decide(HOST, no_deputy, [5, 1])[1]
    allowed, why = may_decide(DEPUTY, CHAIRS, [2], ["Aylsham Road Primary School"])
    assert why.endswith("Sam Hardy chairs this item.")


FACTS = DecisionFacts(asked_pence=700_000, asked_terms=3, agreed_pence=700_000, deferred=False,
                      terms=3, suggested_pence=700_000, suggestion_locked=False, reason="",
                      length_reason="", decision_type="consensus", votes_for=None,
                      votes_against=None, votes_abstaining=None, deciding=9)


def fields(facts: DecisionFacts) -> list[str]:
    return [field for field, _ in decision_problems(facts)]


def test_an_award_as_suggested_needs_no_reason_but_a_different_one_does() -> None:
    assert decision_problems(FACTS) == []
    assert fields(replace(FACTS, agreed_pence=500_000)) == ["reason"]
    assert "differs from the suggested £7,000" in decision_problems(
        replace(FACTS, agreed_pence=500_000))[0][1]
    assert fields(replace(FACTS, agreed_pence=500_000, reason="Two terms only for now.")) == []


def test_every_decline_and_deferral_needs_a_reason_even_when_suggested() -> None:
    declined = replace(FACTS, agreed_pence=0, suggested_pence=0)
    assert fields(declined) == ["reason"]
    assert fields(replace(declined, reason="Graduated approach not yet evidenced.")) == []
    deferred = replace(FACTS, agreed_pence=0, deferred=True)
    assert "deferral" in decision_problems(deferred)[0][1]
    assert fields(replace(FACTS, deferred=True, reason="Waiting for the EP report.")) == [
        "agreed"]  # a deferral pays nothing at this meeting


def test_a_locked_suggestion_a_shorter_award_and_money_over_the_ask_are_refused() -> None:
    assert fields(replace(FACTS, suggestion_locked=True)) == ["reason"]
    assert fields(replace(FACTS, terms=2)) == ["why shorter"]
    assert fields(replace(FACTS, terms=2, length_reason="One year of funding left.")) == []
    assert fields(replace(FACTS, agreed_pence=700_100, reason="More than asked for.")) == [
        "agreed"]
    assert fields(replace(FACTS, agreed_pence=650_050, reason="Odd pence.")) == ["agreed"]


def test_a_vote_records_counts_that_carry_within_the_schools_deciding() -> None:
    vote = replace(FACTS, decision_type="vote", votes_for=6, votes_against=2, votes_abstaining=1)
    assert decision_problems(vote) == []
    assert fields(replace(vote, votes_for=None)) == ["votes"]
    assert "only 9 schools may vote" in decision_problems(replace(vote, votes_for=7))[0][1]
    assert "did not carry" in decision_problems(replace(vote, votes_for=2))[0][1]


def test_decision_follows_the_money() -> None:
    assert decision_for(700_000, 700_000, False) == "full"
    assert decision_for(500_000, 700_000, False) == "part"
    assert decision_for(0, 700_000, False) == "none"
    assert decision_for(0, 700_000, True) == "deferred"
    assert decision_for(149_600, 149_570, False) == "full"  # the whole pound above an ask in pence


def test_instalments_are_equal_one_a_term_odd_pounds_first_never_before_the_decision() -> None:
    plan = instalment_plan(1_000_000, 2026, "Spring 1", 3, date(2027, 1, 20))
    assert [(p.academic_year, p.half_term, p.due_on, p.amount_pence) for p in plan] == [
        (2026, "Spring 1", date(2027, 1, 20), 333_400),
        (2026, "Summer 1", date(2027, 4, 15), 333_300),
        (2027, "Autumn 1", date(2027, 9, 1), 333_300)]
    assert sum(p.amount_pence for p in plan) == 1_000_000
    assert [p.amount_pence for p in instalment_plan(500_000, 2026, "Autumn 2", 2,
                                                    date(2026, 11, 11))] == [250_000, 250_000]
    assert instalment_plan(0, 2026, "Autumn 2", 3, date(2026, 11, 11)) == []

"""The release plan and the budget position at each meeting, computed by hand."""

from __future__ import annotations

from datetime import date

import pytest

from cluster.funding import AwardRun, MeetingInYear, part_in_year, spread_evenly, year_budget
from cluster.funding.release import check_release_plan, half_term_parts


def test_spread_evenly_gives_whole_pounds_and_the_odd_pounds_to_the_earliest_rounds() -> None:
    assert spread_evenly(1_000_050, 3) == [333_400, 333_300, 333_300]
    assert sum(spread_evenly(1_000_050, 3)) == 1_000_000  # the odd 50p is never released
    assert spread_evenly(900, 0) == []
    assert spread_evenly(-500, 2) == [0, 0]


def test_a_plan_may_release_less_than_available_but_never_more() -> None:
    assert check_release_plan(100_000, [("Autumn 2", 50_000), ("Spring 1", 40_000)]) == []
    problems = check_release_plan(100_000, [("Autumn 2", 60_000), ("Spring 1", 50_000)])
    assert [p.meeting for p in problems] == ["the plan"]
    assert "£1,100, more than the £1,000 available" in problems[0].problem


def test_releases_are_whole_pounds_and_not_negative() -> None:
    problems = check_release_plan(100_000, [("Autumn 2", 10_050), ("Spring 1", -100)])
    assert [(p.meeting, p.problem) for p in problems] == [
        ("Autumn 2", "the release must be whole pounds"),
        ("Spring 1", "the release cannot be negative")]


def test_a_three_term_award_is_spread_over_six_half_terms_and_counted_once() -> None:
    award = AwardRun(1, 2026, "Summer 1", 3, 600_000)
    parts = half_term_parts(award)
    assert [span for span, _ in parts] == [
        (2026, "Summer 1"), (2026, "Summer 2"), (2027, "Autumn 1"), (2027, "Autumn 2"),
        (2027, "Spring 1"), (2027, "Spring 2")]
    assert part_in_year(award, 2026) == 200_000  # a third this year
    assert part_in_year(award, 2027) == 400_000  # two-thirds next year
    assert part_in_year(award, 2025) == 0
    assert part_in_year(award, 2026) + part_in_year(award, 2027) == award.amount_pence


def test_odd_pence_are_never_lost_when_an_award_is_split() -> None:
    award = AwardRun(1, 2026, "Spring 2", 2, 100_001)
    assert sum(pence for _, pence in half_term_parts(award)) == 100_001
    assert part_in_year(award, 2026) + part_in_year(award, 2027) == 100_001


MEETINGS = [
    MeetingInYear(11, "Autumn 1", date(2026, 9, 16), False, 0),
    MeetingInYear(12, "Autumn 2", date(2026, 11, 11), True, 400_000),
    MeetingInYear(13, "Spring 1", date(2027, 1, 20), True, 300_000),
    MeetingInYear(14, "Summer 1", date(2027, 5, 5), True, 200_000),
    # A meeting that is not a funding round releases nothing, whatever it holds.
    MeetingInYear(15, "Summer 2", date(2027, 6, 16), False, 99_999),
]


def test_budget_position_after_each_meeting() -> None:
    awards = [
        AwardRun(12, 2026, "Autumn 2", 3, 300_000),  # five of its six half-terms this year
        AwardRun(14, 2026, "Summer 1", 3, 150_000),  # one third this year
        AwardRun(9, 2025, "Summer 1", 3, 90_000),  # made last year: two-thirds run this year
    ]
    budget = year_budget(academic_year=2026, available_pence=1_000_000, reserve_pence=50_000,
                         meetings=list(reversed(MEETINGS)), awards=awards)
    assert budget.running_on_pence == 60_000
    assert budget.planned_pence == 900_000 and budget.unplanned_pence == 100_000
    table = [(p.half_term, p.released_so_far_pence, p.awarded_here_pence,
              p.awarded_so_far_pence, p.left_to_award_pence, p.still_to_release_pence)
             for p in budget.positions]
    assert table == [
        ("Autumn 1", 0, 0, 60_000, -60_000, 1_000_000),
        ("Autumn 2", 400_000, 250_000, 310_000, 90_000, 600_000),
        ("Spring 1", 700_000, 0, 310_000, 390_000, 300_000),
        ("Summer 1", 900_000, 50_000, 360_000, 540_000, 100_000),
        ("Summer 2", 900_000, 0, 360_000, 540_000, 100_000),
    ]
    assert {p.reserve_pence for p in budget.positions} == {50_000}


def test_awards_from_a_later_year_do_not_count() -> None:
    budget = year_budget(academic_year=2026, available_pence=0, reserve_pence=0,
                         meetings=MEETINGS, awards=[AwardRun(99, 2027, "Autumn 2", 1, 10_000)])
    assert budget.running_on_pence == 0
    assert all(p.awarded_so_far_pence == 0 for p in budget.positions)


@pytest.mark.parametrize("terms", [1, 2, 3, 6])
def test_an_award_is_counted_once_across_all_the_years_it_runs(terms: int) -> None:
    award = AwardRun(1, 2026, "Summer 2", terms, 123_400)
    years = range(2025, 2030)
    assert sum(part_in_year(award, y) for y in years) == 123_400

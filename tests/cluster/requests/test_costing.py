"""The provision map: hand-computed lines, and a property that the lines always add up."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from cluster.requests.costing import (
    DEFAULT_STAFF_RATES,
    ItemLine,
    StaffLine,
    StaffRate,
    cost_provision,
    places_paid_for,
    rate_table,
    staff_cost_pence,
)

RATES = rate_table(DEFAULT_STAFF_RATES)
TA = "Teaching assistant (TA)"


def test_two_hours_a_week_of_a_ta_for_a_school_year() -> None:
    # 120 min = 2 h × 38 weeks × £17.20 = £1,307.20
    assert staff_cost_pence(1_720, 120, 38) == 130_720


def test_a_pupils_share_of_a_group_is_divided_by_the_group_size() -> None:
    assert staff_cost_pence(1_720, 120, 38, group_size=4) == 32_680
    # a group request paying for three of the four places
    assert staff_cost_pence(1_720, 120, 38, group_size=4, pupils_paid_for=3) == 98_040


def test_rounding_is_to_the_nearest_penny_half_up() -> None:
    # £17.20 × 25/60 h × 1 week ÷ 3 = 238.888… pence
    assert staff_cost_pence(1_720, 25, 1, group_size=3) == 239


def test_kinds_pay_for_their_own_places() -> None:
    line = StaffLine(TA, 60, group_size=6, weeks=38)
    one = cost_provision([line], [], RATES, pupils_paid_for=1)
    group = cost_provision([line], [], RATES, pupils_paid_for=6)
    project = cost_provision([line], [], RATES, pupils_paid_for=None)
    assert one.total_pence == 10_893
    assert group.total_pence == project.total_pence == 65_360
    assert "÷ group of 6" in one.lines[0].label and "(whole group)" in group.lines[0].label


def test_senco_time_is_marked_and_unknown_grades_are_left_to_the_checks() -> None:
    result = cost_provision([StaffLine("SENCO", 30), StaffLine("Butler", 30)],
                            [ItemLine("Books", 5_000)], RATES)
    assert [line.staff_grade for line in result.senco_lines] == ["SENCO"]
    assert len(result.lines) == 2


def test_a_stored_line_tells_how_many_places_it_paid_for() -> None:
    assert places_paid_for(1_720, 120, 38, 4, 98_040) == 3


staff_lines = st.builds(StaffLine, grade=st.sampled_from([r.grade for r in DEFAULT_STAFF_RATES]),
                        minutes_per_week=st.integers(1, 1_920), group_size=st.integers(1, 30),
                        weeks=st.integers(1, 52))
item_lines = st.builds(ItemLine, description=st.just("Resources"),
                       cost_pence=st.integers(1, 10_000_000))
rates = st.lists(st.builds(StaffRate, grade=st.sampled_from([r.grade for r in DEFAULT_STAFF_RATES]),
                           pence_per_hour=st.integers(1, 50_000)), min_size=1)


@given(st.lists(staff_lines, max_size=8), st.lists(item_lines, max_size=5), rates,
       st.one_of(st.none(), st.integers(1, 30)))
def test_the_total_always_equals_the_lines(staff: list[StaffLine], items: list[ItemLine],
                                           table: list[StaffRate], paid_for: int | None) -> None:
    table_by_grade = rate_table(table)
    result = cost_provision(staff, items, table_by_grade, pupils_paid_for=paid_for)
    assert result.total_pence == sum(line.cost_pence for line in result.lines)
    assert all(isinstance(line.cost_pence, int) and line.cost_pence >= 0 for line in result.lines)
    assert len(result.lines) == len(items) + sum(1 for s in staff if s.grade in table_by_grade)
    # a share never costs more than the whole session
    for line in result.lines:
        if line.staff_grade:
            whole = staff_cost_pence(line.rate_pence_per_hour, line.minutes_per_week, line.weeks)
            assert line.cost_pence <= whole

"""The audit finds every hidden figure that arithmetic on the shown ones gives away."""

from __future__ import annotations

import random
import time
from itertools import product

from cluster.disclosure.audit import NO_LIMIT, audit, describe
from cluster.disclosure.figures import Figure, FigureSet, Relation, difference, total_of
from cluster.disclosure.joint import protect


def _figures(values: dict[str, int], hidden: set[str], money: dict[str, int] | None = None
             ) -> FigureSet:
    figures = FigureSet()
    for name, value in values.items():
        largest = (money or {}).get(name)
        figures.add(Figure(name, value, "money" if largest is not None else "count",
                           name not in hidden, largest or 0))
    return figures


def test_a_lone_hidden_part_of_a_shown_total_is_found() -> None:
    figures = _figures({"a": 3, "b": 9, "c": 12, "total": 24}, {"a"})
    figures.relate(total_of("total", ["a", "b", "c"]))
    result = audit(figures)
    assert [(r.name, r.low, r.high, r.passes) for r in result.ranges] == [("a", 3, 3, False)]


def test_two_hidden_parts_of_a_total_pass_when_the_range_is_wide() -> None:
    figures = _figures({"a": 3, "b": 9, "c": 12, "total": 24}, {"a", "b"})
    figures.relate(total_of("total", ["a", "b", "c"]))
    result = audit(figures)
    assert {r.name: (r.low, r.high) for r in result.ranges} == {"a": (0, 12), "b": (0, 12)}
    assert not result.failures
    assert describe(result).endswith("none can be worked out or narrowed down")


def test_a_partner_another_table_pins_to_zero_is_caught() -> None:
    # Reepham's small group: 1 of 8 pupils; the partner hidden beside it is 7 in this table but
    # the same pupils' other table shows that figure's own parts, giving it away: 8 - 7 = 1.
    figures = _figures({"small": 1, "large": 7, "all": 8, "large_a": 7, "large_b": 0},
                       {"small", "large"})
    figures.relate(total_of("all", ["small", "large"]))
    figures.relate(total_of("large", ["large_a", "large_b"]))
    failing = {r.name: (r.low, r.high) for r in audit(figures).failures}
    assert failing == {"small": (1, 1), "large": (7, 7)}


def test_a_hidden_year_is_found_from_the_years_either_side() -> None:
    # 2027/28 shows 8 pupils with leavers hidden, 2028/29 shows 6: 2 leave.
    figures = _figures({"pupils27": 8, "leaving27": 2, "pupils28": 6}, {"leaving27"})
    figures.relate(difference("pupils28", "pupils27", "leaving27"))
    assert [(r.low, r.high) for r in audit(figures).failures] == [(2, 2)]


def test_a_school_total_over_all_years_gives_away_its_one_hidden_year() -> None:
    values = {"y23": 1, "y24": 2, "y25": 1, "all": 4, "met23": 1, "met24": 2, "met25": 1,
              "met_all": 4}
    figures = _figures(values, {"y23", "met23", "y24", "met24", "y25", "met25", "all", "met_all"})
    figures.relate(total_of("all", ["y23", "y24", "y25"]))
    figures.relate(total_of("met_all", ["met23", "met24", "met25"]))
    assert not audit(figures).failures  # all hidden: a total of 4 does not read "4"
    shown = _figures(values, {"y23", "met23"})
    shown.relations = figures.relations
    assert {r.name: (r.low, r.high) for r in audit(shown).failures} == {
        "y23": (1, 1), "met23": (1, 1)}


def test_hidden_money_must_leave_more_room_than_its_largest_award() -> None:
    # Received this year minus awarded so far: one urgent award of £333.34 stands alone.
    figures = _figures({"received": 100_000, "awarded": 66_666, "urgent": 33_334}, {"urgent"},
                       money={"urgent": 33_334})
    figures.relate(total_of("received", ["awarded", "urgent"]))
    assert [(r.low, r.high) for r in audit(figures).failures] == [(33_334, 33_334)]


def test_a_count_bound_that_the_lp_leaves_fractional_is_solved_in_whole_numbers() -> None:
    # Three figures linked in a triangle: each is pinned although no line has a lone unknown.
    figures = _figures({"x": 1, "y": 1, "z": 1, "xy": 2, "yz": 2, "xz": 2}, {"x", "y", "z"})
    figures.relate(total_of("xy", ["x", "y"]))
    figures.relate(total_of("yz", ["y", "z"]))
    figures.relate(total_of("xz", ["x", "z"]))
    assert {r.name: (r.low, r.high) for r in audit(figures).ranges} == {
        "x": (1, 1), "y": (1, 1), "z": (1, 1)}


def test_a_few_hundred_linked_figures_take_well_under_a_second() -> None:
    figures = FigureSet()
    grid = [[(row * 7 + col * 3) % 11 for col in range(10)] for row in range(30)]
    for row, cells in enumerate(grid):
        for col, value in enumerate(cells):
            figures.add(Figure(f"c{row}.{col}", value, shown=not 0 < value < 5))
        figures.add(Figure(f"r{row}", sum(cells), shown=False))
        figures.relate(total_of(f"r{row}", [f"c{row}.{col}" for col in range(10)]))
    for col in range(10):
        figures.add(Figure(f"k{col}", sum(cells[col] for cells in grid)))
        figures.relate(total_of(f"k{col}", [f"c{row}.{col}" for row in range(30)]))
    started = time.perf_counter()
    result = audit(figures)
    assert result.checked > 130
    assert time.perf_counter() - started < 2.0


def test_joint_suppression_never_takes_a_partner_another_table_pins_to_zero() -> None:
    # Small group 1 of 8; "large" (7) is pinned by its own shown parts, "other" (5) is not.
    figures = _figures({"small": 1, "large": 7, "other": 5, "all": 13, "large_a": 7,
                        "large_b": 0}, {"small"})
    figures.relate(total_of("all", ["small", "large", "other"]))
    figures.relate(total_of("large", ["large_a", "large_b"]))
    protect(figures)
    result = audit(figures)
    assert not result.failures
    assert not figures.is_shown("other") and figures.is_shown("large")


def test_joint_suppression_across_years_hides_enough_that_no_year_is_given_away() -> None:
    figures = _figures({"pupils27": 8, "leaving27": 2, "pupils28": 6, "leaving28": 6},
                       {"leaving27"})
    figures.relate(difference("pupils28", "pupils27", "leaving27"))
    figures.relate(Relation((("pupils28", 1), ("leaving28", -1))))  # all leave in the last year
    protect(figures)
    result = audit(figures)
    assert not result.failures and result.hidden >= 2


def test_money_tied_to_a_count_is_hidden_with_it() -> None:
    figures = _figures({"pupils": 3, "pounds": 9_000, "others": 9, "others_pounds": 27_000,
                        "all": 12, "all_pounds": 36_000}, {"pupils"},
                       money={"pounds": 3_000, "others_pounds": 3_000, "all_pounds": 3_000})
    figures.tie("pupils", "pounds")
    figures.tie("others", "others_pounds")
    figures.tie("all", "all_pounds")
    figures.hide(["pupils"])
    figures.relate(total_of("all", ["pupils", "others"]))
    figures.relate(total_of("all_pounds", ["pounds", "others_pounds"]))
    protect(figures)
    result = audit(figures)
    assert not figures.is_shown("pounds") and not result.failures


def _brute_force(figures: FigureSet, top: int) -> dict[str, tuple[int, int]]:
    """Every whole-number filling of the hidden figures up to `top`: the true ranges."""
    hidden = [f.name for f in figures.hidden()]
    known = {f.name: f.value for f in figures.shown()}
    found: dict[str, tuple[int, int]] = {}
    for values in product(range(top + 1), repeat=len(hidden)):
        trial = known | dict(zip(hidden, values, strict=True))
        if all(sum(c * trial[n] for n, c in r.terms) == r.constant for r in figures.relations):
            for name, value in zip(hidden, values, strict=True):
                low, high = found.get(name, (value, value))
                found[name] = (min(low, value), max(high, value))
    return found


def test_the_ranges_are_exactly_what_whole_numbers_allow() -> None:
    draw = random.Random(18)
    for _ in range(40):
        grid = [[draw.randint(0, 4) for _ in range(3)] for _ in range(2)]
        figures = FigureSet()
        for r, row in enumerate(grid):
            for c, value in enumerate(row):
                figures.add(Figure(f"c{r}{c}", value))
            figures.add(Figure(f"row{r}", sum(row)))
            figures.relate(total_of(f"row{r}", [f"c{r}{c}" for c in range(3)]))
        for c in range(3):
            figures.add(Figure(f"col{c}", grid[0][c] + grid[1][c]))
            figures.relate(total_of(f"col{c}", [f"c0{c}", f"c1{c}"]))
        figures.hide(draw.sample(sorted(figures.figures), 3))
        expected = _brute_force(figures, 13)  # no figure is above 12
        for found in audit(figures).ranges:
            low, high = expected[found.name]
            assert found.low == low
            # A range with no upper end reaches the search's end, less what the others take.
            assert found.high == high if found.high < NO_LIMIT["count"] / 2 else high >= 9

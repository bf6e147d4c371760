"""Money's changes of unit: what a form reads, what a chart shows, what a share comes to."""

from __future__ import annotations

import pytest

from cluster.common.money import (
    format_pounds,
    is_whole_pounds,
    odd_pence,
    pence_from_entry,
    pence_from_pounds,
    percent_of,
    pounds_figure,
    pounds_from_figure,
    pounds_up,
    round_down_to,
    share_of,
    whole_pounds,
)


def test_pounds_and_pence_both_ways() -> None:
    assert pence_from_pounds(1_234) == 123_400
    assert whole_pounds(123_456) == 1_234
    assert pounds_up(123_401) == 1_235  # an ask with pence is funded by the next whole pound
    assert pounds_up(123_400) == 1_234
    assert is_whole_pounds(500) and not is_whole_pounds(501)
    assert odd_pence(123_456) == 56
    assert format_pounds(123_456) == "£1,234.56" and format_pounds(-500) == "-£5"


@pytest.mark.parametrize(("typed", "pence"), [
    (0.29, 29),  # 0.29 * 100 is 28.999999999999996 in floating point
    (12.345, 1_235), ("1234.5", 123_450), (7, 700), (1.005, 101),
])
def test_a_typed_amount_is_read_to_the_nearest_penny(typed: float | str, pence: int) -> None:
    assert pence_from_entry(typed) == pence


@pytest.mark.parametrize("typed", ["twelve", "nan", float("inf"), None])
def test_a_typed_amount_that_is_not_a_number_is_refused(typed: object) -> None:
    with pytest.raises(ValueError, match="not an amount in pounds"):
        pence_from_entry(typed)  # type: ignore[arg-type]


def test_shares_and_percentages_to_the_nearest_penny() -> None:
    assert share_of(100_000, 1, 3) == 33_333
    assert share_of(100_000, 2, 3) == 66_667
    assert share_of(100_000, 1, 0) == 0  # nothing to share by
    assert percent_of(1_234_500, 5) == 61_725
    assert round_down_to(123_456, 1_000) == 123_000
    assert pounds_from_figure(2.5) == 2 and pounds_from_figure(3.5) == 4  # as round() does
    assert pounds_figure(123_456) == 1234.56

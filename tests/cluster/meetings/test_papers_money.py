"""Governors' minutes group lines: the total less the shown lines never gives a hidden line's
money away (issue 18: the part-funded £2,544 worked out from the minutes' total)."""

from __future__ import annotations

from cluster.meetings.grouped import grouped


def test_a_hidden_line_s_money_is_not_the_total_less_the_shown_lines() -> None:
    funded = [(1, 5, 100_000)] * 4
    part_funded = [(1, 2, 254_400)]
    declined = [(1, 7, 0)]
    lines, total = grouped(["Funded", "Part-funded", "Declined"], [funded, part_funded, declined])
    part = lines[1]
    assert part.pupils is None and part.first_pence is None
    if total.first_pence is not None:
        shown = sum(line.first_pence or 0 for line in lines)
        hidden_lines = [line for line in lines if line.first_pence is None]
        # The hidden lines share what is left with at least one line holding money of its own.
        assert len(hidden_lines) >= 2 and total.first_pence - shown > 254_400

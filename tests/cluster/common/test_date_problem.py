"""Typed dates: an impossible day is refused with the reason, never moved to a real one."""

from __future__ import annotations

from datetime import date

import pytest

from cluster.common.calendar import date_problem, parse_date


@pytest.mark.parametrize(("typed", "problem"), [
    ("31/02/2026", "31/02/2026 is not a date: February 2026 has 28 days"),
    ("29/02/2027", "February 2027 has 28 days"),
    ("31/04/2027", "April 2027 has 30 days"),
    ("03/13/2027", "there is no month 13"),
    ("2027-03-03", "write it as DD/MM/YYYY"),
    ("", "write it as DD/MM/YYYY"),
])
def test_impossible_dates_are_refused_with_the_reason(typed: str, problem: str) -> None:
    assert problem in (date_problem(typed) or "")
    with pytest.raises(ValueError, match="not a date"):
        parse_date(typed)


def test_real_dates_are_read_day_first() -> None:
    assert parse_date("29/02/2028") == date(2028, 2, 29)
    assert parse_date(" 3/3/2027 ") == date(2027, 3, 3)
    assert date_problem("03/03/2027") is None

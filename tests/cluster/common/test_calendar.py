from __future__ import annotations

from datetime import date

import pytest

from cluster.common.calendar import (
    AcademicYear,
    academic_year_of,
    age_on_31_august,
    format_date,
    half_term_of,
    year_group_label,
)
from cluster.common.money import format_pounds
from cluster.core.clock import today


@pytest.mark.parametrize(("day", "start", "label"), [
    (date(2026, 9, 1), 2026, "2026/27"), (date(2027, 8, 31), 2026, "2026/27"),
    (date(2026, 8, 31), 2025, "2025/26"),
])
def test_academic_year_runs_september_to_august(day: date, start: int, label: str) -> None:
    assert academic_year_of(day) == AcademicYear(start)
    assert academic_year_of(day).label == label


@pytest.mark.parametrize(("day", "half_term"), [
    (date(2026, 9, 1), "Autumn 1"), (date(2026, 11, 23), "Autumn 2"),
    (date(2027, 1, 5), "Spring 1"), (date(2027, 3, 10), "Spring 2"),
    (date(2027, 5, 1), "Summer 1"), (date(2027, 7, 20), "Summer 2"),
])
def test_half_term_of(day: date, half_term: str) -> None:
    assert half_term_of(day) == half_term


@pytest.mark.parametrize(("birth", "year", "label"), [
    ((2022, 8), 2026, "Reception"), ((2022, 9), 2026, "Nursery"),
    ((2016, 8), 2026, "Year 6"), ((2016, 9), 2026, "Year 5"), ((2011, 9), 2026, "Year 10"),
    ((2011, 3), 2026, "Year 11"),
])
def test_year_group_from_age_on_31_august(birth: tuple[int, int], year: int, label: str) -> None:
    assert year_group_label(age_on_31_august(*birth, AcademicYear(year))) == label


def test_british_dates_and_money() -> None:
    assert format_date(date(2027, 1, 5)) == "05/01/2027"
    assert format_pounds(123_456_700) == "£1,234,567"
    assert format_pounds(12_345) == "£123.45"
    assert format_pounds(-50_000) == "-£500"


def test_the_clock_can_be_pinned(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", "2027-03-01")
    assert today() == date(2027, 3, 1)
    monkeypatch.setenv("CLUSTER_TODAY", "01/03/2027")
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        today()


def test_an_award_runs_two_half_terms_a_term_across_the_year_end() -> None:
    from cluster.common.calendar import award_half_terms

    assert award_half_terms(2026, "Summer 1", 2) == [
        (2026, "Summer 1"), (2026, "Summer 2"), (2027, "Autumn 1"), (2027, "Autumn 2")]
    assert award_half_terms(2026, "Autumn 1", 3)[-1] == (2026, "Summer 2")

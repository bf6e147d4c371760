"""Protected pupil-tied funding (PSF): the end date from the year-group rule, and each event."""

from __future__ import annotations

from datetime import date

import pytest

from cluster.common.calendar import YEAR_GROUPS, year_group_label
from cluster.funding import PsfEvent, PsfEventKind, apply_events, psf_end_date, release_forecast
from cluster.funding.psf import END_OF_PHASE, ProtectedFunding

PHASE_YEAR_GROUPS = {
    "nursery": {"Nursery"},
    "primary": {"Reception"} | {f"Year {n}" for n in range(1, 7)},
    "secondary": {f"Year {n}" for n in range(7, 12)},
}
BIRTHS = [(year, month) for year in range(1996, 2023) for month in range(1, 13)]


def age_on_31_august(birth_year: int, birth_month: int, academic_year_start: int) -> int:
    """DESIGN.md §3: the year group comes from the age on the 31 August the year starts."""
    birthday_passed = date(academic_year_start, birth_month, 1) <= date(academic_year_start, 8, 31)
    return academic_year_start - birth_year - (0 if birthday_passed else 1)


def end_by_year_groups(birth_year: int, birth_month: int, phase: str) -> date:
    """The 31 August after the last academic year the child, by age, spends in the phase."""
    in_phase = [start for start in range(birth_year, birth_year + 20)
                if year_group_label(age_on_31_august(birth_year, birth_month, start))
                in PHASE_YEAR_GROUPS[phase]]
    return date(max(in_phase) + 1, 8, 31)


def test_the_issue_example() -> None:
    assert psf_end_date(birth_year=2016, birth_month=8, phase="primary") == date(2027, 8, 31)


@pytest.mark.parametrize("phase", ["nursery", "primary", "secondary"])
def test_every_birth_month_1996_to_2022_matches_the_year_group_rule(phase: str) -> None:
    for birth_year, birth_month in BIRTHS:
        expected = end_by_year_groups(birth_year, birth_month, phase)
        assert psf_end_date(birth_year, birth_month, phase) == expected, (birth_year, birth_month)


@pytest.mark.parametrize("phase", ["nursery", "primary", "secondary"])
def test_august_and_september_births_are_a_school_year_apart(phase: str) -> None:
    for birth_year in range(1996, 2023):
        august = psf_end_date(birth_year, 8, phase)
        september = psf_end_date(birth_year, 9, phase)
        assert september == date(august.year + 1, 8, 31)
        assert {psf_end_date(birth_year, m, phase) for m in range(1, 9)} == {august}
        assert {psf_end_date(birth_year, m, phase) for m in range(9, 13)} == {september}


def test_nursery_ends_before_primary_which_ends_before_secondary() -> None:
    for birth_year, birth_month in BIRTHS:
        nursery, primary, secondary = (psf_end_date(birth_year, birth_month, p)
                                       for p in ("nursery", "primary", "secondary"))
        assert nursery < primary < secondary
        assert primary.year - nursery.year == 7  # Reception to Year 6
        assert secondary.year - primary.year == 5  # Year 7 to Year 11
        assert all(d.month == 8 and d.day == 31 for d in (nursery, primary, secondary))


def test_year_six_and_eleven_are_the_years_the_child_turns_11_and_16() -> None:
    for birth_year, birth_month in BIRTHS:
        primary = psf_end_date(birth_year, birth_month, "primary")
        secondary = psf_end_date(birth_year, birth_month, "secondary")
        turns_11 = date(birth_year + 11, birth_month, 1)
        turns_16 = date(birth_year + 16, birth_month, 1)
        assert date(primary.year - 1, 9, 1) <= turns_11 <= primary
        assert date(secondary.year - 1, 9, 1) <= turns_16 <= secondary


def test_judged_by_age_not_the_year_group_taught_in() -> None:
    """FAQ 5: a child kept in primary when their age group moves to Year 7 loses the funding as
    though they had moved. The rule has no year-group input, so teaching group cannot change it."""
    born_june_2014 = psf_end_date(2014, 6, "primary")
    assert born_june_2014 == date(2025, 8, 31)
    assert YEAR_GROUPS.index("Year 6") == YEAR_GROUPS.index("Reception") + 6


@pytest.mark.parametrize(("year", "month", "phase", "message"), [
    (2016, 13, "primary", "Birth month must be 1 to 12, not 13"),
    (2016, 0, "primary", "Birth month must be 1 to 12, not 0"),
    (2016, 5, "junior", 'Phase must be one of "nursery", "primary", "secondary"'),
    (2016, 5, "", "Phase must be one of"),
    (1066, 5, "primary", "not a plausible year of birth"),
])
def test_bad_input_is_a_readable_value_error(year: int, month: int, phase: str,
                                             message: str) -> None:
    with pytest.raises(ValueError, match=message):
        psf_end_date(birth_year=year, birth_month=month, phase=phase)


def test_a_month_that_is_not_a_number_is_refused() -> None:
    with pytest.raises(ValueError, match="whole number"):
        psf_end_date(2016, "May", "primary")  # type: ignore[arg-type]  # a wrong type on purpose


# --- events ---------------------------------------------------------------------------------------


def outcome(phase: str, *events: PsfEvent, born: tuple[int, int] = (2018, 5)):
    return apply_events(birth_year=born[0], birth_month=born[1], phase=phase, school="Infant",
                        events=events)


def test_with_no_events_the_funding_stays_to_the_end_of_the_phase() -> None:
    result = outcome("primary")
    assert (result.school, result.ends_on, result.end_reason) == (
        "Infant", date(2029, 8, 31), END_OF_PHASE)


def test_moving_from_nursery_to_reception_ends_the_funding_on_the_day() -> None:
    result = outcome("nursery", PsfEvent(PsfEventKind.NURSERY_TO_RECEPTION, date(2022, 7, 15)),
                     born=(2018, 5))
    assert result.ends_on == date(2022, 7, 15)
    assert result.end_reason == PsfEventKind.NURSERY_TO_RECEPTION
    assert psf_end_date(2018, 5, "nursery") == date(2022, 8, 31)


def test_only_a_nursery_child_moves_from_nursery_to_reception() -> None:
    with pytest.raises(ValueError, match="nursery phase"):
        outcome("primary", PsfEvent(PsfEventKind.NURSERY_TO_RECEPTION, date(2022, 7, 15)))


def test_a_casual_move_ends_the_funding() -> None:
    result = outcome("primary", PsfEvent(PsfEventKind.CASUAL_MOVE, date(2024, 2, 12), "Elsewhere"))
    assert (result.school, result.ends_on, result.end_reason) == (
        "Infant", date(2024, 2, 12), PsfEventKind.CASUAL_MOVE)


def test_a_managed_move_takes_the_funding_to_the_receiving_school_to_the_phase_end() -> None:
    result = outcome("primary", PsfEvent(PsfEventKind.MANAGED_MOVE, date(2024, 2, 12), "Other"))
    assert (result.school, result.ends_on) == ("Other", date(2029, 8, 31))
    assert [(s.school, s.ends) for s in result.spells] == [
        ("Infant", date(2024, 2, 12)), ("Other", date(2029, 8, 31))]


def test_a_planned_infant_to_junior_transfer_follows_the_child() -> None:
    result = outcome("primary", PsfEvent(PsfEventKind.PLANNED_TRANSFER, date(2025, 9, 3),
                                         "Junior"))
    assert (result.school, result.ends_on, result.end_reason) == (
        "Junior", date(2029, 8, 31), END_OF_PHASE)


def test_a_managed_move_must_name_the_receiving_school() -> None:
    with pytest.raises(ValueError, match="receiving school"):
        outcome("primary", PsfEvent(PsfEventKind.MANAGED_MOVE, date(2024, 2, 12)))


def test_events_apply_in_date_order_and_nothing_moves_after_the_funding_ends() -> None:
    result = outcome("primary",
                     PsfEvent(PsfEventKind.MANAGED_MOVE, date(2026, 1, 5), "Third"),
                     PsfEvent(PsfEventKind.PLANNED_TRANSFER, date(2025, 9, 3), "Junior"),
                     PsfEvent(PsfEventKind.CASUAL_MOVE, date(2027, 3, 1), "Away"),
                     PsfEvent(PsfEventKind.MANAGED_MOVE, date(2027, 6, 1), "Never"))
    assert [s.school for s in result.spells] == ["Infant", "Junior", "Third"]
    assert (result.school, result.ends_on) == ("Third", date(2027, 3, 1))


def test_an_event_after_the_phase_has_ended_changes_nothing() -> None:
    result = outcome("primary", PsfEvent(PsfEventKind.CASUAL_MOVE, date(2030, 1, 1), "Away"))
    assert (result.ends_on, result.end_reason) == (date(2029, 8, 31), END_OF_PHASE)


# --- the release forecast -------------------------------------------------------------------------


def test_forecast_releases_each_pupils_money_after_their_last_year() -> None:
    pupils = [ProtectedFunding("A", date(2027, 8, 31), 500_000),
              ProtectedFunding("A", date(2029, 8, 31), 300_000),
              ProtectedFunding("B", date(2027, 8, 31), 200_000),
              ProtectedFunding("B", date(2026, 8, 31), 999_999)]  # ended before the forecast
    rows = release_forecast(pupils, 2026)
    table = [(r.academic_year, r.school, r.pupils_protected, r.protected_pence, r.pupils_leaving,
              r.released_pence) for r in rows]
    assert table == [
        (2026, "A", 2, 800_000, 1, 500_000),
        (2026, "B", 1, 200_000, 1, 200_000),
        (2027, "A", 1, 300_000, 0, 0),
        (2028, "A", 1, 300_000, 1, 300_000),
    ]
    assert sum(r.released_pence for r in rows) == 1_000_000


def test_forecast_is_empty_when_no_one_is_protected() -> None:
    assert release_forecast([], 2026) == []

"""The protected-funding forecast hides leavers so that no year gives another away."""

from __future__ import annotations

from cluster.disclosure.audit import audit
from cluster.funding.protected_figures import figure_name, forecast_figures, forecast_pattern
from cluster.funding.psf import ReleaseForecastRow
from tests.helpers.random_clusters import audit_random_cluster


def _forecast(schools: dict[str, list[tuple[int, int]]]) -> list[ReleaseForecastRow]:
    """Per school, (pupils, leaving) each year from 2026; £8,000 a pupil."""
    rows = []
    for school, years in schools.items():
        for offset, (pupils, leaving) in enumerate(years):
            rows.append(ReleaseForecastRow(2026 + offset, school, pupils, pupils * 800_000,
                                           leaving, leaving * 800_000))
    return sorted(rows, key=lambda r: (r.academic_year, r.school))


ISSUE_EXAMPLE = {"Reepham": [(10, 2), (8, 2), (6, 6)], "Aylsham": [(9, 0), (9, 3), (6, 6)],
                 "Cawston": [(7, 1), (6, 6)]}


def test_leavers_hidden_year_by_year_are_found_by_subtracting_years() -> None:
    figures = forecast_figures(_forecast(ISSUE_EXAMPLE), {})
    failing = {r.name for r in audit(figures).failures}
    assert figure_name(2027, "Reepham", "leaving") in failing  # 8 - 6 = 2


def test_the_joint_pattern_leaves_nothing_to_work_out() -> None:
    pattern = forecast_pattern(_forecast(ISSUE_EXAMPLE), {})  # as the LA adviser sees it
    assert not audit(pattern).failures
    assert not pattern.is_shown(figure_name(2027, "Reepham", "leaving"))
    assert not pattern.is_shown(figure_name(2027, "Reepham", "released"))


def test_ten_random_small_clusters_give_nothing_away_to_any_reader() -> None:
    for seed in range(10):
        for check in audit_random_cluster(seed):
            assert check.result.failures == (), (seed, check.reader)
            assert check.result.checked > 0

from __future__ import annotations

import pytest

from cluster.funding import build_pot


def test_pot_lines_add_up_to_available_for_new_awards() -> None:
    pot = build_pot(schools=[("A", 100), ("B", 250)], per_pupil_rate_pence=2_000,
                    fixed_sum_pence=500_000, carried_forward_pence=100_000,
                    psf_redistributed_pence=50_000, top_slices=[("Host's time", 200_000)],
                    reserve_percent=10)
    # formula: 100×£20 + £5,000 + 250×£20 + £5,000 = £17,000
    assert pot.formula_pence == 1_700_000
    assert [line.pence for line in pot.lines] == [1_700_000, 100_000, 50_000, -200_000, -165_000]
    assert pot.available_pence == 1_485_000
    assert sum(line.pence for line in pot.lines) == pot.available_pence


def test_available_is_whole_pounds_and_odd_pence_stay_in_reserve() -> None:
    pot = build_pot(schools=[("A", 333)], per_pupil_rate_pence=2_153, fixed_sum_pence=0,
                    carried_forward_pence=0, psf_redistributed_pence=0, top_slices=[],
                    reserve_percent=5)
    assert pot.available_pence % 100 == 0
    assert pot.available_pence + pot.reserve_pence == 333 * 2_153


@pytest.mark.parametrize("reserve", [-1, 101])
def test_reserve_outside_0_to_100_is_refused(reserve: float) -> None:
    with pytest.raises(ValueError, match="between 0% and 100%"):
        build_pot(schools=[], per_pupil_rate_pence=1, fixed_sum_pence=1, carried_forward_pence=0,
                  psf_redistributed_pence=0, top_slices=[], reserve_percent=reserve)

"""Fair shares' narrowed counting step gives the same best values as the plain staged solve."""

from __future__ import annotations

import time

import numpy as np
from hypothesis import given

from cluster.optimiser import AllocationInput, RequestInput, SchoolLimit, counting, fair_shares
from cluster.optimiser.canonical import Canonical, budget_conflicts, canonicalise
from cluster.optimiser.need_per_pound import Solution
from tests.cluster.optimiser.strategies import rounds
from tests.cluster.optimiser.test_optimiser_properties import examples

R = RequestInput


def _solve(c: Canonical, narrowed: bool) -> Solution:
    return fair_shares.solve(c, time.perf_counter() + 10.0, narrowed=narrowed)


def _values(c: Canonical, s: Solution) -> tuple[int, float, float]:
    """Each step's value: requests funded, smallest funded share, need met."""
    counted = s.funded & (c.need > 0)
    smallest = float(s.shares[counted].min()) if counted.any() else 1.0
    return int(counted.sum()), smallest, float(c.need @ s.shares)


def _assert_same_best(c: Canonical) -> Solution:
    plain, narrowed = _solve(c, narrowed=False), _solve(c, narrowed=True)
    assert narrowed.status == plain.status
    if plain.status == "optimal":
        count, smallest, need = _values(c, plain)
        fast = _values(c, narrowed)
        assert fast[0] == count
        assert abs(fast[1] - smallest) < 1e-6
        assert abs(fast[2] - need) < 1e-6 * max(1.0, need)
    return plain


def _canonical(inp: AllocationInput) -> Canonical | None:
    c = canonicalise(inp)
    return None if budget_conflicts(c) else c


@examples(150)
@given(rounds(max_requests=12, objective="fair_shares", min_requests=4))
def test_the_narrowed_count_changes_no_best_value(inp: AllocationInput) -> None:
    c = _canonical(inp)
    if c is None or c.size == 0:
        return
    plain = _assert_same_best(c)
    if plain.status != "optimal":
        return
    # The facts the narrowing rests on hold for the plain solve's split too.
    cut = counting.cut_off(c, fair_shares.need_levels(c))
    count = int((plain.funded & (c.need > 0)).sum())
    assert not plain.funded[cut.fixed_at_nothing()].any()
    assert plain.funded[cut.fixed_funded(count)].all()


def _scarce_round() -> AllocationInput:
    """Twelve need levels, a capped school, a pot for about half: the cut-off falls mid-way."""
    rng = np.random.default_rng(3)
    requests = []
    for k in range(36):
        ask = int(rng.integers(10, 60)) * 100
        minimum = ask if k % 4 == 0 else ask // 2
        requests.append(R(f"R{k:02d}", f"S{k % 3}", ask, minimum, float(12 - k // 3)))
    pot = sum(r.amount_pounds for r in requests) // 2
    return AllocationInput(pot, tuple(requests), (SchoolLimit("S2", 0, 15_000),), "fair_shares")


def test_a_scarce_round_is_narrowed_and_keeps_the_same_best_values() -> None:
    c = canonicalise(_scarce_round())
    cut = counting.cut_off(c, fair_shares.need_levels(c))
    assert 0 < cut.deepest < cut.levels  # the fixings below really are used
    assert cut.fixed_at_nothing().any()
    plain = _assert_same_best(c)
    count = int((plain.funded & (c.need > 0)).sum())
    assert cut.fixed_funded(count).any()
    assert not plain.funded[cut.fixed_at_nothing()].any()
    assert plain.funded[cut.fixed_funded(count)].all()


def test_the_cut_off_worked_by_hand() -> None:
    # Funding C (all or nothing) would lift A and B to full shares: £3,000, over the £2,600 pot.
    # So the cut-off is at C's level at the deepest, D gets nothing, and two funded at most.
    inp = AllocationInput(2_600, (R("A", "S1", 1_000, 1_000, 3), R("B", "S1", 1_000, 500, 2),
                                  R("C", "S2", 1_000, 1_000, 1), R("D", "S2", 1_000, 1_000, 0.5)),
                          objective="fair_shares")
    c = canonicalise(inp)
    cut = counting.cut_off(c, fair_shares.need_levels(c))
    assert (cut.levels, cut.deepest) == (4, 2)
    assert cut.fixed_at_nothing().tolist() == [False, False, False, True]
    assert [cut.most_funded(k) for k in range(3)] == [0, 1, 2]
    assert cut.fixed_funded(2).tolist() == [True, True, False, False]
    solution = _assert_same_best(c)
    assert solution.funded.tolist() == [True, True, False, False]
    assert solution.shares.tolist() == [1.0, 1.0, 0.0, 0.0]

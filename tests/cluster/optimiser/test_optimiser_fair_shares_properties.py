"""Fair shares on random rounds: the rules, the ordering, and the brute-force count and share."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given
from hypothesis import strategies as st

from cluster.optimiser import AllocationInput, allocate
from tests.cluster.optimiser.oracle import best_need_met, fair_best
from tests.cluster.optimiser.strategies import rounds
from tests.cluster.optimiser.test_optimiser_properties import assert_keeps_every_rule, examples


def shares(inp: AllocationInput, awards: dict[str, int]) -> dict[str, float]:
    return {r.request_id: awards[r.request_id] / r.amount_pounds for r in inp.requests}


@examples(120)
@given(rounds(max_requests=8, objective="fair_shares"))
def test_every_rule_holds_and_clashes_match_the_brute_force(inp: AllocationInput) -> None:
    result = allocate(inp)
    if best_need_met(inp) is None:
        assert result.status == "infeasible" and result.conflicts
        return
    assert_keeps_every_rule(inp, result)


@examples(120)
@given(rounds(max_requests=8, caps=False, floors=False, objective="fair_shares"))
def test_more_need_never_a_smaller_share(inp: AllocationInput) -> None:
    result = allocate(inp)
    if result.status == "infeasible":  # locks above the pot: covered by the test above
        assert best_need_met(inp) is None
        return
    assert result.status == "optimal"
    share = shares(inp, dict(result.awards))
    free = [r for r in inp.requests if r.locked_pounds is None]
    for hi in free:
        for lo in free:
            if hi.need_score > lo.need_score:
                slack = 1 / hi.amount_pounds + 1 / lo.amount_pounds
                assert share[hi.request_id] >= share[lo.request_id] - slack, (hi, lo)


@examples(120)
@given(rounds(max_requests=8, caps=False, floors=False, objective="fair_shares"))
def test_most_requests_funded_then_largest_smallest_share(inp: AllocationInput) -> None:
    result = allocate(inp)
    if result.status == "infeasible":
        assert best_need_met(inp) is None
        return
    most, smallest = fair_best(inp)
    counted = [r for r in inp.requests if r.locked_pounds is None and r.need_score > 0]
    funded = [r for r in counted if result.awards[r.request_id] > 0]
    assert len(funded) == most
    if funded:
        ours = min(result.awards[r.request_id] / r.amount_pounds for r in funded)
        slack = 2 / min(r.amount_pounds for r in funded)
        assert ours >= smallest - slack


@examples(80)
@given(rounds(max_requests=8, objective="fair_shares"), st.randoms(use_true_random=False))
def test_fair_shares_ignore_input_order(inp: AllocationInput, rnd: random.Random) -> None:
    shuffled = list(inp.requests)
    rnd.shuffle(shuffled)
    again = allocate(dataclasses.replace(inp, requests=tuple(shuffled)))
    first = allocate(inp)
    assert dict(first.awards) == dict(again.awards)
    assert dict(first.explanations) == dict(again.explanations)


@examples(120)
@given(rounds(max_requests=8, objective="fair_shares"), st.data())
def test_fair_shares_more_need_never_means_less_money(inp: AllocationInput,
                                                      data: st.DataObject) -> None:
    before = allocate(inp)
    if before.status != "optimal":
        return
    k = data.draw(st.integers(0, len(inp.requests) - 1))
    r = inp.requests[k]
    bumped = dataclasses.replace(r, need_score=r.need_score + data.draw(st.integers(1, 20)) / 2)
    changed = list(inp.requests)
    changed[k] = bumped
    after = allocate(dataclasses.replace(inp, requests=tuple(changed)))
    assert after.awards[r.request_id] >= before.awards[r.request_id] - 1

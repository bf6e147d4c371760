"""Fair shares on random rounds: the rules, the ordering, and the brute-force count and share."""

from __future__ import annotations

import dataclasses
import random

from hypothesis import given
from hypothesis import strategies as st

from cluster.optimiser import AllocationInput, RequestInput, allocate
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


def held_by_cap(inp: AllocationInput, awards: dict[str, int], hi: RequestInput) -> bool:
    """The cap stops `hi`: no room left for it, even counting money to its school's lower need."""
    limit = next((x for x in inp.school_limits if x.school_id == hi.school_id), None)
    if limit is None or limit.cap_pounds is None:
        return False
    used = sum(awards[r.request_id] for r in inp.requests if r.school_id == hi.school_id
               and (r.locked_pounds is not None or r.need_score >= hi.need_score))
    wanted = max(hi.minimum_pounds, 1) if awards[hi.request_id] == 0 else 1
    return limit.cap_pounds - used <= wanted  # one pound of rounding either way


@examples(120)
@given(rounds(max_requests=8, floors=False, objective="fair_shares"))
def test_only_a_cap_that_stops_a_request_bends_the_order(inp: AllocationInput) -> None:
    result = allocate(inp)
    if result.status == "infeasible":
        return
    awards = dict(result.awards)
    share = shares(inp, awards)
    free = [r for r in inp.requests if r.locked_pounds is None and r.need_score > 0]
    for hi in free:
        for lo in free:
            slack = 1 / hi.amount_pounds + 1 / lo.amount_pounds
            if (hi.need_score > lo.need_score
                    and share[hi.request_id] < share[lo.request_id] - slack):
                assert held_by_cap(inp, awards, hi), (hi, lo, awards)

"""Every rule of the need-per-pound split, on random rounds, against independent brute force."""

from __future__ import annotations

import dataclasses
import os
import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cluster.optimiser import AllocationInput, AllocationResult, allocate
from tests.cluster.optimiser.oracle import best_need_met, fixed_part, integer_best, reachable_floor
from tests.cluster.optimiser.strategies import rounds

# OPTIMISER_EXAMPLES=2000 runs a long hunt; the default keeps the suite quick.
SCALE = int(os.environ.get("OPTIMISER_EXAMPLES", "0")) or None


def examples(default: int) -> settings:
    return settings(max_examples=SCALE or default, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow])


SETTINGS = examples(150)


def assert_keeps_every_rule(inp: AllocationInput, result: AllocationResult) -> None:
    assert result.status in ("optimal", "time_limited")
    awards = result.awards
    assert set(awards) == {r.request_id for r in inp.requests}
    for r in inp.requests:
        award = awards[r.request_id]
        assert isinstance(award, int)
        if r.locked_pounds is not None:
            assert award == r.locked_pounds
        else:
            assert award == 0 or r.minimum_pounds <= award <= r.amount_pounds, r
    assert sum(awards.values()) <= inp.pot_pounds
    fx = fixed_part(inp)
    for limit in inp.school_limits:
        total = sum(awards[r.request_id] for r in inp.requests if r.school_id == limit.school_id)
        locked = sum(r.locked_pounds or 0 for r in inp.requests
                     if r.school_id == limit.school_id and r.locked_pounds is not None)
        if limit.cap_pounds is not None:
            assert total <= limit.cap_pounds
        assert total >= locked + max(0, reachable_floor(fx, limit.school_id))


@SETTINGS
@given(rounds(max_requests=10))
def test_every_rule_holds_and_need_met_is_the_brute_force_best(inp: AllocationInput) -> None:
    result = allocate(inp)
    best = best_need_met(inp)
    if best is None:
        assert result.status == "infeasible"
        assert result.conflicts and not result.awards
        return
    assert result.status == "optimal", result.conflicts
    assert_keeps_every_rule(inp, result)
    part_funded = sum(1 for o in result.outcomes.values() if o == "part_funded")
    steepest = max((r.need_score / r.amount_pounds for r in inp.requests), default=0.0)
    assert result.objective_value <= best + 1e-6
    assert result.objective_value >= best - part_funded * steepest - 1e-6
    assert result.gap == 0.0


@examples(40)
@given(rounds(min_requests=11, max_requests=12, caps=False, floors=False, locks=False))
def test_twelve_requests_match_the_brute_force(inp: AllocationInput) -> None:
    best = best_need_met(inp)
    result = allocate(inp)
    assert best is not None and result.status == "optimal"
    assert abs(result.objective_value - best) <= 1e-6 * max(1.0, best)


@examples(40)
@given(rounds(min_requests=11, max_requests=12))
def test_twelve_requests_with_caps_floors_and_locks_match_the_brute_force(
    inp: AllocationInput,
) -> None:
    best = best_need_met(inp)
    result = allocate(inp)
    if best is None:
        assert result.status == "infeasible"
        return
    assert_keeps_every_rule(inp, result)
    assert abs(result.objective_value - best) <= 1e-6 * max(1.0, best)


@examples(200)
@given(rounds(max_requests=4, max_ask=5))
def test_tiny_rounds_match_every_whole_pound_split(inp: AllocationInput) -> None:
    best = integer_best(inp)
    result = allocate(inp)
    if best is None:
        assert result.status == "infeasible" and result.conflicts
        return
    assert_keeps_every_rule(inp, result)
    assert abs(result.objective_value - best) <= 1e-9 * max(1.0, best)


@SETTINGS
@given(rounds(max_requests=10), st.randoms(use_true_random=False))
def test_the_order_of_the_input_does_not_matter(inp: AllocationInput, rnd: random.Random) -> None:
    shuffled = list(inp.requests)
    rnd.shuffle(shuffled)
    limits = list(inp.school_limits)
    rnd.shuffle(limits)
    again = allocate(dataclasses.replace(inp, requests=tuple(shuffled),
                                         school_limits=tuple(limits)))
    first = allocate(inp)
    assert first.status == again.status
    assert dict(first.awards) == dict(again.awards)
    assert dict(first.explanations) == dict(again.explanations)


@SETTINGS
@given(rounds(max_requests=10), st.data())
def test_more_need_never_means_less_money(inp: AllocationInput, data: st.DataObject) -> None:
    before = allocate(inp)
    if before.status != "optimal":  # a clash: nothing to compare
        return
    k = data.draw(st.integers(0, len(inp.requests) - 1))
    raised = data.draw(st.integers(1, 20)) / 2
    r = inp.requests[k]
    bumped = dataclasses.replace(r, need_score=r.need_score + raised)
    changed = list(inp.requests)
    changed[k] = bumped
    after = allocate(dataclasses.replace(inp, requests=tuple(changed)))
    assert after.status == "optimal"
    assert after.awards[r.request_id] >= before.awards[r.request_id] - 1


@examples(100)
@given(rounds(max_requests=8))
def test_explanations_cover_every_request_and_carry_numbers(inp: AllocationInput) -> None:
    result = allocate(inp)
    assert set(result.explanations) == {r.request_id for r in inp.requests}
    if result.status == "infeasible":
        return
    for r in inp.requests:
        text = result.explanations[r.request_id]
        outcome = result.outcomes[r.request_id]
        assert text and text[0].isupper() and text.endswith(".")
        if outcome == "locked":
            assert text.startswith("Locked by the host")
        elif outcome == "funded_in_full":
            assert text.startswith("Funded in full") and "£" in text
        elif outcome == "part_funded":
            assert text.startswith("Part-funded") and "£" in text
        else:
            assert text.startswith("Not funded")

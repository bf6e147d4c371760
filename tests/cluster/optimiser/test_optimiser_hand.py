"""Hand-computed rounds: each rule and each kind of explanation, with the numbers worked out.

Need per £1,000 = need score / ask x 1,000. The cut-off is the need per £1,000 of the last pounds
the pot paid for (the part-funded request taking what was left), or, when every funded request is
funded in full or at its minimum, the lowest need per £1,000 the pot paid for.
"""

from __future__ import annotations

import pytest

from cluster.optimiser import AllocationInput, RequestInput, SchoolLimit, allocate

R = RequestInput


def guide_round(pot: int = 10_000) -> AllocationInput:
    # The worked example in toolkit/content/guides/need-score-and-optimiser.md.
    return AllocationInput(pot, (
        R("A", "S1", 6_000, 3_000, 8),   # 1.33 per £1,000
        R("B", "S2", 5_000, 5_000, 6),   # 1.2, all or nothing
        R("C", "S3", 4_000, 2_000, 3),   # 0.75
    ))


def test_the_guide_example_part_funds_a_and_funds_b_in_full() -> None:
    result = allocate(guide_round())
    assert result.status == "optimal" and result.gap == 0.0
    # A and C in full meet 8 + 3 = 11; B in full and A at £5,000 meet 6 + 8 x 5/6 = 12.67.
    assert dict(result.awards) == {"A": 5_000, "B": 5_000, "C": 0}
    assert result.objective_value == pytest.approx(6 + 8 * 5_000 / 6_000)
    # The next pound goes to A: 8 / 6,000 need per pound.
    assert result.marginal_need_per_pound == pytest.approx(8 / 6_000)
    assert result.cut_off_need_per_pound == pytest.approx(8 / 6_000)
    assert dict(result.outcomes) == {"A": "part_funded", "B": "funded_in_full",
                                     "C": "not_funded"}


@pytest.mark.parametrize(("request_id", "explanation"), [
    pytest.param("A", (
        "Part-funded: £5,000 of the £6,000 asked (83%): the pot ran out. Its need per £1,000 "
        "(1.33) is at the cut-off, so it took what was left. About £1,000 more in the pot would "
        "fund it in full."
    ), id="part-funded-by-the-pot-says-so-with-the-amounts"),
    # B (1.2) is below A's 1.33, but dropping B frees £5,000 of which A can take only £1,000.
    pytest.param("B", (
        "Funded in full (£5,000): its need per £1,000 (1.2) is below the cut-off of 1.33, but the "
        "money it uses would meet less need elsewhere: the requests with more need per pound "
        "could take only about £1,000 of it."
    ), id="funded-in-full-below-the-cut-off-says-why-the-money-stays"),
    # need: 1.33 per £1,000 x £4,000 = 5.33; ask: 3 / (8 / 6,000) = £2,250, shown as £2,200;
    # pot: A's missing £1,000 first, then C's minimum of £2,000, with £0 left = £3,000.
    pytest.param("C", (
        "Not funded: its need per £1,000 (0.75) is below the cut-off of 1.33. It would take a need "
        "score above about 5.3 (it has 3), or an ask of about £2,200 or less, or about £3,000 "
        "more in the pot."
    ), id="not-funded-below-the-cut-off-says-what-it-would-take"),
])
def test_each_explanation_in_the_guide_example(request_id: str, explanation: str) -> None:
    assert allocate(guide_round()).explanations[request_id] == explanation


def test_the_pot_c_is_told_would_fund_it_does() -> None:
    # C's explanation says about £3,000 more in the pot: £3,000 more really does fund it.
    assert allocate(guide_round(13_000)).awards["C"] > 0


def all_or_nothing_round() -> AllocationInput:
    return AllocationInput(10_000, (
        R("P", "S1", 6_000, 6_000, 6),    # 1.0 per £1,000
        R("Q", "S2", 5_000, 5_000, 4),    # 0.8
        R("R", "S3", 5_000, 5_000, 3.5),  # 0.7
    ))


def test_all_or_nothing_is_the_knapsack_optimum() -> None:
    # P alone meets 6 and leaves £4,000 no one can use; Q and R together meet 7.5.
    result = allocate(all_or_nothing_round())
    assert dict(result.awards) == {"P": 0, "Q": 5_000, "R": 5_000}
    assert result.objective_value == pytest.approx(7.5)
    # Nothing funded can take another pound.
    assert result.marginal_need_per_pound == 0.0
    assert result.cut_off_need_per_pound == pytest.approx(0.7 / 1_000)


def test_funded_in_full_above_and_at_the_cut_off() -> None:
    texts = allocate(all_or_nothing_round()).explanations
    assert texts["Q"] == (
        "Funded in full (£5,000): its need per £1,000 (0.8) is above the cut-off of 0.7, the need "
        "per £1,000 of the last pounds the pot paid for."
    )
    assert texts["R"].startswith("Funded in full (£5,000): its need per £1,000 (0.7) is at the "
                                 "cut-off")


def test_not_funded_because_it_does_not_fit() -> None:
    # Room for P's £6,000 means dropping R (3.5) and then Q (4): 7.5 of need for P's 6.
    text = allocate(all_or_nothing_round()).explanations["P"]
    assert text == (
        "Not funded: its need per £1,000 (1) is above the cut-off of 0.7, but its minimum of "
        "£6,000 did not fit in the £0 left, and making room would give up more need than it "
        "meets. It would take a need score above about 7.5 (it has 6), or about £6,000 more in "
        "the pot."
    )
    raised = AllocationInput(10_000, (R("P", "S1", 6_000, 6_000, 7.6),
                                      *all_or_nothing_round().requests[1:]))
    assert allocate(raised).awards["P"] == 6_000


def capped_round() -> AllocationInput:
    return AllocationInput(20_000, (
        R("A", "S1", 4_000, 2_000, 8),    # 2.0 per £1,000
        R("B", "S1", 3_000, 1_000, 3),    # 1.0
        R("C", "S2", 10_000, 5_000, 5),   # 0.5
        R("E", "S1", 2_500, 2_000, 2),    # 0.8
    ), (SchoolLimit("S1", 0, 5_000),))


def test_a_cap_is_kept_and_part_funds_the_next_request() -> None:
    result = allocate(capped_round())
    # S1's £5,000: A in full (8) and B at its £1,000 minimum (1) beat any split with E.
    assert dict(result.awards) == {"A": 4_000, "B": 1_000, "C": 10_000, "E": 0}
    assert result.objective_value == pytest.approx(14)
    assert result.explanations["B"] == (
        "Part-funded: £1,000 of the £3,000 asked (33%), its minimum: S1 reached its cap of "
        "£5,000. A cap about £2,000 higher would fund it in full."
    )
    # The pot was never short: £5,000 of it is left.
    assert result.explanations["C"] == (
        "Funded in full (£10,000): the pot covered every request that needed it with £5,000 to "
        "spare."
    )
    assert result.cut_off_need_per_pound is None


def test_not_funded_because_of_the_cap() -> None:
    # E's £2,000 minimum under the cap means giving up B (1) and £1,000 of A (2): 3 of need,
    # for 2,000/2,500 of E's need: 3 x 2,500 / 2,000 = 3.75.
    text = allocate(capped_round()).explanations["E"]
    assert text == (
        "Not funded: its minimum of £2,000 would not fit under S1's cap of £5,000 (£0 left under "
        "it). It would take a need score above about 3.8 (it has 2), or a cap about £2,000 higher."
    )


def floor_round() -> AllocationInput:
    return AllocationInput(10_000, (
        R("A", "S1", 3_000, 3_000, 1),    # 0.33 per £1,000
        R("B", "S2", 8_000, 2_000, 8),    # 1.0
        R("C", "S2", 4_000, 1_000, 2),    # 0.5
    ), (SchoolLimit("S1", 3_000),))


def test_a_floor_lifts_a_request_and_says_so() -> None:
    result = allocate(floor_round())
    assert dict(result.awards) == {"A": 3_000, "B": 7_000, "C": 0}
    assert result.explanations["A"] == (
        "Funded in full (£3,000) to bring S1 up to its floor of £3,000: on need per £1,000 alone "
        "(0.33) it would not have been."
    )
    assert result.explanations["B"] == (
        "Part-funded: £7,000 of the £8,000 asked (88%): the pot ran out. Its need per £1,000 (1) "
        "is at the cut-off, so it took what was left. About £1,000 more in the pot would fund it "
        "in full."
    )
    # need 1.0 x 4 = 4; ask 2 / 0.001 = £2,000; pot £1,000 for B then C's £1,000 minimum.
    assert result.explanations["C"] == (
        "Not funded: its need per £1,000 (0.5) is below the cut-off of 1. It would take a need "
        "score above about 4 (it has 2), or an ask of about £2,000 or less, or about £2,000 more "
        "in the pot."
    )


def test_a_floor_only_asks_for_what_the_requests_ask() -> None:
    # Floor £9,000 but S1 asks only £3,000: the floor is £3,000.
    inp = AllocationInput(3_000, (R("A", "S1", 3_000, 3_000, 1), R("B", "S2", 3_000, 0, 9)),
                          (SchoolLimit("S1", 9_000),))
    assert dict(allocate(inp).awards) == {"A": 3_000, "B": 0}


def test_a_floor_no_request_can_reach_under_the_cap_asks_for_nothing() -> None:
    inp = AllocationInput(2_500, (R("A", "S1", 4_000, 2_000, 8),),
                          (SchoolLimit("S1", 1_000, 1_500),))
    result = allocate(inp)
    assert result.status == "optimal" and result.awards["A"] == 0
    assert result.explanations["A"] == (
        "Not funded: its minimum of £2,000 would not fit under S1's cap of £1,500 (£1,500 left "
        "under it). It would take a cap about £500 higher."
    )


def test_locked_requests_get_exactly_the_host_figure() -> None:
    inp = AllocationInput(10_000, (
        R("A", "S1", 6_000, 3_000, 8, locked_pounds=4_000),
        R("B", "S2", 5_000, 2_500, 5),
        R("C", "S3", 5_000, 5_000, 6, locked_pounds=0),
        R("D", "S3", 3_000, 2_000, 6, locked_pounds=1_000),
    ))
    result = allocate(inp)
    assert dict(result.awards) == {"A": 4_000, "B": 5_000, "C": 0, "D": 1_000}
    # 8 x 4/6 + 5 + 6 x 1/3 = 12.33
    assert result.objective_value == pytest.approx(8 * 4 / 6 + 5 + 2)
    texts = result.explanations
    assert texts["A"] == "Locked by the host at £4,000 of the £6,000 asked (67%)."
    assert texts["C"] == ("Locked by the host at £0: the host decided not to fund it this round "
                          "(it asked for £5,000).")
    assert texts["D"] == ("Locked by the host at £1,000 of the £3,000 asked (33%). That is below "
                          "its minimum of £2,000, as the host chose.")
    assert texts["B"] == "Funded in full (£5,000): the pot covered every request that needed it."
    assert result.outcomes["A"] == "locked"


def test_part_funded_after_a_lock_names_the_locked_money() -> None:
    inp = AllocationInput(10_000, (R("A", "S1", 6_000, 3_000, 8, locked_pounds=6_000),
                                   R("B", "S2", 5_000, 2_000, 5)))
    result = allocate(inp)
    assert dict(result.awards) == {"A": 6_000, "B": 4_000}
    assert result.explanations["A"] == "Locked by the host at £6,000, its full ask."
    assert result.explanations["B"] == (
        "Part-funded: £4,000 of the £5,000 asked (80%): the pot ran out. Its need per £1,000 (1) "
        "is at the cut-off, so it took what was left. About £1,000 more in the pot would fund it "
        "in full. £6,000 of the pot was locked by the host."
    )


def test_ties_go_to_the_earlier_reference_whatever_the_input_order() -> None:
    inp = AllocationInput(5_000, (R("B", "S1", 5_000, 5_000, 5), R("A", "S2", 5_000, 5_000, 5)))
    result = allocate(inp)
    assert dict(result.awards) == {"A": 5_000, "B": 0}
    assert result.explanations["B"].endswith(
        "It ties on need per £1,000 with A; ties go to the earlier request reference.")
    shared = AllocationInput(6_000, (R("B", "S1", 4_000, 1_000, 4), R("A", "S2", 4_000, 1_000, 4)))
    assert dict(allocate(shared).awards) == {"A": 4_000, "B": 2_000}


def test_no_need_no_money() -> None:
    inp = AllocationInput(6_000, (R("Z", "S1", 4_000, 1_000, 0), R("A", "S2", 4_000, 1_000, 4)))
    result = allocate(inp)
    assert dict(result.awards) == {"A": 4_000, "Z": 0}
    assert result.explanations["Z"] == (
        "Not funded: its need score is 0, so funding it would meet no need.")


@pytest.mark.parametrize(("inp", "conflict"), [
    (AllocationInput(-500, (R("A", "S1", 6_000, 3_000, 8),)),
     "The pot is -£500; it cannot be less than £0."),
    (AllocationInput(10_000, (R("R1", "S1", 6_000, 3_000, 8, locked_pounds=7_000),)),
     "R1 is locked at £7,000, but a lock must be between £0 and the £6,000 it asks for."),
    (AllocationInput(10_000, (R("R1", "S1", 6_000, 3_000, 8, locked_pounds=-5),)),
     "R1 is locked at -£5, but a lock must be between £0 and the £6,000 it asks for."),
    (AllocationInput(10_000, (R("A", "S1", 6_000, 3_000, 8, locked_pounds=5_000),),
                     (SchoolLimit("S1", 0, 4_000),)),
     "Locked awards at S1 come to £5,000, more than its cap of £4,000."),
    (AllocationInput(10_000, (R("A", "S1", 6_000, 3_000, 8, locked_pounds=6_000),
                              R("B", "S2", 6_000, 1_000, 8)), (SchoolLimit("S2", 5_000),)),
     "Locked awards (£6,000) plus schools' floors still to be met (S2 £5,000) come to £11,000, "
     "more than the pot of £10,000."),
    (AllocationInput(5_000, (R("A", "S1", 6_000, 3_000, 8, locked_pounds=6_000),)),
     "Locked awards come to £6,000, more than the pot of £5,000."),
    # The only request cannot be done for under £3,000, so the £2,000 floor costs £3,000.
    (AllocationInput(2_500, (R("A", "S1", 4_000, 3_000, 8),), (SchoolLimit("S1", 2_000),)),
     "The schools' floors still to be met (S1 £3,000, as its requests' minimums mean its £2,000 "
     "floor cannot be met with less) come to £3,000, more than the pot of £2,500."),
])
def test_clashes_are_named_in_words_not_raised(inp: AllocationInput, conflict: str) -> None:
    result = allocate(inp)
    assert result.status == "infeasible"
    assert result.conflicts == (conflict,)
    assert dict(result.awards) == {}
    assert result.marginal_need_per_pound is None
    assert set(result.explanations) == {r.request_id for r in inp.requests}
    assert conflict in result.summary


def test_one_more_pound_is_worth_nothing_when_nothing_is_funded() -> None:
    result = allocate(AllocationInput(500, (R("A", "S1", 6_000, 3_000, 8),)))
    assert result.awards["A"] == 0
    assert result.marginal_need_per_pound is None


def test_an_empty_round_is_optimal_and_empty() -> None:
    result = allocate(AllocationInput(1_000, ()))
    assert result.status == "optimal" and dict(result.awards) == {}
    assert result.objective_value == 0.0


def test_the_summary_counts_each_kind() -> None:
    assert allocate(guide_round()).summary == (
        "Suggested split of £10,000: 1 funded in full, 1 part-funded, 1 not funded. Need met: "
        "12.67. Left in the pot: £0."
    )

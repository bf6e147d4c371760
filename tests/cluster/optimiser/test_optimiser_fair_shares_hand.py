"""Fair shares, worked by hand: the order by need, the count, the smallest share, floors, caps."""

from __future__ import annotations

import pytest

from cluster.optimiser import AllocationInput, RequestInput, SchoolLimit, allocate

R = RequestInput


def test_the_guide_round_under_fair_shares() -> None:
    # B (need 6) can only be done in full, so A (need 8) would need a full share too: £11,000.
    # C (need 3) cannot get a share while B gets none. So only A is funded, in full.
    inp = AllocationInput(10_000, (R("A", "S1", 6_000, 3_000, 8), R("B", "S2", 5_000, 5_000, 6),
                                   R("C", "S3", 4_000, 2_000, 3)), objective="fair_shares")
    result = allocate(inp)
    assert result.status == "optimal"
    assert dict(result.awards) == {"A": 6_000, "B": 0, "C": 0}
    assert result.marginal_need_per_pound is None
    texts = result.explanations
    assert texts["A"] == (
        "Funded in full (£6,000). Under fair shares the money goes highest need first, and no "
        "request with a lower need score got a larger share of its ask."
    )
    # B needs A and B in full: £11,000, £1,000 more. C needs B in full too: £13,000.
    assert texts["B"] == (
        "Not funded: under fair shares the pot brings as many requests as it can to their "
        "minimum, highest need first, and no request may get a larger share than one with more "
        "need. It reached 1 request, down to a need score of 8; this one has 6. It would take a "
        "need score above about 8, or about £1,000 more in the pot."
    )
    assert texts["C"].endswith("or about £3,000 more in the pot.")


def test_equal_shares_when_everyone_can_reach_their_minimum() -> None:
    # C's minimum is 50% of its ask, so A and B need at least 50%: 3 x £2,000 = £6,000, the pot.
    inp = AllocationInput(6_000, (R("A", "S1", 4_000, 1_000, 5), R("B", "S2", 4_000, 1_000, 5),
                                  R("C", "S3", 4_000, 2_000, 2)), objective="fair_shares")
    result = allocate(inp)
    assert dict(result.awards) == {"A": 2_000, "B": 2_000, "C": 2_000}
    assert result.objective_value == pytest.approx(6.0)
    assert result.explanations["A"] == (
        "Part-funded: £2,000 of the £4,000 asked (50%). Under fair shares the pot is spread so "
        "the smallest share of any funded request is as large as it can be (50%), and no request "
        "with less need gets a larger share. About £4,000 more in the pot would fund it, and "
        "every request with at least its need, in full."
    )
    assert "About £6,000 more" in result.explanations["C"]


@pytest.mark.parametrize(("inp", "awards", "explained"), [
    # Both minimums are 10%: £10,000 lets both reach 62.5%... but A (more need) may not get less
    # than B, so the best smallest share is 10,000 / 16,000 = 62.5% each.
    pytest.param(AllocationInput(10_000, (R("A", "S1", 8_000, 800, 9), R("B", "S2", 8_000, 800, 1)),
                                 objective="fair_shares"),
                 {"A": 5_000, "B": 5_000}, {},
                 id="the-smallest-share-is-raised-before-need-is-chased"),
    # B is capped at £1,000 (25%); A (more need) must get at least 25%, and the rest of the pot
    # then goes where it meets most need: A in full.
    pytest.param(AllocationInput(10_000, (R("A", "S1", 4_000, 1_000, 9),
                                          R("B", "S2", 4_000, 1_000, 3)),
                                 (SchoolLimit("S2", 0, 1_000),), objective="fair_shares"),
                 {"A": 4_000, "B": 1_000}, {},
                 id="leftover-money-goes-to-need-once-shares-are-settled"),
    # S1's cap stops A (need 9) at £1,000 (25%). The cap, not the pot, is what stops it, so B
    # (need 3, another school) may still have its full ask.
    pytest.param(AllocationInput(10_000, (R("A", "S1", 4_000, 1_000, 9),
                                          R("B", "S2", 2_000, 1_000, 3)),
                                 (SchoolLimit("S1", 0, 1_000),), objective="fair_shares"),
                 {"A": 1_000, "B": 2_000},
                 {"A": "Part-funded: £1,000 of the £4,000 asked (25%): S1 reached its cap of "
                       "£1,000. The cap holds it below the share of some requests with less need "
                       "at other schools."},
                 id="a-cap-holds-back-only-the-request-it-stops"),
    # All three can reach their minimum: A and C share S1's £3,000 at 50% each (A may not get
    # less than C), and B may not get more than A's 50%, since the cap does not stop A.
    pytest.param(AllocationInput(20_000, (R("A", "S1", 4_000, 1_000, 9),
                                          R("B", "S2", 2_000, 1_000, 3),
                                          R("C", "S1", 2_000, 1_000, 2)),
                                 (SchoolLimit("S1", 0, 3_000),), objective="fair_shares"),
                 {"A": 2_000, "B": 1_000, "C": 1_000}, {},
                 id="a-shared-cap-is-split-to-fund-as-many-as-possible"),
    # A (need 9, minimum £2,500) and C (need 2, minimum £1,000) cannot both fit under S1's
    # £3,000 cap. C may not be funded while A, with more need, gets nothing the cap could give
    # it; so A and B are funded. The smallest share is then made as large as it can be: A at the
    # cap, £3,000 (75%), and B at 75%. Now the cap is what stops A, so the money left goes by
    # need: B in full.
    pytest.param(AllocationInput(20_000, (R("A", "S1", 4_000, 2_500, 9),
                                          R("B", "S2", 2_000, 1_000, 3),
                                          R("C", "S1", 2_000, 1_000, 2)),
                                 (SchoolLimit("S1", 0, 3_000),), objective="fair_shares"),
                 {"A": 3_000, "B": 2_000, "C": 0},
                 {"C": "Not funded: its minimum of £1,000 would not fit under S1's cap of £3,000 "
                       "(£0 left under it)."},
                 id="within-a-capped-school-the-money-still-goes-by-need"),
    # A's minimum (£2,270) is above S1's whole cap (£1,903): A can never be funded, and that must
    # not stop D (need 9.9, same school) or B (need 3, elsewhere).
    pytest.param(AllocationInput(10_000, (R("A", "S1", 2_700, 2_270, 10),
                                          R("D", "S1", 550, 520, 9.9),
                                          R("B", "S2", 2_000, 1_000, 3)),
                                 (SchoolLimit("S1", 0, 1_903),), objective="fair_shares"),
                 {"A": 0, "B": 2_000, "D": 550}, {},
                 id="a-request-the-cap-can-never-fit-does-not-hold-others-back"),
    # S2's floor forces B (need 2) to its full £3,000. A (need 9) cannot match 100%, so the
    # order bends; it bends least when A gets all that is left: £3,000 (30%).
    pytest.param(AllocationInput(6_000, (R("A", "S1", 10_000, 2_000, 9),
                                         R("B", "S2", 3_000, 3_000, 2)),
                                 (SchoolLimit("S2", 3_000),), objective="fair_shares"),
                 {"A": 3_000, "B": 3_000},
                 {"B": "Funded in full (£3,000). S2's floor of £3,000 lifted it."},
                 id="a-floor-bends-the-order-as-little-as-it-can"),
    pytest.param(AllocationInput(6_000, (R("A", "S1", 4_000, 1_000, 9),
                                         R("B", "S2", 4_000, 4_000, 1, locked_pounds=4_000)),
                                 objective="fair_shares"),
                 {"A": 2_000, "B": 4_000},
                 {"B": "Locked by the host at £4,000, its full ask. Locked requests sit outside "
                       "the fair-shares ordering."},
                 id="locked-requests-sit-outside-the-order"),
])
def test_fair_shares_by_hand(inp: AllocationInput, awards: dict[str, int],
                             explained: dict[str, str]) -> None:
    """Each case: the awards worked out by hand, and the explanation of any request whose words
    are the point of the rule."""
    result = allocate(inp)
    assert dict(result.awards) == awards
    assert {request: result.explanations[request] for request in explained} == explained

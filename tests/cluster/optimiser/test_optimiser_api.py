"""The public API: validation, frozen results, what-if, the rows and school lines for a view."""

from __future__ import annotations

import dataclasses
import math

import pytest

from cluster.optimiser import (
    SUGGESTION_COLUMNS,
    AllocationInput,
    AllocationResult,
    RequestInput,
    SchoolLimit,
    WhatIfPoint,
    allocate,
    school_summary,
    suggestion_rows,
    what_if,
)

R = RequestInput


def guide_round(pot: int = 10_000) -> AllocationInput:
    return AllocationInput(pot, (R("A", "S1", 6_000, 3_000, 8), R("B", "S2", 5_000, 5_000, 6),
                                 R("C", "S3", 4_000, 2_000, 3)))


@pytest.mark.parametrize(("make", "message"), [
    (lambda: R("A", "S1", -5, 0, 1), "amount asked must be more than £0"),
    (lambda: R("A", "S1", 0, 0, 1), "amount asked must be more than £0"),
    (lambda: R("A", "S1", 100, -1, 1), "minimum cannot be negative"),
    (lambda: R("A", "S1", 100, 200, 1), "minimum (£200) is more than the amount asked (£100)"),
    (lambda: R("A", "S1", 100, 50, -1), "need score must be zero or more"),
    (lambda: R("A", "S1", 100, 50, math.nan), "need score must be zero or more"),
    (lambda: R("A", "S1", 100.5, 50, 1), "must be whole pounds"),
    (lambda: R("", "S1", 100, 50, 1), "Request reference must be a non-empty piece of text"),
    (lambda: SchoolLimit("S1", 500, 400), "the floor (£500) is above the cap (£400)"),
    (lambda: SchoolLimit("S1", -1), "the floor cannot be negative"),
    (lambda: AllocationInput(100, (R("A", "S1", 100, 50, 1), R("A", "S2", 100, 50, 1))),
     "Request A is listed more than once"),
    (lambda: AllocationInput(100, (), (SchoolLimit("S1"), SchoolLimit("S1"))),
     "School S1 has more than one floor/cap line"),
    (lambda: AllocationInput(100, (), objective="most_votes"), "Unknown objective 'most_votes'"),
    (lambda: AllocationInput(100, (), time_limit_s=0), "time limit must be a positive number"),
])
def test_nonsense_input_is_refused_with_a_readable_message(make, message: str) -> None:
    with pytest.raises(ValueError, match=message.replace("(", r"\(").replace(")", r"\)")):
        make()


def test_inputs_accept_lists_and_whole_floats_and_are_frozen() -> None:
    inp = AllocationInput(10_000.0, [R("A", "S1", 6_000.0, 3_000, 8)])  # type: ignore[arg-type]  # bad on purpose
    assert inp.requests == (R("A", "S1", 6_000, 3_000, 8),)
    assert isinstance(inp.pot_pounds, int)
    with pytest.raises(dataclasses.FrozenInstanceError):
        inp.pot_pounds = 5  # type: ignore[misc]  # frozen: the test checks it refuses


def test_results_are_frozen_with_read_only_mappings() -> None:
    result = allocate(guide_round())
    assert isinstance(result, AllocationResult)
    with pytest.raises(TypeError):
        result.awards["A"] = 1  # type: ignore[index]  # frozen: the test checks it refuses
    with pytest.raises(TypeError):
        result.explanations["A"] = "x"  # type: ignore[index]  # frozen: the test checks it refuses
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.status = "optimal"  # type: ignore[misc]  # frozen: the test checks it refuses
    assert list(result.awards) == ["A", "B", "C"]
    assert result.total_awarded == 10_000 and result.requests_funded == 2
    assert set(result.timings_ms) == {"build", "solve", "explain", "end_to_end"}


def test_what_if_gives_need_met_and_requests_funded_per_pot() -> None:
    curve = what_if(guide_round(), pot_factors=(0.5, 0.75, 1.0, 1.25, 1.5))
    assert all(isinstance(p, WhatIfPoint) for p in curve)
    assert [p.pot_pounds for p in curve] == [5_000, 7_500, 10_000, 12_500, 15_000]
    assert [p.requests_funded for p in curve] == [1, 2, 2, 3, 3]
    # £5,000: A at £5,000 (6.67) beats B (6). £7,500: A at £5,500 and C at £2,000 (7.33 + 1.5).
    # £12,500: A £5,500, B, C £2,000. £15,000: everything.
    expected = [8 * 5 / 6, 8 * 5.5 / 6 + 1.5, 6 + 8 * 5 / 6, 8 * 5.5 / 6 + 6 + 1.5, 17]
    assert [p.need_met for p in curve] == pytest.approx(expected)
    assert all(p.status == "optimal" for p in curve)


def test_what_if_reports_clashes_as_points_not_errors() -> None:
    inp = AllocationInput(10_000, (R("A", "S1", 6_000, 3_000, 8, locked_pounds=6_000),))
    low, high = what_if(inp, pot_factors=(0.5, 1.0))
    assert low.status == "infeasible" and low.need_met is None
    assert high.status == "optimal" and high.need_met == pytest.approx(8)
    with pytest.raises(ValueError, match="Pot factors must be zero or more"):
        what_if(inp, pot_factors=(-1,))


def test_suggestion_rows_are_plain_data_for_a_table() -> None:
    inp = guide_round()
    rows = suggestion_rows(allocate(inp), inp)
    assert [tuple(row) for row in rows] == [SUGGESTION_COLUMNS] * 3
    assert rows[0] == {
        "request_id": "A", "school_id": "S1", "asked_pounds": 6_000, "minimum_pounds": 3_000,
        "need_score": 8.0, "locked_pounds": None, "suggested_pounds": 5_000,
        "share_of_ask": pytest.approx(5 / 6), "outcome": "part-funded",
        "explanation": allocate(inp).explanations["A"],
    }
    assert [row["outcome"] for row in rows] == ["part-funded", "funded in full", "not funded"]


def test_suggestion_rows_of_a_clash_have_no_suggestion() -> None:
    inp = AllocationInput(-1, (R("A", "S1", 6_000, 3_000, 8),))
    (row,) = suggestion_rows(allocate(inp), inp)
    assert row["suggested_pounds"] is None and row["outcome"] == ""


def test_school_lines_compare_award_formula_and_need_shares() -> None:
    inp = guide_round()
    lines = school_summary(allocate(inp), inp,
                           formula_shares={"S1": 4_000, "S2": 3_000, "S3": 3_000},
                           need_shares={"S1": 4_706, "S2": 3_529, "S3": 1_765})
    assert [line.school_id for line in lines] == ["S1", "S2", "S3"]
    assert lines[0].sentence == (
        "S1: suggested £5,000 for 1 of 1 requests; £1,000 more than its formula share of £4,000, "
        "and £294 more than its need share of £4,706."
    )
    assert lines[2].sentence == (
        "S3: suggested £0 for 0 of 1 requests; £3,000 less than its formula share of £3,000, and "
        "£1,765 less than its need share of £1,765."
    )
    assert (lines[1].awarded_pounds, lines[1].formula_share_pounds, lines[1].need_share_pounds) \
        == (5_000, 3_000, 3_529)

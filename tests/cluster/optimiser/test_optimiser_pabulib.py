"""A real all-or-nothing round: Wieliczka's 2023 Green Budget from Pabulib (64 projects).

Need = votes, ask = minimum = cost, pot = the budget. All-or-nothing makes the split a 0/1
knapsack, so need met must be the exact knapsack optimum. The optimum is computed here by dynamic
programming over the budget (costs divided by their greatest common divisor), independently of
the optimiser; the file's `selected` column is a different rule's answer and is not used.
"""

from __future__ import annotations

import math
from functools import reduce
from pathlib import Path

import numpy as np
import pytest

from cluster.optimiser import AllocationInput, RequestInput, allocate

ROOT = Path(__file__).resolve().parents[3]
INSTANCE = ROOT / ".." / "shared" / "data" / "pabulib" / "poland_wieliczka_2023_green-budget.pb"


def read_pb(path: Path) -> tuple[int, list[tuple[str, int, int]]]:
    """(budget, [(project id, cost, votes)]) from a Pabulib file's META and PROJECTS sections."""
    section, header = "", []
    budget = 0
    projects = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        line = raw.strip()
        if line in ("META", "PROJECTS", "VOTES"):
            section, header = line, []
            continue
        cells = line.split(";")
        if not header:
            header = cells
            continue
        row = dict(zip(header, cells, strict=False))  # a short row leaves its last columns out
        if section == "META" and row["key"] == "budget":
            budget = int(float(row["value"]))
        elif section == "PROJECTS":
            projects.append((row["project_id"], int(row["cost"]), int(row["votes"])))
    return budget, projects


def knapsack_optimum(budget: int, items: list[tuple[int, int]]) -> int:
    """Exact 0/1 knapsack by dynamic programming over the budget, in units of the costs' GCD."""
    unit = reduce(math.gcd, [cost for cost, _ in items], budget)
    capacity = budget // unit
    best = np.zeros(capacity + 1, dtype=np.int64)
    for cost, value in items:
        size = cost // unit
        if size > capacity:
            continue
        best[size:] = np.maximum(best[size:], best[: capacity + 1 - size] + value)
    return int(best[-1])


@pytest.fixture(scope="module")
def instance() -> tuple[int, list[tuple[str, int, int]]]:
    if not INSTANCE.exists():
        pytest.skip(f"Pabulib instance not found at {INSTANCE}")
    return read_pb(INSTANCE)


def test_the_file_is_what_we_think(instance: tuple[int, list[tuple[str, int, int]]]) -> None:
    budget, projects = instance
    assert budget == 1_000_000
    assert len(projects) == 64


def test_need_met_is_the_exact_knapsack_optimum(
    instance: tuple[int, list[tuple[str, int, int]]]
) -> None:
    budget, projects = instance
    optimum = knapsack_optimum(budget, [(cost, votes) for _, cost, votes in projects])
    result = allocate(AllocationInput(
        pot_pounds=budget,
        requests=tuple(RequestInput(f"P{pid}", "Wieliczka", cost, cost, float(votes))
                       for pid, cost, votes in projects),
    ))
    assert result.status == "optimal" and result.gap == 0.0
    assert result.objective_value == pytest.approx(optimum, abs=1e-6)
    chosen = [cost for pid, cost, _ in projects if result.awards[f"P{pid}"] == cost]
    assert sum(chosen) <= budget
    assert all(result.awards[f"P{pid}"] in (0, cost) for pid, cost, _ in projects)


def test_the_dynamic_programme_is_right_on_a_tiny_case() -> None:
    # 10 to spend: {6} is worth 6, {5, 5} worth 7.5 — the pair wins.
    assert knapsack_optimum(10, [(6, 60), (5, 40), (5, 35)]) == 75

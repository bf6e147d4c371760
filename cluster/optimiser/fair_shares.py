"""Fair shares: need decides the order, and the money is spread as evenly as that order allows.

In words a host can use:

    Every request's award is read as a share of what it asked for (£3,000 of £6,000 is 50%).
    1. A request with a higher need score never gets a smaller share than one with a lower need
       score. Two things may bend this, and nothing else: a school's cap may hold a request back,
       but only when the cap is what stops it (its school has no room left for it, even counting
       the money its own lower-need requests got); and a school's floor may lift a request above
       the share of higher-need ones (the floor's money has to go to that school), as little as
       possible.
    2. Within that, as many requests as possible are funded to at least their minimum.
    3. Then the smallest share among the funded requests is made as large as possible.
    4. Then any money still free goes where it meets the most need.
    Locked requests keep the host's figure and sit outside the ordering. Requests with a need score
    of 0 are not counted in steps 2 and 3 (they only take money a floor insists on).

Formulation (shares s_j of the ask, yes/no funded_j, need levels L_0 > L_1 > ... with a boundary
m_k between L_k and L_k+1; u_j is a "held back by a cap" allowance, allowed only when the yes/no
held_by_cap_j is 1; d_j is a "lifted by a floor" allowance that exists only at schools with a
floor; use_j is the school's spending on requests with at least j's need; money in pounds):

    order_above[k][j]:  s_j + u_j >= m_k        for j in level k
    order_below[k][j]:  s_j - d_j <= m_k        for j in level k+1
    order_chain[k]:     m_k+1 <= m_k
    held_by_cap[j]:     cap - use_j <= (minimum_j - 1)(1 - funded_j) + 0.5 + big (1 - held_j)
    held_back_only_if_held[j]: u_j <= held_j
    at_least_minimum[j], only_if_funded[j], pot, cap[school], floor[school] as in need_per_pound
    smallest_share[j]:  s_j >= t - (1 - funded_j)

solved lexicographically, one HiGHS run per step, each step's best value kept as a constraint
for the next and its split handed to the next as a starting point: (1) minimise the sum of d
(with floors only; first the count is tried with every d at 0, which usually works and saves a
run), (2) maximise the number funded, (3) maximise t, (4) maximise need met. A time limit stops
at the step it hits; the split is then that step's best so far, reported as "time_limited".
Fair shares is for rounds of the size a meeting handles (tens to a few hundred requests); at
thousands of requests the counting step can run into the time limit.
"""

from __future__ import annotations

import dataclasses
import time
from dataclasses import dataclass

import highspy
import numpy as np

from cluster.optimiser.canonical import Canonical
from cluster.optimiser.formulation import (
    ask_in_units,
    funded_switches,
    money_rows,
    share_columns,
)
from cluster.optimiser.highs_model import EXACT_OPTIONS, INF, ModelBuilder, RunResult, run
from cluster.optimiser.need_per_pound import Solution


@dataclass(frozen=True)
class FairModel:
    """Column positions in the fair-shares model, so each step can set its own objective."""

    builder: ModelBuilder
    shares: np.ndarray
    funded: np.ndarray
    counted: np.ndarray
    allowances: np.ndarray
    smallest: int


def need_levels(c: Canonical) -> list[np.ndarray]:
    """Requests grouped by need score, highest first, each group in reference order."""
    values = sorted(set(c.need.tolist()), reverse=True)
    return [np.flatnonzero(c.need == v) for v in values]


def _allowances(builder: ModelBuilder, c: Canonical, members: np.ndarray, kind: str,
                schools: set[str]) -> np.ndarray:
    """Allowance columns for members at those schools; -1 where none exists."""
    ids = c.free_ids()
    mask = np.array([c.school_of(j) in schools for j in members], dtype=bool)
    cols = np.full(len(members), -1, dtype=np.int64)
    if mask.any():
        chosen = members[mask]
        cols[mask] = builder.add_columns(
            [f"{kind}[{ids[j]}]" for j in chosen], np.zeros(mask.sum()), np.zeros(mask.sum()),
            np.ones(mask.sum()),
        )
    return cols


def _order_rows(builder: ModelBuilder, c: Canonical, shares: np.ndarray,
                levels: list[np.ndarray], up: np.ndarray, down: np.ndarray, tag: str = "") -> None:
    """The need order as a chain of boundaries between need levels (O(n) rows, not O(n^2))."""
    levels = [level for level in levels if len(level)]
    if len(levels) < 2:
        return
    ids = c.free_ids()
    size = len(levels) - 1
    bounds = builder.add_columns([f"boundary{tag}[{k}]" for k in range(size)], np.zeros(size),
                                 np.zeros(size), np.ones(size))
    for k, boundary in enumerate(bounds):
        for j in levels[k]:
            index = [shares[j], boundary] + ([up[j]] if up[j] >= 0 else [])
            value = [1.0, -1.0] + ([1.0] if up[j] >= 0 else [])
            builder.add_row(f"order_above{tag}[{k}][{ids[j]}]", np.array(index),
                            np.array(value), 0, INF)
        for j in levels[k + 1]:
            index = [shares[j], boundary] + ([down[j]] if down[j] >= 0 else [])
            value = [1.0, -1.0] + ([-1.0] if down[j] >= 0 else [])
            builder.add_row(f"order_below{tag}[{k}][{ids[j]}]", np.array(index),
                            np.array(value), -INF, 0)
        if k + 1 < len(bounds):
            builder.add_row(f"order_chain{tag}[{k}]", np.array([bounds[k + 1], boundary]),
                            np.array([1.0, -1.0]), -INF, 0)


def _cap_allowances(builder: ModelBuilder, c: Canonical, shares: np.ndarray,
                    funded: np.ndarray) -> np.ndarray:
    """Let a school's cap hold a request back, but only when the cap really is what stops it.

    held_by_cap[j] may be 1 only if the school's cap room, not counting money given to its own
    requests with less need than j, is under what j needs for more (its minimum if unfunded,
    £1 if funded). So a cap never lets a school's money go to its lower-need requests first.
    cap_use[school][need] carries the school's spending on requests with at least that need.
    """
    ids = c.free_ids()
    capped = [s for s in sorted(c.cap_room) if (c.school_index == c.schools.index(s)).any()]
    up = _allowances(builder, c, np.arange(c.size), "held_back_by_cap", set(capped))
    asks = ask_in_units(c)
    for sid in capped:
        cap = c.cap_room[sid] / c.unit
        big = cap + 1.0
        mine = np.flatnonzero(c.school_index == c.schools.index(sid))
        held = dict(zip(mine.tolist(), builder.add_columns(
            [f"held_by_cap[{ids[j]}]" for j in mine], np.zeros(len(mine)), np.zeros(len(mine)),
            np.ones(len(mine)), integer=True).tolist()))
        previous: list[int] = []
        for need in sorted(set(c.need[mine].tolist()), reverse=True):
            level = mine[c.need[mine] == need]
            use = int(builder.add_columns([f"cap_use[{sid}][{need:g}]"], [0.0], [0.0], [INF])[0])
            builder.add_row(f"cap_use[{sid}][{need:g}]",
                            np.concatenate([[use], previous, shares[level]]).astype(np.int64),
                            np.concatenate([[1.0], -np.ones(len(previous)), -asks[level]]), 0, 0)
            for j in level.tolist():
                short = max(c.minimum[j] - 1.0, 0.0) / c.unit
                builder.add_row(f"held_by_cap[{ids[j]}]", np.array([use, funded[j], held[j]]),
                                np.array([-1.0, short, big]), -INF,
                                short + 0.5 / c.unit + big - cap)
                builder.add_row(f"held_back_only_if_held[{ids[j]}]", np.array([up[j], held[j]]),
                                np.array([1.0, -1.0]), -INF, 0)
            previous = [use]
    return up


def build(c: Canonical) -> FairModel:
    builder = ModelBuilder(maximise=True)
    members = np.arange(c.size)
    shares = share_columns(builder, c, members, np.zeros(c.size), np.zeros(c.size), np.ones(c.size))
    money_rows(builder, c, shares, members)
    # A request with no minimum still has to get £1 to count as funded.
    least = np.maximum(c.minimum, 1.0)
    funded = funded_switches(builder, dataclasses.replace(c, minimum=least), shares, members)
    down = _allowances(builder, c, members, "lifted_by_floor", set(c.floor_room))
    up = _cap_allowances(builder, c, shares, funded)
    _order_rows(builder, c, shares, need_levels(c), up, down)
    counted = c.need > 0
    smallest = int(builder.add_columns(["smallest_share"], [0.0], [0.0], [1.0])[0])
    ids = c.free_ids()
    for j in np.flatnonzero(counted):
        builder.add_row(f"smallest_share[{ids[j]}]", np.array([shares[j], smallest, funded[j]]),
                        np.array([1.0, -1.0, -1.0]), -1.0, INF)
    allowances = down[down >= 0]
    return FairModel(builder, shares, funded, counted, allowances, smallest)


@dataclass(frozen=True)
class _Stage:
    """One step of the lexicographic order: its objective, and how its best value is kept."""

    name: str
    cost: dict[int, float]
    maximise: bool
    kept: np.ndarray | None


def _stages(c: Canonical, model: FairModel) -> list[_Stage]:
    counted = np.flatnonzero(model.counted)
    return [
        _Stage("count", {int(model.funded[j]): 1.0 for j in counted}, True,
               model.funded[counted]),
        _Stage("smallest", {model.smallest: 1.0}, True, np.array([model.smallest])),
        _Stage("need", {int(model.shares[j]): float(c.need[j]) for j in range(c.size)}, True,
               None),
    ]


def _step(solver: highspy.Highs, num_col: int, stage: _Stage, deadline: float,
          start: np.ndarray | None) -> RunResult:
    values = np.zeros(num_col)
    for col, weight in stage.cost.items():
        values[col] = weight
    solver.changeColsCost(num_col, np.arange(num_col, dtype=np.int32), values)
    solver.changeObjectiveSense(
        highspy.ObjSense.kMaximize if stage.maximise else highspy.ObjSense.kMinimize
    )
    if start is not None:
        # The previous step's split keeps every row added so far: a free first incumbent.
        warm = highspy.HighsSolution()
        warm.col_value = start.tolist()
        warm.value_valid = True
        solver.setSolution(warm)
    return run(solver, deadline - time.perf_counter())


def _keep(solver: highspy.Highs, stage: _Stage, best: float) -> None:
    """Hold the step's best value while later steps run (counts are whole numbers)."""
    if stage.kept is None:
        return
    cols = stage.kept.astype(np.int32)
    lower, upper = (round(best), INF) if stage.name == "count" else (best - 1e-7, INF)
    if not stage.maximise:
        lower, upper = -INF, best + 1e-7
    solver.addRow(lower, upper, len(cols), cols, np.ones(len(cols)))


def _first_steps(solver: highspy.Highs, model: FairModel, stages: list[_Stage],
                 deadline: float) -> tuple[RunResult, list[_Stage]]:
    """Bending and counting. With floors, count with the order unbent first: usually that works
    (and then bending 0 was best, so the count stands); only if not, bend least, then count."""
    n = model.builder.num_col
    bent = model.allowances.astype(np.int32)
    if len(bent) == 0:
        # With no floor, giving nobody anything keeps every row: start from there.
        return _step(solver, n, stages[0], deadline, np.zeros(n)), stages[1:]
    solver.changeColsBounds(len(bent), bent, np.zeros(len(bent)), np.zeros(len(bent)))
    counted = _step(solver, n, stages[0], deadline, None)
    solver.changeColsBounds(len(bent), bent, np.zeros(len(bent)), np.ones(len(bent)))
    stage = _Stage("bent", {int(k): 1.0 for k in model.allowances}, False, model.allowances)
    if counted.status != "infeasible":
        _keep(solver, stage, 0.0)
        return counted, stages[1:]
    result = _step(solver, n, stage, deadline, None)
    if result.status == "optimal":
        _keep(solver, stage, result.objective)
        return _step(solver, n, stages[0], deadline, result.values), stages[1:]
    return result, []


def solve(c: Canonical, deadline: float) -> Solution:
    started = time.perf_counter()
    if c.size == 0:
        return Solution("optimal", np.zeros(0), np.zeros(0, dtype=bool), 0.0, 0.0, 0.0, 0)
    model = build(c)
    solver = model.builder.highs(EXACT_OPTIONS)
    built = time.perf_counter()
    stages = _stages(c, model)
    result, rest = _first_steps(solver, model, stages, deadline)
    if result.status == "optimal":
        _keep(solver, stages[0], result.objective)
        for stage in rest:
            result = _step(solver, model.builder.num_col, stage, deadline, result.values)
            if result.status != "optimal":
                break
            _keep(solver, stage, result.objective)
    return _solution(c, model, result, (built - started) * 1e3,
                     (time.perf_counter() - built) * 1e3)


def _solution(c: Canonical, model: FairModel, result: RunResult, build_ms: float,
              solve_ms: float) -> Solution:
    if result.status in ("infeasible", "no_solution"):
        empty = np.zeros(c.size)
        return Solution(result.status, empty, empty > 0, np.inf, build_ms, solve_ms, 0)
    shares = result.values[model.shares]
    funded = result.values[model.funded] > 0.5
    shares = np.where(funded, np.clip(shares, c.minimum / c.amount, 1.0), 0.0)
    return Solution(result.status, shares, funded, result.gap, build_ms, solve_ms, 0)

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

solved lexicographically, one HiGHS run per step on the one model PuLP built (see `highs_model`),
each step's best value kept as a constraint for the next and its split handed to the next as a
starting point: (1) minimise the sum of d (with floors only; first the count is tried with every d
at 0, which usually works and saves a run), (2) maximise the number funded, (3) maximise t,
(4) maximise need met. A time limit stops at the step it hits; the split is then that step's best
so far, reported as "time_limited".

The counting step is the hard one (thousands of yes/no switches). The need levels where funding
can stop are narrowed first without a solver (`counting`): requests below the deepest affordable
cut-off are left out of the model (when a floor bends the order, not those at its school), and,
while the order is unbent, uncapped requests above the levels where a best count could stop are
fixed as funded.
Every fixing holds in every split that keeps the best count, so no step's best value changes;
`solve(..., narrowed=False)` runs without them, and the tests check both agree.
"""

from __future__ import annotations

import dataclasses
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pulp

from cluster.optimiser import counting, highs_model
from cluster.optimiser.canonical import Canonical
from cluster.optimiser.formulation import (
    ask_in_units,
    funded_switches,
    money_rows,
    share_variables,
)
from cluster.optimiser.highs_model import RunResult
from cluster.optimiser.need_per_pound import Solution
from cluster.optimiser.solving import Model, add_row, linear, new_problem, read, run, settings

Variables = Sequence[pulp.LpVariable]
_GE, _LE, _EQ = pulp.LpConstraintGE, pulp.LpConstraintLE, pulp.LpConstraintEQ


@dataclass(frozen=True)
class FairModel:
    """The fair-shares problem and the variables each step's objective and read-back need."""

    model: Model
    shares: Variables
    funded: Variables
    counted: np.ndarray
    allowances: Variables
    smallest: pulp.LpVariable

    @property
    def prob(self) -> pulp.LpProblem:
        return self.model.prob


def need_levels(c: Canonical) -> list[np.ndarray]:
    """Requests grouped by need score, highest first, each group in reference order."""
    values = sorted(set(c.need.tolist()), reverse=True)
    return [np.flatnonzero(c.need == v) for v in values]


def _allowances(c: Canonical, kind: str, schools: set[str]) -> dict[int, pulp.LpVariable]:
    """An allowance (0 to 1) for each request at those schools, by request position."""
    ids = c.free_ids()
    return {j: pulp.LpVariable(f"{kind}[{ids[j]}]", 0.0, 1.0)
            for j in range(c.size) if c.school_of(j) in schools}


def _order_rows(prob: pulp.LpProblem, c: Canonical, shares: Variables,
                levels: list[np.ndarray], up: Mapping[int, pulp.LpVariable],
                down: Mapping[int, pulp.LpVariable]) -> None:
    """The need order as a chain of boundaries between need levels (O(n) rows, not O(n^2))."""
    levels = [level for level in levels if len(level)]
    if len(levels) < 2:
        return
    ids = c.free_ids()
    bounds = [pulp.LpVariable(f"boundary[{k}]", 0.0, 1.0) for k in range(len(levels) - 1)]
    for k, boundary in enumerate(bounds):
        for j in levels[k].tolist():
            terms = [(shares[j], 1.0), (boundary, -1.0)] + ([(up[j], 1.0)] if j in up else [])
            add_row(prob, f"order_above[{k}][{ids[j]}]", pulp.LpAffineExpression(terms), _GE, 0)
        for j in levels[k + 1].tolist():
            terms = [(shares[j], 1.0), (boundary, -1.0)] + ([(down[j], -1.0)] if j in down else [])
            add_row(prob, f"order_below[{k}][{ids[j]}]", pulp.LpAffineExpression(terms), _LE, 0)
        if k + 1 < len(bounds):
            add_row(prob, f"order_chain[{k}]", linear((bounds[k + 1], boundary), (1.0, -1.0)),
                    _LE, 0)


def _cap_allowances(prob: pulp.LpProblem, c: Canonical, shares: Variables,
                    funded: Variables) -> dict[int, pulp.LpVariable]:
    """Let a school's cap hold a request back, but only when the cap really is what stops it.

    held_by_cap[j] may be 1 only if the school's cap room, not counting money given to its own
    requests with less need than j, is under what j needs for more (its minimum if unfunded,
    £1 if funded). So a cap never lets a school's money go to its lower-need requests first.
    cap_use[school][need] carries the school's spending on requests with at least that need.
    """
    ids = c.free_ids()
    capped = [s for s in sorted(c.cap_room) if (c.school_index == c.schools.index(s)).any()]
    up = _allowances(c, "held_back_by_cap", set(capped))
    asks = ask_in_units(c)
    for sid in capped:
        cap = c.cap_room[sid] / c.unit
        big = cap + 1.0
        mine = np.flatnonzero(c.school_index == c.schools.index(sid))
        held = {j: pulp.LpVariable(f"held_by_cap[{ids[j]}]", cat=pulp.LpBinary)
                for j in mine.tolist()}
        previous: list[tuple[pulp.LpVariable, float]] = []
        for need in sorted(set(c.need[mine].tolist()), reverse=True):
            level = mine[c.need[mine] == need].tolist()
            use = pulp.LpVariable(f"cap_use[{sid}][{need:g}]", 0.0)
            terms = [(use, 1.0), *previous, *((shares[j], -asks[j]) for j in level)]
            add_row(prob, f"cap_use[{sid}][{need:g}]", pulp.LpAffineExpression(terms), _EQ, 0)
            for j in level:
                short = max(c.minimum[j] - 1.0, 0.0) / c.unit
                add_row(prob, f"held_by_cap[{ids[j]}]",
                        linear((use, funded[j], held[j]), (-1.0, short, big)), _LE,
                        short + 0.5 / c.unit + big - cap)
                add_row(prob, f"held_back_only_if_held[{ids[j]}]",
                        linear((up[j], held[j]), (1.0, -1.0)), _LE, 0)
            previous = [(use, -1.0)]
    return up


def build(c: Canonical) -> FairModel:
    prob = new_problem("fair_shares")
    members = np.arange(c.size)
    shares = share_variables(c, members, np.zeros(c.size), np.ones(c.size))
    money_rows(prob, c, shares, members)
    # A request with no minimum still has to get £1 to count as funded.
    least = np.maximum(c.minimum, 1.0)
    funded = funded_switches(prob, dataclasses.replace(c, minimum=least), shares, members)
    down = _allowances(c, "lifted_by_floor", set(c.floor_room))
    up = _cap_allowances(prob, c, shares, funded)
    _order_rows(prob, c, shares, need_levels(c), up, down)
    counted = c.need > 0
    smallest = pulp.LpVariable("smallest_share", 0.0, 1.0)
    ids = c.free_ids()
    for j in np.flatnonzero(counted).tolist():
        add_row(prob, f"smallest_share[{ids[j]}]",
                linear((shares[j], smallest, funded[j]), (1.0, -1.0, -1.0)), _GE, -1.0)
    allowances = list(down.values())
    prob.addVariables([*allowances, *up.values(), smallest])
    model = Model(prob, [*shares, *funded])
    return FairModel(model, shares, funded, counted, allowances, smallest)


@dataclass(frozen=True)
class _Stage:
    """One step of the lexicographic order: its objective, and the variables its best value keeps.

    `kept` is None when nothing follows that needs the step's value held.
    """

    name: str
    objective: pulp.LpAffineExpression
    maximise: bool
    kept: Variables | None


def _stages(c: Canonical, model: FairModel) -> list[_Stage]:
    counted = np.flatnonzero(model.counted).tolist()
    count = [model.funded[j] for j in counted]
    return [
        _Stage("count", linear(count, [1.0] * len(count)), True, count),
        _Stage("smallest", linear([model.smallest], [1.0]), True, [model.smallest]),
        _Stage("need", linear(model.shares, c.need.tolist()), True, None),
    ]


def _bent_stage(model: FairModel) -> _Stage:
    bent = model.allowances
    return _Stage("bent", linear(bent, [1.0] * len(bent)), False, bent)


def _keep(model: FairModel, stage: _Stage, best: float) -> None:
    """Hold the step's best value while later steps run (counts are whole numbers)."""
    if stage.kept is None:
        return
    total = linear(stage.kept, [1.0] * len(stage.kept))
    if not stage.maximise:
        sense, bound = _LE, best + 1e-7
    else:
        sense, bound = _GE, (round(best) if stage.name == "count" else best - 1e-7)
    constraint = pulp.LpConstraint(total, sense, None, float(bound))
    highs_model.keep(model.prob, constraint, f"keep_{stage.name}")


def _step(model: FairModel, stage: _Stage, deadline: float, from_last: bool = True
          ) -> RunResult:
    """Re-run the model PuLP already built with this step's objective."""
    sense = pulp.LpMaximize if stage.maximise else pulp.LpMinimize
    highs_model.set_objective(model.prob, stage.objective, sense)
    started = time.perf_counter()
    highs_model.rerun(model.prob, settings(model.model), deadline - time.perf_counter(),
                      from_last)
    return read(model.model, time.perf_counter() - started)


def _first_run(model: FairModel, stage: _Stage, deadline: float) -> RunResult:
    """The first step, solved by PuLP; it builds the HiGHS model the later steps re-run."""
    model.prob.sense = pulp.LpMaximize if stage.maximise else pulp.LpMinimize
    model.prob.setObjective(stage.objective)
    return run(model.model, deadline - time.perf_counter())


def _fix(model: FairModel, chosen: np.ndarray, funded: bool, built: bool) -> None:
    """Fix the chosen requests as funded, or at nothing, in PuLP and (once built) in HiGHS."""
    prob = model.prob if built else None
    picked = np.flatnonzero(chosen).tolist()
    value = 1.0 if funded else 0.0
    highs_model.set_bounds([model.funded[j] for j in picked], value, value, prob)
    if not funded:
        highs_model.set_bounds([model.shares[j] for j in picked], 0.0, 0.0, prob)


def _free(model: FairModel, chosen: np.ndarray) -> None:
    """Undo `_fix` for the chosen requests once the HiGHS model is built."""
    picked = np.flatnonzero(chosen).tolist()
    highs_model.set_bounds([model.funded[j] for j in picked], 0.0, 1.0, model.prob)
    highs_model.set_bounds([model.shares[j] for j in picked], 0.0, 1.0, model.prob)


# Levels above the deepest cut-off searched first: real rounds cut off within a level or two of it.
_FIRST_WINDOW = 2


def _count_unbent(c: Canonical, model: FairModel, stage: _Stage, deadline: float
                  ) -> RunResult:
    """The counting step with the need order unbent by floors, narrowed by `counting` (exact).

    First only cut-off levels near the deepest affordable one are searched (the uncapped
    requests above them fixed as funded). The best count C found there is proven best once no
    split with its cut-off higher could fund C (`counting.shallowest`); if one could, the search
    widens to those levels and runs again from the split found. No split near the deepest level
    at all: the window doubles until one is found. If the order cannot be kept unbent, every
    fixing is undone and the result says "infeasible".
    """
    cut = counting.cut_off(c, need_levels(c), bent=False)
    nothing = cut.fixed_at_nothing()
    _fix(model, nothing, funded=False, built=False)
    window = _FIRST_WINDOW
    fixed = cut.fixed_funded_above(max(0, cut.deepest - window))
    _fix(model, fixed, funded=True, built=False)
    result = _first_run(model, stage, deadline)
    while result.status == "infeasible" and fixed.any():
        window *= 2
        fewer = cut.fixed_funded_above(max(0, cut.deepest - window))
        _free(model, fixed & ~fewer)
        fixed = fewer
        result = _step(model, stage, deadline, from_last=False)
    if result.status == "infeasible":
        _free(model, nothing)
        return result
    if result.status not in ("optimal", "time_limited"):
        return result
    needed = cut.fixed_funded(round(result.objective))
    if (fixed & ~needed).any():  # a higher cut-off might fund as many: search there too
        _free(model, fixed & ~needed)
        fixed &= needed
        result = _step(model, stage, deadline)
        if result.status not in ("optimal", "time_limited"):
            return result
    # Every split that keeps the best count funds these: fixing them speeds the later steps.
    settled = cut.fixed_funded(round(result.objective)) & ~fixed
    _fix(model, settled, funded=True, built=True)
    return result


def _count_plain(c: Canonical, model: FairModel, stage: _Stage, deadline: float) -> RunResult:
    """The counting step over the whole model, as `_count_unbent` without its fixings."""
    return _first_run(model, stage, deadline)


def _first_steps(c: Canonical, model: FairModel, stages: list[_Stage], deadline: float,
                 narrowed: bool, unbent: bool | None) -> tuple[RunResult, list[_Stage]]:
    """Bending and counting. With floors, count with the order unbent first: usually that works
    (and then bending 0 was best, so the count stands); only if not, bend least, then count.
    `unbent`: True to stop at "infeasible" rather than bend (the model lacks requests bending
    may need); False when the order is already known to need bending; None to find out.
    """
    count = _count_unbent if narrowed else _count_plain
    if not model.allowances:
        return count(c, model, stages[0], deadline), stages[1:]
    stage = _bent_stage(model)
    if unbent is False:
        result = _first_run(model, stage, deadline)
    else:
        highs_model.set_bounds(model.allowances, 0.0, 0.0)
        counted = count(c, model, stages[0], deadline)
        highs_model.set_bounds(model.allowances, 0.0, 1.0, model.prob)
        if counted.status != "infeasible" or unbent:
            _keep(model, stage, 0.0)
            return counted, stages[1:]
        result = _step(model, stage, deadline, from_last=False)  # the last run found no split
    if result.status == "optimal":
        _keep(model, stage, result.objective)
        return _step(model, stages[0], deadline), stages[1:]
    return result, []


def _staged(c: Canonical, deadline: float, narrowed: bool, unbent: bool | None = None
            ) -> Solution:
    started = time.perf_counter()
    model = build(c)
    built = time.perf_counter()
    stages = _stages(c, model)
    result, rest = _first_steps(c, model, stages, deadline, narrowed, unbent)
    if result.status == "optimal":
        _keep(model, stages[0], result.objective)
        for stage in rest:
            result = _step(model, stage, deadline)
            if result.status != "optimal":
                break
            _keep(model, stage, result.objective)
    return _solution(c, result, (built - started) * 1e3, (time.perf_counter() - built) * 1e3)


def _without(c: Canonical, kept: np.ndarray) -> Canonical:
    """The round with only the kept requests left for the model to decide."""
    return dataclasses.replace(
        c, free=tuple(i for i, keep in zip(c.free, kept.tolist(), strict=True) if keep),
        amount=c.amount[kept], minimum=c.minimum[kept], need=c.need[kept],
        school_index=c.school_index[kept])


def _with_nothing_for_the_rest(c: Canonical, kept: np.ndarray, part: Solution) -> Solution:
    shares, funded = np.zeros(c.size), np.zeros(c.size, dtype=bool)
    if part.status not in ("infeasible", "no_solution"):
        shares[kept], funded[kept] = part.shares, part.funded
    return dataclasses.replace(part, shares=shares, funded=funded)


def solve(c: Canonical, deadline: float, narrowed: bool = True) -> Solution:
    """The staged solve; `narrowed=False` runs without `counting`'s fixings (for the tests that
    check the fixings never change an answer).

    Narrowed, requests below the deepest cut-off level (`counting`) are left out of the model
    altogether: first as far as an unbent order allows, which settles most rounds; if a floor
    must bend the order, as far as a bent one allows (requests at schools with a floor stay in).
    """
    if c.size == 0:
        return Solution("optimal", np.zeros(0), np.zeros(0, dtype=bool), 0.0, 0.0, 0.0, 0)
    if not narrowed:
        return _staged(c, deadline, narrowed)
    levels = need_levels(c)
    unbent = ~counting.cut_off(c, levels, bent=False).fixed_at_nothing()
    part = _staged(_without(c, unbent), deadline, narrowed, unbent=True)
    if part.status != "infeasible" or not c.floor_room:
        return _with_nothing_for_the_rest(c, unbent, part)
    # No split keeps the order unbent (the requests left out change nothing there): bend it.
    bent = ~counting.cut_off(c, levels).fixed_at_nothing()
    return _with_nothing_for_the_rest(c, bent, _staged(_without(c, bent), deadline, narrowed,
                                                       unbent=False))


def _solution(c: Canonical, result: RunResult, build_ms: float, solve_ms: float) -> Solution:
    if result.status in ("infeasible", "no_solution"):
        empty = np.zeros(c.size)
        return Solution(result.status, empty, empty > 0, np.inf, build_ms, solve_ms, 0)
    # Values come back shares first, then the funded switches (see `build`).
    shares = result.values[: c.size]
    funded = result.values[c.size :] > 0.5
    shares = np.where(funded, np.clip(shares, c.minimum / c.amount, 1.0), 0.0)
    return Solution(result.status, shares, funded, result.gap, build_ms, solve_ms, 0)

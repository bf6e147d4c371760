"""The one module that touches HiGHS directly: the `highspy.Highs` that PuLP builds for a model.

PuLP 3.3's in-process HiGHS solves a model once: it cannot re-solve after a change, nor take a
starting split. Fair shares solves one model in steps, each step keeping the last one's best value
as a new row and starting from its split; rebuilding and solving from nothing at each step costs
several times as much. So this module changes the model PuLP built (`prob.solverModel`): rows,
costs, bounds and a starting split, mirrored in the PuLP problem; re-runs it; and has PuLP read
the outcome back, so the status is still PuLP's `sol_status`. It also reads the MIP gap, which
PuLP does not report. Every model is stated in PuLP; nothing here builds one by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

import highspy
import numpy as np
import pulp

RunStatus = Literal["optimal", "time_limited", "infeasible", "no_solution"]

_STOPPED_EARLY = {
    highspy.HighsModelStatus.kTimeLimit,
    highspy.HighsModelStatus.kInterrupt,
    highspy.HighsModelStatus.kIterationLimit,
    highspy.HighsModelStatus.kSolutionLimit,
    highspy.HighsModelStatus.kMemoryLimit,
    highspy.HighsModelStatus.kHighsInterrupt,  # type: ignore[attr-defined]  # in highspy, not its stubs
}


def mip_gap(prob: pulp.LpProblem) -> float:
    """HiGHS's relative MIP gap after the last run (PuLP does not pass it on)."""
    return float(prob.solverModel.getInfo().mip_gap)


def status_text(prob: pulp.LpProblem) -> str:
    model = prob.solverModel
    return str(model.modelStatusToString(model.getModelStatus()))


def stopped_early(prob: pulp.LpProblem) -> bool:
    """A limit stopped the run (PuLP folds such stops and solver errors into one status)."""
    return prob.solverModel.getModelStatus() in _STOPPED_EARLY


def keep(prob: pulp.LpProblem, constraint: pulp.LpConstraint, name: str) -> None:
    """Add a row to the PuLP problem and to the HiGHS model already built from it."""
    prob.addConstraint(constraint, name)
    items = [(var.index, coefficient) for var, coefficient in constraint.items() if coefficient]
    lower, upper = constraint.getLb(), constraint.getUb()
    model = prob.solverModel
    model.addRow(-highspy.kHighsInf if lower is None else lower,
                 highspy.kHighsInf if upper is None else upper, len(items),
                 np.array([i for i, _ in items], dtype=np.int32),
                 np.array([v for _, v in items], dtype=float))
    constraint.index = model.getNumRow() - 1


def set_objective(prob: pulp.LpProblem, objective: pulp.LpAffineExpression, sense: int) -> None:
    """A new objective, in PuLP's way: HiGHS always minimises, maximising negates the costs."""
    prob.sense = sense
    prob.setObjective(objective)
    costs = np.zeros(prob.solverModel.getNumCol())
    for var, coefficient in objective.items():
        costs[var.index] = coefficient
    if sense == pulp.LpMaximize:
        costs = -costs
    # Every column gets a cost, so the last step's objective leaves nothing behind.
    prob.solverModel.changeColsCost(len(costs), np.arange(len(costs), dtype=np.int32), costs)


def set_bounds(variables: Sequence[pulp.LpVariable], lower: float, upper: float,
               prob: pulp.LpProblem | None = None) -> None:
    """Set bounds in PuLP and, once PuLP has built its HiGHS model (`prob` given), there too."""
    for var in variables:
        var.lowBound, var.upBound = lower, upper
    if prob is None or not variables:
        return
    indices = np.array([var.index for var in variables], dtype=np.int32)
    prob.solverModel.changeColsBounds(len(indices), indices, np.full(len(indices), lower),
                                      np.full(len(indices), upper))


def rerun(prob: pulp.LpProblem, settings: pulp.HiGHS, time_limit_s: float,
          from_last: bool = True) -> None:
    """Run the changed model again, from the last split if asked; PuLP reads the outcome back."""
    model = prob.solverModel
    # Later steps add rows over the same columns, so PuLP's list of them is complete since the
    # first run; `prob.variables()` would rescan every row to rebuild it, at each of PuLP's calls.
    columns = list(prob._variables)
    if from_last:
        _start_from_last(columns, model)
    model.setOptionValue("time_limit", max(0.01, float(time_limit_s)))
    settings.callSolver(prob)
    prob.variables = lambda: columns  # see `columns` above
    try:
        prob.assignStatus(*settings.findSolutionValues(prob))
    finally:
        del prob.variables


def _start_from_last(columns: Sequence[pulp.LpVariable], model: highspy.Highs) -> None:
    # The last split keeps every row added so far: a free first incumbent for the next step.
    start = np.zeros(model.getNumCol())
    for var in columns:
        start[var.index] = var.varValue or 0.0
    warm = highspy.HighsSolution()
    warm.col_value = start.tolist()
    warm.value_valid = True
    model.setSolution(warm)


@dataclass(frozen=True)
class RunResult:
    """What a HiGHS run left behind, read only after its status said there was something to read."""

    status: RunStatus
    values: np.ndarray
    row_duals: np.ndarray
    objective: float
    gap: float
    seconds: float
    model_status: str

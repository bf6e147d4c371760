"""The one module that touches HiGHS directly: the `highspy.Highs` that PuLP builds for a model.

PuLP 3.3's in-process HiGHS solves a model once: it cannot re-solve after a change, nor take a
starting split. Fair shares solves one model in steps, each step keeping the last one's best value
as a new row and starting from its split; rebuilding and solving from nothing at each step costs
several times as much. So this module changes the model PuLP built (`prob.solverModel`): rows,
costs, bounds and a starting split, mirrored in the PuLP problem; re-runs it; and has PuLP read
the outcome back, so the status is still PuLP's `sol_status`. It also reads the MIP gap, which
PuLP does not report. Every model is stated in PuLP; nothing here builds one by hand.

`ModelBuilder` and `run` keep the older positional interface (columns and rows by position, a run
of a bare `Highs` read by HiGHS's own status) for the solver tests; the optimiser uses neither.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
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
_FEASIBLE_SOLUTION = 2  # HiGHS's SolutionStatus kSolutionStatusFeasible


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


@dataclass
class ModelBuilder:
    """Columns and rows by position, stated in PuLP; `highs()` has PuLP build the HiGHS model."""

    maximise: bool = True
    prob: pulp.LpProblem = field(default_factory=lambda: pulp.LpProblem("model"))
    columns: list[pulp.LpVariable] = field(default_factory=list)
    _names: list[str] = field(default_factory=list)
    _rows: list[tuple[str, pulp.LpConstraint]] = field(default_factory=list)
    _cost: dict[pulp.LpVariable, float] = field(default_factory=dict)

    def add_columns(self, names: Sequence[str], cost: np.ndarray, lower: np.ndarray,
                    upper: np.ndarray, integer: bool = False) -> np.ndarray:
        first = len(self.columns)
        cat = pulp.LpInteger if integer else pulp.LpContinuous
        for k, (name, weight, low, up) in enumerate(zip(names, cost, lower, upper, strict=True)):
            var = pulp.LpVariable(f"c{first + k}", float(low), float(up), cat)
            self.columns.append(var)
            self._names.append(name)
            self._cost[var] = float(weight)
        return np.arange(first, len(self.columns), dtype=np.int64)

    def add_row(self, name: str, index: np.ndarray, value: np.ndarray, lower: float,
                upper: float) -> int:
        expr = pulp.LpAffineExpression((self.columns[int(i)], float(v)) for i, v in
                                       zip(index, value, strict=True))
        for sense, bound in ((pulp.LpConstraintGE, lower), (pulp.LpConstraintLE, upper)):
            if np.isfinite(bound):
                self._rows.append((name, pulp.LpConstraint(expr, sense, None, float(bound))))
        return len(self._rows) - 1

    def highs(self, options: Mapping[str, object] | None = None) -> highspy.Highs:
        self.prob.sense = pulp.LpMaximize if self.maximise else pulp.LpMinimize
        self.prob.setObjective(pulp.LpAffineExpression(self._cost))
        self.prob.addVariables(self.columns)
        for k, (_, row) in enumerate(self._rows):
            self.prob.addConstraint(row, f"r{k}")
        settings = pulp.HiGHS(msg=False, **dict(options or {}))
        settings.createAndConfigureSolver(self.prob)
        settings.buildSolverModel(self.prob)
        model = self.prob.solverModel
        # PuLP passes neither names nor a maximise sense: restate both for a readable model.
        for var, name in zip(self.columns, self._names, strict=True):
            model.passColName(var.index, name)
        for (name, row) in self._rows:
            model.passRowName(row.index, name)
        _maximise_in_place(model, self.columns, self._cost, self.maximise)
        return model


def _maximise_in_place(model: highspy.Highs, columns: Iterable[pulp.LpVariable],
                       cost: Mapping[pulp.LpVariable, float], maximise: bool) -> None:
    if not maximise:
        return
    indices = np.array([var.index for var in columns], dtype=np.int32)
    values = np.array([cost[var] for var in columns], dtype=float)
    model.changeColsCost(len(indices), indices, values)
    model.changeObjectiveSense(highspy.ObjSense.kMaximize)


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


def run(solver: highspy.Highs, time_limit_s: float | None = None, mip: bool = True) -> RunResult:
    """Run HiGHS and classify how it stopped; a time limit is never reported as optimal."""
    if time_limit_s is not None:
        solver.setOptionValue("time_limit", max(0.01, float(time_limit_s)))
    started = time.perf_counter()
    solver.run()
    seconds = time.perf_counter() - started
    model_status = solver.getModelStatus()
    text = solver.modelStatusToString(model_status)
    info = solver.getInfo()
    has_solution = info.primal_solution_status == _FEASIBLE_SOLUTION
    if model_status == highspy.HighsModelStatus.kOptimal:
        status: RunStatus = "optimal"
    elif model_status == highspy.HighsModelStatus.kInfeasible:
        status = "infeasible"
    elif model_status in _STOPPED_EARLY:
        status = "time_limited" if has_solution else "no_solution"
    else:
        raise RuntimeError(f"HiGHS stopped unexpectedly: {text}.")
    if status in ("infeasible", "no_solution"):
        return RunResult(status, np.zeros(0), np.zeros(0), 0.0, float("inf"), seconds, text)
    solution = solver.getSolution()
    gap = float(info.mip_gap) if (mip and status == "time_limited") else 0.0
    duals = np.array(solution.row_dual) if solution.dual_valid else np.zeros(0)
    return RunResult(
        status=status,
        values=np.array(solution.col_value),
        row_duals=duals,
        objective=float(info.objective_function_value),
        gap=gap,
        seconds=seconds,
        model_status=text,
    )

"""Solve a PuLP model with HiGHS in-process, and read back only what its status allows.

The solver is named (`pulp.HiGHS`, which runs `highspy` in this process): never PuLP's default,
and never a file-based solver, which would leave request data in temporary files after a failure.
The status comes from `prob.sol_status`, not `prob.status`: PuLP calls a run that a time limit cut
short "Optimal", and only the solution status says whether the split was proven best.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np
import pulp

from cluster.optimiser import highs_model
from cluster.optimiser.highs_model import RunResult, RunStatus

# Need met is compared to the last decimal in the tests (an all-or-nothing round is a 0/1 knapsack
# and must hit the exact optimum), so the search may not stop at HiGHS's default 0.01% gap.
EXACT_OPTIONS: Mapping[str, object] = {"gapRel": 1e-9, "gapAbs": 1e-9}

_STATUS: Mapping[int, RunStatus] = {
    pulp.LpSolutionOptimal: "optimal",
    pulp.LpSolutionIntegerFeasible: "time_limited",
    pulp.LpSolutionInfeasible: "infeasible",
    pulp.LpSolutionNoSolutionFound: "no_solution",
}


@dataclass(frozen=True)
class Model:
    """A PuLP problem, the variables whose values are read back (in order), and HiGHS options."""

    prob: pulp.LpProblem
    columns: Sequence[pulp.LpVariable]
    options: Mapping[str, object] = field(default_factory=lambda: dict(EXACT_OPTIONS))


def new_problem(name: str, maximise: bool = True) -> pulp.LpProblem:
    return pulp.LpProblem(name, pulp.LpMaximize if maximise else pulp.LpMinimize)


def linear(variables: Iterable[pulp.LpVariable], coefficients: Iterable[float]
           ) -> pulp.LpAffineExpression:
    """A sum of coefficient x variable built from pairs: no intermediate expression per term."""
    return pulp.LpAffineExpression(zip(variables, coefficients, strict=True))


def add_row(prob: pulp.LpProblem, name: str, expr: pulp.LpAffineExpression, sense: int,
            rhs: float) -> pulp.LpConstraint:
    constraint = pulp.LpConstraint(expr, sense, None, float(rhs))
    prob.addConstraint(constraint, name)
    return constraint


def settings(model: Model, time_limit_s: float | None = None) -> pulp.HiGHS:
    """PuLP's in-process HiGHS, quiet, with the model's options and what is left of the time."""
    limit = None if time_limit_s is None else max(0.01, float(time_limit_s))
    return pulp.HiGHS(msg=False, timeLimit=limit, **dict(model.options))


def run(model: Model, time_limit_s: float | None = None, mip: bool = True) -> RunResult:
    """Solve and classify how the run stopped; a time limit is never reported as optimal."""
    # Every column takes part, even one no row or objective mentions (PuLP would leave it out).
    model.prob.addVariables(model.columns)
    started = time.perf_counter()
    model.prob.solve(settings(model, time_limit_s))
    return read(model, time.perf_counter() - started, mip)


def read(model: Model, seconds: float, mip: bool = True) -> RunResult:
    """What the last run left behind, read only after `sol_status` said there is something."""
    prob = model.prob
    status = _STATUS.get(prob.sol_status)
    text = highs_model.status_text(prob)
    if status is None or (status == "no_solution" and not highs_model.stopped_early(prob)):
        raise RuntimeError(f"HiGHS stopped unexpectedly: {text}.")
    if status in ("infeasible", "no_solution"):
        return RunResult(status, np.zeros(0), np.zeros(0), 0.0, float("inf"), seconds, text)
    values = np.array([var.varValue for var in model.columns], dtype=float)
    duals = np.array([row.pi for row in prob.constraints.values()], dtype=float)
    gap = highs_model.mip_gap(prob) if (mip and status == "time_limited") else 0.0
    objective = float(pulp.value(prob.objective) or 0.0)
    return RunResult(status, values, duals, objective, gap, seconds, text)

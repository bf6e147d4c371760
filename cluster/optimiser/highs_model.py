"""A thin layer over HiGHS (through `highspy`, in-process): build in bulk, run, read the status.

Models are assembled from numpy blocks and handed to HiGHS in one `passModel` call, because adding
10,000 variables one Python call at a time costs more than solving them. Every row and column
carries a name ("pot", "cap[S1]", "funded[R7]") so a model written out for debugging reads like the
problem. Nothing is written to disk: request data never lands in a solver's temp file.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

import highspy
import numpy as np

INF = highspy.kHighsInf
RunStatus = Literal["optimal", "time_limited", "infeasible", "no_solution"]

_STOPPED_EARLY = {
    highspy.HighsModelStatus.kTimeLimit,
    highspy.HighsModelStatus.kInterrupt,
    highspy.HighsModelStatus.kIterationLimit,
    highspy.HighsModelStatus.kSolutionLimit,
    highspy.HighsModelStatus.kMemoryLimit,
    highspy.HighsModelStatus.kHighsInterrupt,
}
_FEASIBLE_SOLUTION = 2  # HiGHS's SolutionStatus kSolutionStatusFeasible

# Need met is compared to the last decimal in the tests (an all-or-nothing round is a 0/1 knapsack
# and must hit the exact optimum), so the search may not stop at HiGHS's default 0.01% gap.
EXACT_OPTIONS: dict[str, object] = {"mip_rel_gap": 1e-9, "mip_abs_gap": 1e-9}


@dataclass
class ModelBuilder:
    """Collects columns and rows as numpy blocks; `highs()` turns them into one HiGHS model."""

    maximise: bool = True
    _cost: list[np.ndarray] = field(default_factory=list)
    _lower: list[np.ndarray] = field(default_factory=list)
    _upper: list[np.ndarray] = field(default_factory=list)
    _integer: list[np.ndarray] = field(default_factory=list)
    _col_names: list[str] = field(default_factory=list)
    _row_lengths: list[np.ndarray] = field(default_factory=list)
    _row_index: list[np.ndarray] = field(default_factory=list)
    _row_value: list[np.ndarray] = field(default_factory=list)
    _row_lower: list[np.ndarray] = field(default_factory=list)
    _row_upper: list[np.ndarray] = field(default_factory=list)
    _row_names: list[str] = field(default_factory=list)
    num_col: int = 0
    num_row: int = 0

    def add_columns(
        self,
        names: Sequence[str],
        cost: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        integer: bool = False,
    ) -> np.ndarray:
        """Add a block of columns; returns their indices."""
        size = len(names)
        first = self.num_col
        self._cost.append(np.asarray(cost, dtype=float).reshape(size))
        self._lower.append(np.asarray(lower, dtype=float).reshape(size))
        self._upper.append(np.asarray(upper, dtype=float).reshape(size))
        self._integer.append(np.full(size, integer, dtype=bool))
        self._col_names.extend(names)
        self.num_col += size
        return np.arange(first, first + size, dtype=np.int64)

    def add_rows(
        self,
        names: Sequence[str],
        lengths: np.ndarray,
        index: np.ndarray,
        value: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
    ) -> np.ndarray:
        """Add a block of rows given row by row: row k uses the next lengths[k] (index, value)."""
        size = len(names)
        first = self.num_row
        self._row_lengths.append(np.asarray(lengths, dtype=np.int64).reshape(size))
        self._row_index.append(np.asarray(index, dtype=np.int64))
        self._row_value.append(np.asarray(value, dtype=float))
        self._row_lower.append(np.asarray(lower, dtype=float).reshape(size))
        self._row_upper.append(np.asarray(upper, dtype=float).reshape(size))
        self._row_names.extend(names)
        self.num_row += size
        return np.arange(first, first + size, dtype=np.int64)

    def add_row(
        self, name: str, index: np.ndarray, value: np.ndarray, lower: float, upper: float
    ) -> int:
        rows = self.add_rows(
            [name], np.array([len(index)]), index, value, np.array([lower]), np.array([upper])
        )
        return int(rows[0])

    def lp(self) -> highspy.HighsLp:
        model = highspy.HighsLp()
        model.num_col_ = self.num_col
        model.num_row_ = self.num_row
        model.col_cost_ = _join(self._cost, float)
        model.col_lower_ = _join(self._lower, float)
        model.col_upper_ = _join(self._upper, float)
        model.row_lower_ = _join(self._row_lower, float)
        model.row_upper_ = _join(self._row_upper, float)
        lengths = _join(self._row_lengths, np.int64)
        starts = np.zeros(self.num_row + 1, dtype=np.int32)
        np.cumsum(lengths, out=starts[1:])
        model.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
        model.a_matrix_.num_col_ = self.num_col
        model.a_matrix_.num_row_ = self.num_row
        model.a_matrix_.start_ = starts
        model.a_matrix_.index_ = _join(self._row_index, np.int32)
        model.a_matrix_.value_ = _join(self._row_value, float)
        model.sense_ = highspy.ObjSense.kMaximize if self.maximise else highspy.ObjSense.kMinimize
        integer = _join(self._integer, bool)
        if integer.any():
            model.integrality_ = [
                highspy.HighsVarType.kInteger if flag else highspy.HighsVarType.kContinuous
                for flag in integer
            ]
        model.col_names_ = self._col_names
        model.row_names_ = self._row_names
        return model

    def highs(self, options: dict[str, object] | None = None) -> highspy.Highs:
        solver = highspy.Highs()
        solver.setOptionValue("output_flag", False)
        for key, value in (options or {}).items():
            solver.setOptionValue(key, value)
        solver.passModel(self.lp())
        return solver


def _join(blocks: list[np.ndarray], dtype: type) -> np.ndarray:
    if not blocks:
        return np.zeros(0, dtype=dtype)
    return np.concatenate(blocks).astype(dtype, copy=False)


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

"""The two entry points: `allocate` (one suggested split) and `what_if` (the pot scaled up/down).

Pipeline, each step separate: validate (the input dataclasses) -> canonical form and the quick
clash checks -> build and solve (need_per_pound or fair_shares) -> extract whole pounds -> explain.
"""

from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import partial

import numpy as np

from cluster.common.money import pounds_from_figure
from cluster.optimiser import explain, explain_fair, fair_shares, need_per_pound
from cluster.optimiser.canonical import (
    Canonical,
    budget_conflicts,
    canonicalise,
    lock_conflicts,
)
from cluster.optimiser.floors import exact_floors
from cluster.optimiser.inputs import AllocationInput
from cluster.optimiser.need_per_pound import Solution
from cluster.optimiser.results import AllocationResult, Outcome, WhatIfPoint, read_only
from cluster.optimiser.rounding import prefer_earlier_references, whole_pounds
from cluster.optimiser.wording import need_number, percent, pounds

_NO_SPLIT = "No split is possible until the clashes listed are resolved."


@dataclass(frozen=True)
class _Extracted:
    c: Canonical
    solution: Solution
    free_awards: np.ndarray
    awards: dict[str, int]


def _infeasible(inp: AllocationInput, problems: list[str], started: float) -> AllocationResult:
    ids = sorted(r.request_id for r in inp.requests)
    return AllocationResult(
        status="infeasible",
        objective=inp.objective,
        pot_pounds=inp.pot_pounds,
        awards=read_only(),
        explanations=read_only({rid: _NO_SPLIT for rid in ids}),
        outcomes=read_only(),
        objective_value=0.0,
        marginal_need_per_pound=None,
        gap=0.0,
        conflicts=tuple(problems),
        summary="No split is possible: " + " ".join(problems),
        timings_ms=read_only({"end_to_end": (time.perf_counter() - started) * 1e3}),
    )


def _solve(c: Canonical, deadline: float) -> Solution:
    if c.inp.objective == "fair_shares":
        return fair_shares.solve(c, deadline)
    return need_per_pound.solve(c, deadline)


def _solve_with_real_floors(c: Canonical, deadline: float) -> tuple[Canonical, Solution, list[str]]:
    solution = _solve(c, deadline)
    if solution.status != "infeasible":
        return c, solution, []
    exact, problems = exact_floors(c)
    if problems:
        return exact, solution, problems
    solution = _solve(exact, deadline)
    if solution.status == "infeasible":
        return exact, solution, [
            "HiGHS found no split that keeps every minimum, cap and floor, although the totals "
            "fit; check the floors and caps of schools whose requests have large minimums."
        ]
    return exact, solution, []


def _extract(c: Canonical, solution: Solution) -> _Extracted:
    if c.inp.objective == "fair_shares":
        order = np.lexsort((np.arange(c.size), -c.need))
        free_awards = whole_pounds(c, solution.shares, solution.funded, order)
    else:
        free_awards = whole_pounds(c, solution.shares, solution.funded,
                                   need_per_pound.ratio_order(c))
        free_awards = prefer_earlier_references(c, free_awards)
    awards = {r.request_id: 0 for r in c.requests}
    awards.update(c.locked)
    for j, i in enumerate(c.free):
        awards[c.requests[i].request_id] = int(free_awards[j])
    return _Extracted(c, solution, free_awards, awards)


def need_met(inp: AllocationInput, awards: Mapping[str, int]) -> float:
    return float(sum(r.need_score * awards.get(r.request_id, 0) / r.amount_pounds
                     for r in inp.requests))


def _describer(x: _Extracted, marginal: float | None
               ) -> tuple[Callable[[int], tuple[Outcome, str]], float | None]:
    """The per-request explainer for the objective, and the cut-off it worked from."""
    if x.c.inp.objective == "fair_shares":
        return partial(explain_fair.fair_text, explain_fair.gather(x.c, x.free_awards)), None
    facts = explain.gather(x.c, x.free_awards, marginal)
    return partial(explain.need_per_pound_text, facts), facts.cut_off


def _explain(x: _Extracted, marginal: float | None
             ) -> tuple[dict[str, str], dict[str, Outcome], float | None]:
    c = x.c
    fair = c.inp.objective == "fair_shares"
    texts: dict[str, str] = {}
    outcomes: dict[str, Outcome] = {}
    for r in c.requests:
        if r.locked_pounds is not None:
            texts[r.request_id] = explain.locked_text(r, fair)
            outcomes[r.request_id] = "locked"
        else:  # outside the model: no need, and no floor asking for it
            texts[r.request_id] = explain.NO_NEED
            outcomes[r.request_id] = "not_funded"
    describe, cut = _describer(x, marginal)
    for j, i in enumerate(c.free):
        rid = c.requests[i].request_id
        outcomes[rid], texts[rid] = describe(j)
    return texts, outcomes, cut


def _summary(status: str, inp: AllocationInput, awards: Mapping[str, int],
             outcomes: Mapping[str, Outcome], value: float, gap: float) -> str:
    tally = {kind: sum(1 for o in outcomes.values() if o == kind)
             for kind in ("funded_in_full", "part_funded", "not_funded", "locked")}
    left = inp.pot_pounds - sum(awards.values())
    text = (f"Suggested split of {pounds(inp.pot_pounds)}: {tally['funded_in_full']} funded in "
            f"full, {tally['part_funded']} part-funded, {tally['not_funded']} not funded")
    text += f", {tally['locked']} locked by the host" if tally["locked"] else ""
    text += f". Need met: {need_number(value)}. Left in the pot: {pounds(left)}."
    if status == "time_limited":
        within = "an unknown margin" if not math.isfinite(gap) else f"{percent(gap, 1)}"
        if math.isfinite(gap) and gap < 0.01:
            within = f"{gap * 100:.2g}%"
        text += (f" The solver stopped at its time limit: this split is within {within} of the "
                 "most need that could be met.")
    return text


def _prepare(inp: AllocationInput) -> tuple[Canonical | None, list[str]]:
    """Canonical form, or the clashes that make every split impossible."""
    problems = lock_conflicts(inp)
    if problems:
        return None, problems
    c = canonicalise(inp)
    problems = budget_conflicts(c)
    if problems and c.floor_room:
        # Face-value floors can overstate: a floor no request can reach under its cap asks nothing.
        c, problems = exact_floors(c)
    return (None, problems) if problems else (c, [])


def _out_of_time(inp: AllocationInput, started: float) -> AllocationResult:
    problems = ["The solver ran out of time before finding any split; allow it longer."]
    return dataclasses.replace(_infeasible(inp, problems, started), status="time_limited",
                               gap=math.inf)


def _run(inp: AllocationInput, with_reasons: bool) -> AllocationResult:
    started = time.perf_counter()
    c, problems = _prepare(inp)
    if c is None:
        return _infeasible(inp, problems, started)
    canonical_ms = (time.perf_counter() - started) * 1e3
    c, solution, problems = _solve_with_real_floors(c, started + inp.time_limit_s)
    solved = time.perf_counter()
    if problems:
        return _infeasible(inp, problems, started)
    if solution.status == "no_solution":
        return _out_of_time(inp, started)
    extracted = _extract(c, solution)
    value = need_met(inp, extracted.awards)
    texts: dict[str, str] = {}
    outcomes: dict[str, Outcome] = {}
    marginal: float | None = None
    cut: float | None = None
    if with_reasons:
        if inp.objective == "need_per_pound":
            marginal = need_per_pound.marginal_need_per_pound(c, extracted.free_awards > 0)
        texts, outcomes, cut = _explain(extracted, marginal)
    finished = time.perf_counter()
    optimal = solution.status == "optimal"
    return AllocationResult(
        status="optimal" if optimal else "time_limited",
        objective=inp.objective,
        pot_pounds=inp.pot_pounds,
        awards=read_only(extracted.awards),
        explanations=read_only(texts),
        outcomes=read_only(outcomes),
        objective_value=value,
        marginal_need_per_pound=marginal,
        gap=0.0 if optimal else float(solution.gap),
        conflicts=(),
        cut_off_need_per_pound=cut,
        summary=_summary(solution.status, inp, extracted.awards, outcomes, value, solution.gap)
        if with_reasons else "",
        timings_ms=read_only({
            "build": canonical_ms + solution.build_ms,
            "solve": solution.solve_ms,
            "explain": (finished - solved) * 1e3,
            "end_to_end": (finished - started) * 1e3,
        }),
    )


def allocate(inp: AllocationInput) -> AllocationResult:
    """Suggest a split of the pot; never raises for clashing numbers (status "infeasible")."""
    return _run(inp, with_reasons=True)


DEFAULT_POT_FACTORS: tuple[float, ...] = (0.5, 0.75, 1.0, 1.25, 1.5)


def what_if(inp: AllocationInput, pot_factors: Iterable[float] = DEFAULT_POT_FACTORS
            ) -> tuple[WhatIfPoint, ...]:
    """Need met and requests funded if the pot were scaled by each factor (pot rounded to £1)."""
    points = []
    for factor in pot_factors:
        if isinstance(factor, bool) or not math.isfinite(float(factor)) or factor < 0:
            raise ValueError(f"Pot factors must be zero or more, not {factor!r}.")
        pot = pounds_from_figure(inp.pot_pounds * float(factor))
        result = _run(dataclasses.replace(inp, pot_pounds=pot), with_reasons=False)
        feasible = result.status != "infeasible" and math.isfinite(result.gap)
        points.append(WhatIfPoint(
            pot_factor=float(factor),
            pot_pounds=pot,
            status=result.status,
            need_met=result.objective_value if feasible else None,
            requests_funded=result.requests_funded,
            total_awarded=result.total_awarded,
            gap=result.gap,
        ))
    return tuple(points)

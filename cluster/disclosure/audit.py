"""The audit: can any hidden figure be worked out, or narrowed down, from what is shown?

For every hidden figure, the smallest and largest value consistent with every shown figure and
every relation a reader knows (`figures.py`), never negative unless the figure is a difference
that can be (`Figure.signed`) — the interval ("attacker") check
statistical offices run after suppression (τ-ARGUS, sdcTable). Solved with PuLP and HiGHS as a
linear programme per group of linked hidden figures: one model, re-solved with a new objective
for each bound (`optimiser.highs_model`), so a few hundred figures take well under a second.
A count's bounds are rounded inward to whole numbers; where a bound is fractional (tables linked
in more than two ways), that bound is solved again as an integer programme.

The rule (issue 18):
- a hidden count passes when its range holds at least `SMALL_NUMBER` whole values and includes 0
  or a value of `SMALL_NUMBER` or more — a reader cannot tell it apart from 0, nor from 5;
- a hidden amount passes when its range is wider than the largest award it contains, so no award
  can be isolated.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

import pulp

from cluster.disclosure.figures import Figure, FigureSet, Relation
from cluster.disclosure.suppression import SMALL_NUMBER
from cluster.optimiser.highs_model import rerun, set_objective

# A hidden figure no relation bounds from above: a bound this high means "any value".
NO_LIMIT = {"count": 10**6, "money": 10**12}
_TOLERANCE = 1e-6
_SECONDS = 10.0


@dataclass(frozen=True)
class Range:
    """What a reader can tell about one hidden figure."""

    name: str
    value: int
    kind: str
    low: float
    high: float
    passes: bool


@dataclass(frozen=True)
class AuditResult:
    shown: int
    hidden: int
    ranges: tuple[Range, ...]

    @property
    def failures(self) -> tuple[Range, ...]:
        return tuple(r for r in self.ranges if not r.passes)

    @property
    def checked(self) -> int:
        return len(self.ranges)


def audit(figures: FigureSet,
          remembered: dict[frozenset[str], list[Range]] | None = None) -> AuditResult:
    """The range of every hidden figure, and whether it passes the rule.

    `remembered` carries the ranges of each group from an earlier audit of the same figures with
    fewer hidden: a group whose members are unchanged has the same shown figures around it (a
    newly hidden figure joins every group it is related to), so its ranges are reused."""
    ranges: list[Range] = []
    known = {} if remembered is None else remembered
    for group in linked_groups(figures):
        key = frozenset(group)
        if key not in known:
            known[key] = _group_ranges(figures, group)
        ranges += known[key]
    ranges.sort(key=lambda r: r.name)
    hidden = sum(1 for f in figures.hidden() if f.in_view)
    return AuditResult(len(figures.shown()), hidden, tuple(ranges))


def passes(figure: Figure, low: float, high: float) -> bool:
    if figure.kind == "money":
        return high - low > figure.largest_part
    whole_values = high - low + 1
    return whole_values >= SMALL_NUMBER and (low <= 0 or high >= SMALL_NUMBER)


def linked_groups(figures: FigureSet) -> list[list[str]]:
    """Hidden figures in groups that relations tie together (each group solved on its own)."""
    parent = {f.name: f.name for f in figures.hidden()}

    def root(name: str) -> str:
        while parent[name] != name:
            parent[name] = parent[parent[name]]
            name = parent[name]
        return name

    for relation in figures.relations:
        inside = [n for n in relation.members if n in parent]
        for other in inside[1:]:
            parent[root(other)] = root(inside[0])
    groups: dict[str, list[str]] = {}
    for name in parent:
        groups.setdefault(root(name), []).append(name)
    return list(groups.values())


def first_failures(figures: FigureSet, safe: set[str]) -> list[Range]:
    """One failing figure per group of linked hidden figures, stopping at each group's first
    (joint suppression needs no more to choose a partner). `safe` holds figures found to pass:
    hiding more only takes known values away from a reader, so what passed still passes, and a
    later call does not solve for it again."""
    found = []
    for group in linked_groups(figures):
        unsure = [n for n in group if n not in safe and figures.figures[n].protect]
        if not unsure:
            continue
        ranges = _group_ranges(figures, _likely_first(figures, group), stop_early=True,
                               skip=safe)
        safe.update(r.name for r in ranges if r.passes)
        if ranges and not ranges[-1].passes:
            found.append(ranges[-1])
    return found


def _likely_first(figures: FigureSet, group: Sequence[str]) -> list[str]:
    """Small counts first (most often given away), then other counts, then money."""
    def rank(name: str) -> tuple[int, str]:
        figure = figures.figures[name]
        small = figure.kind == "count" and 0 < figure.value < SMALL_NUMBER
        return (0 if small else 1 if figure.kind == "count" else 2, name)
    return sorted(group, key=rank)


def _group_ranges(figures: FigureSet, group: Sequence[str], stop_early: bool = False,
                  skip: Collection[str] = ()) -> list[Range]:
    """Exact ranges; with `stop_early` (joint suppression's search) only pass or fail matters, so
    a figure whose values seen in earlier solutions already span a passing range is passed
    without solving for it (a wider true range passes too), and the search stops at a failure."""
    members = set(group)
    relations = [r for r in figures.relations if not members.isdisjoint(r.members)]
    prob, variables = _model(figures, group, relations, integer=False)
    settings = pulp.HiGHS(msg=False, timeLimit=_SECONDS)
    prob.solve(settings)
    if prob.status != pulp.LpStatusOptimal:
        raise ValueError("The shown figures contradict each other: a relation is registered wrong")
    seen = _Seen(figures, variables)
    out = []
    for name in group:
        figure = figures.figures[name]
        if not figure.protect:
            continue
        if name in skip:
            continue
        if stop_early and seen.passes(name):
            out.append(Range(name, figure.value, figure.kind, seen.low[name], seen.high[name],
                             True))
            continue
        low = _bound(prob, settings, variables[name], pulp.LpMinimize)
        seen.note()
        high = _bound(prob, settings, variables[name], pulp.LpMaximize)
        seen.note()
        if figure.kind == "count":
            low, high = _whole(figures, group, relations, name, low, high)
        out.append(Range(name, figure.value, figure.kind, low, high, passes(figure, low, high)))
        if stop_early and not out[-1].passes:
            break
    return out


class _Seen:
    """The values each hidden figure took in the solutions found so far: each is possible."""

    def __init__(self, figures: FigureSet, variables: dict[str, pulp.LpVariable]) -> None:
        self.figures = figures
        self.variables = variables
        self.low: dict[str, float] = {}
        self.high: dict[str, float] = {}
        self.note()

    def note(self) -> None:
        for name, variable in self.variables.items():
            value = float(variable.varValue or 0.0)
            if self.figures.figures[name].kind == "count" and _fractional(value):
                continue  # a fraction is no whole number a reader must allow
            self.low[name] = min(self.low.get(name, value), value)
            self.high[name] = max(self.high.get(name, value), value)

    def passes(self, name: str) -> bool:
        if name not in self.low:
            return False
        return passes(self.figures.figures[name], self.low[name], self.high[name])


def _model(figures: FigureSet, group: Sequence[str], relations: Iterable[Relation],
           integer: bool) -> tuple[pulp.LpProblem, dict[str, pulp.LpVariable]]:
    prob = pulp.LpProblem("disclosure_audit", pulp.LpMinimize)
    variables = {}
    for k, name in enumerate(group):
        figure = figures.figures[name]
        whole = integer and figure.kind == "count"
        limit = NO_LIMIT[figure.kind]
        variables[name] = pulp.LpVariable(f"x{k}", -limit if figure.signed else 0, limit,
                                          cat=pulp.LpInteger if whole else pulp.LpContinuous)
    for k, relation in enumerate(relations):
        expression = pulp.LpAffineExpression([(variables[n], c) for n, c in relation.terms
                                              if n in variables])
        known = sum(c * figures.figures[n].value for n, c in relation.terms if n not in variables)
        rhs = relation.constant - known
        if relation.sense == "==":
            prob += (expression == rhs), f"r{k}"
        elif relation.sense == "<=":
            prob += (expression <= rhs), f"r{k}"
        else:
            prob += (expression >= rhs), f"r{k}"
    prob += pulp.lpSum(variables.values()) * 0  # an objective, so PuLP builds every column
    prob.addVariables(list(variables.values()))
    return prob, variables


def _bound(prob: pulp.LpProblem, settings: pulp.HiGHS, variable: pulp.LpVariable,
           sense: int) -> float:
    set_objective(prob, pulp.LpAffineExpression([(variable, 1.0)]), sense)
    rerun(prob, settings, _SECONDS, from_last=False)
    if prob.status != pulp.LpStatusOptimal:
        raise ValueError("HiGHS found no bound for a hidden figure")
    return float(variable.varValue or 0.0)


def _whole(figures: FigureSet, group: Sequence[str], relations: Sequence[Relation], name: str,
           low: float, high: float) -> tuple[float, float]:
    """LP bounds rounded inward; a fractional bound is solved again with whole numbers."""
    if _fractional(low) or _fractional(high):
        prob, variables = _model(figures, group, relations, integer=True)
        settings = pulp.HiGHS(msg=False, timeLimit=_SECONDS)
        prob.solve(settings)
        low = _bound(prob, settings, variables[name], pulp.LpMinimize)
        high = _bound(prob, settings, variables[name], pulp.LpMaximize)
    return float(math.ceil(low - _TOLERANCE)), float(math.floor(high + _TOLERANCE))


def _fractional(value: float) -> bool:
    return abs(value - round(value)) > _TOLERANCE


def describe(result: AuditResult) -> str:
    """The audit's counts in plain words (the privacy page, the bench)."""
    failing = len(result.failures)
    return (f"{result.shown:,} figures shown, {result.hidden:,} hidden, "
            f"{result.checked:,} ranges checked; "
            + ("none can be worked out or narrowed down" if failing == 0
               else f"{failing:,} could be worked out or narrowed down"))

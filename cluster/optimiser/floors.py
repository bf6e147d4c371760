"""What a school's floor really costs, when request minimums get in the way.

A floor of £2,000 for a school whose only request cannot be done for less than £3,000 costs the pot
£3,000, not £2,000; and under a £2,500 cap it cannot be met at all. The quick checks in
`canonical` use face values, which is right almost always. When the model still finds no split,
this module works out each floor exactly (two tiny models per school with a floor):

* the most the school's requests can receive under its cap (the floor is lowered to this, since a
  floor only asks for what the requests can use), then
* the least the school's requests can receive that reaches the (lowered) floor: what the floor
  really costs the pot.
"""

from __future__ import annotations

import dataclasses
import math
from types import MappingProxyType

import numpy as np
import pulp

from cluster.optimiser.canonical import Canonical, budget_conflicts
from cluster.optimiser.formulation import ask_in_units, funded_switches, share_variables
from cluster.optimiser.solving import Model, add_row, linear, new_problem, run


def _school_extreme(c: Canonical, members: np.ndarray, least: float, most: float,
                    maximise: bool) -> int | None:
    """Largest (or smallest) total of the school's awards within [least, most]; None if none."""
    prob = new_problem("school_total", maximise)
    size = len(members)
    shares = share_variables(c, members, np.zeros(size), np.ones(size))
    asks = ask_in_units(c)[members].tolist()
    prob.setObjective(linear(shares, asks))
    add_row(prob, "school_total_at_least", linear(shares, asks), pulp.LpConstraintGE,
            least / c.unit)
    if math.isfinite(most):
        add_row(prob, "school_total_at_most", linear(shares, asks), pulp.LpConstraintLE,
                most / c.unit)
    switched = np.flatnonzero(c.minimum[members] > 0)
    funded_switches(prob, c, [shares[k] for k in switched.tolist()], members[switched])
    result = run(Model(prob, shares), time_limit_s=5.0)
    if result.status not in ("optimal", "time_limited"):
        return None
    total = float(c.amount[members] @ result.values[:size])
    return int(round(total))


def exact_floor(c: Canonical, sid: str) -> tuple[int, int]:
    """(the floor the school's requests can actually reach, what reaching it costs the pot)."""
    wanted = c.floor_room[sid]
    members = np.flatnonzero(c.school_index == c.schools.index(sid))
    if len(members) == 0:
        return 0, 0
    cap = c.cap_room.get(sid, math.inf)
    most = _school_extreme(c, members, 0.0, cap, maximise=True) or 0
    reachable = min(wanted, most)
    if reachable <= 0:
        return 0, 0
    cost = _school_extreme(c, members, reachable, cap, maximise=False)
    return reachable, reachable if cost is None else cost


def exact_floors(c: Canonical) -> tuple[Canonical, list[str]]:
    """Floors lowered to what requests can reach, and any clash their real cost makes."""
    reachable: dict[str, int] = {}
    costs: dict[str, int] = {}
    for sid in sorted(c.floor_room):
        reachable[sid], costs[sid] = exact_floor(c, sid)
    problems = budget_conflicts(c, {s: v for s, v in costs.items() if v > 0})
    lowered = {s: v for s, v in reachable.items() if v > 0}
    return dataclasses.replace(c, floor_room=MappingProxyType(lowered)), problems

"""Pieces every model shares: share variables, money rows, funded switches.

Awards are modelled as *shares of the ask* (0 to 1) rather than pounds, so the objective's
coefficients are plain need scores (1 to 10) instead of need per pound (around 0.0001); the money
rows then carry asks in a unit of money chosen per round (`Canonical.unit`: thousands of pounds
for typical asks, single pounds for tiny ones). Both keep HiGHS's numbers in a comfortable range;
HiGHS's presolve has been seen to misjudge rows whose coefficients are all around 0.001.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pulp

from cluster.optimiser.canonical import Canonical
from cluster.optimiser.solving import add_row, linear


@dataclass(frozen=True)
class MoneyRows:
    """The pot, cap and floor rows, so their duals can be read back."""

    pot: pulp.LpConstraint
    caps: Mapping[str, pulp.LpConstraint]
    floors: Mapping[str, pulp.LpConstraint]


def ask_in_units(c: Canonical) -> np.ndarray:
    return c.amount / c.unit


def share_variables(c: Canonical, members: np.ndarray, lower: np.ndarray, upper: np.ndarray
                  ) -> list[pulp.LpVariable]:
    """One share of the ask (0 to 1) per member, named after its request."""
    ids = c.free_ids()
    return [pulp.LpVariable(f"share[{ids[j]}]", low, up)
            for j, low, up in zip(members.tolist(), lower.tolist(), upper.tolist(), strict=True)]


def _by_school(c: Canonical, members: np.ndarray, sid: str) -> np.ndarray:
    return np.flatnonzero(c.school_index[members] == c.schools.index(sid))


def money_rows(
    prob: pulp.LpProblem,
    c: Canonical,
    shares: Sequence[pulp.LpVariable],
    members: np.ndarray,
    pot_room: float | None = None,
) -> MoneyRows:
    """The pot, each school's cap and each school's floor, over the given share variables.

    `members[k]` is the request (position in the canonical arrays) that `shares[k]` belongs to.
    """
    asks = ask_in_units(c)[members].tolist()
    room = c.pot_room if pot_room is None else pot_room
    pot = add_row(prob, "pot", linear(shares, asks), pulp.LpConstraintLE, room / c.unit)
    caps: dict[str, pulp.LpConstraint] = {}
    floors: dict[str, pulp.LpConstraint] = {}
    for limits, rows, sense, name in ((c.cap_room, caps, pulp.LpConstraintLE, "cap"),
                                      (c.floor_room, floors, pulp.LpConstraintGE, "floor")):
        for sid, money in sorted(limits.items()):
            mine = _by_school(c, members, sid).tolist()
            expr = linear([shares[k] for k in mine], [asks[k] for k in mine])
            rows[sid] = add_row(prob, f"{name}[{sid}]", expr, sense, money / c.unit)
    return MoneyRows(pot=pot, caps=caps, floors=floors)


def funded_switches(
    prob: pulp.LpProblem, c: Canonical, shares: Sequence[pulp.LpVariable], members: np.ndarray
) -> list[pulp.LpVariable]:
    """One yes/no per request: its share is 0, or between its minimum share and 1.

    Rows: share - (minimum / ask) * funded >= 0 and share - funded <= 0.
    """
    ids = c.free_ids()
    minimum_share = (c.minimum[members] / c.amount[members]).tolist()
    funded = []
    for share, j, least in zip(shares, members.tolist(), minimum_share, strict=True):
        switch = pulp.LpVariable(f"funded[{ids[j]}]", cat=pulp.LpBinary)
        add_row(prob, f"at_least_minimum[{ids[j]}]", linear((share, switch), (1.0, -least)),
                pulp.LpConstraintGE, 0.0)
        add_row(prob, f"only_if_funded[{ids[j]}]", linear((share, switch), (1.0, -1.0)),
                pulp.LpConstraintLE, 0.0)
        funded.append(switch)
    return funded

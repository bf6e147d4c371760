"""Pieces every model shares: share columns, money rows, funded switches.

Awards are modelled as *shares of the ask* (0 to 1) rather than pounds, so the objective's
coefficients are plain need scores (1 to 10) instead of need per pound (around 0.0001); the money
rows then carry asks in a unit of money chosen per round (`Canonical.unit`: thousands of pounds
for typical asks, single pounds for tiny ones). Both keep HiGHS's numbers in a comfortable range;
HiGHS's presolve has been seen to misjudge rows whose coefficients are all around 0.001.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cluster.optimiser.canonical import Canonical
from cluster.optimiser.highs_model import INF, ModelBuilder

@dataclass(frozen=True)
class MoneyRows:
    """Where the pot, cap and floor rows ended up, so their duals and slacks can be read back."""

    pot: int
    caps: Mapping[str, int]
    floors: Mapping[str, int]


def ask_in_units(c: Canonical) -> np.ndarray:
    return c.amount / c.unit


def share_columns(
    builder: ModelBuilder,
    c: Canonical,
    members: np.ndarray,
    cost: np.ndarray,
    lower: np.ndarray,
    upper: np.ndarray,
) -> np.ndarray:
    ids = c.free_ids()
    names = [f"share[{ids[j]}]" for j in members]
    return builder.add_columns(names, cost, lower, upper)


def money_rows(
    builder: ModelBuilder,
    c: Canonical,
    columns: np.ndarray,
    members: np.ndarray,
    pot_room: float | None = None,
) -> MoneyRows:
    """The pot, each school's cap and each school's floor, over the given share columns.

    `members[k]` is the request (position in the canonical arrays) that `columns[k]` belongs to.
    """
    asks = ask_in_units(c)[members]
    room = c.pot_room if pot_room is None else pot_room
    pot = builder.add_row("pot", columns, asks, -INF, room / c.unit)
    caps: dict[str, int] = {}
    floors: dict[str, int] = {}
    schools = c.school_index[members]
    for sid, cap in sorted(c.cap_room.items()):
        mask = schools == c.schools.index(sid)
        caps[sid] = builder.add_row(f"cap[{sid}]", columns[mask], asks[mask], -INF, cap / c.unit)
    for sid, floor in sorted(c.floor_room.items()):
        mask = schools == c.schools.index(sid)
        floors[sid] = builder.add_row(
            f"floor[{sid}]", columns[mask], asks[mask], floor / c.unit, INF
        )
    return MoneyRows(pot=pot, caps=caps, floors=floors)


def funded_switches(
    builder: ModelBuilder, c: Canonical, share_cols: np.ndarray, members: np.ndarray
) -> np.ndarray:
    """One yes/no per request: its share is 0, or between its minimum share and 1.

    Rows: share - (minimum / ask) * funded >= 0 and share - funded <= 0.
    """
    ids = c.free_ids()
    size = len(members)
    funded = builder.add_columns(
        [f"funded[{ids[j]}]" for j in members], np.zeros(size), np.zeros(size), np.ones(size),
        integer=True,
    )
    pairs = np.column_stack([share_cols, funded]).ravel()
    minimum_share = c.minimum[members] / c.amount[members]
    builder.add_rows(
        [f"at_least_minimum[{ids[j]}]" for j in members],
        np.full(size, 2),
        pairs,
        np.column_stack([np.ones(size), -minimum_share]).ravel(),
        np.zeros(size),
        np.full(size, INF),
    )
    builder.add_rows(
        [f"only_if_funded[{ids[j]}]" for j in members],
        np.full(size, 2),
        pairs,
        np.column_stack([np.ones(size), -np.ones(size)]).ravel(),
        np.full(size, -INF),
        np.zeros(size),
    )
    return funded

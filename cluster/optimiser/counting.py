"""Fair shares' counting step, narrowed before HiGHS runs: which need levels can hold the cut-off.

Any fair-shares split has a *cut-off level* K: the first need level with a request that is
neither funded nor held back by its school's cap (K is the number of levels if there is none).
Then

* every request in a level above K is funded or held back by a cap, so every request at a school
  without a cap is funded;
* every request in a level below K gets nothing, unless a floor lifts it (only requests at schools
  with a floor can be): the unfunded request at K pins the boundary under level K to 0, and no
  other request below may pass it.

Two facts that need no solver follow, both exact:

* `deepest`: the cut-off can be no deeper than the last level at which funding everything above
  it is affordable. Funding above the cut-off costs at least each request's minimum, raised to
  the largest minimum share below it of a request neither capped nor at a school with a floor
  (shares may not rise as need falls);
  a capped school costs at least that, or, if its cap holds one of its requests back, its cap
  less that request's minimum (a cap only holds a request back when the money for it has run
  out), so at least its cap less its largest minimum.
* `most_funded(K)`: with the cut-off at K, at most this many requests with need are funded: those
  in levels down to K and those at schools with a floor, less the unfunded one at K; and at each
  capped school no more than its cheapest minimums that fit under its cap.

So once a split funding C requests is known, every split funding at least C has its cut-off
between `shallowest(C)` and `deepest`: requests below the deepest level (but not at schools with
a floor) can be fixed at nothing in every step, and uncapped requests above the shallowest fixed
as funded for the counting step and every step after it (they all keep the count). The fixings
change no step's best value; they spare HiGHS a search it would otherwise make the long way round.
Money is compared with a pound to spare, so HiGHS's rounding can never make a fixing wrong.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np

from cluster.optimiser.canonical import Canonical

_SPARE_POUNDS = 1.0


@dataclass(frozen=True)
class CutOff:
    """Each request's need level (0 = most need), and where the cut-off level can fall."""

    level: np.ndarray
    levels: int
    school: np.ndarray
    capped: np.ndarray
    floored: np.ndarray
    counted: np.ndarray
    least: np.ndarray
    cap_room: Mapping[int, float]
    deepest: int

    def most_funded(self, cut: int) -> int:
        """The most requests with need that a split with its cut-off at level `cut` can fund."""
        # A floor may lift its school's requests below the cut-off, so they all may count.
        above = self.counted & ((self.level <= cut) | self.floored)
        total = int(above.sum())
        if cut < self.levels and self.counted[self.level == cut].all():
            total -= 1  # the cut-off level's own unfunded request
        by_school = int((above & ~self.capped).sum())
        for school, room in self.cap_room.items():
            cheapest = np.cumsum(np.sort(self.least[above & (self.school == school)]))
            by_school += int((cheapest <= room + _SPARE_POUNDS).sum())
        return min(total, by_school)

    def shallowest(self, funded: int) -> int:
        """The highest level the cut-off can sit at in a split funding at least `funded`."""
        low, high = 0, self.deepest
        while low < high:  # most_funded never falls as the cut-off goes deeper
            middle = (low + high) // 2
            if self.most_funded(middle) >= funded:
                high = middle
            else:
                low = middle + 1
        return low

    def fixed_at_nothing(self) -> np.ndarray:
        """Requests below the deepest cut-off, at schools without a floor: unfunded in every
        split the order allows."""
        return (self.level > self.deepest) & ~self.floored

    def fixed_funded_above(self, cut: int) -> np.ndarray:
        """Uncapped requests above level `cut`: funded in every split with its cut-off there or
        deeper."""
        return ~self.capped & (self.level < cut)

    def fixed_funded(self, funded: int) -> np.ndarray:
        """Uncapped requests funded in every split that funds at least `funded` requests."""
        return self.fixed_funded_above(self.shallowest(funded))


def cut_off(c: Canonical, levels: list[np.ndarray], bent: bool = True) -> CutOff:
    """The facts above for this round (`levels` as `fair_shares.need_levels` gives them).

    `bent=False` gives the facts for splits that keep the order unbent, where a floor lifts
    nothing: narrower, and true only while every "lifted by a floor" allowance is 0.
    """
    level = np.zeros(c.size, dtype=np.int64)
    for k, members in enumerate(levels):
        level[members] = k
    capped_ids = {c.schools.index(sid): float(room) for sid, room in c.cap_room.items()}
    capped = np.isin(c.school_index, list(capped_ids))
    floors = [c.schools.index(sid) for sid in c.floor_room] if bent else []
    floored = np.isin(c.school_index, floors)
    least = np.maximum(c.minimum, 1.0)
    facts = CutOff(level, len(levels), c.school_index, capped, floored, c.need > 0, least,
                   capped_ids, 0)
    return dataclasses.replace(facts, deepest=_deepest(c, facts, float(c.pot_room)))


def _least_cost(c: Canonical, facts: CutOff, cut: int) -> float:
    """The least any split with its cut-off at level `cut` spends on the levels above it."""
    above = facts.level < cut
    share = np.minimum(facts.least / c.amount, 1.0)
    # Largest minimum share per level of a request neither a cap may hold back nor a floor lift,
    # then over the levels below each.
    per_level = np.zeros(cut + 1)
    uncapped = above & ~facts.capped
    pinned = uncapped & ~facts.floored
    np.maximum.at(per_level, facts.level[pinned], share[pinned])
    below = np.maximum.accumulate(per_level[::-1])[::-1]  # below[k]: max over levels k..cut
    raised = np.where(above, np.maximum(share, below[np.minimum(facts.level + 1, cut)]), 0.0)
    cost = raised * c.amount
    total = float(cost[uncapped].sum())
    for school, room in facts.cap_room.items():
        mine = facts.school == school
        if (mine & above).any():
            # Any of the school's requests may be the one held: the largest minimum bounds them
            # all, and keeps the cost rising with the cut-off (the search below relies on it).
            held = room - float(facts.least[mine].max())
            total += max(0.0, min(float(cost[mine & above].sum()), held))
    return total


def _deepest(c: Canonical, facts: CutOff, pot: float) -> int:
    """The deepest cut-off level whose levels above are affordable (their cost rises with it)."""
    low, high = 0, facts.levels
    while low < high:
        middle = (low + high + 1) // 2
        if _least_cost(c, facts, middle) <= pot + _SPARE_POUNDS:
            low = middle
        else:
            high = middle - 1
    return low

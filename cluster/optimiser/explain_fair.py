"""Reasons a host can read aloud, for the fair-shares split.

Fair shares are read as shares of each ask. The figures quoted:

* the smallest share any funded request got (what the spreading made as large as possible);
* the need cut-off: the lowest need score among funded requests;
* for a request not funded, the pot it would take: everyone funded kept at least at their minimum
  share, this request added at its minimum, and every request with more need lifted to at least
  its share (what the ordering demands), less the pot there is. "About", because caps and floors
  can move it;
* for a request part-funded by the pot, the pot it would take to fund it in full: every request
  with at least its need lifted to a full share.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from cluster.optimiser.canonical import Canonical
from cluster.optimiser.explain import NO_NEED
from cluster.optimiser.results import Outcome, outcome_of
from cluster.optimiser.wording import about_pounds, count, need_number, percent, pounds


@dataclass(frozen=True)
class FairFacts:
    c: Canonical
    awards: np.ndarray
    share: np.ndarray
    funded: np.ndarray
    smallest_share: float | None
    need_cut: float | None
    base_share: np.ndarray
    school_total: np.ndarray
    levels: np.ndarray

    def cap_left(self, j: int) -> float:
        room = self.c.cap_room.get(self.c.school_of(j))
        return math.inf if room is None else room - int(self.school_total[self.c.school_index[j]])

    def capped(self, j: int) -> bool:
        return self.cap_left(j) < 1

    def floor_met_exactly(self, j: int) -> bool:
        room = self.c.floor_room.get(self.c.school_of(j))
        return room is not None and int(self.school_total[self.c.school_index[j]]) <= room


def _need_levels(c: Canonical) -> np.ndarray:
    """Each request's need level, 0 for the lowest need score."""
    return np.unique(c.need, return_inverse=True)[1].reshape(-1)


def _base_shares(c: Canonical, levels: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """The least share each chosen request needs: its minimum, or what a lower need needs.

    That is its minimum share, raised to the largest minimum share among chosen requests with
    less need (shares may not rise as need falls); nothing for requests not chosen.
    """
    minimum_share = c.minimum / c.amount
    largest = np.zeros(int(levels.max()) + 1 if len(levels) else 0)
    np.maximum.at(largest, levels[chosen], minimum_share[chosen])
    below = np.concatenate(([0.0], np.maximum.accumulate(largest)[:-1]))
    return np.where(chosen, np.maximum(minimum_share, below[levels]), 0.0)


def gather(c: Canonical, awards: np.ndarray) -> FairFacts:
    share = awards / c.amount
    counted = c.need > 0
    funded = (awards > 0) & counted
    smallest = float(share[funded].min()) if funded.any() else None
    cut = float(c.need[funded].min()) if funded.any() else None
    totals = np.bincount(c.school_index, weights=awards.astype(float),
                         minlength=len(c.schools)).astype(np.int64)
    levels = _need_levels(c)
    return FairFacts(c, awards, share, funded, smallest, cut, _base_shares(c, levels, funded),
                     totals, levels)


def _pot_to_add(f: FairFacts, j: int) -> float:
    """Pot needed to fund j too: everyone funded now, j, and every request with more need."""
    c = f.c
    chosen = f.funded | ((c.need > c.need[j]) & (c.need > 0))
    chosen[j] = True
    cost = float(c.amount @ _base_shares(c, f.levels, chosen))
    return cost - c.pot_room


def _pot_to_fill(f: FairFacts, j: int) -> float:
    c = f.c
    higher = (c.need >= c.need[j]) & (c.need > 0)
    return float((c.amount - f.awards)[higher].sum())


def _full(f: FairFacts, j: int) -> str:
    c = f.c
    text = f"Funded in full ({pounds(f.awards[j])})."
    if f.floor_met_exactly(j) and _overtakes(f, j):
        sid = c.school_of(j)
        return text + f" {sid}'s floor of {pounds(c.floor_target[sid])} lifted it."
    return text + (" Under fair shares the money goes highest need first, and no request with a "
                   "lower need score got a larger share of its ask.")


def _overtakes(f: FairFacts, j: int) -> bool:
    """Did j get a larger share than some request with more need? Only a floor allows that."""
    c = f.c
    return bool(((c.need > c.need[j]) & (f.share < f.share[j] - 1e-9) & (c.need > 0)).any())


def _part(f: FairFacts, j: int) -> str:
    c = f.c
    award, ask = int(f.awards[j]), int(c.amount[j])
    head = f"Part-funded: {pounds(award)} of the {pounds(ask)} asked ({percent(award, ask)})"
    sid = c.school_of(j)
    if f.floor_met_exactly(j) and _overtakes(f, j):
        return (f"{head}, to meet {sid}'s floor of {pounds(c.floor_target[sid])}; the floor "
                "lifts it above the share of some requests with more need.")
    if f.capped(j):
        cap = pounds(c.limits[sid].cap_pounds or 0)
        elsewhere = ((c.need < c.need[j]) & (f.share > f.share[j] + 1e-9)
                     & (c.school_index != c.school_index[j]))
        note = (" The cap holds it below the share of some requests with less need at other "
                "schools." if elsewhere.any() else "")
        return f"{head}: {sid} reached its cap of {cap}.{note}"
    smallest = percent(f.smallest_share or 0, 1)
    return (f"{head}. Under fair shares the pot is spread so the smallest share of any funded "
            f"request is as large as it can be ({smallest}), and no request with less need gets "
            f"a larger share. About {about_pounds(_pot_to_fill(f, j))} more in the pot would fund "
            "it, and every request with at least its need, in full.")


def _unfunded(f: FairFacts, j: int) -> str:
    c = f.c
    if c.need[j] <= 0:
        return NO_NEED
    sid = c.school_of(j)
    minimum = int(c.minimum[j])
    if f.cap_left(j) < max(minimum, 1):
        left = max(0, int(f.cap_left(j)))
        return (f"Not funded: its minimum of {pounds(minimum)} would not fit under {sid}'s cap "
                f"of {pounds(c.limits[sid].cap_pounds or 0)} ({pounds(left)} left under it).")
    reached = int(f.funded.sum())
    more = _pot_to_add(f, j)
    pot = f"about {about_pounds(more)} more in the pot" if more >= 1 else None
    if f.need_cut is not None and c.need[j] < f.need_cut:
        need = f"a need score above about {need_number(f.need_cut)}"
        return (f"Not funded: under fair shares the pot brings as many requests as it can to "
                f"their minimum, highest need first, and no request may get a larger share than "
                f"one with more need. It reached {count(reached, 'request')}, down to a need "
                f"score of {need_number(f.need_cut)}; this one has {need_number(c.need[j])}."
                + _would_take([need, pot]))
    return (f"Not funded: its minimum of {pounds(minimum)} would have pushed at least one other "
            f"request below its minimum, and fair shares funds as many requests as it can "
            f"({count(reached, 'request')} here)." + _would_take([pot]))


def _would_take(clauses: list[str | None]) -> str:
    chosen = [c for c in clauses if c]
    return " It would take " + ", or ".join(chosen) + "." if chosen else ""


def fair_text(f: FairFacts, j: int) -> tuple[Outcome, str]:
    outcome = outcome_of(int(f.awards[j]), f.c.amount[j])
    write = {"funded_in_full": _full, "part_funded": _part}.get(outcome, _unfunded)
    return outcome, write(f, j)

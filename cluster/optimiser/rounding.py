"""From shares of the ask to whole pounds, and the tie rule.

Rounding rule (the one a host can check by hand): each award is worked out in pounds and pence,
then rounded *down* to whole pounds. The pounds this frees are handed back one at a time, first to
any school that would otherwise fall below its floor, then to part-funded requests in order of need
per pound (ties by request reference), never above a request's ask, its school's cap or the pot. So
no award moves by more than £1, and need met is optimal to within £1 per part-funded request. (In
practice HiGHS's answers are whole pounds already: every bound and limit is whole pounds, and the
money constraints nest pot > school > request, which keeps the corners of the problem on whole
pounds. The rule only mops up floating-point dust: a figure within a penny of a whole pound, or
within a millionth of its ask or minimum, is taken as that pound; the pounds handed back are the
pounds and pence rounded to the nearest pound.)

Tie rule: requests with exactly the same need per pound are interchangeable for need met. Pounds
move from the later request reference to the earlier one, as far as minimums, caps and floors allow,
so equal requests are settled by reference and not by whatever the solver happened to return.
"""

from __future__ import annotations

import math

import numpy as np

from cluster.optimiser.canonical import Canonical


class _Ledger:
    """Running totals, so every £1 moved is checked against the pot, caps and floors."""

    def __init__(self, c: Canonical, awards: np.ndarray) -> None:
        self.c = c
        self.awards = awards
        self.by_school = np.bincount(
            c.school_index, weights=awards.astype(float), minlength=len(c.schools)
        ).astype(np.int64)
        self.pot_left = c.pot_room - int(awards.sum())

    def cap_left(self, school: int) -> float:
        room = self.c.cap_room.get(self.c.schools[school])
        return math.inf if room is None else room - int(self.by_school[school])

    def floor_slack(self, school: int) -> float:
        room = self.c.floor_room.get(self.c.schools[school])
        return math.inf if room is None else int(self.by_school[school]) - room

    def move(self, j: int, pounds: int) -> None:
        self.awards[j] += pounds
        self.by_school[int(self.c.school_index[j])] += pounds


def _snap(c: Canonical, shares: np.ndarray, funded: np.ndarray) -> np.ndarray:
    exact = np.where(funded, np.clip(shares * c.amount, c.minimum, c.amount), 0.0)
    # Solver tolerances leave dust: a share of 0.9999985 of a £20,000 ask is £19,999.97. Within a
    # millionth of a bound (or a penny) a figure is taken as the bound or the whole pound.
    dust = np.maximum(0.01, 1e-6 * c.amount)
    exact = np.where(funded & (c.amount - exact <= dust), c.amount, exact)
    exact = np.where(funded & (exact - c.minimum <= dust), c.minimum, exact)
    nearest = np.round(exact)
    return np.where(np.abs(exact - nearest) <= 0.01, nearest, exact)


def _hand_back(ledger: _Ledger, candidates: list[int], pounds: int, school: int | None) -> int:
    """Give £1 to each candidate in turn while pounds remain; returns the pounds left over."""
    c = ledger.c
    for j in candidates:
        if pounds <= 0:
            break
        s = int(c.school_index[j])
        if school is not None and s != school:
            continue
        if ledger.pot_left >= 1 and ledger.cap_left(s) >= 1 and ledger.awards[j] < c.amount[j]:
            ledger.move(j, 1)
            ledger.pot_left -= 1
            pounds -= 1
    return pounds


def _take_back(ledger: _Ledger, order: np.ndarray) -> None:
    """Safety net: if snapped dust overshot the pot or a cap, take £1s back, last in order first."""
    c = ledger.c
    for j in reversed(order.tolist()):
        s = int(c.school_index[j])
        while ledger.awards[j] > c.minimum[j] and (ledger.pot_left < 0 or ledger.cap_left(s) < 0):
            ledger.move(j, -1)
            ledger.pot_left += 1


def whole_pounds(
    c: Canonical, shares: np.ndarray, funded: np.ndarray, order: np.ndarray
) -> np.ndarray:
    """Awards in whole pounds for the free requests, by the rounding rule above."""
    exact = _snap(c, shares, funded)
    awards = np.floor(exact).astype(np.int64)
    ledger = _Ledger(c, awards)
    _take_back(ledger, order)
    rounded = [int(j) for j in order if exact[j] - awards[j] > 0]
    for sid in sorted(c.floor_room):
        school = c.schools.index(sid)
        short = -ledger.floor_slack(school)
        if short > 0:
            _hand_back(ledger, [j for j in rounded if exact[j] > awards[j]], int(short), school)
    # Nearest, not floor: dust can sit just below a whole pound; the ledger still checks each £1.
    freed = int(round(float(exact.sum()))) - int(awards.sum())
    _hand_back(ledger, [j for j in rounded if exact[j] > awards[j]], freed, None)
    return awards


def _transfer(ledger: _Ledger, receiver: int, giver: int) -> int:
    """The most pounds that can move from `giver` to `receiver`, keeping every rule; 0 if none."""
    c = ledger.c
    awards = ledger.awards
    limit = float(min(c.amount[receiver] - awards[receiver], awards[giver]))
    s_in, s_out = int(c.school_index[receiver]), int(c.school_index[giver])
    if s_in != s_out:
        limit = min(limit, ledger.cap_left(s_in), ledger.floor_slack(s_out))
    if limit <= 0:
        return 0
    moved = int(awards[giver]) if limit >= awards[giver] else int(
        min(limit, awards[giver] - c.minimum[giver])
    )
    needs = c.minimum[receiver] if awards[receiver] == 0 else 1
    return moved if moved >= max(1, needs) else 0


def tie_groups(c: Canonical, awards: np.ndarray) -> list[list[int]]:
    ratio = c.need / c.amount
    order = np.lexsort((np.arange(c.size), ratio))
    groups: list[list[int]] = []
    current: list[int] = []
    for j in order.tolist():
        if current and not math.isclose(ratio[j], ratio[current[-1]], rel_tol=1e-12, abs_tol=0.0):
            groups.append(current)
            current = []
        current.append(j)
    groups.append(current)
    return [sorted(g) for g in groups if len(g) > 1]


def prefer_earlier_references(c: Canonical, awards: np.ndarray) -> np.ndarray:
    """Apply the tie rule; need met is unchanged because the pounds stay at the same need/£."""
    if c.size < 2:
        return awards
    ledger = _Ledger(c, awards.copy())
    for group in tie_groups(c, awards):
        for pos, receiver in enumerate(group):
            for giver in reversed(group[pos + 1:]):
                if ledger.awards[receiver] >= c.amount[receiver]:
                    break
                if ledger.awards[giver] <= 0:
                    continue
                moved = _transfer(ledger, receiver, giver)
                if moved:
                    ledger.move(receiver, moved)
                    ledger.move(giver, -moved)
    return ledger.awards

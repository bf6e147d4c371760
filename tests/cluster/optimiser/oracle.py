"""Independent exact answers for small rounds, written without any solver.

`best_need_met` enumerates which requests are funded; for each choice the pounds above the
minimums are placed exactly by a separable-concave greedy (each school's value is concave in its
total, so filling pieces in decreasing need per pound across schools, after floors, is optimal).
`integer_best` enumerates every whole-pound award vector for tiny rounds. `fair_best` enumerates
funded sets under the fair-shares ordering. None of them shares code with the optimiser.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from cluster.optimiser import AllocationInput, RequestInput


@dataclass(frozen=True)
class Fixed:
    """The round with locks taken out: what is left to decide."""

    free: tuple[RequestInput, ...]
    pot: int
    caps: dict[str, int]
    floors: dict[str, int]
    locked_need: float
    ok: bool


def fixed_part(inp: AllocationInput) -> Fixed:
    locked = [r for r in inp.requests if r.locked_pounds is not None]
    free = tuple(r for r in inp.requests if r.locked_pounds is None)
    ok = inp.pot_pounds >= 0 and all(0 <= r.locked_pounds <= r.amount_pounds for r in locked)
    by_school: dict[str, int] = {}
    asked: dict[str, int] = {}
    for r in inp.requests:
        if r.locked_pounds is not None:
            by_school[r.school_id] = by_school.get(r.school_id, 0) + r.locked_pounds
        usable = r.locked_pounds if r.locked_pounds is not None else r.amount_pounds
        asked[r.school_id] = asked.get(r.school_id, 0) + max(usable, 0)
    caps = {}
    floors = {}
    for limit in inp.school_limits:
        here = by_school.get(limit.school_id, 0)
        if limit.cap_pounds is not None:
            caps[limit.school_id] = limit.cap_pounds - here
        floors[limit.school_id] = min(limit.floor_pounds, asked.get(limit.school_id, 0)) - here
    need = sum(r.need_score * r.locked_pounds / r.amount_pounds for r in locked) if ok else 0.0
    return Fixed(free, inp.pot_pounds - sum(r.locked_pounds or 0 for r in locked), caps, floors,
                 need, ok)


def _schools(fx: Fixed) -> set[str]:
    return {r.school_id for r in fx.free} | set(fx.caps) | set(fx.floors)


def reachable_floor(fx: Fixed, school: str) -> int:
    """A floor asks only for what the school's requests can take under its cap."""
    if fx.floors.get(school, 0) <= 0:
        return 0
    mine = [r for r in fx.free if r.school_id == school]
    room = fx.caps.get(school, 10**12)
    most = 0
    for size in range(len(mine) + 1):
        for chosen in itertools.combinations(mine, size):
            low = sum(r.minimum_pounds for r in chosen)
            if low <= room:
                most = max(most, min(room, sum(r.amount_pounds for r in chosen)))
    return min(fx.floors.get(school, 0), most)


def _fill(fx: Fixed, chosen: tuple[RequestInput, ...], floors: dict[str, int]) -> float | None:
    """Best need met for a fixed funded set, or None if the set cannot keep every rule."""
    x = {r.request_id: float(r.minimum_pounds) for r in chosen}
    total = {s: sum(x[r.request_id] for r in chosen if r.school_id == s) for s in _schools(fx)}
    pot = fx.pot - sum(total.values())
    if pot < -1e-9:
        return None
    for s in total:
        room = fx.caps.get(s, float("inf"))
        if total[s] > room + 1e-9:
            return None
        want = floors.get(s, 0) - total[s]
        for r in sorted((r for r in chosen if r.school_id == s),
                        key=lambda r: -r.need_score / r.amount_pounds):
            if want <= 0:
                break
            add = min(want, r.amount_pounds - x[r.request_id], room - total[s], pot)
            x[r.request_id] += add
            total[s] += add
            pot -= add
            want -= add
        if want > 1e-9:
            return None
    for r in sorted(chosen, key=lambda r: -r.need_score / r.amount_pounds):
        room = fx.caps.get(r.school_id, float("inf")) - total[r.school_id]
        add = max(0.0, min(r.amount_pounds - x[r.request_id], room, pot))
        x[r.request_id] += add
        total[r.school_id] += add
        pot -= add
    return sum(r.need_score * x[r.request_id] / r.amount_pounds for r in chosen)


def _subsets(items: tuple[RequestInput, ...]) -> Iterator[tuple[RequestInput, ...]]:
    for size in range(len(items) + 1):
        yield from itertools.combinations(items, size)


def best_need_met(inp: AllocationInput) -> float | None:
    """The most need any split can meet, or None when no split keeps every rule."""
    fx = fixed_part(inp)
    if not fx.ok or any(v < 0 for v in fx.caps.values()):
        return None
    floors = {s: max(0, reachable_floor(fx, s)) for s in _schools(fx)}
    best = None
    for chosen in _subsets(fx.free):
        value = _fill(fx, chosen, floors)
        if value is not None and (best is None or value > best):
            best = value
    return None if best is None else best + fx.locked_need


def integer_best(inp: AllocationInput) -> float | None:
    """Every whole-pound award vector for a tiny round (asks of a few pounds)."""
    fx = fixed_part(inp)
    if not fx.ok:
        return None
    options = [[0, *range(max(1, r.minimum_pounds), r.amount_pounds + 1)] for r in fx.free]
    floors = {s: max(0, reachable_floor(fx, s)) for s in _schools(fx)}
    best = None
    for awards in itertools.product(*options):
        if sum(awards) > fx.pot:
            continue
        total: dict[str, int] = {}
        for r, a in zip(fx.free, awards, strict=True):
            total[r.school_id] = total.get(r.school_id, 0) + a
        if any(total.get(s, 0) > cap for s, cap in fx.caps.items()):
            continue
        if any(total.get(s, 0) < f for s, f in floors.items()):
            continue
        value = sum(r.need_score * a / r.amount_pounds
                    for r, a in zip(fx.free, awards, strict=True))
        if best is None or value > best:
            best = value
    return None if best is None else best + fx.locked_need


def _ordered_cost(chosen: list[RequestInput], smallest: float) -> float:
    """Least money to fund `chosen` with shares monotone in need and each at least `smallest`."""
    cost = 0.0
    running = 0.0
    for need in sorted({r.need_score for r in chosen}):
        level = [r for r in chosen if r.need_score == need]
        shares = [max(r.minimum_pounds / r.amount_pounds, 1 / r.amount_pounds, running, smallest)
                  for r in level]
        cost += sum(s * r.amount_pounds for s, r in zip(shares, level, strict=True))
        running = max(running, *shares)
    return cost if running <= 1 + 1e-12 else float("inf")


def fair_best(inp: AllocationInput) -> tuple[int, float]:
    """(most requests funded, largest smallest share) for fair shares with no caps or floors."""
    fx = fixed_part(inp)
    counted = tuple(r for r in fx.free if r.need_score > 0)
    best = (0, 0.0)
    for chosen in _subsets(counted):
        if not chosen:
            continue
        lowest = min(r.need_score for r in chosen)
        if any(r.need_score > lowest and r not in chosen for r in counted):
            continue
        chosen_list = list(chosen)
        if _ordered_cost(chosen_list, 0.0) > fx.pot + 1e-9:
            continue
        low, high = 0.0, 1.0
        for _ in range(50):
            mid = (low + high) / 2
            if _ordered_cost(chosen_list, mid) <= fx.pot + 1e-9:
                low = mid
            else:
                high = mid
        best = max(best, (len(chosen), low))
    return best

"""The problem in canonical form: requests in reference order, locks taken out, floors made real.

Everything after this step sees the same arrays whatever order the input came in, which is what
makes the answer independent of input order. Locked requests leave the model: their pounds come off
the pot and off their school's cap and floor before anything is built.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np

from cluster.optimiser.inputs import AllocationInput, RequestInput, SchoolLimit
from cluster.optimiser.wording import pounds


@dataclass(frozen=True)
class Canonical:
    """The input, ordered and split into the fixed part (locks) and the part the model decides.

    `free` lists positions in `requests` the model decides, in reference order; the arrays below
    are aligned with it. `floor_room`/`cap_room` are what the pot still has to give (or may give)
    each school after its locks.
    """

    inp: AllocationInput
    requests: tuple[RequestInput, ...]
    schools: tuple[str, ...]
    limits: Mapping[str, SchoolLimit]
    locked: Mapping[str, int]
    locked_by_school: Mapping[str, int]
    floor_target: Mapping[str, int]
    free: tuple[int, ...]
    pot_room: int
    cap_room: Mapping[str, int]
    floor_room: Mapping[str, int]
    amount: np.ndarray
    minimum: np.ndarray
    need: np.ndarray
    school_index: np.ndarray
    unit: float = 1.0

    @property
    def size(self) -> int:
        return len(self.free)

    def free_ids(self) -> list[str]:
        return [self.requests[i].request_id for i in self.free]

    def school_of(self, j: int) -> str:
        return self.schools[int(self.school_index[j])]


def _school_ids(inp: AllocationInput) -> tuple[str, ...]:
    ids = {r.school_id for r in inp.requests} | {limit.school_id for limit in inp.school_limits}
    return tuple(sorted(ids))


def _locks(requests: tuple[RequestInput, ...]) -> dict[str, int]:
    return {r.request_id: r.locked_pounds for r in requests if r.locked_pounds is not None}


def _by_school(requests: tuple[RequestInput, ...], values: Mapping[str, int]) -> dict[str, int]:
    totals: dict[str, int] = {}
    for r in requests:
        if r.request_id in values:
            totals[r.school_id] = totals.get(r.school_id, 0) + values[r.request_id]
    return totals


def floor_targets(
    requests: tuple[RequestInput, ...], limits: Mapping[str, SchoolLimit]
) -> dict[str, int]:
    """A floor only asks for what the school's requests could use: never more than they ask."""
    asked: dict[str, int] = {}
    for r in requests:
        usable = r.locked_pounds if r.locked_pounds is not None else r.amount_pounds
        asked[r.school_id] = asked.get(r.school_id, 0) + max(0, usable)
    targets = {}
    for sid, limit in limits.items():
        target = min(limit.floor_pounds, asked.get(sid, 0))
        if limit.cap_pounds is not None:
            target = min(target, limit.cap_pounds)
        if target > 0:
            targets[sid] = target
    return targets


def lock_conflicts(inp: AllocationInput) -> list[str]:
    """Clashes that make every split impossible before any model is built."""
    problems: list[str] = []
    if inp.pot_pounds < 0:
        problems.append(f"The pot is {pounds(inp.pot_pounds)}; it cannot be less than £0.")
    for r in sorted(inp.requests, key=lambda r: r.request_id):
        lock = r.locked_pounds
        if lock is not None and not 0 <= lock <= r.amount_pounds:
            problems.append(
                f"{r.request_id} is locked at {pounds(lock)}, but a lock must be between £0 and "
                f"the {pounds(r.amount_pounds)} it asks for."
            )
    return problems


def _in_model(r: RequestInput, floor_room: Mapping[str, int]) -> bool:
    # A request with no need only takes money when its school's floor needs it.
    return r.locked_pounds is None and (r.need_score > 0 or floor_room.get(r.school_id, 0) > 0)


def canonicalise(inp: AllocationInput) -> Canonical:
    """Order, take out locks, and work out what each school's floor and cap leave to the model."""
    requests = tuple(sorted(inp.requests, key=lambda r: r.request_id))
    schools = _school_ids(inp)
    limits = {limit.school_id: limit for limit in inp.school_limits}
    locked = _locks(requests)
    locked_by_school = _by_school(requests, locked)
    targets = floor_targets(requests, limits)
    floor_room = {
        sid: target - locked_by_school.get(sid, 0)
        for sid, target in targets.items()
        if target > locked_by_school.get(sid, 0)
    }
    cap_room = {
        sid: limit.cap_pounds - locked_by_school.get(sid, 0)
        for sid, limit in limits.items()
        if limit.cap_pounds is not None
    }
    free = tuple(i for i, r in enumerate(requests) if _in_model(r, floor_room))
    index = {sid: k for k, sid in enumerate(schools)}
    chosen = [requests[i] for i in free]
    return Canonical(
        inp=inp,
        requests=requests,
        schools=schools,
        limits=MappingProxyType(limits),
        locked=MappingProxyType(locked),
        locked_by_school=MappingProxyType(locked_by_school),
        floor_target=MappingProxyType(targets),
        free=free,
        pot_room=inp.pot_pounds - sum(locked.values()),
        cap_room=MappingProxyType(cap_room),
        floor_room=MappingProxyType(floor_room),
        amount=np.array([r.amount_pounds for r in chosen], dtype=float),
        minimum=np.array([r.minimum_pounds for r in chosen], dtype=float),
        need=np.array([r.need_score for r in chosen], dtype=float),
        school_index=np.array([index[r.school_id] for r in chosen], dtype=np.int64),
        unit=money_unit([r.amount_pounds for r in chosen]),
    )


def money_unit(asks: list[int]) -> float:
    """The power of ten at or below the middle ask: the unit the models count money in."""
    if not asks:
        return 1.0
    middle = float(np.median(asks))
    return float(10 ** max(0, math.floor(math.log10(max(1.0, middle)))))


def budget_conflicts(c: Canonical, floor_needs: Mapping[str, int] | None = None) -> list[str]:
    """Locks above a cap, or locks plus floors above the pot, each named with its numbers.

    `floor_needs` overrides what each floor costs the pot, once the exact check has found that
    request minimums make a floor cost more than its face value.
    """
    problems = [
        f"Locked awards at {sid} come to {pounds(c.locked_by_school.get(sid, 0))}, more than its "
        f"cap of {pounds(c.limits[sid].cap_pounds or 0)}."
        for sid, room in sorted(c.cap_room.items())
        if room < 0
    ]
    needs = dict(c.floor_room if floor_needs is None else floor_needs)
    locked_total = sum(c.locked.values())
    if locked_total + sum(needs.values()) > c.inp.pot_pounds:
        problems.append(_pot_clash(c, locked_total, needs))
    return problems


def _pot_clash(c: Canonical, locked_total: int, needs: Mapping[str, int]) -> str:
    pot = pounds(c.inp.pot_pounds)
    if not needs:
        return f"Locked awards come to {pounds(locked_total)}, more than the pot of {pot}."
    parts = []
    for sid, need in sorted(needs.items()):
        face = c.floor_room.get(sid, 0)
        extra = (
            f", as its requests' minimums mean its {pounds(face)} floor cannot be met with less"
            if need > face else ""
        )
        parts.append(f"{sid} {pounds(need)}{extra}")
    floors = "; ".join(parts)
    total = pounds(locked_total + sum(needs.values()))
    start = f"Locked awards ({pounds(locked_total)}) plus" if locked_total else "The"
    return (
        f"{start} schools' floors still to be met ({floors}) come to {total}, more than the pot "
        f"of {pot}."
    )

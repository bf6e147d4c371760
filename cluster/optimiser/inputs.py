"""What the optimiser is asked: frozen, validated inputs.

Validation here rejects input that cannot mean anything (a negative ask, a minimum above the ask, a
request listed twice) with a `ValueError` a host can read. Input that is well formed but cannot be
met together (a lock above the ask, a negative pot, floors the pot cannot cover) is *not* rejected:
`allocate` answers it with status "infeasible" and the clashes in words, because a host can fix
those by changing a number on the screen.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

Objective = Literal["need_per_pound", "fair_shares"]
OBJECTIVES: tuple[Objective, ...] = ("need_per_pound", "fair_shares")


def whole_pounds(value: object, label: str) -> int:
    """Money arrives from forms and data frames as int or float; only whole pounds make sense."""
    if isinstance(value, bool):
        raise ValueError(f"{label} must be whole pounds, not {value!r}.")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and math.isfinite(value) and value.is_integer():
        return int(value)
    try:
        return int(value.__index__())  # type: ignore[attr-defined]  # numpy integers have it
    except (AttributeError, TypeError):
        raise ValueError(f"{label} must be whole pounds, not {value!r}.") from None


def _text_id(value: object, label: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{label} must be a non-empty piece of text, not {value!r}.")
    return value


def _need(value: object, label: str) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        try:
            value = float(value)  # type: ignore[arg-type]  # text such as "7.5" is a need too
        except (TypeError, ValueError):
            raise ValueError(f"{label} must be a number, not {value!r}.") from None
    number = float(value)
    if not math.isfinite(number) or number < 0:
        raise ValueError(f"{label} must be zero or more, not {value!r}.")
    return number


@dataclass(frozen=True)
class RequestInput:
    """One request before the meeting, in whole pounds.

    `minimum_pounds` is the least that is worth doing; `locked_pounds` is an amount the host has
    fixed by hand (any whole pounds from £0 to the ask), or None when the optimiser may choose.
    """

    request_id: str
    school_id: str
    amount_pounds: int
    minimum_pounds: int
    need_score: float
    locked_pounds: int | None = None

    def __post_init__(self) -> None:
        rid = _text_id(self.request_id, "Request reference")
        where = f"Request {rid}"
        object.__setattr__(self, "school_id", _text_id(self.school_id, f"{where}: school"))
        amount = whole_pounds(self.amount_pounds, f"{where}: amount asked")
        if amount <= 0:
            raise ValueError(f"{where}: the amount asked must be more than £0 (it is {amount}).")
        minimum = _not_negative(self.minimum_pounds, where, "minimum")
        if minimum > amount:
            raise ValueError(
                f"{where}: the minimum (£{minimum:,}) is more than the amount asked (£{amount:,})."
            )
        object.__setattr__(self, "amount_pounds", amount)
        object.__setattr__(self, "minimum_pounds", minimum)
        object.__setattr__(self, "need_score", _need(self.need_score, f"{where}: need score"))
        if self.locked_pounds is not None:
            # A lock outside 0..amount is kept as given: allocate reports it as a clash.
            object.__setattr__(
                self, "locked_pounds", whole_pounds(self.locked_pounds, f"{where}: locked amount")
            )


@dataclass(frozen=True)
class SchoolLimit:
    """A school's floor (money it should get at least, as far as its requests ask) and cap."""

    school_id: str
    floor_pounds: int = 0
    cap_pounds: int | None = None

    def __post_init__(self) -> None:
        sid = _text_id(self.school_id, "School")
        floor = _not_negative(self.floor_pounds, f"School {sid}", "floor")
        object.__setattr__(self, "floor_pounds", floor)
        if self.cap_pounds is not None:
            cap = _not_negative(self.cap_pounds, f"School {sid}", "cap")
            if floor > cap:
                raise ValueError(
                    f"School {sid}: the floor (£{floor:,}) is above the cap (£{cap:,})."
                )
            object.__setattr__(self, "cap_pounds", cap)


def _not_negative(value: object, where: str, what: str) -> int:
    pounds = whole_pounds(value, f"{where}: {what}")
    if pounds < 0:
        raise ValueError(f"{where}: the {what} cannot be negative (it is {pounds}).")
    return pounds


def _as_tuple(items: Iterable[object], kind: type, label: str) -> tuple:
    items = tuple(items)
    for item in items:
        if not isinstance(item, kind):
            raise ValueError(f"{label} must all be {kind.__name__}, not {type(item).__name__}.")
    return items


def _first_duplicate(ids: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for value in ids:
        if value in seen:
            return value
        seen.add(value)
    return None


@dataclass(frozen=True)
class AllocationInput:
    """Everything one run of the optimiser needs."""

    pot_pounds: int
    requests: tuple[RequestInput, ...]
    school_limits: tuple[SchoolLimit, ...] = ()
    objective: Objective = "need_per_pound"
    time_limit_s: float = 10.0

    def __post_init__(self) -> None:
        # A negative pot is kept as given: allocate reports it as a clash, not an error.
        object.__setattr__(self, "pot_pounds", whole_pounds(self.pot_pounds, "The pot"))
        requests = _as_tuple(self.requests, RequestInput, "Requests")
        limits = _as_tuple(self.school_limits, SchoolLimit, "School limits")
        object.__setattr__(self, "requests", requests)
        object.__setattr__(self, "school_limits", limits)
        twice = _first_duplicate(r.request_id for r in requests)
        if twice is not None:
            raise ValueError(f"Request {twice} is listed more than once.")
        twice = _first_duplicate(limit.school_id for limit in limits)
        if twice is not None:
            raise ValueError(f"School {twice} has more than one floor/cap line.")
        if self.objective not in OBJECTIVES:
            raise ValueError(
                f"Unknown objective {self.objective!r}: choose 'need_per_pound' or 'fair_shares'."
            )
        limit = self.time_limit_s
        if isinstance(limit, bool) or not isinstance(limit, (int, float)) or not (
            math.isfinite(limit) and limit > 0
        ):
            raise ValueError(f"The time limit must be a positive number of seconds, not {limit!r}.")
        object.__setattr__(self, "time_limit_s", float(limit))

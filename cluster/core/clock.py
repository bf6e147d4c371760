"""The one clock. `CLUSTER_TODAY` (YYYY-MM-DD) pins it so the demo and the tests are
deterministic."""

from __future__ import annotations

import os
from datetime import UTC, date, datetime

TODAY_VARIABLE = "CLUSTER_TODAY"


def today() -> date:
    pinned = os.environ.get(TODAY_VARIABLE, "").strip()
    if not pinned:
        return date.today()
    try:
        return date.fromisoformat(pinned)
    except ValueError as error:
        raise ValueError(
            f"{TODAY_VARIABLE} must be a date written YYYY-MM-DD, not {pinned!r}"
        ) from error


def now() -> datetime:
    """Timestamps (UTC) for records: a pinned day keeps the wall-clock time, so order still
    works."""
    current = datetime.now(UTC)
    pinned_day = today()
    return current.replace(year=pinned_day.year, month=pinned_day.month, day=pinned_day.day)

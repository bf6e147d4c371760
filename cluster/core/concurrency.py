"""Retrying a whole short transaction when a versioned row changed under it.

On SQLite, writes start IMMEDIATE and queue, so a read-modify-write cannot interleave. On
PostgreSQL (read committed) two transactions can read the same version; the second UPDATE then
matches no row, SQLAlchemy raises StaleDataError, and the action runs again on fresh figures.
Only for changes that are safe to re-apply to new figures (increments), never for a person's
edit of a screen: that is refused as stale instead.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import OperationalError
from sqlalchemy.orm.exc import StaleDataError

from cluster.core.errors import ConcurrentSave, StaleEdit

T = TypeVar("T")
MAX_ATTEMPTS = 40


def retry_on_conflict(action: Callable[[], T], *, what: str,
                      attempts: int = MAX_ATTEMPTS) -> T:
    for attempt in range(1, attempts + 1):
        try:
            return action()
        except (ConcurrentSave, StaleDataError, OperationalError) as error:
            if isinstance(error, OperationalError) and "could not serialize" not in str(error) \
                    and "deadlock" not in str(error):
                raise
            if attempt == attempts:
                raise StaleEdit([f"{what} was changed by several people at once"], None) from None
            # A short random pause spreads the retries out so they stop colliding.
            time.sleep(random.uniform(0, 0.002 * attempt))
    raise AssertionError("unreachable")

"""Stale-screen detection: the version a screen was drawn from travels with its save."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from sqlmodel import Session

from cluster.core.audit import last_change_by
from cluster.core.errors import StaleEdit
from cluster.models import Versioned


def check_not_stale(
    session: Session,
    row: Versioned,
    *,
    expected_version: int,
    drawn_from: Mapping[str, object],
    entity: str,
    labels: Mapping[str, str] | None = None,
    describe: Callable[[str, object], str] | None = None,
) -> None:
    """Refuse the save when the row moved on since the screen read it, naming what changed.

    The version_id_col on the row still guards the gap between this check and the commit.
    """
    if row.version == expected_version:
        return
    labels = labels or {}
    shown = describe or (lambda _field, value: "none" if value is None else str(value))
    changes = []
    for field, old in drawn_from.items():
        new = getattr(row, field, old)
        if new != old:
            label = labels.get(field, field.replace("_", " "))
            changes.append(f"{label}: {shown(field, old)} → {shown(field, new)}")
    row_id = getattr(row, "id", None)
    changed_by = last_change_by(session, entity, row_id) if row_id is not None else None
    raise StaleEdit(changes, changed_by)

"""A year's own settings row, else the one it inherits: the latest earlier year's. Request rules,
the need matrix and the review points a cluster sets all carry forward this way until changed."""

from __future__ import annotations

from typing import TypeVar

from sqlmodel import Session, col, select

from cluster.models import NeedMatrixSetting, RequestRules

# A year's own settings row: its rules or its need matrix (a query returns the kind it was given).
YearSettingRow = TypeVar("YearSettingRow", RequestRules, NeedMatrixSetting)


def latest_row(session: Session, table: type[YearSettingRow],
               cluster_id: int, academic_year: int) -> YearSettingRow | None:
    return session.exec(
        select(table).where(table.cluster_id == cluster_id, table.academic_year <= academic_year)
        .order_by(col(table.academic_year).desc()).limit(1)
    ).first()

from __future__ import annotations

from sqlalchemy import Table
from sqlmodel import SQLModel

from cluster.people.request_records import RECORD_TABLES


def _tables() -> list[Table]:
    return [record.table.__table__ for record in RECORD_TABLES]  # type: ignore[attr-defined]  # a table model has __table__


def test_every_table_naming_a_request_record_is_one_of_its_records() -> None:
    """Else retention would leave it naming a deleted request (or fail on PostgreSQL)."""
    records = set(_tables())
    naming = {table for table in SQLModel.metadata.sorted_tables
              if any(key.column.table in records for key in table.foreign_keys)}
    assert naming <= records


def test_each_record_table_comes_after_the_tables_its_rows_name() -> None:
    """Deletion runs the list backwards, children first."""
    order = _tables()
    for place, table in enumerate(order):
        named = {key.column.table for key in table.foreign_keys}
        assert not named & set(order[place:]) - {table}, table.name

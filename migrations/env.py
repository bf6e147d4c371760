"""Alembic environment: the same engine factory as the app; batch mode so SQLite can alter
tables."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import cluster.models  # noqa: F401 - registers every table on SQLModel.metadata
from cluster.core.db import database_url, is_sqlite, make_engine

config = context.config
target_metadata = SQLModel.metadata


def run_migrations() -> None:
    url = config.attributes.get("database_url") or database_url()
    engine = make_engine(url)
    with engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=target_metadata,
            render_as_batch=is_sqlite(url),
            compare_type=True,
        )
        with context.begin_transaction():
            context.run_migrations()
    engine.dispose()


run_migrations()

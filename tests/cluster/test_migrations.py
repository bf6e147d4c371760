from __future__ import annotations

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from cluster.migrate import check_models_match


def test_migrations_create_every_model_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_autogenerate_finds_no_difference(engine: Engine) -> None:
    check_models_match(engine.url.render_as_string(hide_password=False))


def test_upgrade_from_empty_on_a_fresh_sqlite_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from cluster.db import make_engine
    from cluster.migrate import upgrade_to_head

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_to_head(url)
    upgrade_to_head(url)  # a second run is a no-op, as `make run` relies on
    made = make_engine(url)
    assert "user" in inspect(made).get_table_names()
    made.dispose()


pytestmark = pytest.mark.filterwarnings("ignore")

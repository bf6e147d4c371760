from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from cluster.core.migrate import check_models_match
from tests.helpers.databases import copy_demo


def test_migrations_create_every_model_table(engine: Engine) -> None:
    tables = set(inspect(engine).get_table_names())
    assert set(SQLModel.metadata.tables) <= tables
    assert "alembic_version" in tables


def test_autogenerate_finds_no_difference(engine: Engine) -> None:
    check_models_match(engine.url.render_as_string(hide_password=False))


def test_upgrade_from_empty_on_a_fresh_sqlite_file(tmp_path: Path) -> None:
    from cluster.core.db import make_engine
    from cluster.core.migrate import upgrade_to_head

    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    upgrade_to_head(url)
    upgrade_to_head(url)  # a second run is a no-op, as `make run` relies on
    made = make_engine(url)
    assert "user" in inspect(made).get_table_names()
    made.dispose()


pytestmark = pytest.mark.filterwarnings("ignore")


def _row_counts(url: str) -> dict[str, int]:
    from sqlalchemy import func, select

    from cluster.core.db import make_engine

    made = make_engine(url)
    try:
        with made.connect() as connection:
            return {name: connection.execute(select(func.count()).select_from(table)).scalar_one()
                    for name, table in SQLModel.metadata.tables.items()
                    if name in inspect(connection).get_table_names()}
    finally:
        made.dispose()


def test_upgrading_the_demo_from_the_first_migration_keeps_every_row(demo_sqlite_file: Path,
                                                                    tmp_path: Path) -> None:
    """A cluster that installed the first release upgrades in place: every table's rows survive
    each step of the chain, and the steps add what they should."""
    from alembic import command
    from alembic.script import ScriptDirectory

    from cluster.core.migrate import alembic_config, upgrade_to_head

    url = copy_demo(demo_sqlite_file, tmp_path / "first-release.db")
    config = alembic_config(url)
    revisions = [script.revision for script in
                 reversed(list(ScriptDirectory.from_config(config).walk_revisions()))]
    assert revisions[0] == "0001" and len(revisions) >= 2
    command.downgrade(config, revisions[0])
    first = _row_counts(url)
    assert first["award"] > 50 and first["supportrequest"] > 50 and "datastamp" not in first
    for revision in revisions[1:]:
        command.upgrade(config, revision)
        after = _row_counts(url)
        assert {table: after[table] for table in first} == first, f"rows lost at {revision}"
    upgrade_to_head(url)
    final = _row_counts(url)
    assert final["datastamp"] == 1  # the data's first stamp, made by 0002


def test_the_issued_pack_figures_column_goes_down_and_back_up(tmp_path: Path) -> None:
    """0011 adds the figures an issued governors' pack stored; its downgrade drops them in place
    and the upgrade brings the column back, empty (not recorded)."""
    from alembic import command

    from cluster.core.migrate import alembic_config, upgrade_to_head

    url = f"sqlite:///{tmp_path / 'round-trip.db'}"
    upgrade_to_head(url)
    config = alembic_config(url)

    def columns() -> set[str]:
        from cluster.core.db import make_engine

        made = make_engine(url)
        try:
            return {c["name"] for c in inspect(made).get_columns("issuedpaper")}
        finally:
            made.dispose()

    assert {"figures", "shown_figures"} <= columns()
    command.downgrade(config, "issued_figures_0001")
    assert "figures" not in columns() and "shown_figures" in columns()
    command.upgrade(config, "head")
    assert "figures" in columns()
    check_models_match(url)

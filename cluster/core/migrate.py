"""Runs the Alembic migrations from code, so `make run`, the tests and scripts share one path."""

from __future__ import annotations

from alembic import command
from alembic.config import Config

from cluster.core.db import PROJECT_ROOT, database_url


def alembic_config(url: str | None = None) -> Config:
    config = Config(str(PROJECT_ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(PROJECT_ROOT / "migrations"))
    config.attributes["database_url"] = url or database_url()
    return config


def upgrade_to_head(url: str | None = None) -> None:
    command.upgrade(alembic_config(url), "head")


def check_models_match(url: str | None = None) -> None:
    """Raises when autogenerate would find a difference between the models and the migrations."""
    command.check(alembic_config(url))

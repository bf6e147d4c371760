from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.accounts import actor_of
from cluster.db import make_engine
from cluster.models import User
from cluster.permissions import Actor


@pytest.fixture
def demo_copy(tmp_path: Path, demo_sqlite_file: Path) -> Iterator[Engine]:
    """A private copy of the seeded demo (SQLite): seeding once keeps these tests fast."""
    path = tmp_path / "demo.db"
    shutil.copy(demo_sqlite_file, path)
    made = make_engine(f"sqlite:///{path}")
    yield made
    made.dispose()


def actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        return actor_of(session.exec(select(User).where(User.username == username)).one())

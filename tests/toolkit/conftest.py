from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlmodel import Session, select

from cluster.core.db import make_engine
from cluster.core.permissions import Actor
from cluster.models import Role, User
from cluster.people.accounts import actor_of

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
DEMO_USER_FOR_ROLE = {Role.HOST: "host", Role.SCHOOL: "senco.ap", Role.GOVERNOR: "governor",
                      Role.LA_ADVISER: "la.adviser"}


@pytest.fixture
def demo_database(tmp_path: Path, demo_sqlite_file: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    path = tmp_path / "app.db"
    shutil.copy(demo_sqlite_file, path)
    url = f"sqlite:///{path}"
    monkeypatch.setenv("CLUSTER_DATABASE_URL", url)
    return url


def demo_actor(url: str, username: str) -> Actor:
    engine = make_engine(url)
    with Session(engine) as session:
        actor = actor_of(session.exec(select(User).where(User.username == username)).one())
    engine.dispose()
    return actor

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.accounts import actor_of
from cluster.models import User
from cluster.permissions import Actor


def actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        return actor_of(session.exec(select(User).where(User.username == username)).one())

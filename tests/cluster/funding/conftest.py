from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.permissions import Actor
from cluster.models import User
from cluster.people.accounts import actor_of


def actor(engine: Engine, username: str) -> Actor:
    with Session(engine) as session:
        return actor_of(session.exec(select(User).where(User.username == username)).one())

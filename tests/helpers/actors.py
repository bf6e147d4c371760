"""Who is who in the demo cluster: the Actor a service sees for a demo username."""

from __future__ import annotations

from sqlalchemy.engine import Engine
from sqlmodel import Session, select

from cluster.core.db import make_engine
from cluster.core.permissions import Actor
from cluster.models import User
from cluster.people.accounts import actor_of


def actor(engine: Engine, username: str) -> Actor:
    """The Actor for a demo username; a name that is not there fails the test (NoResultFound)."""
    with Session(engine) as session:
        return actor_of(session.exec(select(User).where(User.username == username)).one())


def demo_actor(url: str, username: str) -> Actor:
    """The same, for tests that hold only the database URL (the app under test opens its own
    engine): a throwaway engine, disposed so no connection outlives the lookup."""
    engine = make_engine(url)
    try:
        return actor(engine, username)
    finally:
        engine.dispose()

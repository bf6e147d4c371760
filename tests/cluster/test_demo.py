from __future__ import annotations

import re

from sqlalchemy import inspect, text
from sqlalchemy.engine import Engine
from sqlmodel import Session, func, select

from cluster.demo import seed_if_empty
from cluster.models import Role, User

UPN = re.compile(r"\b[A-Za-z]\d{11}[0-9A-Za-z]\b")
TEN_DIGITS = re.compile(r"\b\d{10}\b")


def test_seeding_is_idempotent_and_gives_one_user_per_role(demo_engine: Engine) -> None:
    assert seed_if_empty(demo_engine) is False
    with Session(demo_engine) as session:
        roles = dict(session.exec(select(User.role, func.count()).group_by(User.role)).all())
    assert set(roles) == set(Role)
    assert roles[Role.SCHOOL] == 24


def test_no_pupil_identifier_anywhere_in_the_demo(demo_engine: Engine) -> None:
    found = []
    with demo_engine.connect() as connection:
        for table in inspect(demo_engine).get_table_names():
            for row in connection.execute(text(f'SELECT * FROM "{table}"')):
                for value in row:
                    if isinstance(value, str) and (UPN.search(value) or TEN_DIGITS.search(value)):
                        found.append((table, value))
    assert found == []

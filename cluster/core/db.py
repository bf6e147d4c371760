"""Makes the engine and the one-session-per-action helpers.

SQLite (the embedded default) runs in WAL mode with a busy timeout, and every write transaction
begins IMMEDIATE so two writers queue for the lock instead of one failing half-way through a
read-modify-write. PostgreSQL is reached through psycopg 3 with the same code.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session as OrmSession
from sqlalchemy.orm.exc import StaleDataError
from sqlmodel import Session, create_engine

import cluster.core.cache  # noqa: F401 - importing it installs the hooks that stamp every change
from cluster.core.errors import ConcurrentSave, InvalidInput

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL_VARIABLE = "CLUSTER_DATABASE_URL"
DEFAULT_DATABASE_PATH = PROJECT_ROOT / "data" / "cluster.db"
SQLITE_BUSY_TIMEOUT_MS = 15_000
READ_ONLY_OPTION = "cluster_read_only"


def database_url() -> str:
    configured = os.environ.get(DATABASE_URL_VARIABLE, "").strip()
    if configured:
        return configured
    return f"sqlite:///{DEFAULT_DATABASE_PATH}"


def is_sqlite(url: str) -> bool:
    return url.startswith("sqlite")


def make_engine(url: str | None = None) -> Engine:
    url = url or database_url()
    if is_sqlite(url):
        engine = _make_sqlite_engine(url)
    else:
        if url.startswith("postgresql://"):
            url = "postgresql+psycopg://" + url.removeprefix("postgresql://")
        engine = create_engine(url, pool_pre_ping=True)
    event.listen(engine, "before_cursor_execute", _refuse_nul_parameters)
    return engine


def _make_sqlite_engine(url: str) -> Engine:
    engine = create_engine(
        url,
        connect_args={"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
    )
    path = url.removeprefix("sqlite:///")
    if path and path != url and not path.startswith(":memory:"):
        Path(path).parent.mkdir(parents=True, exist_ok=True)

    @event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        # pysqlite's own transaction handling defers BEGIN and never says IMMEDIATE; take it over.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        # Readers begin DEFERRED so they never queue behind writers for the write lock.
        if connection.get_execution_options().get(READ_ONLY_OPTION):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


@contextmanager
def write_session(engine: Engine) -> Iterator[Session]:
    """One short transaction for one user action: commits on success, rolls back on any error."""
    with Session(engine, expire_on_commit=False) as session:
        try:
            yield session
            session.commit()
        except StaleDataError as error:
            session.rollback()
            raise ConcurrentSave() from error
        except BaseException:
            session.rollback()
            raise


@contextmanager
def read_session(engine: Engine) -> Iterator[Session]:
    with Session(engine, expire_on_commit=False) as session:
        session.connection(execution_options={READ_ONLY_OPTION: True})
        try:
            yield session
        finally:
            session.rollback()


NUL = "\x00"


@event.listens_for(OrmSession, "before_flush")
def _refuse_nul_characters(session: OrmSession, _context: Any, _instances: Any) -> None:
    """PostgreSQL cannot store the NUL character in text; SQLite can, so the same form would
    save on a laptop and crash on the shared server. Every write is checked here, in one place,
    and refused with the field's name before anything is written."""
    for row in [*session.new, *session.dirty]:
        for attribute in inspect(row).mapper.column_attrs:
            if _holds_nul(getattr(row, attribute.key)):
                label = attribute.key.replace("_", " ").capitalize()
                raise InvalidInput(label, "contains a hidden control character (NUL) that cannot "
                                          "be saved; retype the text without it")


def _refuse_nul_parameters(_connection: Any, _cursor: Any, _statement: str, parameters: Any,
                           _context: Any, _executemany: bool) -> None:
    """The same refusal for a search or look-up typed with a NUL in it (a write is caught
    earlier, naming its field): PostgreSQL would fail on it, SQLite would not."""
    if _holds_nul(parameters):
        raise InvalidInput("Text", "contains a hidden control character (NUL) that cannot be "
                                   "searched for; retype the text without it")


def _holds_nul(value: object) -> bool:
    if isinstance(value, str):
        return NUL in value
    if isinstance(value, dict):
        return any(_holds_nul(k) or _holds_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_holds_nul(v) for v in value)
    return False

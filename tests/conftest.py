"""Shared fixtures: a pinned clock, and migrated databases on SQLite and on a real PostgreSQL.

PostgreSQL: one fresh database per test run (created here, dropped at the end), emptied between
tests. With CI=true a missing server fails the PostgreSQL tests instead of skipping them.
"""

from __future__ import annotations

import fcntl
import os
import shutil
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from hypothesis import settings
from sqlalchemy import text
from sqlalchemy.engine import Engine
from sqlmodel import SQLModel

from cluster.core.db import make_engine
from cluster.core.migrate import upgrade_to_head
from cluster.demo.seed import seed_if_empty

# Property tests run the same examples on every run, so a CI result is reproducible; set
# HYPOTHESIS_PROFILE=explore to search fresh random examples while developing.
settings.register_profile("repeatable", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("explore", deadline=None, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))

TODAY = "2026-11-23"
PG_ADMIN_DSN = os.environ.get("CLUSTER_TEST_PG_ADMIN", "postgresql://postgres@127.0.0.1:5432/test")
IN_CI = os.environ.get("CI", "").lower() == "true"
# pytest-xdist runs the suite in several worker processes; the demo is seeded once for all of
# them (seeding takes tens of seconds a backend), under a lock, in what the run shares.
RUN_ID = "CLUSTER_TEST_RUN"
WORKER = os.environ.get("PYTEST_XDIST_WORKER")


def pytest_configure(config: pytest.Config) -> None:
    if not hasattr(config, "workerinput"):  # the process that starts the workers
        os.environ.setdefault(RUN_ID, uuid.uuid4().hex[:10])


def pytest_sessionfinish(session: pytest.Session) -> None:
    if hasattr(session.config, "workerinput") or not _postgres_answers():
        return
    _drop_database(_shared_demo_name())


def _shared_demo_name() -> str:
    return f"cluster_demo_{os.environ[RUN_ID]}"


@pytest.fixture(autouse=True)
def every_change_is_audited() -> Iterator[None]:
    """Fails the test in which a registered mutating service succeeded without an audit row, or
    an audited service's refusal could not be logged (listed as "<action> (refusal)"). A refusal
    raises before the success check, and its "refused" row never counts as a change's row."""
    from cluster.core import audit

    audit.AUDIT_CHECK["enabled"] = True
    audit.AUDIT_CHECK["missing"] = []
    yield
    missing = list(audit.AUDIT_CHECK["missing"])
    audit.AUDIT_CHECK["enabled"] = False
    if missing:
        pytest.fail(f"These services changed data or refused without an audit row: "
                    f"{sorted(set(missing))}")


@pytest.fixture(autouse=True)
def pinned_clock(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CLUSTER_TODAY", TODAY)
    monkeypatch.setenv("CLUSTER_MODE", "demo")


def missing_service(reason: str) -> None:
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this test must not be skipped)")
    pytest.skip(reason)


@contextmanager
def _sqlite_copy(source: Path, path: Path) -> Iterator[Engine]:
    """An engine on a private copy of a database file, disposed of afterwards."""
    shutil.copy(source, path)
    made = make_engine(f"sqlite:///{path}")
    yield made
    made.dispose()


def _admin(*statements: str) -> None:
    """Runs statements on the PostgreSQL server itself (creating and dropping databases)."""
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        for statement in statements:
            admin.execute(statement)


def _new_database(name: str, template: str | None = None) -> None:
    # A test database is thrown away: waiting for each commit to reach the disk only slows the
    # suite (the app's own databases keep PostgreSQL's default).
    _admin(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""),
           f'ALTER DATABASE "{name}" SET synchronous_commit TO off')


def _drop_database(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _postgres_answers() -> bool:
    try:
        psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5).close()
    except psycopg.OperationalError:
        return False
    return True


def _database_exists(name: str) -> bool:
    with psycopg.connect(PG_ADMIN_DSN, autocommit=True) as admin:
        found = admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,))
        return found.fetchone() is not None


def _run_folder(factory: pytest.TempPathFactory) -> Path:
    """The folder the whole run shares: each xdist worker's own temporary folder sits in it."""
    base = factory.getbasetemp()
    return base.parent if WORKER else base


@contextmanager
def _run_lock(factory: pytest.TempPathFactory, name: str) -> Iterator[None]:
    with (_run_folder(factory) / f"{name}.lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _file_once(factory: pytest.TempPathFactory, name: str, make: Callable[[Path], None]) -> Path:
    """A file made by the first worker that asks for it; the others wait for it, then share it."""
    path = _run_folder(factory) / name
    with _run_lock(factory, name):
        if not path.exists():
            partial = path.with_suffix(".partial")
            make(partial)
            partial.rename(path)
    return path


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One migrated SQLite file, copied for each test: migrating once keeps the suite fast."""
    return _file_once(tmp_path_factory, "template.db",
                      lambda path: upgrade_to_head(f"sqlite:///{path}"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    name = f"cluster_test_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        psycopg.connect(PG_ADMIN_DSN, autocommit=True, connect_timeout=5).close()
    except psycopg.OperationalError as error:
        missing_service(f"PostgreSQL is not reachable at {PG_ADMIN_DSN}: {error}")
        return
    _new_database(name)
    base = PG_ADMIN_DSN.rsplit("/", 1)[0]
    url = f"{base.replace('postgresql://', 'postgresql+psycopg://')}/{name}"
    upgrade_to_head(url)
    yield url
    _drop_database(name)


def _empty_postgres(engine: Engine) -> None:
    tables = ", ".join(f'"{t.name}"' for t in SQLModel.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))
        # An emptied database is a new state of the data: it needs its own stamp
        # (cluster/core/cache.py).
        connection.execute(text("INSERT INTO datastamp (id, stamp) VALUES (1, :stamp)"),
                           {"stamp": uuid.uuid4().hex})


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def engine(request: pytest.FixtureRequest, tmp_path: Path,
           sqlite_template: Path) -> Iterator[Engine]:
    """A migrated, empty database on each backend."""
    if request.param == "sqlite":
        with _sqlite_copy(sqlite_template, tmp_path / "cluster.db") as made:
            yield made
        return
    made = make_engine(request.getfixturevalue("postgres_url"))
    _empty_postgres(made)
    yield made
    made.dispose()


@pytest.fixture
def sqlite_engine(tmp_path: Path, sqlite_template: Path) -> Iterator[Engine]:
    with _sqlite_copy(sqlite_template, tmp_path / "cluster.db") as made:
        yield made


def _seed_postgres_demo(base: str, name: str) -> None:
    """Seeds the demo into a database of its own, renamed to `name` only once it is whole."""
    partial = f"{name}_partial"
    _drop_database(partial)
    _new_database(partial)
    url = f"{base}/{partial}"
    upgrade_to_head(url)
    os.environ["CLUSTER_TODAY"] = TODAY
    made = make_engine(url)
    seed_if_empty(made)
    made.dispose()  # a template database takes no connections while it is copied
    _admin(f'ALTER DATABASE "{partial}" RENAME TO "{name}"')


@pytest.fixture(scope="session")
def postgres_demo_template(postgres_url: str,
                           tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The demo seeded once into a database of its own; each test's database is a copy of it
    (`CREATE DATABASE … TEMPLATE`), which takes a fraction of the seconds seeding takes. Under
    xdist the workers share one, dropped when the run ends."""
    base, _, own = postgres_url.rpartition("/")
    shared = WORKER is not None and RUN_ID in os.environ
    template = _shared_demo_name() if shared else f"{own}_demo"
    with _run_lock(tmp_path_factory, "postgres-demo"):
        if not _database_exists(template):
            _seed_postgres_demo(base, template)
    yield template
    if not shared:
        _drop_database(template)


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def demo_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """The seeded demo on each backend, copied from a database seeded once per run."""
    if request.param == "sqlite":
        with _sqlite_copy(request.getfixturevalue("demo_sqlite_file"),
                          tmp_path / "demo.db") as made:
            yield made
        return
    template = request.getfixturevalue("postgres_demo_template")
    base = request.getfixturevalue("postgres_url").rpartition("/")[0]
    name = f"{template}_{uuid.uuid4().hex[:8]}"
    _new_database(name, template)
    made = make_engine(f"{base}/{name}")
    yield made
    made.dispose()
    _drop_database(name)


def _seed_sqlite_demo(template: Path, path: Path) -> None:
    os.environ["CLUSTER_TODAY"] = TODAY
    shutil.copy(template, path)
    made = make_engine(f"sqlite:///{path}")
    seed_if_empty(made)
    made.dispose()


@pytest.fixture(scope="session")
def demo_sqlite_file(tmp_path_factory: pytest.TempPathFactory, sqlite_template: Path) -> Path:
    """A seeded demo database on disk, copied by tests that run the app against it."""
    return _file_once(tmp_path_factory, "demo.db",
                      lambda path: _seed_sqlite_demo(sqlite_template, path))


@pytest.fixture
def demo_copy(tmp_path: Path, demo_sqlite_file: Path) -> Iterator[Engine]:
    """A private copy of the seeded demo on SQLite, for tests where the backend does not matter:
    copying the file seeded once is much faster than seeding each test's database."""
    with _sqlite_copy(demo_sqlite_file, tmp_path / "demo.db") as made:
        yield made

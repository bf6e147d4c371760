from __future__ import annotations

import threading
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.engine import Engine
from sqlmodel import select

from cluster.core.db import database_url, make_engine, read_session, write_session
from cluster.models import Cluster


def test_default_database_is_the_git_ignored_sqlite_file(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CLUSTER_DATABASE_URL", raising=False)
    assert database_url().endswith("data/cluster.db")
    monkeypatch.setenv("CLUSTER_DATABASE_URL", "postgresql+psycopg://somewhere/db")
    assert database_url() == "postgresql+psycopg://somewhere/db"
    ignored = (Path(__file__).resolve().parents[3] / ".gitignore").read_text()
    assert "data/*.db" in ignored


def test_sqlite_runs_in_wal_mode_with_a_busy_timeout(sqlite_engine: Engine) -> None:
    with sqlite_engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_writes_begin_immediate_and_reads_do_not(sqlite_engine: Engine) -> None:
    statements: list[str] = []
    event.listen(sqlite_engine, "before_cursor_execute",
                 lambda conn, cursor, statement, *args: statements.append(statement))
    with read_session(sqlite_engine) as session:
        session.exec(select(Cluster)).all()
    with write_session(sqlite_engine) as session:
        session.exec(select(Cluster)).all()
    assert statements.count("BEGIN") == 1
    assert statements.count("BEGIN IMMEDIATE") == 1


def test_a_failed_action_writes_nothing(engine: Engine) -> None:
    from datetime import date

    with pytest.raises(RuntimeError):
        with write_session(engine) as session:
            session.add(Cluster(name="Half-made", la_code="926", la_name="Norfolk",
                                funded_since=date(2024, 9, 1)))
            session.flush()
            raise RuntimeError("the user's action failed part-way")
    with read_session(engine) as session:
        assert session.exec(select(Cluster)).all() == []


def test_two_sqlite_writers_queue_rather_than_fail(tmp_path: Path, sqlite_template: Path) -> None:
    import shutil
    from datetime import date

    path = tmp_path / "busy.db"
    shutil.copy(sqlite_template, path)
    engines = [make_engine(f"sqlite:///{path}") for _ in range(4)]
    errors: list[BaseException] = []

    def write(made: Engine, n: int) -> None:
        try:
            for i in range(10):
                with write_session(made) as session:
                    session.add(Cluster(name=f"C{n}-{i}", la_code="926", la_name="Norfolk",
                                        funded_since=date(2024, 9, 1)))
        except BaseException as error:  # the test reports any failure
            errors.append(error)

    threads = [threading.Thread(target=write, args=(e, n)) for n, e in enumerate(engines)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with read_session(engines[0]) as session:
        assert len(session.exec(select(Cluster)).all()) == 40


def test_text_with_a_nul_character_is_refused_on_every_database(engine: Engine) -> None:
    """PostgreSQL cannot store NUL in text: the same refusal, naming the field, on both
    databases, and nothing written."""
    from sqlmodel import func, select

    from cluster.core.errors import InvalidInput
    from cluster.models import Cluster

    with pytest.raises(InvalidInput, match="Name: contains a hidden control character"):
        with write_session(engine) as session:
            session.add(Cluster(name="Wensum\x00Valley", la_code="926", la_name="Norfolk"))
    with pytest.raises(InvalidInput, match="La name"):
        with write_session(engine) as session:
            session.add(Cluster(name="Wensum Valley", la_code="926", la_name="Nor\x00folk"))
    with write_session(engine) as session:
        assert session.exec(select(func.count()).select_from(Cluster)).one() == 0


def test_a_search_with_a_nul_character_is_refused_not_crashed(engine: Engine) -> None:
    from cluster.core.errors import InvalidInput

    with pytest.raises(InvalidInput, match="Text: contains a hidden control character"):
        with read_session(engine) as session:
            session.exec(select(Cluster).where(Cluster.name == "Wensum\x00")).all()
    with read_session(engine) as session:  # the connection is fine for the next person
        assert session.exec(select(Cluster)).all() == []

"""`python -m cluster names`: the host's list of stored text that looks like it holds a name, and
the removal of the confirmed rows, on a copy of the seeded demo. The demo holds the LA's seven
clusters, so each command names Wensum Valley's host (--as host)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlmodel import Session, col, select

from cluster.__main__ import main
from cluster.core.db import make_engine
from cluster.models import AuditEvent, SupportRequest
from cluster.people.stored_names import NAME_REMOVED
from tests.helpers.databases import copy_demo

ROOT = Path(__file__).resolve().parents[2]
JACK = "Jack Smith reads well below age-related expectations."


@pytest.fixture
def old_names(tmp_path: Path, demo_sqlite_file: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    """A demo copy whose first request's need was typed with a name before the text check."""
    url = copy_demo(demo_sqlite_file, tmp_path / "names.db")
    monkeypatch.setenv("CLUSTER_DATABASE_URL", url)
    engine = make_engine(url)
    with engine.begin() as connection:
        connection.execute(text("UPDATE supportrequest SET need_summary = :t WHERE id = "
                                "(SELECT min(id) FROM supportrequest)"), {"t": JACK})
    engine.dispose()
    return url


def first_request(url: str) -> SupportRequest:
    engine = make_engine(url)
    try:
        with Session(engine) as session:
            found = session.exec(select(SupportRequest).order_by(col(SupportRequest.id))).first()
        assert found is not None
        return found
    finally:
        engine.dispose()


def test_names_list_prints_the_rows(old_names: str, capsys: pytest.CaptureFixture[str]) -> None:
    request_id = first_request(old_names).id
    assert main(["names", "--list", "--as", "host"]) == 0
    shown = capsys.readouterr().out
    assert f"support_request:{request_id}:need_summary\tRequest {request_id}\t" \
           "Need in plain words\tclear case\t'Jack Smith' (clear case)" in shown
    assert "1 field(s) look like they hold a name" in shown


def test_names_remove_changes_the_confirmed_row_and_prints_no_words(
        old_names: str, capsys: pytest.CaptureFixture[str]) -> None:
    request_id = first_request(old_names).id
    assert main(["names", "--remove", f"support_request:{request_id}:need_summary",
                 "--as", "host"]) == 0
    printed = capsys.readouterr().out
    assert f"Request {request_id}, Need in plain words: 1 word(s) replaced with " \
           f"{NAME_REMOVED}" in printed
    assert "Jack" not in printed
    assert first_request(old_names).need_summary == \
        f"{NAME_REMOVED} reads well below age-related expectations."
    engine = make_engine(old_names)
    with Session(engine) as session:
        [event] = session.exec(select(AuditEvent).where(
            AuditEvent.action == "names_removed")).all()
    engine.dispose()
    assert event.username == "host" and event.entity_id == request_id


@pytest.mark.parametrize("asked", ["support_request:1:title", "support_request:{id}:need_summary"
                                                              "=Grace"])
def test_a_key_or_word_not_on_the_list_changes_nothing(
        old_names: str, capsys: pytest.CaptureFixture[str], asked: str) -> None:
    assert main(["names", "--remove", asked.format(id=first_request(old_names).id),
                 "--as", "host"]) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert first_request(old_names).need_summary == JACK


def test_only_a_host_account_runs_it(old_names: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["names", "--list", "--as", "senco.ap"]) == 1
    assert "No active host account is called 'senco.ap'" in capsys.readouterr().err
    assert main(["names", "--list", "--as", "deputy"]) == 0
    # The demo database holds the LA's seven clusters: whose host runs it must be named.
    capsys.readouterr()
    assert main(["names", "--list"]) == 1
    assert "name the host account with --as USERNAME" in capsys.readouterr().err


def test_python_dash_m_cluster_names_list(old_names: str) -> None:
    run = subprocess.run([sys.executable, "-m", "cluster", "names", "--list", "--as", "host"],
                         cwd=ROOT,
                         env={**os.environ, "CLUSTER_DATABASE_URL": old_names},
                         capture_output=True, text=True, timeout=120, check=False)
    assert run.returncode == 0, run.stderr
    assert "'Jack Smith' (clear case)" in run.stdout

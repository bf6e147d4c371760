"""Online backup while the app keeps writing, and a restore that gives the same reports."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

import pytest
from sqlmodel import Session, func, select

from cluster.core.backup import backup, restore
from cluster.core.db import make_engine
from cluster.models import AuditEvent, User
from cluster.people.accounts import actor_of, sign_in
from cluster.reporting.home import cluster_headline, governor_summary, host_attention
from tests.helpers.databases import copy_demo

ROOT = Path(__file__).resolve().parents[3]


def reports(url: str) -> tuple[object, ...]:
    engine = make_engine(url)
    with Session(engine) as session:
        users = {u.username: actor_of(u) for u in session.exec(select(User)).all()}
    result = (cluster_headline(engine, users["host"]), host_attention(engine, users["host"]),
              governor_summary(engine, users["governor"]))
    engine.dispose()
    return result


def test_backup_during_writes_then_restore_gives_the_same_reports(
        tmp_path: Path, demo_sqlite_file: Path) -> None:
    url = copy_demo(demo_sqlite_file, tmp_path / "live.db")
    engine = make_engine(url)
    stop = threading.Event()
    written = []

    def keep_signing_in() -> None:
        while not stop.is_set():
            sign_in(engine, "senco.ap", "wrong-password-x" if len(written) % 2 else
                    "cluster-demo-1")
            written.append(1)

    writer = threading.Thread(target=keep_signing_in)
    writer.start()
    try:
        report = backup(url, tmp_path / "backups" / "cluster.bak")
    finally:
        stop.set()
        writer.join()
    assert report.integrity == "ok"
    assert written, "the writer ran during the backup"
    restored = f"sqlite:///{tmp_path / 'restored.db'}"
    restore(restored, report.path)
    assert reports(restored) == reports(f"sqlite:///{report.path}") == reports(url)
    with Session(make_engine(restored)) as session:
        restored_events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    with Session(engine) as session:
        live_events = session.exec(select(func.count()).select_from(AuditEvent)).one()
    assert restored_events <= live_events
    engine.dispose()


def test_restore_refuses_a_file_that_is_not_ours(tmp_path: Path) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"not a database at all" * 100)
    with pytest.raises(RuntimeError):
        restore(f"sqlite:///{tmp_path / 'x.db'}", junk)
    assert not (tmp_path / "x.db").exists() or (tmp_path / "x.db").stat().st_size == 0


def test_the_command_line_backs_up_and_restores(tmp_path: Path, demo_sqlite_file: Path) -> None:
    env = {"CLUSTER_DATABASE_URL": copy_demo(demo_sqlite_file, tmp_path / "cli.db"),
           "PATH": "/usr/bin:/bin"}
    done = subprocess.run([sys.executable, "-m", "cluster", "backup", str(tmp_path / "b.bak")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "integrity ok" in done.stdout
    env["CLUSTER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'back.db'}"
    done = subprocess.run([sys.executable, "-m", "cluster", "restore", str(tmp_path / "b.bak")],
                          cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    missing = subprocess.run([sys.executable, "-m", "cluster", "restore", str(tmp_path / "no")],
                             cwd=ROOT, env=env, capture_output=True, text=True, timeout=60)
    assert missing.returncode == 1
    assert "There is no backup at" in missing.stderr

"""A writer killed with SIGKILL mid-transaction: committed records intact, none of the partial
one, and SQLite's integrity check still ok."""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.cluster.imports.shapes import CensusSchool, csv_bytes, dfe_row
from tests.helpers.databases import copy_demo

ROOT = Path(__file__).resolve().parents[2]
IMPORTER = """
import sys
from sqlmodel import Session, select
from cluster.people.accounts import actor_of
from cluster.core.db import make_engine
from cluster.imports.census import import_census
from cluster.models import User

engine = make_engine(sys.argv[1])
with Session(engine) as session:
    host = actor_of(session.exec(select(User).where(User.username == "host")).one())
import_census(engine, host, open(sys.argv[2], "rb").read(), "census.csv", census_year=2027)
print("committed")
"""


def table_counts(path: Path) -> dict[str, int]:
    with sqlite3.connect(path) as connection:
        names = [r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type='table'")]
        return {n: connection.execute(f'SELECT count(*) FROM "{n}"').fetchone()[0] for n in names}


# The writers run the day after the January 2027 census and Spring 1's meeting (20/01/2027): a
# census is imported only once taken, and a meeting's record is saved only from its day.
AFTER_SPRING_1 = "2027-01-22"


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as connection:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])


def run_until_paused(script: str, args: list[str], point: str, tmp_path: Path) -> None:
    ready = tmp_path / f"{point}.ready"
    env = {**os.environ, "CLUSTER_FAULT": point, "CLUSTER_FAULT_READY": str(ready),
           "CLUSTER_TODAY": AFTER_SPRING_1}
    writer = subprocess.Popen([sys.executable, "-c", script, *args], cwd=ROOT, env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while not ready.exists():
        assert writer.poll() is None, writer.communicate()[1][-2000:]
        assert time.monotonic() < deadline, "the writer never reached the fault point"
        time.sleep(0.05)
    os.kill(writer.pid, signal.SIGKILL)
    writer.wait(timeout=30)
    assert writer.returncode == -signal.SIGKILL


def test_a_census_import_killed_mid_transaction_leaves_nothing_half_done(
        tmp_path: Path, demo_sqlite_file: Path) -> None:
    database = tmp_path / "crash.db"
    url = copy_demo(demo_sqlite_file, database)
    with sqlite3.connect(database) as connection:
        # The host imports for Wensum Valley (cluster 1), not the LA's other six clusters.
        urns = [r[0] for r in connection.execute("SELECT urn FROM school WHERE cluster_id = 1")]
    census = tmp_path / "census.csv"
    census.write_bytes(csv_bytes([dfe_row(CensusSchool(urn, f"School {urn}", 300, 40, 12),
                                          period="202627") for urn in urns]))
    before = table_counts(database)
    run_until_paused(IMPORTER, [url, str(census)], "census_import_flushed", tmp_path)
    assert integrity(database) == "ok"
    assert table_counts(database) == before
    # And the same import, not interrupted, commits every row.
    done = subprocess.run([sys.executable, "-c", IMPORTER, url, str(census)],
                          cwd=ROOT, capture_output=True, text=True, timeout=120,
                          env={**os.environ, "CLUSTER_TODAY": AFTER_SPRING_1})
    assert done.returncode == 0, done.stderr[-2000:]
    after = table_counts(database)
    assert after["censussnapshot"] == before["censussnapshot"] + len(urns)
    assert integrity(database) == "ok"


MEETING_SAVER = """
import sys
from tests.cluster.meeting_helpers import decide_as_suggested, spring_round, take_register
from tests.helpers.actors import actor
from cluster.core.db import make_engine

engine = make_engine(sys.argv[1])
host = actor(engine, "host")
meeting = spring_round(engine)
if sys.argv[2] == "register":
    take_register(engine, host, meeting.id)
else:
    decide_as_suggested(engine, host, meeting.id)
print("committed")
"""


def test_a_meeting_save_killed_mid_transaction_keeps_what_was_committed(
        tmp_path: Path, demo_sqlite_file: Path) -> None:
    database = tmp_path / "meeting.db"
    url = copy_demo(demo_sqlite_file, database)
    env = {**os.environ, "CLUSTER_TODAY": AFTER_SPRING_1}
    register = subprocess.run([sys.executable, "-c", MEETING_SAVER, url, "register"], cwd=ROOT,
                              capture_output=True, text=True, timeout=120, env=env)
    assert register.returncode == 0, register.stderr[-2000:]
    committed = table_counts(database)
    run_until_paused(MEETING_SAVER, [url, "decide"], "meeting_save_flushed", tmp_path)
    assert integrity(database) == "ok"
    assert table_counts(database) == committed  # the register stands; no half-saved decisions
    with sqlite3.connect(database) as connection:
        present = connection.execute("SELECT count(*) FROM attendance a JOIN meeting m "
                                     "ON m.id = a.meeting_id WHERE m.held_on = '2027-01-20' "
                                     "AND a.present").fetchone()[0]
    assert present > 0

"""Four separate processes writing to one SQLite file lose nothing."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from sqlmodel import Session, col, func, select

from cluster.core.db import make_engine
from cluster.models import AuditEvent, User
from tests.helpers.databases import copy_demo

ROOT = Path(__file__).resolve().parents[2]
WRITER = """
import sys
from sqlmodel import Session, select
from cluster.people.accounts import actor_of
from cluster.core.db import make_engine
from cluster.models import User
from cluster.people.users import create_user

engine = make_engine(sys.argv[1])
with Session(engine) as session:
    host = actor_of(session.exec(select(User).where(User.username == "host")).one())
for n in range(int(sys.argv[3])):
    create_user(engine, host, username=f"p{sys.argv[2]}.user{n}", display_name=f"User {n}",
                role="governor", school_id=None)
print("done")
"""


def test_four_processes_writing_at_once_lose_nothing(tmp_path: Path,
                                                     demo_sqlite_file: Path) -> None:
    url = copy_demo(demo_sqlite_file, tmp_path / "shared.db")
    each = 25
    writers = [subprocess.Popen([sys.executable, "-c", WRITER, url, str(p), str(each)], cwd=ROOT,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
               for p in range(4)]
    results = [w.communicate(timeout=240) for w in writers]
    assert [w.returncode for w in writers] == [0, 0, 0, 0], [r[1][-500:] for r in results]
    engine = make_engine(url)
    with Session(engine) as session:
        made = session.exec(select(func.count()).select_from(User)
                            .where(col(User.username).like("p%.user%"))).one()
        audited = session.exec(select(func.count()).select_from(AuditEvent)
                               .where(AuditEvent.action == "create_user")).one()
        integrity = session.exec(select(func.count()).select_from(User)).one()
    engine.dispose()
    assert made == 4 * each
    assert audited == 4 * each
    assert integrity > made

from __future__ import annotations

from pathlib import Path

import pytest

from cluster.models import Role
from tests.helpers.databases import copy_demo

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "streamlit_app.py")
DEMO_USER_FOR_ROLE = {Role.HOST: "host", Role.SCHOOL: "senco.ap", Role.GOVERNOR: "governor",
                      Role.LA_ADVISER: "la.adviser"}


@pytest.fixture
def demo_database(tmp_path: Path, demo_sqlite_file: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = copy_demo(demo_sqlite_file, tmp_path / "app.db")
    monkeypatch.setenv("CLUSTER_DATABASE_URL", url)
    return url

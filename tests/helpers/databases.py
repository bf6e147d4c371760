"""Private copies of the seeded demo database, for tests that change it or hand it to another
process: copying the file seeded once is much faster than seeding again."""

from __future__ import annotations

import shutil
from pathlib import Path


def copy_demo(demo_sqlite_file: Path, to: Path) -> str:
    """Copy the seeded demo file to `to` and return the copy's `sqlite:///` URL."""
    shutil.copy(demo_sqlite_file, to)
    return f"sqlite:///{to}"

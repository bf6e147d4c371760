"""Online backup and restore of the embedded SQLite database.

SQLite's backup API copies a consistent snapshot while other connections keep writing, so the app
need not stop. PostgreSQL deployments use pg_dump / pg_restore instead (see the README).
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from pathlib import Path

from cluster.core.db import is_sqlite


@dataclass(frozen=True)
class BackupReport:
    path: Path
    bytes_written: int
    integrity: str


def sqlite_path(url: str) -> Path:
    if not is_sqlite(url):
        raise ValueError("Backup and restore here are for SQLite; back up PostgreSQL with "
                         "pg_dump (see the README).")
    path = url.removeprefix("sqlite:///")
    if not path or path.startswith(":memory:"):
        raise ValueError("An in-memory database cannot be backed up.")
    return Path(path)


def _integrity(connection: sqlite3.Connection) -> str:
    try:
        return str(connection.execute("PRAGMA integrity_check").fetchone()[0])
    except sqlite3.DatabaseError as error:
        return f"not a readable SQLite database ({error})"


def backup(url: str, destination: Path) -> BackupReport:
    source_path = sqlite_path(url)
    if not source_path.exists():
        raise FileNotFoundError(f"There is no database at {source_path}.")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(destination.name + ".partial")
    partial.unlink(missing_ok=True)
    source = sqlite3.connect(source_path, timeout=30)
    target = sqlite3.connect(partial)
    try:
        source.backup(target)  # pages=-1: the whole database in one step, one snapshot
        target.execute("PRAGMA journal_mode=DELETE")
        integrity = _integrity(target)
    finally:
        target.close()
        source.close()
    if integrity != "ok":
        partial.unlink(missing_ok=True)
        raise RuntimeError(f"The backup failed its integrity check: {integrity}")
    partial.replace(destination)  # a half-written backup never carries the final name
    return BackupReport(destination, destination.stat().st_size, integrity)


def restore(url: str, backup_file: Path) -> BackupReport:
    """Copies a backup over the live database through SQLite itself, so WAL files stay
    consistent."""
    if not backup_file.exists():
        raise FileNotFoundError(f"There is no backup at {backup_file}.")
    source = sqlite3.connect(f"file:{backup_file}?mode=ro", uri=True)
    try:
        integrity = _integrity(source)
        if integrity != "ok":
            raise RuntimeError(f"{backup_file} is damaged ({integrity}); nothing was restored.")
        if source.execute("SELECT count(*) FROM sqlite_master WHERE name='alembic_version'"
                          ).fetchone()[0] != 1:
            raise RuntimeError(f"{backup_file} is not a Cluster SEN Toolkit database.")
        target_path = sqlite_path(url)
        target_path.parent.mkdir(parents=True, exist_ok=True)
        target = sqlite3.connect(target_path, timeout=30)
        try:
            source.backup(target)
        finally:
            target.close()
    finally:
        source.close()
    return BackupReport(target_path, target_path.stat().st_size, integrity)

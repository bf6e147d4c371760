"""Command line: `python -m cluster setup` migrates the database and seeds the demo when empty."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from cluster.core.backup import backup, restore
from cluster.core.db import database_url, make_engine
from cluster.core.migrate import upgrade_to_head
from cluster.demo.seed import seed_if_empty


def setup(with_demo: bool) -> None:
    url = database_url()
    upgrade_to_head(url)
    if with_demo:
        engine = make_engine(url)
        seeded = seed_if_empty(engine)
        engine.dispose()
        print("Seeded the demo cluster." if seeded else "Database already holds a cluster.")
    print("Database ready.")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m cluster")
    commands = parser.add_subparsers(dest="command", required=True)
    setup_parser = commands.add_parser("setup", help="create or migrate the database")
    setup_parser.add_argument("--no-demo", action="store_true", help="do not seed the demo cluster")
    backup_parser = commands.add_parser("backup", help="online backup of the SQLite database")
    backup_parser.add_argument("path", type=Path)
    restore_parser = commands.add_parser("restore",
                                         help="restore the SQLite database from a backup")
    restore_parser.add_argument("path", type=Path)
    arguments = parser.parse_args(argv)
    try:
        return _run(arguments)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1


def _run(arguments: argparse.Namespace) -> int:
    if arguments.command == "setup":
        setup(with_demo=not arguments.no_demo)
    elif arguments.command == "backup":
        report = backup(database_url(), arguments.path)
        print(f"Backed up to {report.path} ({report.bytes_written:,} bytes, integrity "
              f"{report.integrity}).")
    elif arguments.command == "restore":
        report = restore(database_url(), arguments.path)
        print(f"Restored {report.path} from {arguments.path}. Restart the app.")
    return 0


if __name__ == "__main__":
    sys.exit(main())

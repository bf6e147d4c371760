"""Command line: `python -m cluster setup` migrates the database and seeds the demo when empty;
`backup` and `restore` copy the SQLite file; `names --list` shows stored text that looks like it
holds a pupil's name and `names --remove KEY...` replaces the confirmed ones with "[name removed]",
acting as the cluster's host; `remind` (daily, from cron) e-mails each person the reminders due
that they have not had before."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.engine import Engine

from cluster.core.backup import backup, restore
from cluster.core.db import database_url, make_engine
from cluster.core.errors import ClusterError
from cluster.core.migrate import upgrade_to_head
from cluster.core.settings import SMTP_HOST_VARIABLE, smtp_settings
from cluster.demo.seed import seed_if_empty
from cluster.people.accounts import command_line_host
from cluster.people.stored_names import NAME_REMOVED, remove_stored_names, stored_names
from cluster.reporting.reminder_mail import send_reminders


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
    names_parser = commands.add_parser(
        "names", help="stored text that looks like it holds a pupil's name (the host's review)")
    chosen = names_parser.add_mutually_exclusive_group(required=True)
    chosen.add_argument("--list", action="store_true",
                        help="list the fields whose text looks like it holds a name")
    chosen.add_argument("--remove", nargs="+", metavar="KEY[=WORDS]",
                        help=f"replace the listed words of these rows with {NAME_REMOVED} "
                             "(KEY=WORD,WORD replaces only those of the row's words)")
    names_parser.add_argument("--as", dest="host", metavar="USERNAME",
                              help="the host account to act as (default: the cluster's host)")
    commands.add_parser("remind", help="e-mail today's reminders (run daily); each is sent once")
    arguments = parser.parse_args(argv)
    try:
        return _run(arguments)
    except (ValueError, FileNotFoundError, RuntimeError) as error:
        print(f"Error: {error}", file=sys.stderr)
        return 1
    except ClusterError as error:
        print(f"Error: {error.message}", file=sys.stderr)
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
    elif arguments.command == "remind":
        return remind()
    elif arguments.command == "names":
        engine = make_engine(database_url())
        try:
            return _names(engine, arguments)
        finally:
            engine.dispose()
    return 0


def remind() -> int:
    settings = smtp_settings()
    if settings is None:
        print(f"No mail server is set ({SMTP_HOST_VARIABLE}): reminders show on each person's "
              "home page instead. Nothing sent.")
        return 0
    engine = make_engine(database_url())
    try:
        report = send_reminders(engine, settings)
    except OSError as error:  # the server cannot be reached, or refused the sign-in
        print(f"Error: the mail server {settings.host}:{settings.port} did not take the "
              f"reminders ({error}); nothing more was sent", file=sys.stderr)
        return 1
    finally:
        engine.dispose()
    print(f"Sent {report.sent} reminder(s) to {report.people} person(s).")
    if report.without_address:
        print(f"{report.without_address} person(s) have no e-mail address on their account: "
              "their reminders show on their home page only.")
    if report.failed:
        print(f"The mail server refused {report.failed} reminder(s); the next run tries again.",
              file=sys.stderr)
        return 1
    return 0


def _names(engine: Engine, arguments: argparse.Namespace) -> int:
    """Lists the rows (words and all: this is the host's own screen, never a log), or removes
    the words of the rows named, found afresh; nothing changes if a key is not a row."""
    host = command_line_host(engine, arguments.host)
    rows = {row.key: row for row in stored_names(engine, host)}
    if arguments.list:
        for shown in rows.values():
            print(f"{shown.key}\t{shown.record}\t{shown.field_label}\t{shown.verdict}\t"
                  f"{shown.found_text}")
        print(f"{len(rows)} field(s) look like they hold a name. Remove the ones you confirm: "
              "python -m cluster names --remove KEY ...")
        return 0
    confirmed: dict[str, tuple[str, ...]] = {}
    for asked in arguments.remove:
        key, _, words = asked.partition("=")
        row = rows.get(key)
        listed = {word.casefold(): word for word in row.words} if row else {}
        chosen = [listed.get(w.strip().casefold()) for w in words.split(",")] if words else []
        if row is None or None in chosen:
            print(f"Error: {asked!r} is not a row of the list, or names a word the row does not "
                  "show (run names --list); nothing was changed", file=sys.stderr)
            return 1
        confirmed[key] = tuple(w for w in chosen if w) or row.words
    done = remove_stored_names(engine, host, confirmed)
    for removed in done:
        if removed.replaced:
            print(f"{removed.key}\t{removed.record}, {removed.field_label}: {removed.replaced} "
                  f"word(s) replaced with {NAME_REMOVED}")
        else:
            print(f"{removed.key}\t{removed.record}, {removed.field_label}: {removed.note}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The daily reminder run (`python -m cluster remind`, from cron): each person with an e-mail
address gets each of their due reminders once, ever.

Before a message goes, its row (person × kind × record) is written in the same transaction: the
unique row stops a second e-mail even when two runs overlap, and a message the mail server
refuses rolls its row back, so tomorrow's run tries again.
"""

from __future__ import annotations

import logging
import smtplib
import textwrap
from dataclasses import dataclass

from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from cluster.core import audit
from cluster.core.clock import today
from cluster.core.db import read_session, write_session
from cluster.core.mail import mail_server, plain_message
from cluster.core.settings import SmtpSettings, base_url
from cluster.models import ReminderSent, User
from cluster.people.accounts import actor_of
from cluster.reporting.reminders import KINDS_FOR_ROLE, Reminder, due_reminders

WIDTH = 72
SENDER_NAME = "remind"  # the audit row's username: the daily run acts as nobody signed in

_log = logging.getLogger(__name__)


@dataclass(frozen=True)
class RunReport:
    sent: int  # e-mails sent by this run
    people: int  # people who got at least one
    without_address: int  # people with no e-mail address on their account
    failed: int  # refused by the mail server: tried again on the next run


@dataclass(frozen=True)
class _Outgoing:
    user_id: int
    to: str
    greeting: str
    reminder: Reminder


def send_reminders(engine: Engine, settings: SmtpSettings) -> RunReport:
    """Sends today's reminders that have not been sent before, through one connection."""
    outgoing, without_address = _outgoing(engine)
    sent: list[_Outgoing] = []
    failed = 0
    if outgoing:
        with mail_server(settings) as server:
            for message in outgoing:
                try:
                    if _send_once(engine, server, settings, message):
                        sent.append(message)
                except smtplib.SMTPException:
                    _log.exception("The mail server refused a reminder to user %s",
                                   message.user_id)
                    failed += 1
    report = RunReport(len(sent), len({m.user_id for m in sent}), without_address, failed)
    with write_session(engine) as session:
        audit.record(session, None, "send_reminders", entity="reminder", username=SENDER_NAME,
                     after={"sent": report.sent, "people": report.people,
                            "failed": report.failed})
    return report


def _outgoing(engine: Engine) -> tuple[list[_Outgoing], int]:
    """Every due reminder not yet sent to a person with an address, and how many people have
    no address (their reminders stay on their home page)."""
    on = today()
    outgoing: list[_Outgoing] = []
    with read_session(engine) as session:
        people = session.exec(select(User).where(
            col(User.active).is_(True), col(User.role).in_(list(KINDS_FOR_ROLE)))
            .order_by(col(User.id))).all()
        for user in people:
            if user.id is None or not user.email:
                continue
            sent = _sent_to(session, user.id)
            outgoing += [_Outgoing(user.id, user.email, user.display_name, r)
                         for r in due_reminders(session, actor_of(user), on)
                         if (r.kind, r.key) not in sent]
        without_address = sum(1 for user in people if not user.email)
    return outgoing, without_address


def _sent_to(session: Session, user_id: int) -> set[tuple[str, str]]:
    rows = session.exec(select(ReminderSent.kind, ReminderSent.subject_key)
                        .where(ReminderSent.user_id == user_id)).all()
    return {(kind, key) for kind, key in rows}


def _send_once(engine: Engine, server: smtplib.SMTP, settings: SmtpSettings,
               message: _Outgoing) -> bool:
    """False when another run has sent it meanwhile (its row is already there)."""
    reminder = message.reminder
    try:
        with write_session(engine) as session:
            session.add(ReminderSent(user_id=message.user_id, kind=reminder.kind,
                                     subject_key=reminder.key))
            session.flush()  # claims the row before the e-mail goes
            server.send_message(plain_message(settings, message.to, reminder.subject,
                                              reminder_text(message.greeting, reminder)))
    except IntegrityError:
        return False
    return True


def reminder_text(greeting: str, reminder: Reminder) -> str:
    """The e-mail's body: the reminder, where to act, and how to stop this kind. Lines are kept
    short, so the message travels as plain text that reads the same in any mail client; the
    link has a line of its own, whole, so a client can make it clickable."""
    base = base_url()
    where = (f"Open it in the toolkit:\n{base}{reminder.address}" if base is not None
             else _wrapped("Sign in to the toolkit: it is on your home page's to-do list."))
    return "\n\n".join((
        _wrapped(f"Dear {greeting},"), _wrapped(reminder.body), where,
        _wrapped("You get this reminder once. To stop reminders of this kind, turn them off in "
                 "My account."), "Cluster SEN Toolkit")) + "\n"


def _wrapped(paragraph: str) -> str:
    return textwrap.fill(paragraph, WIDTH, break_long_words=False, break_on_hyphens=False)

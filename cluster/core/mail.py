"""Sending e-mail through the configured mail server, with the standard library only."""

from __future__ import annotations

import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from cluster.core.settings import SmtpSettings

TIMEOUT_SECONDS = 30  # a mail server that does not answer must not hang the daily run


def plain_message(settings: SmtpSettings, to: str, subject: str, body: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = settings.sender
    message["To"] = to
    message["Subject"] = subject
    # Some servers add these, others mark a message without them as likely spam.
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=settings.sender.rpartition("@")[2])
    message.set_content(body)
    return message


@contextmanager
def mail_server(settings: SmtpSettings) -> Iterator[smtplib.SMTP]:
    """One connection for a whole run: STARTTLS (with the system's certificates) before any
    password is sent, when the settings ask for it."""
    with smtplib.SMTP(settings.host, settings.port, timeout=TIMEOUT_SECONDS) as server:
        if settings.starttls:
            server.starttls(context=ssl.create_default_context())
        if settings.user:
            server.login(settings.user, settings.password)
        yield server

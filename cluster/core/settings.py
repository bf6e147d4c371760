"""Deployment settings read from the environment."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

MODE_VARIABLE = "CLUSTER_MODE"
DEMO = "demo"
PRODUCTION = "production"


def mode() -> str:
    value = os.environ.get(MODE_VARIABLE, DEMO).strip().lower() or DEMO
    if value not in (DEMO, PRODUCTION):
        raise ValueError(f"{MODE_VARIABLE} must be '{DEMO}' or '{PRODUCTION}', not {value!r}")
    return value


def is_demo() -> bool:
    return mode() == DEMO


# How long a browser stays signed in (toolkit cookie, cluster/people/sessions.py): signed out
# after this long without use, and after this long whatever the use. A host may shorten either.
SESSION_IDLE_VARIABLE = "CLUSTER_SESSION_IDLE_MINUTES"
SESSION_IDLE_MINUTES = 120
SESSION_ABSOLUTE_VARIABLE = "CLUSTER_SESSION_HOURS"
SESSION_ABSOLUTE_HOURS = 12
# The public address people reach the toolkit at (https://toolkit.example.sch.uk); papers and
# letters carry links to their records only when it is set.
BASE_URL_VARIABLE = "CLUSTER_BASE_URL"


def _positive_whole_number(variable: str, default: int) -> int:
    value = os.environ.get(variable, "").strip()
    if not value:
        return default
    if not value.isdecimal() or int(value) <= 0:
        raise ValueError(f"{variable} must be a whole number above 0, not {value!r}")
    return int(value)


def session_idle_minutes() -> int:
    return _positive_whole_number(SESSION_IDLE_VARIABLE, SESSION_IDLE_MINUTES)


def session_absolute_hours() -> int:
    return _positive_whole_number(SESSION_ABSOLUTE_VARIABLE, SESSION_ABSOLUTE_HOURS)


def base_url() -> str | None:
    """The public address without a trailing slash, or None when none is set."""
    value = os.environ.get(BASE_URL_VARIABLE, "").strip().rstrip("/")
    if not value:
        return None
    if not value.startswith(("https://", "http://")):
        raise ValueError(f"{BASE_URL_VARIABLE} must start with https:// (or http://), "
                         f"not {value!r}")
    return value


# Reminder e-mails (cluster/reporting/reminders.py, `python -m cluster remind`): sent only when
# CLUSTER_SMTP_HOST is set; otherwise each person sees the same reminders on their home page.
SMTP_HOST_VARIABLE = "CLUSTER_SMTP_HOST"
SMTP_PORT_VARIABLE = "CLUSTER_SMTP_PORT"
SMTP_USER_VARIABLE = "CLUSTER_SMTP_USER"
SMTP_PASSWORD_VARIABLE = "CLUSTER_SMTP_PASSWORD"  # noqa: S105 - the variable's name, not a secret
SMTP_FROM_VARIABLE = "CLUSTER_SMTP_FROM"
SMTP_STARTTLS_VARIABLE = "CLUSTER_SMTP_STARTTLS"
SMTP_PORT = 587  # the submission port, which speaks STARTTLS
_YES, _NO = ("true", "yes", "1", "on"), ("false", "no", "0", "off")


@dataclass(frozen=True)
class SmtpSettings:
    host: str
    port: int
    user: str  # "" signs in to nobody (a relay inside the council's network)
    password: str = field(repr=False)
    sender: str  # the From address
    starttls: bool


def smtp_configured() -> bool:
    """Whether reminders go by e-mail (else they show on each person's home page)."""
    return bool(os.environ.get(SMTP_HOST_VARIABLE, "").strip())


def smtp_settings() -> SmtpSettings | None:
    """The mail server to send reminders through, or None when none is set."""
    host = os.environ.get(SMTP_HOST_VARIABLE, "").strip()
    if not host:
        return None
    sender = os.environ.get(SMTP_FROM_VARIABLE, "").strip()
    if "@" not in sender:
        raise ValueError(f"{SMTP_FROM_VARIABLE} must be the address reminders come from "
                         f"(toolkit@example.sch.uk), not {sender!r}")
    return SmtpSettings(host=host, port=_positive_whole_number(SMTP_PORT_VARIABLE, SMTP_PORT),
                        user=os.environ.get(SMTP_USER_VARIABLE, "").strip(),
                        password=os.environ.get(SMTP_PASSWORD_VARIABLE, ""), sender=sender,
                        starttls=_yes_or_no(SMTP_STARTTLS_VARIABLE, default=True))


def _yes_or_no(variable: str, *, default: bool) -> bool:
    value = os.environ.get(variable, "").strip().lower()
    if not value:
        return default
    if value not in _YES + _NO:
        raise ValueError(f"{variable} must be true or false, not {value!r}")
    return value in _YES

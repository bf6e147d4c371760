"""Deployment settings read from the environment."""

from __future__ import annotations

import os

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

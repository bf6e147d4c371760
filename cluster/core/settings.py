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

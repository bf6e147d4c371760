"""Fault injection for the crash tests: a named point where a writer stops mid-transaction.

Set CLUSTER_FAULT to the point's name and CLUSTER_FAULT_READY to a file path; the writer creates
that file once it reaches the point (rows already flushed inside its open transaction) and then
waits to be killed. Unset (always, in normal running), a point does nothing.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

FAULT_VARIABLE = "CLUSTER_FAULT"
READY_VARIABLE = "CLUSTER_FAULT_READY"


def pause_point(name: str) -> None:
    if os.environ.get(FAULT_VARIABLE) != name:
        return
    Path(os.environ[READY_VARIABLE]).write_text(name, encoding="utf-8")
    while True:  # the test kills this process here with SIGKILL
        time.sleep(1)

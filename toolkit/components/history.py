""""Who changed this": a small expander under a request, award, review or meeting, for the host,
read from the audit log (cluster/reporting/audit_log.py)."""

from __future__ import annotations

import streamlit as st

from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.reporting.audit_log import who_changed
from toolkit.engine import engine


def who_changed_this(actor: Actor, record: str, record_id: int) -> None:
    """Nothing for other roles: the log is the host's (and the LA adviser's, on its own page)."""
    if actor.role != Role.HOST:
        return
    with st.expander(f"Who changed this {record}", icon=":material/history:"):
        lines = who_changed(engine(), actor, record, record_id)
        if not lines:
            st.caption("No changes are on record for it yet.")
            return
        st.dataframe([line.as_row() for line in lines], hide_index=True, width="stretch")


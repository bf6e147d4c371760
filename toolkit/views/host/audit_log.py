"""The audit log: who changed what and when, for the host's cluster (or a cluster the LA adviser
chooses), filtered by person, record and dates, and downloadable as Excel. The rows never hold a
pupil's words: free text is only ever recorded as "changed"."""

from __future__ import annotations

from datetime import date

import streamlit as st

from cluster.core.errors import ClusterError
from cluster.papers.workbook import XLSX_MIME, table_workbook
from cluster.reporting.audit_log import RECORDS, ROW_LIMIT, AuditFilter, AuditPage, audit_log
from toolkit import state
from toolkit.components.year import cluster_page
from toolkit.engine import engine
from toolkit.guard import guard_view

EVERYONE, ANY_RECORD = "Everyone", "Any record"


def render() -> None:
    actor = guard_view(__file__)
    cluster = cluster_page(actor, "Audit log",
                           "every change anyone in the cluster made, and every refused "
               "attempt, newest first. Free text (a need summary, a reason) is shown only as "
               "“changed”: the log never holds a pupil's words.")
    try:
        first = audit_log(engine(), actor, AuditFilter(), cluster.id)
        wanted = _filters(first.people)
        page = first if wanted == AuditFilter() else audit_log(engine(), actor, wanted,
                                                                 cluster.id)
    except ClusterError as error:
        st.error(error.message)
        return
    _show(page, filtered=wanted != AuditFilter())


def _filters(people: tuple[str, ...]) -> AuditFilter:
    who, what, number = st.columns([2, 2, 1])
    person = who.selectbox("Person", (EVERYONE, *people), key=state.AUDIT_PERSON)
    record = what.selectbox("Record", (ANY_RECORD, *RECORDS), key=state.AUDIT_RECORD)
    record_id = number.number_input("Its number", min_value=1, step=1, value=None,
                                    key=state.AUDIT_RECORD_ID, placeholder="any")
    start, end = st.columns(2)
    from_day: date | None = start.date_input("From", value=None, format="DD/MM/YYYY",
                                             key=state.AUDIT_FROM)
    to_day: date | None = end.date_input("To", value=None, format="DD/MM/YYYY",
                                         key=state.AUDIT_TO)
    return AuditFilter(None if person == EVERYONE else person,
                       None if record == ANY_RECORD else record,
                       int(record_id) if record_id else None, from_day, to_day)


def _show(page: AuditPage, *, filtered: bool) -> None:
    if not page.lines:
        st.info("No rows match: widen the dates or choose Everyone and Any record." if filtered
                else "Nothing is on record for this cluster yet.")
        return
    shown = len(page.lines)
    st.caption(f"{page.total:,} row(s) match" + (
        f"; the newest {ROW_LIMIT:,} are shown (narrow the dates to see older ones)."
        if page.total > shown else "."))
    rows = [line.as_row() for line in page.lines]
    st.dataframe(rows, hide_index=True, width="stretch")
    st.download_button(
        "Download these rows (Excel)", icon=":material/download:", on_click="ignore",
        data=lambda: table_workbook("Audit log", rows, notes=(
            f"Audit log, {page.cluster_name}: {page.total:,} row(s) matched, {shown:,} here.",)),
        file_name="audit-log.xlsx", mime=XLSX_MIME, key="download-audit-log")


render()

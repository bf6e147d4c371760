"""Privacy and data: the privacy notice for everyone; for the host and schools, a subject-access
export by pupil reference; for the host, the retention policy and erasure."""

from __future__ import annotations

import json

import streamlit as st

from cluster.common.content import CONTENT_ROOT
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.people.privacy import (
    FINANCIAL_YEARS,
    PUPIL_DETAIL_YEARS,
    apply_retention,
    retention_plan,
    subject_access_export,
)
from toolkit import state
from toolkit.components.shared import flash_and_rerun, show_flash
from toolkit.engine import engine
from toolkit.guard import guard_view

PRIVACY = CONTENT_ROOT / "privacy"


def render() -> None:
    actor = guard_view(__file__)
    st.title("Privacy and data")
    st.caption(f"Signed in as {actor.display_name} ({actor.username}), {actor.role_label}.")
    show_flash()
    notice, dpia, requests, retention = st.tabs(
        ["Privacy notice", "DPIA starting point", "Subject-access request", "Retention"])
    with notice:
        st.markdown((PRIVACY / "notice.md").read_text(encoding="utf-8"))
    with dpia:
        st.markdown((PRIVACY / "dpia.md").read_text(encoding="utf-8"))
    with requests:
        _subject_access(actor)
    with retention:
        _retention(actor)


def _subject_access(actor: Actor) -> None:
    if actor.role not in (Role.HOST, Role.SCHOOL):
        st.info("Subject-access requests are answered by the pupil's school.")
        return
    with st.form("subject_access"):
        reference = st.text_input("The school's reference for the pupil",
                                  help="The pseudonymous reference used on requests, never a name.")
        submitted = st.form_submit_button("Find everything held")
    if not submitted:
        return
    try:
        export = subject_access_export(engine(), actor, reference)
    except ClusterError as error:
        st.error(error.message)
        return
    found = len(export["requests"])  # type: ignore[arg-type]  # the export's "requests" is a list
    st.success(f"{found} request(s) hold {reference.strip()}.")
    st.download_button("Download the export (JSON)", json.dumps(export, indent=2),
                       file_name=f"subject-access-{reference.strip()}.json",
                       mime="application/json")


def _retention(actor: Actor) -> None:
    st.markdown(f"Pupil-level detail is erased **{PUPIL_DETAIL_YEARS} academic years** after the "
                f"support ends; financial records are deleted after **{FINANCIAL_YEARS} years "
                "plus the current one**. Amounts, areas of need and judgements stay for the "
                "cluster's accounts until then.")
    if actor.role != Role.HOST:
        return
    # Working out what is due reads every request, so it runs when asked, not on every visit.
    if not st.toggle("Show what is due for erasure today", key=state.RETENTION_CHECK):
        return
    plan = retention_plan(engine(), actor)
    st.metric("Requests whose pupil detail is due for erasure", len(plan.pupil_detail_due))
    st.metric("Requests whose financial records are due for deletion", len(plan.financial_due))
    if not (plan.pupil_detail_due or plan.financial_due):
        st.caption("Nothing is due today.")
        return
    if st.button("Erase what is due now", type="primary"):
        try:
            done = apply_retention(engine(), actor)
        except ClusterError as error:
            st.error(error.message)
            return
        flash_and_rerun(f"Erased pupil detail from {len(done.pupil_detail_due)} request(s); "
                        f"deleted {len(done.financial_due)} old record(s).")


render()

"""Privacy and data: the privacy notice for everyone; for the host and schools, a subject-access
export by pupil reference; for the host, the retention policy and erasure, the stored text that
looks like it holds a pupil's name, to confirm and remove, and the check that no hidden figure can
be worked out from the shown ones."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import TypeVar

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
from cluster.people.stored_names import (
    NAME_REMOVED,
    PAPERS_NOTE,
    NamesRemoved,
    remove_stored_names,
    stored_names,
)
from cluster.reporting.disclosure_audit import SOURCES_NOTE as DISCLOSURE_SOURCES
from cluster.reporting.disclosure_audit import audit_for_host
from toolkit import state
from toolkit.components import forms
from toolkit.components.forms import flash_and_rerun, show_flash
from toolkit.engine import engine
from toolkit.guard import guard_view

PRIVACY = CONTENT_ROOT / "privacy"
T = TypeVar("T")


def render() -> None:
    actor = guard_view(__file__)
    st.title("Privacy and data")
    st.caption(f"Signed in as {actor.display_name} ({actor.username}), {actor.role_label}.")
    show_flash()
    tabs = ["Privacy notice", "DPIA starting point", "Subject-access request", "Retention"]
    if actor.role == Role.HOST:
        tabs += ["Names in stored text", "Hidden figures"]
    notice, dpia, requests, retention, *host_tabs = st.tabs(tabs)
    with notice:
        st.markdown((PRIVACY / "notice.md").read_text(encoding="utf-8"))
    with dpia:
        st.markdown((PRIVACY / "dpia.md").read_text(encoding="utf-8"))
    with requests:
        _subject_access(actor)
    with retention:
        _retention(actor)
    if host_tabs:
        with host_tabs[0]:
            _names_in_stored_text(actor)
        with host_tabs[1]:
            _hidden_figures(actor)


def _subject_access(actor: Actor) -> None:
    if actor.role not in (Role.HOST, Role.SCHOOL):
        st.info("Subject-access requests are answered by the pupil's school.")
        return
    with forms.form("subject-access") as drawn:
        reference = st.text_input("The school's reference for the pupil",
                                  help="The pseudonymous reference used on requests, never a name.")
        submitted = drawn.buttons("Find everything held")
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


def _names_in_stored_text(actor: Actor) -> None:
    st.markdown("Text saved before today's name check (or imported) may still name a pupil. "
                "Tick the rows you confirm hold a person's name: the words shown are replaced "
                f"with **{NAME_REMOVED}**, the rest of the text stays, and the audit log records "
                "which field changed and how many words, never the words.")
    st.caption(PAPERS_NOTE)
    # Reading every free-text field takes a moment, so it runs when asked, not on every visit.
    rows = _when_asked("Look for names in stored text", state.STORED_NAMES_CHECK,
                       lambda: stored_names(engine(), actor))
    if rows is None:
        return
    if not rows:
        st.success("No stored text looks like it holds a name.")
        return
    clear = sum(row.clear for row in rows)
    st.markdown(f"**{len(rows)} field(s)** look like they hold a name ({clear} with a clear "
                "case, the rest with a possible name).")
    with forms.form("stored-names") as drawn:
        for row in rows:
            st.checkbox(f"{row.record}, {row.field_label} — {row.found_text}",
                        key=f"{state.STORED_NAMES_TICK}.{row.key}")
        submitted = drawn.buttons("Remove the ticked names")
    if not submitted:
        return
    ticked = {row.key: row.words for row in rows
              if st.session_state.get(f"{state.STORED_NAMES_TICK}.{row.key}")}
    if not ticked:
        st.warning("Tick the rows whose words are a person's name first.")
        return
    forms.save(drawn.name, lambda: remove_stored_names(engine(), actor, ticked),
               done=_removed_message)


def _when_asked(label: str, key: str, check: Callable[[], T]) -> T | None:
    """The check's answer once its toggle is on; None while it is off or when it is refused (the
    reason is shown)."""
    if not st.toggle(label, key=key):
        return None
    try:
        return check()
    except ClusterError as error:
        st.error(error.message)
        return None


def _hidden_figures(actor: Actor) -> None:
    st.markdown("Governors and the LA adviser never see a count of 1 to 4 pupils, nor money or a "
                "percentage about one, nor any figure that would let one be worked out by adding "
                "or subtracting the figures they do see, across every table and year. This check "
                "takes every figure each of them sees and, for every hidden one, works out the "
                "smallest and largest value the shown figures still allow. A hidden count passes "
                "when at least 5 whole numbers remain possible, including 0 or a number of 5 or "
                "more; hidden money passes when what remains possible is wider than the largest "
                "award in it.")
    st.caption(DISCLOSURE_SOURCES)
    # Solving for every hidden figure of every reader takes a few seconds: run only when asked.
    audits = _when_asked("Check the hidden figures now", state.DISCLOSURE_CHECK,
                         lambda: audit_for_host(engine(), actor))
    if audits is None:
        return
    failing = sum(len(a.result.failures) for a in audits)
    if failing:
        st.error(f"{failing} hidden figure(s) could be worked out or narrowed down. Tell the "
                 "toolkit's maintainers; do not share these pages until it is fixed.")
    else:
        st.success("No hidden figure can be worked out or narrowed down by any reader.")
    st.dataframe([{"Reader": a.reader, "Figures shown": a.result.shown,
                   "Figures hidden": a.result.hidden, "Ranges checked": a.result.checked,
                   "Could be worked out": len(a.result.failures),
                   "Seconds": f"{a.seconds:.1f}"} for a in audits], hide_index=True)


def _removed_message(done: tuple[NamesRemoved, ...]) -> str:
    changed = [d for d in done if d.replaced]
    words = sum(d.replaced for d in changed)
    lines = [f"Replaced {words} word(s) with {NAME_REMOVED} in {len(changed)} field(s)."]
    lines += [f"{d.record}, {d.field_label}: {d.note}" for d in done if not d.replaced]
    return "  \n".join(lines)


render()

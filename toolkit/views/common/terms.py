"""The cluster's terms of reference: everyone reads them; the host edits them (stale-save safe)."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.content import default_terms_of_reference
from cluster.common.text_check import NamesToConfirm
from cluster.core.errors import ClusterError, StaleEdit
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.year.terms import (
    MAX_CHARACTERS,
    TermsView,
    save_terms_of_reference,
    terms_of_reference,
)
from toolkit import state
from toolkit.components import names_prompt
from toolkit.components.names_prompt import limited
from toolkit.components.year import choose_cluster, guide_link, show_flash, view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

NAMES_FORM = "terms"


def render() -> None:
    actor = guard_view(__file__)
    st.title("Terms of reference")
    cluster = choose_cluster(actor)
    terms = terms_of_reference(engine(), actor, default_terms_of_reference(), cluster.id)
    source = ("the toolkit's starting point; the host has not changed it yet" if terms.is_default
              else f"last saved {format_date(terms.updated_on)}")
    st.caption(f"{terms.cluster_name} · {source}")
    show_flash(state.TERMS_MESSAGE)
    if actor.role == Role.HOST:
        read, edit = st.tabs(["Read", "Edit"])
        with read:
            st.markdown(terms.shown_md)
        with edit:
            _edit(actor, terms)
    else:
        st.markdown(terms.shown_md)
    st.divider()
    if actor.role == Role.SCHOOL:
        view_link(actor, "reconsideration", "Ask for a decision to be reconsidered")
        guide_link(actor, "asking-for-reconsideration", "How reconsideration works")
    view_link(actor, "timeline", "The year: meetings and deadlines")


def _edit(actor: Actor, latest: TermsView) -> None:
    drawn = st.session_state.get(state.TERMS_DRAWN)
    if not isinstance(drawn, TermsView) or drawn.cluster_id != latest.cluster_id:
        drawn = st.session_state[state.TERMS_DRAWN] = latest
    if drawn.version != latest.version:
        st.warning("Someone saved the terms of reference after you opened them; saving your "
                   "version would be refused.")
        if st.button("Load the latest version"):
            st.session_state[state.TERMS_DRAWN] = latest
            st.rerun()
    body_key = f"terms-body.{drawn.version}"
    st.session_state.setdefault(body_key, drawn.body_md)
    if st.button("Start again from the toolkit's wording", key=f"terms-default.{drawn.version}"):
        st.session_state[body_key] = default_terms_of_reference()
    with st.form(f"terms.{drawn.version}"):
        body = st.text_area("Terms of reference (Markdown)", height=500, key=body_key,
                            **limited(MAX_CHARACTERS, "Staff by their role, never a pupil"))
        names_prompt.confirmation(NAMES_FORM)
        submitted = st.form_submit_button("Save the terms of reference", type="primary")
    if submitted:
        try:
            saved = save_terms_of_reference(
                engine(), actor, body, expected_version=drawn.version,
                confirmed_not_names=names_prompt.confirmed(NAMES_FORM))
        except NamesToConfirm as asked:
            names_prompt.ask(NAMES_FORM, asked)
            return
        except StaleEdit as stale:
            st.session_state[state.TERMS_DRAWN] = latest
            st.session_state[state.TERMS_MESSAGE] = ("error", stale.message)
            st.rerun()
        except ClusterError as error:
            st.error(error.message)
            return
        names_prompt.done(NAMES_FORM)
        st.session_state[state.TERMS_DRAWN] = saved
        st.session_state[state.TERMS_MESSAGE] = ("success", "Terms of reference saved.")
        st.rerun()


render()

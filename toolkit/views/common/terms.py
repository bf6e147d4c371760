"""The cluster's terms of reference: everyone reads them; the host edits them (stale-save safe)."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.content import default_terms_of_reference
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.year.terms import (
    MAX_CHARACTERS,
    TermsView,
    save_terms_of_reference,
    terms_of_reference,
)
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.forms import show_flash
from toolkit.components.year import choose_cluster, guide_link, view_link
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
    forms.someone_saved("terms of reference", changed=drawn.version != latest.version,
                        load=lambda: st.session_state.__setitem__(state.TERMS_DRAWN, latest),
                        key=state.TERMS_DRAWN)
    body_key = f"terms-body.{drawn.version}"
    st.session_state.setdefault(body_key, drawn.body_md)
    if st.button("Start again from the toolkit's wording", key=f"terms-default.{drawn.version}"):
        st.session_state[body_key] = default_terms_of_reference()
    with forms.form(NAMES_FORM, drawn.version) as form:
        body = form.text("Terms of reference (Markdown)", MAX_CHARACTERS, area=True,
                         about="Staff by their role, never a pupil", height=500, key=body_key)
        submitted = form.buttons("Save the terms of reference")
    if submitted:
        forms.save(form.name, lambda: save_terms_of_reference(
            engine(), actor, body, expected_version=drawn.version,
            confirmed_not_names=names_prompt.confirmed(form.name)),
            done="Terms of reference saved.", flash_key=state.TERMS_MESSAGE, drawn=form,
            on_saved=lambda saved: st.session_state.__setitem__(state.TERMS_DRAWN, saved),
            on_stale=lambda: st.session_state.pop(state.TERMS_DRAWN, None))

render()

"""How-to guides, in plain English, for the signed-in role. `?guide=<name>` opens one directly,
so other screens can link to the guide they need. The guides the LA lets clusters reword (on
overcoming barriers to learning and where to go for support) read in the cluster's own words,
and the host edits them here."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.content import Guide, guides_for
from cluster.core.permissions import Actor
from cluster.models import Role
from cluster.reporting.guides import guide_figures
from cluster.year.cluster_guides import MAX_CHARACTERS, GuideText, guide_text, save_guide
from toolkit import state
from toolkit.components import forms, names_prompt
from toolkit.components.forms import show_flash
from toolkit.components.year import choose_cluster
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    st.title("How-to guides")
    cluster = choose_cluster(actor)
    figures = guide_figures(engine(), actor, cluster.id)
    st.caption(f"{figures.cluster_name} · short guides for your part in the cluster's work")
    show_flash(state.GUIDE_MESSAGE)
    guides = guides_for(actor.role)
    if not guides:
        st.info("There are no guides for your role yet.")
        return
    chosen = _chosen(guides)
    st.caption(chosen.summary)
    st.divider()
    st.header(chosen.title)
    if not chosen.editable:
        st.markdown(chosen.filled(figures.figures))
        return
    text = guide_text(engine(), actor, chosen.slug, cluster.id)
    st.caption("The LA's wording; the host can adapt it for the cluster" if text.is_default
               else f"The cluster's own wording, last saved {format_date(text.updated_on)}")
    if actor.role != Role.HOST:
        st.markdown(chosen.with_body(text.body_md).filled(figures.figures))
        return
    read, edit = st.tabs(["Read", "Edit"])
    with read:
        st.markdown(chosen.with_body(text.body_md).filled(figures.figures))
    with edit:
        _edit(actor, chosen, text)


def _edit(actor: Actor, chosen: Guide, text: GuideText) -> None:
    body_key = f"guide-body.{chosen.slug}.{text.version}"
    st.session_state.setdefault(body_key, text.body_md)
    if st.button("Start again from the LA's wording", key=f"guide-default.{chosen.slug}"):
        st.session_state[body_key] = chosen.body_md
    with forms.form("guide", text.version, instance=chosen.slug) as form:
        body = form.text("Guide (Markdown)", MAX_CHARACTERS, area=True,
                         about="Services and staff by their role, never a pupil", height=400,
                         key=body_key)
        submitted = form.buttons("Save the guide")
    if submitted:
        forms.save(form.name, lambda: save_guide(
            engine(), actor, chosen.slug, body, expected_version=text.version,
            confirmed_not_names=names_prompt.confirmed(form.name)),
            done=f"Saved the cluster's wording of '{chosen.title}'.", drawn=form,
            flash_key=state.GUIDE_MESSAGE)


def _chosen(guides: list[Guide]) -> Guide:
    by_slug = {guide.slug: guide for guide in guides}
    asked = st.query_params.get("guide")
    if asked in by_slug and st.session_state.get(state.GUIDE_CHOSEN) is None:
        st.session_state[state.GUIDE_CHOSEN] = asked
    slug = st.selectbox("Guide", list(by_slug), format_func=lambda s: by_slug[s].title,
                        key=state.GUIDE_CHOSEN)
    if slug != asked:
        st.query_params["guide"] = slug  # the address names the guide, so it can be shared
    return by_slug[slug or next(iter(by_slug))]


render()

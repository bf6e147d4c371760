"""How-to guides, in plain English, for the signed-in role. `?guide=<name>` opens one directly,
so other screens can link to the guide they need."""

from __future__ import annotations

import streamlit as st

from cluster.common.content import Guide, guides_for
from cluster.reporting.guides import guide_figures
from toolkit import state
from toolkit.components.year import choose_cluster
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    st.title("How-to guides")
    cluster = choose_cluster(actor)
    figures = guide_figures(engine(), actor, cluster.id)
    st.caption(f"{figures.cluster_name} · short guides for your part in the cluster's work")
    guides = guides_for(actor.role)
    if not guides:
        st.info("There are no guides for your role yet.")
        return
    chosen = _chosen(guides)
    st.caption(chosen.summary)
    st.divider()
    st.header(chosen.title)
    st.markdown(chosen.filled(figures.figures))


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

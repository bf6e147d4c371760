"""Reviews and impact (school): draft the reviews we owe for the meeting to confirm, and record the
impact of our awards once they have ended."""

from __future__ import annotations

import streamlit as st

from cluster.outcomes.impact import awards_for_impact, impact_form
from cluster.outcomes.reviews import open_reviews, review_form
from toolkit import state
from toolkit.components import reviews as review_ui
from toolkit.components.forms import show_flash
from toolkit.components.year import cluster_page, guide_link
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    cluster_page(actor, "Reviews and impact",
                 "our school's awards")
    guide_link(actor, "reviews-and-impact", "How to record reviews and impact")
    owed = open_reviews(engine(), actor)
    impact_owed = awards_for_impact(engine(), actor, owed_only=True)
    first, second, third = st.columns(3)
    first.metric("Reviews we owe", len(owed))
    second.metric("Reviews overdue", sum(1 for item in owed if item.overdue))
    third.metric("Ended awards with impact to record", len(impact_owed))

    st.subheader("Reviews we owe")
    show_flash(state.REVIEW_MESSAGE)
    if not owed:
        st.info("No reviews are owed. Each award's review points appear here when they fall due.")
    else:
        st.caption("Draft each review before its meeting; the meeting confirms it. An overdue "
                   "review goes onto the next meeting's agenda automatically.")
        review_ui.review_table(owed, show_school=False)
        chosen = review_ui.choose_review(owed, "Review to draft")
        if chosen is not None:
            form = review_form(engine(), actor, chosen.review_id)
            review_ui.review_form(actor, form, confirming=False)

    st.subheader("Impact of ended awards")
    show_flash(state.IMPACT_MESSAGE)
    ended = awards_for_impact(engine(), actor)
    if not ended:
        st.info("None of our awards has ended yet.")
        return
    award = review_ui.choose_award(ended)
    if award is not None:
        review_ui.impact_form(actor, impact_form(engine(), actor, award.award_id))


render()

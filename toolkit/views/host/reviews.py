"""Reviews and impact (host): the reviews the next meeting hears — the ones booked at it and every
overdue one, carried forward automatically — confirming them at the meeting (a stop or a
completion under budget returns the unspent money), and the impact still to record."""

from __future__ import annotations

import streamlit as st

from cluster.common.glossary import label
from cluster.common.money import format_pounds
from cluster.models import ReviewStatus
from cluster.outcomes.impact import awards_for_impact, impact_form
from cluster.outcomes.reviews import agenda_lines, open_reviews, review_form, reviews_for_meeting
from toolkit import state
from toolkit.components import reviews as review_ui
from toolkit.components.forms import show_flash
from toolkit.components.year import cluster_page, guide_link
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    cluster_page(actor, "Reviews and impact",
                 "every school's reviews and impact")
    following = reviews_for_meeting(engine(), actor)
    waiting = open_reviews(engine(), actor)
    owed = awards_for_impact(engine(), actor, owed_only=True)
    first, second, third, fourth = st.columns(4)
    first.metric("Reviews overdue", sum(1 for item in waiting if item.overdue))
    second.metric("Booked at the next meeting", len(following.booked) if following else 0)
    third.metric("Drafted, waiting to be confirmed",
                 sum(1 for item in waiting if item.status == ReviewStatus.DRAFTED))
    fourth.metric("Ended awards with impact to record", len(owed))
    guide_link(actor, "reviews-and-impact", "How to record reviews and impact")

    st.subheader("On the next meeting's agenda")
    show_flash(state.REVIEW_MESSAGE)
    if following is None:
        st.info("No meeting is booked for the rest of this year.")
    else:
        st.markdown(f"**{following.meeting_label}**: {len(following.booked)} review(s) booked, "
                    f"{len(following.carried_forward)} overdue review(s) carried forward.")
        if following.all:
            review_ui.review_table(following.all, show_school=True)
        with st.expander("Agenda item: reviews due at this meeting (to paste into the agenda)"):
            st.code("\n".join(agenda_lines(following)), language="markdown")

    st.subheader("Confirm a review")
    st.caption("At the meeting: check the school's draft, amend it if the meeting decides "
               "differently, and confirm. Stop or complete ends the award; money not spent goes "
               "back to the cluster's money left to award.")
    # The school's drafts first: those are the ones the meeting confirms.
    drafts_first = sorted(waiting, key=lambda i: (i.status != ReviewStatus.DRAFTED, not i.overdue,
                                                  i.due_on))
    chosen = review_ui.choose_review(drafts_first, "Review to confirm")
    if chosen is None:
        st.info("No review is waiting.")
    else:
        form = review_form(engine(), actor, chosen.review_id)
        review_ui.review_form(actor, form, confirming=True)

    st.subheader("Impact still to record")
    show_flash(state.IMPACT_MESSAGE)
    if not owed:
        st.info("Every ended award has its impact recorded.")
        return
    st.dataframe([{"School": a.school_name, "Request": a.request_title, "Ended": a.ended,
                   label("awarded"): format_pounds(a.awarded_pence),
                   "Outcomes recorded": f"{a.recorded} of {a.outcomes}"} for a in owed],
                 hide_index=True, width="stretch")
    award = review_ui.choose_award(owed)
    if award is not None:
        review_ui.impact_form(actor, impact_form(engine(), actor, award.award_id))


render()

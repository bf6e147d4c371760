"""A governor's home: the latest minutes, this year's money and outcomes, as aggregates only."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label, meaning
from cluster.disclosure.suppression import HIDDEN_FIGURE, count_text, pounds_text
from cluster.reporting.home import cluster_headline, governor_summary
from toolkit.components.shared import link_to, welcome
from toolkit.components.todo import show_todo
from toolkit.components.year import next_deadlines_line
from toolkit.engine import engine
from toolkit.guard import guard_view


def render() -> None:
    actor = guard_view(__file__)
    headline = cluster_headline(engine(), actor)
    summary = governor_summary(engine(), actor)
    welcome(actor.display_name, headline)
    next_deadlines_line(actor)
    if summary.latest_minutes_held_on is not None:
        st.markdown(f"**Latest approved minutes:** {summary.latest_minutes_half_term} meeting of "
                    f"{format_date(summary.latest_minutes_held_on)}, approved "
                    f"{format_date(summary.latest_minutes_approved_on)}.")
    show_todo(actor)
    scope = "our school" if actor.school_id else "the cluster"
    first, second, third = st.columns(3)
    first.metric(label("awarded_to_scope_this_year", scope=scope),
                 pounds_text(summary.awarded_this_year_pence))
    second.metric("Pupils supported this year", count_text(summary.pupils_this_year))
    third.metric(label("outcomes_met_all_years"),
                 _outcomes(summary.outcomes_met_or_exceeded, summary.outcomes_recorded),
                 help=_judged(summary.outcomes_recorded))
    st.caption("Governors see figures for groups of pupils only; figures about fewer than 5 "
               "pupils, and any that would let them be worked out, are hidden so no child can be "
               "identified. They match the impact report's.")
    for url_path, words in (("impact", "Read the impact report"),
                            ("papers", "Read the minutes and papers"),
                            ("send-profile", "The SEND profile")):
        link_to(actor.role, url_path, words)


def _outcomes(met: int | None, judged: int | None) -> str:
    """The number met under the "met" label, never the number judged (which once read "4
    recorded" there). Outcomes, not pupils: a hidden one may be 5 or more, so it reads "hidden"."""
    if judged is None or met is None:
        return HIDDEN_FIGURE
    return f"{met} of {judged}"


def _judged(judged: int | None) -> str:
    words = "hidden" if judged is None else str(judged)
    return f"{label('outcomes_judged')}: {words}. {meaning('outcomes_judged')}"


render()

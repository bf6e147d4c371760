"""Academic years (host): close a year and open the next, or reopen a closed year with a reason."""

from __future__ import annotations

import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.money import format_pounds
from cluster.core.clock import today
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.year.rollover import (
    MAX_REOPEN_REASON_CHARACTERS,
    YearState,
    close_year,
    reopen_year,
    roll_over_year,
    rollover_opens_on,
    year_states,
)
from toolkit.components import forms, names_prompt
from toolkit.engine import engine
from toolkit.guard import guard_view

NAMES_FORM = "reopen"


def render() -> None:
    actor = guard_view(__file__)
    st.title("Academic years")
    forms.show_flash()
    st.caption("A closed year is read-only: its decisions are the cluster's record. Rolling over "
               "carries awards that are still running into the new year, and the unspent money "
               "forward. Do it at the end of Summer 2.")
    years = year_states(engine(), actor)
    st.dataframe([{"Year": y.label, "State": "closed (read-only)" if y.read_only else "open",
                   "Reopened because": y.reopened_reason} for y in years],
                 hide_index=True, width="stretch")
    open_years = [y for y in years if not y.read_only]
    if open_years:
        _roll_over(actor, open_years[0])
    _reopen(actor, [y for y in years if y.read_only])
    for year in (y for y in open_years if y.reopened_reason):
        if st.button(f"Close {year.label} again", key=f"close-{year.academic_year}"):
            close_year(engine(), actor, year.academic_year)
            st.rerun()


def _roll_over(actor: Actor, oldest_open: YearState) -> None:
    st.subheader(f"Close {oldest_open.label} and open the next year")
    opens_on = rollover_opens_on(oldest_open.academic_year)
    if today() < opens_on:
        st.info(f"{oldest_open.label} is still running. Roll over from {format_date(opens_on)}, "
                "the start of its Summer 2 half-term.")
        return
    if not st.button(f"Roll over from {oldest_open.label}", type="primary"):
        return
    try:
        result = roll_over_year(engine(), actor, oldest_open.academic_year)
    except ClusterError as error:
        st.error(error.message)
        return
    st.success(f"{result.closed_year} closed; {result.opened_year} open with "
               f"{result.awards_carried} running award(s) carried in and "
               f"{format_pounds(result.carried_forward_pence)} carried forward.")


def _reopen(actor: Actor, closed: list[YearState]) -> None:
    if not closed:
        return
    st.subheader("Reopen a closed year")
    with forms.form(NAMES_FORM) as drawn:
        chosen = st.selectbox("Year", closed, format_func=lambda y: y.label)
        reason = drawn.text("Why it must be reopened (kept in the audit log)",
                            MAX_REOPEN_REASON_CHARACTERS, area=True, about="No pupil names")
        submitted = drawn.buttons("Reopen the year")
    if not submitted or chosen is None:
        return
    forms.save(drawn.name, lambda: reopen_year(
        engine(), actor, chosen.academic_year, reason,
        confirmed_not_names=names_prompt.confirmed(drawn.name)),
        done=f"{chosen.label} reopened. Close it again when the correction is made.",
        drawn=drawn, fresh=True)


render()

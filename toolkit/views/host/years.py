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
    RolloverChecklist,
    YearState,
    close_year,
    reopen_year,
    roll_over_year,
    rollover_checklist,
    year_states,
)
from toolkit.components import forms, names_prompt
from toolkit.components.year import view_link
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
    st.dataframe([{"Year": y.year_label, "State": "closed (read-only)" if y.read_only else "open",
                   "Reopened because": y.reopened_reason} for y in years],
                 hide_index=True, width="stretch")
    open_years = [y for y in years if not y.read_only]
    if open_years:
        _roll_over(actor, open_years[0])
    _reopen(actor, [y for y in years if y.read_only])
    for year in (y for y in open_years if y.reopened_reason):
        if st.button(f"Close {year.year_label} again", key=f"close-{year.academic_year}"):
            close_year(engine(), actor, year.academic_year)
            st.rerun()


def _roll_over(actor: Actor, oldest_open: YearState) -> None:
    st.subheader(f"Close {oldest_open.year_label} and open the next year")
    checklist = rollover_checklist(engine(), actor, oldest_open.academic_year)
    if today() < checklist.opens_on:
        st.info(f"{oldest_open.year_label} is still running. Roll over from "
                f"{format_date(checklist.opens_on)}, the start of its Summer 2 half-term.")
        return
    carried = _loose_ends(actor, checklist)
    if carried is None:
        return
    sure = st.checkbox(f"I have checked the list: close {checklist.closing_year} (read-only from "
                       f"now) and open {checklist.opening_year}", key="rollover.confirm")
    if not st.button(f"Roll over from {oldest_open.year_label}", type="primary", disabled=not sure):
        return
    try:
        result = roll_over_year(engine(), actor, oldest_open.academic_year,
                                carried_over=carried)
    except ClusterError as error:
        st.error(error.message)
        return
    st.success(f"{result.closed_year} closed; {result.opened_year} open with "
               f"{result.awards_carried} running award(s) carried in and "
               f"{format_pounds(result.carried_forward_pence)} carried forward.")
    st.info(f"Next: set up {result.opened_year}: its six meetings, then its funding.")
    view_link(actor, "meeting-agendas", f"Set up the {result.opened_year} meetings")
    view_link(actor, "funding-year", f"Check the {result.opened_year} funding year")


def _loose_ends(actor: Actor, checklist: RolloverChecklist) -> set[str] | None:
    """The checklist: each loose end with a link to resolve it and a box to carry it over.
    The keys ticked, or None while some are neither (the button stays hidden)."""
    ends = checklist.loose_ends
    if not ends:
        st.success(f"Nothing is left open in {checklist.closing_year}.")
        return set()
    st.markdown(f"**{len(ends)} loose end(s) in {checklist.closing_year}.** Resolve each one "
                "(follow its link), or tick it to carry it over into the new year.")
    every = st.checkbox("Carry over every item listed", key="rollover.all")
    carried: set[str] = set()
    for end in ends:
        first, second = st.columns([3, 1])
        with first:
            st.markdown(f"**{end.kind}**: {end.what}")
            view_link(actor, end.view, "Resolve it", end.query or None)
        if second.checkbox("Carry over", value=every, key=f"rollover.carry.{end.key}",
                           disabled=every):
            carried.add(end.key)
    waiting = len(ends) - len(carried | ({e.key for e in ends} if every else set()))
    if waiting:
        st.warning(f"{waiting} item(s) still to resolve or carry over.")
        return None
    return {e.key for e in ends}


def _reopen(actor: Actor, closed: list[YearState]) -> None:
    if not closed:
        return
    st.subheader("Reopen a closed year")
    with forms.form(NAMES_FORM) as drawn:
        chosen = st.selectbox("Year", closed, format_func=lambda y: y.year_label)
        reason = drawn.text("Why it must be reopened (kept in the audit log)",
                            MAX_REOPEN_REASON_CHARACTERS, area=True, about="No pupil names")
        submitted = drawn.buttons("Reopen the year")
    if not submitted or chosen is None:
        return
    forms.save(drawn.name, lambda: reopen_year(
        engine(), actor, chosen.academic_year, reason,
        confirmed_not_names=names_prompt.confirmed(drawn.name)),
        done=f"{chosen.year_label} reopened. Close it again when the correction is made.",
        drawn=drawn, fresh=True)


render()

"""Suggest a split (host): the optimiser on a funding round. Pick the objective, set floors and
caps per school, lock amounts, run it, read each award beside its ask with the reason, the marginal
value of the pot and the what-if curve, then accept it into the meeting's draft decisions."""

from __future__ import annotations

import altair as alt
import pandas as pd
import streamlit as st

from cluster.common.calendar import format_date
from cluster.common.glossary import label
from cluster.common.money import format_pounds, pence_from_pounds
from cluster.core.errors import ClusterError
from cluster.core.permissions import Actor
from cluster.meetings.decisions import accept_split
from cluster.meetings.split import (
    OBJECTIVE_LABELS,
    SplitResult,
    SplitScreen,
    SplitSettings,
    lock_problem,
    split_screen,
)
from cluster.meetings.split import suggest_split as run_suggestion
from cluster.models import SplitStatus
from cluster.reporting.home import cluster_headline
from cluster.requests.need_score import score_text
from toolkit import state
from toolkit.components.forms import show_flash
from toolkit.components.shared import headline_caption
from toolkit.components.year import view_link
from toolkit.engine import engine
from toolkit.guard import guard_view

AWARDED = label("awarded_pounds_column")  # the column and the chart's tooltip name it alike


def render() -> None:
    actor = guard_view(__file__)
    st.title("Suggest a split")
    headline_caption(cluster_headline(engine(), actor))
    show_flash(state.SPLIT_MESSAGE)
    first = split_screen(engine(), actor)
    if first is None:
        st.info("No funding round is set up yet: set up the year on Meetings and agendas.")
        return
    ids = [m.id for m in first.rounds]
    labels = {m.id: m.label for m in first.rounds}
    chosen = st.selectbox("Funding round", ids, index=ids.index(first.meeting.id),
                          format_func=labels.__getitem__, key=state.SPLIT_ROUND)
    screen = first if chosen == first.meeting.id else split_screen(engine(), actor, chosen)
    assert screen is not None
    st.markdown(screen.pot_words)
    if screen.pot_pounds is None or not screen.requests:
        st.info("There is nothing to split at this meeting: no money for the round, or no "
                "requests waiting for a decision.")
        return
    if screen.decisions_confirmed:
        st.info("This round's decisions are confirmed: the split is shown for the record and "
                "cannot be accepted again.")
    settings = _settings(screen)
    if st.button("Run the suggestion", type="primary"):
        st.session_state[f"{state.SPLIT_RESULT}.{screen.meeting.id}"] = True
    if st.session_state.get(f"{state.SPLIT_RESULT}.{screen.meeting.id}"):
        try:
            result = run_suggestion(engine(), actor, screen.meeting.id, settings)
        except ClusterError as error:
            st.error(error.message)
            return
        if result is not None:
            _result(result)
            _accept(actor, screen, settings, result)
    elif screen.accepted is not None:
        st.caption(f"Accepted on {format_date(screen.accepted.accepted_on)} by "
                   f"{screen.accepted.accepted_by}: {screen.accepted.summary}")


# --- the host's settings ------------------------------------------------------------------------


def _settings(screen: SplitScreen) -> SplitSettings:
    mid = screen.meeting.id
    start = screen.accepted.settings if screen.accepted else SplitSettings()
    objectives = list(OBJECTIVE_LABELS)
    objective = st.radio("Objective", objectives, index=objectives.index(start.objective),
                         format_func=OBJECTIVE_LABELS.__getitem__,
                         key=f"{state.SPLIT_OBJECTIVE}.{mid}")
    limits_key = f"{state.SPLIT_LIMITS}.{mid}"
    locks_key = f"{state.SPLIT_LOCKS}.{mid}"
    st.session_state.setdefault(limits_key, (dict(start.floors), dict(start.caps)))
    st.session_state.setdefault(locks_key, dict(start.locks))
    floors, caps = st.session_state[limits_key]
    locks: dict[int, int] = st.session_state[locks_key]
    with st.expander("Floors and caps per school"):
        _limits_form(screen, limits_key, floors, caps)
    _locks(screen, locks_key, locks)
    return SplitSettings(objective, dict(floors), dict(caps), dict(locks))


def _limits_form(screen: SplitScreen, key: str, floors: dict[int, int],
                 caps: dict[int, int]) -> None:
    st.caption("A floor is money a school should get at least, as far as its requests ask; a cap "
               "is the most it may get this round. Leave a cap at 0 for no cap.")
    with st.form(f"limits.{screen.meeting.id}"):
        new_floors, new_caps = {}, {}
        for school_id, name in screen.schools:
            left, right = st.columns(2)
            new_floors[school_id] = left.number_input(f"Floor for {name} (£)", min_value=0,
                                                      value=int(floors.get(school_id, 0)), step=100)
            new_caps[school_id] = right.number_input(f"Cap for {name} (£, 0 = none)",
                                                     min_value=0,
                                                     value=int(caps.get(school_id, 0)), step=100)
        if st.form_submit_button("Use these floors and caps"):
            st.session_state[key] = ({k: int(v) for k, v in new_floors.items() if v},
                                     {k: int(v) for k, v in new_caps.items() if v})
            st.rerun()


def _locks(screen: SplitScreen, key: str, locks: dict[int, int]) -> None:
    st.subheader("Lock amounts")
    st.caption("A locked request gets exactly the amount you fix; the optimiser splits the rest. "
               "It runs again straight away.")
    by_id = {r.request_id: r for r in screen.requests}
    with st.form(f"lock.{screen.meeting.id}"):
        left, right = st.columns([3, 1])
        request_id = left.selectbox("Request to lock", list(by_id), format_func=lambda i: (
            f"Request {i}: {by_id[i].school_name}, "
            f"asked {format_pounds(pence_from_pounds(by_id[i].asked_pounds))}"))
        amount = right.number_input("Lock at (£)", min_value=0, step=100, value=0)
        pressed = st.form_submit_button("Lock this amount")
    if pressed:
        problem = lock_problem(by_id[request_id], int(amount))
        if problem:  # refused here, with the limits: the split keeps running on valid locks
            st.error(f"Not locked: {problem}.")
        else:
            locks[int(request_id)] = int(amount)
            st.session_state[key] = locks
            st.rerun()
    for request_id, pounds in sorted(locks.items()):
        left, right = st.columns([3, 1])
        locked = format_pounds(pence_from_pounds(pounds))
        left.markdown(f"Request {request_id} locked at **{locked}**")
        if right.button(f"Unlock request {request_id}", key=f"unlock.{screen.meeting.id}."
                                                           f"{request_id}"):
            locks.pop(request_id, None)
            st.session_state[key] = locks
            st.rerun()


# --- the result ---------------------------------------------------------------------------------


def _result(result: SplitResult) -> None:
    show = {"optimal": st.success, "time_limited": st.warning, "infeasible": st.error}
    show.get(result.status, st.info)(result.summary)
    for conflict in result.conflicts:
        if conflict not in result.summary:  # each problem once
            st.error(conflict)
    if result.status != SplitStatus.INFEASIBLE:
        st.caption(f"Ran in {result.elapsed_ms:,.0f} ms, with the what-if curve.")
    st.dataframe(pd.DataFrame([{
        "No.": line.request_id, "School": line.school_name,
        "Asked": format_pounds(pence_from_pounds(line.asked_pounds)),
        "Minimum": format_pounds(pence_from_pounds(line.minimum_pounds)),
        "Need score": score_text(line.need_score),
        "Locked": ("" if line.locked_pounds is None
                   else format_pounds(pence_from_pounds(line.locked_pounds))),
        "Suggested": "-" if line.suggested_pounds is None
        else format_pounds(pence_from_pounds(line.suggested_pounds)),
        "Share of ask": "" if line.share_of_ask is None else f"{line.share_of_ask:.0%}",
        "Outcome": line.outcome} for line in result.lines]),
        hide_index=True, width="stretch")
    # The reasons are sentences: listed in full under the table, wrapped, never cut off in a cell.
    st.markdown("**Why each figure**\n\n" + "\n".join(
        f"- Request {line.request_id} ({line.school_name}): {line.explanation}"
        for line in result.lines))
    if result.marginal_need_per_pound is not None:
        st.markdown(f"**The marginal value of the pot:** one more £1,000 would meet about "
                    f"{result.marginal_need_per_pound * 1000:.2f} more need (need score points).")
    if result.what_if:
        _what_if(result)
    if result.schools:
        with st.expander("Each school: the suggestion beside its formula share and need share"):
            st.markdown("\n".join(f"- {s.sentence}" for s in result.schools))


def _what_if(result: SplitResult) -> None:
    frame = pd.DataFrame([{"Pot (£)": p.pot_pounds, "Need funded": round(p.need_met or 0, 2),
                           "Requests funded": p.requests_funded,
                           AWARDED: p.total_awarded}
                          for p in result.what_if if p.need_met is not None])
    if frame.empty:
        return
    st.subheader("What if the pot were bigger or smaller?")
    line = alt.Chart(frame).mark_line(point=True).encode(
        x=alt.X("Pot (£):Q", axis=alt.Axis(format=",.0f")), y=alt.Y("Need funded:Q"),
        tooltip=["Pot (£)", "Need funded", "Requests funded", AWARDED])
    today_pot = alt.Chart(pd.DataFrame({"Pot (£)": [result.pot_pounds]})).mark_rule(
        strokeDash=[4, 4]).encode(x="Pot (£):Q")
    left, right = st.columns([3, 2])
    left.altair_chart((line + today_pot).properties(height=280), width="stretch")
    right.dataframe(frame.assign(**{"Pot (£)": frame["Pot (£)"].map(lambda v: f"£{v:,}"),
                                    AWARDED: frame[AWARDED].map(lambda v: f"£{v:,}")}),
                    hide_index=True, width="stretch")


def _accept(actor: Actor, screen: SplitScreen, settings: SplitSettings,
            result: SplitResult) -> None:
    if screen.decisions_confirmed or result.status == SplitStatus.INFEASIBLE:
        return
    st.caption("Accepting makes this the meeting's suggestion: each undecided request you chair "
               "starts from it as a draft decision, and an award that differs from it needs a "
               "reason.")
    if st.button("Accept into the meeting's draft decisions", type="primary"):
        try:
            done = accept_split(engine(), actor, screen.meeting.id, settings,
                                expected_version=screen.accepted.version if screen.accepted
                                else 0)
        except ClusterError as error:
            st.error(error.message)
            return
        text = (f"Suggestion accepted: {len(done.drafted)} draft decision(s) started from it."
                + "".join(f" {note}" for note in done.left))
        st.session_state[state.SPLIT_MESSAGE] = ("success", text)
        st.session_state.pop(f"{state.DECISIONS_DRAWN}.{screen.meeting.id}", None)
        st.rerun()
    view_link(actor, "run-meeting", "Run a meeting: record the decisions")


render()
